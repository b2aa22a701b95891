//! The cluster-wide "traffic plugins" view: every plugin on every service with version, phase,
//! priority and pinned digest, and, given what a cluster runs (`kubectl get wasmplugins -A`), each
//! row marked installed, missing, drifted (with the fields that differ) or unmanaged.

use crate::check::Checked;
use crate::load::Document;
use crate::lock::{PinSource, pin_of as pin};
use crate::manifests::normalize::{FieldDiff, diff, normalize};
use crate::manifests::traffic_extension;
use crate::model::Phase;
use crate::render::build_manifest;
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;

/// How a row compares with the cluster.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum State {
    /// In git and in the cluster with the same spec.
    Installed,
    /// In git, not in the cluster.
    Missing,
    /// In both, with different specs.
    Drifted,
    /// In the cluster, not in git.
    Unmanaged,
}

impl State {
    /// The word shown in tables.
    pub fn as_str(self) -> &'static str {
        match self {
            State::Installed => "installed",
            State::Missing => "missing",
            State::Drifted => "drifted",
            State::Unmanaged => "unmanaged",
        }
    }
}

/// One plugin on one service in one cluster.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    /// The cluster.
    pub cluster: String,
    /// Namespace of the WasmPlugin.
    pub namespace: String,
    /// The binding (service) name, or the WasmPlugin name for unmanaged rows.
    pub service: String,
    /// Catalog name (for unmanaged rows: the `meshplug.io/plugin` label, if any).
    pub plugin: String,
    /// Version (for unmanaged rows: the `meshplug.io/version` label, if any).
    pub version: String,
    /// Phase.
    pub phase: Phase,
    /// Priority, when set.
    pub priority: Option<i64>,
    /// The pinned sha256, when pinned.
    pub sha256: Option<String>,
    /// The WasmPlugin's name.
    pub wasmplugin: String,
    /// The binding file (empty for unmanaged rows).
    pub file: String,
    /// Comparison with the cluster, when one was given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<State>,
    /// The live object's kind when it is not a WasmPlugin (`TrafficExtension`); unmanaged rows.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Fields that differ, for drifted rows.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub diff: Vec<FieldDiff>,
    /// The rendered spec, for comparison.
    #[serde(skip)]
    spec: Value,
}

/// Every (binding, plugin) in `cluster` (or in every cluster), sorted by cluster, namespace,
/// service and plugin.
pub fn rows(checked: &Checked<'_>, pins: &dyn PinSource, cluster: Option<&str>) -> Vec<Row> {
    let mut out = Vec::new();
    for e in &checked.effective {
        let p = pin(e.version, pins);
        let manifest = build_manifest(e, p.field.clone());
        let spec = serde_json::to_value(&manifest.spec).unwrap_or(Value::Null);
        for c in e
            .clusters
            .iter()
            .filter(|c| cluster.is_none_or(|want| want == **c))
        {
            out.push(Row {
                cluster: c.to_string(),
                namespace: e.namespace().to_string(),
                service: e.binding.item.metadata.name.clone(),
                plugin: e.plugin_name().to_string(),
                version: e.version.version.clone(),
                phase: e.phase,
                priority: e.priority,
                sha256: p.digest.clone(),
                wasmplugin: manifest.metadata.name.clone(),
                file: e.path().to_string(),
                state: None,
                kind: None,
                diff: Vec::new(),
                spec: spec.clone(),
            });
        }
    }
    sort(&mut out);
    out
}

fn sort(rows: &mut [Row]) {
    rows.sort_by(|a, b| {
        (
            &a.cluster,
            &a.namespace,
            &a.service,
            &a.plugin,
            &a.wasmplugin,
        )
            .cmp(&(
                &b.cluster,
                &b.namespace,
                &b.service,
                &b.plugin,
                &b.wasmplugin,
            ))
    });
}

/// A WasmPlugin or TrafficExtension found in a cluster dump.
#[derive(Debug, Clone)]
pub struct LiveObject {
    /// `WasmPlugin` or `TrafficExtension`.
    pub kind: String,
    /// Namespace (`default` when unset).
    pub namespace: String,
    /// Name.
    pub name: String,
    /// Labels.
    pub labels: BTreeMap<String, String>,
    /// The spec, in WasmPlugin form (a Wasm TrafficExtension's `wasm` fields lifted into it).
    pub spec: Value,
    /// `metadata.creationTimestamp`, when the dump has it.
    pub created: Option<String>,
}

impl LiveObject {
    /// The WasmPlugin or TrafficExtension in `doc`, when it is one with a name.
    pub fn from_document(doc: &Document) -> Option<LiveObject> {
        let extension = traffic_extension::is_traffic_extension(doc);
        if !crate::manifests::is_wasmplugin(doc) && !extension {
            return None;
        }
        let spec = doc.value.get("spec").cloned().unwrap_or(Value::Null);
        let meta = doc.value.get("metadata")?;
        let text = |v: Option<&Value>| v.and_then(Value::as_str).map(str::to_owned);
        Some(LiveObject {
            kind: if extension {
                traffic_extension::KIND
            } else {
                "WasmPlugin"
            }
            .to_string(),
            namespace: text(meta.get("namespace")).unwrap_or_else(|| "default".into()),
            name: text(meta.get("name"))?,
            labels: meta
                .get("labels")
                .and_then(|l| serde_json::from_value(l.clone()).ok())
                .unwrap_or_default(),
            spec: if extension {
                traffic_extension::wasm_spec(&spec)
            } else {
                spec
            },
            created: text(meta.get("creationTimestamp")),
        })
    }

