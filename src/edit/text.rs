//! Layout-preserving edits of a block-style YAML file. Each edit is a byte-range splice computed
//! from the parsed document's spans and the indentation of the lines around them, so comments and
//! formatting outside the edited nodes stay as they are. Flow-style collections (`{...}`, `[...]`)
//! cannot be edited in place; the editor says so and the caller rewrites the file instead.

use super::{indent, scalar_or_flow, to_yaml};
use crate::diag::{Children, Places};
use serde_json::Value;

/// Why an edit cannot be made in place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unsupported(pub String);

/// A pending replacement of `start..end` by `text`.
#[derive(Debug)]
struct Splice {
    start: usize,
    end: usize,
    text: String,
    order: usize,
}

/// Collects splices against one parsed file and applies them together.
pub struct Editor<'a> {
    doc: &'a dyn Places,
    text: &'a str,
    /// (start, end) byte offsets of each line, without its newline.
    lines: Vec<(usize, usize)>,
    splices: Vec<Splice>,
}

impl<'a> Editor<'a> {
    /// An editor for `doc`'s file.
    pub fn new(doc: &'a dyn Places) -> Editor<'a> {
        let text = doc.source().text.as_str();
        let mut lines = Vec::new();
        let mut start = 0;
        for (i, b) in text.bytes().enumerate() {
            if b == b'\n' {
                lines.push((start, i));
                start = i + 1;
            }
        }
        if start < text.len() {
            lines.push((start, text.len()));
        }
        Editor {
            doc,
            text,
            lines,
            splices: Vec::new(),
        }
    }

    fn line_of(&self, offset: usize) -> usize {
        self.lines
            .partition_point(|(start, _)| *start <= offset)
            .saturating_sub(1)
    }

    fn line(&self, l: usize) -> &'a str {
        let (s, e) = self.lines[l];
        &self.text[s..e]
    }

    fn indent(&self, l: usize) -> usize {
        self.line(l).len() - self.line(l).trim_start_matches(' ').len()
    }

    fn is_trivia(&self, l: usize) -> bool {
        let t = self.line(l).trim();
        t.is_empty() || t.starts_with('#')
    }

    fn is_dash(&self, l: usize) -> bool {
        let t = self.line(l).trim_start();
        t == "-" || t.starts_with("- ")
    }

    /// Last line of the block starting at `first` whose lines are indented deeper than `col`
    /// (or, with `dash_at_col`, are sequence items at `col`); trailing blank and comment lines
    /// are not part of it.
    fn block_end(&self, first: usize, col: usize, dash_at_col: bool) -> usize {
        let mut last = first;
        for l in first + 1..self.lines.len() {
            if self.is_trivia(l) {
                continue;
            }
            let ind = self.indent(l);
            if ind > col || (dash_at_col && ind == col && self.is_dash(l)) {
                last = l;
            } else {
                break;
            }
        }
        last
    }

    /// Byte offset just after line `l` and its newline, and whether the line had one.
    fn after_line(&self, l: usize) -> (usize, bool) {
        let end = self.lines[l].1;
        if end < self.text.len() {
            (end + 1, true)
        } else {
            (end, false)
        }
    }

    /// Column (bytes) of the `- ` that starts the sequence item beginning at `offset`.
    fn dash_col(&self, offset: usize) -> Result<usize, Unsupported> {
        let l = self.line_of(offset);
        let before = &self.text[self.lines[l].0..offset];
        let trimmed = before.trim_end();
        if trimmed.ends_with('-') && trimmed.trim_start() == "-" {
            Ok(trimmed.len() - 1)
        } else {
            Err(Unsupported(format!(
                "line {} is not a block sequence item",
                l + 1
            )))
        }
    }

    fn push(&mut self, start: usize, end: usize, text: String) {
        let order = self.splices.len();
        self.splices.push(Splice {
            start,
            end,
            text,
            order,
        });
    }

    /// Replace the value of the existing mapping entry at `pointer`.
    pub fn set(&mut self, pointer: &str, value: &Value) -> Result<(), Unsupported> {
        let loc = self.doc.spans().locate(pointer);
        let key = loc
            .key
            .filter(|_| loc.exact)
            .ok_or_else(|| Unsupported(format!("{pointer} is not a mapping entry")))?;
        let (key_start, key_end) = (key.start as usize, (key.start + key.len) as usize);
        let l = self.line_of(key_start);
        let col = key_start - self.lines[l].0;
        let node = self.node(pointer);
        let (v_start, v_end) = (
            loc.value.start as usize,
            (loc.value.start + loc.value.len) as usize,
        );
        let old_scalar_on_line = matches!(node, Some(Children::None))
            && loc.value.len > 0
            && self.line_of(v_start) == l
            && self.line_of(v_end.saturating_sub(1)) == l
            && self.block_end(l, col, true) == l;
        if let (true, Some(new)) = (old_scalar_on_line, scalar_or_flow(value))
            && !new.contains('\n')
        {
            self.push(v_start, v_end, new);
            return Ok(());
        }
        let colon = self.text[key_end..self.lines[l].1]
            .find(':')
            .map(|i| key_end + i + 1)
            .ok_or_else(|| Unsupported(format!("no `:` after the key on line {}", l + 1)))?;
        let last = self.block_end(l, col, true);
        let end = self.lines[last].1;
        let replacement = match scalar_or_flow(value) {
            Some(s) if !s.contains('\n') => format!(" {s}"),
            _ => format!(
                "\n{}",
                indent(&to_yaml(value), col + 2).trim_end_matches('\n')
            ),
        };
        self.push(colon, end, replacement);
        Ok(())
    }

