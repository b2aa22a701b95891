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

use crate::check::Context;
use crate::diag::rule::TARGET_REFS;
use crate::diag::{Diagnostic, Places};
use crate::model::TargetRef;

/// The targetRefs of every binding that has them.
pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let root_ns = cx.repo.config.item.spec.root_namespace.as_str();
    for b in &cx.repo.bindings {
        if let Some(refs) = &b.item.spec.target_refs {
            out.extend(target_refs(
                &b.doc,
                refs,
                &b.item.metadata.namespace,
                root_ns,
            ));
        }
    }
}

/// targetRefs (at most 16, no namespace, supported kinds with their groups, GatewayClass
/// only from the root namespace). Pointers are under `/spec/targetRefs`. Also used by
/// `meshplug lint`.
pub fn target_refs(
    doc: &impl Places,
    refs: &[TargetRef],
    namespace: &str,
    root_ns: &str,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if refs.len() > 16 {
        out.push(
            doc.diag(
                &TARGET_REFS,
                "/spec/targetRefs",
                format!("{} targetRefs; Istio allows at most 16", refs.len()),
            )
            .help("split the binding"),
        );
    }
    for (i, r) in refs.iter().enumerate() {
        let ptr = format!("/spec/targetRefs/{i}");
        if r.namespace.as_deref().is_some_and(|n| !n.is_empty()) {
            out.push(doc.diag(&TARGET_REFS, &format!("{ptr}/namespace"), "targetRef namespace must be empty").label("cross-namespace reference").help("Istio does not support cross-namespace targets; put the binding in the target's namespace and drop `namespace`"));
        }
        let group = r.group.as_deref().unwrap_or("");
        let expected: Option<&[&str]> = match r.kind.as_str() {
            "Gateway" | "GatewayClass" => Some(&["gateway.networking.k8s.io"]),
            "Service" => Some(&["", "core"]),
            "ServiceEntry" => Some(&["networking.istio.io"]),
            _ => None,
        };
        match expected {
            None => out.push(
                doc.diag(
                    &TARGET_REFS,
                    &format!("{ptr}/kind"),
                    format!("targetRef kind `{}` is not supported", r.kind),
                )
                .label("unsupported kind")
                .help("use Gateway, GatewayClass, Service or ServiceEntry"),
            ),
            Some(groups) if !groups.contains(&group) => out.push(
                doc.diag(
                    &TARGET_REFS,
                    &format!("{ptr}/group"),
                    format!("kind {} needs group `{}`, not `{group}`", r.kind, groups[0]),
                )
                .help(format!(
                    "set `group: {}`",
                    if groups[0].is_empty() {
                        "\"\""
                    } else {
                        groups[0]
                    }
                )),
            ),
            Some(_) => {}
        }
        if r.kind == "GatewayClass" && namespace != root_ns {
            out.push(
                doc.diag(
                    &TARGET_REFS,
                    &format!("{ptr}/kind"),
                    format!("GatewayClass targets work only from the root namespace `{root_ns}`"),
                )
                .help(format!("move the binding to namespace {root_ns}")),
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::check::testkit::binding_findings as check_binding;

    fn refs(list: &str) -> String {
        format!("  targetRefs: {list}\n  plugins:\n  - plugin: a\n")
    }

    #[test]
    fn target_ref_rules() {
        let gw = "{group: gateway.networking.k8s.io, kind: Gateway, name: shop}";
        assert_eq!(check_binding("shop", &refs(&format!("[{gw}]"))), []);
        let svc = "{group: \"\", kind: Service, name: cart-waypoint}";
        assert_eq!(check_binding("shop", &refs(&format!("[{svc}]"))), []);
        let one = |list: &str| {
            let f = check_binding("shop", &refs(list));
            assert_eq!(f.len(), 1, "{list}: {f:?}");
            (f[0].0, f[0].2.clone())
        };
        assert_eq!(
            one("[{group: gateway.networking.k8s.io, kind: Gateway, name: shop, namespace: web}]"),
            ("MP026", "targetRef namespace must be empty".into())
        );
        assert_eq!(
            one("[{group: networking.istio.io, kind: Gateway, name: shop}]"),
            (
                "MP026",
                "kind Gateway needs group `gateway.networking.k8s.io`, not `networking.istio.io`"
                    .into()
            )
        );
        assert_eq!(
            one("[{kind: ServiceEntry, name: payments}]"),
            (
                "MP026",
                "kind ServiceEntry needs group `networking.istio.io`, not ``".into()
            )
        );
        assert_eq!(
            one("[{group: gateway.networking.k8s.io, kind: GatewayClass, name: istio}]"),
            (
                "MP026",
                "GatewayClass targets work only from the root namespace `istio-system`".into()
            )
        );
        let class = refs("[{group: gateway.networking.k8s.io, kind: GatewayClass, name: istio}]");
        assert_eq!(check_binding("istio-system", &class), []);
        let many = format!("[{}]", vec![gw; 17].join(", "));
        assert_eq!(
            one(&many),
            ("MP026", "17 targetRefs; Istio allows at most 16".into())
        );
        assert_eq!(
            check_binding("shop", &refs(&format!("[{}]", vec![gw; 16].join(", ")))),
            []
        );
    }
}
