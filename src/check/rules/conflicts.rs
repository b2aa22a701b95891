//! MP029: two plugins with the same phase and priority that can reach one workload. Istio breaks
//! such ties by creation time, so the order would differ between clusters and after re-creation.

use super::PRIORITY_CONFLICT;
use crate::check::{Diagnostic, Effective};
use crate::load::Repo;
use crate::model::{Binding, Phase};
use std::collections::BTreeMap;

/// Which workloads a binding can reach.
#[derive(Debug, Clone, PartialEq)]
pub enum Reach<'a> {
    /// Root namespace, no selector: every workload of the mesh.
    Mesh,
    /// No selector: every workload of the namespace.
    Namespace(&'a str),
    /// Workloads with these labels, in the namespace (or anywhere, from the root namespace).
    Labels {
        namespace: Option<&'a str>,
        labels: &'a BTreeMap<String, String>,
    },
    /// Named targets (kind, name) in the namespace; GatewayClass targets reach gateways anywhere.
    Targets {
        namespace: &'a str,
        refs: Vec<(&'a str, &'a str)>,
    },
}

impl<'a> Reach<'a> {
    /// The reach of a binding, given the root namespace.
    pub fn of(b: &'a Binding, root_ns: &str) -> Reach<'a> {
        let ns = b.metadata.namespace.as_str();
        let root = ns == root_ns;
        match (&b.spec.selector, &b.spec.target_refs) {
            (Some(sel), _) => Reach::Labels {
                namespace: (!root).then_some(ns),
                labels: &sel.match_labels,
            },
            (None, Some(refs)) => Reach::Targets {
                namespace: ns,
                refs: refs
                    .iter()
                    .map(|r| (r.kind.as_str(), r.name.as_str()))
                    .collect(),
            },
            (None, None) if root => Reach::Mesh,
            (None, None) => Reach::Namespace(ns),
        }
    }

    fn namespace(&self) -> Option<&'a str> {
        match self {
            Reach::Mesh => None,
            Reach::Namespace(n) => Some(n),
            Reach::Labels { namespace, .. } => *namespace,
            Reach::Targets { namespace, refs } => {
                (!refs.iter().any(|(k, _)| *k == "GatewayClass")).then_some(*namespace)
            }
        }
    }

    /// Whether some workload could be reached by both.
    pub fn overlaps(&self, other: &Reach<'a>) -> bool {
        let same_ns = match (self.namespace(), other.namespace()) {
            (Some(a), Some(b)) => a == b,
            _ => true,
        };
        if !same_ns {
            return false;
        }
        match (self, other) {
            (Reach::Mesh, _)
            | (_, Reach::Mesh)
            | (Reach::Namespace(_), _)
            | (_, Reach::Namespace(_)) => true,
            (Reach::Labels { labels: a, .. }, Reach::Labels { labels: b, .. }) => {
                a.iter().all(|(k, v)| b.get(k).is_none_or(|w| w == v))
            }
            (Reach::Targets { refs: a, .. }, Reach::Targets { refs: b, .. }) => {
                a.iter().any(|(ka, na)| {
                    b.iter().any(|(kb, nb)| {
                        (ka == kb && na == nb) || *ka == "GatewayClass" || *kb == "GatewayClass"
                    })
                })
            }
            (Reach::Labels { labels, .. }, Reach::Targets { refs, .. })
            | (Reach::Targets { refs, .. }, Reach::Labels { labels, .. }) => {
                // A Gateway's pods carry its name under these labels; other targets are waypoints,
                // where selectors are ignored.
                refs.iter().any(|(kind, name)| {
                    *kind == "GatewayClass"
                        || (*kind == "Gateway"
                            && labels.iter().all(|(k, v)| {
                                (k == "gateway.networking.k8s.io/gateway-name"
                                    || k == "istio.io/gateway-name")
                                    && v == name
                            }))
                })
            }
        }
    }
}

/// Report every pair of entries with one phase and priority whose reaches overlap in a cluster.
pub fn check_priority_conflicts(repo: &Repo, effective: &[Effective<'_>]) -> Vec<Diagnostic> {
    let root_ns = repo.config.item.spec.root_namespace.as_str();
    type Group<'a, 'r> = Vec<(&'a Effective<'r>, Reach<'a>)>;
    let mut groups: BTreeMap<(Phase, Option<i64>), Group<'_, '_>> = BTreeMap::new();
    for e in effective {
        groups
            .entry((e.phase, e.priority))
            .or_default()
            .push((e, Reach::of(&e.binding.item, root_ns)));
    }
    let mut out = Vec::new();
    for ((phase, priority), members) in &groups {
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
            let shared: Vec<&str> = a
                .clusters
                .iter()
                .copied()
                .filter(|c| b.clusters.contains(c))
                .collect();
            if shared.is_empty() || !ra.overlaps(rb) {
                continue;
            }
            let (first, second) = if (a.path(), a.index) <= (b.path(), b.index) {
                (a, b)
            } else {
                (b, a)
            };
            let pr = priority.map_or("unset".to_string(), |p| p.to_string());
            let first_place = first.binding.doc.place(&first.pointer());
            first
                .binding
                .doc
                .source
                .line_col(first.binding.doc.spans.locate(&first.pointer()).value.start as usize);
            let ptr = if second.binding.item.spec.plugins[second.index]
                .priority
                .is_some()
            {
                format!("{}/priority", second.pointer())
            } else {
                second.pointer()
            };
            out.push(
                second
                    .binding
                    .doc
                    .diag(&PRIORITY_CONFLICT, &ptr, format!(
                        "`{}` and `{}` ({first_place}) both run in phase {} with priority {pr} and can reach the same workloads (cluster {})",
                        second.plugin_name(), first.plugin_name(), phase.as_str(), shared.join(", ")
                    ))
                    .label("same phase and priority")
                    .help("give one of them a different priority; Istio would order them by creation time, which differs between clusters"),
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
