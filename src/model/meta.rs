//! Kubernetes-style object metadata shared by every kind.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The `apiVersion` of every meshplug document.
pub const API_VERSION: &str = "meshplug.io/v1alpha1";

/// Metadata of a cluster-scoped document (Marketplace, Plugin).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ObjectMeta {
    /// Name of the object: a DNS-1123 label (lowercase letters, digits and `-`, at most 63).
    #[schemars(
        length(min = 1, max = 63),
        regex(pattern = r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
    )]
    pub name: String,
    /// Free-form labels, kept for tooling; not rendered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub labels: Option<std::collections::BTreeMap<String, String>>,
    /// Free-form annotations, kept for tooling; not rendered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annotations: Option<std::collections::BTreeMap<String, String>>,
}

/// Metadata of a namespaced document (Binding): the service name and its namespace.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct NamespacedMeta {
    /// The service (or gateway) the binding is for: a DNS-1123 label.
    #[schemars(
        length(min = 1, max = 63),
        regex(pattern = r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
    )]
    pub name: String,
    /// The Kubernetes namespace the service runs in: a DNS-1123 label.
    #[schemars(
        length(min = 1, max = 63),
        regex(pattern = r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
    )]
    pub namespace: String,
    /// Free-form labels, kept for tooling; not rendered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub labels: Option<std::collections::BTreeMap<String, String>>,
    /// Free-form annotations, kept for tooling; not rendered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annotations: Option<std::collections::BTreeMap<String, String>>,
}
