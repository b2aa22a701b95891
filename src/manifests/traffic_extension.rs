//! Istio 1.30's `TrafficExtension` (`extensions.istio.io/v1alpha1`): a Wasm or Lua filter with the
//! WasmPlugin's targeting (`selector` or `targetRefs`), `phase`, `priority` and `match`, and the
//! Wasm fields under `spec.wasm` (istio/api `extensions/v1alpha1/traffic_extension.proto`).
//!
//! A Wasm TrafficExtension is read as the WasmPlugin it amounts to ([`to_wasmplugin`]): the
//! `spec.wasm` fields are lifted into `spec`, with their places in the file, so `lint` and
//! `import` check and adopt it with the WasmPlugin rules. Fields the TrafficExtension CRD does not
//! define are errors at the document, as for WasmPlugins (`targetRef` included: the
//! TrafficExtension has only `targetRefs`). A Lua TrafficExtension is not managed by meshplug: it
//! is reported, never translated.

use crate::diag::Places as _;
use crate::diag::{Children, Diagnostic, Severity, SpanTree, rule};
use crate::load::Document;
use serde_json::{Map, Value};

/// The kind.
pub const KIND: &str = "TrafficExtension";

/// Fields of `spec` (message `TrafficExtension`).
const SPEC_FIELDS: &[&str] = &[
    "selector",
    "targetRefs",
    "phase",
    "priority",
    "match",
    "wasm",
    "lua",
];

/// Fields of `spec.wasm` (message `WasmConfig`), which are WasmPlugin `spec` fields too.
const WASM_FIELDS: &[&str] = &[
    "url",
    "sha256",
    "imagePullPolicy",
    "imagePullSecret",
    "verificationKey",
    "pluginConfig",
    "pluginName",
    "failStrategy",
    "vmConfig",
    "type",
];

/// Fields of `spec.lua` (message `LuaConfig`).
const LUA_FIELDS: &[&str] = &["inlineCode"];

/// Whether a document is a TrafficExtension (any `extensions.istio.io` version).
pub fn is_traffic_extension(doc: &Document) -> bool {
    is_kind(&doc.value, KIND)
}

fn is_kind(value: &Value, kind: &str) -> bool {
    value.get("kind").and_then(Value::as_str) == Some(kind)
        && value
            .get("apiVersion")
            .and_then(Value::as_str)
            .is_some_and(|v| v.starts_with("extensions.istio.io/"))
}

/// Whether a TrafficExtension value runs Lua (its spec has `lua` and no `wasm`).
pub fn is_lua(value: &Value) -> bool {
    let spec = value.get("spec");
    spec.and_then(|s| s.get("lua")).is_some() && spec.and_then(|s| s.get("wasm")).is_none()
}

/// The spec of a TrafficExtension value in WasmPlugin form: the `wasm` fields lifted into the spec
/// (a Lua spec is returned as it is). For comparing and ordering live objects.
pub fn wasm_spec(spec: &Value) -> Value {
    let Some(obj) = spec.as_object() else {
        return spec.clone();
    };
    let Some(Value::Object(wasm)) = obj.get("wasm") else {
        return spec.clone();
    };
    let mut out: Map<String, Value> = obj
        .iter()
        .filter(|(k, _)| *k != "wasm")
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    for (k, v) in wasm {
        out.insert(k.clone(), v.clone());
    }
    Value::Object(out)
}

