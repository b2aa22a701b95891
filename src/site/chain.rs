//! The effective filter chain of each service, per cluster, from `Checked.effective`.
//!
//! TODO(lead): replace with crate::explain at merge. This is a stand-in for the `explain` module
//! (branch `cli`); the site only needs the [`ChainRow`] shape below, so swapping the computation
//! leaves the pages unchanged.

use crate::check::{Checked, Effective};
use crate::model::{Binding, Phase};
use std::cmp::Reverse;
use std::collections::BTreeMap;

/// How far a binding reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Scope {
    /// Workloads picked by a selector or target references.
    Workload,
    /// Every workload of its namespace (no selector, no targetRefs).
    Namespace,
    /// Every workload of the mesh (the root namespace, no selector, no targetRefs).
    Mesh,
}

impl Scope {
    /// The scope of `binding` in a mesh whose root namespace is `root_ns`.
    pub fn of(binding: &Binding, root_ns: &str) -> Scope {
        let spec = &binding.spec;
        if spec.selector.is_some() || spec.target_refs.is_some() {
            Scope::Workload
        } else if binding.metadata.namespace == root_ns {
            Scope::Mesh
        } else {
            Scope::Namespace
        }
    }

    /// The id used in CSS classes and interface-string keys.
    pub fn id(self) -> &'static str {
        match self {
            Scope::Workload => "workload",
            Scope::Namespace => "namespace",
            Scope::Mesh => "mesh",
        }
    }
}

/// One plugin in a chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainRow {
    /// Phase.
    pub phase: Phase,
    /// Priority within the phase, when set (higher runs first; unset runs last).
    pub priority: Option<i64>,
    /// Catalog name of the plugin.
    pub plugin: String,
    /// Version in use.
    pub version: String,
    /// The binding it comes from, as `namespace/name`.
    pub source: String,
    /// Another row has the same phase and priority: Istio orders them by creation time.
    pub tie: bool,
}

/// The effective entries grouped by how far they reach, so that each chain reads only the entries
/// that can apply to it.
pub struct Index<'c, 'r> {
    root_ns: &'c str,
    own: BTreeMap<(&'r str, &'r str), Vec<&'c Effective<'r>>>,
    namespace_wide: BTreeMap<&'r str, Vec<&'c Effective<'r>>>,
    mesh_wide: Vec<&'c Effective<'r>>,
    root_selectors: Vec<&'c Effective<'r>>,
}

impl<'c, 'r> Index<'c, 'r> {
    /// Group `checked.effective` for a mesh whose root namespace is `root_ns`.
    pub fn new(checked: &'c Checked<'r>, root_ns: &'c str) -> Index<'c, 'r> {
        let mut index = Index {
            root_ns,
            own: BTreeMap::new(),
            namespace_wide: BTreeMap::new(),
            mesh_wide: Vec::new(),
            root_selectors: Vec::new(),
        };
        for e in &checked.effective {
            let b = &e.binding.item;
            let meta = &b.metadata;
            match Scope::of(b, root_ns) {
                Scope::Mesh => index.mesh_wide.push(e),
                Scope::Namespace => index
                    .namespace_wide
                    .entry(meta.namespace.as_str())
                    .or_default()
                    .push(e),
                Scope::Workload => {
                    index
                        .own
                        .entry((meta.namespace.as_str(), meta.name.as_str()))
                        .or_default()
                        .push(e);
                    if meta.namespace == root_ns && b.spec.selector.is_some() {
                        index.root_selectors.push(e);
                    }
                }
            }
        }
        index
    }

    /// The chain of the workloads `target` binds in `cluster`: its own plugins, the
    /// namespace-wide bindings of its namespace, the mesh-wide bindings, and root-namespace
    /// selector bindings whose labels the target's selector also requires. Sorted by phase, then
    /// priority descending (unset last).
    pub fn chain(&self, target: &Binding, cluster: &str) -> Vec<ChainRow> {
        let meta = &target.metadata;
        let key = (meta.namespace.as_str(), meta.name.as_str());
        let empty = Vec::new();
        let mut entries: Vec<&Effective<'_>> = self.mesh_wide.clone();
        match Scope::of(target, self.root_ns) {
            Scope::Mesh => {}
            Scope::Namespace => {
                entries.extend(self.namespace_wide.get(key.0).unwrap_or(&empty));
            }
            Scope::Workload => {
                entries.extend(self.namespace_wide.get(key.0).unwrap_or(&empty));
                entries.extend(self.own.get(&key).unwrap_or(&empty));
                entries.extend(self.root_selectors.iter().filter(|e| {
                    let from = &e.binding.item;
                    (
                        from.metadata.namespace.as_str(),
                        from.metadata.name.as_str(),
                    ) != key
                        && labels_within(from, target)
                }));
            }
        }
        let mut rows: Vec<ChainRow> = entries
            .into_iter()
            .filter(|e| e.clusters.contains(&cluster))
            .map(|e| {
                let meta = &e.binding.item.metadata;
                ChainRow {
                    phase: e.phase,
                    priority: e.priority,
                    plugin: e.plugin_name().to_string(),
                    version: e.version.version.clone(),
                    source: format!("{}/{}", meta.namespace, meta.name),
                    tie: false,
                }
            })
            .collect();
        order(&mut rows);
        rows
    }
}

