//! MP029 priority-conflict (check): No two plugins with the same phase and priority can reach the
//! same traffic of a workload (Istio would break the tie by creation time or namespace order).
//!
//! **Severity:** error
//!
//! Within a phase, Istio runs plugins by descending priority. When two plugins that reach the same
//! workload have the same phase and priority, the order between them is decided by something the
//! repository does not say: within one namespace by creation time, which differs between clusters and
//! after every re-creation; between a namespace and the root namespace by a lookup order that has
//! changed between Istio releases. meshplug reports every pair of entries with the same phase,
//! priority and filter type whose workloads can overlap in a cluster they are both rendered for:
//! mesh-wide and namespace-wide bindings overlap everything in scope, label selectors overlap unless
//! they require different values for one key, and targets overlap when they name the same object.
//! Entries whose `match` can never select the same traffic (`CLIENT` against `SERVER`, or disjoint
//! port lists) do not conflict. An unset priority counts as one value like any other.
//!
//! ```yaml bad file=bindings/istio-system/mesh-defaults.yaml
//! apiVersion: meshplug.io/v1alpha1
//! kind: Binding
//! metadata:
//!   name: mesh-defaults
//!   namespace: istio-system
//! spec:
//!   plugins:
//!   - plugin: request-block
//!     phase: AUTHN
//!     priority: 300         # MP029
//!     pluginConfig:
//!       block_urls: [/.env, /.git]
//! ```
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
//! ```
//!
//! ```yaml good file=bindings/istio-system/mesh-defaults.yaml
//! apiVersion: meshplug.io/v1alpha1
//! kind: Binding
//! metadata:
//!   name: mesh-defaults
//!   namespace: istio-system
//! spec:
//!   plugins:
//!   - plugin: request-block
//!     phase: AUTHN
//!     priority: 400
//!     pluginConfig:
//!       block_urls: [/.env, /.git]
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
