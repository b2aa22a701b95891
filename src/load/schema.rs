//! JSON-Schema validation of documents against the schemas generated from [`crate::model`],
//! with errors mapped to rule codes and places in the file.

use crate::diag::Diagnostic;
use crate::diag::Places;
use crate::diag::rule;
use crate::model::Kind;
use jsonschema::error::ValidationErrorKind;
use std::sync::OnceLock;

/// The compiled validator of `kind` (compiled once per process).
fn validator(kind: Kind) -> &'static (serde_json::Value, jsonschema::Validator) {
    static CELLS: [OnceLock<(serde_json::Value, jsonschema::Validator)>; Kind::ALL.len()] =
        [const { OnceLock::new() }; Kind::ALL.len()];
    CELLS[kind as usize].get_or_init(|| {
        let schema = kind.json_schema();
        let validator =
            jsonschema::validator_for(&schema).expect("generated schemas are valid JSON Schemas");
        (schema, validator)
    })
}

/// Check `doc` against the schema of `kind`; every violation becomes a diagnostic.
pub fn check(kind: Kind, doc: &impl Places, value: &serde_json::Value) -> Vec<Diagnostic> {
    let (schema, validator) = validator(kind);
    check_with(schema, validator, doc, value)
}

/// Check `value` (the contents of `doc`) against any schema (and its compiled validator) with
/// the same error mapping.
pub fn check_with(
    schema: &serde_json::Value,
    validator: &jsonschema::Validator,
    doc: &impl Places,
    value: &serde_json::Value,
) -> Vec<Diagnostic> {
    if validator.is_valid(value) {
        return Vec::new();
    }
    validator
        .iter_errors(value)
        .map(|e| to_diagnostic(schema, doc, &e))
        .collect()
}

/// Validate `instance` against a catalog entry's `configSchema`, reporting each violation through
/// `report(pointer inside instance, message)`.
pub fn check_config(
    validator: &jsonschema::Validator,
    instance: &serde_json::Value,
    mut report: impl FnMut(&str, String),
) {
    for e in validator.iter_errors(instance) {
        report(e.instance_path().as_str(), message(&e));
    }
}

