//! MP014 priority-range (load): priority is between 1 and 1000.
//!
//! **Severity:** error
//!
//! `priority` orders plugins within a phase: higher runs first. Istio accepts any 32-bit integer, but
//! an unset priority sorts below every set one (not as 0, as its documentation suggests), and huge or
//! negative values make chains hard to reason about. meshplug asks for 1 to 1000 in bindings and
//! catalog defaults, which leaves room to slot plugins in between.
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
//!     priority: 1500        # MP014
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
//!     priority: 900
//!     pluginConfig:
//!       keys: [x-api-key]
//! ```

// Found by the schema gate (`src/load/schema.rs`, the JSON Schema's range on `priority`) and by
// `lint` for WasmPlugins (`src/manifests/lint/mod.rs`), which report it as `rule::PRIORITY_RANGE`.
