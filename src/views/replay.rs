//! Replay: one request through a workload's real plugin chain, in Istio's order (the order
//! [`explain`](super::explain) computes), with Istio's own filters shown in their places as not
//! simulated; and the request tests of bindings (`spec.tests`, MP044) run the same way.

use super::explain::{self, Filter, Workload};
use crate::check::{Checked, Effective};
use crate::diag::{Diagnostic, Places as _, rule};
use crate::load::Repo;
use crate::model::{
    Binding, Expectation, Plugin, PluginExample, RequestTest, TestRequest, TestResponse,
};
use crate::run::repo::{
    Options, config_bytes, env_values, log_excerpt, module_digest, spec_of, version_digest,
};
use crate::run::{self, MockUpstream, Mocks, PluginVm, Replay, Request, Response, ResponseSource};
use serde::Serialize;
use std::collections::BTreeMap;

/// One entry of a replayed chain, in order.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Link {
    /// One of Istio's own filters: shown, not simulated.
    Istio {
        /// Short name.
        name: &'static str,
    },
    /// A plugin whose module the dry run does not have: left out of the replay.
    NotRun {
        /// Catalog name.
        plugin: String,
        /// The binding, `namespace/name`.
        binding: String,
        /// Why.
        reason: String,
    },
    /// A plugin of the repository, run in the host.
    Plugin {
        /// Catalog name.
        plugin: String,
        /// Version.
        version: String,
        /// `plugin_name` it runs as (`<namespace>.<wasmplugin>`).
        plugin_name: String,
        /// The binding, `namespace/name`.
        binding: String,
    },
}

/// A replay of one request on one cluster.
#[derive(Debug, Clone, Serialize)]
pub struct ReplayReport {
    /// The request line, `METHOD PATH`.
    pub request: String,
    /// The workload.
    pub workload: String,
    /// The cluster.
    pub cluster: String,
    /// The chain, in order.
    pub chain: Vec<Link>,
    /// What the plugins did and what the client gets.
    pub replay: Replay,
}

/// Why a chain could not be started.
#[derive(Debug, Clone, Serialize)]
pub struct ChainProblem {
    /// The plugin.
    pub plugin: String,
    /// The binding, `namespace/name`.
    pub binding: String,
    /// What is wrong.
    pub message: String,
}

/// Start every plugin of `w`'s HTTP chain on `cluster`, in Istio's order. Plugins whose module
/// is not available are left out (a [`Link::NotRun`]); any plugin that does not start is an error.
pub fn start_chain(
    repo: &Repo,
    checked: &Checked<'_>,
    opts: &Options<'_>,
    w: &Workload,
    cluster: &str,
) -> Result<(Vec<Link>, Vec<PluginVm>), Vec<ChainProblem>> {
    let exp = explain::explain(repo, checked, w.clone(), Some(cluster));
    let Some(chain) = exp.clusters.into_iter().next() else {
        return Ok((Vec::new(), Vec::new()));
    };
    let mut links = Vec::new();
    let mut vms = Vec::new();
    let mut problems = Vec::new();
    for f in chain.filters {
        let p = match f {
            Filter::Istio { name, .. } => {
                links.push(Link::Istio { name });
                continue;
            }
            Filter::Plugin(p) => p,
        };
        let Some(e) = find_entry(checked, &p.binding, &p.plugin) else {
            continue;
        };
        let problem = |message: String| ChainProblem {
            plugin: p.plugin.clone(),
            binding: p.binding.clone(),
            message,
        };
        let not_run = |reason: String| Link::NotRun {
            plugin: p.plugin.clone(),
            binding: p.binding.clone(),
            reason,
        };
        let Some(digest) = module_digest(e, opts.lock) else {
            links.push(not_run("its module is not pinned in meshplug.lock".into()));
            continue;
        };
        let compiled = match opts.modules.get(&digest) {
            Ok(c) => c,
            Err(why) => {
                links.push(not_run(why));
                continue;
            }
        };
        let (spec, _) = spec_of(repo, e, cluster, opts);
        match run::start(&compiled, &spec) {
            Ok(vm) => {
                links.push(Link::Plugin {
                    plugin: p.plugin.clone(),
                    version: p.version.clone(),
                    plugin_name: spec.plugin_name.clone(),
                    binding: p.binding.clone(),
                });
                vms.push(vm);
            }
            Err(f) => problems.push(problem(format!(
                "does not start: {}{}",
                f.message,
                log_excerpt(&f.logs)
            ))),
        }
    }
    if problems.is_empty() {
        Ok((links, vms))
    } else {
        Err(problems)
    }
}

