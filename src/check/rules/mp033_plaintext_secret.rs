//! MP033 plaintext-secret (check): pluginConfig holds no plaintext credentials (passwords, tokens,
//! keys, logins, passwords in urls, base64 of logins, Authorization values, JWTs, private keys),
//! and module urls hold no password (error).
//!
//! **Severity:** warning
//!
//! `pluginConfig` ends up verbatim in a WasmPlugin object that anyone who can read the namespace can
//! read, and in git history forever. meshplug warns about values that look like credentials: any
//! string under a key such as `password`, `secret`, `token`, `apiKey` or `credential` (or their
//! plurals); a password inside a url (`https://user:password@host`); `user:password` pairs under keys
//! about users or auth; base64 of such pairs (the HTTP basic-auth form) anywhere; and, whatever the
//! key, values shaped like credentials: `Basic ...`/`Bearer ...` header values, JSON Web Tokens, PEM
//! private keys and tokens with a well-known issuer prefix (`ghp_`, `glpat-`, `AKIA...`). Placeholders
//! such as `${VAR}`, `$(...)` and `<...>` are ignored, and so are keys that only name where a
//! credential is (`token_header`, `secret_name`). It is a warning because demo configurations
//! legitimately contain such values; keep real ones out of the repository, for example in a VM env var
//! that the proxy takes from its own environment (`valueFrom: HOST`), if the plugin can read its
//! credentials from there.
//!
//! A module url with a password (`https://user:password@host/plugin.wasm`) in a catalog entry is an
//! **error** under the same code: the url is copied into every WasmPlugin and into `meshplug.lock`.
//! `meshplug lock` takes registry credentials from the docker config, Istio from `imagePullSecret`.
//!
//! ```yaml bad file=bindings/shop/cart.yaml
//! apiVersion: meshplug.io/v1alpha1
//! kind: Binding
//! metadata:
//!   name: cart
//!   namespace: shop
//! spec:
//!   plugins:
//!   - plugin: key-auth
//!     pluginConfig:
//!       keys: [x-api-key]
//!       consumers:
//!       - name: mobile-app
//!         credential: 7f3c9a1e-mobile-app  # MP033
//! ```
//!
//! ```yaml good file=bindings/shop/cart.yaml
//! apiVersion: meshplug.io/v1alpha1
//! kind: Binding
//! metadata:
//!   name: cart
//!   namespace: shop
//! spec:
//!   plugins:
//!   - plugin: key-auth
//!     pluginConfig:
//!       keys: [x-api-key]
//!       consumers:
//!       - name: mobile-app
//!         credentialEnv: MOBILE_APP_KEY
//!     vmConfig:
//!       env:
//!       - name: MOBILE_APP_KEY
//!         valueFrom: HOST
//! ```