/// The diagnostic for a Lua TrafficExtension: meshplug does not manage Lua filters. A warning
/// for `lint` (Istio accepts it), an error for `import` (it cannot be adopted).
pub fn lua_not_managed(doc: &Document, severity: Severity) -> Diagnostic {
    let name = doc
        .value
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or("unnamed");
    let (message, help) = if severity == Severity::Error {
        (
            format!(
                "TrafficExtension {name} is a Lua extension and cannot be imported: Lua extensions are not managed by meshplug"
            ),
            "leave it out of the import (keep managing it by hand), or port it to a Wasm plugin",
        )
    } else {
        (
            format!(
                "TrafficExtension {name} is a Lua extension: Lua extensions are not managed by meshplug, and only its fields were checked"
            ),
            "meshplug checks, imports and renders Wasm plugins; keep managing this extension by hand",
        )
    };
    doc.diag_key(&rule::WRONG_KIND, "/spec/lua", message)
        .severity(severity)
        .label("Lua, not managed")
        .help(help)
}

/// Unknown keys of the mapping at `pointer` (fields not in `known`), as errors.
fn unknown(doc: &Document, pointer: &str, known: &[&str], at: &str) -> Vec<Diagnostic> {
    let Some(Value::Object(map)) = doc.value.pointer(pointer) else {
        return Vec::new();
    };
    map.keys()
        .filter(|k| !known.contains(&k.as_str()))
        .map(|k| {
            let mut d = doc
                .diag_key(
                    &rule::SCHEMA,
                    &format!("{pointer}/{}", crate::diag::pointer::escape(k)),
                    format!("unknown field `{k}` in {at} of a TrafficExtension"),
                )
                .label("unknown field");
            let hint = match k.as_str() {
                "targetRef" => Some(
                    "a TrafficExtension has only `targetRefs` (a list): `targetRefs: [{...}]`"
                        .to_string(),
                ),
                k if WASM_FIELDS.contains(&k) && pointer == "/spec" => Some(format!(
                    "the Wasm fields go under `spec.wasm`: `wasm: {{{k}: ...}}`"
                )),
                k if SPEC_FIELDS.contains(&k) && pointer == "/spec/wasm" => Some(format!(
                    "`{k}` belongs in `spec`, next to `wasm`, not in it"
                )),
                _ => crate::diag::did_you_mean(k, known.iter().copied())
                    .map(|s| format!("did you mean `{s}`?")),
            };
            if let Some(h) = hint {
                d = d.help(h);
            }
            d
        })
        .collect()
}

fn entries(tree: &SpanTree) -> &[(Box<str>, crate::diag::Span, SpanTree)] {
    match &tree.children {
        Children::Map(e) => e,
        _ => &[],
    }
}

