//! The host side of every import: what Envoy (proxy-wasm-cpp-host `src/exports.cc` and Envoy's
//! `source/extensions/common/wasm/context.cc`) answers to each `env.proxy_*` and WASI call.
//!
//! Nothing here knows the engine: guest memory and the guest allocator are reached through
//! [`Guest`], so the same code runs under wasmi and under the plain-memory seam the fuzz target
//! and the unit tests drive.

use super::pairs;
use super::{
    Fault, GrpcCallRecord, HttpCallRecord, LocalReply, LogLevel, LogLine, MetricRecord,
    MockUpstream,
};
use crate::artifact::wasm::{AbiVersion, WasiSet};
use std::collections::{BTreeMap, VecDeque};

/// proxy-wasm `WasmResult` codes.
pub(crate) mod status {
    pub const OK: i64 = 0;
    pub const NOT_FOUND: i64 = 1;
    pub const BAD_ARGUMENT: i64 = 2;
    pub const INVALID_MEMORY_ACCESS: i64 = 6;
    pub const EMPTY: i64 = 7;
    pub const CAS_MISMATCH: i64 = 8;
    pub const UNIMPLEMENTED: i64 = 12;
}

/// WASI errno values cpp-host returns.
mod errno {
    pub const SUCCESS: i64 = 0;
    pub const BADF: i64 = 8;
    pub const FAULT: i64 = 21;
    pub const INVAL: i64 = 28;
    pub const NOENT: i64 = 44;
    pub const NOSYS: i64 = 52;
    pub const NOTDIR: i64 = 20;
    pub const NOTSUP: i64 = 58;
}

/// 2026-01-01T00:00:00Z in nanoseconds: the fixed wall clock.
pub const CLOCK_START_NS: u64 = 1_767_225_600_000_000_000;
/// How far the clocks advance at every read.
const CLOCK_STEP_NS: u64 = 1_000;
/// cpp-host `PROXY_WASM_HOST_WASI_RANDOM_GET_MAX_SIZE_BYTES`.
const RANDOM_GET_MAX: u64 = 64 * 1024;
/// Root context id: Envoy gives the first context of a VM id 1.
pub(crate) const ROOT_ID: u32 = 1;

/// The host calls cpp-host allows while `_initialize` / `_start` / `main` run (`wasm.cc`,
/// `startVm`); any other host call traps with `restricted_callback`.
const START_ALLOWED: &[&str] = &[
    "env.emscripten_notify_memory_growth",
    "env.proxy_log",
    "fd_write",
    "args_sizes_get",
    "args_get",
    "environ_sizes_get",
    "environ_get",
    "clock_time_get",
    "clock_res_get",
    "random_get",
    "poll_oneoff",
    "fd_fdstat_get",
    "fd_fdstat_set_flags",
    "fd_advise",
    "fd_allocate",
    "fd_datasync",
    "fd_fdstat_set_rights",
    "fd_filestat_get",
    "fd_filestat_set_size",
    "fd_filestat_set_times",
    "fd_pread",
    "fd_prestat_dir_name",
    "fd_prestat_get",
    "fd_pwrite",
    "fd_readdir",
    "fd_renumber",
    "fd_sync",
    "fd_tell",
    "path_create_directory",
    "path_filestat_get",
    "path_filestat_set_times",
    "path_link",
    "path_readlink",
    "path_remove_directory",
    "path_rename",
    "path_symlink",
    "path_unlink_file",
    "sock_accept",
    "sock_recv",
    "sock_send",
    "sock_shutdown",
];

/// Why a host call ends the guest's execution instead of returning.
#[derive(Debug, Clone)]
pub(crate) enum Abort {
    /// `proc_exit(code)`.
    Exit(i32),
    /// A host call cpp-host does not allow in this phase (`restricted_callback`).
    Restricted(String),
    /// A nested guest call (the allocator) failed.
    Guest(Fault),
}

/// Guest memory and allocator, as the host calls see them.
pub(crate) trait Guest {
    /// The host state.
    fn st(&mut self) -> &mut HostState;
    /// `len` bytes at `ptr`, or `None` when any of them is outside memory.
    fn read(&mut self, ptr: u64, len: u64) -> Option<Vec<u8>>;
    /// Write `data` at `ptr`; `false` (and nothing written) when it does not fit.
    fn write(&mut self, ptr: u64, data: &[u8]) -> bool;
    /// Call the guest's `malloc` / `proxy_on_memory_allocate`: `None` when it returns 0 or there
    /// is no allocator.
    fn alloc(&mut self, size: u32) -> Result<Option<u32>, Abort>;
}

/// One header map as Envoy keeps it: ordered, keys as given (lower-cased when set through the
/// ABI).
pub(crate) type Map = Vec<(Vec<u8>, Vec<u8>)>;

/// The HTTP stream a plugin is working on.
#[derive(Debug, Default, Clone)]
pub(crate) struct StreamState {
    pub id: u32,
    pub request_headers: Map,
    pub request_trailers: Option<Map>,
    pub request_body: Option<Vec<u8>>,
    pub response_headers: Option<Map>,
    pub response_trailers: Option<Map>,
    pub response_body: Option<Vec<u8>>,
    pub source_address: String,
    pub destination_address: String,
}

/// The answer to an HTTP call being delivered through `proxy_on_http_call_response`.
#[derive(Debug, Default, Clone)]
pub(crate) struct CallResponse {
    pub headers: Map,
    pub body: Vec<u8>,
    pub trailers: Map,
}

/// An HTTP call dispatched and not answered yet.
#[derive(Debug, Clone)]
pub(crate) struct Pending {
    pub token: u32,
    pub cluster: String,
    /// Index in `HostState::http_calls` (or `grpc_calls` when `grpc`).
    pub record: usize,
    pub grpc: bool,
}

