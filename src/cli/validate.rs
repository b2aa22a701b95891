//! `meshplug validate`.

use super::common::{failed, load_and_check};
use crate::check;
use crate::present::{Format, Reporter};
use std::path::Path;
use std::process::ExitCode;

/// Check the repository and print every finding.
pub fn run(root: &Path, reporter: Reporter, deny_warnings: bool) -> ExitCode {
    let (repo, mut diags) = match load_and_check(root, &reporter) {
        Ok(x) => x,
        Err(code) => return code,
    };
    let checked = check::check(&repo);
    diags.extend(checked.diagnostics);
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
