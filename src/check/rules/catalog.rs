//! Rules on one catalog entry: module urls and pins, env defaults, the config schema.

use super::{secrets, *};
use crate::check::Diagnostic;
use crate::load::{Document, Loaded};
use crate::model::url::{ModuleUrl, OciRef, SCHEMES, is_sha256_hex};
use crate::model::{EnvValueSource, EnvVar, Plugin};

/// Check one catalog entry; returns its problems and its compiled config schema (if valid).
pub fn check_plugin(p: &Loaded<Plugin>) -> (Vec<Diagnostic>, Option<jsonschema::Validator>) {
    let mut out = Vec::new();
    let doc = &p.doc;
    let spec = &p.item.spec;
    let mut versions = std::collections::BTreeMap::new();
    for (i, v) in spec.versions.iter().enumerate() {
        let at = format!("/spec/versions/{i}");
        if let Some(j) = versions.insert(v.version.as_str(), i) {
            out.push(
                doc.diag(
                    &DUPLICATE_PLUGIN,
                    &format!("{at}/version"),
                    format!("version `{}` is listed twice (also entry {j})", v.version),
                )
                .help("list each version once, newest first"),
            );
        }
        out.extend(check_url(doc, &at, &v.url, v.sha256.as_deref()));
    }
    out.extend(check_env(
        doc,
        "/spec/defaults/vmConfig/env",
        p.item.spec.defaults.env(),
    ));
    if let Some(cfg) = &spec.defaults.plugin_config {
        out.extend(secrets::check(
            doc,
            "/spec/defaults/pluginConfig",
            &serde_json::Value::Object(cfg.clone()),
        ));
    }
    let validator = spec.config_schema.as_ref().and_then(|schema| {
        if !schema.is_object() {
            out.push(
                doc.diag(
                    &BAD_CONFIG_SCHEMA,
                    "/spec/configSchema",
                    "configSchema must be a mapping (a JSON Schema object)",
                )
                .help("write e.g. `configSchema: {type: object, properties: {...}}`"),
            );
            return None;
        }
        match jsonschema::validator_for(schema) {
            Ok(v) => Some(v),
            Err(e) => {
                let inner = e.instance_path().as_str().to_string();
                out.push(
                    doc.diag(
                        &BAD_CONFIG_SCHEMA,
                        &format!("/spec/configSchema{inner}"),
                        format!("configSchema is not a valid JSON Schema: {}", e.masked()),
                    )
                    .label("invalid schema")
                    .help("fix the schema (draft 2020-12; `type`, `properties`, `required`, ...)"),
                );
                None
            }
        }
    });
    (out, validator)
}

/// MP016-MP019, MP037: the url and its pin.
pub fn check_url(doc: &Document, at: &str, url: &str, sha256: Option<&str>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let url_ptr = format!("{at}/url");
    let parsed = ModuleUrl::parse(url);
    let mut url_digest = None;
    match parsed.scheme {
        None => out.push(
            doc.diag(&URL_SCHEME, &url_ptr, format!("url `{url}` has no scheme"))
                .label("no scheme")
                .help(format!("write `oci://{url}`: Istio reads `host:port/...` as a url with scheme `host` and rejects it")),
        ),
        Some(s) if !SCHEMES.contains(&s) => out.push(
            doc.diag(&URL_SCHEME, &url_ptr, format!("url scheme `{s}` is not supported by Istio"))
                .label("unsupported scheme")
                .help("use oci:// (recommended), https://, http:// or file://"),
        ),
        Some("oci") => match OciRef::parse(parsed.rest) {
            Err(e) => out.push(doc.diag(&URL_SCHEME, &url_ptr, format!("invalid OCI reference: {e}")).help("write oci://registry/repository:tag")),
            Ok(r) => {
                if let Some(d) = r.digest {
                    match r.digest_hex() {
                        Some(hex) if is_sha256_hex(hex) => url_digest = Some(hex),
                        _ => out.push(
                            doc.diag(&SHA256_FORMAT, &url_ptr, format!("digest `{d}` in the url is not sha256:<64 lowercase hex>"))
                                .help("use the manifest digest as printed by `meshplug lock`"),
                        ),
                    }
                }
                if r.digest.is_none() {
                    match r.tag {
                        None => out.push(
                            doc.diag(&MUTABLE_TAG, &url_ptr, format!("OCI url `{url}` has no tag"))
                                .label("no tag")
                                .help("name an explicit version tag, e.g. `:1.0.0` (no tag means whatever `latest` points to)"),
                        ),
                        Some("latest") => out.push(
                            doc.diag(&MUTABLE_TAG, &url_ptr, format!("OCI url `{url}` uses the mutable tag `latest`"))
                                .label("mutable tag")
                                .help("name an explicit version tag; with `latest` Istio re-pulls on every change and proxies may run different modules"),
                        ),
                        Some(_) => {}
                    }
                }
            }
        },
        Some(_) => {}
    }
    if let Some(sha) = sha256 {
        out.extend(check_sha256(
            doc,
            &format!("{at}/sha256"),
            sha,
            url_digest,
            parsed.scheme == Some("file"),
        ));
    }
    out
}

