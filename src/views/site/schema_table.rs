//! A plugin's config schema as table rows: nested properties flattened to dotted paths
//! (`consumers[].name`), with type, required, default and description.

use serde::Serialize;
use serde_json::Value;

/// Nesting deeper than this is not listed (schemas of real plugins stay far below it).
const MAX_DEPTH: usize = 16;

/// One field of a plugin configuration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldRow {
    /// Dotted path; `[]` marks the items of an array, `*` the values of a map.
    pub path: String,
    /// Type as people read it: `string`, `array of string`, `integer | string`, enum values.
    pub ty: String,
    /// Whether the enclosing object requires it.
    pub required: bool,
    /// The schema's `default`, as compact JSON.
    pub default: Option<String>,
    /// The schema's `description`.
    pub description: String,
}

/// The rows of `schema`, parents before children, properties sorted by name.
pub fn rows(schema: &Value) -> Vec<FieldRow> {
    let mut out = Vec::new();
    walk_object(schema, "", 0, &mut out);
    out
}

fn walk_object(schema: &Value, prefix: &str, depth: usize, out: &mut Vec<FieldRow>) {
    if depth > MAX_DEPTH {
        return;
    }
    let required: Vec<&str> = schema
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    if let Some(props) = schema.get("properties").and_then(Value::as_object) {
        for (key, sub) in props {
            let path = format!("{prefix}{key}");
            out.push(FieldRow {
                path: path.clone(),
                ty: type_of(sub),
                required: required.contains(&key.as_str()),
                default: sub.get("default").map(compact),
                description: description(sub),
            });
            walk_children(sub, &path, depth + 1, out);
        }
    }
    if let Some(values) = schema.get("additionalProperties").filter(|v| v.is_object()) {
        let path = format!("{prefix}*");
        out.push(FieldRow {
            path: path.clone(),
            ty: type_of(values),
            required: false,
            default: values.get("default").map(compact),
            description: description(values),
        });
        walk_children(values, &path, depth + 1, out);
    }
}

/// Rows below a field: its properties, or those of its array items.
fn walk_children(sub: &Value, path: &str, depth: usize, out: &mut Vec<FieldRow>) {
    walk_object(sub, &format!("{path}."), depth, out);
    if let Some(items) = sub.get("items").filter(|v| v.is_object()) {
        walk_object(items, &format!("{path}[]."), depth, out);
    }
}

fn description(schema: &Value) -> String {
    schema
        .get("description")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}

fn compact(v: &Value) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

/// `type`, `enum`, `const`, `anyOf`/`oneOf` of types, and `items` of arrays, in words.
fn type_of(schema: &Value) -> String {
    type_of_at(schema, 0)
}

fn type_of_at(schema: &Value, depth: usize) -> String {
    if depth > MAX_DEPTH {
        return String::new();
    }
    if let Some(values) = schema.get("enum").and_then(Value::as_array) {
        let list: Vec<String> = values.iter().map(compact).collect();
        return format!("one of {}", list.join(", "));
    }
    if let Some(c) = schema.get("const") {
        return format!("= {}", compact(c));
    }
    let base = match schema.get("type") {
        Some(Value::String(t)) => t.clone(),
        Some(Value::Array(ts)) => ts
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join(" | "),
        _ => ["anyOf", "oneOf"]
            .iter()
            .filter_map(|k| schema.get(*k).and_then(Value::as_array))
            .flatten()
            .map(|alt| type_of_at(alt, depth + 1))
            .filter(|t| !t.is_empty())
            .collect::<Vec<_>>()
            .join(" | "),
    };
    match schema.get("items") {
        Some(items) if base == "array" => {
            let inner = type_of_at(items, depth + 1);
            if inner.is_empty() {
                base
            } else {
                format!("array of {inner}")
            }
        }
        _ => base,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn nested_properties_become_dotted_paths() {
        let schema = json!({
            "type": "object",
            "required": ["consumers"],
            "properties": {
                "consumers": {
                    "type": "array",
                    "description": "callers",
                    "items": {
                        "type": "object",
                        "required": ["name"],
                        "properties": {"name": {"type": "string"}, "tags": {"type": "array", "items": {"type": "string"}}}
                    }
                },
                "mode": {"enum": ["a", "b"], "default": "a"},
                "codes": {"type": "array", "items": {"anyOf": [{"type": "integer"}, {"type": "string"}]}},
                "headers": {"type": "object", "additionalProperties": {"type": "string"}}
            }
        });
        let got: Vec<_> = rows(&schema)
            .into_iter()
            .map(|r| (r.path, r.ty, r.required, r.default))
            .collect();
        let s = |x: &str| x.to_string();
        assert_eq!(
            got,
            vec![
                (s("codes"), s("array of integer | string"), false, None),
                (s("consumers"), s("array of object"), true, None),
                (s("consumers[].name"), s("string"), true, None),
                (s("consumers[].tags"), s("array of string"), false, None),
                (s("headers"), s("object"), false, None),
                (s("headers.*"), s("string"), false, None),
                (s("mode"), s(r#"one of "a", "b""#), false, Some(s(r#""a""#))),
            ]
        );
    }

    #[test]
    fn odd_schemas_give_no_rows_and_no_panic() {
        assert!(rows(&json!(true)).is_empty());
        assert!(rows(&json!({"properties": []})).is_empty());
        assert_eq!(rows(&json!({"properties": {"x": 1}}))[0].ty, "");
    }
}
