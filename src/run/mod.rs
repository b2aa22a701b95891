//! An embedded proxy-wasm host: runs the pinned module bytes the way Envoy's
//! proxy-wasm-cpp-host does, to dry-run a binding's configuration and replay requests through a
//! plugin chain.
//!
//! [`Compiled::new`] checks the pin and compiles once; [`start`] instantiates one VM per
//! configuration (start, `proxy_on_vm_start`, `proxy_on_configure`); [`PluginVm::request`] /
//! [`PluginVm::response`] / [`PluginVm::finish`] run one plugin's stream callbacks; [`replay`]
//! runs a request through a chain and answers what each plugin did. `docs/abi.md` lists what
//! each host call answers and where that comes from.
//!
//! Everything is deterministic: a fixed clock, a seeded `random_get`, no files, no network.

mod abi;
mod engine;
mod pairs;
pub mod repo;
#[cfg(test)]
mod tests;

use crate::artifact::wasm::{
    AbiSupport, AbiVersion, HIGRESS_ABI_MARKER, HTTP_CALLBACKS, IstioMinor, abi_support,
    first_istio_with, missing_import_message, provides_in, signature,
};
use abi::{HostState, ROOT_ID, StreamState};
use sha2::{Digest, Sha256};

/// The fixed wall clock: 2026-01-01T00:00:00Z in nanoseconds (it advances 1 µs per read).
pub const CLOCK_START_NS: u64 = abi::CLOCK_START_NS;
use std::collections::BTreeMap;
use std::sync::Arc;

/// Why a module cannot be compiled.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RunError {
    /// The bytes do not hash to the pin.
    ShaMismatch {
        /// The pinned sha256 (hex).
        expected: String,
        /// The sha256 of the bytes given.
        actual: String,
    },
    /// The pin is not 64 hex digits.
    BadPin {
        /// What was given.
        pin: String,
    },
    /// The engine refused the module (malformed or invalid wasm).
    Invalid {
        /// The engine's message.
        message: String,
    },
}

impl std::fmt::Display for RunError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RunError::ShaMismatch { expected, actual } => write!(
                f,
                "the module's sha256 is {actual}, not the pinned {expected}: refusing to run it"
            ),
            RunError::BadPin { pin } => write!(f, "`{pin}` is not a sha256 (64 hex digits)"),
            RunError::Invalid { message } => write!(f, "the module does not compile: {message}"),
        }
    }
}

impl std::error::Error for RunError {}

/// A module compiled once, cheap to clone and share between VMs.
#[derive(Clone)]
pub struct Compiled {
    inner: Arc<engine::CompiledModule>,
    sha256: String,
}

impl std::fmt::Debug for Compiled {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Compiled")
            .field("sha256", &self.sha256)
            .finish_non_exhaustive()
    }
}

impl Compiled {
    /// Verify that `bytes` hash to `expected_sha256_hex` (the lock's pin), then validate and
    /// compile them.
    pub fn new(bytes: &[u8], expected_sha256_hex: &str) -> Result<Compiled, RunError> {
        let pin = expected_sha256_hex.trim().to_ascii_lowercase();
        let pin = pin.strip_prefix("sha256:").unwrap_or(&pin).to_string();
        if pin.len() != 64 || !pin.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(RunError::BadPin {
                pin: expected_sha256_hex.to_string(),
            });
        }
        let actual = hex::encode(Sha256::digest(bytes));
        if actual != pin {
            return Err(RunError::ShaMismatch {
                expected: pin,
                actual,
            });
        }
        let inner =
            engine::CompiledModule::new(bytes).map_err(|message| RunError::Invalid { message })?;
        Ok(Compiled {
            inner: Arc::new(inner),
            sha256: actual,
        })
    }

    /// The module's sha256 (hex).
    pub fn sha256(&self) -> &str {
        &self.sha256
    }

    /// The ABI the host reads from the module's marker exports.
    pub fn abi(&self) -> AbiSupport {
        abi_support(self.inner.exports.iter().map(|(n, _)| n.as_str()))
    }

    fn exports(&self, name: &str) -> bool {
        self.inner.export(name).is_some()
    }
}

/// Sandbox bounds for one VM.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Limits {
    /// Fuel (about one unit per wasm instruction) for each callback.
    pub fuel_per_callback: u64,
    /// Linear memory cap in bytes; `memory.grow` past it fails.
    pub memory_bytes: usize,
    /// Log lines kept per callback; the rest are counted as dropped.
    pub max_log_lines: usize,
    /// Bytes kept of each log line.
    pub max_log_line_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            fuel_per_callback: DEFAULT_FUEL,
            memory_bytes: 256 << 20,
            max_log_lines: 200,
            max_log_line_bytes: 4096,
        }
    }
}

/// The default fuel per callback: 20 million, about 170 times the whole start of the Rust SDK
/// `basic-auth` plugin (122k: `_initialize` 1.5k, root context 5k, configure 116k) and over 1000
/// times one of its requests (15k); see `docs/abi.md`.
pub const DEFAULT_FUEL: u64 = 20_000_000;

/// What a VM is started with: the WasmPlugin's identity and configuration.
#[derive(Debug, Clone, serde::Serialize)]
pub struct PluginSpec {
    /// `plugin_name` property: `<namespace>.<name>` of the rendered WasmPlugin.
    pub plugin_name: String,
    /// `plugin_root_id` property (Istio sets the root id to the plugin name).
    pub root_id: String,
    /// `plugin_vm_id` property and the shared queue namespace.
    pub vm_id: String,
    /// The plugin configuration buffer: exactly these bytes (no pluginConfig: empty).
    pub config: Vec<u8>,
    /// WASI environment (`vmConfig.env`), in order.
    pub env: Vec<(String, String)>,
    /// The Istio release whose host to emulate (`None`: the newest the table knows).
    pub istio_minor: Option<IstioMinor>,
    /// `node.metadata.*` properties (`NAMESPACE`, `CLUSTER_ID`, `ISTIO_VERSION`, ...).
    pub node_metadata: BTreeMap<String, String>,
    /// Sandbox bounds.
    pub limits: Limits,
    /// Seed of `random_get`.
    pub seed: u64,
}

