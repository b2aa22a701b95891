//! `meshplug lint`.

use super::common::failed;
use crate::diag::{Diagnostic, Severity, rule, sort_and_dedup};
use crate::manifests::lint::lint;
use crate::manifests::{is_wasmplugin, read::read, traffic_extension};
use crate::present::{Format, Reporter};
use std::process::ExitCode;

/// Arguments of `meshplug lint`.
#[derive(Debug, clap::Args)]
pub struct LintArgs {
    /// Manifest files (YAML streams, `kubectl get -o yaml|json` dumps), or `-` for stdin.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<String>,
    /// Istio's root namespace (GatewayClass targets are allowed only there).
    #[arg(long, default_value = "istio-system")]
    pub root_namespace: String,
    /// Output format of the findings.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Fail (exit 1) on warnings too.
    #[arg(long)]
    pub deny_warnings: bool,
}

/// Lint every WasmPlugin in the files.
pub fn run(a: LintArgs, reporter: Reporter) -> ExitCode {
    let mut diags: Vec<Diagnostic> = Vec::new();
    let mut count = 0;
    for file in &a.files {
        let (display, bytes) = exit_on_err!(super::common::read_input(
            file,
            "pass readable manifest files, or `-` for stdin"
        ));
        let display = display.as_str();
        let (docs, problems) = read(display, bytes);
        let plugins: Vec<_> = docs.iter().filter(|d| is_wasmplugin(d)).collect();
        let extensions: Vec<_> = docs
            .iter()
            .filter(|d| traffic_extension::is_traffic_extension(d))
            .collect();
        if plugins.is_empty() && extensions.is_empty() && problems.is_empty() {
            let source = docs.first().map_or_else(
                || crate::diag::SourceFile::new(display, String::new()),
                |d| d.source.clone(),
            );
            diags.push(
                Diagnostic::new(&rule::WRONG_KIND, "the file holds no WasmPlugin")
                    .severity(Severity::Warning)
                    .in_file(&source)
                    .help("lint checks `kind: WasmPlugin` documents (extensions.istio.io); other kinds are skipped"),
            );
        }
        diags.extend(problems);
        for doc in plugins {
            count += 1;
            diags.extend(lint(doc, &a.root_namespace));
        }
        for doc in extensions {
            count += 1;
            diags.extend(traffic_extension::lint(doc, &a.root_namespace));
        }
    }
    sort_and_dedup(&mut diags);
    reporter.print(&diags, "lint");
    let bad = failed(&diags, a.deny_warnings);
    if reporter.format == Format::Human && !bad {
        eprintln!(
            "lint: ok ({count} WasmPlugins in {} file(s))",
            a.files.len()
        );
    }
    if bad {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
