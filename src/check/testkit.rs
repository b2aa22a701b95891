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
