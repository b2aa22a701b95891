//! `meshplug bind` and `meshplug unbind`: edit one binding file, check the whole repository with
//! the change applied in memory, and write it atomically only when it adds no error.

use super::args::ServiceRef;
use super::common::{fatal, load_and_check, print_out};
use crate::diag::Places as _;
use crate::diag::{Diagnostic, sort_and_dedup};
use crate::edit::binding::{self, BindRequest};
use crate::edit::overlay::{self, Change};
use crate::load::{self, Repo};
use crate::model::{Binding, Kind};
use crate::present::Reporter;
use std::path::Path;
use std::process::ExitCode;

/// Every problem of the repository as loaded.
/// Check `change` against the repository and write it (or print it, with `dry_run`).
/// `what` names the command in messages; `done` is the line printed on success.
pub fn commit(
    mut repo: Repo,
    load_diags: &[Diagnostic],
    change: Change,
    dry_run: bool,
    reporter: &Reporter,
    what: &str,
    done: &str,
) -> ExitCode {
    let before = overlay::problems(&repo, load_diags);
    let own = overlay::apply(&mut repo, &change);
    let mut after = overlay::problems(&repo, load_diags);
    after.extend(own);
    let mut added = overlay::new_diagnostics(&before, &after);
    sort_and_dedup(&mut added);
    // Everything the change adds is shown, warnings too (a plaintext secret, MP033); what the
    // repository already had is only counted.
    if !added.is_empty() {
        reporter.print(&added, what);
    }
    let mut had = before.clone();
    sort_and_dedup(&mut had);
    let had = had
        .iter()
        .filter(|d| d.severity == crate::diag::Severity::Error)
        .count();
    if had > 0 {
        eprintln!(
            "note: the repository had {had} error{} before this change; they are not shown: run `meshplug validate`",
            if had == 1 { "" } else { "s" }
        );
    }
    if super::common::failed(&added, false) {
        eprintln!(
            "{what}: refused: the change would make the repository invalid; nothing was written"
        );
        return ExitCode::from(1);
    }
    let path = repo.root.join(change.path());
    if dry_run {
        match &change {
            Change::Write { text, .. } => print_out(text),
            Change::Delete { path } => eprintln!("{what}: would delete {path}"),
        }
        return ExitCode::SUCCESS;
    }
    let result = match &change {
        Change::Write { text, .. } => crate::atomic::write_atomic(&path, text.as_bytes()),
        Change::Delete { .. } => std::fs::remove_file(&path),
    };
    match result {
        Ok(()) => {
            eprintln!("{done}");
            ExitCode::SUCCESS
        }
        Err(e) => fatal(
            format!("cannot write {}: {e}", path.display()),
            "check the directory's permissions; the file is unchanged",
        ),
    }
}

/// The loaded binding of `service`, and its repository-relative path.
fn find<'r>(repo: &'r Repo, service: &ServiceRef) -> Option<&'r load::Loaded<Binding>> {
    repo.bindings.iter().find(|b| {
        b.item.metadata.namespace == service.namespace && b.item.metadata.name == service.name
    })
}