impl PluginSpec {
    /// A spec with the given name (used as root id too), configuration bytes and defaults.
    pub fn new(plugin_name: &str, config: impl Into<Vec<u8>>) -> PluginSpec {
        PluginSpec {
            plugin_name: plugin_name.to_string(),
            root_id: plugin_name.to_string(),
            vm_id: String::new(),
            config: config.into(),
            env: Vec::new(),
            istio_minor: None,
            node_metadata: BTreeMap::new(),
            limits: Limits::default(),
            seed: 0x6d65_7368_706c_7567,
        }
    }
}

/// proxy-wasm log levels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LogLevel {
    /// 0.
    Trace = 0,
    /// 1.
    Debug = 1,
    /// 2.
    Info = 2,
    /// 3.
    Warn = 3,
    /// 4.
    Error = 4,
    /// 5.
    Critical = 5,
}

impl LogLevel {
    fn from_code(code: i64) -> Option<LogLevel> {
        Some(match code {
            0 => LogLevel::Trace,
            1 => LogLevel::Debug,
            2 => LogLevel::Info,
            3 => LogLevel::Warn,
            4 => LogLevel::Error,
            5 => LogLevel::Critical,
            _ => return None,
        })
    }
}

/// One captured log line.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct LogLine {
    /// Its level (stdout is info and stderr error, as in Envoy).
    pub level: LogLevel,
    /// `proxy_log`, `stdout`, `stderr` or `host` (a message of the host itself).
    pub source: &'static str,
    /// The callback that logged it.
    pub phase: &'static str,
    /// The text (lossy UTF-8, truncated at the line limit).
    pub message: String,
}

/// A local reply sent with `proxy_send_local_response`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct LocalReply {
    /// HTTP status.
    pub status: u32,
    /// Response code details.
    pub details: String,
    /// Body (lossy UTF-8).
    pub body: String,
    /// Body length in bytes.
    pub body_bytes: usize,
    /// Additional headers.
    pub headers: Vec<(String, String)>,
    /// gRPC status, when one was given (not -1).
    pub grpc_status: Option<i32>,
    /// The callback that sent it.
    pub sent_by_phase: &'static str,
}

/// An HTTP call the plugin dispatched.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct HttpCallRecord {
    /// The upstream cluster.
    pub cluster: String,
    /// Request headers.
    pub headers: Vec<(String, String)>,
    /// Request body (lossy UTF-8).
    pub body: String,
    /// Request trailers.
    pub trailers: Vec<(String, String)>,
    /// Timeout in milliseconds.
    pub timeout_ms: u32,
    /// The callback that dispatched it.
    pub phase: &'static str,
    /// The status `proxy_http_call` returned (0 Ok, 2 BadArgument for an unknown cluster).
    pub result: u32,
    /// The token, when dispatched.
    pub token: Option<u32>,
    /// The mocked status delivered through `proxy_on_http_call_response`, if any.
    pub answered: Option<u16>,
}

/// A gRPC call or stream the plugin opened (answers are not modelled).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct GrpcCallRecord {
    /// The cluster (the `service` argument).
    pub cluster: String,
    /// gRPC service name.
    pub service: String,
    /// Method name.
    pub method: String,
    /// Initial metadata.
    pub metadata: Vec<(String, String)>,
    /// Request message length.
    pub message_bytes: usize,
    /// `proxy_grpc_stream` rather than `proxy_grpc_call`.
    pub stream: bool,
    /// The callback that opened it.
    pub phase: &'static str,
    /// The status returned.
    pub result: u32,
}

/// A metric the plugin defined, with its value.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct MetricRecord {
    /// Name.
    pub name: String,
    /// `counter`, `gauge` or `histogram`.
    pub kind: &'static str,
    /// Counter/gauge value, or the last histogram value.
    pub value: i64,
    /// Number of increments/records.
    pub records: u64,
}

/// How a mocked upstream cluster answers HTTP (and gRPC) calls.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum MockUpstream {
    /// Answer with this response through `proxy_on_http_call_response`.
    Respond {
        /// `:status`.
        status: u16,
        /// More headers.
        headers: Vec<(String, String)>,
        /// Body.
        body: String,
    },
    /// The cluster exists but never answers (the plugin stays paused).
    Hang,
}

/// Upstream clusters the plugins may call, by name. An unknown cluster makes `proxy_http_call`
/// answer BadArgument, as Envoy does.
pub type Mocks = BTreeMap<String, MockUpstream>;

/// How guest execution failed.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Fault {
    /// A wasm trap (unreachable, out-of-bounds access, stack exhausted, a restricted host call).
    Trap {
        /// The engine's message.
        message: String,
    },
    /// The callback used its whole fuel budget.
    OutOfFuel,
    /// `memory.grow` hit the memory cap (and the guest then trapped).
    OutOfMemory {
        /// What happened.
        message: String,
    },
    /// `proc_exit(code)`.
    Exit {
        /// The exit code.
        code: i32,
    },
}

impl std::fmt::Display for Fault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Fault::Trap { message } => write!(f, "trap: {message}"),
            Fault::OutOfFuel => write!(f, "out of fuel (the CPU budget per callback)"),
            Fault::OutOfMemory { message } => write!(f, "out of memory: {message}"),
            Fault::Exit { code } => write!(f, "proc_exit({code})"),
        }
    }
}

/// Why a VM did not start.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum StartFailureKind {
    /// An import the host of that Istio release does not link.
    MissingImport {
        /// Import module.
        module: String,
        /// Import name.
        name: String,
        /// The first Istio release of the table that links it.
        first_istio: Option<String>,
    },
    /// An import with another type than the host function's.
    ImportTypeMismatch {
        /// Import module.
        module: String,
        /// Import name.
        name: String,
    },
    /// No ABI marker Istio knows (`Higress` names the fork's 0.2.100 marker).
    UnsupportedAbi {
        /// The marker found, if any.
        marker: Option<String>,
    },
    /// The module lacks what the host needs (allocator, memory) or has a bad callback type.
    InvalidModule {
        /// Envoy's message.
        message: String,
    },
    /// A trap in a start phase.
    Trap {
        /// `instantiate`, `_initialize`, `_start`, `proxy_on_vm_start`, ...
        phase: &'static str,
        /// The trap.
        message: String,
    },
    /// Out of fuel in a start phase.
    OutOfFuel {
        /// The phase.
        phase: &'static str,
    },
    /// Out of memory in a start phase.
    OutOfMemory {
        /// The phase.
        phase: &'static str,
        /// What happened.
        message: String,
    },
    /// `proc_exit` in a start phase.
    Exit {
        /// The phase.
        phase: &'static str,
        /// The exit code.
        code: i32,
    },
    /// `proxy_on_vm_start` returned 0.
    VmStartRejected,
    /// `proxy_on_configure` returned 0: the plugin refused its configuration.
    ConfigureRejected,
    /// The module cannot serve as an HTTP filter.
    NotHttpFilter {
        /// Why.
        reason: String,
    },
}

