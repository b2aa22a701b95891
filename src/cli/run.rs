//! The commands that run the pinned modules: `validate --run` (through [`dry_run_findings`]),
//! `test` and `replay`.

use super::args::{ServiceRef, parse_labels};
use super::common::{check_cluster, fatal, load_and_check, note_problems, print_out, read_lock};
use crate::check::{self, Checked};
use crate::diag::Diagnostic;
use crate::load::Repo;
use crate::present::{DataFormat, Format, Reporter, format_data};
use crate::run::repo::{Options, dry_run};
use crate::run::{HeaderChange, MockUpstream, Mocks, Response, StepOutcome};
use crate::views::explain::Workload;
use crate::views::replay::{self, Link, ReplayReport};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

/// `NAME=VALUE` values for `valueFrom: HOST` env vars.
fn parse_host_env(items: &[String]) -> Result<BTreeMap<String, String>, ExitCode> {
    let mut out = BTreeMap::new();
    for item in items {
        match item.split_once('=') {
            Some((k, v)) if !k.is_empty() => {
                out.insert(k.to_string(), v.to_string());
            }
            _ => {
                return Err(fatal(
                    format!("--host-env `{item}` is not NAME=VALUE"),
                    "write it like --host-env POD_NAME=productpage-v1-abc12",
                ));
            }
        }
    }
    Ok(out)
}

/// The dry-run options of `repo`: its lock and module dirs, and the `--host-env` values.
fn options<'a>(
    repo: &Repo,
    lock: Option<&'a crate::model::Lock>,
    host_env: &[String],
) -> Result<Options<'a>, ExitCode> {
    let mut opts = Options::of(repo, lock);
    opts.host_env = parse_host_env(host_env)?;
    Ok(opts)
}

/// The dry run's findings for `validate --run`: every binding started and configured, and every
/// request test run. Prints how many VMs were started.
pub fn dry_run_findings(
    repo: &Repo,
    checked: &Checked<'_>,
    reporter: &Reporter,
    host_env: &[String],
) -> Result<Vec<Diagnostic>, ExitCode> {
    let lock = read_lock(&repo.root, reporter, "validate")?;
    let opts = options(repo, lock.as_ref(), host_env)?;
    let (mut diags, vms) = dry_run(repo, checked, &opts);
    let (mut results, test_diags) = replay::run_tests(repo, checked, &opts);
    diags.extend(test_diags);
    let (examples, example_diags) = replay::run_examples(repo, &opts);
    results.extend(examples);
    diags.extend(example_diags);
    if reporter.format == Format::Human {
        let passed = results.iter().filter(|r| r.passed).count();
        eprintln!(
            "validate --run: {vms} distinct VMs started and configured, {passed} of {} request tests passed",
            results.len()
        );
    }
    Ok(diags)
}