fn to_diagnostic(
    schema: &serde_json::Value,
    doc: &impl Places,
    e: &jsonschema::ValidationError,
) -> Diagnostic {
    let path = e.instance_path().as_str();
    let field = path.rsplit('/').next().unwrap_or("");
    let rule = match e.kind() {
        ValidationErrorKind::Enum { .. } => &rule::BAD_ENUM,
        ValidationErrorKind::Minimum { .. } | ValidationErrorKind::Maximum { .. }
            if field == "priority" =>
        {
            &rule::PRIORITY_RANGE
        }
        ValidationErrorKind::Minimum { .. } | ValidationErrorKind::Maximum { .. }
            if field == "number" =>
        {
            &rule::MATCH_PORTS
        }
        ValidationErrorKind::Pattern { .. }
        | ValidationErrorKind::MaxLength { .. }
        | ValidationErrorKind::MinLength { .. }
            if is_kubernetes_name(path) =>
        {
            &rule::INVALID_NAME
        }
        ValidationErrorKind::Constant { .. } if path == "/apiVersion" || path == "/kind" => {
            &rule::WRONG_KIND
        }
        _ => &rule::SCHEMA,
    };
    let msg = message(e);
    let at = if path.is_empty() {
        "the document"
    } else {
        path
    };
    match e.kind() {
        ValidationErrorKind::AdditionalProperties { unexpected } => {
            let key = unexpected.first().map(String::as_str).unwrap_or("");
            let pointer = format!("{path}/{}", crate::diag::pointer::escape(key));
            let known = known_fields(schema, path);
            let mut d = doc
                .diag_key(rule, &pointer, format!("unknown field `{key}` in {at}"))
                .label("unknown field");
            d = match crate::diag::did_you_mean(key, known.iter().map(String::as_str)) {
                Some(s) => d.help(format!("did you mean `{s}`?")),
                None if !known.is_empty() => d.help(format!("known fields: {}", known.join(", "))),
                None => d.help("remove the field"),
            };
            d
        }
        ValidationErrorKind::Required { property } => {
            let p = property.as_str().unwrap_or_default();
            doc.diag(rule, path, format!("missing required field `{p}` in {at}"))
                .label(format!("`{p}` is required here"))
                .help(format!("add `{p}:` (see docs/formats.md)"))
        }
        ValidationErrorKind::Enum { options } => {
            let opts: Vec<String> = options
                .as_array()
                .into_iter()
                .flatten()
                .map(|o| o.as_str().map_or(o.to_string(), str::to_owned))
                .collect();
            let got = e
                .instance()
                .as_str()
                .map_or(e.instance().to_string(), str::to_owned);
            let mut d = doc
                .diag(
                    rule,
                    path,
                    format!(
                        "`{field}` is `{got}`, which is not one of {}",
                        opts.join(", ")
                    ),
                )
                .label("unknown value");
            if let Some(s) = crate::diag::did_you_mean(&got, opts.iter().map(String::as_str)) {
                d = d.help(format!("did you mean `{s}`?"));
            } else {
                d = d.help(format!("use one of {}", opts.join(", ")));
            }
            d
        }
        _ => {
            let got = e
                .instance()
                .as_str()
                .map_or(e.instance().to_string(), str::to_owned);
            let (message, label, help) = match rule {
                r if r == &rule::PRIORITY_RANGE => (
                    format!("priority {got} is outside 1..1000"),
                    Some("out of range"),
                    "use a priority from 1 to 1000; higher runs first within a phase",
                ),
                r if r == &rule::MATCH_PORTS => (
                    format!("port {got} is outside 1..65535"),
                    Some("out of range"),
                    "use a port number from 1 to 65535",
                ),
                r if r == &rule::INVALID_NAME => (
                    match e.kind() {
                        ValidationErrorKind::MinLength { .. } => format!("{field} is empty"),
                        ValidationErrorKind::MaxLength { .. } => {
                            format!("{field} `{got}` is longer than 63 characters")
                        }
                        _ => format!("{field} `{got}` is not a DNS-1123 label"),
                    },
                    Some("invalid name"),
                    "use lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 characters",
                ),
                r if r == &rule::WRONG_KIND => (
                    format!("{at}: {msg}"),
                    None,
                    "start the file with `apiVersion: meshplug.io/v1alpha1` and the right kind",
                ),
                _ => (
                    format!("{at}: {msg}"),
                    None,
                    "see docs/formats.md for the field's type and limits",
                ),
            };
            let d = doc.diag(rule, path, message).help(help);
            match label {
                Some(l) => d.label(l),
                None => d,
            }
        }
    }
}

/// Whether the value at `path` becomes (part of) a Kubernetes object or namespace name.
fn is_kubernetes_name(path: &str) -> bool {
    matches!(
        path,
        "/metadata/name" | "/metadata/namespace" | "/spec/rootNamespace"
    ) || path
        .strip_prefix("/spec/clusters/")
        .and_then(|rest| rest.strip_suffix("/name"))
        .is_some_and(|i| i.parse::<usize>().is_ok())
}

/// Names of the properties the schema allows at `instance_path` (for "did you mean").
fn known_fields(schema: &serde_json::Value, instance_path: &str) -> Vec<String> {
    let deref = |s: &serde_json::Value| -> Option<serde_json::Value> {
        let mut s = s.clone();
        for _ in 0..8 {
            match s.get("$ref").and_then(|r| r.as_str()) {
                Some(r) => s = schema.pointer(r.trim_start_matches('#'))?.clone(),
                None => break,
            }
        }
        Some(s)
    };
    let mut node = match deref(schema) {
        Some(n) => n,
        None => return Vec::new(),
    };
    for seg in instance_path.split('/').skip(1) {
        let next = if let Some(p) = node.get("properties").and_then(|p| p.get(seg)) {
            p.clone()
        } else if let Some(items) = node.get("items") {
            items.clone()
        } else if let Some(ap) = node.get("additionalProperties").filter(|a| a.is_object()) {
            ap.clone()
        } else {
            return Vec::new();
        };
        node = match deref(&next) {
            Some(n) => n,
            None => return Vec::new(),
        };
    }
    node.get("properties")
        .and_then(|p| p.as_object())
        .map(|p| p.keys().cloned().collect())
        .unwrap_or_default()
}

