//! MP034 unknown-cluster (check): A binding names only clusters declared in meshplug.yaml.
//!
//! **Severity:** error
//!
//! `spec.clusters` of a binding limits it to some of the clusters declared in `meshplug.yaml`. A name
//! that is not declared would silently render nothing for the cluster that was meant; the hint
//! suggests the closest declared name.
//!
//! ```yaml bad file=bindings/shop/cart.yaml
//! apiVersion: meshplug.io/v1alpha1
//! kind: Binding
//! metadata:
//!   name: cart
//!   namespace: shop
//! spec:
//!   clusters:
//!   - prod
//!   - stagin                # MP034
//!   plugins:
//!   - plugin: key-auth
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
//!   clusters:
//!   - prod
//!   - staging
//!   plugins:
//!   - plugin: key-auth
//!     pluginConfig:
//!       keys: [x-api-key]
//! ```