/// Arguments of `meshplug test`.
#[derive(Debug, clap::Args)]
pub struct TestArgs {
    /// Repository root (the directory holding meshplug.yaml).
    #[arg(default_value = ".")]
    pub repo: PathBuf,
    /// Value of a `valueFrom: HOST` env var, NAME=VALUE (repeatable).
    #[arg(long = "host-env", value_name = "NAME=VALUE")]
    pub host_env: Vec<String>,
    /// Output format of the findings.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

/// `meshplug test`: run every binding's request tests through the real chains.
pub fn test(args: TestArgs, reporter: Reporter) -> ExitCode {
    let (repo, mut diags) = exit_on_err!(load_and_check(&args.repo, &reporter));
    let checked = check::check(&repo);
    diags.extend(
        checked
            .diagnostics
            .iter()
            .filter(|d| d.severity == crate::diag::Severity::Error)
            .cloned(),
    );
    if super::common::failed(&diags, false) {
        crate::diag::sort_and_dedup(&mut diags);
        reporter.print(&diags, "test");
        return ExitCode::from(1);
    }
    let lock = exit_on_err!(read_lock(&repo.root, &reporter, "test"));
    let opts = exit_on_err!(options(&repo, lock.as_ref(), &args.host_env));
    let (mut results, mut diags) = replay::run_tests(&repo, &checked, &opts);
    let (examples, example_diags) = replay::run_examples(&repo, &opts);
    results.extend(examples);
    diags.extend(example_diags);
    crate::diag::sort_and_dedup(&mut diags);
    if reporter.format == Format::Human {
        for r in &results {
            let place = if r.cluster == "-" {
                "[example]".to_string()
            } else {
                format!("[{}]", r.cluster)
            };
            eprintln!(
                "{} {} {place} {}",
                if r.passed { "  ok  " } else { "  FAIL" },
                r.file,
                r.name
            );
        }
    }
    reporter.print(&diags, "test");
    let failed = results.iter().filter(|r| !r.passed).count();
    if reporter.format == Format::Human {
        eprintln!("test: {} passed, {failed} failed", results.len() - failed);
        if results.is_empty() {
            eprintln!("test: no binding has `spec.tests`; see docs/formats.md#request-tests");
        }
    }
    if super::common::failed(&diags, false) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Arguments of `meshplug replay`.
#[derive(Debug, clap::Args)]
pub struct ReplayArgs {
    /// The workload: NAMESPACE/SERVICE.
    pub service: ServiceRef,
    /// HTTP method.
    pub method: String,
    /// Path, with an optional query.
    pub path: String,
    /// A request header, `name: value` (repeatable).
    #[arg(short = 'H', long = "header", value_name = "NAME: VALUE")]
    pub headers: Vec<String>,
    /// The cluster whose bindings and Istio version are used (default: the first declared).
    #[arg(long)]
    pub cluster: Option<String>,
    /// The workload's pod labels, `k=v,k2=v2` (default as for `explain`).
    #[arg(long, value_parser = parse_labels)]
    pub labels: Option<BTreeMap<String, String>>,
    /// Answer plugins' calls to an upstream cluster: CLUSTER=STATUS[:BODY] (repeatable).
    #[arg(long = "mock-http", value_name = "CLUSTER=STATUS[:BODY]")]
    pub mock_http: Vec<String>,
    /// Status of the upstream's response when the request gets through.
    #[arg(long, default_value_t = 200)]
    pub upstream_status: u16,
    /// Value of a `valueFrom: HOST` env var, NAME=VALUE (repeatable).
    #[arg(long = "host-env", value_name = "NAME=VALUE")]
    pub host_env: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = DataFormat::Table)]
    pub format: DataFormat,
    /// Repository root.
    #[arg(long, default_value = ".")]
    pub repo: PathBuf,
}

fn parse_mocks(items: &[String]) -> Result<Mocks, ExitCode> {
    let mut mocks = Mocks::new();
    for item in items {
        let parsed = item.split_once('=').and_then(|(cluster, rest)| {
            let (status, body) = rest.split_once(':').unwrap_or((rest, ""));
            let status: u16 = status.parse().ok().filter(|s| (100..600).contains(s))?;
            (!cluster.is_empty()).then(|| {
                (
                    cluster.to_string(),
                    MockUpstream::Respond {
                        status,
                        headers: Vec::new(),
                        body: body.to_string(),
                    },
                )
            })
        });
        match parsed {
            Some((c, m)) => {
                mocks.insert(c, m);
            }
            None => {
                return Err(fatal(
                    format!("--mock-http `{item}` is not CLUSTER=STATUS[:BODY]"),
                    "write it like --mock-http outbound|8080||auth.default.svc.cluster.local=200:ok",
                ));
            }
        }
    }
    Ok(mocks)
}

/// `meshplug replay`: one request through a workload's chain.
pub fn replay(args: ReplayArgs, reporter: &Reporter) -> ExitCode {
    let (repo, diags) = exit_on_err!(load_and_check(&args.repo, reporter));
    if let Err(code) = check_cluster(&repo, args.cluster.as_deref()) {
        return code;
    }
    let checked = check::check(&repo);
    note_problems(diags.iter().chain(&checked.diagnostics));
    let cluster = args
        .cluster
        .clone()
        .unwrap_or_else(|| repo.config.item.spec.cluster_names()[0].to_string());
    let mut headers = Vec::new();
    for h in &args.headers {
        match h.split_once(':') {
            Some((k, v)) if !k.trim().is_empty() => {
                headers.push((k.trim().to_ascii_lowercase(), v.trim().to_string()))
            }
            _ => {
                return fatal(
                    format!("-H `{h}` is not `name: value`"),
                    "write it like -H 'Authorization: Basic YWRtaW4zOmFkbWluMw=='",
                );
            }
        }
    }
    let mocks = exit_on_err!(parse_mocks(&args.mock_http));
    let lock = exit_on_err!(read_lock(&repo.root, reporter, "replay"));
    let opts = exit_on_err!(options(&repo, lock.as_ref(), &args.host_env));
    let w = Workload::new(
        &repo,
        &args.service.namespace,
        &args.service.name,
        args.labels.clone(),
    );
    let req = replay::request(&w, &args.method, &args.path, None, &headers);
    let upstream = Response {
        status: args.upstream_status,
        ..Response::default()
    };
    match replay::replay(&repo, &checked, &opts, &w, &cluster, req, &mocks, &upstream) {
        Ok(report) => {
            print_out(&format_data(args.format, &report, || to_text(&report)));
            ExitCode::SUCCESS
        }
        Err(problems) => {
            for p in &problems {
                eprintln!("error: `{}` of {}: {}", p.plugin, p.binding, p.message);
            }
            eprintln!(
                "replay: the chain cannot be started ({} problem(s))",
                problems.len()
            );
            ExitCode::from(1)
        }
    }
}

