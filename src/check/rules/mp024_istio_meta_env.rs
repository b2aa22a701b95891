//! MP024 istio-meta-env (check): Env var names do not start with ISTIO_META_ (Istio strips them
//! silently) and are C identifiers.
//!
//! **Severity:** error
//!
//! The Istio agent removes every VM env var whose name starts with `ISTIO_META_` before the
//! configuration reaches Envoy (it uses that prefix for its own settings), without a warning: the
//! plugin simply never sees it. Env var names must also be C identifiers (letters, digits and `_`, not
//! starting with a digit), as Istio's API documents (the CRD itself does not check it).
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
//!     vmConfig:
//!       env:
//!       - name: ISTIO_META_OWNER_TEAM  # MP024
//!         value: checkout
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
//!     vmConfig:
//!       env:
//!       - name: OWNER_TEAM
//!         value: checkout
//! ```
