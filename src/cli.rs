//! Command-line interface: parses arguments, runs the pipeline, maps outcomes to exit codes
//! (0 ok, 1 invalid or drift, 2 usage or I/O error).

use crate::check::{self, Severity};
use crate::load::{self, Repo};
use crate::model::Kind;
use crate::present::{ColorChoice, Format, Reporter};
use crate::render;
use clap::{Parser, Subcommand};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// A git repository as a marketplace of Istio WebAssembly plugins.
#[derive(Debug, Parser)]
#[command(name = "meshplug", version, about, long_about = None)]
pub struct Cli {
    /// When to colour output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, global = true)]
    pub color: ColorChoice,
    /// The command.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check the repository: YAML, schemas and every rule (see `meshplug rules`).
    Validate {
        /// Repository root (the directory holding meshplug.yaml).
        #[arg(default_value = ".")]
        repo: PathBuf,
        /// Output format of the findings.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Fail (exit 1) on warnings too.
        #[arg(long)]
        deny_warnings: bool,
    },
    /// Render WasmPlugin manifests and kustomizations into the output directory.
    Render {
        /// Repository root.
        #[arg(default_value = ".")]
        repo: PathBuf,
        /// Output directory (default: spec.output of meshplug.yaml, relative to the repository).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Do not write; compare with the output directory, print a diff and exit 1 on drift.
        #[arg(long)]
        check: bool,
        /// Render remote modules that have no sha256 pin (Istio will not verify them).
        #[arg(long)]
        allow_unpinned: bool,
        /// Output format of the findings.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// Write the JSON Schemas of Marketplace, Plugin and Binding documents.
    Schema {
        /// Directory to write them to.
        #[arg(long, default_value = "schema")]
        out: PathBuf,
        /// Do not write; exit 1 when the files differ from the generated schemas.
        #[arg(long)]
        check: bool,
    },
    /// List the rules, or explain one (by code or name).
    Rules {
        /// A rule code (MP012) or name (unknown-plugin).
        rule: Option<String>,
    },
}

/// Entry point of the binary.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { ExitCode::from(2) } else { ExitCode::SUCCESS };
        }
    };
    run(cli)
}

/// Run a parsed command line.
pub fn run(cli: Cli) -> ExitCode {
    match cli.command {
        Command::Validate { repo, format, deny_warnings } => validate(&repo, Reporter::new(format, cli.color), deny_warnings),
        Command::Render { repo, out, check, allow_unpinned, format } => {
            render_cmd(&repo, out.as_deref(), check, allow_unpinned, Reporter::new(format, cli.color))
        }
        Command::Schema { out, check } => schema_cmd(&out, check),
        Command::Rules { rule } => rules_cmd(rule.as_deref()),
    }
}

fn fatal(message: impl std::fmt::Display, help: impl std::fmt::Display) -> ExitCode {
    eprintln!("error: {message}\n  help: {help}");
    ExitCode::from(2)
}

/// Load and check; prints findings. `Err` carries the exit code to stop with.
fn load_and_check(root: &Path, reporter: &Reporter, deny_warnings: bool) -> Result<(Repo, Vec<check::Diagnostic>), ExitCode> {
    let outcome = load::load(root).map_err(|e| fatal(e.message, e.help))?;
    let mut diags = outcome.diagnostics;
    let Some(repo) = outcome.repo else {
        check::sort_and_dedup(&mut diags);
        reporter.print(&diags, "meshplug.yaml");
        return Err(ExitCode::from(1));
    };
    Ok((repo, {
        let _ = deny_warnings;
        diags
    }))
}

fn failed(diags: &[check::Diagnostic], deny_warnings: bool) -> bool {
    diags.iter().any(|d| d.severity == Severity::Error || deny_warnings)
}

fn validate(root: &Path, reporter: Reporter, deny_warnings: bool) -> ExitCode {
    let (repo, mut diags) = match load_and_check(root, &reporter, deny_warnings) {
        Ok(x) => x,
        Err(code) => return code,
    };
    let checked = check::check(&repo);
    diags.extend(checked.diagnostics);
    check::sort_and_dedup(&mut diags);
    reporter.print(&diags, "validate");
    if failed(&diags, deny_warnings) {
        ExitCode::from(1)
    } else {
        if reporter.format == Format::Human {
            eprintln!(
                "validate: ok ({} plugins, {} bindings, {} WasmPlugins)",
                repo.plugins.len(),
                repo.bindings.len(),
                checked.effective.iter().map(|e| e.clusters.len()).sum::<usize>()
            );
        }
        ExitCode::SUCCESS
    }
}