    /// Add `key: value` to the block mapping at `pointer`, after its last entry (or before its
    /// first, with `first`, when the mapping is not a sequence item).
    pub fn insert(
        &mut self,
        pointer: &str,
        key: &str,
        value: &Value,
        first: bool,
    ) -> Result<(), Unsupported> {
        let first_key = match self.node(pointer) {
            Some(Children::Map(entries)) if !entries.is_empty() => entries[0].1,
            _ => {
                return Err(Unsupported(format!(
                    "{pointer} is not a non-empty block mapping"
                )));
            }
        };
        let start = first_key.start as usize;
        let l = self.line_of(start);
        let col = start - self.lines[l].0;
        let before = self.text[self.lines[l].0..start].trim();
        if !(before.is_empty() || before == "-") {
            return Err(Unsupported(format!(
                "the mapping on line {} is in flow style",
                l + 1
            )));
        }
        let entry = indent(&entry_yaml(key, value), col);
        if first && before.is_empty() {
            self.push(self.lines[l].0, self.lines[l].0, entry);
            return Ok(());
        }
        let last = self.block_end(l, col.saturating_sub(1), false);
        let (at, had_newline) = if col == 0 {
            let last = (0..self.lines.len())
                .rev()
                .find(|&x| !self.is_trivia(x))
                .unwrap_or(l);
            self.after_line(last)
        } else {
            self.after_line(last)
        };
        let text = if had_newline {
            entry
        } else {
            format!("\n{}", entry.trim_end_matches('\n'))
        };
        self.push(at, at, text);
        Ok(())
    }

    /// Append `value` as a new item of the block sequence at `pointer` (struct fields keep
    /// their declaration order).
    pub fn append<T: serde::Serialize>(
        &mut self,
        pointer: &str,
        value: &T,
    ) -> Result<(), Unsupported> {
        let first = match self.node_tree(pointer) {
            Some(Children::Seq(items)) if !items.is_empty() => items[0].span.start as usize,
            _ => {
                return Err(Unsupported(format!(
                    "{pointer} is not a non-empty block sequence"
                )));
            }
        };
        let dash = self.dash_col(first)?;
        let l = self.line_of(first);
        let last = self.block_end(l, dash, true);
        let (at, had_newline) = self.after_line(last);
        let item = indent(&item_yaml(value), dash);
        let text = if had_newline {
            item
        } else {
            format!("\n{}", item.trim_end_matches('\n'))
        };
        self.push(at, at, text);
        Ok(())
    }

    /// Remove item `index` of the block sequence at `pointer`, with the comment lines right
    /// above it.
    pub fn remove(&mut self, pointer: &str, index: usize) -> Result<(), Unsupported> {
        let start = match self.node_tree(pointer) {
            Some(Children::Seq(items)) if index < items.len() => items[index].span.start as usize,
            _ => return Err(Unsupported(format!("{pointer}/{index} does not exist"))),
        };
        let dash = self.dash_col(start)?;
        let l = self.line_of(start);
        let mut first = l;
        while first > 0
            && self.line(first - 1).trim_start().starts_with('#')
            && self.indent(first - 1) == dash
        {
            first -= 1;
        }
        let last = self.block_end(l, dash, false);
        let (end, _) = self.after_line(last);
        self.push(self.lines[first].0, end, String::new());
        Ok(())
    }

    fn node_tree(&self, pointer: &str) -> Option<&'a Children> {
        let mut node = self.doc.spans();
        for token in pointer.split('/').skip(1) {
            let token = crate::diag::pointer::unescape(token);
            node = match &node.children {
                Children::Map(entries) => &entries.iter().find(|(k, _, _)| **k == *token)?.2,
                Children::Seq(items) => items.get(token.parse::<usize>().ok()?)?,
                Children::None => return None,
            };
        }
        Some(&node.children)
    }

    fn node(&self, pointer: &str) -> Option<&'a Children> {
        self.node_tree(pointer)
    }

    /// The edited text.
    pub fn finish(mut self) -> Result<String, Unsupported> {
        // From the end of the file backwards, so offsets stay valid; at one offset the later edit
        // goes in first, so edits made in order appear in that order.
        self.splices.sort_by_key(|s| {
            (
                std::cmp::Reverse(s.start),
                std::cmp::Reverse(s.end),
                std::cmp::Reverse(s.order),
            )
        });
        let mut out = self.text.to_string();
        let mut floor = usize::MAX;
        for s in self.splices.iter() {
            if s.end > floor {
                return Err(Unsupported("two edits overlap".into()));
            }
            out.replace_range(s.start..s.end, &s.text);
            floor = s.start;
        }
        Ok(out)
    }
}