/// Per-VM host state: what the plugin was given and everything it did.
pub(crate) struct HostState {
    pub abi: AbiVersion,
    pub wasi: WasiSet,
    pub plugin_name: String,
    pub root_id: String,
    pub vm_id: String,
    pub config: Vec<u8>,
    pub env: Vec<(String, String)>,
    pub node_metadata: BTreeMap<String, String>,
    pub log_level: u32,
    pub max_log_lines: usize,
    pub max_log_line_bytes: usize,

    /// The callback running (`proxy_on_request_headers`, `_initialize`, ...).
    pub phase: &'static str,
    /// Only [`START_ALLOWED`] host calls are allowed (during start).
    pub restricted: bool,
    /// The plugin configuration buffer is readable (`on_vm_start` / `on_configure`).
    pub config_visible: bool,
    pub effective: u32,
    pub stream: Option<StreamState>,
    pub call_response: Option<CallResponse>,

    pub logs: Vec<LogLine>,
    pub logs_dropped: u32,
    pub local_reply: Option<LocalReply>,
    pub continued: bool,
    pub closed: bool,
    pub route_cache_cleared: bool,
    pub properties_set: Vec<(String, Vec<u8>)>,
    pub http_calls: Vec<HttpCallRecord>,
    pub grpc_calls: Vec<GrpcCallRecord>,
    pub pending: Vec<Pending>,
    pub mocks: BTreeMap<String, MockUpstream>,
    pub next_token: u32,

    pub shared: BTreeMap<Vec<u8>, (Vec<u8>, u32)>,
    pub queues: Vec<(String, String, VecDeque<Vec<u8>>)>,
    pub metrics: Vec<MetricRecord>,
    pub tick_period_ms: Option<u32>,
    pub realtime_ns: u64,
    pub monotonic_ns: u64,
    pub rng: u64,
    /// `memory.grow` past the cap was refused during this callback.
    pub memory_denied: bool,
    pub max_memory_bytes: usize,
}

impl HostState {
    /// A fresh state.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        abi: AbiVersion,
        wasi: WasiSet,
        plugin_name: String,
        root_id: String,
        vm_id: String,
        config: Vec<u8>,
        env: Vec<(String, String)>,
        node_metadata: BTreeMap<String, String>,
        seed: u64,
    ) -> HostState {
        HostState {
            abi,
            wasi,
            plugin_name,
            root_id,
            vm_id,
            config,
            env,
            node_metadata,
            log_level: LogLevel::Info as u32,
            max_log_lines: 200,
            max_log_line_bytes: 4096,
            phase: "instantiate",
            restricted: false,
            config_visible: false,
            effective: ROOT_ID,
            stream: None,
            call_response: None,
            logs: Vec::new(),
            logs_dropped: 0,
            local_reply: None,
            continued: false,
            closed: false,
            route_cache_cleared: false,
            properties_set: Vec::new(),
            http_calls: Vec::new(),
            grpc_calls: Vec::new(),
            pending: Vec::new(),
            mocks: BTreeMap::new(),
            next_token: 1,
            shared: BTreeMap::new(),
            queues: Vec::new(),
            metrics: Vec::new(),
            tick_period_ms: None,
            realtime_ns: CLOCK_START_NS,
            monotonic_ns: 0,
            rng: seed,
            memory_denied: false,
            max_memory_bytes: 256 << 20,
        }
    }

    /// Capture one log line, within the per-callback bounds.
    pub fn log(&mut self, level: LogLevel, source: &'static str, message: &[u8]) {
        if self.logs.len() >= self.max_log_lines {
            self.logs_dropped += 1;
            return;
        }
        let truncated = message.len() > self.max_log_line_bytes;
        let mut text =
            String::from_utf8_lossy(&message[..message.len().min(self.max_log_line_bytes)])
                .into_owned();
        if truncated {
            text.push_str(&format!(" [truncated {} bytes]", message.len()));
        }
        self.logs.push(LogLine {
            level,
            source,
            phase: self.phase,
            message: text,
        });
    }

    fn next_random(&mut self) -> u64 {
        // splitmix64: deterministic for a seed.
        self.rng = self.rng.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.rng;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn in_stream(&self) -> bool {
        self.stream.as_ref().is_some_and(|s| s.id == self.effective)
    }

    fn map(&self, ty: i64) -> Option<&Map> {
        match ty {
            0..=3 if !self.in_stream() => None,
            0 => self.stream.as_ref().map(|s| &s.request_headers),
            1 => self.stream.as_ref()?.request_trailers.as_ref(),
            2 => self.stream.as_ref()?.response_headers.as_ref(),
            3 => self.stream.as_ref()?.response_trailers.as_ref(),
            6 => self.call_response.as_ref().map(|r| &r.headers),
            7 => self.call_response.as_ref().map(|r| &r.trailers),
            _ => None,
        }
    }

    fn map_mut(&mut self, ty: i64) -> Option<&mut Map> {
        if (0..=3).contains(&ty) && !self.in_stream() {
            return None;
        }
        match ty {
            0 => self.stream.as_mut().map(|s| &mut s.request_headers),
            1 => self.stream.as_mut()?.request_trailers.as_mut(),
            2 => self.stream.as_mut()?.response_headers.as_mut(),
            3 => self.stream.as_mut()?.response_trailers.as_mut(),
            6 => self.call_response.as_mut().map(|r| &mut r.headers),
            7 => self.call_response.as_mut().map(|r| &mut r.trailers),
            _ => None,
        }
    }

    fn buffer(&self, ty: i64) -> Option<&[u8]> {
        match ty {
            0 if self.in_stream() => self.stream.as_ref()?.request_body.as_deref(),
            1 if self.in_stream() => self.stream.as_ref()?.response_body.as_deref(),
            4 => self.call_response.as_ref().map(|r| r.body.as_slice()),
            6 if self.config_visible => Some(&[]),
            7 if self.config_visible => Some(&self.config),
            _ => None,
        }
    }

    fn property(&self, path: &[u8]) -> Option<Vec<u8>> {
        let mut segs: Vec<&[u8]> = path.split(|b| *b == 0).collect();
        while segs.last().is_some_and(|s| s.is_empty()) {
            segs.pop();
        }
        let segs: Vec<String> = segs
            .iter()
            .map(|s| String::from_utf8_lossy(s).into_owned())
            .collect();
        let segs: Vec<&str> = segs.iter().map(String::as_str).collect();
        let header = |name: &str| -> Option<Vec<u8>> {
            let s = self.stream.as_ref()?;
            s.request_headers
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(name.as_bytes()))
                .map(|(_, v)| v.clone())
        };
        match segs.as_slice() {
            ["plugin_name"] => Some(self.plugin_name.clone().into_bytes()),
            ["plugin_root_id"] => Some(self.root_id.clone().into_bytes()),
            ["plugin_vm_id"] => Some(self.vm_id.clone().into_bytes()),
            ["node", "metadata", key] => {
                self.node_metadata.get(*key).map(|v| v.clone().into_bytes())
            }
            ["request", "path"] => header(":path"),
            ["request", "url_path"] => header(":path").map(|p| {
                let end = p.iter().position(|b| *b == b'?').unwrap_or(p.len());
                p[..end].to_vec()
            }),
            ["request", "method"] => header(":method"),
            ["request", "host"] => header(":authority"),
            ["request", "scheme"] => header(":scheme"),
            ["request", "id"] => header("x-request-id"),
            ["request", "protocol"] => self.stream.as_ref().map(|_| b"HTTP/1.1".to_vec()),
            ["request", "headers"] => self
                .stream
                .as_ref()
                .map(|s| pairs::encode(&s.request_headers)),
            ["request", "headers", name] => header(name),
            ["response", "code"] => {
                let s = self.stream.as_ref()?;
                let code = s
                    .response_headers
                    .as_ref()?
                    .iter()
                    .find(|(k, _)| k == b":status")
                    .and_then(|(_, v)| std::str::from_utf8(v).ok()?.parse::<i64>().ok())?;
                Some(code.to_le_bytes().to_vec())
            }
            ["source", "address"] => self
                .stream
                .as_ref()
                .map(|s| s.source_address.clone().into_bytes()),
            ["destination", "address"] => self
                .stream
                .as_ref()
                .map(|s| s.destination_address.clone().into_bytes()),
            _ => {
                let joined = segs.join(".");
                self.properties_set
                    .iter()
                    .rev()
                    .find(|(k, _)| *k == joined)
                    .map(|(_, v)| v.clone())
            }
        }
    }
}

