//! Checking a change against the whole repository before writing it: the changed file replaces
//! (or joins, or leaves) the loaded repository in memory, every rule runs, and only errors the
//! change introduces count against it.

use crate::diag::{Diagnostic, Severity};
use crate::load::{self, Repo};
use crate::model::{Binding, Kind, Plugin};

/// A change to one repository file (repository-relative, `/`-separated path).
#[derive(Debug, Clone)]
pub enum Change {
    /// The file gets this text (created or replaced).
    Write {
        /// Repository-relative path.
        path: String,
        /// What the file holds.
        kind: Kind,
        /// The new text.
        text: String,
    },
    /// The file is removed.
    Delete {
        /// Repository-relative path.
        path: String,
    },
}

impl Change {
    /// The file the change is about.
    pub fn path(&self) -> &str {
        match self {
            Change::Write { path, .. } | Change::Delete { path } => path,
        }
    }
}

/// Apply `change` to `repo` in memory. Returns the new file's own problems (YAML, kind, schema);
/// when there are any, the file is left out of the repository, as the loader would.
pub fn apply(repo: &mut Repo, change: &Change) -> Vec<Diagnostic> {
    let path = change.path();
    repo.plugins.retain(|p| p.doc.source.path != path);
    repo.bindings.retain(|b| b.doc.source.path != path);
    let mut diags = Vec::new();
    if let Change::Write { kind, text, .. } = change {
        let bytes = text.clone().into_bytes();
        match kind {
            Kind::Plugin => repo.plugins.extend(load::load_document::<Plugin>(
                path, bytes, *kind, &mut diags,
            )),
            Kind::Binding => repo.bindings.extend(load::load_document::<Binding>(
                path, bytes, *kind, &mut diags,
            )),
            Kind::Marketplace | Kind::Lock => {}
        }
    }
    diags
}

/// Every problem of `repo`: those found while loading it, and every rule's findings.
pub fn problems(repo: &Repo, load_diags: &[Diagnostic]) -> Vec<Diagnostic> {
    let mut all = load_diags.to_vec();
    all.extend(crate::check::check(repo).diagnostics);
    all
}

/// Errors in `after` that `before` did not have, compared by rule, file and message (with line
/// numbers in the message ignored, since an edit moves lines).
pub fn new_errors(before: &[Diagnostic], after: &[Diagnostic]) -> Vec<Diagnostic> {
    new_diagnostics(before, after)
        .into_iter()
        .filter(|d| d.severity == Severity::Error)
        .collect()
}

/// Every finding in `after` that `before` did not have (errors, warnings and notes), compared as
/// in [`new_errors`].
pub fn new_diagnostics(before: &[Diagnostic], after: &[Diagnostic]) -> Vec<Diagnostic> {
    let key = |d: &Diagnostic| {
        (
            d.rule.code,
            d.source
                .as_ref()
                .map(|s| s.path.clone())
                .unwrap_or_default(),
            without_line_numbers(&d.message),
        )
    };
    let old: std::collections::BTreeSet<_> = before.iter().map(key).collect();
    after
        .iter()
        .filter(|d| !old.contains(&key(d)))
        .cloned()
        .collect()
}

fn without_line_numbers(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut chars = message.chars().peekable();
    while let Some(c) = chars.next() {
        out.push(c);
        if c == ':' && chars.peek().is_some_and(char::is_ascii_digit) {
            while chars.next_if(char::is_ascii_digit).is_some() {}
            out.push('N');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_numbers_do_not_make_an_error_new() {
        assert_eq!(
            without_line_numbers("also in bindings/a.yaml:12 (entry 1)"),
            "also in bindings/a.yaml:N (entry 1)"
        );
    }
}
