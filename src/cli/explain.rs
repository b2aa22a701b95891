//! `meshplug explain`.

use super::args::ServiceRef;
use super::common::{check_cluster, load_and_check, note_problems, print_out};
use crate::check;
use crate::load::Repo;
use crate::present::{DataFormat, Reporter, format_data};
use crate::text::WIDTH;
use crate::views::explain::{Explanation, Filter, Scope, Workload, explain, explain_live};
use std::collections::BTreeMap;
use std::path::Path;
use std::process::ExitCode;

/// Print the effective filter chain of one workload.
pub fn run(
    root: &Path,
    service: &ServiceRef,
    labels: Option<BTreeMap<String, String>>,
    cluster: Option<&str>,
    live: Option<&str>,
    format: DataFormat,
    reporter: &Reporter,
) -> ExitCode {
    let (repo, diags) = exit_on_err!(load_and_check(root, reporter));
    if let Err(code) = check_cluster(&repo, cluster) {
        return code;
    }
    let checked = check::check(&repo);
    note_problems(diags.iter().chain(&checked.diagnostics));
    let workload = Workload::new(&repo, &service.namespace, &service.name, labels);
    let explanation = match live {
        None => explain(&repo, &checked, workload, cluster),
        Some(src) => {
            if cluster.is_none() && repo.config.item.spec.clusters.len() > 1 {
                return super::common::fatal(
                    "--live holds one cluster's objects, and the repository declares several",
                    "name the cluster the dump comes from: --cluster NAME",
                );
            }
            let objects = exit_on_err!(super::status::read_live(src, reporter));
            explain_live(&repo, &checked, workload, cluster, &objects)
        }
    };
    if !known(&repo, service, &explanation) {
        return unknown(&repo, service);
    }
    print_out(&format_data(format, &explanation, || {
        explanation.to_table(WIDTH)
    }));
    ExitCode::SUCCESS
}

/// Whether the repository knows the workload: a binding is named after it, or a binding of its
/// namespace (its own or a namespace-wide one, a selector, a gateway) reaches it. Mesh-wide
/// bindings reach any name, so they do not count: a misspelt name would get their chain.
fn known(repo: &Repo, service: &ServiceRef, explanation: &Explanation) -> bool {
    let named = repo.bindings.iter().any(|b| {
        b.item.metadata.namespace == service.namespace && b.item.metadata.name == service.name
    });
    let local = |scope: Scope| !matches!(scope, Scope::Mesh | Scope::MeshSelector);
    named
        || explanation.clusters.iter().any(|c| {
            !c.skipped.is_empty()
                || c.network.iter().any(|p| local(p.scope))
                || c.filters.iter().any(|f| match f {
                    Filter::Plugin(p) => local(p.scope),
                    Filter::Istio { .. } => false,
                })
        })
}

/// Say that no binding applies to `service`, with the nearest known name; exit code 1.
fn unknown(repo: &Repo, service: &ServiceRef) -> ExitCode {
    let mut names: Vec<String> = repo
        .bindings
        .iter()
        .map(|b| {
            let w = Workload::picked_by(&b.item);
            format!("{}/{}", w.namespace, w.name)
        })
        .collect();
    names.sort();
    names.dedup();
    let wanted = service.to_string();
    let hint = match crate::diag::did_you_mean(&wanted, names.iter().map(String::as_str)) {
        Some(s) => format!("did you mean `{s}`? (`meshplug status` lists every service)"),
        None => "`meshplug status` lists the services the bindings name".into(),
    };
    let _ = super::common::fatal(
        format!(
            "no binding applies to {wanted}: none is named after it and none covers its namespace"
        ),
        hint,
    );
    ExitCode::from(1)
}
