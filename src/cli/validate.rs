//! `meshplug validate`.

use super::common::{failed, load_and_check};
use crate::check;
use crate::present::{Format, Reporter};
use std::path::Path;
use std::process::ExitCode;

/// Check the repository and print every finding.
/// With `run` (the `--host-env` values), also the dry run of the pinned modules.
pub fn run(
    root: &Path,
    reporter: Reporter,
    deny_warnings: bool,
    run: Option<&[String]>,
) -> ExitCode {
    let (repo, mut diags) = exit_on_err!(load_and_check(root, &reporter));
    let checked = check::check(&repo);
    diags.extend(checked.diagnostics.iter().cloned());
    if let Some(host_env) = run {
        if failed(&diags, false) {
            // Broken entries do not resolve; running the rest would hide nothing but cost time.
            if reporter.format == Format::Human {
                eprintln!("validate --run: not run, the repository has errors");
            }
        } else {
            diags.extend(exit_on_err!(super::run::dry_run_findings(
                &repo, &checked, &reporter, host_env
            )));
        }
    }
    crate::diag::sort_and_dedup(&mut diags);
    reporter.print(&diags, "validate");
    if failed(&diags, deny_warnings) {
        ExitCode::from(1)
    } else {
        if reporter.format == Format::Human {
            eprintln!(
                "validate: ok (plugins: {}, bindings: {}, WasmPlugins: {})",
                repo.plugins.len(),
                repo.bindings.len(),
                checked
                    .effective
                    .iter()
                    .map(|e| e.clusters.len())
                    .sum::<usize>()
            );
        }
        ExitCode::SUCCESS
    }
}