fn lower(b: &[u8]) -> Vec<u8> {
    b.to_ascii_lowercase()
}

/// Which import module a call came through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Module {
    Env,
    Wasi,
}

fn write_u32(g: &mut dyn Guest, ptr: i64, v: u32) -> bool {
    g.write(ptr as u32 as u64, &v.to_le_bytes())
}

fn write_u64(g: &mut dyn Guest, ptr: i64, v: u64) -> bool {
    g.write(ptr as u32 as u64, &v.to_le_bytes())
}

fn read(g: &mut dyn Guest, ptr: i64, len: i64) -> Option<Vec<u8>> {
    g.read(ptr as u32 as u64, len as u32 as u64)
}

/// cpp-host `copyToPointerSize`: allocate in the guest, copy, then write pointer and size.
fn copy_out(g: &mut dyn Guest, value: &[u8], ptr_ptr: i64, size_ptr: i64) -> Result<bool, Abort> {
    let mut pointer = 0u32;
    if !value.is_empty() {
        let Some(p) = g.alloc(value.len() as u32)? else {
            return Ok(false);
        };
        if !g.write(p as u64, value) {
            return Ok(false);
        }
        pointer = p;
    }
    Ok(write_u32(g, ptr_ptr, pointer) && write_u32(g, size_ptr, value.len() as u32))
}

fn copy_status(r: Result<bool, Abort>) -> Result<Option<i64>, Abort> {
    r.map(|ok| {
        Some(if ok {
            status::OK
        } else {
            status::INVALID_MEMORY_ACCESS
        })
    })
}

/// Run the host function `module.name` with the guest's arguments (i32 as their unsigned
/// value, i64 as is). `Ok(None)` for a function without result.
pub(crate) fn call(
    g: &mut dyn Guest,
    module: Module,
    name: &str,
    a: &[i64],
) -> Result<Option<i64>, Abort> {
    let arg = |i: usize| a.get(i).copied().unwrap_or(0);
    if g.st().restricted {
        let allowed = match module {
            Module::Env => START_ALLOWED.contains(&format!("env.{name}").as_str()),
            Module::Wasi => START_ALLOWED.contains(&name),
        };
        if !allowed {
            let m = match module {
                Module::Env => "env",
                Module::Wasi => "wasi_snapshot_preview1",
            };
            return Err(Abort::Restricted(format!("{m}.{name}")));
        }
    }
    match module {
        Module::Env => env(g, name, &arg),
        Module::Wasi => wasi(g, name, &arg),
    }
}