fn render_cmd(root: &Path, out: Option<&Path>, check_only: bool, allow_unpinned: bool, reporter: Reporter) -> ExitCode {
    let (repo, mut diags) = match load_and_check(root, &reporter, false) {
        Ok(x) => x,
        Err(code) => return code,
    };
    let checked = check::check(&repo);
    diags.extend(checked.diagnostics.iter().cloned());
    check::sort_and_dedup(&mut diags);
    if failed(&diags, false) {
        reporter.print(&diags, "render");
        return ExitCode::from(1);
    }
    let files = match render::render(&repo, &checked, &render::NoPins, allow_unpinned) {
        Ok(f) => f,
        Err(problems) => {
            diags.extend(problems);
            check::sort_and_dedup(&mut diags);
            reporter.print(&diags, "render");
            return ExitCode::from(1);
        }
    };
    reporter.print(&diags, "render");
    let spec = &repo.config.item.spec;
    let out_dir = match out {
        Some(o) => o.to_path_buf(),
        None => {
            if !load::is_safe_relative(&spec.output) {
                return fatal(format!("spec.output `{}` is not a relative path inside the repository", spec.output), "use a directory name such as `rendered`");
            }
            root.join(&spec.output)
        }
    };
    let inputs: Vec<PathBuf> =
        spec.catalog.iter().filter(|c| *c != load::BUILTIN).chain(spec.bindings.iter()).map(|d| root.join(d)).collect();
    if let Err(e) = render::output_guard(root, &out_dir, &inputs) {
        return fatal(e, "choose an output directory of its own, e.g. `rendered`");
    }
    let manifests = files.keys().filter(|k| !k.ends_with("kustomization.yaml")).count();
    if check_only {
        return match render::check_output(&out_dir, &files) {
            Ok(r) if r.drifted == 0 => {
                eprintln!("render --check: {} is up to date ({manifests} WasmPlugins)", out_dir.display());
                ExitCode::SUCCESS
            }
            Ok(r) => {
                print!("{}", r.report);
                eprintln!("render --check: {} file(s) in {} differ from the repository; run `meshplug render`", r.drifted, out_dir.display());
                ExitCode::from(1)
            }
            Err(e) => fatal(format!("cannot read {}: {e}", out_dir.display()), "check the directory's permissions"),
        };
    }
    match render::write_output(&out_dir, &files) {
        Ok(()) => {
            eprintln!("render: {manifests} WasmPlugins for {} cluster(s) in {}", spec.clusters.len(), out_dir.display());
            ExitCode::SUCCESS
        }
        Err(e) => fatal(format!("cannot write {}: {e}", out_dir.display()), "the previous output is unchanged; fix the problem and render again"),
    }
}

fn schema_cmd(out: &Path, check_only: bool) -> ExitCode {
    let mut stale = Vec::new();
    for kind in Kind::ALL {
        let text = format!("{}\n", serde_json::to_string_pretty(&kind.json_schema()).expect("json"));
        let path = out.join(kind.schema_file());
        if check_only {
            if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
                stale.push(path.display().to_string());
            }
            continue;
        }
        if let Err(e) = std::fs::create_dir_all(out).and_then(|_| write_file_atomic(&path, text.as_bytes())) {
            return fatal(format!("cannot write {}: {e}", path.display()), "check the directory's permissions");
        }
    }
    if !stale.is_empty() {
        eprintln!("schema --check: stale: {}; run `meshplug schema`", stale.join(", "));
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}

/// Write `path` through a temporary file in the same directory and a rename.
pub fn write_file_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let tmp = path.with_file_name(format!(".{}.meshplug-tmp-{}", path.file_name().unwrap_or_default().to_string_lossy(), std::process::id()));
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}

fn rules_cmd(rule: Option<&str>) -> ExitCode {
    match rule {
        None => {
            for r in check::rules::ALL {
                println!("{}  {:<24} {:<8} {}", r.code, r.name, format!("{:?}", r.severity).to_lowercase(), r.summary);
            }
            ExitCode::SUCCESS
        }
        Some(code) => match check::rules::find(code) {
            Some(r) => {
                println!("{} ({}), {}\n\n{}\n\nExamples: docs/rules.md#{}", r.code, r.name, format!("{:?}", r.severity).to_lowercase(), r.summary, r.code.to_lowercase());
                ExitCode::SUCCESS
            }
            None => fatal(format!("no rule `{code}`"), "`meshplug rules` lists them"),
        },
    }
}