/// A VM that did not start, with what it logged.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct StartFailure {
    /// What went wrong.
    pub kind: StartFailureKind,
    /// A one-line explanation, Envoy's wording where Envoy has one.
    pub message: String,
    /// Log lines captured until the failure.
    pub logs: Vec<LogLine>,
    /// Log lines dropped over the per-callback limit.
    pub logs_dropped: u32,
}

impl std::fmt::Display for StartFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// Fuel and logs of one start phase.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PhaseReport {
    /// The callback.
    pub phase: &'static str,
    /// Fuel it used.
    pub fuel_used: u64,
}

/// A started plugin VM: root context 1 created, started and configured.
pub struct PluginVm {
    vm: engine::Vm,
    name: String,
    abi: AbiVersion,
    compiled: Compiled,
    fuel: u64,
    failed: Option<String>,
    next_context: u32,
    /// `properties_set` length when the stream began and when the phase began.
    props_at_stream: usize,
    props_at_phase: usize,
    /// Log lines of the start phases dropped over the per-callback limit.
    pub start_logs_dropped: u32,
    /// Fuel per start phase.
    pub start_phases: Vec<PhaseReport>,
    /// Logs of the start phases.
    pub start_logs: Vec<LogLine>,
}

impl std::fmt::Debug for PluginVm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PluginVm")
            .field("name", &self.name)
            .field("abi", &self.abi)
            .finish_non_exhaustive()
    }
}

fn fail(kind: StartFailureKind, message: String, st: Option<&mut HostState>) -> StartFailure {
    let (logs, logs_dropped) = match st {
        Some(st) => (std::mem::take(&mut st.logs), st.logs_dropped),
        None => (Vec::new(), 0),
    };
    StartFailure {
        kind,
        message,
        logs,
        logs_dropped,
    }
}

fn fault_failure(phase: &'static str, fault: Fault, st: &mut HostState) -> StartFailure {
    let message = format!("{phase}: {fault}");
    let kind = match fault {
        Fault::Trap { message } => StartFailureKind::Trap { phase, message },
        Fault::OutOfFuel => StartFailureKind::OutOfFuel { phase },
        Fault::OutOfMemory { message } => StartFailureKind::OutOfMemory { phase, message },
        Fault::Exit { code } => StartFailureKind::Exit { phase, code },
    };
    fail(kind, message, Some(st))
}

/// The callbacks whose types the host checks (name, params for 0.1.0, params for 0.2.x,
/// results).
const CALLBACK_TYPES: &[(&str, &str, &str, &str)] = &[
    ("proxy_on_context_create", "ii", "ii", ""),
    ("proxy_on_vm_start", "ii", "ii", "i"),
    ("proxy_on_configure", "ii", "ii", "i"),
    ("proxy_on_request_headers", "ii", "iii", "i"),
    ("proxy_on_response_headers", "ii", "iii", "i"),
    ("proxy_on_request_body", "iii", "iii", "i"),
    ("proxy_on_response_body", "iii", "iii", "i"),
    ("proxy_on_log", "i", "i", ""),
    ("proxy_on_done", "i", "i", "i"),
    ("proxy_on_delete", "i", "i", ""),
    ("proxy_on_http_call_response", "iiiii", "iiiii", ""),
    ("_initialize", "", "", ""),
    ("_start", "", "", ""),
    ("__main_void", "", "", "i"),
    ("main", "ii", "ii", "i"),
];

