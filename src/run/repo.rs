//! The dry run of a repository: every (cluster, binding, plugin) started and configured in the
//! embedded host with exactly what the cluster would give it, each distinct (module,
//! configuration, env, Istio version) once, and the findings as diagnostics (MP040–MP045).

use super::{
    Compiled, LogLevel, LogLine, PluginSpec, Request, StartFailure, StartFailureKind, StepOutcome,
};
use crate::artifact::wasm::IstioMinor;
use crate::check::{Checked, Effective};
use crate::diag::{Diagnostic, Places as _, rule};
use crate::load::Repo;
use crate::lock::cache;
use crate::model::{EnvValueSource, EnvVar, Lock, PluginVersion, wasmplugin_name};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// Log lines of a plugin shown in one diagnostic, at most.
const SHOWN_LOG_LINES: usize = 6;
/// Characters of one log line shown in a diagnostic, at most.
const SHOWN_LOG_CHARS: usize = 200;

/// Where module bytes come from and what the host is given besides the repository. One per
/// run: the modules it compiles are shared by the dry run, the request tests and the examples.
pub struct Options<'a> {
    /// `meshplug.lock`, for the module digests of OCI urls.
    pub lock: Option<&'a Lock>,
    /// The modules of the run: the cache and the local builds of `spec.modules` and
    /// `MESHPLUG_MODULES`, each compiled once.
    pub modules: Modules,
    /// Values of `valueFrom: HOST` env vars (`--host-env NAME=VALUE`).
    pub host_env: BTreeMap<String, String>,
}

impl<'a> Options<'a> {
    /// The options of `repo`: its lock, its `spec.modules` dirs (relative to the repository)
    /// and those of `MESHPLUG_MODULES` (`:`-separated).
    pub fn of(repo: &Repo, lock: Option<&'a Lock>) -> Options<'a> {
        let mut module_dirs: Vec<PathBuf> = repo
            .config
            .item
            .spec
            .modules
            .iter()
            .map(|d| repo.root.join(d))
            .collect();
        if let Some(extra) = std::env::var_os("MESHPLUG_MODULES") {
            module_dirs.extend(std::env::split_paths(&extra).filter(|p| !p.as_os_str().is_empty()));
        }
        Options {
            lock,
            modules: Modules::new(module_dirs),
            host_env: BTreeMap::new(),
        }
    }
}

/// The sha256 of the module bytes that `e`'s version pins, when it is known: the lock's
/// `moduleSha256` for the url, or for http(s) urls the pin itself (the sha256 of the module).
pub fn module_digest(e: &Effective<'_>, lock: Option<&Lock>) -> Option<String> {
    version_digest(e.version, lock)
}

/// [`module_digest`] of a catalog version.
pub fn version_digest(version: &PluginVersion, lock: Option<&Lock>) -> Option<String> {
    let url = version.url.as_str();
    if let Some(locked) = lock.and_then(|l| l.get(url)) {
        return Some(locked.module_sha256.clone());
    }
    let http = url.starts_with("https://") || url.starts_with("http://");
    http.then(|| version.sha256.clone()).flatten()
}

/// The plugin configuration bytes Istio gives the plugin: the effective `pluginConfig` as JSON
/// the way Istio marshals a protobuf `Struct` (keys sorted, no spaces, numbers as doubles with
/// whole numbers written without a fraction); no or an empty `pluginConfig` is 0 bytes.
pub fn config_bytes(config: Option<&serde_json::Map<String, Value>>) -> Vec<u8> {
    match config {
        None => Vec::new(),
        Some(m) if m.is_empty() => Vec::new(),
        Some(m) => {
            let mut out = String::new();
            write_struct_json(&Value::Object(m.clone()), &mut out);
            out.into_bytes()
        }
    }
}

fn write_struct_json(v: &Value, out: &mut String) {
    match v {
        Value::Number(n) => {
            let f = n.as_f64().unwrap_or(0.0);
            if f.fract() == 0.0 && f.abs() < 1e21 {
                out.push_str(&format!("{}", f as i128));
            } else {
                out.push_str(&format!("{f}"));
            }
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_struct_json(item, out);
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            for (i, (k, item)) in map.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(k.clone()).to_string());
                out.push(':');
                write_struct_json(item, out);
            }
            out.push('}');
        }
        other => out.push_str(&other.to_string()),
    }
}

