//! `meshplug import`.

use super::common::{failed, fatal, load_and_check, print_out};
use crate::edit::overlay::{self, Change};
use crate::load::{self, BUILTIN};
use crate::manifests::import::{Options, Plan, plan};
use crate::manifests::{is_wasmplugin, read::read, traffic_extension};
use crate::model::Kind;
use crate::present::{DataFormat, Reporter, format_data};
use crate::text::{Table, WIDTH};
use crate::views::browse::builtin_repo;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Arguments of `meshplug import`.
#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// WasmPlugin manifests: a YAML stream or a `kubectl get wasmplugins -A -o yaml|json` dump;
    /// `-` (the default) reads stdin.
    #[arg(default_value = "-", value_name = "FILE|-")]
    pub file: String,
    /// Same as --repo (kept for compatibility): the repository to import into, created with
    /// `meshplug init` defaults when it has no meshplug.yaml (default: the repository found from
    /// the current directory up, else the current directory).
    #[arg(long, value_name = "DIR", hide = true)]
    pub into: Option<PathBuf>,
    /// Limit the imported bindings to this cluster (the one the dump comes from).
    #[arg(long)]
    pub cluster: Option<String>,
    /// Istio's root namespace (for a new repository and the checks of the input).
    #[arg(long, default_value = "istio-system")]
    pub root_namespace: String,
    /// Print the plan and the files instead of writing them.
    #[arg(long)]
    pub dry_run: bool,
    /// Output format of the plan.
    #[arg(long, default_value = "human", value_parser = super::args::data_formats())]
    pub format: DataFormat,
}

fn plan_table(p: &Plan) -> String {
    let mut t = Table::new(&["WASMPLUGIN", "RENDERED AS", "PLUGIN", "VERSION", "BINDING"])
        .flexible(&[0, 1]);
    for m in &p.mappings {
        t.row(vec![
            format!("{}/{}", m.namespace, m.from),
            if m.to == m.from {
                "(same)".into()
            } else {
                m.to.clone()
            },
            m.plugin.clone(),
            m.version.clone(),
            m.binding
                .rsplit('/')
                .next()
                .unwrap_or(&m.binding)
                .trim_end_matches(".yaml")
                .to_string(),
        ]);
    }
    let mut out = t.render(WIDTH);
    for n in &p.notes {
        out.push_str(&format!("note: {n}\n"));
    }
    out
}

