//! A problem found in the repository: rule, place, message and how to fix it.

use super::rule::Rule;
use crate::diag::{SourceFile, Span};
use std::sync::Arc;

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Fails `validate` and `render`.
    Error,
    /// Reported; fails only with `--deny-warnings`.
    Warning,
}

/// One finding, tied to a rule and (usually) a place in a file.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    /// The rule that found it.
    pub rule: &'static Rule,
    /// Its severity (the rule's unless raised or lowered for this case).
    pub severity: Severity,
    /// The file, when there is one.
    pub source: Option<Arc<SourceFile>>,
    /// The place in the file.
    pub span: Option<Span>,
    /// What is wrong.
    pub message: String,
    /// A short label under the snippet.
    pub label: Option<String>,
    /// How to fix it.
    pub help: Option<String>,
    /// Credentials at the span ([`Diagnostic::masked`]): the reporter masks the span in every
    /// snippet of the run and these values in every message (see [`crate::diag::shown`]).
    pub secrets: Option<Box<[String]>>,
}

impl Diagnostic {
    /// A finding of `rule` with its default severity.
    pub fn new(rule: &'static Rule, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            rule,
            severity: rule.severity,
            source: None,
            span: None,
            message: message.into(),
            label: None,
            help: None,
            secrets: None,
        }
    }

    /// Attach the file and place.
    pub fn at(mut self, source: &Arc<SourceFile>, span: Span) -> Diagnostic {
        self.source = Some(source.clone());
        self.span = Some(span);
        self
    }

    /// Mark the text at the span as a credential: the finding must not copy it into CI logs.
    /// Every diagnostic printed with this one shows the span starred in its snippet and the text
    /// as `***` in its messages (the reporter applies [`crate::diag::shown::Redactions`]). Byte
    /// offsets, and so the location, stay the same.
    pub fn masked(mut self) -> Diagnostic {
        if let (Some(src), Some(span)) = (self.source.clone(), self.span) {
            let (start, end) = super::shown::char_range(&src.text, span);
            let raw = &src.text[start..end];
            let unquoted = raw
                .strip_prefix(['"', '\''])
                .and_then(|r| r.strip_suffix(['"', '\'']))
                .unwrap_or(raw);
            let unquoted = unquoted.to_string();
            self = self.secret(unquoted);
        }
        self
    }

    /// Also mask `value` (the credential as parsed, when the file spells it otherwise: escaped,
    /// folded) in every message of the run.
    pub fn secret(mut self, value: impl Into<String>) -> Diagnostic {
        let mut all = self.secrets.take().map(Vec::from).unwrap_or_default();
        all.push(value.into());
        self.secrets = Some(all.into_boxed_slice());
        self
    }

    /// Attach the file only (no snippet).
    pub fn in_file(mut self, source: &Arc<SourceFile>) -> Diagnostic {
        self.source = Some(source.clone());
        self
    }

    /// Set the snippet label.
    pub fn label(mut self, label: impl Into<String>) -> Diagnostic {
        self.label = Some(label.into());
        self
    }

    /// Set the fix hint.
    pub fn help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    /// Override the severity.
    pub fn severity(mut self, severity: Severity) -> Diagnostic {
        self.severity = severity;
        self
    }

    /// `path:line:col` of the finding, or just the path, or nothing.
    pub fn location(&self) -> Option<(String, usize, usize)> {
        let source = self.source.as_ref()?;
        let (line, col) = self
            .span
            .map_or((1, 1), |s| source.line_col(s.start as usize));
        Some((source.path.clone(), line, col))
    }

    /// Sort key: file, place, code, message. Output order never depends on discovery order.
    pub fn sort_key(&self) -> (String, u32, &'static str, String) {
        (
            self.source
                .as_ref()
                .map(|s| s.path.clone())
                .unwrap_or_default(),
            self.span.map_or(0, |s| s.start),
            self.rule.code,
            self.message.clone(),
        )
    }
}

/// Sort findings by file, place and code, and drop exact repeats.
pub fn sort_and_dedup(diags: &mut Vec<Diagnostic>) {
    diags.sort_by_cached_key(Diagnostic::sort_key);
    diags.dedup_by(|a, b| a.sort_key() == b.sort_key());
}