/// The Istio minor version of `cluster` (none given: the newest the host table knows).
pub fn istio_of(repo: &Repo, cluster: &str) -> Option<IstioMinor> {
    repo.config
        .item
        .spec
        .clusters
        .iter()
        .find(|c| c.name == cluster)
        .and_then(|c| c.istio_version.as_deref())
        .and_then(IstioMinor::parse)
}

/// The WASI environment of `vars` (`vmConfig.env`): INLINE values as written, `valueFrom: HOST`
/// values from `host_env`, else the placeholder `<host:NAME>`; and the names given a placeholder.
pub fn env_values<'v>(
    vars: impl IntoIterator<Item = &'v EnvVar>,
    host_env: &BTreeMap<String, String>,
) -> (Vec<(String, String)>, Vec<String>) {
    let mut placeholders = Vec::new();
    let env = vars
        .into_iter()
        .map(|var| {
            let value = match var.value_from {
                Some(EnvValueSource::Host) => match host_env.get(&var.name) {
                    Some(v) => v.clone(),
                    None => {
                        placeholders.push(var.name.clone());
                        format!("<host:{}>", var.name)
                    }
                },
                _ => var.value.clone().unwrap_or_default(),
            };
            (var.name.clone(), value)
        })
        .collect();
    (env, placeholders)
}

/// The VM spec of `e` on `cluster`, and the names of HOST env vars given a placeholder.
pub fn spec_of(
    repo: &Repo,
    e: &Effective<'_>,
    cluster: &str,
    opts: &Options<'_>,
) -> (PluginSpec, Vec<String>) {
    let name = wasmplugin_name(&e.binding.item.metadata.name, e.plugin_name());
    let plugin_name = format!("{}.{name}", e.namespace());
    let mut spec = PluginSpec::new(&plugin_name, config_bytes(e.plugin_config().as_ref()));
    // Istio's root id is the WasmPlugin's name (`pluginName` is not settable in meshplug).
    spec.root_id = plugin_name.clone();
    spec.vm_id = String::new();
    let (env, placeholders) = env_values(e.env(), &opts.host_env);
    spec.env = env;
    let istio = istio_of(repo, cluster);
    spec.istio_minor = istio;
    spec.node_metadata = BTreeMap::from([
        ("NAMESPACE".to_string(), e.namespace().to_string()),
        ("CLUSTER_ID".to_string(), cluster.to_string()),
        (
            "WORKLOAD_NAME".to_string(),
            e.binding.item.metadata.name.clone(),
        ),
        (
            "ISTIO_VERSION".to_string(),
            istio.map_or_else(|| "1.30.0".to_string(), |m| format!("1.{}.0", m.0)),
        ),
    ]);
    (spec, placeholders)
}

/// Modules compiled once per run, by digest. The local build directories are hashed once, the
/// first time a module is not in the cache.
pub struct Modules {
    dirs: Vec<PathBuf>,
    local: std::cell::OnceCell<cache::LocalModules>,
    compiled: std::cell::RefCell<BTreeMap<String, Result<Compiled, String>>>,
}

impl Modules {
    /// The modules found in the cache or in `dirs`.
    pub fn new(dirs: Vec<PathBuf>) -> Modules {
        Modules {
            dirs,
            local: std::cell::OnceCell::new(),
            compiled: std::cell::RefCell::new(BTreeMap::new()),
        }
    }

    /// The compiled module whose bytes hash to `digest`: found in the cache or a module dir,
    /// verified, compiled once. `Err` says why it cannot be run.
    pub fn get(&self, digest: &str) -> Result<Compiled, String> {
        if let Some(done) = self.compiled.borrow().get(digest) {
            return done.clone();
        }
        let local = self
            .local
            .get_or_init(|| cache::LocalModules::scan(&self.dirs));
        let result = cache::find(digest, local)
            .ok_or_else(|| {
                format!("the module sha256:{digest} is in neither the module cache nor a module directory")
            })
            .and_then(|bytes| Compiled::new(&bytes, digest).map_err(|e| e.to_string()));
        self.compiled
            .borrow_mut()
            .insert(digest.to_string(), result.clone());
        result
    }
}

