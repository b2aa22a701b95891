//! `meshplug explain`.

use super::args::ServiceRef;
use super::common::{check_cluster, load_and_check, note_problems, print_out};
use crate::check;
use crate::present::{DataFormat, Reporter, format_data};
use crate::text::WIDTH;
use crate::views::explain::{Workload, explain};
use std::collections::BTreeMap;
use std::path::Path;
use std::process::ExitCode;

/// Print the effective filter chain of one workload.
pub fn run(
    root: &Path,
    service: &ServiceRef,
    labels: Option<BTreeMap<String, String>>,
    cluster: Option<&str>,
    format: DataFormat,
    reporter: &Reporter,
) -> ExitCode {
    let (repo, diags) = match load_and_check(root, reporter) {
        Ok(x) => x,
        Err(code) => return code,
    };
    if let Err(code) = check_cluster(&repo, cluster) {
        return code;
    }
    let checked = check::check(&repo);
    note_problems(diags.iter().chain(&checked.diagnostics));
    let workload = Workload::new(&repo, &service.namespace, &service.name, labels);
    let explanation = explain(&repo, &checked, workload, cluster);
    print_out(&format_data(format, &explanation, || {
        explanation.to_table(WIDTH)
    }));
    ExitCode::SUCCESS
}
