//! Network errors: always the url (without credentials), the cause and how to fix it.

use crate::model::url::redact;
use std::fmt;

/// A failed fetch or push.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetError {
    /// The url or reference involved, with any user:password removed.
    pub url: String,
    /// What went wrong.
    pub message: String,
    /// How to fix it.
    pub help: String,
}

impl NetError {
    /// An error about `url`.
    pub fn new(url: &str, message: impl Into<String>, help: impl Into<String>) -> NetError {
        NetError {
            url: redact(url),
            message: message.into(),
            help: help.into(),
        }
    }
}

impl NetError {
    /// The same error told about the module `url` it happened for: the request url (a registry
    /// API path) moves into the message.
    pub fn about(mut self, url: &str) -> NetError {
        let url = redact(url);
        if self.url != url {
            self.message = format!("{} (at {})", self.message, self.url);
            self.url = url;
        }
        self
    }
}

impl fmt::Display for NetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.url, self.message)
    }
}

impl std::error::Error for NetError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_are_redacted() {
        assert_eq!(redact("https://u:p@h/x.wasm"), "https://***@h/x.wasm");
        assert_eq!(redact("https://h/a@b"), "https://h/a@b");
        assert_eq!(redact("oci://h/r:t"), "oci://h/r:t");
    }
}