/// A TrafficExtension document as the WasmPlugin it amounts to, with the problems only a
/// TrafficExtension can have (unknown fields, `wasm` and `lua` both or neither set). `None` for a
/// Lua extension (with `lua_severity`'s [`lua_not_managed`]) or when there is no Wasm spec to
/// check. Unknown fields are left out of the translation, so they are reported once.
pub fn to_wasmplugin(
    doc: &Document,
    lua_severity: Severity,
) -> (Option<Document>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    if let Some(v) = doc.value.get("apiVersion").and_then(Value::as_str)
        && v != super::API_VERSION
    {
        diags.push(
            doc.diag(
                &rule::WRONG_KIND,
                "/apiVersion",
                format!(
                    "TrafficExtension is served only as {}, not {v}",
                    super::API_VERSION
                ),
            )
            .label("unsupported version")
            .help(format!("use `apiVersion: {}`", super::API_VERSION)),
        );
        return (None, diags);
    }
    let Some(spec) = doc.value.get("spec").and_then(Value::as_object) else {
        // No spec (or not a mapping): the WasmPlugin checks say what is wrong with it.
        let mut value = doc.value.clone();
        if let Some(obj) = value.as_object_mut() {
            obj.insert("kind".into(), Value::from("WasmPlugin"));
        }
        return (
            Some(Document {
                source: doc.source.clone(),
                value,
                spans: doc.spans.clone(),
            }),
            diags,
        );
    };
    diags.extend(unknown(doc, "/spec", SPEC_FIELDS, "spec"));
    let (wasm, lua) = (spec.get("wasm"), spec.get("lua"));
    match (wasm, lua) {
        (Some(_), Some(_)) => {
            diags.push(
                doc.diag_key(
                    &rule::SCHEMA,
                    "/spec/lua",
                    "wasm and lua are both set; exactly one of wasm or lua must be set",
                )
                .label("second filter")
                .help("split it into two TrafficExtensions, one per filter"),
            );
            return (None, diags);
        }
        (None, None) => {
            diags.push(
                doc.diag_key(
                    &rule::SCHEMA,
                    "/spec",
                    "exactly one of wasm or lua must be set",
                )
                .label("no filter")
                .help("add `wasm: {url: oci://...}` (meshplug manages Wasm extensions)"),
            );
            return (None, diags);
        }
        (None, Some(_)) => {
            diags.extend(unknown(doc, "/spec/lua", LUA_FIELDS, "spec.lua"));
            diags.push(lua_not_managed(doc, lua_severity));
            return (None, diags);
        }
        (Some(w), None) if !w.is_object() => {
            diags.push(
                doc.diag(&rule::SCHEMA, "/spec/wasm", "`wasm` must be a mapping")
                    .label("not a mapping")
                    .help("give the module: `wasm: {url: oci://...}`"),
            );
            return (None, diags);
        }
        (Some(_), None) => {}
    }
    diags.extend(unknown(doc, "/spec/wasm", WASM_FIELDS, "spec.wasm"));
    // The value: `wasm`'s known fields lifted into the spec, other known fields kept.
    let mut new_spec = Map::new();
    for (k, v) in spec {
        if k != "wasm" && SPEC_FIELDS.contains(&k.as_str()) {
            new_spec.insert(k.clone(), v.clone());
        }
    }
    if let Some(Value::Object(w)) = wasm {
        for (k, v) in w {
            if WASM_FIELDS.contains(&k.as_str()) {
                new_spec.insert(k.clone(), v.clone());
            }
        }
    }
    let mut value = doc.value.clone();
    if let Some(obj) = value.as_object_mut() {
        obj.insert("kind".into(), Value::from("WasmPlugin"));
        obj.insert("spec".into(), Value::Object(new_spec));
    }
    // The places, moved the same way, so diagnostics point into `spec.wasm` in the file.
    let mut spans = doc.spans.clone();
    if let Children::Map(top) = &mut spans.children
        && let Some((_, _, spec_tree)) = top.iter_mut().find(|(k, _, _)| &**k == "spec")
    {
        let old = entries(spec_tree);
        let mut moved: Vec<_> = old
            .iter()
            .filter(|(k, _, _)| &**k != "wasm" && SPEC_FIELDS.contains(&&**k))
            .cloned()
            .collect();
        if let Some((_, _, w)) = old.iter().find(|(k, _, _)| &**k == "wasm") {
            moved.extend(
                entries(w)
                    .iter()
                    .filter(|(k, _, _)| WASM_FIELDS.contains(&&**k))
                    .cloned(),
            );
        }
        spec_tree.children = Children::Map(moved);
    }
    (
        Some(Document {
            source: doc.source.clone(),
            value,
            spans,
        }),
        diags,
    )
}

/// Everything wrong with one TrafficExtension document, for `lint`: its own problems, then the
/// WasmPlugin checks of the Wasm extension it amounts to. A Lua extension gets a warning.
pub fn lint(doc: &Document, root_ns: &str) -> Vec<Diagnostic> {
    let (translated, mut diags) = to_wasmplugin(doc, Severity::Warning);
    if let Some(t) = translated {
        diags.extend(super::lint::lint(&t, root_ns));
    }
    diags
}

