//! `meshplug lock`.

use super::common::{check_repo, fatal, load_and_check, read_lock};
use super::net::{NetArgs, print_error, runtime};
use crate::artifact::registry::{Client, Settings};
use crate::lock::{self, Mode, Outcome};
use crate::present::{Format, Reporter};
use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

/// Options of `meshplug lock`.
#[derive(Debug, Clone)]
pub struct LockArgs {
    /// What to do with the network.
    pub mode: Mode,
    /// Every catalog version, not only those bound.
    pub all: bool,
    /// Concurrent resolutions.
    pub jobs: usize,
    /// Connection flags.
    pub net: NetArgs,
}

/// Resolve the repository's module urls and write (or verify) `meshplug.lock`.
pub fn run(root: &Path, args: &LockArgs, reporter: Reporter) -> ExitCode {
    let started = Instant::now();
    let (repo, diags) = exit_on_err!(load_and_check(root, &reporter));
    let (checked, _) = exit_on_err!(check_repo(&repo, diags, &reporter, "lock"));
    let existing = exit_on_err!(read_lock(root, &reporter, "lock"));
    if let Mode::Lock {
        update: Some(names),
    } = &args.mode
        && let Some(unknown) = names.iter().find(|n| checked.catalog.get(n).is_none())
    {
        let hint = crate::diag::did_you_mean(unknown, checked.catalog.names())
            .map(|m| format!("did you mean `{m}`? "))
            .unwrap_or_default();
        return fatal(
            format!("--update names `{unknown}`, which is not a plugin of the catalog"),
            format!("{hint}`meshplug catalog list` shows the plugins; nothing was resolved"),
        );
    }
    let wants = lock::wanted(&repo, &checked, args.all);
    let settings = args.net.settings(Settings::from_config(
        &repo.config.item.spec.registries,
        root,
    ));
    let show_progress = reporter.format == Format::Human && std::io::stderr().is_terminal();
    let rt = exit_on_err!(runtime());
    let report = rt.block_on(lock::run(
        &wants,
        existing.as_ref(),
        &args.mode,
        args.jobs,
        || Client::new(settings),
        |done, total| {
            if show_progress {
                eprint!("\rlock: {done}/{total} resolved");
                if done == total {
                    eprint!("\r\x1b[2K");
                }
            }
        },
    ));
    let mut written = false;
    if let Some(new) = &report.lock
        && args.mode != Mode::Verify
    {
        match lock::write(root, new) {
            Ok(w) => written = w,
            Err(e) => {
                return fatal(
                    format!("cannot write {}: {e}", root.join(lock::LOCK_FILE).display()),
                    "the previous meshplug.lock is unchanged; check the directory's permissions",
                );
            }
        }
    }
    let elapsed = started.elapsed().as_millis();
    match reporter.format {
        // clap offers `sarif` only to the commands that print findings.
        Format::Json | Format::Sarif => println!(
            "{}",
            serde_json::to_string_pretty(&json(&report, written)).expect("json")
        ),
        Format::Human => human(&report, &args.mode, written, elapsed),
    }
    if report.failed() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn counts(report: &lock::Report) -> [usize; 4] {
    let mut c = [0; 4];
    for (_, o) in &report.outcomes {
        c[match o {
            Outcome::Resolved { .. } => 0,
            Outcome::UpToDate(_) => 1,
            Outcome::FileUrl => 2,
            Outcome::Failed(_) => 3,
        }] += 1;
    }
    c
}

fn human(report: &lock::Report, mode: &Mode, written: bool, ms: u128) {
    let mut warnings = 0;
    for (url, o) in &report.outcomes {
        match o {
            Outcome::Resolved { entry, warnings: w } => {
                eprintln!(
                    "  pinned  {url}\n          sha256 {} ({}, ABI {}, {} bytes)",
                    entry.sha256,
                    lock::format_name(entry.format),
                    entry.abi,
                    entry.module_size
                );
                for w in w {
                    warnings += 1;
                    eprintln!("warning: {url}: {w}");
                }
            }
            Outcome::FileUrl => eprintln!(
                "  skip    {url}: file:// modules are never verified by Istio, so there is nothing to pin"
            ),
            Outcome::Failed(e) => print_error(e),
            Outcome::UpToDate(_) => {}
        }
    }
    let [resolved, up_to_date, files, failed] = counts(report);
    let verb = if *mode == Mode::Verify {
        "verified"
    } else {
        "resolved"
    };
    let tail = if *mode == Mode::Verify {
        if failed > 0 {
            "meshplug.lock does not match the registries".to_string()
        } else {
            "meshplug.lock matches the registries".to_string()
        }
    } else if failed > 0 {
        "meshplug.lock left unchanged".to_string()
    } else if written {
        "wrote meshplug.lock".to_string()
    } else {
        "meshplug.lock is up to date".to_string()
    };
    let up = if *mode == Mode::Verify {
        resolved + up_to_date
    } else {
        resolved
    };
    eprintln!(
        "lock: {} modules ({up} {verb}, {} already pinned, {files} file:// not pinned, {failed} failed), {warnings} warnings, {} requests in {ms} ms; {tail}",
        report.outcomes.len(),
        if *mode == Mode::Verify { 0 } else { up_to_date },
        report.requests
    );
}

fn json(report: &lock::Report, written: bool) -> serde_json::Value {
    let modules: Vec<serde_json::Value> = report
        .outcomes
        .iter()
        .map(|(url, o)| match o {
            Outcome::Resolved { entry, warnings } => serde_json::json!({"url": url, "status": "resolved", "entry": entry, "warnings": warnings}),
            Outcome::UpToDate(entry) => serde_json::json!({"url": url, "status": "up-to-date", "entry": entry}),
            Outcome::FileUrl => serde_json::json!({"url": url, "status": "file-not-pinned"}),
            Outcome::Failed(e) => serde_json::json!({"url": url, "status": "failed", "error": e.message, "help": e.help}),
        })
        .collect();
    let [resolved, up_to_date, files, failed] = counts(report);
    serde_json::json!({
        "modules": modules,
        "summary": {"resolved": resolved, "upToDate": up_to_date, "fileUrls": files, "failed": failed, "requests": report.requests, "written": written},
    })
}
