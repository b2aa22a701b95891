//! Attachment: which workloads a binding reaches, on which traffic, and which workloads are
//! gateways. The one place the overlap rule (MP029), the Istio rules, `explain`, `lint`,
//! `import` and the site ask.

use super::{Binding, PortSelector, TargetRef, TrafficSelector, WorkloadMode};
use std::collections::BTreeMap;

/// Label keys that mark a gateway workload.
pub const GATEWAY_LABELS: [&str; 2] = [GATEWAY_API_LABEL, "istio.io/gateway-name"];

/// The label Gateway API implementations put on a Gateway's pods, with the Gateway's name.
pub const GATEWAY_API_LABEL: &str = "gateway.networking.k8s.io/gateway-name";

/// Whether the binding targets a gateway (by selector or targetRefs).
pub fn targets_gateway(b: &Binding) -> bool {
    selects_gateway(
        b.spec.selector.as_ref().map(|s| &s.match_labels),
        b.spec.target_refs.as_deref().unwrap_or_default(),
    )
}

/// Whether a selector's labels or targetRefs name a gateway.
pub fn selects_gateway(labels: Option<&BTreeMap<String, String>>, refs: &[TargetRef]) -> bool {
    labels.is_some_and(labels_mark_gateway)
        || refs
            .iter()
            .any(|r| r.kind == "Gateway" || r.kind == "GatewayClass")
}

/// Whether workload labels mark a gateway (`istio: ...gateway` or a gateway-name label).
pub fn labels_mark_gateway(labels: &BTreeMap<String, String>) -> bool {
    labels.iter().any(|(k, v)| {
        GATEWAY_LABELS.contains(&k.as_str()) || (k == "istio" && v.ends_with("gateway"))
    })
}

/// The gateway name a workload's labels carry (Gateway API or Istio label), if any.
pub fn gateway_name(labels: &BTreeMap<String, String>) -> Option<&str> {
    GATEWAY_LABELS
        .iter()
        .find_map(|k| labels.get(*k))
        .map(String::as_str)
}

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

    /// The one namespace every workload it reaches is in; `None` when it reaches several.
    pub fn namespace(&self) -> Option<&'a str> {
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
                            && labels
                                .iter()
                                .all(|(k, v)| GATEWAY_LABELS.contains(&k.as_str()) && v == name))
                })
            }
        }
    }
}

/// Whether two entries' `match` lists can select the same traffic: an empty list matches all;
/// otherwise some pair of entries must agree on the direction and share a port (no ports: all).
pub fn traffic_overlaps(a: &[TrafficSelector], b: &[TrafficSelector]) -> bool {
    let modes = |x: Option<WorkloadMode>, y: Option<WorkloadMode>| {
        !matches!(
            (x, y),
            (Some(WorkloadMode::Client), Some(WorkloadMode::Server))
                | (Some(WorkloadMode::Server), Some(WorkloadMode::Client))
        )
    };
    let ports = |x: &[PortSelector], y: &[PortSelector]| {
        x.is_empty() || y.is_empty() || x.iter().any(|p| y.contains(p))
    };
    a.is_empty()
        || b.is_empty()
        || a.iter().any(|x| {
            b.iter()
                .any(|y| modes(x.mode, y.mode) && ports(&x.ports, &y.ports))
        })
}

/// The labels every workload `b` picks carries: its selector's, and the gateway-name label of the
/// Gateways it targets.
pub fn picked_labels(b: &Binding) -> BTreeMap<String, String> {
    let mut l = b
        .spec
        .selector
        .as_ref()
        .map(|s| s.match_labels.clone())
        .unwrap_or_default();
    for r in b.spec.target_refs.iter().flatten() {
        if r.kind == "Gateway" {
            l.insert(GATEWAY_API_LABEL.into(), r.name.clone());
        }
    }
    l
}
