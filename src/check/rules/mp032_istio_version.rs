//! MP032 istio-version (check): Features match the clusters' Istio version: FAIL_RELOAD needs 1.27,
//! targetRefs needs 1.22.
//!
//! **Severity:** error
//!
//! When a cluster declares its `istioVersion`, meshplug checks that every WasmPlugin rendered for it
//! uses only what that version's CRD has: `failStrategy: FAIL_RELOAD` first appeared in Istio 1.27 and
//! `targetRefs` in 1.22. An older API server rejects an enum value it does not know, and either rejects or
//! silently drops a field it does not know, depending on how the manifest is applied (a WasmPlugin
//! that lost its `targetRefs` applies to the whole namespace). Either way the cluster would not run
//! what the repository says. Limit
//! the binding with `clusters:`, or do without the feature.
//!
//! ```yaml bad file=bindings/shop/cart.yaml
//! apiVersion: meshplug.io/v1alpha1
//! kind: Binding
//! metadata:
//!   name: cart
//!   namespace: shop
//! spec:
//!   plugins:
//!   - plugin: request-block
//!     failStrategy: FAIL_RELOAD  # MP032
//!     pluginConfig:
//!       block_urls: [/admin]
//! ```
//!
//! ```yaml good file=bindings/shop/cart.yaml
//! apiVersion: meshplug.io/v1alpha1
//! kind: Binding
//! metadata:
//!   name: cart
//!   namespace: shop
//! spec:
//!   clusters: [prod]
//!   plugins:
//!   - plugin: request-block
//!     failStrategy: FAIL_RELOAD
//!     pluginConfig:
//!       block_urls: [/admin]
//! ```