/// The human form of a replay.
pub fn to_text(r: &ReplayReport) -> String {
    let mut out = format!(
        "replay {} on {} (cluster {})\n",
        r.request, r.workload, r.cluster
    );
    let mut n = 0;
    for link in &r.chain {
        match link {
            Link::Istio { name } => out.push_str(&format!(
                "   ·  {name} (Istio's own filter, not simulated)\n"
            )),
            Link::NotRun {
                plugin,
                binding,
                reason,
            } => out.push_str(&format!("   -  {plugin} ({binding}) not run: {reason}\n")),
            Link::Plugin {
                plugin,
                version,
                plugin_name,
                binding,
            } => {
                n += 1;
                out.push_str(&format!(
                    "  {n:>2}. {plugin} {version}  ({binding}, runs as {plugin_name})\n"
                ));
                for step in r.replay.steps.iter().filter(|s| s.plugin == *plugin_name) {
                    out.push_str(&format!(
                        "        {}: {}\n",
                        step.phase,
                        outcome_text(&step.outcome)
                    ));
                    for l in &step.logs {
                        let text: String = l.message.chars().take(160).collect();
                        out.push_str(&format!(
                            "          log [{}] {text}\n",
                            format!("{:?}", l.level).to_lowercase()
                        ));
                    }
                    for c in &step.http_calls {
                        out.push_str(&format!("          http call to cluster `{}`\n", c.cluster));
                    }
                }
            }
        }
    }
    let resp = &r.replay.response;
    let from = match &resp.source {
        crate::run::ResponseSource::Upstream => "the upstream".to_string(),
        crate::run::ResponseSource::LocalReply { plugin } => format!("a local reply of {plugin}"),
        crate::run::ResponseSource::Paused { plugin, waiting_on } => match waiting_on {
            Some(c) => format!(
                "nothing: {plugin} waits on cluster `{c}` (answer it with --mock-http {c}=200)"
            ),
            None => format!("nothing: {plugin} paused the request"),
        },
        crate::run::ResponseSource::Crashed { plugin } => format!("nothing: {plugin} crashed"),
    };
    match resp.status {
        Some(s) => out.push_str(&format!("  => {s} from {from}\n")),
        None => out.push_str(&format!("  => {from}\n")),
    }
    for (k, v) in &resp.headers {
        out.push_str(&format!("     {k}: {v}\n"));
    }
    if !resp.body.is_empty() {
        let body: String = resp.body.chars().take(400).collect();
        out.push_str(&format!("     body: {body}\n"));
    }
    out
}

fn outcome_text(o: &StepOutcome) -> String {
    match o {
        StepOutcome::Continue { header_changes } if header_changes.is_empty() => "continued".into(),
        StepOutcome::Continue { header_changes } => format!(
            "continued, {}",
            header_changes
                .iter()
                .map(|c| match c {
                    HeaderChange::Added { name, value } => format!("+{name}: {value}"),
                    HeaderChange::Removed { name } => format!("-{name}"),
                    HeaderChange::Changed { name, to, .. } => format!("~{name}: {to}"),
                })
                .collect::<Vec<_>>()
                .join(", ")
        ),
        StepOutcome::LocalReply(l) => format!("answered locally with {}", l.status),
        StepOutcome::Paused {
            waiting_on: Some(c),
        } => format!("paused, waiting on a call to cluster `{c}`"),
        StepOutcome::Paused { waiting_on: None } => "paused".into(),
        StepOutcome::Crashed { phase, fault } => format!("crashed in {phase}: {fault}"),
    }
}
