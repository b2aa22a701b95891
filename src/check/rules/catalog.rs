//! Rules on one catalog entry: module urls and pins, env defaults, the config schema.

use super::{secrets, *};
use crate::diag::Diagnostic;
use crate::diag::Places;
use crate::load::Loaded;
use crate::model::url::{ModuleUrl, SCHEMES, is_sha256_hex};
use crate::model::{EnvValueSource, EnvVar, Plugin};

/// The url, env and secret rules on one catalog entry.
pub fn check_plugin(p: &Loaded<Plugin>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let doc = &p.doc;
    let spec = &p.item.spec;
    for (i, v) in spec.versions.iter().enumerate() {
        let at = format!("/spec/versions/{i}");
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
    out
}

/// MP016-MP019, MP037: the url and its pin.
pub fn check_url(doc: &impl Places, at: &str, url: &str, sha256: Option<&str>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let url_ptr = format!("{at}/url");
    if secrets::has_url_password(url) {
        out.push(
            doc.diag(&PLAINTEXT_SECRET, &url_ptr, "the module url holds a password")
                .masked()
                .severity(crate::diag::Severity::Error)
                .label("url with a password (masked here)")
                .help("the url is copied into every WasmPlugin and into meshplug.lock: take the credentials out of it; `meshplug lock` reads them from the docker config (`docker login HOST`), Istio from `imagePullSecret`"),
        );
    }
    let parsed = ModuleUrl::parse(url);
    // Messages show the url without a password (MP033 above reports that).
    let url = &crate::model::url::redact(url);
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
        Some("oci") => {
            let (r, found) = crate::check::url::check_oci(doc, &url_ptr, url, parsed.rest);
            out.extend(found);
            if let Some(r) = r {
                url_digest = r.digest_hex().map(str::to_owned);
                match (r.digest(), r.tag()) {
                    (Some(_), _) => {}
                    (None, None) => out.push(
                        doc.diag(&MUTABLE_TAG, &url_ptr, format!("OCI url `{url}` has no tag"))
                            .label("no tag")
                            .help("name an explicit version tag, e.g. `:1.0.0` (no tag means whatever `latest` points to)"),
                    ),
                    (None, Some("latest")) => out.push(
                        doc.diag(&MUTABLE_TAG, &url_ptr, format!("OCI url `{url}` uses the mutable tag `latest`"))
                            .label("mutable tag")
                            .help("name an explicit version tag; with `latest` Istio re-pulls on every change and proxies may run different modules"),
                    ),
                    (None, Some(_)) => {}
                }
            }
        }
        Some(_) => {}
    }
    if let Some(sha) = sha256 {
        out.extend(check_sha256(
            doc,
            &format!("{at}/sha256"),
            sha,
            url_digest.as_deref(),
            parsed.scheme == Some("file"),
        ));
    }
    out
}

/// MP017, MP018, MP037: a `sha256` field at `ptr`, against the url's own digest (if any).
pub fn check_sha256(
    doc: &impl Places,
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
            doc.diag(&FILE_URL_SHA256, sha_ptr, "sha256 has no effect on a file:// url")
                .label("never checked")
                .help("Istio passes file:// modules to Envoy as local files and never checks the digest; remove it or serve the module over oci:// or https://"),
        );
    }
    out
}

