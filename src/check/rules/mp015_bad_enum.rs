//! MP015 bad-enum (load): phase, failStrategy, imagePullPolicy, type, match mode and env valueFrom
//! use one of the CRD's values.
//!
//! **Severity:** error
//!
//! `phase`, `failStrategy`, `imagePullPolicy`, `type`, `match[].mode` and env `valueFrom` take exactly
//! the values of Istio's WasmPlugin CRD, spelled as there (`AUTHN`, `FAIL_CLOSE`, `IfNotPresent`,
//! `CLIENT`, `HOST`, ...). The API server rejects any other spelling; the hint suggests the closest
//! valid value.
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
//!     failStrategy: FAIL_CLOSED  # MP015
//!     pluginConfig:
//!       keys: [x-api-key]
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
//!     failStrategy: FAIL_CLOSE
//!     pluginConfig:
//!       keys: [x-api-key]
//! ```

// Found by the schema gate (`src/load/schema.rs`, an `enum` keyword of the JSON Schema) and by
// `lint` for WasmPlugins (`src/manifests/lint/mod.rs`), which report it as `rule::BAD_ENUM`.