fn env(g: &mut dyn Guest, name: &str, arg: &dyn Fn(usize) -> i64) -> Result<Option<i64>, Abort> {
    use status::*;
    let ok = |s: i64| Ok(Some(s));
    match name {
        "pthread_equal" => ok(i64::from(arg(0) == arg(1))),
        "emscripten_notify_memory_growth" => Ok(None),
        "proxy_log" => {
            let Some(level) = LogLevel::from_code(arg(0)) else {
                return ok(BAD_ARGUMENT);
            };
            let Some(msg) = read(g, arg(1), arg(2)) else {
                return ok(INVALID_MEMORY_ACCESS);
            };
            g.st().log(level, "proxy_log", &msg);
            ok(OK)
        }
        "proxy_get_log_level" => {
            let level = g.st().log_level;
            ok(if write_u32(g, arg(0), level) {
                OK
            } else {
                INVALID_MEMORY_ACCESS
            })
        }
        "proxy_get_status" => {
            // Envoy answers the status of the last gRPC call; none is ever answered here.
            if !write_u32(g, arg(0), 0) {
                return ok(INVALID_MEMORY_ACCESS);
            }
            copy_status(copy_out(g, b"", arg(1), arg(2)))
        }
        "proxy_get_property" => {
            let Some(path) = read(g, arg(0), arg(1)) else {
                return ok(INVALID_MEMORY_ACCESS);
            };
            match g.st().property(&path) {
                None => ok(NOT_FOUND),
                Some(v) => copy_status(copy_out(g, &v, arg(2), arg(3))),
            }
        }
        "proxy_set_property" => {
            let (Some(path), Some(value)) = (read(g, arg(0), arg(1)), read(g, arg(2), arg(3)))
            else {
                return ok(INVALID_MEMORY_ACCESS);
            };
            let key = path
                .split(|b| *b == 0)
                .filter(|s| !s.is_empty())
                .map(|s| String::from_utf8_lossy(s).into_owned())
                .collect::<Vec<_>>()
                .join(".");
            g.st().properties_set.push((key, value));
            ok(OK)
        }
        "proxy_send_local_response" => {
            let details = read(g, arg(1), arg(2));
            let body = read(g, arg(3), arg(4));
            let headers = read(g, arg(5), arg(6));
            let (Some(details), Some(body), Some(headers)) = (details, body, headers) else {
                return ok(INVALID_MEMORY_ACCESS);
            };
            let grpc = arg(7) as u32 as i32;
            let st = g.st();
            st.local_reply = Some(LocalReply {
                status: arg(0) as u32,
                details: String::from_utf8_lossy(&details).into_owned(),
                body: String::from_utf8_lossy(&body).into_owned(),
                body_bytes: body.len(),
                // Envoy's header maps keep names lowercase, so the client sees them so.
                headers: to_strings(&pairs::decode(&headers))
                    .into_iter()
                    .map(|(k, v)| (k.to_ascii_lowercase(), v))
                    .collect(),
                grpc_status: (grpc >= 0).then_some(grpc),
                sent_by_phase: st.phase,
            });
            ok(OK)
        }
        "proxy_get_shared_data" => {
            let Some(key) = read(g, arg(0), arg(1)) else {
                return ok(INVALID_MEMORY_ACCESS);
            };
            let Some((value, cas)) = g.st().shared.get(&key).cloned() else {
                return ok(NOT_FOUND);
            };
            if !copy_out(g, &value, arg(2), arg(3))? || !write_u32(g, arg(4), cas) {
                return ok(INVALID_MEMORY_ACCESS);
            }
            ok(OK)
        }
        "proxy_set_shared_data" => {
            let (Some(key), Some(value)) = (read(g, arg(0), arg(1)), read(g, arg(2), arg(3)))
            else {
                return ok(INVALID_MEMORY_ACCESS);
            };
            let cas = arg(4) as u32;
            let st = g.st();
            let entry = st.shared.entry(key).or_insert((Vec::new(), 0));
            if cas != 0 && entry.1 != 0 && cas != entry.1 {
                return ok(CAS_MISMATCH);
            }
            entry.0 = value;
            entry.1 = entry.1.wrapping_add(1).max(1);
            ok(OK)
        }
        "proxy_register_shared_queue" => {
            let Some(name) = read(g, arg(0), arg(1)) else {
                return ok(INVALID_MEMORY_ACCESS);
            };
            let name = String::from_utf8_lossy(&name).into_owned();
            let st = g.st();
            let vm = st.vm_id.clone();
            let token = match st
                .queues
                .iter()
                .position(|(v, n, _)| *v == vm && *n == name)
            {
                Some(i) => i,
                None => {
                    st.queues.push((vm, name, VecDeque::new()));
                    st.queues.len() - 1
                }
            } as u32
                + 1;
            ok(if write_u32(g, arg(2), token) {
                OK
            } else {
                INVALID_MEMORY_ACCESS
            })
        }
        "proxy_resolve_shared_queue" => {
            let (Some(vm), Some(name)) = (read(g, arg(0), arg(1)), read(g, arg(2), arg(3))) else {
                return ok(INVALID_MEMORY_ACCESS);
            };
            let found = g
                .st()
                .queues
                .iter()
                .position(|(v, n, _)| v.as_bytes() == vm && n.as_bytes() == name);
            match found {
                None => ok(NOT_FOUND),
                Some(i) => ok(if write_u32(g, arg(4), i as u32 + 1) {
                    OK
                } else {
                    INVALID_MEMORY_ACCESS
                }),
            }
        }
        "proxy_enqueue_shared_queue" => {
            let Some(data) = read(g, arg(1), arg(2)) else {
                return ok(INVALID_MEMORY_ACCESS);
            };
            let token = arg(0) as u32 as usize;
            match g.st().queues.get_mut(token.wrapping_sub(1)) {
                None => ok(NOT_FOUND),
                Some(q) => {
                    if q.2.len() < 10_000 {
                        q.2.push_back(data);
                    }
                    ok(OK)
                }
            }
        }
        "proxy_dequeue_shared_queue" => {
            let token = arg(0) as u32 as usize;
            let item = match g.st().queues.get_mut(token.wrapping_sub(1)) {
                None => return ok(NOT_FOUND),
                Some(q) => q.2.pop_front(),
            };
            match item {
                None => ok(EMPTY),
                Some(data) => copy_status(copy_out(g, &data, arg(1), arg(2))),
            }
        }
        "proxy_get_header_map_value" => {
            if !(0..=7).contains(&arg(0)) {
                return ok(BAD_ARGUMENT);
            }
            let Some(key) = read(g, arg(1), arg(2)) else {
                return ok(INVALID_MEMORY_ACCESS);
            };
            let key = lower(&key);
            let st = g.st();
            let v1 = st.abi == AbiVersion::V0_1_0;
            let Some(map) = st.map(arg(0)) else {
                return ok(BAD_ARGUMENT);
            };
            let value = match map.iter().find(|(k, _)| lower(k) == key) {
                Some((_, v)) => v.clone(),
                // ABI 0.1.0 answers a missing header with an empty value.
                None if v1 => Vec::new(),
                None => return ok(NOT_FOUND),
            };
            copy_status(copy_out(g, &value, arg(3), arg(4)))
        }
        "proxy_add_header_map_value" | "proxy_replace_header_map_value" => {
            if !(0..=7).contains(&arg(0)) {
                return ok(BAD_ARGUMENT);
            }
            let (Some(key), Some(value)) = (read(g, arg(1), arg(2)), read(g, arg(3), arg(4)))
            else {
                return ok(INVALID_MEMORY_ACCESS);
            };
            let key = lower(&key);
            let Some(map) = g.st().map_mut(arg(0)) else {
                return ok(BAD_ARGUMENT);
            };
            if name == "proxy_add_header_map_value" {
                map.push((key, value));
            } else {
                match map.iter().position(|(k, _)| lower(k) == key) {
                    Some(i) => {
                        map[i].1 = value;
                        let mut j = i + 1;
                        while j < map.len() {
                            if lower(&map[j].0) == key {
                                map.remove(j);
                            } else {
                                j += 1;
                            }
                        }
                    }
                    None => map.push((key, value)),
                }
            }
            ok(OK)
        }
        "proxy_remove_header_map_value" => {
            if !(0..=7).contains(&arg(0)) {
                return ok(BAD_ARGUMENT);
            }
            let Some(key) = read(g, arg(1), arg(2)) else {
                return ok(INVALID_MEMORY_ACCESS);
            };
            let key = lower(&key);
            let Some(map) = g.st().map_mut(arg(0)) else {
                return ok(BAD_ARGUMENT);
            };
            map.retain(|(k, _)| lower(k) != key);
            ok(OK)
        }
        "proxy_get_header_map_pairs" => {
            if !(0..=7).contains(&arg(0)) {
                return ok(BAD_ARGUMENT);
            }
            let Some(map) = g.st().map(arg(0)) else {
                return ok(BAD_ARGUMENT);
            };
            let data = pairs::encode(map);
            copy_status(copy_out(g, &data, arg(1), arg(2)))
        }
        "proxy_set_header_map_pairs" => {
            if !(0..=7).contains(&arg(0)) {
                return ok(BAD_ARGUMENT);
            }
            let Some(data) = read(g, arg(1), arg(2)) else {
                return ok(INVALID_MEMORY_ACCESS);
            };
            let new = pairs::decode(&data);
            let Some(map) = g.st().map_mut(arg(0)) else {
                return ok(BAD_ARGUMENT);
            };
            for (k, _) in &new {
                let k = lower(k);
                map.retain(|(m, _)| lower(m) != k);
            }
            for (k, v) in new {
                map.push((lower(&k), v));
            }
            ok(OK)
        }
        "proxy_get_header_map_size" => {
            if !(0..=7).contains(&arg(0)) {
                return ok(BAD_ARGUMENT);
            }
            let Some(map) = g.st().map(arg(0)) else {
                return ok(BAD_ARGUMENT);
            };
            let size: usize = map.iter().map(|(k, v)| k.len() + v.len()).sum();
            ok(if write_u32(g, arg(1), size as u32) {
                OK
            } else {
                INVALID_MEMORY_ACCESS
            })
        }
        "proxy_get_buffer_status" => {
            if !(0..=8).contains(&arg(0)) {
                return ok(BAD_ARGUMENT);
            }
            let Some(len) = g.st().buffer(arg(0)).map(<[u8]>::len) else {
                return ok(NOT_FOUND);
            };
            if !write_u32(g, arg(1), len as u32) || !write_u32(g, arg(2), 0) {
                return ok(INVALID_MEMORY_ACCESS);
            }
            ok(OK)
        }
        "proxy_get_buffer_bytes" | "proxy_get_configuration" => {
            let (ty, start, length, pp, sp) = if name == "proxy_get_configuration" {
                (7, 0u64, u32::MAX as u64, arg(0), arg(1))
            } else {
                (
                    arg(0),
                    arg(1) as u32 as u64,
                    arg(2) as u32 as u64,
                    arg(3),
                    arg(4),
                )
            };
            if !(0..=8).contains(&ty) {
                return ok(BAD_ARGUMENT);
            }
            let st = g.st();
            let visible = st.config_visible;
            if name == "proxy_get_configuration" {
                st.config_visible = true;
            }
            let buffer = st.buffer(ty).map(<[u8]>::to_vec);
            g.st().config_visible = visible;
            let Some(buffer) = buffer else {
                return ok(NOT_FOUND);
            };
            let size = buffer.len() as u64;
            let length = if start > size {
                0
            } else {
                length.min(size - start)
            };
            if length == 0 {
                return ok(if write_u32(g, pp, 0) && write_u32(g, sp, 0) {
                    OK
                } else {
                    INVALID_MEMORY_ACCESS
                });
            }
            let slice = &buffer[start as usize..(start + length) as usize];
            copy_status(copy_out(g, slice, pp, sp))
        }
        "proxy_set_buffer_bytes" => {
            let ty = arg(0);
            if !(0..=8).contains(&ty) {
                return ok(BAD_ARGUMENT);
            }
            if g.st().buffer(ty).is_none() {
                return ok(NOT_FOUND);
            }
            let Some(data) = read(g, arg(3), arg(4)) else {
                return ok(INVALID_MEMORY_ACCESS);
            };
            let (start, length) = (arg(1) as u32 as usize, arg(2) as u32 as usize);
            let st = g.st();
            let in_stream = st.in_stream();
            let buf = match ty {
                0 if in_stream => st.stream.as_mut().and_then(|s| s.request_body.as_mut()),
                1 if in_stream => st.stream.as_mut().and_then(|s| s.response_body.as_mut()),
                4 => st.call_response.as_mut().map(|r| &mut r.body),
                // The configuration buffers are read only.
                _ => return ok(UNIMPLEMENTED),
            };
            let Some(buf) = buf else {
                return ok(NOT_FOUND);
            };
            // Envoy's body buffer `copyFrom`: prepend (replacing `length` bytes) at 0, append
            // at or past the end, nothing in between.
            if start == 0 {
                let drain = length.min(buf.len());
                buf.drain(..drain);
                buf.splice(0..0, data);
                ok(OK)
            } else if start >= buf.len() {
                buf.extend_from_slice(&data);
                ok(OK)
            } else {
                ok(BAD_ARGUMENT)
            }
        }
        "proxy_http_call" => {
            let uri = read(g, arg(0), arg(1));
            let headers = read(g, arg(2), arg(3));
            let body = read(g, arg(4), arg(5));
            let trailers = read(g, arg(6), arg(7));
            let (Some(uri), Some(headers), Some(body), Some(trailers)) =
                (uri, headers, body, trailers)
            else {
                return ok(INVALID_MEMORY_ACCESS);
            };
            if !write_u32(g, arg(9), 0) {
                return ok(INVALID_MEMORY_ACCESS);
            }
            let cluster = String::from_utf8_lossy(&uri).into_owned();
            let headers = to_strings(&pairs::decode(&headers));
            let has = |n: &str| headers.iter().any(|(k, _)| k == n);
            let st = g.st();
            let known = st.mocks.contains_key(&cluster);
            let token = st.next_token;
            let result = if !(has(":method") && has(":path") && has(":authority")) {
                // Envoy: a call without :method, :path or :authority is refused.
                BAD_ARGUMENT
            } else if !known {
                // Envoy: no such cluster.
                BAD_ARGUMENT
            } else {
                OK
            };
            st.http_calls.push(HttpCallRecord {
                cluster: cluster.clone(),
                headers,
                body: String::from_utf8_lossy(&body).into_owned(),
                trailers: to_strings(&pairs::decode(&trailers)),
                timeout_ms: arg(8) as u32,
                phase: st.phase,
                result: result as u32,
                token: (result == OK).then_some(token),
                answered: None,
            });
            if result == OK {
                st.next_token += 1;
                let record = st.http_calls.len() - 1;
                st.pending.push(Pending {
                    token,
                    cluster,
                    record,
                    grpc: false,
                });
                write_u32(g, arg(9), token);
            }
            ok(result)
        }
        "proxy_grpc_call" | "proxy_grpc_stream" => {
            let call = name == "proxy_grpc_call";
            let service = read(g, arg(0), arg(1));
            let service_name = read(g, arg(2), arg(3));
            let method = read(g, arg(4), arg(5));
            let metadata = read(g, arg(6), arg(7));
            let message = if call {
                read(g, arg(8), arg(9))
            } else {
                Some(Vec::new())
            };
            let token_ptr = if call { arg(11) } else { arg(8) };
            let (Some(service), Some(service_name), Some(method), Some(metadata), Some(message)) =
                (service, service_name, method, metadata, message)
            else {
                return ok(INVALID_MEMORY_ACCESS);
            };
            if !write_u32(g, token_ptr, 0) {
                return ok(INVALID_MEMORY_ACCESS);
            }
            let cluster = String::from_utf8_lossy(&service).into_owned();
            let st = g.st();
            let token = st.next_token;
            let result = if st.mocks.contains_key(&cluster) {
                OK
            } else {
                BAD_ARGUMENT
            };
            st.grpc_calls.push(GrpcCallRecord {
                cluster: cluster.clone(),
                service: String::from_utf8_lossy(&service_name).into_owned(),
                method: String::from_utf8_lossy(&method).into_owned(),
                metadata: to_strings(&pairs::decode(&metadata)),
                message_bytes: message.len(),
                stream: !call,
                phase: st.phase,
                result: result as u32,
            });
            if result == OK {
                st.next_token += 1;
                let record = st.grpc_calls.len() - 1;
                st.pending.push(Pending {
                    token,
                    cluster,
                    record,
                    grpc: true,
                });
                write_u32(g, token_ptr, token);
            }
            ok(result)
        }
        "proxy_grpc_send" | "proxy_grpc_close" | "proxy_grpc_cancel" => {
            if name == "proxy_grpc_send" && read(g, arg(1), arg(2)).is_none() {
                return ok(INVALID_MEMORY_ACCESS);
            }
            let token = arg(0) as u32;
            let st = g.st();
            match st.pending.iter().position(|p| p.grpc && p.token == token) {
                None => ok(NOT_FOUND),
                Some(i) => {
                    if name != "proxy_grpc_send" {
                        st.pending.remove(i);
                    }
                    ok(OK)
                }
            }
        }
        "proxy_set_tick_period_milliseconds" => {
            g.st().tick_period_ms = Some(arg(0) as u32);
            ok(OK)
        }
        "proxy_get_current_time_nanoseconds" => {
            let st = g.st();
            st.realtime_ns += CLOCK_STEP_NS;
            let now = st.realtime_ns;
            ok(if write_u64(g, arg(0), now) {
                OK
            } else {
                INVALID_MEMORY_ACCESS
            })
        }
        "proxy_define_metric" => {
            let ty = arg(0);
            let Some(mname) = read(g, arg(1), arg(2)) else {
                return ok(INVALID_MEMORY_ACCESS);
            };
            let kind = match ty {
                0 => "counter",
                1 => "gauge",
                2 => "histogram",
                _ => return ok(BAD_ARGUMENT),
            };
            let mname = String::from_utf8_lossy(&mname).into_owned();
            let st = g.st();
            let id = match st
                .metrics
                .iter()
                .position(|m| m.name == mname && m.kind == kind)
            {
                Some(i) => i,
                None => {
                    st.metrics.push(MetricRecord {
                        name: mname,
                        kind,
                        value: 0,
                        records: 0,
                    });
                    st.metrics.len() - 1
                }
            };
            ok(if write_u32(g, arg(3), id as u32) {
                OK
            } else {
                INVALID_MEMORY_ACCESS
            })
        }
        "proxy_increment_metric" | "proxy_record_metric" => {
            let id = arg(0) as u32 as usize;
            let v = arg(1);
            let Some(m) = g.st().metrics.get_mut(id) else {
                return ok(NOT_FOUND);
            };
            match (name, m.kind) {
                ("proxy_increment_metric", "histogram") => return ok(BAD_ARGUMENT),
                ("proxy_increment_metric", _) => m.value = m.value.wrapping_add(v),
                (_, "gauge") => m.value = v,
                (_, "counter") => m.value = m.value.wrapping_add(v),
                _ => m.value = v,
            }
            m.records += 1;
            ok(OK)
        }
        "proxy_get_metric" => {
            let id = arg(0) as u32 as usize;
            let Some(m) = g.st().metrics.get(id) else {
                return ok(NOT_FOUND);
            };
            if m.kind == "histogram" {
                return ok(BAD_ARGUMENT);
            }
            let v = m.value as u64;
            ok(if write_u64(g, arg(1), v) {
                OK
            } else {
                INVALID_MEMORY_ACCESS
            })
        }
        "proxy_set_effective_context" => {
            let id = arg(0) as u32;
            let st = g.st();
            if id == ROOT_ID || st.stream.as_ref().is_some_and(|s| s.id == id) {
                st.effective = id;
                ok(OK)
            } else {
                ok(BAD_ARGUMENT)
            }
        }
        "proxy_done" => ok(OK),
        "proxy_call_foreign_function" => {
            if read(g, arg(0), arg(1)).is_none() || read(g, arg(2), arg(3)).is_none() {
                return ok(INVALID_MEMORY_ACCESS);
            }
            ok(NOT_FOUND)
        }
        "proxy_continue_stream" | "proxy_close_stream" => {
            let ty = arg(0);
            if !(0..=2).contains(&ty) {
                return ok(BAD_ARGUMENT);
            }
            let st = g.st();
            if name == "proxy_continue_stream" {
                st.continued = true;
            } else {
                st.closed = true;
            }
            ok(OK)
        }
        "proxy_continue_request" | "proxy_continue_response" => {
            g.st().continued = true;
            ok(OK)
        }
        "proxy_clear_route_cache" => {
            g.st().route_cache_cleared = true;
            ok(OK)
        }
        _ => ok(UNIMPLEMENTED),
    }
}

