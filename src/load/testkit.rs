//! Repositories built from in-memory files, for rule tests.

use super::{CONFIG_FILE, Repo, load_document};
use crate::model::Kind;

/// Two clusters on different Istio versions; the default catalog and bindings dirs.
pub const MARKETPLACE: &str = "apiVersion: meshplug.io/v1alpha1
kind: Marketplace
metadata: {name: test}
spec:
  clusters:
  - {name: prod, istioVersion: \"1.27\"}
  - {name: staging, istioVersion: \"1.24\"}
";

/// A catalog entry `name` with one pinned OCI version and the given `defaults:` body (flow YAML).
pub fn plugin(name: &str, defaults: &str) -> String {
    format!(
        "apiVersion: meshplug.io/v1alpha1
kind: Plugin
metadata: {{name: {name}}}
spec:
  title: {{en: {name}}}
  description: {{en: test plugin}}
  versions:
  - version: 1.0.0
    url: oci://registry.example.com/{name}:1.0.0
    sha256: {}
  defaults: {defaults}
",
        "ab".repeat(32)
    )
}

/// A binding `namespace/name` whose `spec:` is `spec` (block YAML, indented by two spaces).
pub fn binding(namespace: &str, name: &str, spec: &str) -> String {
    format!(
        "apiVersion: meshplug.io/v1alpha1\nkind: Binding\nmetadata: {{name: {name}, namespace: {namespace}}}\nspec:\n{spec}"
    )
}

/// Load `files` (path, text) as a repository: `meshplug.yaml` (default [`MARKETPLACE`]),
/// `catalog/...` Plugins and `bindings/...` Bindings. Panics when a file does not load (warnings are ignored).
pub fn repo(files: &[(&str, &str)]) -> Repo {
    let mut diags = Vec::new();
    let text = |p: &str| files.iter().find(|(path, _)| *path == p).map(|(_, t)| *t);
    let config_text = text(CONFIG_FILE).unwrap_or(MARKETPLACE);
    let config = load_document(
        CONFIG_FILE,
        config_text.as_bytes().to_vec(),
        Kind::Marketplace,
        &mut diags,
    );
    let (mut plugins, mut bindings) = (Vec::new(), Vec::new());
    for (path, text) in files {
        let bytes = text.as_bytes().to_vec();
        if path.starts_with("catalog/") {
            plugins.extend(load_document(path, bytes, Kind::Plugin, &mut diags));
        } else if path.starts_with("bindings/") {
            bindings.extend(load_document(path, bytes, Kind::Binding, &mut diags));
        }
    }
    // Warnings (a YAML 1.1 boolean word in a short test name, MP046) do not stop a test repository.
    diags.retain(|d| d.severity == crate::diag::Severity::Error);
    assert!(diags.is_empty(), "test files do not load: {diags:#?}");
    Repo {
        root: ".".into(),
        config: config.expect("meshplug.yaml loads"),
        plugins,
        bindings,
    }
}
