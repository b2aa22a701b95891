//! MP023 duplicate-env (check): Env var names are unique within a plugin's vmConfig.
//!
//! **Severity:** error
//!
//! `vmConfig.env` is a list keyed by `name` in the CRD, so two entries with one name are rejected by
//! the API server. In a binding, an env var replaces the catalog default of the same name; within one
//! list, each name appears once.
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
//!       - name: TRUST_DOMAIN
//!         value: cluster.local
//!       - name: TRUST_DOMAIN  # MP023
//!         value: shop.example
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
//!       - name: TRUST_DOMAIN
//!         value: shop.example
//! ```