/// Import the manifests of `a.file` into the repository at `into`.
pub fn run(a: ImportArgs, into: &Path, reporter: &Reporter) -> ExitCode {
    let (display, bytes) = exit_on_err!(super::common::read_input(
        &a.file,
        "pass a manifest file or a `kubectl get wasmplugins -A -o yaml` dump, or `-` for stdin",
    ));
    let (docs, problems) = read(&display, bytes);
    if !problems.is_empty() {
        reporter.print(&problems, "import");
        return ExitCode::from(1);
    }
    let (extensions, problems) = traffic_extension::importable(&docs);
    if !problems.is_empty() {
        reporter.print(&problems, "import");
        return ExitCode::from(1);
    }
    let mut plugins: Vec<_> = docs.iter().filter(|d| is_wasmplugin(d)).collect();
    plugins.extend(&extensions);
    if plugins.is_empty() {
        return fatal(
            format!("{display} holds no WasmPlugin"),
            "pass manifests of kind WasmPlugin (extensions.istio.io/v1alpha1)",
        );
    }
    let existing = into.join(load::CONFIG_FILE).is_file();
    let (mut repo, load_diags, init_files) = if existing {
        let (repo, diags) = exit_on_err!(load_and_check(into, reporter));
        (repo, diags, Vec::new())
    } else {
        let mut repo = builtin_repo();
        repo.root = into.to_path_buf();
        let clusters: Vec<String> = a.cluster.iter().cloned().collect();
        let name = super::init::marketplace_name(into);
        let files = super::init::files(&name, &a.root_namespace, &clusters);
        // The new repository's own meshplug.yaml (its clusters), for the check before writing.
        let mut diags = Vec::new();
        if let Some(config) = files
            .iter()
            .find(|(path, _)| path == load::CONFIG_FILE)
            .and_then(|(path, text)| {
                load::load_document(
                    path,
                    text.clone().into_bytes(),
                    Kind::Marketplace,
                    &mut diags,
                )
            })
        {
            repo.config = config;
        }
        (repo, diags, files)
    };
    if existing && let Err(code) = super::common::check_cluster(&repo, a.cluster.as_deref()) {
        return code;
    }
    let spec = &repo.config.item.spec;
    let catalog_dir = if existing {
        spec.catalog.iter().find(|d| *d != BUILTIN).cloned()
    } else {
        Some("catalog".into())
    };
    let bindings_dir = if existing {
        spec.bindings.first().cloned()
    } else {
        Some("bindings".into())
    };
    let (Some(catalog_dir), Some(bindings_dir)) = (catalog_dir, bindings_dir) else {
        return fatal(
            "meshplug.yaml needs a catalog directory of its own and a bindings directory",
            "set e.g. `catalog: [builtin, catalog]` and `bindings: [bindings]` under spec",
        );
    };
    let opts = Options {
        catalog_dir: catalog_dir.trim_end_matches('/').to_string(),
        bindings_dir: bindings_dir.trim_end_matches('/').to_string(),
        cluster: a.cluster.clone(),
        local_schemas: !existing,
        root_namespace: if existing {
            spec.root_namespace.clone()
        } else {
            a.root_namespace.clone()
        },
    };
    let plan = match plan(&plugins, &repo, &opts) {
        Ok(p) => p,
        Err(mut diags) => {
            crate::diag::sort_and_dedup(&mut diags);
            reporter.print(&diags, "import");
            eprintln!("import: refused: fix these manifests first; nothing was written");
            return ExitCode::from(1);
        }
    };
    let all: Vec<&(String, String)> = init_files.iter().chain(&plan.files).collect();
    let taken: Vec<&str> = all
        .iter()
        .map(|(p, _)| p.as_str())
        .filter(|p| into.join(p).exists())
        .collect();
    if !taken.is_empty() {
        return fatal(
            format!(
                "{} already exist(s) in {}",
                taken.join(", "),
                into.display()
            ),
            "import into another directory, or move those files; nothing was written",
        );
    }
    // The repository as it would be, checked in memory: an import that adds an error writes
    // nothing.
    let before = overlay::problems(&repo, &load_diags);
    let mut own = Vec::new();
    for (rel, text) in &plan.files {
        let kind = if rel.starts_with(&format!("{}/", opts.catalog_dir)) {
            Kind::Plugin
        } else {
            Kind::Binding
        };
        let change = Change::Write {
            path: rel.clone(),
            kind,
            text: text.clone(),
        };
        own.extend(overlay::apply(&mut repo, &change));
    }
    let mut after = overlay::problems(&repo, &load_diags);
    after.extend(own);
    // What is printed of the files masks every credential the checks flag (MP033); the files
    // written keep what the manifests say.
    let redact = crate::diag::shown::Redactions::of(&after);
    let shown = crate::manifests::import::Plan {
        files: plan
            .files
            .iter()
            .map(|(path, text)| (path.clone(), redact.text(text)))
            .collect(),
        ..plan.clone()
    };
    print_out(&format_data(a.format, &shown, || plan_table(&shown)));
    if a.dry_run {
        if a.format == DataFormat::Table {
            for (path, text) in &shown.files {
                print_out(&format!("\n==> {path} <==\n{text}"));
            }
        }
        return ExitCode::SUCCESS;
    }
    let mut added = overlay::new_errors(&before, &after);
    if !added.is_empty() {
        crate::diag::sort_and_dedup(&mut added);
        reporter.print(&added, "import");
        eprintln!(
            "import: refused: the imported files would make the repository invalid; nothing was written (`--dry-run` prints them)"
        );
        return ExitCode::from(1);
    }
    for (rel, text) in all {
        let path = into.join(rel);
        if let Err(e) = crate::atomic::write_atomic(&path, text.as_bytes()) {
            return fatal(
                format!("cannot write {}: {e}", path.display()),
                "check that the directory is writable",
            );
        }
    }
    // What still needs attention (warnings; errors the repository already had).
    crate::diag::sort_and_dedup(&mut after);
    reporter.print(&after, "import");
    eprintln!(
        "import: {} WasmPlugins into {} catalog and binding files in {}; run `meshplug render`",
        plan.mappings.len(),
        plan.files.len(),
        into.display()
    );
    if failed(&after, false) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