/// Start a VM the way Envoy does: link the imports of the module's ABI and Istio release,
/// instantiate, run `_initialize` (+ `main`/`__main_void`) or `_start` with only the start-time
/// host calls allowed, then `proxy_on_context_create(1, 0)`, `proxy_on_vm_start(1, 0)` and
/// `proxy_on_configure(1, config size)`.
// A failure is a report (kind, message, logs) on a cold path; boxing it would only make callers
// unbox it.
#[allow(clippy::result_large_err)]
pub fn start(compiled: &Compiled, spec: &PluginSpec) -> Result<PluginVm, StartFailure> {
    let c = &compiled.inner;
    let istio = spec.istio_minor.unwrap_or_else(IstioMinor::newest);
    let abi = match compiled.abi() {
        AbiSupport::Supported { version } => version,
        AbiSupport::Higress => {
            return Err(fail(
                StartFailureKind::UnsupportedAbi {
                    marker: Some(HIGRESS_ABI_MARKER.into()),
                },
                format!(
                    "Missing or unknown Proxy-Wasm ABI version: the module exports only {HIGRESS_ABI_MARKER}, which exists in Higress's fork of proxy-wasm-cpp-host and does not load in Istio"
                ),
                None,
            ));
        }
        AbiSupport::Missing => {
            return Err(fail(
                StartFailureKind::UnsupportedAbi { marker: None },
                "Missing or unknown Proxy-Wasm ABI version".into(),
                None,
            ));
        }
    };
    // Imports, in module order: the first problem is the kind, every one is in the message.
    let mut problems: Vec<(StartFailureKind, String)> = Vec::new();
    for (module, name, ty) in &c.imports {
        match ty {
            Ok(sig) => {
                if !provides_in(Some(abi), istio, module, name) {
                    problems.push((
                        StartFailureKind::MissingImport {
                            module: module.clone(),
                            name: name.clone(),
                            first_istio: first_istio_with(Some(abi), module, name)
                                .filter(|f| *f > istio)
                                .map(|f| f.to_string()),
                        },
                        missing_import_message(Some(abi), istio, module, name),
                    ));
                } else if signature(module, name)
                    .is_none_or(|(p, r)| p != sig.0 || r != sig.1)
                {
                    problems.push((
                        StartFailureKind::ImportTypeMismatch {
                            module: module.clone(),
                            name: name.clone(),
                        },
                        format!(
                            "Failed to load Wasm module due to an import type mismatch: {module}.{name}"
                        ),
                    ));
                }
            }
            Err("memory") => {}
            Err(kind) => problems.push((
                StartFailureKind::InvalidModule {
                    message: format!("imports the {kind} {module}.{name}"),
                },
                format!(
                    "Failed to load Wasm module due to a missing import: {module}.{name} (the host provides no {kind}s)"
                ),
            )),
        }
    }
    if let Some((kind, _)) = problems.first().cloned() {
        let message = problems
            .into_iter()
            .map(|(_, m)| m)
            .collect::<Vec<_>>()
            .join("\n");
        return Err(fail(kind, message, None));
    }
    let invalid = |message: String| {
        fail(
            StartFailureKind::InvalidModule {
                message: message.clone(),
            },
            message,
            None,
        )
    };
    let alloc = ["malloc", "proxy_on_memory_allocate"]
        .iter()
        .find_map(|n| c.export(n));
    match alloc {
        None => return Err(invalid("Wasm module is missing malloc function".into())),
        Some((p, r)) if p != "i" || r != "i" => {
            return Err(invalid("Bad function signature for: malloc".into()));
        }
        _ => {}
    }
    if !c.has_memory {
        return Err(invalid(
            "the module exports no memory named `memory` and imports none".into(),
        ));
    }
    for (name, v1, v2, results) in CALLBACK_TYPES {
        if let Some((p, r)) = c.export(name) {
            let want = if abi == AbiVersion::V0_1_0 { v1 } else { v2 };
            if p != want || r != results {
                return Err(invalid(format!("Bad function signature for: {name}")));
            }
        }
    }
    let wasi = istio.release().wasi;
    let mut host = HostState::new(
        abi,
        wasi,
        spec.plugin_name.clone(),
        spec.root_id.clone(),
        spec.vm_id.clone(),
        spec.config.clone(),
        spec.env.clone(),
        spec.node_metadata.clone(),
        spec.seed,
    );
    host.max_log_lines = spec.limits.max_log_lines;
    host.max_log_line_bytes = spec.limits.max_log_line_bytes;
    host.max_memory_bytes = spec.limits.memory_bytes;
    host.restricted = true;
    let fuel = spec.limits.fuel_per_callback;
    let mut vm = match engine::Vm::instantiate(c, host, spec.limits.memory_bytes, fuel) {
        Ok(vm) => vm,
        Err(fault) => {
            let mut st = HostState::new(
                abi,
                wasi,
                String::new(),
                String::new(),
                String::new(),
                Vec::new(),
                Vec::new(),
                BTreeMap::new(),
                0,
            );
            return Err(fault_failure("instantiate", fault, &mut st));
        }
    };
    let mut phases = vec![PhaseReport {
        phase: "instantiate",
        fuel_used: 0,
    }];
    let mut pvm_logs = Vec::new();
    // Start: restricted host calls, as cpp-host `startVm`.
    let entry: Vec<(&'static str, Vec<i32>)> = if compiled.exports("_initialize") {
        let mut v = vec![("_initialize", vec![])];
        if compiled.exports("main") {
            v.push(("main", vec![0, 0]));
        } else if compiled.exports("__main_void") {
            v.push(("__main_void", vec![]));
        }
        v
    } else if compiled.exports("_start") {
        vec![("_start", vec![])]
    } else {
        vec![]
    };
    for (phase, args) in entry {
        vm.host().phase = phase;
        let r = vm.call(phase, &args, fuel);
        phases.push(PhaseReport {
            phase,
            fuel_used: vm.last_fuel,
        });
        if let Err(fault) = r {
            let st = vm.host();
            pvm_logs.append(&mut st.logs);
            st.logs = pvm_logs;
            return Err(fault_failure(phase, fault, st));
        }
        pvm_logs.append(&mut vm.host().logs);
    }
    vm.host().restricted = false;
    let config_size = spec.config.len() as i32;
    let root_steps: [(&'static str, Vec<i32>); 3] = [
        ("proxy_on_context_create", vec![ROOT_ID as i32, 0]),
        ("proxy_on_vm_start", vec![ROOT_ID as i32, 0]),
        ("proxy_on_configure", vec![ROOT_ID as i32, config_size]),
    ];
    for (phase, args) in root_steps {
        if !compiled.exports(phase) {
            continue;
        }
        let st = vm.host();
        st.phase = phase;
        st.effective = ROOT_ID;
        st.config_visible = phase != "proxy_on_context_create";
        let r = vm.call(phase, &args, fuel);
        vm.host().config_visible = false;
        phases.push(PhaseReport {
            phase,
            fuel_used: vm.last_fuel,
        });
        let st = vm.host();
        match r {
            Err(fault) => {
                pvm_logs.append(&mut st.logs);
                st.logs = pvm_logs;
                return Err(fault_failure(phase, fault, st));
            }
            Ok(Some(0)) if phase != "proxy_on_context_create" => {
                pvm_logs.append(&mut st.logs);
                st.logs = pvm_logs;
                let (kind, message) = if phase == "proxy_on_vm_start" {
                    (
                        StartFailureKind::VmStartRejected,
                        "Wasm VM failed to start: proxy_on_vm_start returned false".to_string(),
                    )
                } else {
                    (
                        StartFailureKind::ConfigureRejected,
                        format!(
                            "Wasm VM failed to configure: proxy_on_configure returned false for the {} byte configuration",
                            spec.config.len()
                        ),
                    )
                };
                return Err(fail(kind, message, Some(st)));
            }
            Ok(_) => pvm_logs.append(&mut st.logs),
        }
    }
    if !compiled.exports("proxy_on_context_create") {
        let st = vm.host();
        st.logs = pvm_logs;
        return Err(fail(
            StartFailureKind::NotHttpFilter {
                reason: "the module does not export proxy_on_context_create".into(),
            },
            "not an HTTP filter: the module does not export proxy_on_context_create, so no stream context is ever created".into(),
            Some(st),
        ));
    }
    if !HTTP_CALLBACKS.iter().any(|cb| compiled.exports(cb)) {
        let st = vm.host();
        st.logs = pvm_logs;
        return Err(fail(
            StartFailureKind::NotHttpFilter {
                reason: "the module exports no HTTP callback".into(),
            },
            "not an HTTP filter: the module exports none of proxy_on_request_headers, proxy_on_response_headers, ... (a network filter?)".into(),
            Some(st),
        ));
    }
    let start_logs_dropped = std::mem::take(&mut vm.host().logs_dropped);
    let props = vm.host().properties_set.len();
    Ok(PluginVm {
        vm,
        name: spec.plugin_name.clone(),
        abi,
        compiled: compiled.clone(),
        fuel,
        failed: None,
        next_context: ROOT_ID + 1,
        props_at_stream: props,
        props_at_phase: props,
        start_logs_dropped,
        start_phases: phases,
        start_logs: pvm_logs,
    })
}

/// An HTTP request to replay.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Request {
    /// `:method`.
    pub method: String,
    /// `:path` (with the query).
    pub path: String,
    /// `:authority`.
    pub authority: String,
    /// `:scheme`.
    pub scheme: String,
    /// More headers, in order (names are lower-cased).
    pub headers: Vec<(String, String)>,
    /// A request body, if any (delivered through `proxy_on_request_body` with end of stream).
    pub body: Option<String>,
    /// `source.address` property.
    pub source_address: String,
    /// `destination.address` property.
    pub destination_address: String,
}

