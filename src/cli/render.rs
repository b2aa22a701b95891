//! `meshplug render`: into the output directory, or one cluster as a YAML stream on stdout
//! (`--stdout`, for an Argo CD config management plugin).

use super::common::{
    check_cluster, check_repo, fatal, input_dirs, load_and_check, pins, print_out,
};
use crate::load;
use crate::present::Reporter;
use crate::render::{self, Tree as _};
use std::collections::BTreeMap;
use std::path::Path;
use std::process::ExitCode;

/// One cluster's rendered tree: file paths relative to `rendered/<cluster>` to contents.
pub type ClusterFiles = BTreeMap<String, String>;

/// What [`cluster_files`] rendered.
pub struct ClusterRender {
    /// The cluster.
    pub cluster: String,
    /// Its files.
    pub files: ClusterFiles,
    /// The repository's `spec.registries` (connection settings for commands that push).
    pub registries: Vec<crate::model::RegistryConfig>,
}

/// Render `root` in memory, from its files and `meshplug.lock` only (no network), and keep the
/// files of one cluster: `cluster`, or the only cluster the repository declares. Findings are
/// printed by `reporter` (people: stderr). `Err` carries the exit code to stop with.
pub fn cluster_files(
    root: &Path,
    cluster: Option<&str>,
    allow_unpinned: bool,
    reporter: &Reporter,
    what: &str,
) -> Result<ClusterRender, ExitCode> {
    let (repo, diags) = load_and_check(root, reporter)?;
    check_cluster(&repo, cluster)?;
    let names = repo.config.item.spec.cluster_names();
    let cluster = match (cluster, names.as_slice()) {
        (Some(c), _) => c.to_string(),
        (None, [only]) => only.to_string(),
        (None, []) => {
            return Err(fatal(
                format!(
                    "{} declares no cluster",
                    root.join(load::CONFIG_FILE).display()
                ),
                "add one under spec.clusters",
            ));
        }
        (None, many) => {
            return Err(fatal(
                format!(
                    "the repository has {} clusters; {what} renders one",
                    many.len()
                ),
                format!("pass --cluster with one of: {}", many.join(", ")),
            ));
        }
    };
    let (checked, mut diags) = check_repo(&repo, diags, reporter, what)?;
    let pins = pins(root, reporter, what)?;
    let rendered = match render::render(&repo, &checked, pins.as_ref(), allow_unpinned) {
        Ok(r) => r,
        Err(problems) => {
            diags.extend(problems);
            crate::diag::sort_and_dedup(&mut diags);
            reporter.print(&diags, what);
            return Err(ExitCode::from(1));
        }
    };
    reporter.print(&diags, what);
    let prefix = format!("{cluster}/");
    let mut files = ClusterFiles::new();
    rendered
        .each_file(&mut |rel, text| {
            if let Some(inside) = rel.strip_prefix(&prefix) {
                files.insert(inside.to_string(), text.to_string());
            }
            Ok(())
        })
        .expect("collecting in memory does not fail");
    Ok(ClusterRender {
        cluster,
        files,
        registries: repo.config.item.spec.registries.clone(),
    })
}

/// The manifests of one cluster's tree as one YAML stream, in the order its kustomizations list
/// them (namespaces by name, then files by name), each document after a `---` line.
pub fn stream(files: &ClusterFiles) -> String {
    let mut by_namespace: BTreeMap<&str, BTreeMap<&str, &str>> = BTreeMap::new();
    for (rel, text) in files {
        if let Some((ns, name)) = rel.split_once('/')
            && name != "kustomization.yaml"
        {
            by_namespace.entry(ns).or_default().insert(name, text);
        }
    }
    let mut out = String::new();
    for text in by_namespace.values().flat_map(|names| names.values()) {
        out.push_str("---\n");
        out.push_str(text);
        if !text.ends_with('\n') {
            out.push('\n');
        }
    }
    out
}

/// `render --stdout`: print one cluster's manifests as a YAML stream; writes nothing.
pub fn run_stdout(
    root: &Path,
    cluster: Option<&str>,
    allow_unpinned: bool,
    reporter: Reporter,
) -> ExitCode {
    match cluster_files(root, cluster, allow_unpinned, &reporter, "render") {
        Ok(r) => {
            print_out(&stream(&r.files));
            ExitCode::SUCCESS
        }
        Err(code) => code,
    }
}

/// Render the repository into its output directory (or compare with it).
pub fn run(
    root: &Path,
    out: Option<&Path>,
    check_only: bool,
    allow_unpinned: bool,
    reporter: Reporter,
) -> ExitCode {
    if out.is_some_and(|o| o == Path::new("-")) {
        return fatal(
            "render --out - would write a directory named `-`",
            "to print one cluster's manifests on stdout, use `meshplug render --stdout --cluster NAME`",
        );
    }
    let (repo, diags) = exit_on_err!(load_and_check(root, &reporter));
    let (checked, mut diags) = exit_on_err!(check_repo(&repo, diags, &reporter, "render"));
    let pins = exit_on_err!(pins(root, &reporter, "render"));
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