/// Apply a plugin to a service.
pub fn bind(
    root: &Path,
    service: &ServiceRef,
    req: BindRequest,
    dry_run: bool,
    reporter: &Reporter,
) -> ExitCode {
    let (repo, load_diags) = exit_on_err!(load_and_check(root, reporter));
    let (path, text, layout_kept, created) = match find(&repo, service) {
        Some(old) => {
            let new = binding::updated(Some(&old.item), &req);
            let edited = binding::edit(old, &new);
            (
                old.doc.source.path.clone(),
                edited.text,
                edited.layout_kept,
                false,
            )
        }
        None => {
            let Some(dir) = repo.config.item.spec.bindings.first() else {
                return fatal(
                    "meshplug.yaml lists no bindings directory",
                    "add `bindings: [bindings]` under spec in meshplug.yaml",
                );
            };
            let rel = format!(
                "{}/{}/{}.yaml",
                dir.trim_end_matches('/'),
                service.namespace,
                service.name
            );
            if repo.root.join(&rel).exists() {
                return fatal(
                    format!("{rel} exists but does not hold a valid binding for {service}"),
                    "fix or move that file first (`meshplug validate` shows what is wrong)",
                );
            }
            let new = binding::updated(None, &req);
            let modeline = crate::edit::schema_modeline(&repo.root, &rel, "binding.schema.json");
            (rel, binding::new_file(&new, &modeline), true, true)
        }
    };
    let done = format!(
        "bind: {} {service} → {} in {path}{}",
        if created { "created" } else { "updated" },
        req.plugin,
        if layout_kept {
            String::new()
        } else {
            "\nnote: the file's layout could not be edited in place (flow style); it was rewritten and comments inside it were lost".into()
        }
    );
    let change = Change::Write {
        path,
        kind: Kind::Binding,
        text,
    };
    commit(repo, &load_diags, change, dry_run, reporter, "bind", &done)
}

/// Remove a plugin from a service (and the binding file with its last plugin).
pub fn unbind(
    root: &Path,
    service: &ServiceRef,
    plugin: &str,
    dry_run: bool,
    reporter: &Reporter,
) -> ExitCode {
    let (repo, load_diags) = exit_on_err!(load_and_check(root, reporter));
    let Some(old) = find(&repo, service) else {
        return fatal(
            format!("{service} has no binding"),
            "`meshplug status` lists the services and their plugins",
        );
    };
    let path = old.doc.source.path.clone();
    if !old.item.spec.plugins.iter().any(|u| u.plugin == plugin) {
        let names: Vec<&str> = old
            .item
            .spec
            .plugins
            .iter()
            .map(|u| u.plugin.as_str())
            .collect();
        return fatal(
            format!("{service} does not use plugin `{plugin}` ({path})"),
            format!("its plugins: {}", names.join(", ")),
        );
    }
    let (change, done) = match binding::without(&old.item, plugin) {
        Some(new) => {
            let edited = binding::edit(old, &new);
            (
                Change::Write {
                    path: path.clone(),
                    kind: Kind::Binding,
                    text: edited.text,
                },
                format!("unbind: removed {plugin} from {service} in {path}"),
            )
        }
        None => (
            Change::Delete { path: path.clone() },
            format!("unbind: removed {plugin}, the last plugin of {service}: deleted {path}"),
        ),
    };
    commit(
        repo,
        &load_diags,
        change,
        dry_run,
        reporter,
        "unbind",
        &done,
    )
}

/// Read `--config FILE|-` as a YAML or JSON mapping.
pub fn read_config(
    source: &str,
    reporter: &Reporter,
) -> Result<serde_json::Map<String, serde_json::Value>, ExitCode> {
    let (display, bytes) = super::common::read_input(
        source,
        "pass a readable YAML or JSON file, or `-` for stdin",
    )?;
    let doc = match load::decode(&display, bytes).and_then(|src| load::parse(&src)) {
        Ok(d) => d,
        Err(d) => {
            reporter.print(&[d], "bind");
            return Err(ExitCode::from(2));
        }
    };
    match doc.value {
        serde_json::Value::Object(map) => Ok(map),
        _ => {
            let d = doc
                .diag(
                    &crate::diag::rule::SCHEMA,
                    "",
                    "the plugin config must be a mapping",
                )
                .help("write the pluginConfig fields as `key: value` lines");
            reporter.print(&[d], "bind");
            Err(ExitCode::from(2))
        }
    }
}

