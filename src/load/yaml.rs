//! Parse one YAML file once, into a JSON value (for schema checks and typed decoding) and a
//! parallel [`SpanTree`] (to point diagnostics at the right place).

use super::source::{Children, SourceFile, Span, SpanTree};
use crate::check::{Diagnostic, rules};
use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use serde_saphyr::{MessageFormatter, Spanned, UserMessageFormatter};
use std::fmt;
use std::sync::Arc;

/// Largest file meshplug reads.
pub const MAX_FILE_BYTES: usize = 16 * 1024 * 1024;
/// Deepest nesting accepted.
pub const MAX_DEPTH: usize = 64;

/// A parsed YAML document: its file, its value and where each node came from.
#[derive(Debug, Clone)]
pub struct Document {
    /// The file.
    pub source: Arc<SourceFile>,
    /// The document as JSON (YAML 1.2 scalars: `on`, `no`, `0755` stay strings).
    pub value: Value,
    /// Places of every node.
    pub spans: SpanTree,
}

impl Document {
    /// A diagnostic of `rule` at the node `pointer` points to (or its nearest ancestor).
    pub fn diag(
        &self,
        rule: &'static rules::Rule,
        pointer: &str,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic::new(rule, message).at(&self.source, self.spans.locate(pointer).value)
    }

    /// `path:line` of the node `pointer` points to, for messages that cite another place.
    pub fn place(&self, pointer: &str) -> String {
        format!("{}:{}", self.source.path, self.line(pointer))
    }

    /// The 1-based line of the node `pointer` points to, for messages that cite another place
    /// in the same file.
    pub fn line(&self, pointer: &str) -> usize {
        self.source
            .line_col(self.spans.locate(pointer).value.start as usize)
            .0
    }

    /// A diagnostic of `rule` at the key of the entry `pointer` points to.
    pub fn diag_key(
        &self,
        rule: &'static rules::Rule,
        pointer: &str,
        message: impl Into<String>,
    ) -> Diagnostic {
        let loc = self.spans.locate(pointer);
        Diagnostic::new(rule, message).at(&self.source, loc.key.unwrap_or(loc.value))
    }
}

/// Decode bytes as a UTF-8 text without a BOM, or say where it stops being UTF-8.
pub fn decode(path: &str, bytes: Vec<u8>) -> Result<Arc<SourceFile>, Diagnostic> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(Diagnostic::new(
            &rules::YAML,
            format!(
                "{path}: file is {} bytes; the limit is {} MiB",
                bytes.len(),
                MAX_FILE_BYTES >> 20
            ),
        )
        .in_file(&SourceFile::new(path, String::new()))
        .help(
            "split the file, or move large data (e.g. pluginConfig blobs) out of the repository",
        ));
    }
    match String::from_utf8(bytes) {
        Ok(mut text) => {
            if text.starts_with('\u{feff}') {
                text.drain(..3);
            }
            Ok(SourceFile::new(path, text))
        }
        Err(e) => {
            let good = e.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
            let src = SourceFile::new(path, text);
            let at = src.text.char_indices().nth(
                String::from_utf8_lossy(&e.as_bytes()[..good])
                    .chars()
                    .count(),
            );
            let offset = at.map_or(src.text.len(), |(i, _)| i);
            Err(Diagnostic::new(
                &rules::YAML,
                format!("file is not valid UTF-8 (byte {good})"),
            )
            .at(&src, Span::new(offset, 1))
            .label("not UTF-8")
            .help("save the file as UTF-8"))
        }
    }
}

