//! `meshplug site`.

use super::common::{check_all, failed, fatal, input_dirs, load_and_check};
use crate::present::Reporter;
use crate::render;
use crate::site::{self, Lang, Locks};
use std::path::Path;
use std::process::ExitCode;

/// Build the static site of the repository into `out`.
pub fn run(root: &Path, out: &Path, lang: Lang, reporter: Reporter) -> ExitCode {
    let (repo, diags) = match load_and_check(root, &reporter) {
        Ok(x) => x,
        Err(code) => return code,
    };
    let (checked, diags) = check_all(&repo, diags);
    reporter.print(&diags, "site");
    if failed(&diags, false) {
        return ExitCode::from(1);
    }
    if let Err(e) = render::output_guard(root, out, &input_dirs(root, &repo)) {
        return fatal(e, "choose a directory of its own for the site, e.g. `site`");
    }
    // TODO(lead): pass the entries of meshplug.lock once the lock branch lands.
    let files = match site::build(&repo, &checked, lang, &Locks::new()) {
        Ok(f) => f,
        Err(e) => return fatal(e.message, e.help),
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