fn find_entry<'c, 'r>(
    checked: &'c Checked<'r>,
    binding: &str,
    plugin: &str,
) -> Option<&'c Effective<'r>> {
    checked.effective.iter().find(|e| {
        e.plugin_name() == plugin
            && format!("{}/{}", e.namespace(), e.binding.item.metadata.name) == binding
    })
}

/// The request a test or `replay` sends: `:authority` defaults to the service's cluster name.
pub fn request(
    w: &Workload,
    method: &str,
    path: &str,
    host: Option<&str>,
    headers: &[(String, String)],
) -> Request {
    let mut r = Request::get(path);
    r.method = method.to_string();
    r.authority = host.map_or_else(
        || format!("{}.{}.svc.cluster.local", w.name, w.namespace),
        str::to_string,
    );
    for (k, v) in headers {
        r = r.header(k, v);
    }
    r
}

/// The request of a test or example, for workload `w`.
fn test_request(w: &Workload, r: &TestRequest) -> Request {
    let headers: Vec<(String, String)> = r
        .headers
        .iter()
        .map(|(k, v)| (k.to_ascii_lowercase(), v.clone()))
        .collect();
    request(w, &r.method, &r.path, r.host.as_deref(), &headers)
}

/// Replay one request through `w`'s chain on `cluster`.
#[allow(clippy::too_many_arguments)]
pub fn replay(
    repo: &Repo,
    checked: &Checked<'_>,
    opts: &Options<'_>,
    w: &Workload,
    cluster: &str,
    req: Request,
    mocks: &Mocks,
    upstream: &Response,
) -> Result<ReplayReport, Vec<ChainProblem>> {
    let (chain, mut vms) = start_chain(repo, checked, opts, w, cluster)?;
    let request = format!("{} {}", req.method, req.path);
    let replay = run::replay_with(&mut vms, req, mocks, upstream);
    Ok(ReplayReport {
        request,
        workload: format!("{}/{}", w.namespace, w.name),
        cluster: cluster.to_string(),
        chain,
        replay,
    })
}

/// Every mismatch between what the client got and what the test expects.
pub fn mismatches(expect: &Expectation, r: &Replay) -> Vec<String> {
    let mut out = Vec::new();
    let got_status = r.response.status;
    match &r.response.source {
        ResponseSource::Paused { plugin, waiting_on } => out.push(match waiting_on {
            Some(c) => format!("no response: `{plugin}` waits on a call to cluster `{c}` (answer it with `httpCalls`)"),
            None => format!("no response: `{plugin}` paused the request and never resumed it"),
        }),
        ResponseSource::Crashed { plugin } => {
            out.push(format!("no response: `{plugin}` crashed (Envoy answers 500 and fails the VM)"))
        }
        _ => {}
    }
    if let Some(want) = expect.status
        && got_status != Some(u32::from(want))
    {
        out.push(format!(
            "status {} expected, got {}",
            want,
            got_status.map_or("none".to_string(), |s| s.to_string())
        ));
    }
    let lookup = |headers: &[(String, String)], name: &str| -> Option<String> {
        let vals: Vec<&str> = headers
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .collect();
        (!vals.is_empty()).then(|| vals.join(","))
    };
    let compare = |what: &str,
                   headers: &[(String, String)],
                   want: &BTreeMap<String, Option<String>>,
                   out: &mut Vec<String>| {
        for (name, value) in want {
            let got = lookup(headers, name);
            match (value, &got) {
                (None, Some(g)) => out.push(format!(
                    "{what} `{name}` expected absent, got `{}`",
                    crate::text::truncate(g, 80)
                )),
                (Some(v), None) => out.push(format!("{what} `{name}: {v}` expected, absent")),
                (Some(v), Some(g)) if v != g => out.push(format!(
                    "{what} `{name}` expected `{v}`, got `{}`",
                    crate::text::truncate(g, 80)
                )),
                _ => {}
            }
        }
    };
    compare(
        "response header",
        &r.response.headers,
        &expect.headers,
        &mut out,
    );
    if !expect.upstream_headers.is_empty() {
        match &r.upstream_request {
            Some(h) => compare("upstream header", h, &expect.upstream_headers, &mut out),
            None => out.push("the request never reached the upstream".to_string()),
        }
    }
    if let Some(body) = &expect.body
        && *body != r.response.body
    {
        out.push(format!(
            "body `{}` expected, got `{}`",
            crate::text::truncate(body, 80),
            crate::text::truncate(&r.response.body, 80)
        ));
    }
    out
}

