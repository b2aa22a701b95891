//! Command-line interface: parses arguments, runs the pipeline, maps outcomes to exit codes
//! (0 ok, 1 invalid or drift, 2 usage or I/O error).

mod common;
mod render;
mod rules;
mod schema;
mod site;
mod validate;

pub use common::write_file_atomic;

use crate::present::{ColorChoice, Format, Reporter};
use clap::{Parser, Subcommand};
use std::path::PathBuf;
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
    /// Build the marketplace website: plugin catalog, plugin pages, traffic per cluster and
    /// each service's filter chain, as static bilingual HTML.
    Site {
        /// Repository root.
        #[arg(default_value = ".")]
        repo: PathBuf,
        /// Output directory; replaced as a whole (it must be empty or a previous site).
        #[arg(long)]
        out: PathBuf,
        /// Language the pages open in; readers can switch.
        #[arg(long, value_enum, default_value_t = crate::site::Lang::En)]
        lang: crate::site::Lang,
        /// Output format of the findings.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
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
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    run(cli)
}

/// Run a parsed command line.
pub fn run(cli: Cli) -> ExitCode {
    match cli.command {
        Command::Validate {
            repo,
            format,
            deny_warnings,
        } => validate::run(&repo, Reporter::new(format, cli.color), deny_warnings),
        Command::Render {
            repo,
            out,
            check,
            allow_unpinned,
            format,
        } => render::run(
            &repo,
            out.as_deref(),
            check,
            allow_unpinned,
            Reporter::new(format, cli.color),
        ),
        Command::Site {
            repo,
            out,
            lang,
            format,
        } => site::run(&repo, &out, lang, Reporter::new(format, cli.color)),
        Command::Schema { out, check } => schema::run(&out, check),
        Command::Rules { rule } => rules::run(rule.as_deref()),
    }
}
