//! `meshplug push`.

use super::common::fatal;
use super::net::{NetArgs, print_error, runtime, settings_for_target};
use crate::artifact::image;
use crate::artifact::registry::Client;
use crate::artifact::wasm;
use std::path::Path;
use std::process::ExitCode;

/// Check `file` and publish it as the OCI compat image at `target`; prints the digest.
pub fn run(file: &Path, target: &str, insecure: bool, net: &NetArgs) -> ExitCode {
    let r = exit_on_err!(super::common::push_target(target, "push"));
    let module = match std::fs::read(file) {
        Ok(b) => b,
        Err(e) => {
            return fatal(
                format!("cannot read {}: {e}", file.display()),
                "pass the path of a .wasm file",
            );
        }
    };
    let report = wasm::check(&module, None);
    if !report.ok() {
        for e in &report.errors {
            eprintln!("error: {}: {e}", file.display());
        }
        eprintln!(
            "push: {} is not a loadable proxy-wasm module; nothing was pushed",
            file.display()
        );
        return ExitCode::from(1);
    }
    for w in &report.warnings {
        eprintln!("warning: {}: {w}", file.display());
    }
    let img = image::build(&module);
    if r.docker_hub_by_default() {
        eprintln!(
            "warning: {target} names no registry host, so it resolves to Docker Hub: {}; for a private registry write its host with a `.` or port",
            r.canonical()
        );
    }
    let settings = settings_for_target(net, Some(r.api_host()), insecure);
    let rt = exit_on_err!(runtime());
    let result = rt.block_on(async {
        let client = Client::new(settings)?;
        client.push(&r, &img).await
    });
    match result {
        Ok(digest) => {
            let hex = digest.trim_start_matches("sha256:");
            println!("{target}@{digest}");
            eprintln!(
                "push: {} ({} bytes, ABI {}) -> {target}\n  digest {digest} (oci-compat; the same module always gives this digest)\n  paste into the catalog version:  sha256: {hex}",
                file.display(),
                report.size,
                report.abi.map(|a| a.as_str()).unwrap_or("?"),
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            print_error(&e);
            ExitCode::from(1)
        }
    }
}
