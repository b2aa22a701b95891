//! [`FileDoc`]: a loaded file that parses its spans only when a place is first asked for.

use crate::diag::{Places, SourceFile, SpanTree};
use std::sync::{Arc, OnceLock};

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