/// Sort `rows` into chain order and flag the rows that share a phase and priority.
fn order(rows: &mut [ChainRow]) {
    rows.sort_by(|a, b| order_key(a).cmp(&order_key(b)));
    let keys: Vec<_> = rows.iter().map(|r| (r.phase, r.priority)).collect();
    for (i, row) in rows.iter_mut().enumerate() {
        row.tie = keys
            .iter()
            .enumerate()
            .any(|(j, k)| j != i && *k == (row.phase, row.priority));
    }
}

/// Phase, then priority descending with unset last, then names for a stable order.
fn order_key(r: &ChainRow) -> (Phase, bool, Reverse<Option<i64>>, &str, &str) {
    (
        r.phase,
        r.priority.is_none(),
        Reverse(r.priority),
        &r.plugin,
        &r.source,
    )
}

/// Whether every label `from` selects is also required by `to`'s selector.
fn labels_within(from: &Binding, to: &Binding) -> bool {
    match (&from.spec.selector, &to.spec.selector) {
        (Some(f), Some(t)) => f
            .match_labels
            .iter()
            .all(|(k, v)| t.match_labels.get(k) == Some(v)),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load;
    use std::path::Path;

    fn row(phase: Phase, priority: Option<i64>, plugin: &str) -> ChainRow {
        ChainRow {
            phase,
            priority,
            plugin: plugin.into(),
            version: "1".into(),
            source: "ns/b".into(),
            tie: false,
        }
    }

    #[test]
    fn phase_then_priority_descending_unset_last_and_ties_flagged() {
        let mut rows = vec![
            row(Phase::Unspecified, Some(900), "last-phase"),
            row(Phase::Authz, None, "unset"),
            row(Phase::Authz, Some(10), "low"),
            row(Phase::Authz, Some(500), "high"),
            row(Phase::Authn, Some(1), "first-phase"),
            row(Phase::Authz, Some(10), "low-too"),
        ];
        order(&mut rows);
        let got: Vec<_> = rows.iter().map(|r| (r.plugin.as_str(), r.tie)).collect();
        assert_eq!(
            got,
            [
                ("first-phase", false),
                ("high", false),
                ("low", true),
                ("low-too", true),
                ("unset", false),
                ("last-phase", false),
            ]
        );
    }

    #[test]
    fn example_chains_include_namespace_mesh_and_root_selector_bindings() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/bookinfo");
        let repo = load::load(&root)
            .ok()
            .and_then(|o| o.repo)
            .expect("example loads");
        let checked = crate::check::check(&repo);
        let index = Index::new(&checked, "istio-system");
        let chain_of = |ns: &str, name: &str, cluster: &str| -> Vec<String> {
            let b = repo
                .bindings
                .iter()
                .find(|b| b.item.metadata.namespace == ns && b.item.metadata.name == name)
                .expect("binding");
            index
                .chain(&b.item, cluster)
                .into_iter()
                .map(|r| format!("{}<{}", r.plugin, r.source))
                .collect()
        };
        assert_eq!(
            chain_of("bookinfo", "productpage", "prod-east"),
            [
                "key-auth<bookinfo/productpage",
                "cors<bookinfo/productpage",
                "bot-detect<bookinfo/all-services",
            ]
        );
        // ratings' own binding is for prod-east only; the namespace-wide one reaches it anyway.
        assert_eq!(
            chain_of("bookinfo", "ratings", "staging"),
            ["bot-detect<bookinfo/all-services"]
        );
        // The root namespace's selector binding reaches the gateway in istio-ingress.
        assert_eq!(
            chain_of("istio-ingress", "istio-ingressgateway", "prod-east"),
            [
                "openid-connect<istio-ingress/istio-ingressgateway",
                "istio-basic-auth<istio-system/istio-ingressgateway",
            ]
        );
    }
}
