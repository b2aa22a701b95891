//! `metadata` of a hand-written manifest, checked as the API server checks an `ObjectMeta` with
//! strict field validation (`kubectl apply` since 1.27): known fields only, names and label and
//! annotation syntax, and a `name` (`kubectl apply` cannot apply a `generateName`-only object).

use crate::diag::pointer::escape;
use crate::diag::rule::{INVALID_NAME, LABEL_SYNTAX, SCHEMA};
use crate::diag::{Diagnostic, Places as _};
use crate::load::Document;
use serde_json::Value;

/// The fields of `ObjectMeta`.
const FIELDS: [&str; 15] = [
    "name",
    "generateName",
    "namespace",
    "selfLink",
    "uid",
    "resourceVersion",
    "generation",
    "creationTimestamp",
    "deletionTimestamp",
    "deletionGracePeriodSeconds",
    "labels",
    "annotations",
    "ownerReferences",
    "finalizers",
    "managedFields",
];

/// Largest total size of a object's annotations (keys and values), 256 KiB.
pub const MAX_ANNOTATIONS_BYTES: usize = 256 * 1024;

/// `[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?`, at most 63 characters.
fn is_qualified_name_part(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.len() <= 63
        && b[0].is_ascii_alphanumeric()
        && b[b.len() - 1].is_ascii_alphanumeric()
        && b.iter()
            .all(|c| c.is_ascii_alphanumeric() || b"-_.".contains(c))
}

/// A DNS-1123 label: `[a-z0-9]([-a-z0-9]*[a-z0-9])?`, at most 63 characters.
pub fn is_dns_label(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.len() <= 63
        && b[0].is_ascii_alphanumeric()
        && b[b.len() - 1].is_ascii_alphanumeric()
        && b.iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
}

/// A DNS-1123 subdomain: dot-separated labels, at most 253 characters.
pub fn is_dns_subdomain(s: &str) -> bool {
    !s.is_empty() && s.len() <= 253 && s.split('.').all(is_dns_label)
}

/// Why `key` is not a qualified name (`[prefix/]name`), if it is not.
pub fn qualified_name_problem(key: &str) -> Option<String> {
    let (prefix, name) = match key.split_once('/') {
        Some((p, n)) => (Some(p), n),
        None => (None, key),
    };
    if let Some(p) = prefix {
        if p.is_empty() {
            return Some("has an empty prefix before `/`".into());
        }
        if !is_dns_subdomain(p) {
            return Some(format!(
                "has the prefix `{p}`, which is not a DNS-1123 subdomain (lowercase, at most 253 characters)"
            ));
        }
    }
    if name.is_empty() {
        return Some("has an empty name".into());
    }
    if name.len() > 63 {
        return Some(format!(
            "has a name of {} characters; the limit is 63",
            name.len()
        ));
    }
    (!is_qualified_name_part(name)).then(|| {
        "has a name that is not alphanumeric with `-`, `_` or `.` inside (and one `/` at most)"
            .into()
    })
}

/// Why `value` is not a label value, if it is not.
pub fn label_value_problem(value: &str) -> Option<String> {
    if value.len() > 63 {
        return Some(format!(
            "is {} characters long; the limit is 63",
            value.len()
        ));
    }
    (!value.is_empty() && !is_qualified_name_part(value))
        .then(|| "is not alphanumeric with `-`, `_` or `.` inside (or empty)".into())
}

/// What kubectl sends for a scalar, for messages: `true`, `8`, `null`.
fn shown(v: &Value) -> String {
    match v {
        Value::String(s) => format!("`{s}`"),
        other => format!("`{other}`"),
    }
}

