//! MP025 match-ports (check): match ports are between 1 and 65535 and unique within an entry.
//!
//! **Severity:** error
//!
//! `match[].ports` limits a plugin to some ports of the workload. Each port number is between 1 and
//! 65535, and appears once per `match` entry: the CRD keys the list by `number` and rejects
//! duplicates.
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
//!     match:
//!     - mode: SERVER
//!       ports:
//!       - number: 8080
//!       - number: 8080      # MP025
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
//!     match:
//!     - mode: SERVER
//!       ports:
//!       - number: 8080
//!       - number: 8443
//! ```