/// What one distinct VM did: started, configured, and served one request.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Everything worked.
    Ok,
    /// The VM did not start or rejected its configuration.
    Start(StartFailure),
    /// The VM started, but its first HTTP request crashed it.
    FirstRequest {
        /// The callback.
        phase: &'static str,
        /// How it failed.
        fault: super::Fault,
        /// What it logged.
        logs: Vec<LogLine>,
    },
}

/// Start `compiled` with `spec` and send it one plain request, as the first request after a
/// listener update would.
pub fn start_and_probe(compiled: &Compiled, spec: &PluginSpec) -> Outcome {
    let vm = match super::start(compiled, spec) {
        Ok(vm) => vm,
        Err(f) => return Outcome::Start(f),
    };
    let replay = super::replay(&mut [vm], Request::get("/"), &super::Mocks::new());
    replay
        .steps
        .iter()
        .find_map(|step| match &step.outcome {
            StepOutcome::Crashed { phase, fault } => Some(Outcome::FirstRequest {
                phase,
                fault: fault.clone(),
                logs: step.logs.clone(),
            }),
            _ => None,
        })
        .unwrap_or(Outcome::Ok)
}

/// A cluster and its Istio minor version.
type ClusterIstio<'a> = (&'a str, Option<IstioMinor>);

/// What makes two VMs the same: module digest, configuration bytes, env, Istio minor.
type VmKey = (String, Vec<u8>, Vec<(String, String)>, Option<u32>);