/// The mocks of a test: its `httpCalls` answers by cluster name.
pub fn mocks_of(t: &RequestTest) -> Mocks {
    mocks_from(&t.http_calls)
}

fn mocks_from(calls: &BTreeMap<String, TestResponse>) -> Mocks {
    calls
        .iter()
        .map(|(cluster, r)| {
            (
                cluster.clone(),
                MockUpstream::Respond {
                    status: r.status,
                    headers: r
                        .headers
                        .iter()
                        .map(|(k, v)| (k.clone(), v.clone()))
                        .collect(),
                    body: r.body.clone(),
                },
            )
        })
        .collect()
}

/// The result of one request test on one cluster.
#[derive(Debug, Clone, Serialize)]
pub struct TestResult {
    /// The binding's file.
    pub file: String,
    /// The test's name.
    pub name: String,
    /// The cluster.
    pub cluster: String,
    /// Whether it passed.
    pub passed: bool,
}

/// Run every request test of every binding: results, and an MP044 diagnostic per failure.
pub fn run_tests(
    repo: &Repo,
    checked: &Checked<'_>,
    opts: &Options<'_>,
) -> (Vec<TestResult>, Vec<Diagnostic>) {
    let mut results = Vec::new();
    let mut diags = Vec::new();
    let all_clusters = repo.config.item.spec.cluster_names();
    for b in &repo.bindings {
        let binding: &Binding = &b.item;
        if binding.spec.tests.is_empty() {
            continue;
        }
        let w = Workload::picked_by(binding);
        let bound: Vec<&str> = match &binding.spec.clusters {
            Some(c) => all_clusters
                .iter()
                .copied()
                .filter(|n| c.iter().any(|x| x == n))
                .collect(),
            None => all_clusters.clone(),
        };
        for (i, t) in binding.spec.tests.iter().enumerate() {
            let pointer = format!("/spec/tests/{i}");
            let clusters: Vec<&str> = match &t.cluster {
                Some(c) => vec![c.as_str()],
                None => bound.clone(),
            };
            for cluster in clusters {
                if !all_clusters.contains(&cluster) {
                    diags.push(
                        b.doc
                            .diag(&rule::REQUEST_TEST, &format!("{pointer}/cluster"), format!("test `{}` names cluster `{cluster}`, which meshplug.yaml does not declare", t.name))
                            .label("unknown cluster")
                            .help(format!("use one of {}", all_clusters.join(", "))),
                    );
                    continue;
                }
                let req = test_request(&w, &t.request);
                let upstream = upstream_of(t.upstream.as_ref());
                let problems = match start_chain(repo, checked, opts, &w, cluster) {
                    Err(problems) => problems
                        .iter()
                        .map(|p| format!("`{}` of {}: {}", p.plugin, p.binding, p.message))
                        .collect(),
                    Ok((links, mut vms)) => {
                        let own =
                            format!("{}/{}", binding.metadata.namespace, binding.metadata.name);
                        // The binding's own plugins must run; others' may be left out (a warning).
                        let mut own_left_out = Vec::new();
                        let mut left_out = Vec::new();
                        for l in &links {
                            if let Link::NotRun {
                                plugin,
                                binding,
                                reason,
                            } = l
                            {
                                if *binding == own {
                                    own_left_out.push(format!(
                                        "its own plugin `{plugin}` was not run: {reason}"
                                    ));
                                } else {
                                    left_out.push(format!("`{plugin}` of {binding}"));
                                }
                            }
                        }
                        if !left_out.is_empty() {
                            diags.push(
                                b.doc
                                    .diag(&rule::MODULE_UNAVAILABLE, &format!("{pointer}/name"), format!("request test `{}` on cluster `{cluster}` ran without {} (module not available)", t.name, left_out.join(", ")))
                                    .label("partial chain")
                                    .help("run `meshplug lock` where the registries are reachable (it fills the module cache) to run the whole chain"),
                            );
                        }
                        if own_left_out.is_empty() {
                            let r = run::replay_with(&mut vms, req, &mocks_of(t), &upstream);
                            mismatches(&t.expect, &r)
                        } else {
                            own_left_out
                        }
                    }
                };
                let passed = problems.is_empty();
                results.push(TestResult {
                    file: b.doc.source().path.clone(),
                    name: t.name.clone(),
                    cluster: cluster.to_string(),
                    passed,
                });
                if !passed {
                    diags.push(
                        b.doc
                            .diag(&rule::REQUEST_TEST, &format!("{pointer}/name"), format!("request test `{}` fails on cluster `{cluster}`: {}", t.name, problems.join("; ")))
                            .label("fails")
                            .help(format!("`meshplug replay {}/{} --cluster {cluster} {} {}` shows what each plugin did", w.namespace, w.name, t.request.method, t.request.path)),
                    );
                }
            }
        }
    }
    crate::diag::sort_and_dedup(&mut diags);
    (results, diags)
}

