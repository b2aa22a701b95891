//! Findings of the checks on repositories built from in-memory files, for rule tests.

pub use crate::load::testkit::{binding, plugin, repo};

use super::check;
use crate::diag::Diagnostic;

/// Every finding of `check` on `files`, as (code, "path:line", message).
pub fn findings(files: &[(&str, &str)]) -> Vec<(&'static str, String, String)> {
    let repo = repo(files);
    check(&repo)
        .diagnostics
        .iter()
        .map(|d: &Diagnostic| {
            let (path, line, _) = d.location().unwrap_or_default();
            (d.rule.code, format!("{path}:{line}"), d.message.clone())
        })
        .collect()
}

/// The codes of every finding on `files`.
pub fn codes(files: &[(&str, &str)]) -> Vec<&'static str> {
    findings(files).into_iter().map(|(c, _, _)| c).collect()
}

/// A catalog entry `x` with the YAML list `versions` and more spec fields in `extra`.
pub fn entry(versions: &str, extra: &str) -> String {
    format!(
        "apiVersion: meshplug.io/v1alpha1\nkind: Plugin\nmetadata: {{name: x}}\nspec:\n  title: {{en: X}}\n  description: {{en: X}}\n  versions:\n{versions}{extra}"
    )
}

/// (code, message) of every finding for one catalog version with `url` and `sha256`.
pub fn url_findings(url: &str, sha256: Option<&str>) -> Vec<(&'static str, String)> {
    let sha = sha256.map_or(String::new(), |s| format!("    sha256: \"{s}\"\n"));
    let p = entry(
        &format!("  - version: 1.0.0\n    url: \"{url}\"\n{sha}"),
        "",
    );
    findings(&[("catalog/x.yaml", &p)])
        .into_iter()
        .map(|(c, _, m)| (c, m))
        .collect()
}

/// The codes of [`url_findings`].
pub fn url_codes(url: &str, sha256: Option<&str>) -> Vec<&'static str> {
    url_findings(url, sha256)
        .into_iter()
        .map(|(c, _)| c)
        .collect()
}

/// (code, path:line, message) of every finding for one binding `cart` in `namespace` with `spec`,
/// over a catalog entry `a` (AUTHN, priority 300).
pub fn binding_findings(namespace: &str, spec: &str) -> Vec<(&'static str, String, String)> {
    let a = plugin("a", "{phase: AUTHN, priority: 300}");
    let b = binding(namespace, "cart", spec);
    findings(&[("catalog/a.yaml", &a), ("bindings/cart.yaml", &b)])
}
