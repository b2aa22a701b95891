//! Helpers shared by the commands.

use crate::check::{self, Severity};
use crate::load::{self, Repo};
use crate::present::Reporter;
use std::path::{Path, PathBuf};
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

/// Run every rule over `repo` and merge the findings into the loader's `diags`, sorted.
pub fn check_all(
    repo: &Repo,
    mut diags: Vec<check::Diagnostic>,
) -> (check::Checked<'_>, Vec<check::Diagnostic>) {
    let checked = check::check(repo);
    diags.extend(checked.diagnostics.iter().cloned());
    check::sort_and_dedup(&mut diags);
    (checked, diags)
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

/// The repository's own catalog and binding directories, which no output may overlap.
pub fn input_dirs(root: &Path, repo: &Repo) -> Vec<PathBuf> {
    let spec = &repo.config.item.spec;
    spec.catalog
        .iter()
        .filter(|c| *c != load::BUILTIN)
        .chain(spec.bindings.iter())
        .map(|d| root.join(d))
        .collect()
}