fn to_strings(p: &[(Vec<u8>, Vec<u8>)]) -> Vec<(String, String)> {
    p.iter()
        .map(|(k, v)| {
            (
                String::from_utf8_lossy(k).into_owned(),
                String::from_utf8_lossy(v).into_owned(),
            )
        })
        .collect()
}

/// `fd_write` / `fd_pwrite` to stdout or stderr: one log line per call, the trailing newline
/// removed (cpp-host `writevImpl`).
fn writev(g: &mut dyn Guest, fd: i64, iovs: i64, n: i64, nwritten: i64) -> i64 {
    let level = match fd {
        1 => LogLevel::Info,
        2 => LogLevel::Error,
        _ => return errno::BADF,
    };
    let n = n as u32 as u64;
    let mut text = Vec::new();
    for i in 0..n {
        let Some(iov) = g.read((iovs as u32 as u64).wrapping_add(i * 8), 8) else {
            return errno::FAULT;
        };
        let buf = u32::from_le_bytes([iov[0], iov[1], iov[2], iov[3]]) as u64;
        let len = u32::from_le_bytes([iov[4], iov[5], iov[6], iov[7]]) as u64;
        if len != 0 {
            let Some(bytes) = g.read(buf, len) else {
                return errno::FAULT;
            };
            if text.len() < 1 << 20 {
                text.extend_from_slice(&bytes);
            }
        }
        if i > 1 << 16 {
            break;
        }
    }
    let written = text.len();
    if written != 0 {
        if text.last() == Some(&b'\n') {
            text.pop();
        }
        let source = if fd == 1 { "stdout" } else { "stderr" };
        g.st().log(level, source, &text);
    }
    if !write_u32(g, nwritten, written as u32) {
        return errno::FAULT;
    }
    errno::SUCCESS
}

