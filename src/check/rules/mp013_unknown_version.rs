//! MP013 unknown-version (check): A binding refers only to versions its catalog entry lists.
//!
//! **Severity:** error
//!
//! A binding may pin a plugin to one of the versions its catalog entry lists; without `version` it
//! gets the newest (first) one. A version the entry does not list has no url or digest, so it cannot
//! be rendered; the hint lists the versions there are.
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
//!     version: 2.1.0        # MP013
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
//!     version: 2.0.0
//!     pluginConfig:
//!       keys: [x-api-key]
//! ```
