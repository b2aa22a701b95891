//! Request tests: expected behaviour written next to a binding (`spec.tests`), run through the
//! workload's real plugin chain by `meshplug test` and `meshplug validate --run`.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One request sent through the chain of the binding's workload, and what must come out.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct RequestTest {
    /// What the test shows, in a few words (reported with its result).
    #[schemars(length(min = 1, max = 200))]
    pub name: String,
    /// Cluster whose Istio version and bindings are used; default: every cluster the binding
    /// is rendered for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster: Option<String>,
    /// The request.
    pub request: TestRequest,
    /// What the upstream answers when the request gets through; default: 200, no body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upstream: Option<TestResponse>,
    /// Answers to the plugins' outgoing calls (`http_call`), by upstream cluster name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub http_calls: BTreeMap<String, TestResponse>,
    /// What the client must see.
    pub expect: Expectation,
}

/// An example of a catalog entry: a configuration and a request, with what the client must see,
/// run against the plugin alone.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct PluginExample {
    /// What the example shows, in a few words.
    #[schemars(length(min = 1, max = 200))]
    pub name: String,
    /// Catalog version; default: the newest (first).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// pluginConfig, deep-merged over the entry's default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plugin_config: Option<serde_json::Map<String, serde_json::Value>>,
    /// The request.
    pub request: TestRequest,
    /// What the upstream answers when the request gets through; default: 200, no body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upstream: Option<TestResponse>,
    /// Answers to the plugin's outgoing calls (`http_call`), by upstream cluster name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub http_calls: BTreeMap<String, TestResponse>,
    /// What the client must see.
    pub expect: Expectation,
}

/// A request: method, path and headers.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct TestRequest {
    /// HTTP method; default GET.
    #[serde(default = "default_method")]
    #[schemars(regex(pattern = r"^[A-Z]+$"))]
    pub method: String,
    /// Path with optional query, starting with `/`.
    #[schemars(regex(pattern = r"^/"))]
    pub path: String,
    /// Host (`:authority`); default: the service's cluster-local name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    /// Request headers (names are lowercased).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub headers: BTreeMap<String, String>,
}

fn default_method() -> String {
    "GET".into()
}

/// A response: status, headers and body.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct TestResponse {
    /// HTTP status; default 200.
    #[serde(default = "default_status")]
    #[schemars(range(min = 100, max = 599))]
    pub status: u16,
    /// Response headers.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub headers: BTreeMap<String, String>,
    /// Response body.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub body: String,
}

fn default_status() -> u16 {
    200
}

/// What the client must see; only what is given is compared.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Expectation {
    /// The status the client gets (a plugin's local reply, or the upstream's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 100, max = 599))]
    pub status: Option<u16>,
    /// Response headers the client gets, by lowercase name; `null` means "absent".
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub headers: BTreeMap<String, Option<String>>,
    /// Request headers that reach the upstream; `null` means "removed".
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub upstream_headers: BTreeMap<String, Option<String>>,
    /// The exact body the client gets.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
}
