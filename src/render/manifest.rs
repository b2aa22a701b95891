//! The `WasmPlugin` manifest (extensions.istio.io/v1alpha1), with fields in the CRD's order.

use crate::check::Effective;
use crate::model::{
    EnvVar, FailStrategy, LabelSelector, Phase, PluginType, PullPolicy, TargetRef, TrafficSelector,
};
use serde::Serialize;
use serde_json::Value;
use serde_saphyr::DoubleQuoted;
use std::collections::BTreeMap;

/// A rendered WasmPlugin.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WasmPlugin<'a> {
    /// `extensions.istio.io/v1alpha1`.
    pub api_version: &'static str,
    /// `WasmPlugin`.
    pub kind: &'static str,
    /// Name, namespace, labels, annotations.
    pub metadata: Metadata,
    /// The spec.
    pub spec: Spec<'a>,
}

/// `metadata` of a rendered WasmPlugin.
#[derive(Debug, Serialize)]
pub struct Metadata {
    /// `<binding>-<plugin>`.
    pub name: String,
    /// The binding's namespace.
    pub namespace: String,
    /// managed-by, name, plugin and version labels.
    pub labels: BTreeMap<&'static str, String>,
    /// The source binding.
    pub annotations: BTreeMap<&'static str, String>,
}

/// `spec` of a rendered WasmPlugin, in the order of the CRD's proto.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Spec<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    selector: Option<&'a LabelSelector>,
    #[serde(skip_serializing_if = "Option::is_none")]
    target_refs: Option<&'a [TargetRef]>,
    url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    sha256: Option<DoubleQuoted<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    image_pull_policy: Option<PullPolicy>,
    #[serde(skip_serializing_if = "Option::is_none")]
    image_pull_secret: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    plugin_config: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    plugin_name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    phase: Option<Phase>,
    #[serde(skip_serializing_if = "Option::is_none")]
    priority: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    fail_strategy: Option<FailStrategy>,
    #[serde(skip_serializing_if = "Option::is_none")]
    vm_config: Option<VmConfigOut<'a>>,
    #[serde(rename = "match", skip_serializing_if = "Option::is_none")]
    r#match: Option<&'a [TrafficSelector]>,
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    plugin_type: Option<PluginType>,
}

#[derive(Debug, Serialize)]
struct VmConfigOut<'a> {
    env: Vec<&'a EnvVar>,
}

/// Build the manifest of one effective entry, with `sha256` as pinned.
pub fn build_manifest<'a>(e: &'a Effective<'a>, sha256: Option<String>) -> WasmPlugin<'a> {
    let b = &e.binding.item;
    let name = crate::model::wasmplugin_name(&b.metadata.name, e.plugin_name());
    let labels = BTreeMap::from([
        ("app.kubernetes.io/managed-by", "meshplug".to_string()),
        ("app.kubernetes.io/name", e.plugin_name().to_string()),
        ("meshplug.io/plugin", e.plugin_name().to_string()),
        ("meshplug.io/version", e.version.version.clone()),
    ]);
    let annotations = BTreeMap::from([("meshplug.io/source", e.path().to_string())]);
    let url = match e.version.url.split_once("://") {
        Some(_) => e.version.url.clone(),
        None => format!("oci://{}", e.version.url),
    };
    WasmPlugin {
        api_version: "extensions.istio.io/v1alpha1",
        kind: "WasmPlugin",
        metadata: Metadata {
            name,
            namespace: b.metadata.namespace.clone(),
            labels,
            annotations,
        },
        spec: Spec {
            selector: b.spec.selector.as_ref(),
            target_refs: b.spec.target_refs.as_deref(),
            url,
            sha256: sha256.map(DoubleQuoted),
            image_pull_policy: e.pull_policy,
            image_pull_secret: e.pull_secret,
            plugin_config: e
                .plugin_config()
                .filter(|c| !c.is_empty())
                .map(|c| sorted(&Value::Object(c))),
            plugin_name: e.plugin.item.spec.plugin_name.as_deref(),
            phase: Some(e.phase).filter(|p| *p != Phase::Unspecified),
            priority: e.priority,
            fail_strategy: e.fail_strategy,
            vm_config: Some(VmConfigOut { env: e.env() }).filter(|v| !v.env.is_empty()),
            r#match: Some(e.r#match).filter(|m| !m.is_empty()),
            plugin_type: e.plugin_type.filter(|t| *t != PluginType::Unspecified),
        },
    }
}

impl WasmPlugin<'_> {
    /// The manifest as YAML with a header naming its source.
    pub fn to_yaml(&self, source: &str) -> String {
        // Plain or quoted scalars only: folded (`>`) long strings read back differently in some
        // YAML 1.1 tools, and a url or digest must survive every reader unchanged.
        let mut options = serde_saphyr::SerializerOptions::default();
        options.prefer_block_scalars = false;
        let body =
            serde_saphyr::to_string_with_options(self, options).expect("manifests serialize");
        let source: String = source
            .chars()
            .map(|c| if c.is_control() { '?' } else { c })
            .collect();
        format!(
            "# Generated by meshplug from {source}. Do not edit: change that file and run `meshplug render`.\n{body}"
        )
    }
}

/// A copy of `v` with every mapping's keys sorted, whatever map order serde_json was built with.
fn sorted(v: &Value) -> Value {
    match v {
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            Value::Object(
                keys.into_iter()
                    .map(|k| (k.clone(), sorted(&m[k])))
                    .collect(),
            )
        }
        Value::Array(a) => Value::Array(a.iter().map(sorted).collect()),
        other => other.clone(),
    }
}