    /// Whether it is a TrafficExtension.
    pub fn is_traffic_extension(&self) -> bool {
        self.kind == traffic_extension::KIND
    }

    /// Whether it runs Lua (a TrafficExtension with `lua`).
    pub fn is_lua(&self) -> bool {
        self.is_traffic_extension() && self.spec.get("lua").is_some()
    }

    /// Whether meshplug rendered it: a WasmPlugin carrying meshplug's labels.
    pub fn is_managed(&self) -> bool {
        !self.is_traffic_extension()
            && self.labels.contains_key("meshplug.io/plugin")
            && self.labels.contains_key("meshplug.io/version")
    }
}

/// Mark `rows` (all of one cluster) against what the cluster runs, and add unmanaged rows.
pub fn compare(rows: &mut Vec<Row>, cluster: &str, live: &[LiveObject]) {
    // meshplug renders WasmPlugins: a TrafficExtension is never one of its objects, even when
    // it has the name of one.
    let mut by_name: BTreeMap<(String, String), &LiveObject> = live
        .iter()
        .filter(|o| !o.is_traffic_extension())
        .map(|o| ((o.namespace.clone(), o.name.clone()), o))
        .collect();
    for row in rows.iter_mut() {
        match by_name.remove(&(row.namespace.clone(), row.wasmplugin.clone())) {
            None => row.state = Some(State::Missing),
            Some(obj) => {
                row.diff = diff(&normalize(&row.spec), &normalize(&obj.spec), "spec");
                row.state = Some(if row.diff.is_empty() {
                    State::Installed
                } else {
                    State::Drifted
                });
            }
        }
    }
    let extensions = live.iter().filter(|o| o.is_traffic_extension());
    for obj in by_name.values().copied().chain(extensions) {
        let spec = &obj.spec;
        let label = |k: &str| obj.labels.get(k).cloned().unwrap_or_else(|| "-".into());
        rows.push(Row {
            cluster: cluster.to_string(),
            namespace: obj.namespace.clone(),
            service: obj.name.clone(),
            plugin: label("meshplug.io/plugin"),
            version: if obj.is_lua() {
                "lua".into()
            } else {
                label("meshplug.io/version")
            },
            phase: spec
                .get("phase")
                .and_then(|p| serde_json::from_value(p.clone()).ok())
                .unwrap_or(Phase::Unspecified),
            priority: spec.get("priority").and_then(Value::as_i64),
            sha256: spec
                .get("sha256")
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty())
                .map(str::to_owned),
            wasmplugin: obj.name.clone(),
            file: String::new(),
            state: Some(State::Unmanaged),
            kind: obj.is_traffic_extension().then(|| obj.kind.clone()),
            diff: Vec::new(),
            spec: spec.clone(),
        });
    }
    sort(rows);
}

/// The rows as tables, one per cluster (with a STATE column when compared), followed by the
/// fields that differ; `paint(state, text)` colours the states.
pub fn to_table(rows: &[Row], width: usize, paint: impl Fn(State, &str) -> String) -> String {
    use crate::text::Table;
    if rows.is_empty() {
        return "no plugin is bound to any service\n".to_string();
    }
    let compared = rows.iter().any(|r| r.state.is_some());
    let mut headers = vec!["SERVICE", "PLUGIN", "VERSION", "PHASE", "PRIO", "DIGEST"];
    if compared {
        headers.push("STATE");
    }
    let mut clusters: Vec<&str> = rows.iter().map(|r| r.cluster.as_str()).collect();
    clusters.dedup();
    let mut out = String::new();
    for cluster in &clusters {
        if clusters.len() > 1 || compared {
            if !out.is_empty() {
                out.push('\n');
            }
            out.push_str(&format!("cluster {cluster}:\n"));
        }
        let mut t = Table::new(&headers).flexible(&[0, 1]);
        let mine: Vec<&Row> = rows.iter().filter(|r| r.cluster == *cluster).collect();
        for r in &mine {
            let kind = r.kind.as_ref().map_or(String::new(), |k| format!(" ({k})"));
            let mut cells = vec![
                format!("{}/{}{kind}", r.namespace, r.service),
                r.plugin.clone(),
                r.version.clone(),
                r.phase.as_str().trim_end_matches("_PHASE").to_string(),
                r.priority.map_or("unset".into(), |p| p.to_string()),
                r.sha256
                    .as_deref()
                    .map_or("unpinned".into(), |s| s.get(..8).unwrap_or(s).to_string()),
            ];
            if let Some(s) = r.state {
                cells.push(s.as_str().into());
            }
            t.row(cells);
        }
        let state_col = headers.len() - 1;
        out.push_str(&t.render_with(width, |c, text| {
            match mine
                .iter()
                .find_map(|r| r.state.filter(|s| s.as_str() == text))
            {
                Some(s) if compared && c == state_col => paint(s, text),
                _ => text.to_string(),
            }
        }));
        for r in mine.iter().filter(|r| !r.diff.is_empty()) {
            out.push_str(&format!("drifted {}/{}:\n", r.namespace, r.wasmplugin));
            for d in &r.diff {
                let show =
                    |v: &Option<Value>| v.as_ref().map_or("(absent)".into(), Value::to_string);
                out.push_str(&format!(
                    "  {}: git {}, live {}\n",
                    d.field,
                    show(&d.git),
                    show(&d.live)
                ));
            }
        }
    }
    out
}