/// MP017, MP018, MP037: a `sha256` field at `ptr`, against the url's own digest (if any).
pub fn check_sha256(
    doc: &Document,
    ptr: &str,
    sha: &str,
    url_digest: Option<&str>,
    file_url: bool,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let sha_ptr = ptr;
    if !is_sha256_hex(sha) {
        let help = if sha.starts_with("sha256:") {
            "drop the `sha256:` prefix: Istio wants only the 64 hex characters".to_string()
        } else if is_sha256_hex(&sha.to_ascii_lowercase()) {
            "use lowercase hex".to_string()
        } else {
            "use the 64 lowercase hex characters of the digest (run `meshplug lock` to compute it)"
                .to_string()
        };
        out.push(
            doc.diag(
                &SHA256_FORMAT,
                sha_ptr,
                format!("sha256 `{sha}` is not 64 lowercase hex characters"),
            )
            .label("bad digest")
            .help(help),
        );
    } else if let Some(d) = url_digest.filter(|d| *d != sha) {
        out.push(
            doc.diag(&DIGEST_MISMATCH, sha_ptr, format!("sha256 disagrees with the url's digest sha256:{d}"))
                .label("differs from the url")
                .help("keep one of them, or make both the same manifest digest; Istio fails the fetch when they differ"),
        );
    }
    if file_url {
        out.push(
            doc.diag(&FILE_SHA_IGNORED, sha_ptr, "sha256 has no effect on a file:// url")
                .help("Istio passes file:// modules to Envoy as local files and never checks the digest; remove it or serve the module over oci:// or https://"),
        );
    }
    out
}

/// MP022-MP024: env var rules (shared by catalog defaults and bindings).
pub fn check_env(doc: &Document, at: &str, env: &[EnvVar]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut seen = std::collections::BTreeMap::new();
    for (i, e) in env.iter().enumerate() {
        let ptr = format!("{at}/{i}");
        if let Some(j) = seen.insert(e.name.as_str(), i) {
            out.push(
                doc.diag(
                    &DUPLICATE_ENV,
                    &format!("{ptr}/name"),
                    format!("env var `{}` is defined twice (also entry {j})", e.name),
                )
                .label("duplicate name")
                .help("keep one entry per name; the API server rejects duplicates"),
            );
        }
        if e.value_from == Some(EnvValueSource::Host) && e.value.is_some() {
            out.push(
                doc.diag(
                    &ENV_VALUE_FROM_HOST,
                    &format!("{ptr}/value"),
                    format!(
                        "env var `{}` has a value but takes it from the HOST",
                        e.name
                    ),
                )
                .label("not allowed with valueFrom: HOST")
                .help("remove `value`, or remove `valueFrom: HOST` to set the value inline"),
            );
        }
        if e.name.starts_with("ISTIO_META_") {
            out.push(
                doc.diag(&ISTIO_META_ENV, &format!("{ptr}/name"), format!("env var `{}` starts with ISTIO_META_", e.name))
                    .label("dropped by Istio")
                    .help("the Istio agent strips ISTIO_META_* variables before the VM starts; choose another name"),
            );
        } else if !is_c_identifier(&e.name) {
            out.push(
                doc.diag(
                    &ISTIO_META_ENV,
                    &format!("{ptr}/name"),
                    format!("env var name `{}` is not a C identifier", e.name),
                )
                .label("invalid name")
                .help("use letters, digits and `_`, not starting with a digit"),
            );
        }
    }
    out
}

fn is_c_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}
