//! The effective filter chain of one workload, as Istio builds it: every plugin that reaches the
//! workload (mesh-wide, namespace-wide, by selector or targetRef), in phase then priority order,
//! with Istio's own filters as markers and ties that Istio breaks by creation time flagged.
//!
//! Ordering follows istiod (`push_context.go`): plugins are grouped by phase; within a phase a
//! stable sort puts higher priorities first and an unset priority last (it counts as MinInt32);
//! ties keep their input order, which is the workload's namespace first, then the root namespace,
//! and within one namespace the creation time, which git cannot know.
//!
//! The workload is either named (`meshplug explain`: [`Workload::new`], labels given or guessed)
//! or the one a binding picks ([`Workload::picked_by`], the site's service pages).

use crate::check::{Checked, Effective};
use crate::load::Repo;
use crate::model::attach::{
    Reach, gateway_name, labels_mark_gateway, picked_labels, targets_gateway,
};
use crate::model::{Binding, Phase, PluginType, TrafficSelector, WorkloadMode};
use crate::views::status::LiveObject;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// The workload whose chain is explained.
#[derive(Debug, Clone, Serialize)]
pub struct Workload {
    /// Its namespace.
    pub namespace: String,
    /// Its service (or gateway) name; for a waypoint, the Service or ServiceEntry it serves.
    pub name: String,
    /// Its pod labels.
    pub labels: BTreeMap<String, String>,
    /// True when the labels were not given but inferred (`app: <name>` plus the selector of the
    /// binding named after the workload).
    pub labels_assumed: bool,
    /// Whether it is a gateway (its traffic then counts as CLIENT).
    pub gateway: bool,
    /// Whether it is the waypoint serving `name`: it takes only plugins whose targetRefs name it
    /// (selectors and namespace- or mesh-wide plugins are ignored on waypoints), and its traffic
    /// counts as inbound (SERVER).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub waypoint: bool,
}

impl Workload {
    /// The workload `namespace/name`: with `labels` as given, or else inferred from the bindings.
    pub fn new(
        repo: &Repo,
        namespace: &str,
        name: &str,
        labels: Option<BTreeMap<String, String>>,
    ) -> Workload {
        let labels_assumed = labels.is_none();
        let mut gateway = false;
        let labels = match labels {
            Some(l) => l,
            None => {
                let mut l = BTreeMap::from([("app".to_string(), name.to_string())]);
                for b in repo
                    .bindings
                    .iter()
                    .map(|b| &b.item)
                    .filter(|b| b.metadata.namespace == namespace && b.metadata.name == name)
                {
                    gateway |= targets_gateway(b);
                    l.extend(picked_labels(b));
                }
                l
            }
        };
        gateway |= labels_mark_gateway(&labels);
        Workload {
            namespace: namespace.to_string(),
            name: name.to_string(),
            labels,
            labels_assumed,
            gateway,
            waypoint: false,
        }
    }

    /// The workloads `binding` picks, as one workload with no label but those the binding
    /// requires: its selector's labels, or the gateway a Gateway targetRef names (a GatewayClass
    /// targetRef: some gateway of the class), or the waypoint of the first Service or
    /// ServiceEntry it targets. With neither, any workload of the binding's namespace (of the
    /// mesh, from the root namespace). Every plugin of `binding` reaches it, except those whose
    /// `match` never selects its traffic.
    pub fn picked_by(binding: &Binding) -> Workload {
        let labels = picked_labels(binding);
        let gateway = targets_gateway(binding) || labels_mark_gateway(&labels);
        let waypoint = (!gateway)
            .then(|| binding.spec.target_refs.iter().flatten().next())
            .flatten();
        Workload {
            namespace: binding.metadata.namespace.clone(),
            name: waypoint.map_or(&binding.metadata.name, |r| &r.name).clone(),
            labels,
            labels_assumed: false,
            gateway,
            waypoint: waypoint.is_some(),
        }
    }
}

/// The explanation: the workload and its chain in each cluster.
#[derive(Debug, Clone, Serialize)]
pub struct Explanation {
    /// The workload.
    pub workload: Workload,
    /// One chain per cluster explained.
    pub clusters: Vec<Chain>,
}

/// The chain of one workload in one cluster.
#[derive(Debug, Clone, Serialize)]
pub struct Chain {
    /// The cluster.
    pub cluster: String,
    /// The HTTP filters in order, Istio's own as markers.
    pub filters: Vec<Filter>,
    /// NETWORK plugins, in the same phase order (they run in the L4 filter chain).
    pub network: Vec<PluginFilter>,
    /// Plugins bound to the workload that do not run in this chain, with the reason.
    pub skipped: Vec<Skipped>,
}