/// Every problem of `doc`'s metadata (`value` is the document with nulls dropped).
pub fn check(doc: &Document, value: &Value) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let Some(meta) = value.get("metadata") else {
        out.push(
            doc.diag(&SCHEMA, "", "missing required field `metadata`")
                .help("add `metadata:` with `name:` and `namespace:`"),
        );
        return out;
    };
    let Some(meta) = meta.as_object() else {
        out.push(
            doc.diag(&SCHEMA, "/metadata", "`metadata` must be a mapping")
                .label("not a mapping")
                .help("write `metadata:` with `name:` and `namespace:` below it"),
        );
        return out;
    };
    for key in meta.keys() {
        if !FIELDS.contains(&key.as_str()) {
            let ptr = format!("/metadata/{}", escape(key));
            let d = doc
                .diag_key(&SCHEMA, &ptr, format!("unknown field `{key}` in metadata"))
                .label("unknown field");
            out.push(
                match crate::diag::did_you_mean(key, FIELDS.iter().copied()) {
                    Some(s) => d.help(format!("did you mean `{s}`? (the API server rejects unknown metadata fields: `kubectl apply` validates strictly)")),
                    None => d.help("remove it, or move it to `labels` or `annotations`: the API server rejects unknown metadata fields"),
                },
            );
        }
    }
    match meta.get("name") {
        Some(Value::String(n)) if is_dns_subdomain(n) => {}
        Some(Value::String(n)) if n.is_empty() => out.push(
            doc.diag(&INVALID_NAME, "/metadata/name", "metadata.name is empty")
                .label("empty name")
                .help("name the WasmPlugin: a DNS-1123 subdomain (lowercase letters, digits, `-` and `.`)"),
        ),
        Some(Value::String(n)) => out.push(
            doc.diag(&INVALID_NAME, "/metadata/name", format!("metadata.name `{n}` is not a DNS-1123 subdomain"))
                .label("invalid name")
                .help("use lowercase letters, digits, `-` and `.`, starting and ending with a letter or digit, at most 253 characters"),
        ),
        Some(other) => out.push(
            doc.diag(&SCHEMA, "/metadata/name", format!("metadata.name is {}, not a string", shown(other)))
                .label("not a string")
                .help(format!("quote it: `name: \"{}\"` (kubectl reads unquoted YAML 1.1 words and numbers as booleans and numbers)", other.as_str().unwrap_or(&other.to_string()))),
        ),
        None if meta.contains_key("generateName") => out.push(
            doc.diag_key(&SCHEMA, "/metadata/generateName", "metadata has `generateName` but no `name`: `kubectl apply` cannot apply it")
                .label("no name")
                .help("set `name:`; `generateName` works only with `kubectl create`, and a GitOps tool could not track the object"),
        ),
        None => out.push(
            doc.diag(&SCHEMA, "/metadata", "missing required field `name` in metadata")
                .label("`name` is required here")
                .help("add `name:` (a DNS-1123 subdomain)"),
        ),
    }
    match meta.get("namespace") {
        None => {}
        Some(Value::String(n)) if is_dns_label(n) => {}
        Some(Value::String(n)) => out.push(
            doc.diag(&INVALID_NAME, "/metadata/namespace", format!("metadata.namespace `{n}` is not a DNS-1123 label"))
                .label("invalid namespace")
                .help("use lowercase letters, digits and `-`, starting and ending with a letter or digit, at most 63 characters"),
        ),
        Some(other) => out.push(
            doc.diag(&SCHEMA, "/metadata/namespace", format!("metadata.namespace is {}, not a string", shown(other)))
                .label("not a string")
                .help("quote it (kubectl reads unquoted YAML 1.1 words and numbers as booleans and numbers)"),
        ),
    }
    string_map(doc, meta.get("labels"), "labels", &mut out, |k, v| {
        (qualified_name_problem(k), label_value_problem(v))
    });
    string_map(
        doc,
        meta.get("annotations"),
        "annotations",
        &mut out,
        |k, _| (qualified_name_problem(k), None),
    );
    if let Some(Value::Object(a)) = meta.get("annotations") {
        let size: usize = a
            .iter()
            .map(|(k, v)| k.len() + v.as_str().map_or(0, str::len))
            .sum();
        if size > MAX_ANNOTATIONS_BYTES {
            out.push(
                doc.diag(
                    &SCHEMA,
                    "/metadata/annotations",
                    format!(
                        "annotations total {size} bytes; the API server allows 262144 (256 KiB)"
                    ),
                )
                .label("too large")
                .help("move large data out of annotations (e.g. into pluginConfig or a ConfigMap)"),
            );
        }
    }
    out
}

