//! Parse one YAML file once, into a JSON value (for schema checks and typed decoding) and a
//! parallel [`SpanTree`] (to point diagnostics at the right place).

use crate::diag::{Children, SourceFile, Span, SpanTree};
use crate::diag::{Diagnostic, rule};
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

impl crate::diag::Places for Document {
    fn source(&self) -> &Arc<SourceFile> {
        &self.source
    }

    fn spans(&self) -> &SpanTree {
        &self.spans
    }
}

/// Decode bytes as a UTF-8 text without a BOM, or say where it stops being UTF-8.
pub fn decode(path: &str, bytes: Vec<u8>) -> Result<Arc<SourceFile>, Diagnostic> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(Diagnostic::new(
            &rule::YAML_SYNTAX,
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
                &rule::YAML_SYNTAX,
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
    no_document(source)?;
    let node: Spanned<Node> = serde_saphyr::from_str_with_options(&source.text, options())
        .map_err(|e| syntax_error(source, &e))?;
    let (value, spans) = child(node);
    Ok(Document {
        source: source.clone(),
        value,
        spans,
    })
}

/// Parse a decoded file into its value only, without the places of its nodes (a third cheaper
/// than [`parse`]); [`parse`] gives the same value and, on errors, the same diagnostic.
pub fn parse_value(source: &Arc<SourceFile>) -> Result<Value, Diagnostic> {
    no_document(source)?;
    serde_saphyr::from_str_with_options::<Plain>(&source.text, options())
        .map(|p| p.0)
        // The error as the spanned parse reports it, so the diagnostic is the same either way.
        .map_err(|e| {
            parse(source)
                .err()
                .unwrap_or_else(|| syntax_error(source, &e))
        })
}

fn no_document(source: &Arc<SourceFile>) -> Result<(), Diagnostic> {
    if source.text.trim().is_empty()
        || source
            .text
            .lines()
            .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
    {
        return Err(
            Diagnostic::new(&rule::YAML_SYNTAX, "file holds no YAML document")
                .at(source, Span::default())
                .help("write the document, or delete the file"),
        );
    }
    Ok(())
}

fn options() -> serde_saphyr::Options {
    let mut options = serde_saphyr::options! {
        strict_booleans: true,
        leading_zero_numbers_as_strings: true,
        with_snippet: false,
    };
    let mut budget = options.budget.clone().unwrap_or_default();
    budget.max_depth = MAX_DEPTH;
    options.budget = Some(budget);
    options
}

fn syntax_error(source: &Arc<SourceFile>, e: &serde_saphyr::Error) -> Diagnostic {
    let message = UserMessageFormatter.format_message(e).into_owned();
    let offset = e.location().filter(|l| l.line() > 0).map_or(0, |l| {
        source.offset_of(l.line() as usize, l.column() as usize)
    });
    let duplicate = message
        .strip_prefix("duplicate mapping key `")
        .and_then(|rest| rest.split_once('`'))
        .map(|(key, _)| key.to_string());
    let too_big = message.contains("limits breached");
    let d = Diagnostic::new(&rule::YAML_SYNTAX, message);
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

/// A value parsed without places, with the same rules as [`Node`].
struct Plain(Value);

/// Builds plain values; [`NodeVisitor`] uses it for scalars.
struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_unit<E: serde::de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E: serde::de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        Plain::deserialize(d).map(|p| p.0)
    }
    fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_i128<E: serde::de::Error>(self, v: i128) -> Result<Value, E> {
        Err(E::custom(format!("integer {v} is out of range")))
    }
    fn visit_u128<E: serde::de::Error>(self, v: u128) -> Result<Value, E> {
        Err(E::custom(format!("integer {v} is out of range")))
    }
    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Value, E> {
        match serde_json::Number::from_f64(v) {
            Some(n) => Ok(Value::Number(n)),
            None => Err(E::custom(
                "infinite or NaN numbers cannot be represented in Kubernetes objects; quote the value if it is meant as a string",
            )),
        }
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_bytes<E: serde::de::Error>(self, v: &[u8]) -> Result<Value, E> {
        Ok(Value::String(String::from_utf8_lossy(v).into_owned()))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut values = Vec::new();
        while let Some(item) = seq.next_element::<Plain>()? {
            values.push(item.0);
        }
        Ok(Value::Array(values))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = serde_json::Map::new();
        while let Some((key, value)) = map.next_entry::<String, Plain>()? {
            // Merge keys (`<<`) may bring a key twice; the first one seen wins.
            object.entry(key).or_insert(value.0);
        }
        Ok(Value::Object(object))
    }
}

impl<'de> Deserialize<'de> for Plain {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Plain, D::Error> {
        d.deserialize_any(ValueVisitor).map(Plain)
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_unit<E: serde::de::Error>(self) -> Result<Node, E> {
        ValueVisitor.visit_unit().map(leaf)
    }
    fn visit_none<E: serde::de::Error>(self) -> Result<Node, E> {
        ValueVisitor.visit_none().map(leaf)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Node, D::Error> {
        Node::deserialize(d)
    }
    fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<Node, E> {
        ValueVisitor.visit_bool(v).map(leaf)
    }
    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Node, E> {
        ValueVisitor.visit_i64(v).map(leaf)
    }
    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Node, E> {
        ValueVisitor.visit_u64(v).map(leaf)
    }
    fn visit_i128<E: serde::de::Error>(self, v: i128) -> Result<Node, E> {
        ValueVisitor.visit_i128(v).map(leaf)
    }
    fn visit_u128<E: serde::de::Error>(self, v: u128) -> Result<Node, E> {
        ValueVisitor.visit_u128(v).map(leaf)
    }
    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Node, E> {
        ValueVisitor.visit_f64(v).map(leaf)
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Node, E> {
        ValueVisitor.visit_str(v).map(leaf)
    }
    fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Node, E> {
        ValueVisitor.visit_string(v).map(leaf)
    }
    fn visit_bytes<E: serde::de::Error>(self, v: &[u8]) -> Result<Node, E> {
        ValueVisitor.visit_bytes(v).map(leaf)
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
    fn plain_parse_agrees_with_spanned_parse() {
        let texts = [
            "a: on\nb: [1, -2, 3.5, ~, '', \"x\"]\nc: {d: 0755, e: !!str 12}\n",
            "base: &b {x: 1, y: 2}\nm:\n  <<: *b\n  y: 3\nlist: [*b, *b]\n",
            "- a\n- b: |\n    text\n  c: >-\n    folded\n",
            "a: 1\nb: 2\na: 3\n",
            "a: [1, 2\n",
            "a: .nan\n",
            "a: 999999999999999999999999\n",
            "a:\n  - b\n c\n",
        ];
        for text in texts {
            let src = SourceFile::new("t.yaml", text.into());
            match (parse(&src), parse_value(&src)) {
                (Ok(d), Ok(v)) => assert_eq!(d.value, v, "{text}"),
                (Err(a), Err(b)) => assert_eq!(
                    (a.message, a.span, a.help),
                    (b.message, b.span, b.help),
                    "{text}"
                ),
                (a, b) => panic!("{text}: {:?} vs {:?}", a.map(|d| d.value), b),
            }
        }
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
