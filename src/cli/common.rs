//! Helpers shared by the commands.

use crate::check;
use crate::diag::Severity;
use crate::load::{self, Repo};
use crate::present::Reporter;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// How fatal errors are printed: [`FOR_PEOPLE`], [`AS_JSON`] or [`AS_SARIF`].
static ERRORS: std::sync::atomic::AtomicU8 = std::sync::atomic::AtomicU8::new(FOR_PEOPLE);
/// On stderr, for people.
pub const FOR_PEOPLE: u8 = 0;
/// As `{"errors": [...]}` on stdout (`--format json`).
pub const AS_JSON: u8 = 1;
/// As a SARIF log on stdout (`--format sarif`).
pub const AS_SARIF: u8 = 2;

/// Whether the command line asks for `format` (`--format FORMAT` or `--format=FORMAT`).
fn wants<S: AsRef<str>>(args: impl IntoIterator<Item = S>, format: &str) -> bool {
    let mut prev_format = false;
    for arg in args {
        let arg = arg.as_ref();
        if arg == "--" {
            return false;
        }
        if (prev_format && arg == format) || arg.strip_prefix("--format=") == Some(format) {
            return true;
        }
        prev_format = arg == "--format";
    }
    false
}

/// Whether the command line asks for JSON output (`--format json` or `--format=json`).
pub fn wants_json<S: AsRef<str>>(args: impl IntoIterator<Item = S>) -> bool {
    wants(args, "json")
}

/// How the command line asks for fatal errors to be printed.
pub fn error_format(args: &[String]) -> u8 {
    if wants(args, "sarif") {
        AS_SARIF
    } else if wants_json(args) {
        AS_JSON
    } else {
        FOR_PEOPLE
    }
}

/// Print fatal errors in `format` ([`error_format`]) from now on.
pub fn set_error_format(format: u8) {
    ERRORS.store(format, std::sync::atomic::Ordering::Relaxed);
}

/// Whether fatal errors are printed as a SARIF log.
pub fn sarif_errors() -> bool {
    ERRORS.load(std::sync::atomic::Ordering::Relaxed) == AS_SARIF
}

/// Print a fatal (usage or I/O) error and return exit code 2: for people on stderr, or, with
/// `--format json`, as `{"errors": [...]}` on stdout with the fields of a diagnostic, or, with
/// `--format sarif`, as a SARIF log on stdout (and for people on stderr).
pub fn fatal(message: impl std::fmt::Display, help: impl std::fmt::Display) -> ExitCode {
    report_error(&crate::diag::Error::new(
        message.to_string(),
        help.to_string(),
    ))
}

/// Print `error` (see [`fatal`]; with `--format sarif`, a SARIF log whose invocation failed)
/// and return exit code 2.
pub fn report_error(error: &crate::diag::Error) -> ExitCode {
    let format = match ERRORS.load(std::sync::atomic::Ordering::Relaxed) {
        AS_SARIF => crate::present::Format::Sarif,
        AS_JSON => crate::present::Format::Json,
        _ => crate::present::Format::Human,
    };
    crate::present::fatal::print(error, format);
    ExitCode::from(2)
}

/// The repository a command works on: `given` (`--repo DIR`, or the REPO argument of the
/// commands that took one) as it is, else the nearest directory holding `meshplug.yaml` from the
/// current directory up to the filesystem root, as cargo finds `Cargo.toml`. A repository found
/// above the current directory is named relatively (`../..`), so that paths in messages stay
/// short and relative to where the user is. `None` when there is none.
pub fn locate_repo(given: Option<&Path>) -> Option<PathBuf> {
    if let Some(dir) = given {
        return Some(dir.to_path_buf());
    }
    let cwd = std::env::current_dir().ok()?;
    let mut up = PathBuf::from(".");
    for (levels, dir) in cwd.ancestors().enumerate() {
        if dir.join(load::CONFIG_FILE).is_file() {
            return Some(up);
        }
        up = if levels == 0 {
            PathBuf::from("..")
        } else {
            up.join("..")
        };
    }
    None
}

/// [`locate_repo`], or exit code 2 after saying that there is no repository here and how to
/// create one.
pub fn repo_root(given: Option<&Path>) -> Result<PathBuf, ExitCode> {
    locate_repo(given).ok_or_else(|| {
        let here = std::env::current_dir()
            .map(|d| d.display().to_string())
            .unwrap_or_else(|_| ".".into());
        fatal(
            format!(
                "not a meshplug repository: no {} in {here} or any parent directory",
                load::CONFIG_FILE
            ),
            "create one with `meshplug init .`, or name one with `--repo DIR`",
        )
    })
}

