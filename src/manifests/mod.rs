//! Istio `WasmPlugin` manifests as they are written by hand or dumped from a cluster: reading
//! them ([`read`]), their typed form and JSON Schema (the CRD's types and limits; the CEL rules are
//! in [`lint`]), comparing specs the way Istio reads them ([`normalize`]), and adopting them into
//! the repository ([`import`]).

pub mod import;
pub mod lint;
pub mod meta;
pub mod normalize;
pub mod read;
pub mod traffic_extension;

use crate::load::Document;
use crate::model::{
    FailStrategy, Phase, PluginType, PullPolicy, TargetRef, TrafficSelector, VmConfig,
};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// The only served version of the WasmPlugin CRD.
pub const API_VERSION: &str = "extensions.istio.io/v1alpha1";

/// Whether a document is a WasmPlugin (any `extensions.istio.io` version).
pub fn is_wasmplugin(doc: &Document) -> bool {
    doc.value.get("kind").and_then(Value::as_str) == Some("WasmPlugin")
        && doc
            .value
            .get("apiVersion")
            .and_then(Value::as_str)
            .is_some_and(|v| v.starts_with("extensions.istio.io/"))
}

/// A WasmPlugin manifest.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schemars(title = "Istio WasmPlugin")]
pub struct Manifest {
    /// `extensions.istio.io/v1alpha1`.
    #[schemars(extend("const" = "extensions.istio.io/v1alpha1"))]
    pub api_version: String,
    /// `WasmPlugin`.
    #[schemars(extend("const" = "WasmPlugin"))]
    pub kind: String,
    /// Object metadata.
    pub metadata: Metadata,
    /// The spec (required by the CRD).
    pub spec: Spec,
    /// Status written by Istio (ignored).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<Value>,
}

/// Object metadata of a manifest; server-set fields are allowed and ignored.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Metadata {
    /// Name: a DNS-1123 subdomain.
    #[schemars(
        length(min = 1, max = 253),
        regex(pattern = r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
    )]
    pub name: String,
    /// Namespace: a DNS-1123 label (default: `default`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(
        length(min = 1, max = 63),
        regex(pattern = r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
    )]
    pub namespace: Option<String>,
    /// Labels.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub labels: Option<BTreeMap<String, String>>,
    /// Annotations.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annotations: Option<BTreeMap<String, String>>,
    /// Everything else (uid, resourceVersion, creationTimestamp, ...).
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

impl Metadata {
    /// The namespace, `default` when unset.
    pub fn namespace(&self) -> &str {
        self.namespace.as_deref().unwrap_or("default")
    }

    /// A label's value.
    pub fn label(&self, key: &str) -> Option<&str> {
        self.labels.as_ref()?.get(key).map(String::as_str)
    }
}

/// `selector` of a WasmPlugin (`matchLabels` may be omitted).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Selector {
    /// Labels a workload must carry; at most 4096.
    #[serde(default)]
    #[schemars(extend("maxProperties" = 4096))]
    pub match_labels: BTreeMap<String, String>,
}

/// `spec` of a WasmPlugin: every field of the CRD, with its limits.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Spec {
    /// Workloads by label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selector: Option<Selector>,
    /// Deprecated single target (Istio 1.30 merges it into `targetRefs`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_ref: Option<TargetRef>,
    /// Gateways, gateway classes, services or service entries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_refs: Option<Vec<TargetRef>>,
    /// Module url.
    #[schemars(length(min = 1))]
    pub url: String,
    /// Module or image digest (checked by the rules: empty or 64 lowercase hex).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    /// Pull policy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_pull_policy: Option<PullPolicy>,
    /// Pull secret name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1, max = 253))]
    pub image_pull_secret: Option<String>,
    /// Not implemented by Istio.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verification_key: Option<String>,
    /// Configuration passed to the plugin.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plugin_config: Option<Map<String, Value>>,
    /// Envoy root id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1, max = 256))]
    pub plugin_name: Option<String>,
    /// Phase.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phase: Option<Phase>,
    /// Priority (an int32; `null` allowed; range checked by the rules).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("x-nullable" = true))]
    pub priority: Option<i64>,
    /// Fail strategy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fail_strategy: Option<FailStrategy>,
    /// VM config.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vm_config: Option<VmConfig>,
    /// Traffic selectors.
    #[serde(default, rename = "match", skip_serializing_if = "Option::is_none")]
    pub r#match: Option<Vec<TrafficSelector>>,
    /// Filter type.
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub plugin_type: Option<PluginType>,
}

/// The JSON Schema of a manifest and its compiled validator (built once).
pub fn schema() -> &'static (Value, jsonschema::Validator) {
    static CELL: OnceLock<(Value, jsonschema::Validator)> = OnceLock::new();
    CELL.get_or_init(|| {
        let mut schema = crate::model::schema_of::<Manifest>();
        nullable(&mut schema);
        let validator =
            jsonschema::validator_for(&schema).expect("the manifest schema is a valid schema");
        (schema, validator)
    })
}

/// Turn `x-nullable: true` into a `null` alternative of the node's type.
fn nullable(v: &mut Value) {
    match v {
        Value::Object(map) => {
            if map.remove("x-nullable") == Some(Value::Bool(true))
                && let Some(Value::String(t)) = map.get("type").cloned()
            {
                map.insert("type".into(), serde_json::json!([t, "null"]));
            }
            map.values_mut().for_each(nullable);
        }
        Value::Array(items) => items.iter_mut().for_each(nullable),
        _ => {}
    }
}

/// Whether a `null` at `pointer` is kept by the API server: the CRD marks only `priority`
/// `nullable`, and `pluginConfig` and `status` keep unknown fields as they are.
fn null_kept(pointer: &str) -> bool {
    pointer == "/spec/priority"
        || pointer.starts_with("/spec/pluginConfig/")
        || pointer.starts_with("/status/")
}

/// `value` as the API server stores it: a `null` (or an empty value, `matchLabels:`) in a field
/// that is not `nullable` is dropped. Returns the pruned value and the pointers of what was
/// dropped, in document order.
pub fn prune_nulls(value: &Value) -> (Value, Vec<String>) {
    fn walk(v: &mut Value, at: &str, dropped: &mut Vec<String>) {
        match v {
            Value::Object(map) => {
                map.retain(|k, c| {
                    let p = format!("{at}/{}", crate::diag::pointer::escape(k));
                    if c.is_null() && !null_kept(&p) {
                        dropped.push(p);
                        false
                    } else {
                        true
                    }
                });
                for (k, c) in map.iter_mut() {
                    let p = format!("{at}/{}", crate::diag::pointer::escape(k));
                    if !p.starts_with("/spec/pluginConfig") && !p.starts_with("/status") {
                        walk(c, &p, dropped);
                    }
                }
            }
            Value::Array(items) => {
                for (i, c) in items.iter_mut().enumerate() {
                    walk(c, &format!("{at}/{i}"), dropped);
                }
            }
            _ => {}
        }
    }
    let mut out = value.clone();
    let mut dropped = Vec::new();
    walk(&mut out, "", &mut dropped);
    (out, dropped)
}