impl Request {
    /// `GET <path>` to `example.com` over http with no more headers.
    pub fn get(path: &str) -> Request {
        Request {
            method: "GET".into(),
            path: path.into(),
            authority: "example.com".into(),
            scheme: "http".into(),
            headers: Vec::new(),
            body: None,
            source_address: "10.0.0.1:50000".into(),
            destination_address: "10.0.0.2:8080".into(),
        }
    }

    /// Add a header.
    pub fn header(mut self, name: &str, value: &str) -> Request {
        self.headers
            .push((name.to_ascii_lowercase(), value.to_string()));
        self
    }
}

/// The upstream's response, synthesized for a replay.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Response {
    /// `:status`.
    pub status: u16,
    /// More headers.
    pub headers: Vec<(String, String)>,
    /// Body.
    pub body: String,
}

impl Default for Response {
    fn default() -> Self {
        Response {
            status: 200,
            headers: vec![("content-type".into(), "text/plain".into())],
            body: String::new(),
        }
    }
}

/// One stream as it passes through the plugins: what each plugin sees and changes.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct HttpExchange {
    /// Request headers, pseudo-headers first.
    pub request_headers: Vec<(String, String)>,
    /// Request body.
    pub request_body: Option<Vec<u8>>,
    /// Response headers (once the response phase has begun).
    pub response_headers: Option<Vec<(String, String)>>,
    /// Response body.
    pub response_body: Option<Vec<u8>>,
    /// `source.address`.
    pub source_address: String,
    /// `destination.address`.
    pub destination_address: String,
}

impl HttpExchange {
    /// The exchange for a request, before any response.
    pub fn new(r: &Request) -> HttpExchange {
        let mut headers = vec![
            (":authority".to_string(), r.authority.clone()),
            (":path".to_string(), r.path.clone()),
            (":method".to_string(), r.method.clone()),
            (":scheme".to_string(), r.scheme.clone()),
        ];
        headers.extend(r.headers.iter().cloned());
        HttpExchange {
            request_headers: headers,
            request_body: r.body.as_ref().map(|b| b.clone().into_bytes()),
            response_headers: None,
            response_body: None,
            source_address: r.source_address.clone(),
            destination_address: r.destination_address.clone(),
        }
    }

    /// Set the upstream response (for the response phase).
    pub fn set_response(&mut self, r: &Response) {
        let mut headers = vec![(":status".to_string(), r.status.to_string())];
        headers.extend(r.headers.iter().cloned());
        self.response_headers = Some(headers);
        self.response_body = Some(r.body.clone().into_bytes());
    }
}

/// A change a plugin made to a header map.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum HeaderChange {
    /// A header that was not there.
    Added {
        /// Name.
        name: String,
        /// Value(s), comma-joined.
        value: String,
    },
    /// A header that is gone.
    Removed {
        /// Name.
        name: String,
    },
    /// A header whose value changed.
    Changed {
        /// Name.
        name: String,
        /// Before.
        from: String,
        /// After.
        to: String,
    },
}

fn diff(before: &[(String, String)], after: &[(String, String)]) -> Vec<HeaderChange> {
    fn joined(m: &[(String, String)]) -> BTreeMap<String, String> {
        let mut out: BTreeMap<String, String> = BTreeMap::new();
        for (k, v) in m {
            out.entry(k.to_ascii_lowercase())
                .and_modify(|e| {
                    e.push(',');
                    e.push_str(v);
                })
                .or_insert_with(|| v.clone());
        }
        out
    }
    let (b, a) = (joined(before), joined(after));
    let mut changes = Vec::new();
    for (k, v) in &a {
        match b.get(k) {
            None => changes.push(HeaderChange::Added {
                name: k.clone(),
                value: v.clone(),
            }),
            Some(old) if old != v => changes.push(HeaderChange::Changed {
                name: k.clone(),
                from: old.clone(),
                to: v.clone(),
            }),
            _ => {}
        }
    }
    for k in b.keys() {
        if !a.contains_key(k) {
            changes.push(HeaderChange::Removed { name: k.clone() });
        }
    }
    changes
}

/// What one plugin did in one phase.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum StepOutcome {
    /// The stream goes on, with these header changes.
    Continue {
        /// Changes to the headers of this phase.
        header_changes: Vec<HeaderChange>,
    },
    /// The plugin answered the request itself; the chain stops.
    LocalReply(LocalReply),
    /// The plugin returned StopIteration and nothing resumed the stream.
    Paused {
        /// The cluster of an HTTP/gRPC call that never answers, if the plugin waits on one.
        waiting_on: Option<String>,
    },
    /// The plugin crashed; Envoy fails the VM.
    Crashed {
        /// The callback.
        phase: &'static str,
        /// How.
        fault: Fault,
    },
}