/// The dry run of every (cluster, binding, plugin) of `checked`: diagnostics for what would
/// fail in the cluster, and how many distinct VMs were started.
pub fn dry_run(repo: &Repo, checked: &Checked<'_>, opts: &Options<'_>) -> (Vec<Diagnostic>, usize) {
    let mut runs: BTreeMap<VmKey, Outcome> = BTreeMap::new();
    let mut diags = Vec::new();
    for e in &checked.effective {
        let Some(digest) = module_digest(e, opts.lock) else {
            diags.push(unavailable(
                e,
                "its module digest is not known: the url is not in meshplug.lock",
                "run `meshplug lock` (it pins the module and keeps its bytes in the cache)",
            ));
            continue;
        };
        let compiled = match opts.modules.get(&digest) {
            Ok(c) => c,
            Err(why) => {
                diags.push(unavailable(e, &why, "run `meshplug lock` on a machine that reaches the registry (it fills the cache), or list the directory of a local build in `spec.modules` of meshplug.yaml"));
                continue;
            }
        };
        let mut seen_here = Vec::new();
        // Clusters with the same outcome share one finding.
        let mut by_outcome: Vec<(Vec<ClusterIstio<'_>>, Outcome)> = Vec::new();
        for cluster in &e.clusters {
            let (spec, placeholders) = spec_of(repo, e, cluster, opts);
            for name in placeholders {
                if !seen_here.contains(&name) {
                    diags.push(host_env_placeholder(e, &name));
                    seen_here.push(name);
                }
            }
            let key = (
                digest.clone(),
                spec.config.clone(),
                spec.env.clone(),
                spec.istio_minor.map(|m| m.0),
            );
            let outcome = runs
                .entry(key)
                .or_insert_with(|| start_and_probe(&compiled, &spec));
            match by_outcome.iter_mut().find(|(_, o)| o == outcome) {
                Some((clusters, _)) => clusters.push((cluster, spec.istio_minor)),
                None => by_outcome.push((vec![(cluster, spec.istio_minor)], outcome.clone())),
            }
        }
        for (clusters, outcome) in &by_outcome {
            if let Some(d) = diagnose(e, clusters, outcome) {
                diags.push(d);
            }
        }
    }
    crate::diag::sort_and_dedup(&mut diags);
    (diags, runs.len())
}

fn unavailable(e: &Effective<'_>, why: &str, help: &str) -> Diagnostic {
    e.binding
        .doc
        .diag(
            &rule::MODULE_UNAVAILABLE,
            &format!("{}/plugin", e.pointer()),
            format!(
                "`{}` {} was not run: {why}",
                e.plugin_name(),
                e.version.version
            ),
        )
        .label("not run")
        .help(help.to_string())
}

fn host_env_placeholder(e: &Effective<'_>, name: &str) -> Diagnostic {
    e.binding
        .doc
        .diag(
            &rule::MODULE_UNAVAILABLE,
            &format!("{}/plugin", e.pointer()),
            format!("env var `{name}` (valueFrom: HOST) was given the placeholder `<host:{name}>` in the dry run"),
        )
        .label("placeholder value")
        .help(format!("give the proxy's value with `--host-env {name}=VALUE`"))
}

/// At most [`SHOWN_LOG_LINES`] of the plugin's warning and error lines (all lines when it logged
/// none of those), each cut to [`SHOWN_LOG_CHARS`] characters.
pub fn log_excerpt(logs: &[LogLine]) -> String {
    let serious: Vec<&LogLine> = logs.iter().filter(|l| l.level >= LogLevel::Warn).collect();
    let shown: Vec<&LogLine> = if serious.is_empty() {
        logs.iter().collect()
    } else {
        serious
    };
    let mut out = String::new();
    for l in shown.iter().take(SHOWN_LOG_LINES) {
        let text: String = l.message.chars().take(SHOWN_LOG_CHARS).collect();
        let cut = if l.message.chars().count() > SHOWN_LOG_CHARS {
            "…"
        } else {
            ""
        };
        out.push_str(&format!(
            "\n  plugin log [{}] {text}{cut}",
            format!("{:?}", l.level).to_lowercase()
        ));
    }
    if shown.len() > SHOWN_LOG_LINES {
        out.push_str(&format!(
            "\n  … and {} more lines",
            shown.len() - SHOWN_LOG_LINES
        ));
    }
    out
}

fn diagnose(
    e: &Effective<'_>,
    clusters: &[(&str, Option<IstioMinor>)],
    outcome: &Outcome,
) -> Option<Diagnostic> {
    let doc = &e.binding.doc;
    let entry = format!("{}/plugin", e.pointer());
    let names: Vec<String> = clusters
        .iter()
        .map(|(c, istio)| match istio {
            Some(m) => format!("`{c}` (Istio 1.{})", m.0),
            None => format!("`{c}`"),
        })
        .collect();
    let on = format!(
        "on cluster{} {}",
        if names.len() == 1 { "" } else { "s" },
        names.join(", ")
    );
    let what = format!("`{}` {}", e.plugin_name(), e.version.version);
    Some(match outcome {
        Outcome::Ok => return None,
        Outcome::FirstRequest {
            phase,
            fault,
            logs,
        } => doc
            .diag(
                &rule::NOT_HTTP_FILTER,
                &entry,
                format!("{what} starts {on} but crashes in {phase} on its first request: {fault}"),
            )
            .label("crashes on the first request")
            .help(format!(
                "the module is not a working HTTP filter (a bootstrap-only module, or a bug): fix the module, or bind a version that handles requests{}",
                log_excerpt(logs)
            )),
        Outcome::Start(f) => {
            let logs = log_excerpt(&f.logs);
            let phase_of = |k: &StartFailureKind| match k {
                StartFailureKind::Trap { phase, .. }
                | StartFailureKind::OutOfFuel { phase }
                | StartFailureKind::OutOfMemory { phase, .. }
                | StartFailureKind::Exit { phase, .. } => Some(*phase),
                _ => None,
            };
            let in_configure = phase_of(&f.kind) == Some("proxy_on_configure");
            match &f.kind {
                StartFailureKind::OutOfFuel { .. } | StartFailureKind::OutOfMemory { .. } => doc
                    .diag(
                        &rule::OVER_BUDGET,
                        &entry,
                        format!("{what} {on}: {}", f.message),
                    )
                    .label("over budget")
                    .help(format!(
                        "the dry run gives each callback a CPU budget and the VM a memory cap; a module that exceeds them would stall or crash the proxy: fix the module{logs}"
                    )),
                StartFailureKind::ConfigureRejected => config_rejected(e, &what, &on, "rejects its configuration (proxy_on_configure returned false)", &logs),
                _ if in_configure => config_rejected(e, &what, &on, &format!("fails on its configuration: {}", f.message), &logs),
                StartFailureKind::NotHttpFilter { reason } => doc
                    .diag(&rule::NOT_HTTP_FILTER, &entry, format!("{what} {on} is not an HTTP filter: {reason}"))
                    .label("not an HTTP filter")
                    .help(format!("bind it with `type: NETWORK` if it is a network filter, or use a module built as an HTTP filter{logs}")),
                StartFailureKind::MissingImport { first_istio, .. } => doc
                    .diag(&rule::MODULE_START, &entry, format!("{what} does not load {on}: {}", f.message))
                    .label("does not load")
                    .help(match first_istio {
                        Some(v) => format!("the cluster's Envoy lacks this host function; it is there from Istio {v}: upgrade the cluster, or build the module with an SDK version that does not need it"),
                        None => "no Istio release provides this host function: build the module with a proxy-wasm SDK that targets Envoy".to_string(),
                    }),
                _ => doc
                    .diag(&rule::MODULE_START, &entry, format!("{what} does not start {on}: {}", f.message))
                    .label("does not start")
                    .help(format!("Envoy would refuse the listener update with this module: fix the module or bind another version{logs}")),
            }
        }
    })
}

fn config_rejected(e: &Effective<'_>, what: &str, on: &str, how: &str, logs: &str) -> Diagnostic {
    let in_binding = e.entry().plugin_config.is_some();
    let pointer = if in_binding {
        format!("{}/pluginConfig", e.pointer())
    } else {
        format!("{}/plugin", e.pointer())
    };
    let defaults = if in_binding {
        ""
    } else {
        " (the catalog's default pluginConfig)"
    };
    e.binding
        .doc
        .diag_key(
            &rule::CONFIG_REJECTED,
            &pointer,
            format!("{what} {how} {on}{defaults}"),
        )
        .label("rejected by the plugin")
        .help(format!(
            "Envoy refuses the whole listener update when a plugin rejects its configuration: fix pluginConfig as the plugin's log says{logs}"
        ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn configuration_bytes_are_what_istio_marshals() {
        assert_eq!(config_bytes(None), b"");
        assert_eq!(config_bytes(Some(&serde_json::Map::new())), b"");
        let v = json!({"b": [1, 2.5, 10.0], "a": {"z": true, "y": null}, "s": "x\"y"});
        let Value::Object(m) = v else { unreachable!() };
        assert_eq!(
            String::from_utf8(config_bytes(Some(&m))).unwrap(),
            r#"{"a":{"y":null,"z":true},"b":[1,2.5,10],"s":"x\"y"}"#
        );
    }

    #[test]
    fn log_excerpts_are_bounded() {
        let line = |level, message: &str| LogLine {
            level,
            source: "proxy_log",
            phase: "proxy_on_configure",
            message: message.to_string(),
        };
        let many: Vec<LogLine> = (0..20)
            .map(|i| line(LogLevel::Error, &format!("e{i}")))
            .collect();
        let text = log_excerpt(&many);
        assert_eq!(
            text.lines().filter(|l| l.contains("plugin log")).count(),
            SHOWN_LOG_LINES
        );
        assert!(text.ends_with("… and 14 more lines"), "{text}");
        let long = log_excerpt(&[line(LogLevel::Info, &"x".repeat(10_000))]);
        assert!(long.len() < SHOWN_LOG_CHARS + 50, "{}", long.len());
        // Warnings and errors are preferred over chatter.
        let mixed = log_excerpt(&[line(LogLevel::Info, "hello"), line(LogLevel::Error, "bad")]);
        assert!(mixed.contains("bad") && !mixed.contains("hello"), "{mixed}");
    }
}