fn wasi(g: &mut dyn Guest, name: &str, arg: &dyn Fn(usize) -> i64) -> Result<Option<i64>, Abort> {
    use errno::*;
    let ok = |e: i64| Ok(Some(e));
    let std_fd = |fd: i64| fd == 1 || fd == 2;
    let full = g.st().wasi >= WasiSet::Full;
    match name {
        "fd_write" => ok(writev(g, arg(0), arg(1), arg(2), arg(3))),
        "fd_pwrite" => {
            if !std_fd(arg(0)) {
                return ok(BADF);
            }
            ok(writev(g, arg(0), arg(1), arg(2), arg(4)))
        }
        "fd_read" | "fd_pread" | "fd_fdstat_set_flags" | "fd_prestat_dir_name" => ok(NOSYS),
        "fd_seek" | "fd_close" => {
            let st = g.st();
            st.log(
                LogLevel::Error,
                "host",
                format!("wasi_unstable {name}").as_bytes(),
            );
            ok(SUCCESS)
        }
        "fd_fdstat_get" => {
            if !std_fd(arg(0)) {
                return ok(BADF);
            }
            let mut stat = [0u8; 24];
            stat[8] = 64; // fs_rights_base = __WASI_RIGHTS_FD_WRITE
            // cpp-host ignores a failed write here.
            g.write(arg(1) as u32 as u64, &stat);
            ok(SUCCESS)
        }
        "environ_sizes_get" => {
            let env = g.st().env.clone();
            let size: usize = env.iter().map(|(k, v)| k.len() + v.len() + 2).sum();
            if !write_u32(g, arg(0), env.len() as u32) || !write_u32(g, arg(1), size as u32) {
                return ok(FAULT);
            }
            ok(SUCCESS)
        }
        "environ_get" => {
            let env = g.st().env.clone();
            let (mut array, mut buf) = (arg(0) as u32 as u64, arg(1) as u32 as u64);
            for (k, v) in env {
                if !g.write(array, &(buf as u32).to_le_bytes()) {
                    return ok(FAULT);
                }
                let entry = format!("{k}={v}\0");
                if !g.write(buf, entry.as_bytes()) {
                    return ok(FAULT);
                }
                buf += entry.len() as u64;
                array += 4;
            }
            ok(SUCCESS)
        }
        "args_get" => ok(SUCCESS),
        "args_sizes_get" => {
            if !write_u32(g, arg(0), 0) || !write_u32(g, arg(1), 0) {
                return ok(FAULT);
            }
            ok(SUCCESS)
        }
        "clock_time_get" => {
            let st = g.st();
            let now = match arg(0) {
                0 => {
                    st.realtime_ns += CLOCK_STEP_NS;
                    st.realtime_ns
                }
                1 => {
                    st.monotonic_ns += CLOCK_STEP_NS;
                    st.monotonic_ns
                }
                _ => return ok(NOTSUP),
            };
            ok(if write_u64(g, arg(2), now) {
                SUCCESS
            } else {
                FAULT
            })
        }
        "clock_res_get" => {
            if !(0..=1).contains(&arg(0)) {
                return ok(NOTSUP);
            }
            ok(if write_u64(g, arg(1), 1) {
                SUCCESS
            } else {
                FAULT
            })
        }
        "random_get" => {
            let len = arg(1) as u32 as u64;
            if len > RANDOM_GET_MAX {
                return ok(INVAL);
            }
            if len == 0 {
                return ok(SUCCESS);
            }
            let st = g.st();
            let mut bytes = Vec::with_capacity(len as usize);
            while (bytes.len() as u64) < len {
                bytes.extend_from_slice(&st.next_random().to_le_bytes());
            }
            bytes.truncate(len as usize);
            ok(if g.write(arg(0) as u32 as u64, &bytes) {
                SUCCESS
            } else {
                FAULT
            })
        }
        "sched_yield" => ok(SUCCESS),
        "poll_oneoff" => {
            // cpp-host c4d7bb0 answers ENOSYS; 94091cd reports no events and succeeds (the Go
            // runtime needs success).
            if !full {
                return ok(NOSYS);
            }
            ok(if write_u32(g, arg(3), 0) {
                SUCCESS
            } else {
                FAULT
            })
        }
        "proc_exit" => {
            let code = arg(0) as u32 as i32;
            g.st()
                .log(LogLevel::Error, "host", b"wasi_unstable proc_exit");
            Err(Abort::Exit(code))
        }
        "path_open" => ok(NOENT),
        "fd_prestat_get" | "fd_filestat_get" => ok(BADF),
        "path_filestat_get"
        | "path_create_directory"
        | "path_filestat_set_times"
        | "path_link"
        | "path_remove_directory"
        | "path_rename"
        | "path_symlink"
        | "path_unlink_file"
        | "sock_shutdown" => ok(NOTSUP),
        "fd_advise" => ok(SUCCESS),
        "fd_allocate"
        | "fd_datasync"
        | "fd_fdstat_set_rights"
        | "fd_filestat_set_size"
        | "fd_filestat_set_times"
        | "fd_sync" => ok(if std_fd(arg(0)) { SUCCESS } else { BADF }),
        "fd_renumber" => ok(if std_fd(arg(0)) { NOTSUP } else { BADF }),
        "fd_tell" => {
            if !std_fd(arg(0)) {
                return ok(BADF);
            }
            ok(if write_u64(g, arg(1), 0) {
                SUCCESS
            } else {
                FAULT
            })
        }
        "fd_readdir" => ok(if write_u32(g, arg(4), 0) {
            NOTDIR
        } else {
            FAULT
        }),
        "path_readlink" => ok(if write_u32(g, arg(5), 0) {
            NOTSUP
        } else {
            FAULT
        }),
        "sock_accept" => ok(if write_u32(g, arg(2), 0) {
            NOTSUP
        } else {
            FAULT
        }),
        "sock_recv" => ok(if write_u32(g, arg(4), 0) && write_u32(g, arg(5), 0) {
            NOTSUP
        } else {
            FAULT
        }),
        "sock_send" => ok(if write_u32(g, arg(4), 0) {
            NOTSUP
        } else {
            FAULT
        }),
        _ => ok(NOSYS),
    }
}