/// One plugin in one phase: outcome and everything observed.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Step {
    /// The plugin (its `plugin_name`).
    pub plugin: String,
    /// `request`, `response` or `log`.
    pub phase: &'static str,
    /// What it did.
    pub outcome: StepOutcome,
    /// The actions its header callback returned (0 Continue, 1 StopIteration).
    pub action: Option<i32>,
    /// Captured log lines.
    pub logs: Vec<LogLine>,
    /// Log lines dropped over the per-callback limit.
    pub logs_dropped: u32,
    /// Fuel used by all callbacks of the step.
    pub fuel_used: u64,
    /// HTTP calls dispatched.
    pub http_calls: Vec<HttpCallRecord>,
    /// gRPC calls opened.
    pub grpc_calls: Vec<GrpcCallRecord>,
    /// `proxy_set_property` calls (dotted path, value lossy UTF-8).
    pub properties_set: Vec<(String, String)>,
    /// Whether the plugin called `proxy_clear_route_cache`.
    pub route_cache_cleared: bool,
}

enum Which {
    Request,
    Response,
}

impl PluginVm {
    /// The plugin name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The module's ABI.
    pub fn abi(&self) -> AbiVersion {
        self.abi
    }

    /// Metrics defined so far.
    pub fn metrics(&self) -> Vec<MetricRecord> {
        self.vm_ref().metrics.clone()
    }

    fn vm_ref(&self) -> &HostState {
        self.vm.host_ref()
    }

    /// The tick period the plugin asked for (ticks are never fired).
    pub fn tick_period_ms(&self) -> Option<u32> {
        self.vm_ref().tick_period_ms
    }

    /// Shared data keys and values (lossy UTF-8) of this VM.
    pub fn shared_data(&self) -> Vec<(String, String)> {
        self.vm_ref()
            .shared
            .iter()
            .map(|(k, (v, _))| {
                (
                    String::from_utf8_lossy(k).into_owned(),
                    String::from_utf8_lossy(v).into_owned(),
                )
            })
            .collect()
    }

    fn new_step(&self, phase: &'static str) -> Step {
        Step {
            plugin: self.name.clone(),
            phase,
            outcome: StepOutcome::Continue {
                header_changes: Vec::new(),
            },
            action: None,
            logs: Vec::new(),
            logs_dropped: 0,
            fuel_used: 0,
            http_calls: Vec::new(),
            grpc_calls: Vec::new(),
            properties_set: Vec::new(),
            route_cache_cleared: false,
        }
    }

    /// Run one callback if exported; logs and fuel go to `step`.
    fn invoke(
        &mut self,
        step: &mut Step,
        phase: &'static str,
        context: u32,
        args: &[i32],
    ) -> Result<Option<i32>, Fault> {
        if !self.compiled.exports(phase) {
            return Ok(None);
        }
        let st = self.vm.host();
        st.phase = phase;
        st.effective = context;
        st.logs_dropped = 0;
        let r = self.vm.call(phase, args, self.fuel);
        step.fuel_used += self.vm.last_fuel;
        let st = self.vm.host();
        step.logs.append(&mut st.logs);
        step.logs_dropped += st.logs_dropped;
        st.logs_dropped = 0;
        if let Err(f) = &r {
            self.failed = Some(format!("{phase}: {f}"));
        }
        r
    }

    fn collect(&mut self, step: &mut Step) {
        let st = self.vm.host();
        step.http_calls.append(&mut st.http_calls);
        step.grpc_calls.append(&mut st.grpc_calls);
        let from = self.props_at_phase.min(st.properties_set.len());
        step.properties_set.extend(
            st.properties_set[from..]
                .iter()
                .map(|(k, v)| (k.clone(), String::from_utf8_lossy(v).into_owned())),
        );
        self.props_at_phase = st.properties_set.len();
        step.route_cache_cleared |= std::mem::take(&mut st.route_cache_cleared);
    }

    fn ensure_stream(&mut self, ex: &HttpExchange, step: &mut Step) -> Result<u32, Fault> {
        if let Some(s) = &self.vm.host().stream {
            return Ok(s.id);
        }
        let id = self.next_context;
        self.next_context += 1;
        self.props_at_stream = self.vm.host().properties_set.len();
        self.vm.host().stream = Some(StreamState {
            id,
            source_address: ex.source_address.clone(),
            destination_address: ex.destination_address.clone(),
            ..StreamState::default()
        });
        self.invoke(
            step,
            "proxy_on_context_create",
            ROOT_ID,
            &[id as i32, ROOT_ID as i32],
        )?;
        Ok(id)
    }

    fn sync_in(&mut self, ex: &HttpExchange) {
        let bytes = |m: &[(String, String)]| -> Vec<(Vec<u8>, Vec<u8>)> {
            m.iter()
                .map(|(k, v)| (k.clone().into_bytes(), v.clone().into_bytes()))
                .collect()
        };
        if let Some(s) = self.vm.host().stream.as_mut() {
            s.request_headers = bytes(&ex.request_headers);
            s.request_body = ex.request_body.clone();
            s.response_headers = ex.response_headers.as_deref().map(bytes);
            s.response_body = ex.response_body.clone();
        }
    }

    fn sync_out(&mut self, ex: &mut HttpExchange) {
        let strings = |m: &[(Vec<u8>, Vec<u8>)]| -> Vec<(String, String)> {
            m.iter()
                .map(|(k, v)| {
                    (
                        String::from_utf8_lossy(k).into_owned(),
                        String::from_utf8_lossy(v).into_owned(),
                    )
                })
                .collect()
        };
        if let Some(s) = self.vm.host().stream.as_ref() {
            ex.request_headers = strings(&s.request_headers);
            ex.request_body = s.request_body.clone();
            ex.response_headers = s.response_headers.as_deref().map(strings);
            ex.response_body = s.response_body.clone();
        }
    }

    fn phase(&mut self, ex: &mut HttpExchange, mocks: &Mocks, which: Which) -> Step {
        let label = match which {
            Which::Request => "request",
            Which::Response => "response",
        };
        let mut step = self.new_step(label);
        if let Some(why) = &self.failed {
            step.outcome = StepOutcome::Crashed {
                phase: "proxy_on_context_create",
                fault: Fault::Trap {
                    message: format!("the VM failed earlier ({why}); Envoy does not run it again"),
                },
            };
            return step;
        }
        {
            let st = self.vm.host();
            st.mocks = mocks.clone();
            st.local_reply = None;
            st.continued = false;
            st.closed = false;
            st.pending.clear();
            self.props_at_phase = st.properties_set.len();
        }
        let before = match which {
            Which::Request => ex.request_headers.clone(),
            Which::Response => ex.response_headers.clone().unwrap_or_default(),
        };
        let result = self.run_phase(ex, &which, &mut step);
        self.collect(&mut step);
        self.sync_out(ex);
        step.outcome = match result {
            Err((phase, fault)) => StepOutcome::Crashed { phase, fault },
            Ok((action, waiting)) => {
                let st = self.vm.host();
                if let Some(reply) = st.local_reply.take() {
                    StepOutcome::LocalReply(reply)
                } else if action == Some(1) && !st.continued {
                    StepOutcome::Paused {
                        waiting_on: waiting,
                    }
                } else {
                    let after = match which {
                        Which::Request => ex.request_headers.clone(),
                        Which::Response => ex.response_headers.clone().unwrap_or_default(),
                    };
                    StepOutcome::Continue {
                        header_changes: diff(&before, &after),
                    }
                }
            }
        };
        step
    }