/// MP022-MP024: env var rules (shared by catalog defaults and bindings).
pub fn check_env(doc: &impl Places, at: &str, env: &[EnvVar]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut seen = std::collections::BTreeMap::new();
    for (i, e) in env.iter().enumerate() {
        let ptr = format!("{at}/{i}");
        if let Some(j) = seen.insert(e.name.as_str(), i) {
            out.push(
                doc.diag(
                    &DUPLICATE_ENV,
                    &format!("{ptr}/name"),
                    format!(
                        "env var `{}` is defined twice (also on line {})",
                        e.name,
                        doc.line(&format!("{at}/{j}/name"))
                    ),
                )
                .label("duplicate name")
                .help("keep one entry per name; the API server rejects duplicates"),
            );
        }
        if e.value_from == Some(EnvValueSource::Host) && e.value.is_some() {
            out.push(
                doc.diag(
                    &ENV_VALUE_WITH_HOST,
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

#[cfg(test)]
mod tests {
    use crate::check::testkit::findings;

    const HEX: &str = "50c0953ce16434ca546048838fc065c9decc5bdf497d1cc6d635e7897f78df44";
    const OTHER: &str = "6084d6e48d2388276a1492ab8c680b4b170c7f7adc2299b480af58cf1fd82f32";

    fn entry(versions: &str, extra: &str) -> String {
        format!(
            "apiVersion: meshplug.io/v1alpha1\nkind: Plugin\nmetadata: {{name: x}}\nspec:\n  title: {{en: X}}\n  description: {{en: X}}\n  versions:\n{versions}{extra}"
        )
    }

    /// (code, message, help) of every finding for one version with `url` and `sha256`.
    fn url_findings(url: &str, sha256: Option<&str>) -> Vec<(&'static str, String)> {
        let sha = sha256.map_or(String::new(), |s| format!("    sha256: \"{s}\"\n"));
        let p = entry(
            &format!("  - version: 1.0.0\n    url: \"{url}\"\n{sha}"),
            "",
        );
        findings(&[("catalog/x.yaml", &p)])
            .into_iter()
            .map(|(c, _, m)| (c, m))
            .collect()
    }

    fn codes_for(url: &str, sha256: Option<&str>) -> Vec<&'static str> {
        url_findings(url, sha256)
            .into_iter()
            .map(|(c, _)| c)
            .collect()
    }

    #[test]
    fn oci_urls_with_ports_and_digests() {
        let none: [&str; 0] = [];
        // A registry port is not a tag.
        assert_eq!(codes_for("oci://localhost:5000/wasm/x:1.0", None), none);
        assert_eq!(
            url_findings("oci://localhost:5000/wasm/x", None),
            [(
                "MP019",
                "OCI url `oci://localhost:5000/wasm/x` has no tag".into()
            )]
        );
        // A digest pins the module, tag or not, `latest` or not.
        let pinned = format!("oci://registry.example.com:5000/wasm/x@sha256:{HEX}");
        assert_eq!(codes_for(&pinned, None), none);
        assert_eq!(codes_for(&pinned, Some(HEX)), none);
        let latest = format!("oci://registry.example.com/x:latest@sha256:{HEX}");
        assert_eq!(codes_for(&latest, None), none);
        assert_eq!(
            url_findings(&pinned, Some(OTHER)),
            [(
                "MP018",
                format!("sha256 disagrees with the url's digest sha256:{HEX}")
            )]
        );
        // Digests in the url follow the sha256 field's format.
        let upper = format!(
            "oci://registry.example.com/x:1.0@sha256:{}",
            HEX.to_uppercase()
        );
        assert_eq!(codes_for(&upper, None), ["MP017"]);
        assert_eq!(
            codes_for("oci://registry.example.com/x@sha512:abcd", None),
            ["MP017"]
        );
        assert_eq!(
            codes_for("oci://registry.example.com/x:latest", None),
            ["MP019"]
        );
    }

    #[test]
    fn schemes() {
        let none: [&str; 0] = [];
        assert_eq!(codes_for("https://example.com/x.wasm", None), none);
        assert_eq!(codes_for("http://example.com:8080/x.wasm", None), none);
        assert_eq!(codes_for("file:///opt/x.wasm", None), none);
        for bad in [
            "localhost:5000/wasm/x:1.0",
            "ghcr.io/org/x:1.0",
            "ftp://example.com/x.wasm",
            "oci://registry.example.com/x:",
            "oci://registry.example.com/Org/x:1.0",
        ] {
            assert_eq!(codes_for(bad, None), ["MP016"], "{bad}");
        }
        // A host alone is Docker Hub's `library/registry.example.com`, as Istio reads it.
        assert_eq!(
            codes_for("oci://registry.example.com", None),
            ["MP019", "MP038"]
        );
        let (_, msg) = &url_findings("registry.example.com:5000/x:1", None)[0];
        assert_eq!(msg, "url `registry.example.com:5000/x:1` has no scheme");
    }

    #[test]
    fn sha256_field() {
        let url = "oci://registry.example.com/x:1.0";
        let help = |sha: &str| {
            let p = entry(
                &format!("  - version: 1.0.0\n    url: {url}\n    sha256: \"{sha}\"\n"),
                "",
            );
            let repo = crate::check::testkit::repo(&[("catalog/x.yaml", &p)]);
            let d = crate::check::check(&repo).diagnostics;
            assert_eq!(d.len(), 1, "{sha}: {d:?}");
            assert_eq!(d[0].rule.code, "MP017");
            d[0].help.clone().unwrap_or_default()
        };
        assert!(help(&format!("sha256:{HEX}")).starts_with("drop the `sha256:` prefix"));
        assert_eq!(help(&HEX.to_uppercase()), "use lowercase hex");
        assert!(help(&HEX[..40]).starts_with("use the 64 lowercase hex characters"));
        assert_eq!(codes_for("file:///opt/x.wasm", Some(HEX)), ["MP037"]);
    }

    #[test]
    fn versions_env_and_schema() {
        let twice = entry(
            "  - {version: 1.0.0, url: \"file:///a.wasm\"}\n  - {version: 1.0.0, url: \"file:///b.wasm\"}\n",
            "",
        );
        let f = findings(&[("catalog/x.yaml", &twice)]);
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(
            (f[0].0, f[0].2.as_str()),
            ("MP011", "version `1.0.0` is listed twice (also on line 8)")
        );

        let one = "  - {version: 1.0.0, url: \"file:///a.wasm\"}\n";
        let env = entry(
            one,
            "  defaults:\n    vmConfig:\n      env:\n      - {name: 1ST}\n      - {name: MY-VAR}\n      - {name: OK_1}\n",
        );
        let f = findings(&[("catalog/x.yaml", &env)]);
        let got: Vec<_> = f.iter().map(|(c, at, _)| (*c, at.as_str())).collect();
        assert_eq!(
            got,
            [
                ("MP024", "catalog/x.yaml:12"),
                ("MP024", "catalog/x.yaml:13")
            ]
        );

        let schema = |s: &str| {
            let p = entry(one, &format!("  configSchema: {s}\n"));
            findings(&[("catalog/x.yaml", &p)])
                .into_iter()
                .map(|(c, _, m)| (c, m))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            schema("{type: object, properties: {a: {type: map}}}"),
            [("MP028", "`type: map` is not a JSON Schema type".into())]
        );
        // A property that happens to be called `type` is not mistaken for the keyword.
        assert_eq!(
            schema("{type: object, properties: {type: {type: string}}}"),
            []
        );
        let other = schema("{type: object, required: keys}");
        assert_eq!(other.len(), 1);
        assert!(
            other[0]
                .1
                .starts_with("configSchema is not a valid JSON Schema: "),
            "{other:?}"
        );
        assert_eq!(
            schema("[a, b]"),
            [(
                "MP028",
                "configSchema must be a mapping (a JSON Schema object)".into()
            )]
        );
    }
}
