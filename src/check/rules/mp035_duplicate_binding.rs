//! MP035 duplicate-binding (check): One binding per namespace/service, and a plugin at most once
//! per binding.
//!
//! **Severity:** error
//!
//! Each service has one binding file (`namespace` + `name` are unique across the repository), and a
//! binding applies each plugin at most once. Both would otherwise render two WasmPlugins of the same
//! name, one silently replacing the other.
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
//!   - plugin: key-auth      # MP035
//!     pluginConfig:
//!       keys: [x-cart-key]
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
//!       keys: [x-api-key, x-cart-key]
//! ```