fn upstream_of(u: Option<&TestResponse>) -> Response {
    u.map_or_else(Response::default, |u| Response {
        status: u.status,
        headers: u
            .headers
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
        body: u.body.clone(),
    })
}

/// Run every example of every catalog entry (`spec.examples`) against the plugin alone, with the
/// entry's defaults under the example's `pluginConfig`, on the newest Istio the host knows.
pub fn run_examples(repo: &Repo, opts: &Options<'_>) -> (Vec<TestResult>, Vec<Diagnostic>) {
    let mut results = Vec::new();
    let mut diags = Vec::new();
    for p in &repo.plugins {
        for (i, ex) in p.item.spec.examples.iter().enumerate() {
            let at = format!("/spec/examples/{i}/name");
            let problems = match run_example(&p.item, ex, opts) {
                Ok(problems) => problems,
                Err(why) => {
                    diags.push(
                        p.doc
                            .diag(&rule::MODULE_UNAVAILABLE, &at, format!("example `{}` was not run: {why}", ex.name))
                            .label("not run")
                            .help("run `meshplug lock --all` (it pins every catalog version and fills the module cache), or list the build directory in `spec.modules`"),
                    );
                    continue;
                }
            };
            results.push(TestResult {
                file: p.doc.source().path.clone(),
                name: ex.name.clone(),
                cluster: "-".into(),
                passed: problems.is_empty(),
            });
            if !problems.is_empty() {
                diags.push(
                    p.doc
                        .diag(&rule::REQUEST_TEST, &at, format!("example `{}` of `{}` fails: {}", ex.name, p.item.metadata.name, problems.join("; ")))
                        .label("fails")
                        .help("fix the example or the plugin; `meshplug replay` runs a binding's chain the same way"),
                );
            }
        }
    }
    (results, diags)
}

/// One example's mismatches (empty: it passes); `Err` says why it could not be run.
fn run_example(
    plugin: &Plugin,
    ex: &PluginExample,
    opts: &Options<'_>,
) -> Result<Vec<String>, String> {
    let spec = &plugin.spec;
    let version = match &ex.version {
        Some(v) => spec.versions.iter().find(|x| x.version == *v),
        None => spec.versions.first(),
    };
    let Some(version) = version else {
        let v = ex.version.as_deref().unwrap_or_default();
        return Ok(vec![format!("version `{v}` is not listed")]);
    };
    let digest = version_digest(version, opts.lock)
        .ok_or_else(|| format!("{} is not in meshplug.lock", version.url))?;
    let compiled = opts.modules.get(&digest)?;
    let config = crate::check::merge_over(
        spec.defaults.plugin_config.as_ref(),
        ex.plugin_config.as_ref(),
    );
    let name = format!("examples.{}", plugin.metadata.name);
    let mut vm_spec = run::PluginSpec::new(&name, config_bytes(config.as_ref()));
    vm_spec.env = env_values(spec.defaults.env(), &opts.host_env).0;
    let vm = match run::start(&compiled, &vm_spec) {
        Ok(vm) => vm,
        Err(f) => {
            return Ok(vec![format!(
                "the plugin does not start: {}{}",
                f.message,
                log_excerpt(&f.logs)
            )]);
        }
    };
    let w = Workload {
        namespace: "examples".into(),
        name: plugin.metadata.name.clone(),
        labels: BTreeMap::new(),
        labels_assumed: false,
        gateway: false,
        waypoint: false,
    };
    let r = run::replay_with(
        &mut [vm],
        test_request(&w, &ex.request),
        &mocks_from(&ex.http_calls),
        &upstream_of(ex.upstream.as_ref()),
    );
    Ok(mismatches(&ex.expect, &r))
}
