//! `meshplug site`.

use super::common::{check_repo, fatal, input_dirs, load_and_check, read_lock};
use crate::present::Reporter;
use crate::render;
use crate::views::site::{self, Lang, LockEntry, Locks};
use std::path::Path;
use std::process::ExitCode;

/// Build the static site of the repository into `out`.
pub fn run(root: &Path, out: &Path, lang: Lang, reporter: Reporter) -> ExitCode {
    let (repo, diags) = exit_on_err!(load_and_check(root, &reporter));
    let (checked, diags) = exit_on_err!(check_repo(&repo, diags, &reporter, "site"));
    reporter.print(&diags, "site");
    if let Err(e) = render::output_guard(root, out, &input_dirs(root, &repo)) {
        return fatal(e, "choose a directory of its own for the site, e.g. `site`");
    }
    let lock = exit_on_err!(read_lock(root, &reporter, "site"));
    let locks: Locks = lock
        .iter()
        .flat_map(|l| &l.modules)
        .map(|m| {
            let entry = LockEntry {
                digest: Some(m.sha256.clone()),
                abi: Some(m.abi.clone()),
                format: Some(crate::lock::format_name(m.format).to_string()),
            };
            (m.url.clone(), entry)
        })
        .collect();
    let files = match site::build(&repo, &checked, lang, &locks) {
        Ok(f) => f,
        Err(e) => return super::common::report_error(&e),
    };
    let pages = files.keys().filter(|k| k.ends_with(".html")).count();
    match render::write_output_marked(out, &files, site::MARKER_TEXT) {
        Ok(()) => {
            eprintln!(
                "site: {pages} pages for {} plugins in {}; open {}",
                checked.catalog.names().count(),
                out.display(),
                out.join("index.html").display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => fatal(
            format!("cannot write {}: {e}", out.display()),
            "the previous site is unchanged; fix the problem and build again",
        ),
    }
}