/// One filter of the chain.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[allow(clippy::large_enum_variant)] // a chain holds a handful of filters; boxing buys nothing
pub enum Filter {
    /// A filter Istio adds itself.
    Istio {
        /// Short name.
        name: &'static str,
        /// What it does.
        description: &'static str,
    },
    /// A Wasm plugin from the repository.
    Plugin(PluginFilter),
}

/// A Wasm plugin in the chain.
#[derive(Debug, Clone, Serialize)]
pub struct PluginFilter {
    /// 1-based position among the plugins of the chain.
    pub position: usize,
    /// Catalog name.
    pub plugin: String,
    /// Version used.
    pub version: String,
    /// Phase.
    pub phase: Phase,
    /// Priority (unset sorts last).
    pub priority: Option<i64>,
    /// How the binding reaches the workload.
    pub scope: Scope,
    /// The binding, `namespace/name`.
    pub binding: String,
    /// The binding's file.
    pub file: String,
    /// The rendered WasmPlugin's name.
    pub wasmplugin: String,
    /// Traffic the plugin sees on this workload.
    pub traffic: Traffic,
    /// Set when Istio orders this plugin against others of the same group by creation time:
    /// the group number (1, 2, ...) shared by the tied plugins.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tie: Option<usize>,
    /// Set for a live object meshplug does not manage (`explain --live`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unmanaged: Option<Box<Unmanaged>>,
}

/// A live WasmPlugin or Wasm TrafficExtension that meshplug does not manage.
#[derive(Debug, Clone, Serialize)]
pub struct Unmanaged {
    /// `WasmPlugin` or `TrafficExtension`.
    pub kind: String,
    /// `namespace/name`.
    pub name: String,
    /// Its `metadata.creationTimestamp`, when the dump has it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created: Option<String>,
    /// The ordering hazard: it ties with other plugins reaching the workload (same phase and
    /// priority), and Istio breaks the tie by creation time.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hazard: Option<String>,
}

/// How a binding reaches the workload.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// Root namespace without selector: every workload of the mesh.
    Mesh,
    /// No selector: every workload of the namespace.
    Namespace,
    /// A selector in the workload's namespace.
    Selector,
    /// A selector in the root namespace: matching workloads in every namespace.
    MeshSelector,
    /// A Gateway targetRef naming this gateway.
    Gateway,
    /// A GatewayClass targetRef: every gateway of that class (the class is not in git; it is
    /// assumed to be this gateway's).
    GatewayClass,
    /// A Service or ServiceEntry targetRef naming the service this waypoint serves.
    Service,
}

impl Scope {
    /// A short word for tables.
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Mesh => "mesh",
            Scope::Namespace => "namespace",
            Scope::Selector => "selector",
            Scope::MeshSelector => "mesh-selector",
            Scope::Gateway => "gateway",
            Scope::GatewayClass => "gatewayclass",
            Scope::Service => "service",
        }
    }

    /// Input-order rank of the WasmPlugin's namespace: the workload's own first, then root.
    fn namespace_rank(self) -> u8 {
        match self {
            Scope::Namespace | Scope::Selector | Scope::Gateway | Scope::Service => 0,
            Scope::Mesh | Scope::MeshSelector | Scope::GatewayClass => 1,
        }
    }
}

/// Ports of one direction: all, or a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Ports {
    /// Every port (`"all"`).
    All(AllPorts),
    /// Only these ports.
    Some(BTreeSet<u32>),
}

/// The word `all`, for [`Ports::All`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AllPorts {
    /// Every port.
    All,
}

impl Ports {
    fn union(a: Option<Ports>, b: Ports) -> Ports {
        match (a, b) {
            (None, b) => b,
            (Some(Ports::All(x)), _) | (_, Ports::All(x)) => Ports::All(x),
            (Some(Ports::Some(mut x)), Ports::Some(y)) => {
                x.extend(y);
                Ports::Some(x)
            }
        }
    }

    fn overlaps(&self, other: &Ports) -> bool {
        match (self, other) {
            (Ports::Some(a), Ports::Some(b)) => a.intersection(b).next().is_some(),
            _ => true,
        }
    }

    fn text(&self) -> String {
        match self {
            Ports::All(_) => String::new(),
            Ports::Some(p) => {
                let list: Vec<String> = p.iter().map(|n| format!(":{n}")).collect();
                format!(" {}", list.join(","))
            }
        }
    }
}

