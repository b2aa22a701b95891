//! Editing repository files: YAML text helpers, layout-preserving edits ([`text`]), binding
//! changes ([`binding`]), checking a change against the whole repository before it is written
//! ([`overlay`]), and atomic writes.

pub mod binding;
pub mod overlay;
pub mod text;

use serde_json::Value;
use std::path::Path;

/// `value` as block YAML (plain or quoted scalars, never `|` or `>`), ending in a newline.
pub fn to_yaml<T: serde::Serialize>(value: &T) -> String {
    let mut options = serde_saphyr::SerializerOptions::default();
    options.prefer_block_scalars = false;
    serde_saphyr::to_string_with_options(value, options).expect("values serialize to YAML")
}

/// A catalog entry as the text of a new file: modeline, then the entry (without an empty
/// `defaults: {}`).
pub fn plugin_file(plugin: &crate::model::Plugin, modeline: &str) -> String {
    let body = to_yaml(plugin).replace("\n  defaults: {}\n", "\n");
    format!("{modeline}{body}")
}

/// Every non-empty line of `text` indented by `n` spaces.
pub fn indent(text: &str, n: usize) -> String {
    let pad = " ".repeat(n);
    let mut out = String::with_capacity(text.len() + n * 8);
    for line in text.split_inclusive('\n') {
        if !line.trim().is_empty() {
            out.push_str(&pad);
        }
        out.push_str(line);
    }
    out
}

/// A scalar or an empty collection as one line of YAML; `None` for a non-empty collection.
pub fn scalar_or_flow(value: &Value) -> Option<String> {
    match value {
        Value::Object(m) if m.is_empty() => Some("{}".into()),
        Value::Array(a) if a.is_empty() => Some("[]".into()),
        Value::Object(_) | Value::Array(_) => None,
        _ => Some(to_yaml(value).trim_end_matches('\n').to_string()),
    }
}

/// A mapping key as YAML: plain when it is a simple word, quoted otherwise.
pub fn key_text(key: &str) -> String {
    let plain = key
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-./".contains(c));
    if plain {
        key.to_string()
    } else {
        serde_json::to_string(key).expect("strings serialize")
    }
}

/// The `yaml-language-server` modeline for a file at `rel` (repository-relative, `/`-separated)
/// pointing at `schema/<file>` of the repository when it exists, else at the schema's `$id`.
pub fn schema_modeline(root: &Path, rel: &str, schema_file: &str) -> String {
    schema_modeline_local(
        root.join("schema").join(schema_file).is_file(),
        rel,
        schema_file,
    )
}

/// The modeline pointing at the repository's `schema/<file>` when `local`, else at the `$id`.
pub fn schema_modeline_local(local: bool, rel: &str, schema_file: &str) -> String {
    let target = if local {
        let depth = rel.matches('/').count();
        format!("{}schema/{schema_file}", "../".repeat(depth))
    } else {
        format!("https://meshplug.io/schema/v1alpha1/{schema_file}")
    };
    format!("# yaml-language-server: $schema={target}\n")
}