/// `key: value` (block style for non-empty collections), ending in a newline.
fn entry_yaml(key: &str, value: &Value) -> String {
    let key = super::key_text(key);
    match scalar_or_flow(value) {
        Some(s) if !s.contains('\n') => format!("{key}: {s}\n"),
        _ => format!("{key}:\n{}", indent(&to_yaml(value), 2)),
    }
}

/// `- value` with the continuation lines indented under the dash, ending in a newline.
fn item_yaml<T: serde::Serialize>(value: &T) -> String {
    let body = to_yaml(value);
    let mut out = String::new();
    for (i, line) in body.lines().enumerate() {
        match (i, line.is_empty()) {
            (0, _) => out.push_str(&format!("- {line}\n")),
            (_, true) => out.push('\n'),
            _ => out.push_str(&format!("  {line}\n")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::SourceFile;
    use crate::load::parse;
    use serde_json::json;

    fn doc(text: &str) -> crate::load::Document {
        parse(&SourceFile::new("t.yaml", text.into())).unwrap()
    }

    fn value(text: &str) -> Value {
        doc(text).value
    }

    const FILE: &str = "# head\nspec:\n  plugins:\n  # first\n  - plugin: a\n    phase: AUTHN  # keep\n    match:\n    - mode: SERVER\n  # second\n  - plugin: b\n    pluginConfig:\n      x: 1\n# tail\n";

    #[test]
    fn set_scalar_keeps_the_comment() {
        let d = doc(FILE);
        let mut e = Editor::new(&d);
        e.set("/spec/plugins/0/phase", &json!("AUTHZ")).unwrap();
        let out = e.finish().unwrap();
        assert!(out.contains("phase: AUTHZ  # keep\n"), "{out}");
        assert_eq!(out.replace("AUTHZ", "AUTHN"), FILE);
    }

    #[test]
    fn set_block_value_replaces_the_whole_block() {
        let d = doc(FILE);
        let mut e = Editor::new(&d);
        e.set("/spec/plugins/1/pluginConfig", &json!({"y": [1, 2]}))
            .unwrap();
        let out = e.finish().unwrap();
        assert_eq!(
            value(&out)["spec"]["plugins"][1]["pluginConfig"],
            json!({"y": [1, 2]})
        );
        assert!(out.ends_with("# tail\n"), "{out}");
    }

    #[test]
    fn insert_append_remove() {
        let d = doc(FILE);
        let mut e = Editor::new(&d);
        e.insert("/spec/plugins/0", "priority", &json!(5), false)
            .unwrap();
        e.append("/spec/plugins", &json!({"plugin": "c", "phase": "STATS"}))
            .unwrap();
        e.insert("/spec", "clusters", &json!(["x"]), true).unwrap();
        let out = e.finish().unwrap();
        let v = value(&out);
        assert_eq!(v["spec"]["plugins"][0]["priority"], json!(5));
        assert_eq!(
            v["spec"]["plugins"][0]["match"],
            json!([{"mode": "SERVER"}])
        );
        assert_eq!(
            v["spec"]["plugins"][2],
            json!({"plugin": "c", "phase": "STATS"})
        );
        assert_eq!(v["spec"]["clusters"], json!(["x"]));
        assert!(out.starts_with("# head\nspec:\n  clusters:"), "{out}");
        assert!(out.contains("# second\n"), "{out}");

        let d = doc(&out);
        let mut e = Editor::new(&d);
        e.remove("/spec/plugins", 1).unwrap();
        let out = e.finish().unwrap();
        assert!(!out.contains("# second"), "{out}");
        let v = value(&out);
        assert_eq!(v["spec"]["plugins"].as_array().unwrap().len(), 2);
        assert_eq!(v["spec"]["plugins"][1]["plugin"], json!("c"));
    }

    #[test]
    fn flow_collections_are_refused() {
        let d = doc("spec:\n  plugins: [{plugin: a}]\n");
        let mut e = Editor::new(&d);
        assert!(e.append("/spec/plugins", &json!({"plugin": "b"})).is_err());
        assert!(
            e.insert("/spec/plugins/0", "phase", &json!("AUTHN"), false)
                .is_err()
        );
    }

    #[test]
    fn file_without_final_newline() {
        let d = doc("spec:\n  plugins:\n  - plugin: a");
        let mut e = Editor::new(&d);
        e.insert("/spec/plugins/0", "priority", &json!(7), false)
            .unwrap();
        let out = e.finish().unwrap();
        assert_eq!(value(&out)["spec"]["plugins"][0]["priority"], json!(7));
    }
}