/// The traffic a plugin sees: inbound (SERVER) and outbound (CLIENT) ports. Gateways have only
/// outbound traffic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Traffic {
    /// Inbound ports, when the plugin runs on inbound traffic.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inbound: Option<Ports>,
    /// Outbound ports, when the plugin runs on outbound traffic.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outbound: Option<Ports>,
}

impl Traffic {
    /// The traffic a `match` list selects on `w`: a sidecar has both directions, a gateway only
    /// outbound (CLIENT) and a waypoint only inbound (SERVER).
    fn of(e: &Effective<'_>, w: &Workload) -> Traffic {
        Traffic::of_match(e.r#match, w)
    }

    fn of_match(selectors: &[TrafficSelector], w: &Workload) -> Traffic {
        let (inbound, outbound) = (!w.gateway, !w.waypoint);
        let mut t = Traffic {
            inbound: None,
            outbound: None,
        };
        let all = || Ports::All(AllPorts::All);
        if selectors.is_empty() {
            t.outbound = outbound.then(all);
            t.inbound = inbound.then(all);
            return t;
        }
        for sel in selectors {
            let ports = if sel.ports.is_empty() {
                all()
            } else {
                Ports::Some(sel.ports.iter().map(|p| p.number).collect())
            };
            let (server, client) = match sel.mode {
                Some(WorkloadMode::Client) => (false, true),
                Some(WorkloadMode::Server) => (true, false),
                _ => (true, true),
            };
            if server && inbound {
                t.inbound = Some(Ports::union(t.inbound.take(), ports.clone()));
            }
            if client && outbound {
                t.outbound = Some(Ports::union(t.outbound.take(), ports));
            }
        }
        t
    }

    fn is_empty(&self) -> bool {
        self.inbound.is_none() && self.outbound.is_none()
    }

    fn overlaps(&self, other: &Traffic) -> bool {
        let both = |a: &Option<Ports>, b: &Option<Ports>| match (a, b) {
            (Some(a), Some(b)) => a.overlaps(b),
            _ => false,
        };
        both(&self.inbound, &other.inbound) || both(&self.outbound, &other.outbound)
    }

    /// `in`, `out`, `in+out` or `all` (gateway), with ports.
    pub fn text(&self, gateway: bool) -> String {
        match (&self.inbound, &self.outbound) {
            (None, Some(o)) if gateway => format!("all{}", o.text()),
            (Some(i), Some(o)) if i == o => format!("in+out{}", i.text()),
            (Some(i), Some(o)) => format!("in{}, out{}", i.text(), o.text()),
            (Some(i), None) => format!("in{}", i.text()),
            (None, Some(o)) => format!("out{}", o.text()),
            (None, None) => "none".into(),
        }
    }
}

/// A plugin bound to the workload that does not run in the chain.
#[derive(Debug, Clone, Serialize)]
pub struct Skipped {
    /// Catalog name.
    pub plugin: String,
    /// The binding, `namespace/name`.
    pub binding: String,
    /// Why it does not run here.
    pub reason: String,
}

/// Istio's own filters, each placed before the plugins of one phase (`None`: after all phases).
const MARKERS: [(Option<Phase>, &str, &str); 6] = [
    (
        Some(Phase::Authn),
        "metadata-exchange",
        "Istio: peer metadata exchange",
    ),
    (
        Some(Phase::Authn),
        "ext_authz (CUSTOM)",
        "Istio: CUSTOM AuthorizationPolicy; no plugin phase runs before it",
    ),
    (
        Some(Phase::Authz),
        "authn (jwt)",
        "Istio: PeerAuthentication and RequestAuthentication (JWT)",
    ),
    (
        Some(Phase::Stats),
        "rbac",
        "Istio: ALLOW and DENY AuthorizationPolicy",
    ),
    (
        Some(Phase::Unspecified),
        "stats",
        "Istio: telemetry (stats)",
    ),
    (None, "router", "Envoy: routes the request upstream"),
];

/// Explain `workload` in `cluster` (or in every cluster of the repository).
pub fn explain(
    repo: &Repo,
    checked: &Checked<'_>,
    workload: Workload,
    cluster: Option<&str>,
) -> Explanation {
    let mut clusters = repo.config.item.spec.cluster_names();
    clusters.retain(|c| cluster.is_none_or(|want| want == *c));
    let chains = clusters
        .into_iter()
        .map(|c| chain(repo, checked, &workload, c, &[]))
        .collect();
    Explanation {
        workload,
        clusters: chains,
    }
}

/// Explain `workload` as [`explain`] does, with the live objects of the cluster that meshplug
/// does not manage (WasmPlugins without meshplug's labels, Wasm TrafficExtensions) merged into
/// each chain in Istio's order, marked unmanaged, with their ordering hazards. `live` is one
/// cluster's dump, so `cluster` should name that cluster when the repository has several.
pub fn explain_live(
    repo: &Repo,
    checked: &Checked<'_>,
    workload: Workload,
    cluster: Option<&str>,
    live: &[LiveObject],
) -> Explanation {
    let mut clusters = repo.config.item.spec.cluster_names();
    clusters.retain(|c| cluster.is_none_or(|want| want == *c));
    let unmanaged: Vec<&LiveObject> = live
        .iter()
        .filter(|o| !o.is_managed() && !o.is_lua())
        .collect();
    let chains = clusters
        .into_iter()
        .map(|c| chain(repo, checked, &workload, c, &unmanaged))
        .collect();
    Explanation {
        workload,
        clusters: chains,
    }
}

/// How a live object reaches `w`, as [`reach`] for a binding: its namespace, `selector`,
/// `targetRefs` (and a WasmPlugin's deprecated `targetRef`).
fn reach_live(
    o: &LiveObject,
    w: &Workload,
    root_ns: &str,
) -> Result<Option<Scope>, Option<String>> {
    let labels: Option<BTreeMap<String, String>> = o
        .spec
        .pointer("/selector/matchLabels")
        .and_then(|l| serde_json::from_value(l.clone()).ok())
        .or_else(|| o.spec.get("selector").map(|_| BTreeMap::new()));
    let mut refs: Vec<(String, String)> = Vec::new();
    let text = |v: &serde_json::Value, k: &str| {
        v.get(k)
            .and_then(serde_json::Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    for r in o
        .spec
        .get("targetRefs")
        .and_then(serde_json::Value::as_array)
        .into_iter()
        .flatten()
        .chain(o.spec.get("targetRef"))
    {
        refs.push((text(r, "kind"), text(r, "name")));
    }
    let root = o.namespace == root_ns;
    let reach = match (&labels, refs.is_empty()) {
        (Some(l), _) => Reach::Labels {
            namespace: (!root).then_some(o.namespace.as_str()),
            labels: l,
        },
        (None, false) => Reach::Targets {
            namespace: &o.namespace,
            refs: refs.iter().map(|(k, n)| (k.as_str(), n.as_str())).collect(),
        },
        (None, true) if root => Reach::Mesh,
        (None, true) => Reach::Namespace(&o.namespace),
    };
    reach_by(reach, w)
}

/// How the binding of `e` reaches `w`, if it does; `Err` explains a targetRef that never will.
fn reach(e: &Effective<'_>, w: &Workload, root_ns: &str) -> Result<Option<Scope>, Option<String>> {
    reach_by(Reach::of(&e.binding.item, root_ns), w)
}

fn reach_by(reach: Reach<'_>, w: &Workload) -> Result<Option<Scope>, Option<String>> {
    let subset =
        |labels: &BTreeMap<String, String>| labels.iter().all(|(k, v)| w.labels.get(k) == Some(v));
    if w.waypoint && !matches!(reach, Reach::Targets { .. }) {
        return Ok(None);
    }
    Ok(match reach {
        Reach::Mesh => Some(Scope::Mesh),
        Reach::Namespace(ns) => (ns == w.namespace).then_some(Scope::Namespace),
        Reach::Labels {
            namespace: None,
            labels,
        } => subset(labels).then_some(Scope::MeshSelector),
        Reach::Labels {
            namespace: Some(ns),
            labels,
        } => (ns == w.namespace && subset(labels)).then_some(Scope::Selector),
        Reach::Targets { namespace, refs } => {
            let own_gateway = gateway_name(&w.labels);
            let mut scope = None;
            let mut waypoint = None;
            for (kind, name) in refs {
                match kind {
                    "Gateway" if namespace == w.namespace && own_gateway == Some(name) => {
                        scope = Some(Scope::Gateway)
                    }
                    "GatewayClass" if (w.gateway || w.waypoint) && scope.is_none() => {
                        scope = Some(Scope::GatewayClass)
                    }
                    "Service" | "ServiceEntry" if namespace == w.namespace && name == w.name => {
                        if w.waypoint {
                            scope = Some(Scope::Service)
                        } else {
                            waypoint = Some(format!(
                                "attaches to the waypoint serving {kind} {name}, not to this workload's proxy"
                            ))
                        }
                    }
                    _ => {}
                }
            }
            match (scope, waypoint) {
                (Some(s), _) => Some(s),
                (None, Some(why)) => return Err(Some(why)),
                (None, None) => None,
            }
        }
    })
}

fn chain(
    repo: &Repo,
    checked: &Checked<'_>,
    w: &Workload,
    cluster: &str,
    live: &[&LiveObject],
) -> Chain {
    let root_ns = repo.config.item.spec.root_namespace.as_str();
    let mut plugins = Vec::new();
    let mut skipped = Vec::new();
    for e in checked
        .effective
        .iter()
        .filter(|e| e.clusters.contains(&cluster))
    {
        let binding = || format!("{}/{}", e.namespace(), e.binding.item.metadata.name);
        let scope = match reach(e, w, root_ns) {
            Ok(Some(s)) => s,
            Ok(None) | Err(None) => continue,
            Err(Some(reason)) => {
                skipped.push(Skipped {
                    plugin: e.plugin_name().to_string(),
                    binding: binding(),
                    reason,
                });
                continue;
            }
        };
        let binding = binding();
        let traffic = Traffic::of(e, w);
        if traffic.is_empty() {
            skipped.push(Skipped {
                plugin: e.plugin_name().to_string(),
                binding,
                reason: if w.waypoint {
                    "match mode CLIENT only: waypoints count as SERVER, so it never runs here"
                } else {
                    "match mode SERVER only: gateways count as CLIENT, so it never runs here"
                }
                .into(),
            });
            continue;
        }
        let network = e.plugin_type == Some(PluginType::Network);
        plugins.push((
            network,
            PluginFilter {
                position: 0,
                plugin: e.plugin_name().to_string(),
                version: e.version.version.clone(),
                phase: e.phase,
                priority: e.priority,
                scope,
                binding,
                file: e.path().to_string(),
                wasmplugin: crate::model::wasmplugin_name(
                    &e.binding.item.metadata.name,
                    e.plugin_name(),
                ),
                traffic,
                tie: None,
                unmanaged: None,
            },
        ));
    }
    for o in live {
        let name = format!("{}/{}", o.namespace, o.name);
        let scope = match reach_live(o, w, root_ns) {
            Ok(Some(s)) => s,
            Ok(None) | Err(None) => continue,
            Err(Some(reason)) => {
                skipped.push(Skipped {
                    plugin: o.name.clone(),
                    binding: format!("live {} {name}", o.kind),
                    reason,
                });
                continue;
            }
        };
        let selectors: Vec<TrafficSelector> = o
            .spec
            .get("match")
            .and_then(|m| serde_json::from_value(m.clone()).ok())
            .unwrap_or_default();
        let traffic = Traffic::of_match(&selectors, w);
        if traffic.is_empty() {
            continue;
        }
        let network = o.spec.get("type").and_then(serde_json::Value::as_str) == Some("NETWORK");
        plugins.push((
            network,
            PluginFilter {
                position: 0,
                plugin: o.name.clone(),
                version: o
                    .labels
                    .get("meshplug.io/version")
                    .cloned()
                    .unwrap_or_else(|| "-".into()),
                phase: o
                    .spec
                    .get("phase")
                    .and_then(|p| serde_json::from_value(p.clone()).ok())
                    .unwrap_or(Phase::Unspecified),
                priority: o.spec.get("priority").and_then(serde_json::Value::as_i64),
                scope,
                binding: "(not in git)".into(),
                file: String::new(),
                wasmplugin: o.name.clone(),
                traffic,
                tie: None,
                unmanaged: Some(Box::new(Unmanaged {
                    kind: o.kind.clone(),
                    name,
                    created: o.created.clone(),
                    hazard: None,
                })),
            },
        ));
    }
    // Istio's order; the file and name only make the display of a tie deterministic.
    plugins.sort_by(|(_, a), (_, b)| {
        (
            a.phase,
            std::cmp::Reverse(a.priority.unwrap_or(i64::from(i32::MIN))),
            a.scope.namespace_rank(),
            &a.file,
            &a.plugin,
        )
            .cmp(&(
                b.phase,
                std::cmp::Reverse(b.priority.unwrap_or(i64::from(i32::MIN))),
                b.scope.namespace_rank(),
                &b.file,
                &b.plugin,
            ))
    });
    let (network, http): (Vec<_>, Vec<_>) = plugins.into_iter().partition(|(n, _)| *n);
    let mut http: Vec<PluginFilter> = http.into_iter().map(|(_, p)| p).collect();
    let mut network: Vec<PluginFilter> = network.into_iter().map(|(_, p)| p).collect();
    let mut group = 0;
    for list in [&mut http, &mut network] {
        mark_ties(list, &mut group);
        for (i, p) in list.iter_mut().enumerate() {
            p.position = i + 1;
        }
        mark_hazards(list);
    }
    let mut filters = Vec::new();
    let mut rest = http.into_iter().peekable();
    for (before, name, description) in MARKERS {
        while let Some(p) = rest.next_if(|p| before.is_none_or(|b| p.phase < b)) {
            filters.push(Filter::Plugin(p));
        }
        filters.push(Filter::Istio { name, description });
    }
    Chain {
        cluster: cluster.to_string(),
        filters,
        network,
        skipped,
    }
}

/// Number the groups of plugins whose relative order Istio takes from creation time: same phase,
/// same priority, same namespace rank, and some traffic in common.
fn mark_ties(list: &mut [PluginFilter], group: &mut usize) {
    let key = |p: &PluginFilter| (p.phase, p.priority, p.scope.namespace_rank());
    let mut i = 0;
    while i < list.len() {
        let mut j = i + 1;
        while j < list.len() && key(&list[j]) == key(&list[i]) {
            j += 1;
        }
        let run = i..j;
        let tied: Vec<usize> = run
            .clone()
            .filter(|&a| {
                run.clone()
                    .any(|b| b != a && list[a].traffic.overlaps(&list[b].traffic))
            })
            .collect();
        if !tied.is_empty() {
            *group += 1;
            for a in tied {
                list[a].tie = Some(*group);
            }
        }
        i = j;
    }
}

/// The hazard of each tied unmanaged plugin: the plugins it ties with, and why that matters.
fn mark_hazards(list: &mut [PluginFilter]) {
    let describe = |p: &PluginFilter| match &p.unmanaged {
        Some(u) => format!("{} ({} {}, unmanaged)", p.position, u.kind, u.name),
        None => format!("{} ({} {}, {})", p.position, p.plugin, p.version, p.binding),
    };
    let texts: Vec<Option<String>> = list
        .iter()
        .map(|p| {
            let g = p.tie.filter(|_| p.unmanaged.is_some())?;
            let others: Vec<String> = list
                .iter()
                .filter(|q| q.tie == Some(g) && q.position != p.position)
                .map(describe)
                .collect();
            Some(format!(
                "{} shares phase {} and priority {} with {}: Istio breaks the tie by creation time, so their order is not fixed by git",
                describe(p),
                p.phase.as_str().trim_end_matches("_PHASE"),
                p.priority.map_or("unset".into(), |n| n.to_string()),
                others.join(", ")
            ))
        })
        .collect();
    for (p, t) in list.iter_mut().zip(texts) {
        if let Some(u) = &mut p.unmanaged {
            u.hazard = t;
        }
    }
}

impl Explanation {
    /// The explanation as text tables, at most `width` columns wide: one per cluster, or one for
    /// several clusters whose chains are the same.
    pub fn to_table(&self, width: usize) -> String {
        let w = &self.workload;
        let labels: Vec<String> = w.labels.iter().map(|(k, v)| format!("{k}={v}")).collect();
        let mut out = format!(
            "{}/{} ({}; labels {}{})\n",
            w.namespace,
            w.name,
            if w.gateway { "gateway" } else { "sidecar" },
            labels.join(","),
            if w.labels_assumed {
                ", assumed: pass --labels to set them"
            } else {
                ""
            }
        );
        // Clusters with the same chain share one table, in the order they are declared.
        let mut groups: Vec<(Vec<&str>, String)> = Vec::new();
        for chain in &self.clusters {
            let text = chain.to_table(w.gateway, width);
            match groups.iter_mut().find(|(_, t)| *t == text) {
                Some((names, _)) => names.push(&chain.cluster),
                None => groups.push((vec![&chain.cluster], text)),
            }
        }
        for (names, text) in groups {
            let word = if names.len() == 1 {
                "cluster"
            } else {
                "clusters"
            };
            out.push_str(&format!("\n{word} {}:\n{text}", names.join(", ")));
        }
        if self.clusters.is_empty() {
            out.push_str("no cluster to explain\n");
        }
        out
    }
}

impl Chain {
    /// This chain as a table followed by notes on ties and skipped plugins.
    fn to_table(&self, gateway: bool, width: usize) -> String {
        use crate::text::Table;
        let mut t = Table::new(&[
            "#", "FILTER", "PHASE", "PRIO", "SCOPE", "TRAFFIC", "BINDING",
        ])
        .flexible(&[6, 1]);
        let mut ties = BTreeMap::<usize, Vec<String>>::new();
        let mut row = |t: &mut Table, p: &PluginFilter, suffix: &str| {
            if let Some(g) = p.tie {
                ties.entry(g).or_default().push(p.position.to_string());
            }
            let filter = match &p.unmanaged {
                Some(u) => format!("{} ({}, unmanaged)", p.plugin, u.kind),
                None => format!("{} {}{suffix}", p.plugin, p.version),
            };
            t.row(vec![
                format!("{}{}", p.position, if p.tie.is_some() { "!" } else { "" }),
                filter,
                p.phase.as_str().trim_end_matches("_PHASE").to_string(),
                p.priority.map_or("unset".into(), |n| n.to_string()),
                p.scope.as_str().into(),
                p.traffic.text(gateway),
                p.binding.clone(),
            ]);
        };
        for f in &self.filters {
            match f {
                Filter::Istio { name, .. } => t.row(vec!["".into(), format!("· {name}")]),
                Filter::Plugin(p) => row(&mut t, p, ""),
            }
        }
        if !self.network.is_empty() {
            t.row(vec!["".into(), "network filters (L4):".into()]);
        }
        for p in &self.network {
            row(&mut t, p, "");
        }
        let mut out = t.render(width);
        let mut notes = vec!["· = Istio's own filter".to_string()];
        for (g, members) in &ties {
            notes.push(format!(
                "! tie {g}: plugins {} share phase and priority; their order depends on creation time",
                members.join(", ")
            ));
        }
        for p in self
            .filters
            .iter()
            .filter_map(|f| match f {
                Filter::Plugin(p) => Some(p),
                Filter::Istio { .. } => None,
            })
            .chain(&self.network)
        {
            if let Some(h) = p.unmanaged.as_ref().and_then(|u| u.hazard.as_ref()) {
                notes.push(format!("! unmanaged: {h}"));
            }
        }
        for s in &self.skipped {
            notes.push(format!(
                "not in this chain: {} ({}): {}",
                s.plugin, s.binding, s.reason
            ));
        }
        for note in notes {
            for (i, line) in crate::text::wrap(&note, width.saturating_sub(2).max(20))
                .into_iter()
                .enumerate()
            {
                out.push_str(if i == 0 { "" } else { "  " });
                out.push_str(&line);
                out.push('\n');
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::testkit::{binding, plugin, repo};
    use std::path::Path;

    /// `plugin<binding>` for every plugin of `cluster`'s chain, HTTP then NETWORK, and the
    /// skipped ones as `-plugin<binding>`.
    fn chain_of(repo: &Repo, b: (&str, &str), cluster: &str) -> Vec<String> {
        let checked = crate::check::check(repo);
        let target = repo
            .bindings
            .iter()
            .find(|x| {
                (
                    x.item.metadata.namespace.as_str(),
                    x.item.metadata.name.as_str(),
                ) == b
            })
            .expect("binding");
        let e = explain(
            repo,
            &checked,
            Workload::picked_by(&target.item),
            Some(cluster),
        );
        let chain = &e.clusters[0];
        let http = chain.filters.iter().filter_map(|f| match f {
            Filter::Plugin(p) => Some(p),
            Filter::Istio { .. } => None,
        });
        http.chain(&chain.network)
            .map(|p| format!("{}<{}", p.plugin, p.binding))
            .chain(
                chain
                    .skipped
                    .iter()
                    .map(|s| format!("-{}<{}", s.plugin, s.binding)),
            )
            .collect()
    }

    #[test]
    fn the_workloads_a_binding_picks_get_every_plugin_that_reaches_them() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/bookinfo");
        let repo = crate::load::load(&root)
            .ok()
            .and_then(|o| o.repo)
            .expect("example loads");
        assert_eq!(
            chain_of(&repo, ("bookinfo", "productpage"), "prod-east"),
            [
                "key-auth<bookinfo/productpage",
                "cors<bookinfo/productpage",
                "bot-detect<bookinfo/all-services",
            ]
        );
        // ratings' own binding is for prod-east only; the namespace-wide one reaches it anyway.
        assert_eq!(
            chain_of(&repo, ("bookinfo", "ratings"), "staging"),
            ["bot-detect<bookinfo/all-services"]
        );
        // Pods labelled app=reviews,version=v3 match the selector app=reviews too.
        assert_eq!(
            chain_of(&repo, ("bookinfo", "reviews-v3"), "prod-east"),
            [
                "jwt-auth<bookinfo/reviews",
                "deny-path<bookinfo/reviews-v3",
                "bot-detect<bookinfo/all-services",
                "add-header<bookinfo/reviews-v3",
                "hello-world<bookinfo/reviews-v3",
            ]
        );
        // The root namespace's selector binding reaches the gateway in istio-ingress; the
        // namespace-wide bot-detect of bookinfo does not.
        assert_eq!(
            chain_of(
                &repo,
                ("istio-ingress", "istio-ingressgateway"),
                "prod-east"
            ),
            [
                "openid-connect<istio-ingress/istio-ingressgateway",
                "basic-auth-sample<istio-system/istio-ingressgateway",
            ]
        );
        // A namespace-wide binding: any workload of the namespace, so no selector binding.
        assert_eq!(
            chain_of(&repo, ("bookinfo", "all-services"), "prod-east"),
            ["bot-detect<bookinfo/all-services"]
        );
    }

    #[test]
    fn gateways_and_waypoints_take_what_istio_attaches_to_them() {
        let plugins: Vec<String> = ["mesh", "ns-in", "own", "client", "class", "gw-sel"]
            .iter()
            .map(|p| plugin(p, "{}"))
            .collect();
        let files = [
            ("catalog/mesh.yaml", plugins[0].as_str()),
            ("catalog/ns-in.yaml", &plugins[1]),
            ("catalog/own.yaml", &plugins[2]),
            ("catalog/client.yaml", &plugins[3]),
            ("catalog/class.yaml", &plugins[4]),
            ("catalog/gw-sel.yaml", &plugins[5]),
            (
                "bindings/istio-system/mesh.yaml",
                &binding(
                    "istio-system",
                    "mesh",
                    "  plugins:\n  - {plugin: mesh, priority: 1}\n",
                ),
            ),
            (
                "bindings/istio-system/gw-sel.yaml",
                &binding(
                    "istio-system",
                    "gw-sel",
                    "  selector: {matchLabels: {gateway.networking.k8s.io/gateway-name: gw}}\n  plugins:\n  - {plugin: gw-sel, priority: 2}\n",
                ),
            ),
            (
                "bindings/istio-system/class.yaml",
                &binding(
                    "istio-system",
                    "class",
                    "  targetRefs:\n  - {group: gateway.networking.k8s.io, kind: GatewayClass, name: istio-waypoint}\n  plugins:\n  - {plugin: class, priority: 3}\n",
                ),
            ),
            (
                "bindings/shop/all.yaml",
                &binding(
                    "shop",
                    "all",
                    "  plugins:\n  - {plugin: ns-in, priority: 4, match: [{mode: SERVER}]}\n",
                ),
            ),
            (
                "bindings/shop/gw.yaml",
                &binding(
                    "shop",
                    "gw",
                    "  targetRefs:\n  - {group: gateway.networking.k8s.io, kind: Gateway, name: gw}\n  plugins:\n  - {plugin: own, priority: 5}\n",
                ),
            ),
            (
                "bindings/shop/web-waypoint.yaml",
                &binding(
                    "shop",
                    "web-waypoint",
                    "  targetRefs:\n  - {group: \"\", kind: Service, name: web}\n  plugins:\n  - {plugin: own, priority: 6}\n  - {plugin: client, priority: 7, match: [{mode: CLIENT}]}\n",
                ),
            ),
        ];
        // A gateway is CLIENT: the namespace's SERVER-only plugin never runs there, and a
        // root-namespace selector on its gateway-name label reaches it. (Without the
        // GatewayClass binding, which explain assumes to be every gateway's class.)
        let no_class: Vec<_> = files
            .iter()
            .copied()
            .filter(|(path, _)| !path.ends_with("class.yaml"))
            .collect();
        assert_eq!(
            chain_of(&repo(&no_class), ("shop", "gw"), "prod"),
            [
                "own<shop/gw",
                "gw-sel<istio-system/gw-sel",
                "mesh<istio-system/mesh",
                "-ns-in<shop/all",
            ]
        );
        // A waypoint takes only plugins whose targetRefs name it, and its traffic is inbound.
        assert_eq!(
            chain_of(&repo(&files), ("shop", "web-waypoint"), "prod"),
            [
                "own<shop/web-waypoint",
                "class<istio-system/class",
                "-client<shop/web-waypoint",
            ]
        );
    }
}