/// Parse a decoded file into a [`Document`].
pub fn parse(source: &Arc<SourceFile>) -> Result<Document, Diagnostic> {
    if source.text.trim().is_empty()
        || source
            .text
            .lines()
            .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
    {
        return Err(Diagnostic::new(&rules::YAML, "file holds no YAML document")
            .at(source, Span::default())
            .help("write the document, or delete the file"));
    }
    let mut options = serde_saphyr::options! {
        strict_booleans: true,
        leading_zero_numbers_as_strings: true,
        with_snippet: false,
    };
    let mut budget = options.budget.clone().unwrap_or_default();
    budget.max_depth = MAX_DEPTH;
    options.budget = Some(budget);
    let node: Spanned<Node> = serde_saphyr::from_str_with_options(&source.text, options).map_err(|e| {
        let message = UserMessageFormatter.format_message(&e).into_owned();
        let offset = e
            .location()
            .filter(|l| l.line() > 0)
            .map_or(0, |l| source.offset_of(l.line() as usize, l.column() as usize));
        let duplicate = message
            .strip_prefix("duplicate mapping key `")
            .and_then(|rest| rest.split_once('`'))
            .map(|(key, _)| key.to_string());
        let too_big = message.contains("limits breached");
        let d = Diagnostic::new(&rules::YAML, message);
        match duplicate {
            Some(key) => {
                let len = if source.text.get(offset..).is_some_and(|t| t.starts_with(&key)) {
                    key.len()
                } else {
                    1
                };
                d.at(source, Span::new(offset, len))
                    .label("repeated key")
                    .help(format!("`{key}` appears twice in one mapping: merge the two or delete one (tools disagree on which one wins)"))
            }
            None if too_big => d
                .at(source, Span::new(offset, 1))
                .help(format!("a document may nest {MAX_DEPTH} levels deep and hold 250,000 nodes once aliases are expanded: write it out without chains of aliases, or split it")),
            None => d
                .at(source, Span::new(offset, 1))
                .help("fix the YAML syntax; every key may appear once per mapping and each file holds one document"),
        }
    })?;
    let (value, spans) = child(node);
    Ok(Document {
        source: source.clone(),
        value,
        spans,
    })
}

fn span_of<T>(s: &Spanned<T>) -> Span {
    let sp = s.referenced.span();
    match (sp.byte_offset(), sp.byte_len()) {
        (Some(o), Some(l)) => Span::new(o as usize, l as usize),
        _ => Span::new(0, 0),
    }
}

/// A node built in one pass: its JSON value and the places of its children. The node's own
/// place is known only to its parent (from the `Spanned` wrapper), which sets it.
struct Node(Value, SpanTree);

fn child(spanned: Spanned<Node>) -> (Value, SpanTree) {
    let span = span_of(&spanned);
    let Node(value, mut tree) = spanned.value;
    tree.span = span;
    (value, tree)
}

