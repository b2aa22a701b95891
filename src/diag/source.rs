//! Source files and the span tree that maps a JSON pointer back to a place in the file.

use std::sync::{Arc, OnceLock};

/// A byte range in a source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Span {
    /// Byte offset of the first byte.
    pub start: u32,
    /// Length in bytes.
    pub len: u32,
}

impl Span {
    /// A span covering `len` bytes from `start` (saturating at `u32::MAX`).
    pub fn new(start: usize, len: usize) -> Span {
        Span {
            start: start.min(u32::MAX as usize) as u32,
            len: len.min(u32::MAX as usize) as u32,
        }
    }
}

/// One file of the repository (or of the builtin catalog), kept for diagnostics.
#[derive(Debug)]
pub struct SourceFile {
    /// Display path: repo-relative with `/` separators, or `builtin:catalog/NAME.yaml`.
    pub path: String,
    /// The text (UTF-8, BOM removed).
    pub text: String,
    /// Byte offset of each line's start, computed when a place is first asked for.
    line_starts: OnceLock<Vec<u32>>,
}

impl SourceFile {
    /// Wrap a file's text for diagnostics.
    pub fn new(path: impl Into<String>, text: String) -> Arc<SourceFile> {
        Arc::new(SourceFile {
            path: path.into(),
            text,
            line_starts: OnceLock::new(),
        })
    }

    /// Byte offset of each line's start (files are at most 16 MiB, so they fit in `u32`).
    fn line_starts(&self) -> &[u32] {
        self.line_starts.get_or_init(|| {
            std::iter::once(0)
                .chain(self.text.match_indices('\n').map(|(i, _)| i as u32 + 1))
                .collect()
        })
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let starts = self.line_starts();
        let line = starts.partition_point(|&s| s as usize <= offset).max(1);
        let start = starts[line - 1] as usize;
        let col = self
            .text
            .get(start..offset)
            .map_or(1, |s| s.chars().count() + 1);
        (line, col)
    }

    /// Byte offset of a 1-based line and character column (clamped to the text).
    pub fn offset_of(&self, line: usize, col: usize) -> usize {
        let Some(&start) = self.line_starts().get(line.saturating_sub(1)) else {
            return self.text.len();
        };
        let start = start as usize;
        let rest = &self.text[start..];
        let line_end = rest.find('\n').unwrap_or(rest.len());
        rest[..line_end]
            .char_indices()
            .nth(col.saturating_sub(1))
            .map_or(start + line_end, |(i, _)| start + i)
    }
}

/// The places of one YAML node and of its children, parallel to the JSON value built from it.
#[derive(Debug, Clone, Default)]
pub struct SpanTree {
    /// Where the node's value is.
    pub span: Span,
    /// Children of a sequence or mapping.
    pub children: Children,
}

/// Children of a [`SpanTree`] node.
#[derive(Debug, Clone, Default)]
pub enum Children {
    /// A scalar.
    #[default]
    None,
    /// Sequence items, by index.
    Seq(Vec<SpanTree>),
    /// Mapping entries in file order: key text, key place, value tree.
    Map(Vec<(Box<str>, Span, SpanTree)>),
}

/// Where a JSON pointer leads in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Located {
    /// The value's place, or the nearest existing ancestor's.
    pub value: Span,
    /// The key's place when the pointer ends at a mapping entry.
    pub key: Option<Span>,
    /// Whether the whole pointer was found (false: an ancestor's place is given).
    pub exact: bool,
}

impl SpanTree {
    /// Follow a JSON pointer (`/spec/plugins/0/phase`) as far as it exists.
    pub fn locate(&self, pointer: &str) -> Located {
        let mut node = self;
        let mut key = None;
        let mut exact = true;
        for token in pointer.split('/').skip(1) {
            let token = token.replace("~1", "/").replace("~0", "~");
            let next = match &node.children {
                Children::Map(entries) => entries
                    .iter()
                    .find(|(k, _, _)| **k == *token)
                    .map(|(_, ks, v)| (Some(*ks), v)),
                Children::Seq(items) => token
                    .parse::<usize>()
                    .ok()
                    .and_then(|i| items.get(i))
                    .map(|v| (None, v)),
                Children::None => None,
            };
            match next {
                Some((k, v)) => {
                    key = k;
                    node = v;
                }
                None => {
                    exact = false;
                    break;
                }
            }
        }
        Located {
            value: node.span,
            key: if exact { key } else { None },
            exact,
        }
    }
}