    #[allow(clippy::type_complexity)]
    fn run_phase(
        &mut self,
        ex: &mut HttpExchange,
        which: &Which,
        step: &mut Step,
    ) -> Result<(Option<i32>, Option<String>), (&'static str, Fault)> {
        let id = self
            .ensure_stream(ex, step)
            .map_err(|f| ("proxy_on_context_create", f))?;
        self.sync_in(ex);
        let (headers_cb, body_cb, n, body) = match which {
            Which::Request => (
                "proxy_on_request_headers",
                "proxy_on_request_body",
                ex.request_headers.len(),
                ex.request_body.as_ref().map(Vec::len),
            ),
            Which::Response => (
                "proxy_on_response_headers",
                "proxy_on_response_body",
                ex.response_headers.as_ref().map_or(0, Vec::len),
                ex.response_body
                    .as_ref()
                    .map(Vec::len)
                    .filter(|len| *len > 0),
            ),
        };
        let eos = i32::from(body.is_none());
        let args: Vec<i32> = if self.abi == AbiVersion::V0_1_0 {
            vec![id as i32, n as i32]
        } else {
            vec![id as i32, n as i32, eos]
        };
        let mut action = self
            .invoke(step, headers_cb, id, &args)
            .map_err(|f| (headers_cb, f))?;
        step.action = action;
        let waiting = self
            .deliver_calls(step)
            .map_err(|f| ("proxy_on_http_call_response", f))?;
        let st = self.vm.host();
        let stopped = st.local_reply.is_some() || (action == Some(1) && !st.continued);
        if !stopped && let Some(len) = body {
            let a = self
                .invoke(step, body_cb, id, &[id as i32, len as i32, 1])
                .map_err(|f| (body_cb, f))?;
            if a.is_some() {
                action = a;
            }
            self.deliver_calls(step)
                .map_err(|f| ("proxy_on_http_call_response", f))?;
        }
        Ok((action, waiting))
    }

    /// Deliver the answers of mocked HTTP calls (at most [`MAX_CALL_ANSWERS`] per phase, so a
    /// plugin that calls again from every answer stops); the cluster of a call still waiting.
    fn deliver_calls(&mut self, step: &mut Step) -> Result<Option<String>, Fault> {
        let mut waiting = None;
        for _ in 0..MAX_CALL_ANSWERS {
            let st = self.vm.host();
            if st.local_reply.is_some() || st.pending.is_empty() {
                break;
            }
            let p = st.pending.remove(0);
            let mock = st.mocks.get(&p.cluster).cloned();
            match (mock, p.grpc) {
                (
                    Some(MockUpstream::Respond {
                        status,
                        headers,
                        body,
                    }),
                    false,
                ) => {
                    let mut h = vec![(b":status".to_vec(), status.to_string().into_bytes())];
                    h.extend(
                        headers
                            .iter()
                            .map(|(k, v)| (k.clone().into_bytes(), v.clone().into_bytes())),
                    );
                    if let Some(rec) = st.http_calls.get_mut(p.record) {
                        rec.answered = Some(status);
                    }
                    let (nh, nb) = (h.len() as i32, body.len() as i32);
                    st.call_response = Some(abi::CallResponse {
                        headers: h,
                        body: body.into_bytes(),
                        trailers: Vec::new(),
                    });
                    let r = self.invoke(
                        step,
                        "proxy_on_http_call_response",
                        ROOT_ID,
                        &[ROOT_ID as i32, p.token as i32, nh, nb, 0],
                    );
                    self.vm.host().call_response = None;
                    r?;
                }
                _ => waiting = Some(p.cluster),
            }
        }
        Ok(waiting)
    }

    /// Run the request phase of a stream: create the stream context (id 2, 3, ...) if this
    /// exchange has none yet, `proxy_on_request_headers`, then `proxy_on_request_body` when the
    /// request has a body and the plugin continued. Mocked HTTP calls are answered after the
    /// callback that dispatched them.
    pub fn request(&mut self, ex: &mut HttpExchange, mocks: &Mocks) -> Step {
        self.phase(ex, mocks, Which::Request)
    }

    /// Run the response phase (`proxy_on_response_headers`, then `proxy_on_response_body` for a
    /// non-empty body) of the stream [`PluginVm::request`] opened.
    pub fn response(&mut self, ex: &mut HttpExchange, mocks: &Mocks) -> Step {
        self.phase(ex, mocks, Which::Response)
    }

    /// End the stream: `proxy_on_log`, `proxy_on_done`, `proxy_on_delete`.
    pub fn finish(&mut self) -> Step {
        let mut step = self.new_step("log");
        let Some(id) = self.vm.host().stream.as_ref().map(|s| s.id) else {
            return step;
        };
        if self.failed.is_none() {
            for cb in ["proxy_on_log", "proxy_on_done", "proxy_on_delete"] {
                if let Err(fault) = self.invoke(&mut step, cb, id, &[id as i32]) {
                    step.outcome = StepOutcome::Crashed { phase: cb, fault };
                    break;
                }
            }
        }
        self.collect(&mut step);
        let st = self.vm.host();
        // Properties set by the stream end with it.
        st.properties_set.truncate(self.props_at_stream);
        self.props_at_phase = st.properties_set.len();
        st.stream = None;
        st.effective = ROOT_ID;
        step
    }
}

/// The most HTTP call answers delivered to one plugin in one phase.
pub const MAX_CALL_ANSWERS: usize = 64;

