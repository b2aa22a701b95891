//! Istio `WasmPlugin` field types (extensions.istio.io/v1alpha1), shared by catalog defaults,
//! bindings and rendered manifests. Enum spellings are the CRD's.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Where in the HTTP filter chain the plugin runs.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
pub enum Phase {
    /// Before Istio's authentication filters.
    #[serde(rename = "AUTHN")]
    Authn,
    /// After authentication, before Istio's authorization (RBAC) filters.
    #[serde(rename = "AUTHZ")]
    Authz,
    /// After authorization, before Istio's stats filter.
    #[serde(rename = "STATS")]
    Stats,
    /// At the end of the chain, just before the router.
    #[serde(rename = "UNSPECIFIED_PHASE")]
    Unspecified,
}

impl Phase {
    /// The CRD spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Authn => "AUTHN",
            Phase::Authz => "AUTHZ",
            Phase::Stats => "STATS",
            Phase::Unspecified => "UNSPECIFIED_PHASE",
        }
    }
}

/// What the proxy does when the module cannot be fetched or the VM fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum FailStrategy {
    /// Requests fail (deny-all) while the plugin is broken. Istio's default.
    FailClose,
    /// The plugin is bypassed (allow-all) while it is broken.
    FailOpen,
    /// A new VM is started after a runtime error (Istio 1.27 and later).
    FailReload,
}

impl FailStrategy {
    /// The CRD spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            FailStrategy::FailClose => "FAIL_CLOSE",
            FailStrategy::FailOpen => "FAIL_OPEN",
            FailStrategy::FailReload => "FAIL_RELOAD",
        }
    }
}

/// When the agent pulls the module again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub enum PullPolicy {
    /// IfNotPresent, except an OCI url with tag `latest` behaves as Always.
    #[serde(rename = "UNSPECIFIED_POLICY")]
    Unspecified,
    /// Reuse a cached module for the same url.
    IfNotPresent,
    /// Pull again whenever the WasmPlugin resource changes.
    Always,
}

/// Which Envoy filter type the plugin installs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub enum PluginType {
    /// Unset: treated as HTTP by Istio.
    #[serde(rename = "UNSPECIFIED_PLUGIN_TYPE")]
    Unspecified,
    /// An HTTP filter.
    #[serde(rename = "HTTP")]
    Http,
    /// An L4 network filter.
    #[serde(rename = "NETWORK")]
    Network,
}

/// `selector` of a WasmPlugin: workloads whose pod labels contain all of `matchLabels`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct LabelSelector {
    /// Labels a workload must carry (all of them). Keys: no `*`, not empty; values: no `*`,
    /// at most 63 characters.
    #[schemars(extend("maxProperties" = 4096))]
    pub match_labels: BTreeMap<String, String>,
}

/// A reference to the Gateway, GatewayClass, Service or ServiceEntry the plugin attaches to.
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct TargetRef {
    /// API group: `gateway.networking.k8s.io` (Gateway, GatewayClass), `""` (Service),
    /// `networking.istio.io` (ServiceEntry).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(
        length(max = 253),
        regex(pattern = r"^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
    )]
    pub group: Option<String>,
    /// Kind of the target: Gateway, GatewayClass, Service or ServiceEntry.
    #[schemars(
        length(min = 1, max = 63),
        regex(pattern = r"^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$")
    )]
    pub kind: String,
    /// Name of the target.
    #[schemars(length(min = 1, max = 253))]
    pub name: String,
    /// Must be empty: Istio does not support cross-namespace references.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
}

/// Where an env var's value comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum EnvValueSource {
    /// The value given in `value`.
    Inline,
    /// The proxy's own environment variable of the same name.
    Host,
}

/// One environment variable of the plugin's VM.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct EnvVar {
    /// Name of the variable (a C identifier; must not start with `ISTIO_META_`).
    #[schemars(length(min = 1, max = 256))]
    pub name: String,
    /// Source of the value: INLINE (default) or HOST.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value_from: Option<EnvValueSource>,
    /// The value, for INLINE variables only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 2048))]
    pub value: Option<String>,
}

/// `vmConfig` of a WasmPlugin.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct VmConfig {
    /// Environment variables of the VM, unique by name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(length(max = 256))]
    pub env: Vec<EnvVar>,
}

/// Inbound, outbound or both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum WorkloadMode {
    /// Same as CLIENT_AND_SERVER.
    Undefined,
    /// Outbound traffic (gateways always count as CLIENT).
    Client,
    /// Inbound traffic of sidecars.
    Server,
    /// Both directions.
    ClientAndServer,
}

/// A port number the plugin is limited to.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct PortSelector {
    /// The port, 1..65535.
    #[schemars(range(min = 1, max = 65535))]
    pub number: u32,
}

/// One `match` entry: the plugin is enabled when any entry matches.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct TrafficSelector {
    /// Traffic direction; unset means CLIENT_AND_SERVER.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<WorkloadMode>,
    /// Ports, unique; empty matches every port.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ports: Vec<PortSelector>,
}