/// The Wasm TrafficExtensions among `docs`, as WasmPlugin documents to import, and the problems
/// that stop the import (a Lua extension is one: meshplug cannot adopt it).
pub fn importable(docs: &[Document]) -> (Vec<Document>, Vec<Diagnostic>) {
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for doc in docs.iter().filter(|d| is_traffic_extension(d)) {
        let (translated, diags) = to_wasmplugin(doc, Severity::Error);
        problems.extend(diags.into_iter().filter(|d| d.severity == Severity::Error));
        out.extend(translated);
    }
    (out, problems)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifests::read::read;

    fn doc(text: &str) -> Document {
        let (mut docs, diags) = read("te.yaml", text.as_bytes().to_vec());
        assert!(diags.is_empty());
        docs.remove(0)
    }

    const WASM: &str = "apiVersion: extensions.istio.io/v1alpha1\nkind: TrafficExtension\nmetadata:\n  name: auth\n  namespace: shop\nspec:\n  selector:\n    matchLabels:\n      app: cart\n  phase: AUTHN\n  priority: 10\n  wasm:\n    url: oci://ghcr.io/acme/auth:1.0.0\n    pluginConfig:\n      realm: shop\n";

    #[test]
    fn wasm_fields_are_lifted_with_their_places() {
        let d = doc(WASM);
        let (t, diags) = to_wasmplugin(&d, Severity::Warning);
        assert!(diags.is_empty());
        let t = t.unwrap();
        assert_eq!(t.value["kind"], "WasmPlugin");
        assert_eq!(t.value["spec"]["url"], "oci://ghcr.io/acme/auth:1.0.0");
        assert_eq!(t.value["spec"]["phase"], "AUTHN");
        assert!(t.value["spec"].get("wasm").is_none());
        let loc = t.spans.locate("/spec/url");
        assert!(loc.exact);
        assert_eq!(t.source.line_col(loc.value.start as usize), (13, 10));
        assert!(lint(&d, "istio-system").is_empty());
    }

    #[test]
    fn lua_is_not_managed() {
        let d = doc(
            "apiVersion: extensions.istio.io/v1alpha1\nkind: TrafficExtension\nmetadata:\n  name: lua\nspec:\n  lua:\n    inlineCode: x\n",
        );
        let diags = lint(&d, "istio-system");
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].severity, Severity::Warning);
        assert!(diags[0].message.contains("not managed by meshplug"));
        let (docs, problems) = importable(&[d]);
        assert!(docs.is_empty());
        assert_eq!(problems[0].severity, Severity::Error);
    }

    #[test]
    fn unknown_fields_and_both_filters() {
        let d = doc(&WASM.replace(
            "  wasm:\n",
            "  targetRef: {kind: Gateway, name: g}\n  wasm:\n    bogus: 1\n",
        ));
        let msgs: Vec<String> = lint(&d, "istio-system")
            .into_iter()
            .map(|d| d.message)
            .collect();
        assert!(
            msgs.iter().any(|m| m.contains("unknown field `targetRef`")),
            "{msgs:?}"
        );
        assert!(
            msgs.iter().any(|m| m.contains("unknown field `bogus`")),
            "{msgs:?}"
        );
        let d = doc(&format!("{WASM}  lua:\n    inlineCode: x\n"));
        let msgs: Vec<String> = lint(&d, "istio-system")
            .into_iter()
            .map(|d| d.message)
            .collect();
        assert!(
            msgs.iter()
                .any(|m| m.contains("exactly one of wasm or lua")),
            "{msgs:?}"
        );
    }

    #[test]
    fn other_versions_are_not_served() {
        let d = doc(&WASM.replace("v1alpha1", "v1"));
        let diags = lint(&d, "istio-system");
        assert_eq!(diags.len(), 1);
        assert!(
            diags[0]
                .message
                .contains("TrafficExtension is served only as")
        );
    }

    #[test]
    fn wasm_spec_lifts() {
        let spec = serde_json::json!({"phase": "STATS", "wasm": {"url": "oci://a/b:1"}});
        assert_eq!(
            wasm_spec(&spec),
            serde_json::json!({"phase": "STATS", "url": "oci://a/b:1"})
        );
    }
}
