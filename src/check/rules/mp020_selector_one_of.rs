//! MP020 selector-one-of (check): A binding sets at most one of selector and targetRefs.
//!
//! **Severity:** error
//!
//! A WasmPlugin selects its workloads either by pod labels (`selector`) or by reference to a Gateway,
//! GatewayClass, Service or ServiceEntry (`targetRefs`), never both: the CRD has a validation rule that
//! rejects the combination. Use `selector` for sidecars and classic gateways, `targetRefs` for Gateway
//! API gateways and waypoints (which ignore `selector`). Setting neither means the whole namespace, or
//! the whole mesh in the root namespace.
//!
//! ```yaml bad file=bindings/shop/shop-gateway.yaml
//! apiVersion: meshplug.io/v1alpha1
//! kind: Binding
//! metadata:
//!   name: shop-gateway
//!   namespace: shop
//! spec:
//!   selector:
//!     matchLabels:
//!       gateway.networking.k8s.io/gateway-name: shop-gateway
//!   targetRefs:             # MP020
//!   - {group: gateway.networking.k8s.io, kind: Gateway, name: shop-gateway}
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
//!   - {group: gateway.networking.k8s.io, kind: Gateway, name: shop-gateway}
//!   plugins:
//!   - plugin: request-block
//!     pluginConfig:
//!       block_urls: [/admin]
//! ```

use crate::check::Context;
use crate::diag::rule::SELECTOR_ONE_OF;
use crate::diag::{Diagnostic, Places as _};

/// One error per binding that sets both `selector` and `targetRefs`.
pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for b in &cx.repo.bindings {
        let spec = &b.item.spec;
        if spec.selector.is_some() && spec.target_refs.is_some() {
            out.push(
                b.doc.diag_key(&SELECTOR_ONE_OF, "/spec/targetRefs", "selector and targetRefs are both set")
                    .label("second workload selection")
                    .help("keep one: `selector` for sidecars and gateways by label, `targetRefs` for Gateway API gateways and waypoints"),
            );
        }
    }
}