/// Where the final response of a replay came from.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ResponseSource {
    /// The (synthesized) upstream.
    Upstream,
    /// A plugin's local reply.
    LocalReply {
        /// The plugin.
        plugin: String,
    },
    /// No response: a plugin paused the stream.
    Paused {
        /// The plugin.
        plugin: String,
        /// The cluster it waits on.
        waiting_on: Option<String>,
    },
    /// No response: a plugin crashed (Envoy fails the VM and the request).
    Crashed {
        /// The plugin.
        plugin: String,
    },
}

/// The response a client would get.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FinalResponse {
    /// Where it came from.
    pub source: ResponseSource,
    /// `:status`, when there is a response.
    pub status: Option<u32>,
    /// Headers.
    pub headers: Vec<(String, String)>,
    /// Body (lossy UTF-8).
    pub body: String,
}

/// A request replayed through a chain.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Replay {
    /// Every plugin step, in the order they ran.
    pub steps: Vec<Step>,
    /// The request headers as they reached the upstream (`None` when it never did).
    pub upstream_request: Option<Vec<(String, String)>>,
    /// The request body as it reached the upstream (lossy UTF-8), when there was one.
    pub upstream_request_body: Option<String>,
    /// What the client gets.
    pub response: FinalResponse,
}

/// [`replay_with`] and the default upstream response (200, empty body).
pub fn replay(chain: &mut [PluginVm], request: Request, mocks: &Mocks) -> Replay {
    replay_with(chain, request, mocks, &Response::default())
}

/// Replay `request` through `chain`: request headers (and body) through every plugin in order,
/// stopping at a local reply, a pause or a crash; then `upstream` and its response headers
/// through the chain in reverse order (Envoy's encoder path); then every plugin's log, done and
/// delete callbacks.
pub fn replay_with(
    chain: &mut [PluginVm],
    request: Request,
    mocks: &Mocks,
    upstream: &Response,
) -> Replay {
    let mut ex = HttpExchange::new(&request);
    let mut steps = Vec::new();
    let mut response = None;
    let mut ran = 0;
    for vm in chain.iter_mut() {
        ran += 1;
        let step = vm.request(&mut ex, mocks);
        let stop = stop_of(&step);
        steps.push(step);
        if let Some(source) = stop {
            response = Some(final_of(source, steps.last()));
            break;
        }
    }
    let upstream_request = response.is_none().then(|| ex.request_headers.clone());
    let upstream_request_body = if response.is_none() {
        ex.request_body
            .as_deref()
            .map(|b| String::from_utf8_lossy(b).into_owned())
    } else {
        None
    };
    if response.is_none() {
        ex.set_response(upstream);
        for vm in chain.iter_mut().rev() {
            let step = vm.response(&mut ex, mocks);
            let stop = stop_of(&step);
            steps.push(step);
            if let Some(source) = stop {
                response = Some(final_of(source, steps.last()));
                break;
            }
        }
    }
    let response = response.unwrap_or_else(|| {
        let headers = ex.response_headers.clone().unwrap_or_default();
        let status = headers
            .iter()
            .find(|(k, _)| k == ":status")
            .and_then(|(_, v)| v.parse().ok());
        FinalResponse {
            source: ResponseSource::Upstream,
            status,
            headers: headers
                .into_iter()
                .filter(|(k, _)| k != ":status")
                .collect(),
            body: String::from_utf8_lossy(ex.response_body.as_deref().unwrap_or_default())
                .into_owned(),
        }
    });
    for vm in chain.iter_mut().take(ran) {
        let step = vm.finish();
        if !step.logs.is_empty() || !matches!(step.outcome, StepOutcome::Continue { .. }) {
            steps.push(step);
        }
    }
    Replay {
        steps,
        upstream_request,
        upstream_request_body,
        response,
    }
}

fn stop_of(step: &Step) -> Option<ResponseSource> {
    match &step.outcome {
        StepOutcome::Continue { .. } => None,
        StepOutcome::LocalReply(_) => Some(ResponseSource::LocalReply {
            plugin: step.plugin.clone(),
        }),
        StepOutcome::Paused { waiting_on } => Some(ResponseSource::Paused {
            plugin: step.plugin.clone(),
            waiting_on: waiting_on.clone(),
        }),
        StepOutcome::Crashed { .. } => Some(ResponseSource::Crashed {
            plugin: step.plugin.clone(),
        }),
    }
}

fn final_of(source: ResponseSource, step: Option<&Step>) -> FinalResponse {
    match step.map(|s| &s.outcome) {
        Some(StepOutcome::LocalReply(r)) => FinalResponse {
            source,
            status: Some(r.status),
            headers: r.headers.clone(),
            body: r.body.clone(),
        },
        _ => FinalResponse {
            source,
            status: None,
            headers: Vec::new(),
            body: String::new(),
        },
    }
}

/// Drive one host function with arbitrary arguments over a plain memory (`memory`), the seam the
/// `host_calls` fuzz target uses: `index` picks the function among every env and WASI function,
/// `args` are its arguments. Never panics; returns what the function returned, or `None` when it
/// aborted (proc_exit, ...).
#[doc(hidden)]
pub fn fuzz_host_call(index: usize, args: &[i64], memory: Vec<u8>, in_stream: bool) -> Option<i64> {
    let names = engine::known_names();
    let name = names[index % names.len()];
    let module = if name.starts_with("proxy_")
        || name == "pthread_equal"
        || name == "emscripten_notify_memory_growth"
    {
        abi::Module::Env
    } else {
        abi::Module::Wasi
    };
    let mut st = HostState::new(
        AbiVersion::V0_2_1,
        crate::artifact::wasm::WasiSet::Full,
        "ns.plugin".into(),
        "ns.plugin".into(),
        String::new(),
        b"{}".to_vec(),
        vec![("A".into(), "b".into())],
        BTreeMap::new(),
        1,
    );
    st.config_visible = true;
    if in_stream {
        st.stream = Some(StreamState {
            id: 2,
            request_headers: vec![(b":path".to_vec(), b"/".to_vec())],
            request_body: Some(b"body".to_vec()),
            ..StreamState::default()
        });
        st.effective = 2;
    }
    st.mocks.insert("up".into(), MockUpstream::Hang);
    let next = (memory.len() / 2) as u32;
    let mut g = abi::PlainGuest {
        state: &mut st,
        memory,
        next,
    };
    abi::call(&mut g, module, name, args).ok().flatten()
}
