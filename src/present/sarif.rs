//! SARIF 2.1.0 for code scanning (GitHub's `upload-sarif`, and any other SARIF viewer): the
//! rule table as the tool's rules, one result per diagnostic. Like the JSON output it carries
//! messages, help and places, never a snippet of the file (a snippet could show a credential
//! that the finding masks).

use crate::diag::rule::{ALL, Rule};
use crate::diag::shown::Redactions;
use crate::diag::{Diagnostic, Severity};
use serde_json::{Value, json};

/// The `$schema` of the documents.
pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
/// Where the project lives (the driver's `informationUri`).
pub const INFORMATION_URI: &str = "https://github.com/meshplug/meshplug";
/// The documentation of the rules; each rule has the anchor `mpNNN`.
pub const RULES_DOC: &str = "https://github.com/meshplug/meshplug/blob/main/docs/rules.md";
/// The base every relative `artifactLocation.uri` is resolved against: the repository root
/// (or the directory the command ran in, for `lint`).
pub const SRCROOT: &str = "%SRCROOT%";

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

/// The first paragraph of a rule's documentation, after its severity line, on one line.
fn first_paragraph(rule: &Rule) -> String {
    let text: Vec<&str> = rule
        .doc
        .lines()
        .skip_while(|l| l.starts_with("**Severity:**") || l.trim().is_empty())
        .take_while(|l| !l.trim().is_empty())
        .collect();
    if text.is_empty() {
        rule.summary.to_string()
    } else {
        text.join(" ")
    }
}

fn rule_descriptor(rule: &Rule) -> Value {
    let uri = format!("{RULES_DOC}#{}", rule.code.to_lowercase());
    let full = first_paragraph(rule);
    json!({
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": full},
        "helpUri": uri,
        "help": {"text": format!("{full} See {uri}"), "markdown": rule.doc},
        "defaultConfiguration": {"level": level(rule.severity)},
        "properties": {"stage": rule.stage, "command": rule.stage.command()},
    })
}

/// `path` as a SARIF uri: percent-encoded, and relative to [`SRCROOT`] unless absolute.
/// `None` for what is no file (standard input).
fn artifact_location(path: &str) -> Option<Value> {
    if path == "<stdin>" || path.is_empty() {
        return None;
    }
    let path = path.replace('\\', "/");
    let mut encoded = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            encoded.push(char::from(b));
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    Some(if encoded.starts_with('/') {
        json!({"uri": format!("file://{encoded}")})
    } else {
        let rel = encoded.trim_start_matches("./");
        json!({"uri": rel, "uriBaseId": SRCROOT})
    })
}

fn result(d: &Diagnostic, r: &Redactions) -> Value {
    let index = ALL
        .iter()
        .position(|r| std::ptr::eq(*r, d.rule) || r.code == d.rule.code);
    let text = match &d.help {
        Some(h) => format!("{}\nhelp: {}", r.shown(&d.message), r.shown(h)),
        None => r.shown(&d.message),
    };
    let mut r = json!({
        "ruleId": d.rule.code,
        "level": level(d.severity),
        "message": {"text": text},
    });
    if let Some(i) = index {
        r["ruleIndex"] = json!(i);
    }
    if let Some(src) = &d.source
        && let Some(artifact) = artifact_location(&src.path)
    {
        let mut physical = json!({"artifactLocation": artifact});
        if let Some(span) = d.span {
            let start = span.start as usize;
            let (line, col) = src.line_col(start);
            let mut region = json!({"startLine": line, "startColumn": col});
            if span.len > 0 {
                let (end_line, end_col) = src.line_col(start.saturating_add(span.len as usize));
                region["endLine"] = json!(end_line);
                region["endColumn"] = json!(end_col);
            }
            physical["region"] = region;
        }
        r["locations"] = json!([{"physicalLocation": physical}]);
    }
    r
}

fn document(results: Vec<Value>, invocation: Value) -> Value {
    json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "meshplug",
                "informationUri": INFORMATION_URI,
                "version": env!("CARGO_PKG_VERSION"),
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "rules": ALL.iter().map(|r| rule_descriptor(r)).collect::<Vec<_>>(),
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
            "invocations": [invocation],
        }],
    })
}

/// The SARIF log of a run that produced `diags` (in their order, which callers sort): at most
/// [`crate::diag::shown::FINDINGS_PER_FILE`] results per file, the count of the rest as a
/// notification, messages masked and cut as in the other formats.
pub fn log(diags: &[Diagnostic]) -> Value {
    let shown = super::report::Shown::new(diags);
    let mut invocation = json!({"executionSuccessful": true});
    if !shown.omitted.is_empty() {
        invocation["toolExecutionNotifications"] = shown
            .omitted
            .iter()
            .map(|(f, n)| {
                let mut note = json!({
                    "level": "note",
                    "message": {"text": super::report::Shown::omitted_line(f, *n)},
                });
                if let Some(artifact) = artifact_location(f) {
                    note["locations"] =
                        json!([{"physicalLocation": {"artifactLocation": artifact}}]);
                }
                note
            })
            .collect();
    }
    document(
        shown
            .diags
            .iter()
            .map(|d| result(d, &shown.redactions))
            .collect(),
        invocation,
    )
}

/// The SARIF log of a run stopped by a fatal (usage or I/O) error: no results, and the error as
/// a tool execution notification.
pub fn fatal_log(message: &str, help: &str) -> Value {
    document(
        Vec::new(),
        json!({
            "executionSuccessful": false,
            "toolExecutionNotifications": [{
                "level": "error",
                "message": {"text": format!("{message}\nhelp: {help}")},
            }],
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::{SourceFile, Span, rule};

    #[test]
    fn places_and_rules() {
        let src = SourceFile::new("bindings/a b.yaml", "x: 1\nplugin: nope\n".to_string());
        let d = Diagnostic::new(&rule::UNKNOWN_PLUGIN, "no plugin `nope`")
            .at(&src, Span { start: 13, len: 4 })
            .help("add it");
        let doc = log(&[d, Diagnostic::new(&rule::YAML_SYNTAX, "no file")]);
        let run = &doc["runs"][0];
        assert_eq!(
            run["tool"]["driver"]["rules"].as_array().unwrap().len(),
            ALL.len()
        );
        let r = &run["results"][0];
        assert_eq!(r["ruleId"], "MP012");
        assert_eq!(
            run["tool"]["driver"]["rules"][r["ruleIndex"].as_u64().unwrap() as usize]["id"],
            "MP012"
        );
        let loc = &r["locations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uri"], "bindings/a%20b.yaml");
        assert_eq!(loc["region"]["startLine"], 2);
        assert_eq!(loc["region"]["startColumn"], 9);
        assert_eq!(loc["region"]["endColumn"], 13);
        assert_eq!(r["message"]["text"], "no plugin `nope`\nhelp: add it");
        assert!(run["results"][1].get("locations").is_none());
        assert_eq!(
            artifact_location("/tmp/x.yaml").unwrap()["uri"],
            "file:///tmp/x.yaml"
        );
        assert!(artifact_location("<stdin>").is_none());
    }
}
