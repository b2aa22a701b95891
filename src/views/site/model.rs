//! The view data of the pages: plain serializable values, built once from the checked repository
//! (see `plugins.rs` and `services.rs`) and handed to the templates as they are.

use super::i18n::Text;
use super::schema_table::FieldRow;
use serde::Serialize;
use std::collections::BTreeMap;

/// What `meshplug.lock` records for one module url. Every field is optional: the site shows "—"
/// where it is missing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct LockEntry {
    /// The pinned digest (64 hex characters).
    pub digest: Option<String>,
    /// The proxy-wasm ABI version the module exports, e.g. `0_2_1`.
    pub abi: Option<String>,
    /// The image format, e.g. `oci` or `docker`.
    pub format: Option<String>,
}

/// Lock entries by module url.
pub type Locks = BTreeMap<String, LockEntry>;

/// A link that may be followed: `href` is set only for http(s) urls.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Link {
    /// The text shown.
    pub text: String,
    /// The target, when it is safe to link.
    pub href: Option<String>,
}

/// A category in the filter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CategoryView {
    /// The id used in catalog entries.
    pub id: String,
    /// Display name.
    pub label: Text,
}

/// One plugin: its card on the index and its own page.
#[derive(Debug, Clone, Serialize)]
pub struct PluginView {
    /// Catalog name.
    pub name: String,
    /// Page path relative to the site root.
    pub href: String,
    /// Icon path relative to the site root.
    pub icon: String,
    /// Alternative text of the icon.
    pub icon_alt: Text,
    /// Title.
    pub title: Text,
    /// Description.
    pub description: Text,
    /// Category, when set.
    pub category: Option<CategoryView>,
    /// HTTP or NETWORK.
    pub plugin_type: String,
    /// Envoy root id, when set.
    pub root_id: Option<String>,
    /// The newest version.
    pub latest: String,
    /// Whether the newest version is pinned.
    pub pinned: bool,
    /// Number of services whose chain includes it, in any cluster.
    pub services: usize,
    /// "Used by N services", in both languages.
    pub usage: Text,
    /// Lowercase text the search box matches against.
    pub search: String,
    /// Documentation page.
    pub homepage: Option<Link>,
    /// SPDX license.
    pub license: Option<String>,
    /// Maintainers.
    pub maintainers: Vec<MaintainerView>,
    /// Versions, newest first.
    pub versions: Vec<VersionView>,
    /// The schema's own description.
    pub schema_description: String,
    /// The config fields.
    pub fields: Vec<FieldRow>,
    /// Default settings (phase, priority, ...), by interface-string key.
    pub defaults: Vec<DefaultRow>,
    /// The default plugin configuration as pretty JSON.
    pub default_config: Option<String>,
    /// Default env vars, one line each.
    pub env: Vec<Text>,
    /// A `meshplug bind` command line.
    pub bind_command: String,
    /// A Binding document using the plugin.
    pub binding_yaml: String,
    /// Where the plugin runs.
    pub applied: Vec<AppliedRow>,
}

/// A maintainer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MaintainerView {
    /// Person or team.
    pub name: String,
    /// Contact address (shown as text).
    pub email: Option<String>,
    /// Web page.
    pub url: Option<Link>,
}

/// One released version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VersionView {
    /// Version string.
    pub version: String,
    /// Module url.
    pub url: Link,
    /// Pinned digest: the catalog's `sha256`, the url's `@sha256:`, or the lock's.
    pub pin: Option<String>,
    /// Image format from the lock.
    pub format: Option<String>,
    /// ABI version from the lock.
    pub abi: Option<String>,
}

/// One default setting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DefaultRow {
    /// Interface-string key of the label.
    pub key: &'static str,
    /// The value as written in YAML.
    pub value: String,
}

/// Where a plugin runs: one service, one source binding, one setting, the clusters it holds in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AppliedRow {
    /// The service whose chain includes it.
    pub service: ServiceRef,
    /// The binding that applies it (`namespace/name`).
    pub source: String,
    /// Clusters, comma-separated.
    pub clusters: String,
    /// Version.
    pub version: String,
    /// Phase.
    pub phase: String,
    /// Priority, when set.
    pub priority: Option<i64>,
}

/// A service as a link target.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct ServiceRef {
    /// `namespace/name`.
    pub key: String,
    /// Namespace.
    pub namespace: String,
    /// Binding name.
    pub name: String,
    /// Page path relative to the site root.
    pub href: String,
    /// `workload`, `namespace` or `mesh`.
    pub scope: &'static str,
}

/// One service (binding) with its chain per cluster.
#[derive(Debug, Clone, Serialize)]
pub struct ServiceView {
    /// Link data.
    #[serde(flatten)]
    pub service: ServiceRef,
    /// What the scope means, in both languages.
    pub scope_label: Text,
    /// The binding file.
    pub path: String,
    /// `key=value` labels of the selector.
    pub selector: Vec<String>,
    /// `Kind/name` of the target references.
    pub target_refs: Vec<String>,
    /// The chain in every cluster of the marketplace.
    pub chains: Vec<ClusterChain>,
}

/// A service's chain in one cluster.
#[derive(Debug, Clone, Serialize)]
pub struct ClusterChain {
    /// Cluster name.
    pub cluster: String,
    /// Whether any plugin runs.
    pub any: bool,
    /// Istio's filters and the plugins, in the order a request meets them.
    pub rows: Vec<ChainView>,
}

/// One step of a chain: an Istio filter (marker) or a plugin.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChainView {
    /// `istio` or `plugin`.
    pub kind: &'static str,
    /// Filter or plugin name.
    pub name: String,
    /// Plugin page, for plugins.
    pub href: Option<String>,
    /// What it is: the plugin's title or the Istio filter's role.
    pub label: Text,
    /// Phase (plugins).
    pub phase: String,
    /// Priority (plugins), when set.
    pub priority: Option<i64>,
    /// Version (plugins).
    pub version: String,
    /// Source binding (plugins).
    pub source: Option<ServiceRef>,
    /// Equal phase and priority with another plugin.
    pub tie: bool,
}

/// One cluster's traffic matrix.
#[derive(Debug, Clone, Serialize)]
pub struct ClusterView {
    /// Cluster name.
    pub name: String,
    /// Page path relative to the site root.
    pub href: String,
    /// Istio version, when declared.
    pub istio_version: Option<String>,
    /// "Traffic: NAME", the page title and navigation label.
    pub title: Text,
    /// "N services · M plugins".
    pub summary: Text,
    /// Plugins that run somewhere in the cluster, in chain order.
    pub columns: Vec<ColumnView>,
    /// One row per service.
    pub rows: Vec<MatrixRow>,
}

/// A plugin column of the matrix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ColumnView {
    /// Catalog name.
    pub plugin: String,
    /// Plugin page.
    pub href: String,
    /// Title.
    pub title: Text,
}

/// A service row of the matrix.
#[derive(Debug, Clone, Serialize)]
pub struct MatrixRow {
    /// The service.
    pub service: ServiceRef,
    /// One cell per column: the chain entries of that plugin (usually zero or one).
    pub cells: Vec<Vec<Cell>>,
}

/// A plugin in a service's chain, as a matrix cell.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Cell {
    /// Phase.
    pub phase: String,
    /// Priority, when set.
    pub priority: Option<i64>,
    /// Version.
    pub version: String,
    /// Equal phase and priority with another plugin of the chain.
    pub tie: bool,
    /// Applied by another binding (namespace- or mesh-wide, or a root-namespace selector).
    pub inherited: bool,
}
