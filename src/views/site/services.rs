//! Service pages and the per-cluster traffic matrix, from the chains `crate::views::explain` computes
//! for the workloads each binding picks.

use super::i18n::Text;
use super::model::{
    Cell, ChainView, ClusterChain, ClusterView, ColumnView, MatrixRow, ServiceRef, ServiceView,
};
use super::paths;
use crate::check::Checked;
use crate::load::Repo;
use crate::model::attach::Reach;
use crate::model::{Binding, Phase};
use crate::views::explain::{Chain, Filter, PluginFilter, Workload, explain};
use std::cmp::Reverse;
use std::collections::BTreeMap;

/// The link data of every service (binding), by `namespace/name`.
type Refs = BTreeMap<String, ServiceRef>;

/// Every binding as a service, sorted by namespace and name, with its chain in every cluster.
pub fn services(
    repo: &Repo,
    checked: &Checked<'_>,
    titles: &BTreeMap<String, Text>,
) -> Vec<ServiceView> {
    let spec = &repo.config.item.spec;
    let refs: Refs = repo
        .bindings
        .iter()
        .map(|b| {
            let meta = &b.item.metadata;
            let key = format!("{}/{}", meta.namespace, meta.name);
            let r = ServiceRef {
                key: key.clone(),
                namespace: meta.namespace.clone(),
                name: meta.name.clone(),
                href: paths::service(&meta.namespace, &meta.name),
                scope: scope(&b.item, &spec.root_namespace),
            };
            (key, r)
        })
        .collect();
    let mut out: Vec<ServiceView> = repo
        .bindings
        .iter()
        .map(|b| {
            let item = &b.item;
            let meta = &item.metadata;
            let chains = explain(repo, checked, Workload::picked_by(item), None)
                .clusters
                .iter()
                .map(|c| ClusterChain {
                    cluster: c.cluster.clone(),
                    any: !c.network.is_empty()
                        || c.filters.iter().any(|f| matches!(f, Filter::Plugin(_))),
                    rows: rows(c, titles, &refs),
                })
                .collect();
            ServiceView {
                service: service_ref(&refs, &meta.namespace, &meta.name),
                scope_label: scope_label(item, &spec.root_namespace),
                path: b.doc.source.path.clone(),
                selector: item
                    .spec
                    .selector
                    .iter()
                    .flat_map(|s| s.match_labels.iter().map(|(k, v)| format!("{k}={v}")))
                    .collect(),
                target_refs: item
                    .spec
                    .target_refs
                    .iter()
                    .flatten()
                    .map(|t| format!("{}/{}", t.kind, t.name))
                    .collect(),
                chains,
            }
        })
        .collect();
    out.sort_by(|a, b| a.service.key.cmp(&b.service.key));
    out
}

/// The link data of the service bound by `namespace/name`.
fn service_ref(refs: &Refs, namespace: &str, name: &str) -> ServiceRef {
    let key = format!("{namespace}/{name}");
    refs.get(&key).cloned().unwrap_or_else(|| ServiceRef {
        href: paths::service(namespace, name),
        key,
        namespace: namespace.to_string(),
        name: name.to_string(),
        scope: "workload",
    })
}

/// How far `binding` reaches: `mesh` (root namespace, no selector or targetRefs), `namespace`
/// (no selector or targetRefs) or `workload`; the id used in CSS classes and interface-string
/// keys.
fn scope(binding: &Binding, root_ns: &str) -> &'static str {
    match Reach::of(binding, root_ns) {
        Reach::Mesh => "mesh",
        Reach::Namespace(_) => "namespace",
        Reach::Labels { .. } | Reach::Targets { .. } => "workload",
    }
}

/// What [`scope`] means for `binding`, in both languages.
fn scope_label(binding: &Binding, root_ns: &str) -> Text {
    match Reach::of(binding, root_ns) {
        Reach::Mesh => Text::new("Every workload in the mesh", "网格中的所有工作负载"),
        Reach::Namespace(namespace) => Text::new(
            format!("Every workload in namespace {namespace}"),
            format!("命名空间 {namespace} 中的所有工作负载"),
        ),
        Reach::Labels { .. } | Reach::Targets { .. } => Text::new(
            "The workloads this binding's selector or target references pick",
            "由选择器或目标引用选中的工作负载",
        ),
    }
}

