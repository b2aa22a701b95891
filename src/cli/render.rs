//! `meshplug render`.

use super::common::{check_repo, fatal, input_dirs, load_and_check, pins};
use crate::load;
use crate::present::Reporter;
use crate::render;
use std::path::Path;
use std::process::ExitCode;

/// Render the repository into its output directory (or compare with it).
pub fn run(
    root: &Path,
    out: Option<&Path>,
    check_only: bool,
    allow_unpinned: bool,
    reporter: Reporter,
) -> ExitCode {
    let (repo, diags) = match load_and_check(root, &reporter) {
        Ok(x) => x,
        Err(code) => return code,
    };
    let (checked, mut diags) = match check_repo(&repo, diags, &reporter, "render") {
        Ok(x) => x,
        Err(code) => return code,
    };
    let pins = match pins(root, &reporter, "render") {
        Ok(p) => p,
        Err(code) => return code,
    };
    let files = match render::render(&repo, &checked, pins.as_ref(), allow_unpinned) {
        Ok(f) => f,
        Err(problems) => {
            diags.extend(problems);
            crate::diag::sort_and_dedup(&mut diags);
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
                return fatal(
                    format!(
                        "spec.output `{}` is not a relative path inside the repository",
                        spec.output
                    ),
                    "use a directory name such as `rendered`",
                );
            }
            let out = root.join(&spec.output);
            if let Err(e) = render::output_inside(root, &out) {
                return fatal(
                    e,
                    "remove the symlink, or pass an output directory explicitly with --out",
                );
            }
            out
        }
    };
    if let Err(e) = render::output_guard(root, &out_dir, &input_dirs(root, &repo)) {
        return fatal(e, "choose an output directory of its own, e.g. `rendered`");
    }
    let manifests = files.manifests();
    if check_only {
        return match render::check_output(&out_dir, &files) {
            Ok(r) if r.drifted == 0 => {
                eprintln!(
                    "render --check: {} is up to date ({manifests} WasmPlugins)",
                    out_dir.display()
                );
                ExitCode::SUCCESS
            }
            Ok(r) => {
                print!("{}", r.report);
                eprintln!(
                    "render --check: {} file(s) in {} differ from the repository; run `meshplug render`",
                    r.drifted,
                    out_dir.display()
                );
                ExitCode::from(1)
            }
            Err(e) => fatal(
                format!("cannot read {}: {e}", out_dir.display()),
                "check the directory's permissions",
            ),
        };
    }
    match render::write_output(&out_dir, &files) {
        Ok(()) => {
            eprintln!(
                "render: {manifests} WasmPlugins for {} cluster(s) in {}",
                spec.clusters.len(),
                out_dir.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => fatal(
            format!("cannot write {}: {e}", out_dir.display()),
            "the previous output is unchanged; fix the problem and render again",
        ),
    }
}
