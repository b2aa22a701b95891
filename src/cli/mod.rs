//! Command-line interface: parses arguments, runs the pipeline, maps outcomes to exit codes
//! (0 ok, 1 invalid or drift, 2 usage or I/O error).

/// The value of a helper's `Result<T, ExitCode>`, or return its exit code from the command: the
/// helper has already reported why (diagnostics, or a fatal error through
/// [`common::report_error`]), so the one thing left is to stop with that code.
macro_rules! exit_on_err {
    ($result:expr) => {
        match $result {
            Ok(value) => value,
            Err(code) => return code,
        }
    };
}

mod args;
mod bind;
mod catalog;
mod common;
mod completions;
mod explain;
mod import;
mod init;
mod inspect;
mod lint;
mod lock;
mod net;
mod publish;
mod push;
mod render;
mod rules;
mod run;
mod schema;
mod site;
mod status;
mod validate;

pub use args::ServiceRef;
pub use net::NetArgs;

use crate::present::{ColorChoice, DataFormat, Format, Reporter};
use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// A git repository as a marketplace of Istio WebAssembly plugins.
#[derive(Debug, Parser)]
#[command(
    name = "meshplug",
    version,
    about,
    long_about = None,
    after_help = "Exit codes: 0 ok (warnings allowed), 1 invalid input, refused change or drift, 2 usage or I/O error.\nNO_COLOR=1 or --color never turns colour off."
)]
pub struct Cli {
    /// When to colour output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, global = true)]
    pub color: ColorChoice,
    /// The repository (the directory holding meshplug.yaml). Default: the nearest one from the
    /// current directory up, as cargo and git find theirs.
    #[arg(long = "repo", short = 'C', value_name = "DIR", global = true)]
    pub repo: Option<PathBuf>,
    /// The command.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check the repository: YAML, schemas and every rule (see `meshplug rules`).
    Validate {
        /// Same as --repo (kept for compatibility).
        #[arg(hide = true, value_name = "REPO")]
        repo_arg: Option<PathBuf>,
        /// Output format of the findings.
        #[arg(long, default_value = "human", value_parser = args::findings_formats())]
        format: Format,
        /// Fail (exit 1) on warnings too.
        #[arg(long)]
        deny_warnings: bool,
        /// Also run the pinned modules in the embedded proxy-wasm host: start and configure every
        /// binding's plugins as its clusters would, and run the request tests.
        #[arg(long)]
        run: bool,
        /// With --run: value of a `valueFrom: HOST` env var, NAME=VALUE (repeatable).
        #[arg(long = "host-env", value_name = "NAME=VALUE", requires = "run")]
        host_env: Vec<String>,
    },
    /// Run the request tests of every binding (spec.tests) through the workloads' real chains.
    Test(run::TestArgs),
    /// Send one request through a workload's plugin chain in the embedded host and show what
    /// each plugin did.
    Replay(run::ReplayArgs),
    /// Render WasmPlugin manifests and kustomizations into the output directory (or, with
    /// `--stdout`, one cluster's manifests on stdout).
    Render {
        /// Same as --repo (kept for compatibility).
        #[arg(hide = true, value_name = "REPO")]
        repo_arg: Option<PathBuf>,
        /// Output directory (default: spec.output of meshplug.yaml, relative to the repository).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Do not write; compare with the output directory, print a diff and exit 1 on drift.
        #[arg(long)]
        check: bool,
        /// Write nothing; print one cluster's manifests on stdout as one YAML stream (for an
        /// Argo CD config management plugin). Offline: pins come from meshplug.lock.
        #[arg(long, conflicts_with_all = ["out", "check", "format"])]
        stdout: bool,
        /// The cluster to print with --stdout (needed when the repository declares several).
        #[arg(long, requires = "stdout")]
        cluster: Option<String>,
        /// Render remote modules that have no sha256 pin (Istio will not verify them).
        #[arg(long)]
        allow_unpinned: bool,
        /// Output format of the findings.
        #[arg(long, default_value = "human", value_parser = args::findings_formats())]
        format: Format,
    },
    /// Pin every remote module the repository uses in meshplug.lock (what Istio will verify).
    Lock {
        /// Same as --repo (kept for compatibility).
        #[arg(hide = true, value_name = "REPO")]
        repo_arg: Option<PathBuf>,
        /// Resolve again even when pinned: every url, or with `--update=P1,P2` only the named
        /// plugins' urls.
        #[arg(long, num_args = 0..=1, require_equals = true, value_delimiter = ',', value_name = "PLUGIN,...", conflicts_with_all = ["verify", "offline"])]
        update: Option<Vec<String>>,
        /// Re-resolve every pin and fail (exit 1) when a tag moved; never writes (for CI).
        #[arg(long, conflicts_with = "offline")]
        verify: bool,
        /// Never touch the network; fail when a url is not pinned yet.
        #[arg(long)]
        offline: bool,
        /// Pin every catalog version, not only those used by a binding.
        #[arg(long)]
        all: bool,
        /// How many manifests (then layers) to fetch at once.
        #[arg(long, default_value_t = 32, value_parser = clap::value_parser!(u16).range(1..=64))]
        jobs: u16,
        /// Connection flags.
        #[command(flatten)]
        net: NetArgs,
        /// Output format.
        #[arg(long, default_value = "human", value_parser = args::report_formats())]
        format: Format,
    },
    /// Check a .wasm module and publish it as an image Istio accepts (deterministic digest).
    Push {
        /// The module.
        file: PathBuf,
        /// Where to: oci://HOST/REPO:TAG.
        target: String,
        /// Allow plain http to this registry (loopback hosts use http unless --ca-file is given).
        #[arg(long)]
        insecure: bool,
        /// Connection flags.
        #[command(flatten)]
        net: NetArgs,
    },
    /// Push one cluster's rendered manifests as an OCI artifact for Flux's OCIRepository
    /// (deterministic digest, printed on stdout); rendered in memory from the lock, offline
    /// except for the push.
    Publish(publish::PublishArgs),
    /// Show a module's format, digests, ABI, imports/exports and the verdict of the static check.
    Inspect {
        /// A .wasm file, oci://HOST/REPO:TAG or an https:// url.
        target: String,
        /// Allow plain http to this host.
        #[arg(long)]
        insecure: bool,
        /// Connection flags.
        #[command(flatten)]
        net: NetArgs,
        /// Output format.
        #[arg(long, default_value = "human", value_parser = args::report_formats())]
        format: Format,
    },
    /// Write the JSON Schemas of the Marketplace, Plugin, Binding and Lock documents.
    Schema {
        /// Directory to write them to.
        #[arg(long, default_value = "schema")]
        out: PathBuf,
        /// Do not write; exit 1 when the files differ from the generated schemas.
        #[arg(long)]
        check: bool,
    },
    /// Create a marketplace repository (meshplug.yaml, catalog/, bindings/, schemas, README,
    /// pre-commit config) that validates and renders at once.
    Init(init::InitArgs),
    /// Browse the catalog, or add a plugin to it.
    #[command(subcommand)]
    Catalog(catalog::CatalogCommand),
    /// Apply a plugin to a service: create or update its binding file, checked before it is
    /// written (comments and layout of the file are kept where the YAML allows).
    Bind(bind::BindArgs),
    /// Remove a plugin from a service (the binding file goes with its last plugin).
    Unbind(bind::UnbindArgs),
    /// Show the effective filter chain of a workload, as Istio orders it.
    ///
    /// Mesh-wide (root namespace), namespace-wide, selector and gateway plugins are included;
    /// Istio's own filters appear as markers; plugins whose relative order Istio takes from
    /// creation time are flagged with `!`.
    Explain {
        /// The workload: NAMESPACE/SERVICE.
        service: ServiceRef,
        /// The workload's pod labels, `k=v,k2=v2` (default: `app=SERVICE` plus the selector of
        /// the binding named SERVICE).
        #[arg(long, value_parser = args::parse_labels)]
        labels: Option<std::collections::BTreeMap<String, String>>,
        /// Only this cluster (default: every cluster, one chain each).
        #[arg(long)]
        cluster: Option<String>,
        /// Merge what a cluster runs that meshplug does not manage into the chain: the output of
        /// `kubectl get wasmplugins,trafficextensions -A -o yaml`, from a file or `-` for stdin.
        #[arg(long, value_name = "FILE|-")]
        live: Option<String>,
        /// Output format.
        #[arg(long, default_value = "human", value_parser = args::data_formats())]
        format: DataFormat,
    },
    /// Every plugin on every service with version, phase, priority and pinned digest; with
    /// `--live`, each marked installed, missing, drifted or unmanaged in a cluster.
    Status(status::StatusArgs),
    /// Turn existing WasmPlugin manifests (files or a kubectl dump) into catalog entries and
    /// bindings that render the same specs.
    Import(import::ImportArgs),
    /// Check hand-written WasmPlugin manifests with the CRD's rules (schema, CEL, list-map keys)
    /// and Istio's semantics, like kubeconform for WasmPlugins.
    Lint(lint::LintArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff): `meshplug man > meshplug.1`; with `--out DIR`, write it and
    /// one page per command (`meshplug-bind.1`, ...) into DIR.
    Man {
        /// Directory to write meshplug.1 and the meshplug-COMMAND.1 pages into.
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
    /// Build the marketplace website: plugin catalog, plugin pages, traffic per cluster and
    /// each service's filter chain, as static bilingual HTML.
    Site {
        /// Same as --repo (kept for compatibility).
        #[arg(hide = true, value_name = "REPO")]
        repo_arg: Option<PathBuf>,
        /// Output directory; replaced as a whole (it must be empty or a previous site).
        #[arg(long)]
        out: PathBuf,
        /// Language the pages open in; readers can switch.
        #[arg(long, value_enum, default_value_t = crate::views::site::Lang::En)]
        lang: crate::views::site::Lang,
        /// Output format of the findings.
        #[arg(long, default_value = "human", value_parser = args::findings_formats())]
        format: Format,
    },
    /// List the rules, or explain one (by code or name).
    Rules {
        /// A rule code (MP012) or name (unknown-plugin).
        rule: Option<String>,
        /// Write docs/rules.md (generated from the rule table) into this file.
        #[arg(long, value_name = "FILE", conflicts_with = "rule")]
        write: Option<PathBuf>,
        /// Fail when docs/rules.md (or the --write file) differs from the rule table.
        #[arg(long, conflicts_with = "rule")]
        check: bool,
    },
}

/// Entry point of the binary.
pub fn main() -> ExitCode {
    // A closed pipe (`meshplug rules | head`) ends the process quietly, as for other Unix tools,
    // instead of a panic in `println!`.
    #[cfg(unix)]
    // SAFETY: called first thing in main, before any other thread exists.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    crate::artifact::registry::install_crypto();
    let args: Vec<String> = std::env::args_os()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    common::set_error_format(common::error_format(&args));
    let parsed = command()
        .try_get_matches()
        .and_then(|m| Cli::from_arg_matches(&m).map(|cli| (cli, given_run_repo(&m))));
    let cli = match parsed {
        Ok((mut cli, given)) => {
            if let Some(given) = given {
                cli.repo = given;
            }
            cli
        }
        Err(e) => {
            // A code-scanning upload still gets a valid log, saying the run failed.
            if e.use_stderr() && common::sarif_errors() {
                let text = e.kind().as_str().unwrap_or("invalid command line");
                println!(
                    "{:#}",
                    crate::present::sarif::fatal_log(text, "run `meshplug help` for the usage")
                );
            }
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    // Parsing and checking recurse once per nesting level of a document (at most
    // `load::MAX_DEPTH`); give every thread that does it a stack that covers the deepest document
    // allowed with a wide margin, whatever the platform's default thread stack is.
    let _ = rayon::ThreadPoolBuilder::new()
        .stack_size(STACK_BYTES)
        .build_global();
    match std::thread::Builder::new()
        .name("meshplug".into())
        .stack_size(STACK_BYTES)
        .spawn(move || run(cli))
        .map(|t| t.join())
    {
        Ok(Ok(code)) => code,
        // The panic message is already on stderr.
        Ok(Err(_)) => ExitCode::from(101),
        Err(e) => common::fatal(
            format!("cannot start the main thread: {e}"),
            "check the system's thread and memory limits",
        ),
    }
}

/// Stack size of the threads that parse and check documents.
const STACK_BYTES: usize = 16 << 20;

/// Run a parsed command line.
/// The command-line definition: [`Cli`], with the repository and format options of `test` and
/// `replay` (defined with the commands that run modules) made to match the other commands'.
pub fn command() -> clap::Command {
    Cli::command()
        .mut_subcommand("test", |c| {
            c.mut_arg("repo", |a| a.hide(true))
                .mut_arg("format", |a| a.value_parser(args::findings_formats()))
                .arg(
                    clap::Arg::new(RUN_REPO)
                        .long("repo")
                        .short('C')
                        .value_name("DIR")
                        .value_parser(clap::value_parser!(PathBuf))
                        .help("The repository (default: the nearest one from the current directory up)"),
                )
        })
        .mut_subcommand("replay", |c| {
            c.mut_arg("repo", |a| {
                a.short('C')
                    .value_name("DIR")
                    .hide_default_value(true)
                    .help("The repository (default: the nearest one from the current directory up)")
            })
            .mut_arg("format", |a| {
                a.value_parser(args::data_formats())
                    .default_value("human")
            })
        })
}

/// The id of `test --repo` (`test` has a REPO argument of its own).
const RUN_REPO: &str = "run-repo";

/// For `test` and `replay`, the repository named on their command line (their own REPO argument
/// or `--repo`, which share the id of the global option, so that [`Cli::repo`] would get their
/// default `.`); `None` for the other commands.
fn given_run_repo(m: &clap::ArgMatches) -> Option<Option<PathBuf>> {
    let (name, sub) = m.subcommand()?;
    if !matches!(name, "test" | "replay") {
        return None;
    }
    if sub.value_source("repo") == Some(clap::parser::ValueSource::CommandLine) {
        return Some(sub.get_one::<PathBuf>("repo").cloned());
    }
    if name == "test" {
        return Some(sub.get_one::<PathBuf>(RUN_REPO).cloned());
    }
    Some(None)
}

/// Run a parsed command line.
pub fn run(cli: Cli) -> ExitCode {
    let color = cli.color;
    let given = cli.repo;
    // The repository of the command: the REPO argument of the commands that had one, else
    // `--repo`, else found from the current directory up.
    let root = |arg: Option<PathBuf>| common::repo_root(arg.or_else(|| given.clone()).as_deref());
    macro_rules! root {
        ($arg:expr) => {
            exit_on_err!(root($arg))
        };
    }
    match cli.command {
        Command::Validate {
            repo_arg,
            format,
            deny_warnings,
            run: run_modules,
            host_env,
        } => validate::run(
            &root!(repo_arg),
            Reporter::new(format, color),
            deny_warnings,
            run_modules.then_some(host_env.as_slice()),
        ),
        Command::Test(mut a) => {
            a.repo = root!(None);
            let reporter = Reporter::new(a.format, color);
            run::test(a, reporter)
        }
        Command::Replay(mut a) => {
            a.repo = root!(None);
            run::replay(a, &Reporter::new(Format::Human, color))
        }
        Command::Render {
            repo_arg,
            stdout: true,
            cluster,
            allow_unpinned,
            ..
        } => render::run_stdout(
            &root!(repo_arg),
            cluster.as_deref(),
            allow_unpinned,
            Reporter::new(Format::Human, color),
        ),
        Command::Render {
            repo_arg,
            out,
            check,
            allow_unpinned,
            format,
            ..
        } => render::run(
            &root!(repo_arg),
            out.as_deref(),
            check,
            allow_unpinned,
            Reporter::new(format, color),
        ),
        Command::Lock {
            repo_arg,
            update,
            verify,
            offline,
            all,
            jobs,
            net,
            format,
        } => {
            let mode = if verify {
                crate::lock::Mode::Verify
            } else if offline {
                crate::lock::Mode::Offline
            } else {
                crate::lock::Mode::Lock { update }
            };
            let args = lock::LockArgs {
                mode,
                all,
                jobs: usize::from(jobs),
                net,
            };
            lock::run(&root!(repo_arg), &args, Reporter::new(format, color))
        }
        Command::Push {
            file,
            target,
            insecure,
            net,
        } => push::run(&file, &target, insecure, &net),
        Command::Publish(mut a) => {
            a.repo = Some(root!(a.repo.take()));
            publish::run(&a, color)
        }
        Command::Inspect {
            target,
            insecure,
            net,
            format,
        } => inspect::run(&target, insecure, &net, format),
        Command::Site {
            repo_arg,
            out,
            lang,
            format,
        } => site::run(&root!(repo_arg), &out, lang, Reporter::new(format, color)),
        Command::Schema { out, check } => schema::run(&out, check),
        Command::Rules { rule, write, check } => {
            rules::run(rule.as_deref(), write.as_deref(), check)
        }
        Command::Init(mut a) => {
            if let Some(dir) = given.filter(|_| a.dir == Path::new(".")) {
                a.dir = dir;
            }
            init::run(a, &Reporter::new(Format::Human, color))
        }
        Command::Catalog(c) => catalog::run(c, given, &Reporter::new(Format::Human, color)),
        Command::Bind(a) => bind::run_bind(a, &root!(None), &Reporter::new(Format::Human, color)),
        Command::Unbind(a) => {
            bind::run_unbind(a, &root!(None), &Reporter::new(Format::Human, color))
        }
        Command::Completions { shell } => completions::completions(shell),
        Command::Man { out } => completions::man(out.as_deref()),
        Command::Import(a) => {
            let into = common::locate_repo(a.into.as_deref().or(given.as_deref()))
                .unwrap_or_else(|| PathBuf::from("."));
            import::run(a, &into, &Reporter::new(Format::Human, color))
        }
        Command::Lint(a) => {
            let reporter = Reporter::new(a.format, color);
            lint::run(a, reporter)
        }
        Command::Status(a) => {
            status::run(a, &root!(None), color, &Reporter::new(Format::Human, color))
        }
        Command::Explain {
            service,
            labels,
            cluster,
            live,
            format,
        } => explain::run(
            &root!(None),
            &service,
            labels,
            cluster.as_deref(),
            live.as_deref(),
            format,
            &Reporter::new(Format::Human, color),
        ),
    }
}

#[cfg(test)]
mod tests {
    /// clap's own checks of the whole definition, with the adjustments of [`super::command`]
    /// (unique flags, valid defaults) for every command, not only those a test runs.
    #[test]
    fn the_command_line_is_consistent() {
        super::command().debug_assert();
    }

    #[test]
    fn test_and_replay_take_the_common_repository_and_format_values() {
        for args in [
            &["meshplug", "test", "--repo", "r", "--format", "table"][..],
            &["meshplug", "test", "r"],
            &[
                "meshplug", "-C", "r", "replay", "a/b", "GET", "/", "--format", "human",
            ],
            &[
                "meshplug", "replay", "a/b", "GET", "/", "-C", "r", "--format", "yaml",
            ],
        ] {
            let m = super::command().try_get_matches_from(args).unwrap();
            assert_eq!(
                super::given_run_repo(&m),
                Some(Some(std::path::PathBuf::from("r"))),
                "{args:?}"
            );
        }
        let m = super::command()
            .try_get_matches_from(["meshplug", "test"])
            .unwrap();
        assert_eq!(super::given_run_repo(&m), Some(None));
    }
}