/// The site's name and role of one of the Istio filters `explain` places in the chain; `None`
/// for those the pages leave out (metadata exchange).
fn marker(explain_name: &str) -> Option<ChainView> {
    let (name, en, zh) = match explain_name {
        "ext_authz (CUSTOM)" => (
            "ext_authz",
            "AuthorizationPolicy with action CUSTOM",
            "动作为 CUSTOM 的 AuthorizationPolicy",
        ),
        "authn (jwt)" => (
            "jwt_authn, istio_authn",
            "RequestAuthentication and PeerAuthentication",
            "RequestAuthentication 与 PeerAuthentication",
        ),
        "rbac" => (
            "rbac",
            "AuthorizationPolicy ALLOW and DENY",
            "AuthorizationPolicy 的 ALLOW 与 DENY",
        ),
        "stats" => ("istio.stats", "Istio's metrics", "Istio 指标"),
        "router" => ("router", "Sends the request upstream", "把请求转发到上游"),
        _ => return None,
    };
    Some(ChainView {
        kind: "istio",
        name: name.to_string(),
        href: None,
        label: Text::new(en, zh),
        phase: String::new(),
        priority: None,
        version: String::new(),
        source: None,
        tie: false,
    })
}

/// The rows of one chain in the order a request meets them: the NETWORK plugins (L4 filters,
/// before the HTTP connection manager), then the HTTP filters with Istio's own among them.
fn rows(chain: &Chain, titles: &BTreeMap<String, Text>, refs: &Refs) -> Vec<ChainView> {
    let plugin = |p: &PluginFilter| {
        let (ns, name) = p.binding.split_once('/').unwrap_or(("", &p.binding));
        ChainView {
            kind: "plugin",
            name: p.plugin.clone(),
            href: Some(paths::plugin(&p.plugin)),
            label: titles
                .get(&p.plugin)
                .cloned()
                .unwrap_or_else(|| Text::same(&p.plugin)),
            phase: p.phase.as_str().to_string(),
            priority: p.priority,
            version: p.version.clone(),
            source: Some(service_ref(refs, ns, name)),
            tie: p.tie.is_some(),
        }
    };
    let mut out: Vec<ChainView> = chain.network.iter().map(plugin).collect();
    for f in &chain.filters {
        match f {
            Filter::Istio { name, .. } => out.extend(marker(name)),
            Filter::Plugin(p) => out.push(plugin(p)),
        }
    }
    out
}

/// One traffic matrix per cluster: services × the plugins that reach them there.
pub fn clusters(
    repo: &Repo,
    services: &[ServiceView],
    titles: &BTreeMap<String, Text>,
) -> Vec<ClusterView> {
    repo.config
        .item
        .spec
        .clusters
        .iter()
        .enumerate()
        .map(|(ci, c)| {
            // Columns in chain order: the earliest (phase, priority) a plugin takes anywhere.
            let mut first: BTreeMap<&str, (&str, Reverse<Option<i64>>)> = BTreeMap::new();
            for s in services {
                for r in s.chains[ci].rows.iter().filter(|r| r.kind == "plugin") {
                    let key = (r.phase.as_str(), Reverse(r.priority));
                    first
                        .entry(r.name.as_str())
                        .and_modify(|k| *k = (*k).min(key))
                        .or_insert(key);
                }
            }
            let mut order: Vec<_> = first.into_iter().collect();
            order.sort_by(|a, b| {
                (phase_rank(a.1.0), a.1.1, a.0).cmp(&(phase_rank(b.1.0), b.1.1, b.0))
            });
            let columns: Vec<ColumnView> = order
                .iter()
                .map(|(p, _)| ColumnView {
                    plugin: p.to_string(),
                    href: paths::plugin(p),
                    title: titles.get(*p).cloned().unwrap_or_else(|| Text::same(*p)),
                })
                .collect();
            let rows: Vec<MatrixRow> = services
                .iter()
                .map(|s| MatrixRow {
                    service: s.service.clone(),
                    cells: columns
                        .iter()
                        .map(|col| {
                            s.chains[ci]
                                .rows
                                .iter()
                                .filter(|r| r.kind == "plugin" && r.name == col.plugin)
                                .map(|r| Cell {
                                    phase: r.phase.clone(),
                                    priority: r.priority,
                                    version: r.version.clone(),
                                    tie: r.tie,
                                    inherited: r
                                        .source
                                        .as_ref()
                                        .is_some_and(|src| src.key != s.service.key),
                                })
                                .collect()
                        })
                        .collect(),
                })
                .collect();
            let (n, m) = (rows.len(), columns.len());
            ClusterView {
                name: c.name.clone(),
                href: paths::cluster(&c.name),
                istio_version: c.istio_version.clone(),
                title: Text::new(format!("Traffic: {}", c.name), format!("流量：{}", c.name)),
                summary: Text::new(
                    format!("{n} services · {m} plugins"),
                    format!("{n} 个服务 · {m} 个插件"),
                ),
                columns,
                rows,
            }
        })
        .collect()
}

/// Position of a phase name in the chain.
fn phase_rank(phase: &str) -> usize {
    [Phase::Authn, Phase::Authz, Phase::Stats, Phase::Unspecified]
        .iter()
        .position(|p| p.as_str() == phase)
        .unwrap_or(usize::MAX)
}