/// A short, self-contained message for a violation (without the instance dump).
fn message(e: &jsonschema::ValidationError) -> String {
    match e.kind() {
        ValidationErrorKind::Type { kind } => {
            let expected = match kind {
                jsonschema::error::TypeKind::Single(t) => t.to_string(),
                jsonschema::error::TypeKind::Multiple(ts) => ts
                    .iter()
                    .map(|t| t.to_string())
                    .collect::<Vec<_>>()
                    .join(" or "),
            };
            format!("expected {expected}, found {}", json_type(e.instance()))
        }
        _ => e.masked().to_string(),
    }
}

fn json_type(v: &serde_json::Value) -> &'static str {
    match v {
        serde_json::Value::Null => "null (an empty value)",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "a list",
        serde_json::Value::Object(_) => "a mapping",
    }
}

#[cfg(test)]
mod tests {
    use crate::load::load_document;
    use crate::load::testkit::{MARKETPLACE, binding};
    use crate::model::{Binding, Kind, Marketplace};

    /// (code, message, label) of every load-time finding of a binding with `spec`.
    fn binding_findings(spec: &str) -> Vec<(&'static str, String, Option<String>)> {
        let mut diags = Vec::new();
        let text = binding("shop", "cart", spec);
        load_document::<Binding>("b.yaml", text.into_bytes(), Kind::Binding, &mut diags);
        diags
            .into_iter()
            .map(|d| (d.rule.code, d.message, d.label))
            .collect()
    }

    #[test]
    fn ranges_map_to_their_rules() {
        let plugin =
            |fields: &str| binding_findings(&format!("  plugins:\n  - plugin: a\n{fields}"));
        assert_eq!(
            plugin("    priority: 0\n"),
            [(
                "MP014",
                "priority 0 is outside 1..1000".into(),
                Some("out of range".into())
            )]
        );
        assert_eq!(
            plugin("    match: [{ports: [{number: 0}]}]\n")[0].1,
            "port 0 is outside 1..65535"
        );
        assert_eq!(
            plugin("    match: [{ports: [{number: 70000}]}]\n")[0].0,
            "MP025"
        );
        assert_eq!(plugin("    phase: authn\n")[0].0, "MP015");
    }

    #[test]
    fn only_kubernetes_names_are_mp010() {
        let long = "A".repeat(300);
        let env = binding_findings(&format!(
            "  plugins:\n  - plugin: a\n    vmConfig: {{env: [{{name: {long}}}]}}\n"
        ));
        assert_eq!(env.len(), 1, "{env:?}");
        assert_eq!(env[0].0, "MP002");
        let refs = binding_findings(&format!(
            "  targetRefs: [{{kind: Gateway, name: {}}}]\n  plugins:\n  - plugin: a\n",
            "g".repeat(254)
        ));
        assert_eq!(refs[0].0, "MP002");

        let mut diags = Vec::new();
        let bad = MARKETPLACE
            .replace("name: prod", "name: Prod")
            .replace("spec:\n", "spec:\n  rootNamespace: Istio_System\n");
        load_document::<Marketplace>("m.yaml", bad.into_bytes(), Kind::Marketplace, &mut diags);
        let mut got: Vec<_> = diags
            .iter()
            .map(|d| (d.rule.code, d.message.as_str()))
            .collect();
        got.sort();
        assert_eq!(
            got,
            [
                ("MP010", "name `Prod` is not a DNS-1123 label"),
                (
                    "MP010",
                    "rootNamespace `Istio_System` is not a DNS-1123 label"
                ),
            ]
        );
        let meta = binding("shop", &"a".repeat(64), "  plugins:\n  - plugin: a\n");
        let mut diags = Vec::new();
        load_document::<Binding>("b.yaml", meta.into_bytes(), Kind::Binding, &mut diags);
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert_eq!(diags[0].rule.code, "MP010");
        assert!(
            diags[0].message.ends_with("is longer than 63 characters"),
            "{}",
            diags[0].message
        );
    }
}