/// Arguments of `meshplug bind`.
#[derive(Debug, clap::Args)]
pub struct BindArgs {
    /// The service: NAMESPACE/SERVICE (its binding file is created when missing).
    pub service: ServiceRef,
    /// Catalog name of the plugin.
    pub plugin: String,
    /// Catalog version (default: the newest).
    #[arg(long)]
    pub version: Option<String>,
    /// Phase: AUTHN, AUTHZ, STATS or UNSPECIFIED_PHASE (default: the catalog's).
    #[arg(long, ignore_case = true, value_parser = super::args::phases())]
    pub phase: Option<crate::model::Phase>,
    /// Priority within the phase, 1..1000; higher runs first (default: the catalog's).
    #[arg(long, value_parser = clap::value_parser!(i64).range(1..=1000))]
    pub priority: Option<i64>,
    /// pluginConfig from a YAML or JSON file, or `-` for stdin; replaces the entry's config.
    #[arg(long, value_name = "FILE|-")]
    pub config: Option<String>,
    /// Set one pluginConfig value, PATH=VALUE (repeatable): a dotted path (`limits.burst`) and a
    /// value typed like helm's `--set` (numbers, true/false, null, else a string). Applied after
    /// --config, else to the entry's current config.
    #[arg(long = "set", value_name = "PATH=VALUE", value_parser = super::args::parse_set)]
    pub sets: Vec<(String, serde_json::Value)>,
    /// Set one pluginConfig value to JSON, PATH=JSON (repeatable), e.g.
    /// `allow_origins=["https://a.example"]`; applied after --set.
    #[arg(long = "set-json", value_name = "PATH=JSON", value_parser = super::args::parse_set_json)]
    pub set_json: Vec<(String, serde_json::Value)>,
    /// An inline VM env var, NAME=VALUE (repeatable); replaces one of the same name.
    #[arg(long, value_name = "NAME=VALUE", value_parser = super::args::parse_env)]
    pub env: Vec<(String, String)>,
    /// Render the binding only for this cluster (repeatable; applies to the whole binding).
    #[arg(long = "cluster", value_name = "CLUSTER")]
    pub clusters: Vec<String>,
    /// Pod labels selecting the workload of a new binding, `k=v,..` (default: app=SERVICE).
    #[arg(long, value_parser = super::args::parse_labels, conflicts_with = "all_workloads")]
    pub labels: Option<std::collections::BTreeMap<String, String>>,
    /// A new binding without selector: every workload of the namespace (of the mesh, in the
    /// root namespace).
    #[arg(long)]
    pub all_workloads: bool,
    /// Print the new file instead of writing it.
    #[arg(long)]
    pub dry_run: bool,
}

/// Arguments of `meshplug unbind`.
#[derive(Debug, clap::Args)]
pub struct UnbindArgs {
    /// The service: NAMESPACE/SERVICE.
    pub service: ServiceRef,
    /// Catalog name of the plugin to remove.
    pub plugin: String,
    /// Print the new file instead of writing it.
    #[arg(long)]
    pub dry_run: bool,
}

/// Run `meshplug bind`.
pub fn run_bind(a: BindArgs, root: &Path, reporter: &Reporter) -> ExitCode {
    let config = match a.config.as_deref().map(|c| read_config(c, reporter)) {
        Some(Err(code)) => return code,
        Some(Ok(c)) => Some(c),
        None => None,
    };
    let req = BindRequest {
        namespace: a.service.namespace.clone(),
        service: a.service.name.clone(),
        plugin: a.plugin,
        version: a.version,
        phase: a.phase,
        priority: a.priority,
        config,
        sets: a.sets.into_iter().chain(a.set_json).collect(),
        env: a.env,
        clusters: (!a.clusters.is_empty()).then_some(a.clusters),
        labels: if a.all_workloads {
            Some(Default::default())
        } else {
            a.labels
        },
    };
    bind(root, &a.service, req, a.dry_run, reporter)
}

/// Run `meshplug unbind`.
pub fn run_unbind(a: UnbindArgs, root: &Path, reporter: &Reporter) -> ExitCode {
    unbind(root, &a.service, &a.plugin, a.dry_run, reporter)
}