fn leaf(v: Value) -> Node {
    Node(v, SpanTree::default())
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_unit<E>(self) -> Result<Node, E> {
        Ok(leaf(Value::Null))
    }
    fn visit_none<E>(self) -> Result<Node, E> {
        Ok(leaf(Value::Null))
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Node, D::Error> {
        Node::deserialize(d)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Node, E> {
        Ok(leaf(Value::Bool(v)))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Node, E> {
        Ok(leaf(Value::from(v)))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Node, E> {
        Ok(leaf(Value::from(v)))
    }
    fn visit_i128<E: serde::de::Error>(self, v: i128) -> Result<Node, E> {
        Err(E::custom(format!("integer {v} is out of range")))
    }
    fn visit_u128<E: serde::de::Error>(self, v: u128) -> Result<Node, E> {
        Err(E::custom(format!("integer {v} is out of range")))
    }
    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Node, E> {
        match serde_json::Number::from_f64(v) {
            Some(n) => Ok(leaf(Value::Number(n))),
            None => Err(E::custom(
                "infinite or NaN numbers cannot be represented in Kubernetes objects; quote the value if it is meant as a string",
            )),
        }
    }
    fn visit_str<E>(self, v: &str) -> Result<Node, E> {
        Ok(leaf(Value::String(v.to_owned())))
    }
    fn visit_string<E>(self, v: String) -> Result<Node, E> {
        Ok(leaf(Value::String(v)))
    }
    fn visit_bytes<E>(self, v: &[u8]) -> Result<Node, E> {
        Ok(leaf(Value::String(String::from_utf8_lossy(v).into_owned())))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut values = Vec::new();
        let mut trees = Vec::new();
        while let Some(item) = seq.next_element::<Spanned<Node>>()? {
            let (v, t) = child(item);
            values.push(v);
            trees.push(t);
        }
        Ok(Node(
            Value::Array(values),
            SpanTree {
                span: Span::default(),
                children: Children::Seq(trees),
            },
        ))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut object = serde_json::Map::new();
        let mut trees = Vec::new();
        while let Some((key, value)) = map.next_entry::<Spanned<String>, Spanned<Node>>()? {
            let key_span = span_of(&key);
            let (v, t) = child(value);
            // Merge keys (`<<`) may bring a key twice; the first one seen wins in both views.
            if object.contains_key(&key.value) {
                continue;
            }
            object.insert(key.value.clone(), v);
            trees.push((key.value.into_boxed_str(), key_span, t));
        }
        Ok(Node(
            Value::Object(object),
            SpanTree {
                span: Span::default(),
                children: Children::Map(trees),
            },
        ))
    }
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Node, D::Error> {
        d.deserialize_any(NodeVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str) -> Result<Document, Diagnostic> {
        parse(&SourceFile::new("t.yaml", text.into()))
    }

    #[test]
    fn yaml_1_1_traps_stay_strings() {
        let d = doc("a: on\nb: no\nc: 0755\nd: 2001-12-14\ne: y\n").unwrap();
        assert_eq!(
            d.value,
            serde_json::json!({"a": "on", "b": "no", "c": "0755", "d": "2001-12-14", "e": "y"})
        );
    }

    #[test]
    fn spans_point_at_values_and_keys() {
        let d = doc("spec:\n  plugins:\n  - plugin: foo\n    priority: 5\n").unwrap();
        let loc = d.spans.locate("/spec/plugins/0/priority");
        assert!(loc.exact);
        assert_eq!(d.source.line_col(loc.value.start as usize), (4, 15));
        assert_eq!(d.source.line_col(loc.key.unwrap().start as usize), (4, 5));
        let missing = d.spans.locate("/spec/plugins/0/nothing");
        assert!(!missing.exact);
        assert_eq!(d.source.line_col(missing.value.start as usize).0, 3);
    }

    #[test]
    fn duplicate_keys_are_errors_with_location() {
        let e = doc("a: 1\nb: 2\na: 3\n").unwrap_err();
        assert_eq!(e.rule.code, "MP001");
        assert_eq!(e.location().unwrap().1, 3);
        assert!(e.message.contains("duplicate"), "{}", e.message);
        // The whole repeated key is marked, and the hint names it.
        assert_eq!(e.span.map(|s| (s.start, s.len)), Some((10, 1)));
        assert_eq!(e.label.as_deref(), Some("repeated key"));
        let e = doc("spec:\n  phase: AUTHN\n  phase: AUTHZ\n").unwrap_err();
        assert_eq!(e.span.map(|s| (s.start, s.len)), Some((23, 5)));
        assert!(e.help.unwrap().starts_with("`phase` appears twice"));
    }

    #[test]
    fn empty_and_comment_only_files_are_errors() {
        assert!(doc("").is_err());
        assert!(doc("# nothing\n\n").is_err());
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let text = format!("{}1{}", "[".repeat(10_000), "]".repeat(10_000));
        assert_eq!(doc(&text).unwrap_err().rule.code, "MP001");
    }

    #[test]
    fn alias_bomb_is_an_error() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x]\n");
        for i in 1..10 {
            let p = i - 1;
            text.push_str(&format!(
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
            ));
        }
        assert_eq!(doc(&text).unwrap_err().rule.code, "MP001");
    }

    #[test]
    fn bom_and_bad_utf8() {
        let src = decode("t.yaml", b"\xef\xbb\xbfa: 1\n".to_vec()).unwrap();
        assert_eq!(parse(&src).unwrap().value, serde_json::json!({"a": 1}));
        let e = decode("t.yaml", b"a: 1\nb: \xff\n".to_vec()).unwrap_err();
        assert_eq!(e.location().unwrap().1, 2);
    }
}
