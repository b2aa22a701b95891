//! `meshplug lint`: hand-written WasmPlugin manifests checked with the CRD's rules (types, limits,
//! enums, every CEL and list-map rule) and Istio's semantics, with the rule codes of the
//! repository checks. What the API server would reject is an error; what Istio accepts but
//! handles surprisingly (a url without scheme, an untagged image) is a warning, unless it breaks
//! the plugin (`:latest` unpinned, `ISTIO_META_` env, SERVER on a gateway).

pub mod url;

use crate::check::rules::mp021_label_syntax::selector;
use crate::check::rules::mp025_match_ports::ports;
use crate::check::rules::mp026_target_refs::target_refs;
use crate::check::rules::mp030_server_mode_on_gateway::server_mode;
use crate::check::rules::mp031_fail_open_auth::fail_open;
use crate::check::rules::{
    mp016_url_scheme, mp017_sha256_format, mp018_digest_mismatch, mp022_env_value_with_host,
    mp023_duplicate_env, mp024_istio_meta_env, mp033_plaintext_secret, mp037_file_url_sha256,
    mp038_docker_hub_default,
};
use crate::diag::Places as _;
use crate::diag::{Diagnostic, Severity, rule};
use crate::load::Document;
use crate::load::schema;
use crate::manifests::{self, Manifest};
use crate::model::attach::selects_gateway;
use crate::model::url::{ModuleUrl, OciRef};
use serde_json::Value;

/// A `null` the API server drops (only `priority` is `nullable` in the CRD).
fn null_dropped(doc: &Document, pointer: &str) -> Diagnostic {
    let field = pointer.rsplit('/').next().unwrap_or("");
    let field = crate::diag::pointer::unescape(field);
    doc.diag_key(
        &rule::SCHEMA,
        pointer,
        format!("`{field}` is null (or empty): the API server drops it, as if it were not there"),
    )
    .severity(Severity::Warning)
    .label("dropped")
    .help("delete the line, or give the field a value: only `priority` may be null in a WasmPlugin")
}

/// A schema problem at a YAML 1.1 boolean word (`on`, `yes`, ...): say what kubectl read.
fn yaml11_hint(doc: &Document, mut d: Diagnostic) -> Diagnostic {
    let Some(span) = d.span else { return d };
    let text = &doc.source.text;
    let raw = crate::load::yaml11::is_plain(text, span);
    if let Some(word) = raw.filter(|w| crate::load::yaml11::bool_word(w).is_some()) {
        let b = crate::load::yaml11::bool_word(word).unwrap_or_default();
        d.help = Some(format!(
            "kubectl reads the unquoted `{word}` as the boolean {b} (YAML 1.1); if you mean the string, quote it: \"{word}\""
        ));
    }
    d
}

