//! Pointing diagnostics at places in a file: the [`Places`] trait over a file and its span tree,
//! and [`FileDoc`], a loaded file that parses its spans only when a place is first asked for.

use super::source::{SourceFile, SpanTree};
use crate::check::{Diagnostic, rules};
use std::sync::{Arc, OnceLock};

/// A parsed file that can place diagnostics at the node a JSON pointer names.
pub trait Places {
    /// The file.
    fn source(&self) -> &Arc<SourceFile>;

    /// Places of every node.
    fn spans(&self) -> &SpanTree;

    /// A diagnostic of `rule` at the node `pointer` points to (or its nearest ancestor).
    fn diag(
        &self,
        rule: &'static rules::Rule,
        pointer: &str,
        message: impl Into<String>,
    ) -> Diagnostic
    where
        Self: Sized,
    {
        Diagnostic::new(rule, message).at(self.source(), self.spans().locate(pointer).value)
    }

    /// A diagnostic of `rule` at the key of the entry `pointer` points to.
    fn diag_key(
        &self,
        rule: &'static rules::Rule,
        pointer: &str,
        message: impl Into<String>,
    ) -> Diagnostic
    where
        Self: Sized,
    {
        let loc = self.spans().locate(pointer);
        Diagnostic::new(rule, message).at(self.source(), loc.key.unwrap_or(loc.value))
    }

    /// `path:line` of the node `pointer` points to, for messages that cite another place.
    fn place(&self, pointer: &str) -> String {
        format!("{}:{}", self.source().path, self.line(pointer))
    }

    /// The 1-based line of the node `pointer` points to, for messages that cite another place
    /// in the same file.
    fn line(&self, pointer: &str) -> usize {
        self.source()
            .line_col(self.spans().locate(pointer).value.start as usize)
            .0
    }
}

/// A file that loaded cleanly, kept for diagnostics: its text, and its span tree parsed again
/// from the text the first time a diagnostic needs a place (most files never do).
#[derive(Debug, Clone)]
pub struct FileDoc {
    /// The file.
    pub source: Arc<SourceFile>,
    spans: OnceLock<SpanTree>,
}

impl FileDoc {
    /// Keep `source` (which parsed without errors) for diagnostics.
    pub fn new(source: Arc<SourceFile>) -> FileDoc {
        FileDoc {
            source,
            spans: OnceLock::new(),
        }
    }
}

impl Places for FileDoc {
    fn source(&self) -> &Arc<SourceFile> {
        &self.source
    }

    fn spans(&self) -> &SpanTree {
        self.spans.get_or_init(|| {
            super::parse(&self.source)
                .map(|d| d.spans)
                .unwrap_or_default()
        })
    }
}
