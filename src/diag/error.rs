//! The one error type for failures that stop a command before or instead of findings: a usage
//! or I/O problem (exit 2), with what happened and how to fix it.

use std::fmt;

/// A fatal error: the command cannot do its job (unreadable directory, no `meshplug.yaml`,
/// unwritable output, unreachable registry…). Findings about the repository are
/// [`Diagnostic`](super::Diagnostic)s instead.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Error {
    /// What happened.
    pub message: String,
    /// How to fix it.
    pub help: String,
}

impl Error {
    /// An error with its fix.
    pub fn new(message: impl Into<String>, help: impl Into<String>) -> Error {
        Error {
            message: message.into(),
            help: help.into(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}
