//! MP022 env-value-with-host (check): An env var with valueFrom: HOST has no value.
//!
//! **Severity:** error
//!
//! A VM env var either has an inline `value` or, with `valueFrom: HOST`, takes the value of the proxy's
//! own environment variable of that name. Both at once is rejected by the CRD (Istio's own API comment
//! says the opposite, which is a known error in the docs).
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
//!       - name: POD_NAME
//!         valueFrom: HOST
//!         value: cart-0     # MP022
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
//!       - name: POD_NAME
//!         valueFrom: HOST
//! ```
