//! MP026 target-refs (check): targetRefs: at most 16, no namespace, kinds Gateway, GatewayClass
//! (root namespace only), Service or ServiceEntry with their groups.
//!
//! **Severity:** error
//!
//! Istio attaches a WasmPlugin only to these targets: `Gateway` and `GatewayClass` (group
//! `gateway.networking.k8s.io`), `Service` (group `""`, for waypoints) and `ServiceEntry` (group
//! `networking.istio.io`). A reference may not name another namespace (the CRD requires `namespace`
//! to be empty), `GatewayClass` works only from the root namespace, and there are at most 16
//! references. Any other kind, such as an `HTTPRoute`, is rejected by istiod.
//!
//! ```yaml bad file=bindings/shop/shop-gateway.yaml
//! apiVersion: meshplug.io/v1alpha1
//! kind: Binding
//! metadata:
//!   name: shop-gateway
//!   namespace: shop
//! spec:
//!   targetRefs:
//!   - group: gateway.networking.k8s.io
//!     kind: HTTPRoute       # MP026
//!     name: checkout
//!   plugins:
//!   - plugin: request-block
//!     pluginConfig:
//!       block_urls: [/admin]
//! ```
//!
//! ```yaml good file=bindings/shop/shop-gateway.yaml
//! apiVersion: meshplug.io/v1alpha1
//! kind: Binding
//! metadata:
//!   name: shop-gateway
//!   namespace: shop
//! spec:
//!   targetRefs:
//!   - group: gateway.networking.k8s.io
//!     kind: Gateway
//!     name: shop-gateway
//!   plugins:
//!   - plugin: request-block
//!     pluginConfig:
//!       block_urls: [/admin]
//! ```
