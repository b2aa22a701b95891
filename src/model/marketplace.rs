//! `meshplug.yaml`: the root document of a marketplace repository.

use super::meta::ObjectMeta;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The `Marketplace` document (`meshplug.yaml` at the repository root).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schemars(title = "meshplug Marketplace")]
pub struct Marketplace {
    /// Always `meshplug.io/v1alpha1`.
    #[schemars(extend("const" = "meshplug.io/v1alpha1"))]
    pub api_version: String,
    /// Always `Marketplace`.
    #[schemars(extend("const" = "Marketplace"))]
    pub kind: String,
    /// Name of the marketplace.
    pub metadata: ObjectMeta,
    /// Where things are and which clusters exist.
    #[serde(default)]
    pub spec: MarketplaceSpec,
}

/// `spec` of a Marketplace.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct MarketplaceSpec {
    /// Istio's root namespace: bindings here without a selector apply mesh-wide.
    #[serde(default = "default_root_namespace")]
    #[schemars(
        length(min = 1, max = 63),
        regex(pattern = r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
    )]
    pub root_namespace: String,
    /// Catalog directories, relative to the repository root. `builtin` names the catalog
    /// embedded in the meshplug binary.
    #[serde(default = "default_catalog")]
    pub catalog: Vec<String>,
    /// Binding directories, relative to the repository root.
    #[serde(default = "default_bindings")]
    pub bindings: Vec<String>,
    /// Clusters to render for. Default: one cluster named `default`.
    #[serde(default = "default_clusters")]
    #[schemars(length(min = 1))]
    pub clusters: Vec<Cluster>,
    /// Output directory of `meshplug render`, relative to the repository root.
    #[serde(default = "default_output")]
    #[schemars(length(min = 1))]
    pub output: String,
    /// Directories of local module builds (`.wasm` files), relative to the repository root. The
    /// dry run (`validate --run`, `replay`, `test`) takes a pinned module from the user's cache
    /// (filled by `meshplug lock`) or from any file here whose sha256 is the pin.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub modules: Vec<String>,
    /// How to reach OCI registries: TLS trust and plain-http exceptions, per host.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub registries: Vec<RegistryConfig>,
}

/// Connection settings for one registry host (used by `meshplug lock`, `push` and `inspect`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct RegistryConfig {
    /// Host and optional port, as in the module urls (`registry.example:5000`).
    #[schemars(length(min = 1), regex(pattern = r"^[^/\s]+$"))]
    pub host: String,
    /// Use plain http for this host. Default: false (https with verification), except loopback
    /// hosts (`localhost`, `127.0.0.1`, `[::1]`), which default to http.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub insecure: Option<bool>,
    /// A PEM file of CA certificates to trust for this host (relative to the repository),
    /// in addition to the system's. Implies https.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ca_file: Option<String>,
}

/// A cluster the repository renders manifests for.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Cluster {
    /// Name of the cluster: a DNS-1123 label; also the output sub-directory.
    #[schemars(
        length(min = 1, max = 63),
        regex(pattern = r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
    )]
    pub name: String,
    /// Istio minor version running there (e.g. `"1.27"`); enables version checks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = r"^1\.[0-9]+(\.[0-9]+)?$"))]
    pub istio_version: Option<String>,
}

impl MarketplaceSpec {
    /// The names of the clusters, in declaration order.
    pub fn cluster_names(&self) -> Vec<&str> {
        self.clusters.iter().map(|c| c.name.as_str()).collect()
    }
}

impl Default for MarketplaceSpec {
    fn default() -> Self {
        MarketplaceSpec {
            root_namespace: default_root_namespace(),
            catalog: default_catalog(),
            bindings: default_bindings(),
            clusters: default_clusters(),
            output: default_output(),
            modules: Vec::new(),
            registries: Vec::new(),
        }
    }
}

fn default_root_namespace() -> String {
    "istio-system".into()
}
fn default_catalog() -> Vec<String> {
    vec!["catalog".into()]
}
fn default_bindings() -> Vec<String> {
    vec!["bindings".into()]
}
fn default_clusters() -> Vec<Cluster> {
    vec![Cluster {
        name: "default".into(),
        istio_version: None,
    }]
}
fn default_output() -> String {
    "rendered".into()
}
