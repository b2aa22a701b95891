//! Helpers shared by the commands.

use crate::check::{self, Severity};
use crate::load::{self, Repo};
use crate::present::Reporter;
use std::path::Path;
use std::process::ExitCode;

/// Print a fatal (usage or I/O) error and return exit code 2.
pub fn fatal(message: impl std::fmt::Display, help: impl std::fmt::Display) -> ExitCode {
    eprintln!("error: {message}\n  help: {help}");
    ExitCode::from(2)
}

/// Load and check; prints findings. `Err` carries the exit code to stop with.
pub fn load_and_check(
    root: &Path,
    reporter: &Reporter,
) -> Result<(Repo, Vec<check::Diagnostic>), ExitCode> {
    let outcome = load::load(root).map_err(|e| fatal(e.message, e.help))?;
    let mut diags = outcome.diagnostics;
    let Some(repo) = outcome.repo else {
        check::sort_and_dedup(&mut diags);
        reporter.print(&diags, "meshplug.yaml");
        return Err(ExitCode::from(1));
    };
    Ok((repo, diags))
}

/// Run every rule over `repo` and add the findings to `diags` (sorted); prints them and returns
/// exit code 1 when any is an error.
pub fn check_repo<'r>(
    repo: &'r Repo,
    mut diags: Vec<check::Diagnostic>,
    reporter: &Reporter,
    what: &str,
) -> Result<(check::Checked<'r>, Vec<check::Diagnostic>), ExitCode> {
    let checked = check::check(repo);
    diags.extend(checked.diagnostics.iter().cloned());
    check::sort_and_dedup(&mut diags);
    if failed(&diags, false) {
        reporter.print(&diags, what);
        return Err(ExitCode::from(1));
    }
    Ok((checked, diags))
}

/// Read `meshplug.lock` (absent: `None`); prints its problems and returns exit code 1 when broken.
pub fn read_lock(
    root: &Path,
    reporter: &Reporter,
    what: &str,
) -> Result<Option<crate::model::Lock>, ExitCode> {
    crate::lock::read(root).map_err(|problems| {
        reporter.print(&problems, what);
        ExitCode::from(1)
    })
}

/// Whether the findings fail the command.
pub fn failed(diags: &[check::Diagnostic], deny_warnings: bool) -> bool {
    diags
        .iter()
        .any(|d| d.severity == Severity::Error || deny_warnings)
}

/// Write `path` through a temporary file in the same directory and a rename.
pub fn write_file_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let tmp = path.with_file_name(format!(
        ".{}.meshplug-tmp-{}",
        path.file_name().unwrap_or_default().to_string_lossy(),
        std::process::id()
    ));
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}
