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

use crate::check::{Context, Effective};
use crate::diag::Diagnostic;
use crate::diag::Places as _;
use crate::diag::rule::PRIORITY_CONFLICT;
use crate::model::attach::{Reach, traffic_overlaps};
use crate::model::{Phase, PluginType};
use std::collections::BTreeMap;

/// Whether the entry sets its priority in the binding itself (rather than inheriting it).
fn sets_priority(e: &Effective<'_>) -> bool {
    e.binding.item.spec.plugins[e.index].priority.is_some()
}

/// Report every pair of entries with one phase, priority and filter type whose reaches and
/// traffic overlap in a cluster both are rendered for.
pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let (repo, effective) = (cx.repo, cx.effective);
    let root_ns = repo.config.item.spec.root_namespace.as_str();
    type Group<'a, 'r> = Vec<(&'a Effective<'r>, Reach<'a>)>;
    // NETWORK plugins are network filters and HTTP plugins run inside the HTTP connection
    // manager, so the two kinds never compete for a place.
    let mut groups: BTreeMap<(Phase, Option<i64>, bool), Group<'_, '_>> = BTreeMap::new();
    for e in effective {
        let network = e.plugin_type == Some(PluginType::Network);
        groups
            .entry((e.phase, e.priority, network))
            .or_default()
            .push((e, Reach::of(&e.binding.item, root_ns)));
    }
    for ((phase, priority, _), members) in &groups {
        // Index by namespace so unrelated namespaces are never compared pairwise.
        let mut by_ns: BTreeMap<Option<&str>, Vec<usize>> = BTreeMap::new();
        for (i, (_, reach)) in members.iter().enumerate() {
            by_ns.entry(reach.namespace()).or_default().push(i);
        }
        let mut pairs = std::collections::BTreeSet::new();
        for (ns, idx) in &by_ns {
            for (x, &i) in idx.iter().enumerate() {
                match ns {
                    Some(_) => pairs.extend(idx[x + 1..].iter().map(|&j| (i, j))),
                    None => pairs.extend(
                        (0..members.len())
                            .filter(|&j| j != i)
                            .map(|j| (i.min(j), i.max(j))),
                    ),
                }
            }
        }
        for (i, j) in pairs {
            let (a, ra) = &members[i];
            let (b, rb) = &members[j];
            let (ma, mb) = (&a.binding.item.metadata, &b.binding.item.metadata);
            if (&ma.namespace, &ma.name, a.plugin_name())
                == (&mb.namespace, &mb.name, b.plugin_name())
            {
                continue; // one plugin applied twice to a service: MP035 reports it
            }
            let shared: Vec<&str> = a
                .clusters
                .iter()
                .copied()
                .filter(|c| b.clusters.contains(c))
                .collect();
            if shared.is_empty() || !ra.overlaps(rb) || !traffic_overlaps(a.r#match, b.r#match) {
                continue;
            }
            // Report at the entry that sets the priority itself (that is what to change); when
            // both or neither do, at the later one by file and position.
            let later_first = (a.path(), a.index) > (b.path(), b.index);
            let (here, other) = match (sets_priority(a), sets_priority(b)) {
                (true, false) => (a, b),
                (false, true) => (b, a),
                _ if later_first => (a, b),
                _ => (b, a),
            };
            let pr = priority.map_or("unset".to_string(), |p| p.to_string());
            let other_place = other.binding.doc.place(&other.pointer());
            let inherited = if sets_priority(other) || priority.is_none() {
                String::new()
            } else {
                format!(", priority from {}", other.plugin.doc.source.path)
            };
            let ptr = if sets_priority(here) {
                format!("{}/priority", here.pointer())
            } else {
                here.pointer()
            };
            out.push(
                here.binding
                    .doc
                    .diag(&PRIORITY_CONFLICT, &ptr, format!(
                        "`{}` and `{}` ({other_place}{inherited}) both run in phase {} with priority {pr} and can reach the same workloads in {} {}",
                        here.plugin_name(), other.plugin_name(), phase.as_str(),
                        if shared.len() == 1 { "cluster" } else { "clusters" }, shared.join(", ")
                    ))
                    .label("same phase and priority")
                    .help("give one of them a different priority; with a tie Istio orders them by creation time or namespace lookup order, which can differ between clusters"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::testkit::{binding, codes, findings, plugin};

    /// MP029 findings (path:line, message) for bindings over catalog entries `a` and `b`
    /// (both AUTHN, priority 300 by default unless `defaults` says otherwise).
    fn conflicts_with(defaults: &str, bindings: &[(&str, String)]) -> Vec<(String, String)> {
        let (a, b) = (plugin("a", defaults), plugin("b", defaults));
        let mut files: Vec<(&str, &str)> = vec![("catalog/a.yaml", &a), ("catalog/b.yaml", &b)];
        files.extend(bindings.iter().map(|(p, t)| (*p, t.as_str())));
        findings(&files)
            .into_iter()
            .filter(|(code, _, _)| *code == "MP029")
            .map(|(_, at, msg)| (at, msg))
            .collect()
    }

    fn conflicts(bindings: &[(&str, String)]) -> Vec<(String, String)> {
        conflicts_with("{phase: AUTHN, priority: 300}", bindings)
    }

    /// The one finding of `found`, as (path:line, message).
    fn single(found: Vec<(String, String)>) -> (String, String) {
        assert_eq!(found.len(), 1, "{found:?}");
        found.into_iter().next().expect("one finding")
    }

    fn mesh(spec: &str) -> (&'static str, String) {
        (
            "bindings/istio-system/mesh.yaml",
            binding("istio-system", "mesh", spec),
        )
    }

    fn cart(spec: &str) -> (&'static str, String) {
        ("bindings/shop/cart.yaml", binding("shop", "cart", spec))
    }

    fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn selector_overlap() {
        let a = labels(&[("app", "x")]);
        let b = labels(&[("app", "y")]);
        let c = labels(&[("version", "v1")]);
        let ra = Reach::Labels {
            namespace: Some("ns"),
            labels: &a,
        };
        let rb = Reach::Labels {
            namespace: Some("ns"),
            labels: &b,
        };
        let rc = Reach::Labels {
            namespace: Some("ns"),
            labels: &c,
        };
        let other_ns = Reach::Labels {
            namespace: Some("other"),
            labels: &a,
        };
        let root = Reach::Labels {
            namespace: None,
            labels: &a,
        };
        assert!(!ra.overlaps(&rb));
        assert!(ra.overlaps(&rc));
        assert!(!ra.overlaps(&other_ns));
        assert!(root.overlaps(&other_ns));
        assert!(Reach::Mesh.overlaps(&other_ns));
        assert!(Reach::Namespace("ns").overlaps(&rb));
        assert!(!Reach::Namespace("ns").overlaps(&other_ns));
    }

    #[test]
    fn target_overlap() {
        let gw = Reach::Targets {
            namespace: "ns",
            refs: vec![("Gateway", "g")],
        };
        let gw2 = Reach::Targets {
            namespace: "ns",
            refs: vec![("Gateway", "h")],
        };
        let l = labels(&[("gateway.networking.k8s.io/gateway-name", "g")]);
        assert!(!gw.overlaps(&gw2));
        assert!(gw.overlaps(&Reach::Labels {
            namespace: Some("ns"),
            labels: &l
        }));
        assert!(!gw2.overlaps(&Reach::Labels {
            namespace: Some("ns"),
            labels: &l
        }));
    }

    #[test]
    fn mesh_wide_and_namespace_bindings_conflict_in_the_clusters_they_share() {
        let (at, msg) = single(conflicts(&[
            mesh("  plugins:\n  - plugin: a\n"),
            cart("  plugins:\n  - plugin: b\n"),
        ]));
        // Neither sets the priority itself: reported at the later file, citing the other.
        assert_eq!(at, "bindings/shop/cart.yaml:6");
        let cited = "(bindings/istio-system/mesh.yaml:6, priority from catalog/a.yaml)";
        assert!(msg.contains(cited), "{msg}");
        assert!(msg.ends_with("in clusters prod, staging"), "{msg}");

        let (_, msg) = single(conflicts(&[
            mesh("  plugins:\n  - plugin: a\n"),
            cart("  clusters: [staging]\n  plugins:\n  - plugin: b\n"),
        ]));
        assert!(msg.ends_with("in cluster staging"), "{msg}");

        let disjoint = conflicts(&[
            mesh("  clusters: [prod]\n  plugins:\n  - plugin: a\n"),
            cart("  clusters: [staging]\n  plugins:\n  - plugin: b\n"),
        ]);
        assert!(disjoint.is_empty(), "{disjoint:?}");
    }

    #[test]
    fn reported_where_the_priority_is_written() {
        let found = conflicts_with(
            "{phase: AUTHN}",
            &[
                mesh("  plugins:\n  - plugin: a\n    priority: 300\n"),
                cart("  plugins:\n  - plugin: b\n    priority: 300\n"),
            ],
        );
        assert_eq!(single(found).0, "bindings/shop/cart.yaml:7"); // both explicit: the later one
        let (at, msg) = single(conflicts(&[
            (
                "bindings/istio-system/z-mesh.yaml",
                binding(
                    "istio-system",
                    "z-mesh",
                    "  plugins:\n  - plugin: a\n    priority: 300\n",
                ),
            ),
            cart("  plugins:\n  - plugin: b\n"),
        ]));
        assert_eq!(at, "bindings/istio-system/z-mesh.yaml:7");
        let cited = "(bindings/shop/cart.yaml:6, priority from catalog/b.yaml)";
        assert!(msg.contains(cited), "{msg}");
    }

    #[test]
    fn unset_priorities_tie_too() {
        let (_, msg) = single(conflicts_with(
            "{phase: STATS}",
            &[cart("  plugins:\n  - plugin: a\n  - plugin: b\n")],
        ));
        assert!(msg.contains("phase STATS with priority unset"), "{msg}");
    }

    #[test]
    fn namespaces_and_selectors_separate_workloads() {
        let other = (
            "bindings/web/front.yaml",
            binding("web", "front", "  plugins:\n  - plugin: b\n"),
        );
        assert!(conflicts(&[cart("  plugins:\n  - plugin: a\n"), other.clone()]).is_empty());

        let labelled = |app: &str| {
            format!("  selector:\n    matchLabels: {{app: {app}}}\n  plugins:\n  - plugin: b\n")
        };
        // A selector in the root namespace reaches matching pods in every namespace.
        let root_sel =
            mesh("  selector:\n    matchLabels: {app: cart}\n  plugins:\n  - plugin: a\n");
        assert_eq!(
            conflicts(&[root_sel.clone(), cart(&labelled("cart"))]).len(),
            1
        );
        assert_eq!(conflicts(&[root_sel.clone(), other]).len(), 1);
        assert!(conflicts(&[root_sel, cart(&labelled("web"))]).is_empty());
        // Within a namespace, selectors overlap unless they disagree on a key.
        let version =
            cart("  selector:\n    matchLabels: {version: v1}\n  plugins:\n  - plugin: a\n");
        let web = (
            "bindings/shop/web.yaml",
            binding("shop", "web", &labelled("web")),
        );
        assert_eq!(conflicts(&[version, web.clone()]).len(), 1);
        let cart_only = cart(&labelled("cart").replace("plugin: b", "plugin: a"));
        assert!(conflicts(&[cart_only, web]).is_empty());
    }

    #[test]
    fn traffic_that_never_meets_does_not_conflict() {
        let two = |a: &str, b: &str| {
            conflicts(&[cart(&format!(
                "  plugins:\n  - plugin: a\n{a}  - plugin: b\n{b}"
            ))])
        };
        let m = |s: &str| format!("    match: {s}\n");
        assert!(two(&m("[{mode: CLIENT}]"), &m("[{mode: SERVER}]")).is_empty());
        assert!(
            two(
                &m("[{mode: SERVER, ports: [{number: 8080}]}]"),
                &m("[{mode: SERVER, ports: [{number: 9080}]}]")
            )
            .is_empty()
        );
        assert_eq!(
            two(&m("[{mode: SERVER, ports: [{number: 8080}]}]"), "").len(),
            1
        );
        assert_eq!(
            two(&m("[{mode: CLIENT}]"), &m("[{mode: CLIENT_AND_SERVER}]")).len(),
            1
        );
        assert_eq!(
            two(
                &m("[{mode: SERVER, ports: [{number: 8080}, {number: 9080}]}]"),
                &m("[{mode: CLIENT}, {ports: [{number: 9080}]}]")
            )
            .len(),
            1
        );
        // A NETWORK filter and an HTTP filter never compete for a place.
        assert!(two("    type: NETWORK\n", "").is_empty());
        assert_eq!(two("    type: NETWORK\n", "    type: NETWORK\n").len(), 1);
    }

    #[test]
    fn a_plugin_applied_twice_is_mp035_only() {
        let a = plugin("a", "{phase: AUTHN, priority: 300}");
        let cart = binding("shop", "cart", "  plugins:\n  - plugin: a\n  - plugin: a\n");
        let files = [
            ("catalog/a.yaml", a.as_str()),
            ("bindings/shop/cart.yaml", &cart),
        ];
        assert_eq!(codes(&files), ["MP035"]);
    }

    #[test]
    fn targets_overlap_by_name_and_gateway_class() {
        let gw = |file: &'static str, service: &str, gateway: &str, plugin: &str| {
            let spec = format!(
                "  targetRefs:\n  - {{group: gateway.networking.k8s.io, kind: Gateway, name: {gateway}}}\n  plugins:\n  - plugin: {plugin}\n"
            );
            (file, binding("shop", service, &spec))
        };
        let x = gw("bindings/shop/x.yaml", "x", "one", "a");
        assert!(conflicts(&[x.clone(), gw("bindings/shop/y.yaml", "y", "two", "b")]).is_empty());
        assert_eq!(
            conflicts(&[x, gw("bindings/shop/y.yaml", "y", "one", "b")]).len(),
            1
        );
        // A GatewayClass in the root namespace reaches every gateway of that class.
        let class = mesh(
            "  targetRefs:\n  - {group: gateway.networking.k8s.io, kind: GatewayClass, name: istio}\n  plugins:\n  - plugin: a\n",
        );
        assert_eq!(
            conflicts(&[class, gw("bindings/shop/y.yaml", "y", "two", "b")]).len(),
            1
        );
    }
}