/// Plain linear memory and a bump allocator standing in for a guest: the seam the fuzz target
/// and the unit tests use to call host functions directly.
pub(crate) struct PlainGuest<'a> {
    pub state: &'a mut HostState,
    pub memory: Vec<u8>,
    pub next: u32,
}

impl Guest for PlainGuest<'_> {
    fn st(&mut self) -> &mut HostState {
        self.state
    }
    fn read(&mut self, ptr: u64, len: u64) -> Option<Vec<u8>> {
        let end = ptr.checked_add(len)?;
        self.memory
            .get(ptr as usize..usize::try_from(end).ok()?)
            .map(<[u8]>::to_vec)
    }
    fn write(&mut self, ptr: u64, data: &[u8]) -> bool {
        let Some(end) = ptr.checked_add(data.len() as u64) else {
            return false;
        };
        match self
            .memory
            .get_mut(ptr as usize..usize::try_from(end).unwrap_or(usize::MAX))
        {
            Some(dst) => {
                dst.copy_from_slice(data);
                true
            }
            None => false,
        }
    }
    fn alloc(&mut self, size: u32) -> Result<Option<u32>, Abort> {
        let p = self.next;
        match p.checked_add(size) {
            Some(end) if (end as usize) <= self.memory.len() => {
                self.next = end;
                Ok(Some(p))
            }
            _ => Ok(None),
        }
    }
}
