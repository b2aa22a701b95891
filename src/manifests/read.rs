//! Reading Kubernetes manifests: multi-document YAML streams (`---`), JSON, and `kind: List`
//! dumps (`kubectl get ... -o yaml|json`). Each document keeps the places of its nodes in the
//! original file, so diagnostics point at the right line and column. Scalars are read the way
//! kubectl reads them (YAML 1.1: `on` is `true`, `010` is 8, see [`crate::load::yaml11`]), and
//! whole-number floats are the integers the API server stores (`10.0` is `10`).

use crate::diag::Places as _;
use crate::diag::{Children, SourceFile};
use crate::diag::{Diagnostic, rule};
use crate::load::{self, Document};
use serde_json::Value;
use std::sync::Arc;

/// Byte ranges of the documents of a YAML stream (between `---` / `...` marker lines).
fn document_ranges(text: &str) -> Vec<(usize, usize)> {
    let mut ranges = Vec::new();
    let mut start = 0;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let bare = line.trim_end_matches(['\n', '\r']);
        let marker = ["---", "..."].iter().find(|m| {
            bare.starts_with(**m)
                && bare[3..]
                    .chars()
                    .next()
                    .is_none_or(|c| c == ' ' || c == '\t')
        });
        if let Some(m) = marker {
            ranges.push((start, offset));
            // Content after `--- ` on the marker line belongs to the next document.
            start = if *m == "---" {
                offset + 3
            } else {
                offset + line.len()
            };
        }
        offset += line.len();
    }
    ranges.push((start, text.len()));
    ranges
}

/// `text` with everything outside `range` blanked (newlines kept), so byte offsets and line
/// numbers of the document stay those of the whole file.
fn isolate(text: &str, (start, end): (usize, usize)) -> String {
    let mut out = Vec::with_capacity(text.len());
    for (i, b) in text.bytes().enumerate() {
        out.push(if (start..end).contains(&i) || b == b'\n' {
            b
        } else {
            b' '
        });
    }
    String::from_utf8(out).unwrap_or_default()
}

fn is_blank(text: &str) -> bool {
    text.lines().all(|l| {
        l.trim().is_empty() || l.trim_start().starts_with('#') || l.trim_start().starts_with('%')
    })
}

/// The sub-document at `pointer` (a List item), sharing the file and its places.
fn child(doc: &Document, index: usize, value: Value) -> Document {
    let spans = match &doc.spans.children {
        Children::Map(entries) => entries
            .iter()
            .find(|(k, _, _)| &**k == "items")
            .and_then(|(_, _, t)| match &t.children {
                Children::Seq(items) => items.get(index).cloned(),
                _ => None,
            })
            .unwrap_or_else(|| doc.spans.clone()),
        _ => doc.spans.clone(),
    };
    Document {
        source: doc.source.clone(),
        value,
        spans,
    }
}

/// Every object in a file: documents of the stream, with `List` documents expanded to their
/// items. Problems (encoding, syntax) become diagnostics; the other documents are still read.
pub fn read(display: &str, bytes: Vec<u8>) -> (Vec<Document>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let source = match load::decode(display, bytes) {
        Ok(s) => s,
        Err(d) => return (Vec::new(), vec![d]),
    };
    let mut docs = Vec::new();
    let mut parsed = false;
    for range in document_ranges(&source.text) {
        if is_blank(&source.text[range.0..range.1]) {
            continue;
        }
        let alone = SourceFile::new(display, isolate(&source.text, range));
        match load::parse(&alone) {
            Ok(mut doc) => {
                parsed = true;
                // Read as kubectl does: YAML 1.1 plain scalars, whole floats as integers.
                load::yaml11::reresolve(&mut doc);
                load::yaml11::whole_floats_to_ints(&mut doc.value);
                doc.source = Arc::clone(&source);
                expand(doc, &mut docs, &mut diags);
            }
            Err(mut d) => {
                d.source = Some(Arc::clone(&source));
                diags.push(d);
            }
        }
    }
    if !parsed && diags.is_empty() {
        diags.push(
            Diagnostic::new(&rule::YAML_SYNTAX, "file holds no YAML document")
                .in_file(&source)
                .help("pass a file of WasmPlugin manifests or a `kubectl get -o yaml` dump"),
        );
    }
    (docs, diags)
}

fn expand(doc: Document, out: &mut Vec<Document>, diags: &mut Vec<Diagnostic>) {
    let is_list = doc
        .value
        .get("kind")
        .and_then(Value::as_str)
        .is_some_and(|k| k == "List" || k.ends_with("List"))
        && doc.value.get("items").is_some();
    if !is_list {
        if !doc.value.is_null() {
            out.push(doc);
        }
        return;
    }
    match doc.value.get("items") {
        Some(Value::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                out.push(child(&doc, i, item.clone()));
            }
        }
        Some(Value::Null) => {}
        _ => diags.push(
            doc.diag(&rule::SCHEMA, "/items", "`items` of a List must be a list")
                .help("pass the output of `kubectl get wasmplugins -A -o yaml` unchanged"),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_keep_line_numbers() {
        let text = "# c\na: 1\n---\nb: 2\n--- \nc:\n  - x\n...\n";
        let (docs, diags) = read("s.yaml", text.as_bytes().to_vec());
        assert!(
            diags.is_empty(),
            "{:?}",
            diags.iter().map(|d| &d.message).collect::<Vec<_>>()
        );
        assert_eq!(docs.len(), 3);
        let d = &docs[2];
        let loc = d.spans.locate("/c/0");
        assert_eq!(d.source.line_col(loc.value.start as usize), (7, 5));
    }

    #[test]
    fn lists_expand_to_items_with_places() {
        let text = "apiVersion: v1\nkind: List\nitems:\n- kind: A\n  spec: {x: 1}\n- kind: B\n  spec:\n    y: 2\n";
        let (docs, _) = read("l.yaml", text.as_bytes().to_vec());
        assert_eq!(docs.len(), 2);
        // `y` is YAML 1.1's `true`: kubectl sends the key as "true", and so it is read here.
        let loc = docs[1].spans.locate("/spec/true");
        assert!(loc.exact);
        assert_eq!(docs[1].source.line_col(loc.value.start as usize), (8, 8));
        assert_eq!(docs[1].value["spec"], serde_json::json!({"true": 2}));
    }

    #[test]
    fn json_dumps_are_read() {
        let text = "{\n  \"apiVersion\": \"v1\",\n  \"kind\": \"List\",\n  \"items\": [\n    {\"kind\": \"WasmPlugin\", \"spec\": {\"url\": \"oci://a/b:1\"}}\n  ]\n}\n";
        let (docs, diags) = read("d.json", text.as_bytes().to_vec());
        assert!(
            diags.is_empty(),
            "{:?}",
            diags.iter().map(|d| &d.message).collect::<Vec<_>>()
        );
        assert_eq!(docs[0].value["spec"]["url"], "oci://a/b:1");
    }

    #[test]
    fn a_broken_document_does_not_hide_the_others() {
        let text = "a: [1\n---\nb: 2\n";
        let (docs, diags) = read("x.yaml", text.as_bytes().to_vec());
        assert_eq!(docs.len(), 1);
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].location().unwrap().1, 1);
    }
}