/// Load and check; prints findings. `Err` carries the exit code to stop with.
pub fn load_and_check(
    root: &Path,
    reporter: &Reporter,
) -> Result<(Repo, Vec<crate::diag::Diagnostic>), ExitCode> {
    let outcome = load::load(root).map_err(|e| report_error(&e))?;
    let mut diags = outcome.diagnostics;
    let Some(repo) = outcome.repo else {
        crate::diag::sort_and_dedup(&mut diags);
        reporter.print(&diags, "meshplug.yaml");
        return Err(ExitCode::from(1));
    };
    Ok((repo, diags))
}

/// Run every rule over `repo` and add the findings to `diags` (sorted); prints them and returns
/// exit code 1 when any is an error.
pub fn check_repo<'r>(
    repo: &'r Repo,
    mut diags: Vec<crate::diag::Diagnostic>,
    reporter: &Reporter,
    what: &str,
) -> Result<(check::Checked<'r>, Vec<crate::diag::Diagnostic>), ExitCode> {
    let checked = check::check(repo);
    diags.extend(checked.diagnostics.iter().cloned());
    crate::diag::sort_and_dedup(&mut diags);
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

/// The pins of the repository's `meshplug.lock` (none when there is no lock).
pub fn pins(
    root: &Path,
    reporter: &Reporter,
    what: &str,
) -> Result<Box<dyn crate::lock::PinSource>, ExitCode> {
    Ok(match read_lock(root, reporter, what)? {
        Some(lock) => Box::new(lock),
        None => Box::new(crate::lock::NoPins),
    })
}

/// Whether the findings fail the command.
pub fn failed(diags: &[crate::diag::Diagnostic], deny_warnings: bool) -> bool {
    diags
        .iter()
        .any(|d| d.severity == Severity::Error || deny_warnings)
}

/// One line on stderr when the repository has problems; data commands still print what resolves.
pub fn note_problems<'a>(diags: impl IntoIterator<Item = &'a crate::diag::Diagnostic>) {
    let all: Vec<crate::diag::Diagnostic> = diags.into_iter().cloned().collect();
    let (errors, warnings) = crate::present::counts(&all);
    if errors > 0 {
        eprintln!(
            "note: the repository has {errors} error(s) and {warnings} warning(s); entries that do not resolve are left out (run `meshplug validate`)"
        );
    }
}

/// Check that `cluster` is declared in meshplug.yaml; `Err` carries exit code 2.
pub fn check_cluster(repo: &Repo, cluster: Option<&str>) -> Result<(), ExitCode> {
    let Some(want) = cluster else {
        return Ok(());
    };
    let names = repo.config.item.spec.cluster_names();
    if names.contains(&want) {
        return Ok(());
    }
    let hint = match crate::diag::did_you_mean(want, names.iter().copied()) {
        Some(s) => format!(
            "did you mean `{s}`? declared clusters: {}",
            names.join(", ")
        ),
        None => format!("declared clusters: {}", names.join(", ")),
    };
    Err(fatal(
        format!(
            "cluster `{want}` is not declared in {}",
            repo.root.join(load::CONFIG_FILE).display()
        ),
        hint,
    ))
}

/// Print `text` on stdout (data output).
pub fn print_out(text: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
}

/// The bytes of `source`, a file or `-` for stdin, with the name to show for it. `Err` carries
/// exit code 2 after saying what could not be read and `hint`.
pub fn read_input(source: &str, hint: &str) -> Result<(String, Vec<u8>), ExitCode> {
    if source == "-" {
        let mut buf = Vec::new();
        return match std::io::Read::read_to_end(&mut std::io::stdin(), &mut buf) {
            Ok(_) => Ok(("<stdin>".to_string(), buf)),
            Err(e) => Err(fatal(format!("cannot read stdin: {e}"), hint)),
        };
    }
    std::fs::read(source)
        .map(|b| (source.to_string(), b))
        .map_err(|e| fatal(format!("cannot read {source}: {e}"), hint))
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

/// The `oci://HOST/REPO:TAG` a command pushes to (`verb` names the command in the messages):
/// a tag and no digest. `Err` carries exit code 2 after saying what is wrong (credentials in the
/// url are never printed).
pub fn push_target(target: &str, verb: &str) -> Result<crate::model::url::OciRef, ExitCode> {
    use crate::model::url::{ModuleUrl, OciRef, redact};
    let shown = redact(target);
    let parsed = ModuleUrl::parse(target);
    let fix = "write oci://HOST/REPO:TAG";
    match (parsed.scheme, OciRef::parse(parsed.rest)) {
        (Some("oci"), Ok(r)) if r.tag().is_some() && r.digest().is_none() => Ok(r),
        (Some("oci"), Ok(_)) => Err(fatal(
            format!("{shown}: {verb} needs a tag and no digest"),
            fix,
        )),
        (Some("oci"), Err(e)) => Err(fatal(format!("{shown}: {e}"), fix)),
        _ => Err(fatal(format!("{shown}: not an oci:// reference"), fix)),
    }
}