type Problems = (Option<String>, Option<String>);

fn string_map(
    doc: &Document,
    map: Option<&Value>,
    field: &str,
    out: &mut Vec<Diagnostic>,
    problems: impl Fn(&str, &str) -> Problems,
) {
    let rule = if field == "labels" {
        &LABEL_SYNTAX
    } else {
        &SCHEMA
    };
    let map = match map {
        None => return,
        Some(Value::Object(m)) => m,
        Some(other) => {
            out.push(
                doc.diag(
                    &SCHEMA,
                    &format!("/metadata/{field}"),
                    format!(
                        "metadata.{field} is {}, not a mapping of strings",
                        shown(other)
                    ),
                )
                .label("not a mapping"),
            );
            return;
        }
    };
    let singular = &field[..field.len() - 1];
    for (k, v) in map {
        let ptr = format!("/metadata/{field}/{}", escape(k));
        let text = match v {
            Value::String(s) => s.as_str(),
            other => {
                let help = match other {
                    Value::Bool(_) | Value::Number(_) | Value::Null => format!(
                        "quote it (`{k}: \"...\"`): kubectl reads unquoted `yes`/`no`/`on`/`off`, numbers and `null` as non-strings, and {field} hold only strings"
                    ),
                    _ => format!("{field} hold only strings: write the value as one quoted string"),
                };
                out.push(
                    doc.diag(
                        rule,
                        &ptr,
                        format!("{singular} `{k}` is {}, not a string", shown(other)),
                    )
                    .label("not a string")
                    .help(help),
                );
                continue;
            }
        };
        let (key_problem, value_problem) = problems(k, text);
        if let Some(why) = key_problem {
            out.push(
                doc.diag_key(rule, &ptr, format!("{singular} key `{k}` {why}"))
                    .label(format!("invalid {singular} key"))
                    .help("keys are `[prefix/]name`: name up to 63 of [A-Za-z0-9-_.] starting and ending alphanumeric, prefix a DNS-1123 subdomain"),
            );
        }
        if let Some(why) = value_problem {
            out.push(
                doc.diag(rule, &ptr, format!("{singular} value `{text}` {why}"))
                    .label(format!("invalid {singular} value"))
                    .help("label values are empty or up to 63 of [A-Za-z0-9-_.], starting and ending alphanumeric"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kubernetes_name_syntax() {
        for ok in [
            "a",
            "a.b-c",
            &"a".repeat(63),
            &format!("{}.b", "a".repeat(63)),
        ] {
            assert!(is_dns_subdomain(ok), "{ok}");
        }
        for bad in [
            "",
            "A",
            "-a",
            "a-",
            "a..b",
            "a_b",
            &"a".repeat(64),
            &"a.".repeat(127),
        ] {
            assert!(!is_dns_subdomain(bad), "{bad}");
        }
        assert!(is_dns_label("ns-1"));
        assert!(!is_dns_label("ns.1"));
        for ok in ["app", "App_1.x", "example.com/a", &"k".repeat(63)] {
            assert_eq!(qualified_name_problem(ok), None, "{ok}");
        }
        for bad in [
            "",
            "/a",
            "a/",
            "Ex.com/a",
            "a/b/c",
            "-a",
            "a b",
            &"k".repeat(64),
        ] {
            assert!(qualified_name_problem(bad).is_some(), "{bad}");
        }
        assert_eq!(label_value_problem(""), None);
        assert_eq!(label_value_problem("v1.2_3-x"), None);
        assert!(label_value_problem(&"v".repeat(64)).is_some());
        assert!(label_value_problem("a b").is_some());
        assert!(label_value_problem("-a").is_some());
    }
}
