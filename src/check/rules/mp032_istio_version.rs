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

use crate::artifact::wasm::IstioMinor;
use crate::check::Context;
use crate::diag::rule::ISTIO_VERSION;
use crate::diag::{Diagnostic, Places as _};
use crate::model::FailStrategy;

/// Every resolved entry against the Istio version of each cluster it is rendered for.
pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let clusters = &cx.repo.config.item.spec.clusters;
    for e in cx.effective {
        let doc = &e.binding.doc;
        let at = e.pointer();
        let u = e.entry();
        for c in clusters
            .iter()
            .filter(|c| e.clusters.contains(&c.name.as_str()))
        {
            let Some(minor) = c
                .istio_version
                .as_deref()
                .and_then(IstioMinor::parse)
                .map(|m| m.0)
            else {
                continue;
            };
            if e.fail_strategy == Some(FailStrategy::FailReload) && minor < 27 {
                let ptr = if u.fail_strategy.is_some() {
                    format!("{at}/failStrategy")
                } else {
                    at.clone()
                };
                out.push(doc.diag(&ISTIO_VERSION, &ptr, format!("FAIL_RELOAD needs Istio 1.27; cluster `{}` runs 1.{minor}", c.name)).label("too new for the cluster").help("use FAIL_CLOSE, or limit the binding with `clusters:` to clusters on 1.27+".to_string()));
            }
            if e.binding.item.spec.target_refs.is_some() && minor < 22 {
                out.push(doc.diag_key(&ISTIO_VERSION, "/spec/targetRefs", format!("targetRefs needs Istio 1.22; cluster `{}` runs 1.{minor}", c.name)).help("use `selector`, or limit the binding with `clusters:` to clusters on 1.22+"));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::check::testkit::{binding, findings, plugin};

    fn refs(list: &str) -> String {
        format!("  targetRefs: {list}\n  plugins:\n  - plugin: a\n")
    }

    #[test]
    fn version_gates_follow_each_cluster() {
        let old = "apiVersion: meshplug.io/v1alpha1\nkind: Marketplace\nmetadata: {name: t}\nspec:\n  clusters:\n  - {name: prod, istioVersion: \"1.27.1\"}\n  - {name: legacy, istioVersion: \"1.21\"}\n  - {name: unknown}\n";
        let a = plugin("a", "{phase: AUTHN, priority: 300}");
        let run = |spec: &str| {
            let b = binding("shop", "cart", spec);
            findings(&[
                ("meshplug.yaml", old),
                ("catalog/a.yaml", &a),
                ("bindings/cart.yaml", &b),
            ])
            .into_iter()
            .map(|(c, _, m)| (c, m))
            .collect::<Vec<_>>()
        };
        let gw = "[{group: gateway.networking.k8s.io, kind: Gateway, name: shop}]";
        assert_eq!(
            run(&refs(gw)),
            [(
                "MP032",
                "targetRefs needs Istio 1.22; cluster `legacy` runs 1.21".to_string()
            )]
        );
        assert_eq!(
            run(&format!("  clusters: [prod, unknown]\n{}", refs(gw))),
            []
        );
        assert_eq!(
            run("  plugins:\n  - plugin: a\n    failStrategy: FAIL_RELOAD\n"),
            [(
                "MP032",
                "FAIL_RELOAD needs Istio 1.27; cluster `legacy` runs 1.21".to_string()
            )]
        );
    }
}
