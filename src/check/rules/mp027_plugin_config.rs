//! MP027 plugin-config (check): The effective pluginConfig (catalog defaults merged with the
//! binding) satisfies the plugin's configSchema.
//!
//! **Severity:** error
//!
//! Istio passes `pluginConfig` to the module as JSON and never looks inside. A wrong field name or
//! type shows up only at runtime: the plugin refuses its configuration and Envoy rejects the update,
//! visible only in proxy logs. So every catalog entry may carry a `configSchema`, and the effective
//! `pluginConfig` of each binding (the catalog default with the binding's deep-merged over it) must
//! satisfy it.
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
//!       keys: x-api-key     # MP027
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
//! ```
