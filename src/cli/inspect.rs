//! `meshplug inspect`.

use super::common::fatal;
use super::net::{NetArgs, print_error, runtime, settings_for_target};
use crate::artifact::registry::Client;
use crate::artifact::wasm::{self, WasmReport};
use crate::lock::{self, format_name};
use crate::model::url::{ModuleUrl, OciRef};
use crate::present::Format;
use std::process::ExitCode;

/// What `inspect` prints.
#[derive(Debug, serde::Serialize)]
struct Inspection {
    target: String,
    format: String,
    /// What Istio compares with `sha256` (none for local files).
    sha256: Option<String>,
    #[serde(rename = "indexDigest", skip_serializing_if = "Option::is_none")]
    index_digest: Option<String>,
    verdict: &'static str,
    module: WasmReport,
}

/// Inspect a local `.wasm`, an `oci://` reference or an http(s) url.
pub fn run(target: &str, insecure: bool, net: &NetArgs, format: Format) -> ExitCode {
    let parsed = ModuleUrl::parse(target);
    let (kind, pin, index_digest, module) = match parsed.scheme {
        None | Some("file") => match std::fs::read(parsed.rest) {
            Ok(b) => ("file".to_string(), None, None, b),
            Err(e) => {
                return fatal(
                    format!("cannot read {}: {e}", parsed.rest),
                    "pass a .wasm file, oci://HOST/REPO:TAG or an https:// url",
                );
            }
        },
        Some(_) => {
            let host = match parsed.scheme {
                Some("oci") => OciRef::parse(parsed.rest)
                    .ok()
                    .map(|r| r.api_host().to_string()),
                _ => parsed.rest.split('/').next().map(str::to_owned),
            };
            let settings = settings_for_target(net, host.as_deref(), insecure);
            let rt = exit_on_err!(runtime());
            match rt.block_on(async { lock::fetch(&Client::new(settings)?, target).await }) {
                Ok(f) => (
                    format_name(f.format).to_string(),
                    Some(f.pin),
                    f.index_digest,
                    f.module.unwrap_or_default(),
                ),
                Err(e) => {
                    print_error(&e);
                    return ExitCode::from(1);
                }
            }
        }
    };
    let report = wasm::check(&module, None);
    let verdict = if !report.ok() {
        "fail"
    } else if report.warnings.is_empty() {
        "pass"
    } else {
        "pass-with-warnings"
    };
    let out = Inspection {
        target: crate::artifact::registry::redact(target),
        format: kind,
        sha256: pin,
        index_digest,
        verdict,
        module: report,
    };
    match format {
        // clap offers `sarif` only to the commands that print findings.
        Format::Json | Format::Sarif => {
            println!("{}", serde_json::to_string_pretty(&out).expect("json"))
        }
        Format::Human => print!("{}", human(&out)),
    }
    if out.module.ok() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn human(i: &Inspection) -> String {
    let m = &i.module;
    let mut s = String::new();
    let mut row = |k: &str, v: &str| s.push_str(&format!("{k:<14}{v}\n"));
    row("target", &i.target);
    row("format", &i.format);
    if let Some(p) = &i.sha256 {
        row("sha256", &format!("{p}  (what Istio compares)"));
    }
    if let Some(d) = &i.index_digest {
        row(
            "index",
            &format!("{d}  (the tag names an index; the linux/amd64 child is pinned)"),
        );
    }
    row("module", &format!("{} bytes, sha256 {}", m.size, m.sha256));
    row("abi", m.abi.map_or("none", |a| a.as_str()));
    row(
        "entry",
        match m.entry {
            wasm::Entry::Reactor => "reactor (_initialize)",
            wasm::Entry::Command => "command (_start)",
            wasm::Entry::None => "none",
        },
    );
    row(
        "filter",
        m.filter_kind().unwrap_or("no HTTP or network callbacks"),
    );
    row("callbacks", &m.callbacks.join(", "));
    let imports: Vec<String> = m
        .imports
        .iter()
        .map(|i| format!("{}.{}", i.module, i.name))
        .collect();
    row(
        "imports",
        &format!(
            "{}{}{}",
            imports.len(),
            if imports.is_empty() { "" } else { ": " },
            imports.join(", ")
        ),
    );
    row("exports", &format!("{} functions", m.exports.len()));
    row("verdict", i.verdict);
    for e in &m.errors {
        s.push_str(&format!("  error: {e}\n"));
    }
    for w in &m.warnings {
        s.push_str(&format!("  warning: {w}\n"));
    }
    s
}