/// Everything wrong with one WasmPlugin document.
pub fn lint(doc: &Document, root_ns: &str) -> Vec<Diagnostic> {
    if let Some(v) = doc.value.get("apiVersion").and_then(Value::as_str)
        && v != manifests::API_VERSION
    {
        return vec![
            doc.diag(
                &rule::WRONG_KIND,
                "/apiVersion",
                format!(
                    "WasmPlugin is served only as {}, not {v}",
                    manifests::API_VERSION
                ),
            )
            .label("unsupported version")
            .help(format!("use `apiVersion: {}`", manifests::API_VERSION)),
        ];
    }
    let (value, dropped) = manifests::prune_nulls(&doc.value);
    let mut out: Vec<Diagnostic> = dropped.iter().map(|p| null_dropped(doc, p)).collect();
    out.extend(manifests::meta::check(doc, &value));
    // The spec against the CRD's schema; metadata was checked above, as ObjectMeta.
    let name = value
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .filter(|n| manifests::meta::is_dns_subdomain(n));
    let namespace = value
        .pointer("/metadata/namespace")
        .and_then(Value::as_str)
        .filter(|n| manifests::meta::is_dns_label(n));
    let mut typed = value.clone();
    if let Some(obj) = typed.as_object_mut() {
        let mut meta = serde_json::Map::new();
        meta.insert("name".into(), Value::from(name.unwrap_or("unnamed")));
        if let Some(ns) = namespace {
            meta.insert("namespace".into(), Value::from(ns));
        }
        obj.insert("metadata".into(), Value::Object(meta));
    }
    let (schema, validator) = manifests::schema();
    let problems = schema::check_with(schema, validator, doc, &typed);
    if !problems.is_empty() {
        // A boolean in an enum field is a type error; "not one of the values" would repeat it.
        let typed_at: Vec<_> = problems
            .iter()
            .filter(|d| d.rule == &rule::SCHEMA)
            .map(|d| d.span)
            .collect();
        out.extend(
            problems
                .into_iter()
                .filter(|d| d.rule != &rule::BAD_ENUM || !typed_at.contains(&d.span))
                .map(|d| yaml11_hint(doc, d)),
        );
        // The url and its pin are still checked when they are strings: every problem of the
        // document is reported, not only the first.
        if let Some(url) = value
            .pointer("/spec/url")
            .and_then(Value::as_str)
            .filter(|u| !u.is_empty())
        {
            let sha = value.pointer("/spec/sha256").and_then(Value::as_str);
            out.extend(check_module(doc, url, sha));
        }
        return out;
    }
    let m: Manifest = match serde_json::from_value(typed) {
        Ok(m) => m,
        Err(e) => {
            out.push(doc.diag(
                &rule::SCHEMA,
                "",
                format!("cannot read the WasmPlugin: {e}"),
            ));
            return out;
        }
    };
    let spec = &m.spec;
    let present: Vec<&str> = ["selector", "targetRef", "targetRefs"]
        .into_iter()
        .filter(|k| doc.value["spec"].get(k).is_some())
        .collect();
    if present.len() > 1 {
        out.push(
            doc.diag_key(
                &rule::SELECTOR_ONE_OF,
                &format!("/spec/{}", present[1]),
                format!("{} are all set; only one of selector, targetRef and targetRefs may be", present.join(" and ")),
            )
            .label("second workload selection")
            .help("keep one: `selector` for sidecars and gateways by label, `targetRefs` for Gateway API gateways and waypoints"),
        );
    }
    let labels = spec.selector.as_ref().map(|s| &s.match_labels);
    if let Some(l) = labels {
        out.extend(selector(doc, l));
    }
    let namespace = m.metadata.namespace();
    let refs = spec.target_refs.clone().unwrap_or_default();
    out.extend(target_refs(doc, &refs, namespace, root_ns));
    if let Some(r) = &spec.target_ref {
        out.push(
            doc.diag_key(&rule::TARGET_REFS, "/spec/targetRef", "targetRef is deprecated")
                .severity(Severity::Warning)
                .help("use `targetRefs: [...]`; Istio 1.30 reads targetRef as a one-item targetRefs, older versions differ"),
        );
        if r.namespace.as_deref().is_some_and(|n| !n.is_empty()) {
            out.push(
                doc.diag(&rule::TARGET_REFS, "/spec/targetRef/namespace", "targetRef namespace must be empty")
                    .label("cross-namespace reference")
                    .help("Istio does not support cross-namespace targets; put the WasmPlugin in the target's namespace and drop `namespace`"),
            );
        }
    }
    out.extend(check_module(doc, &spec.url, spec.sha256.as_deref()));
    if let Some(vm) = &spec.vm_config {
        let (at, env) = ("/spec/vmConfig/env", vm.env.as_slice());
        out.extend(mp022_env_value_with_host::env_list(doc, at, env));
        out.extend(mp023_duplicate_env::env_list(doc, at, env));
        out.extend(mp024_istio_meta_env::env_list(doc, at, env));
    }
    let mut all_refs = refs;
    all_refs.extend(spec.target_ref.clone());
    let gateway = selects_gateway(labels, &all_refs);
    let matches = spec.r#match.as_deref().unwrap_or_default();
    out.extend(ports(doc, "/spec", matches));
    out.extend(server_mode(doc, "/spec", matches, gateway));
    if let Some(phase) = spec.phase {
        out.extend(fail_open(
            doc,
            "/spec",
            true,
            &m.metadata.name,
            phase,
            spec.fail_strategy,
        ));
    }
    if let Some(p) = spec.priority
        && i32::try_from(p).is_err()
    {
        out.push(
            doc.diag(
                &rule::PRIORITY_RANGE,
                "/spec/priority",
                format!("priority {p} is not a 32-bit integer"),
            )
            .label("out of range")
            .help("use a value from -2147483648 to 2147483647; higher runs first within a phase"),
        );
    }
    if let Some(cfg) = &spec.plugin_config {
        out.extend(mp033_plaintext_secret::config(
            doc,
            "/spec/pluginConfig",
            cfg,
        ));
    }
    out
}

