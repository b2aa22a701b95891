//! Bindings: which plugins run on one service, one `Binding` document per file.

use super::istio::{
    FailStrategy, LabelSelector, Phase, PluginType, PullPolicy, TargetRef, TrafficSelector,
    VmConfig,
};
use super::meta::NamespacedMeta;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A binding: the plugins applied to one service (or gateway, or a whole namespace).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schemars(title = "meshplug Binding")]
pub struct Binding {
    /// Always `meshplug.io/v1alpha1`.
    #[schemars(extend("const" = "meshplug.io/v1alpha1"))]
    pub api_version: String,
    /// Always `Binding`.
    #[schemars(extend("const" = "Binding"))]
    pub kind: String,
    /// `name` is the service, `namespace` its namespace.
    pub metadata: NamespacedMeta,
    /// Where the plugins apply and which ones.
    pub spec: BindingSpec,
}

/// `spec` of a Binding.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct BindingSpec {
    /// Clusters this binding is rendered for; default: every cluster of the marketplace.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clusters: Option<Vec<String>>,
    /// Workloads whose labels match; mutually exclusive with `targetRefs`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selector: Option<LabelSelector>,
    /// Gateways, gateway classes, services (waypoints) or service entries; at most 16;
    /// mutually exclusive with `selector`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_refs: Option<Vec<TargetRef>>,
    /// The plugins applied, each rendered as one WasmPlugin.
    #[schemars(length(min = 1))]
    pub plugins: Vec<PluginUse>,
    /// Requests sent through the workload's plugin chain by `meshplug test` and
    /// `validate --run`, with what the client must see. Not rendered.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tests: Vec<super::RequestTest>,
}

/// One plugin applied by a binding. Unset fields come from the catalog entry's `defaults`.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct PluginUse {
    /// Catalog name of the plugin.
    pub plugin: String,
    /// Catalog version; default: the newest (first) version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// Phase in the filter chain.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phase: Option<Phase>,
    /// Priority within the phase, 1..1000; higher runs first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 1000))]
    pub priority: Option<i64>,
    /// FAIL_CLOSE, FAIL_OPEN or FAIL_RELOAD.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fail_strategy: Option<FailStrategy>,
    /// IfNotPresent, Always or UNSPECIFIED_POLICY.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_pull_policy: Option<PullPolicy>,
    /// Name of a `kubernetes.io/dockerconfigjson` Secret in the binding's namespace.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1, max = 253))]
    pub image_pull_secret: Option<String>,
    /// Plugin configuration, deep-merged over the catalog default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plugin_config: Option<serde_json::Map<String, serde_json::Value>>,
    /// VM environment; env vars replace catalog defaults of the same name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vm_config: Option<VmConfig>,
    /// Traffic the plugin applies to; any entry matching enables it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub r#match: Option<Vec<TrafficSelector>>,
    /// HTTP or NETWORK; default: the catalog entry's type.
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub plugin_type: Option<PluginType>,
}
