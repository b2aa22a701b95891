//! `meshplug status`.

use super::common::{check_cluster, fatal, load_and_check, note_problems, print_out};
use crate::check;
use crate::manifests::read::read;
use crate::present::{ColorChoice, DataFormat, Reporter, Style, format_data};
use crate::text::WIDTH;
use crate::views::status::{self, LiveObject, State};
use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;

/// Arguments of `meshplug status`.
#[derive(Debug, clap::Args)]
pub struct StatusArgs {
    /// Only this cluster (required with --live when the repository has several).
    #[arg(long)]
    pub cluster: Option<String>,
    /// Compare with what a cluster runs: the output of `kubectl get wasmplugins,trafficextensions -A -o yaml`
    /// (or `-o json`), from a file or `-` for stdin. Exit 1 when anything differs.
    #[arg(long, value_name = "FILE|-")]
    pub live: Option<String>,
    /// Output format.
    #[arg(long, default_value = "human", value_parser = super::args::data_formats())]
    pub format: DataFormat,
}

/// Read a cluster dump from a file or stdin.
pub(super) fn read_live(source: &str, reporter: &Reporter) -> Result<Vec<LiveObject>, ExitCode> {
    let (display, bytes) = super::common::read_input(
        source,
        "save `kubectl get wasmplugins -A -o yaml` to a file, or pass `-` for stdin",
    )?;
    let (docs, diags) = read(&display, bytes);
    if !diags.is_empty() {
        reporter.print(&diags, "status --live");
        return Err(ExitCode::from(2));
    }
    Ok(docs.iter().filter_map(LiveObject::from_document).collect())
}

/// Print the plugin × service table, compared with a cluster when `--live` is given.
pub fn run(a: StatusArgs, root: &Path, color: ColorChoice, reporter: &Reporter) -> ExitCode {
    let (repo, diags) = exit_on_err!(load_and_check(root, reporter));
    if let Err(code) = check_cluster(&repo, a.cluster.as_deref()) {
        return code;
    }
    let clusters = &repo.config.item.spec.clusters;
    let cluster = match (&a.cluster, &a.live, clusters.as_slice()) {
        (Some(c), _, _) => Some(c.clone()),
        (None, Some(_), [only]) => Some(only.name.clone()),
        (None, Some(_), _) => {
            let names = repo.config.item.spec.cluster_names();
            return fatal(
                "--live compares one cluster, and the repository declares several",
                format!(
                    "name the cluster the dump comes from: --cluster {}",
                    names.join("|")
                ),
            );
        }
        (None, None, _) => None,
    };
    let live = match a.live.as_deref().map(|src| read_live(src, reporter)) {
        Some(Err(code)) => return code,
        Some(Ok(objects)) => Some(objects),
        None => None,
    };
    let checked = check::check(&repo);
    note_problems(diags.iter().chain(&checked.diagnostics));
    let pins = exit_on_err!(super::common::pins(&repo.root, reporter, "status"));
    let mut rows = status::rows(&checked, pins.as_ref(), cluster.as_deref());
    if let (Some(objects), Some(c)) = (&live, &cluster) {
        status::compare(&mut rows, c, objects);
    }
    let style = Style {
        color: color.enabled(std::io::stdout().is_terminal()),
    };
    print_out(&format_data(a.format, &rows, || {
        status::to_table(&rows, WIDTH, |state, text| match state {
            State::Installed => style.green(text),
            State::Drifted => style.yellow(text),
            State::Missing | State::Unmanaged => style.red(text),
        })
    }));
    let differs = rows
        .iter()
        .any(|r| r.state.is_some_and(|s| s != State::Installed));
    if differs {
        if a.format == DataFormat::Table {
            let count = |s: State| rows.iter().filter(|r| r.state == Some(s)).count();
            eprintln!(
                "status: the cluster differs from git: {} missing, {} drifted, {} unmanaged",
                count(State::Missing),
                count(State::Drifted),
                count(State::Unmanaged)
            );
        }
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