/// MP019's advice (a warning: Istio accepts a moving tag and re-pulls it).
const MUTABLE_HELP: &str = "name an explicit version tag, or pin `sha256`: Istio re-pulls `latest` (and a url without a tag, which means `latest`) whenever the resource changes, so proxies may run different modules; `meshplug lock` pins what the tag names today and `meshplug lock --verify` catches a move";

/// MP016-MP019, MP037, MP038: the url as the API server and the Istio agent read it, and its pin.
fn check_module(doc: &Document, url: &str, sha256: Option<&str>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let accepted = url::cel_accepts(url);
    if !accepted {
        let why = match url::parse_problem(url) {
            Some(problem) => format!("url `{}` does not parse: {problem}", url.escape_debug()),
            None => {
                let scheme = ModuleUrl::parse(url)
                    .scheme
                    .map(str::to_owned)
                    .or_else(|| url::request_uri_scheme(url).filter(|s| !s.is_empty()));
                match scheme {
                    Some(s) => format!("url `{url}` has scheme `{s}`, which the CRD rejects"),
                    None => format!("url `{url}` is not a valid url"),
                }
            }
        };
        out.push(
            doc.diag(&rule::URL_SCHEME, "/spec/url", why)
                .label("rejected by the API server")
                .help("use oci://registry/repo:tag (recommended), https://, http:// or file://; a `host:port/...` url needs an explicit oci://; escape `%` as `%25`"),
        );
    }
    let parsed = ModuleUrl::parse(url);
    if accepted && parsed.scheme.is_none() {
        out.push(
            doc.diag(&rule::URL_SCHEME, "/spec/url", format!("url `{url}` has no scheme; Istio reads it as oci://{url}"))
                .severity(Severity::Warning)
                .label("implicit oci://")
                .help(format!("write `oci://{url}`: explicit schemes avoid surprises such as `registry:5000/...` being read as scheme `registry`")),
        );
    }
    let sha = sha256.filter(|s| !s.is_empty());
    let mut url_digest = None;
    if accepted && matches!(parsed.scheme, None | Some("oci")) {
        let rest = parsed.rest;
        out.extend(mp016_url_scheme::oci_reference(doc, "/spec/url", rest));
        out.extend(mp017_sha256_format::url_digest(doc, "/spec/url", rest));
        // An invalid reference is reported above; its tag is not looked at.
        if let Ok(r) = OciRef::parse(rest) {
            if r.docker_hub_by_default() {
                out.push(mp038_docker_hub_default::finding(
                    doc,
                    "/spec/url",
                    url,
                    rest,
                    &r,
                ));
            }
            url_digest = r.digest_hex().map(str::to_owned);
            // `:latest` and no tag (which means `latest`) behave the same: a warning unless the
            // module is pinned by `sha256` or a url digest.
            let pinned = sha.is_some() || r.digest().is_some();
            match r.tag() {
                Some("latest") if !pinned => out.push(
                    doc.diag(
                        &rule::MUTABLE_TAG,
                        "/spec/url",
                        format!("url `{url}` uses the mutable tag `latest`"),
                    )
                    .label("mutable tag")
                    .help(MUTABLE_HELP),
                ),
                None if !pinned => out.push(
                    doc.diag(
                        &rule::MUTABLE_TAG,
                        "/spec/url",
                        format!("url `{url}` has no tag and no digest: it means `latest`"),
                    )
                    .label("mutable tag")
                    .help(MUTABLE_HELP),
                ),
                _ => {}
            }
        }
    }
    if let Some(s) = sha {
        let ptr = "/spec/sha256";
        out.extend(mp017_sha256_format::field(doc, ptr, s));
        out.extend(mp018_digest_mismatch::mismatch(
            doc,
            ptr,
            s,
            url_digest.as_deref(),
        ));
        if parsed.scheme == Some("file") {
            out.push(mp037_file_url_sha256::finding(doc, ptr));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(text: &str) -> Vec<(&'static str, Severity)> {
        let (docs, diags) = manifests::read::read("t.yaml", text.as_bytes().to_vec());
        assert!(diags.is_empty());
        lint(&docs[0], "istio-system")
            .iter()
            .map(|d| (d.rule.code, d.severity))
            .collect()
    }

    const HEAD: &str = "apiVersion: extensions.istio.io/v1alpha1\nkind: WasmPlugin\nmetadata:\n  name: p\n  namespace: ns\nspec:\n";

    #[test]
    fn a_clean_manifest_passes() {
        let text = format!("{HEAD}  url: oci://ghcr.io/a/b:1.0\n  phase: AUTHN\n  priority: 10\n");
        assert!(codes(&text).is_empty());
    }

    #[test]
    fn istio_semantics() {
        let latest = format!("{HEAD}  url: oci://ghcr.io/a/b:latest\n");
        assert_eq!(codes(&latest), [("MP019", Severity::Warning)]);
        let meta = format!(
            "{HEAD}  url: oci://ghcr.io/a/b:1\n  vmConfig:\n    env:\n    - name: ISTIO_META_X\n      value: z\n"
        );
        assert_eq!(codes(&meta), [("MP024", Severity::Error)]);
        // `y` is YAML 1.1's `true`: kubectl sends a boolean where a string belongs.
        let y = format!(
            "{HEAD}  url: oci://ghcr.io/a/b:1\n  vmConfig:\n    env:\n    - name: X\n      value: y\n"
        );
        assert_eq!(codes(&y), [("MP002", Severity::Error)]);
        let server = format!(
            "{HEAD}  selector:\n    matchLabels:\n      istio: ingressgateway\n  url: oci://ghcr.io/a/b:1\n  match:\n  - mode: SERVER\n"
        );
        assert_eq!(codes(&server), [("MP030", Severity::Error)]);
        let open = format!(
            "{HEAD}  url: oci://ghcr.io/a/b:1\n  phase: AUTHZ\n  failStrategy: FAIL_OPEN\n"
        );
        assert_eq!(codes(&open), [("MP031", Severity::Warning)]);
        let hub = format!("{HEAD}  url: oci://acme/b:1\n");
        assert_eq!(codes(&hub), [("MP038", Severity::Warning)]);
        let upper = format!("{HEAD}  url: oci://ghcr.io/Acme/b:1\n");
        assert_eq!(codes(&upper), [("MP016", Severity::Error)]);
        let digest = format!("{HEAD}  url: oci://ghcr.io/a/b@sha256:abc\n");
        assert_eq!(codes(&digest), [("MP017", Severity::Error)]);
    }

    #[test]
    fn crd_rules() {
        let both = format!(
            "{HEAD}  selector:\n    matchLabels: {{app: a}}\n  targetRefs:\n  - kind: Gateway\n    group: gateway.networking.k8s.io\n    name: g\n  url: oci://ghcr.io/a/b:1\n"
        );
        assert!(codes(&both).contains(&("MP020", Severity::Error)));
        let ports = format!(
            "{HEAD}  url: oci://ghcr.io/a/b:1\n  match:\n  - ports:\n    - number: 80\n    - number: 80\n"
        );
        assert_eq!(codes(&ports), [("MP025", Severity::Error)]);
        let range = format!(
            "{HEAD}  url: oci://ghcr.io/a/b:1\n  match:\n  - ports:\n    - number: 70000\n"
        );
        assert_eq!(codes(&range), [("MP025", Severity::Error)]);
        let refs: String = (0..17)
            .map(|i| format!("  - kind: Service\n    name: s{i}\n"))
            .collect();
        let many = format!("{HEAD}  url: oci://ghcr.io/a/b:1\n  targetRefs:\n{refs}");
        assert_eq!(codes(&many), [("MP026", Severity::Error)]);
        let ns = format!(
            "{HEAD}  url: oci://ghcr.io/a/b:1\n  targetRefs:\n  - kind: Service\n    name: s\n    namespace: other\n"
        );
        assert_eq!(codes(&ns), [("MP026", Severity::Error)]);
        let unknown = format!("{HEAD}  url: oci://ghcr.io/a/b:1\n  phase: AUTHN\n  priorty: 1\n");
        assert_eq!(codes(&unknown), [("MP002", Severity::Error)]);
        let null_priority = format!("{HEAD}  url: oci://ghcr.io/a/b:1\n  priority: null\n");
        assert!(codes(&null_priority).is_empty());
    }
}
