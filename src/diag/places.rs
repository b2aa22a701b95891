//! Pointing diagnostics at places in a file: the [`Places`] trait over a file and its span tree.

use super::source::{SourceFile, SpanTree};
use crate::diag::{Diagnostic, rule};
use std::sync::Arc;

/// A parsed file that can place diagnostics at the node a JSON pointer names.
pub trait Places {
    /// The file.
    fn source(&self) -> &Arc<SourceFile>;

    /// Places of every node.
    fn spans(&self) -> &SpanTree;

    /// A diagnostic of `rule` at the node `pointer` points to (or its nearest ancestor).
    fn diag(
        &self,
        rule: &'static rule::Rule,
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
        rule: &'static rule::Rule,
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
