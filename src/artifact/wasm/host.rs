//! What an Envoy proxy-wasm host offers a module: the import names it links.
//!
//! The lists follow proxy-wasm-cpp-host (`include/proxy-wasm/exports.h` and `src/wasm.cc`), which
//! Envoy, and so Istio, uses. A module importing anything else fails to load with "missing import".

/// The ABI versions a module can declare with an exported marker function.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub enum AbiVersion {
    /// `proxy_abi_version_0_1_0`.
    #[serde(rename = "0.1.0")]
    V0_1_0,
    /// `proxy_abi_version_0_2_0`.
    #[serde(rename = "0.2.0")]
    V0_2_0,
    /// `proxy_abi_version_0_2_1`.
    #[serde(rename = "0.2.1")]
    V0_2_1,
}

impl AbiVersion {
    /// Every version with its marker export, in the order the host looks them up.
    pub const MARKERS: [(&'static str, AbiVersion); 3] = [
        ("proxy_abi_version_0_1_0", AbiVersion::V0_1_0),
        ("proxy_abi_version_0_2_0", AbiVersion::V0_2_0),
        ("proxy_abi_version_0_2_1", AbiVersion::V0_2_1),
    ];

    /// The dotted version (`0.2.1`).
    pub fn as_str(self) -> &'static str {
        match self {
            AbiVersion::V0_1_0 => "0.1.0",
            AbiVersion::V0_2_0 => "0.2.0",
            AbiVersion::V0_2_1 => "0.2.1",
        }
    }

    /// Parse a dotted version.
    pub fn parse(s: &str) -> Option<AbiVersion> {
        Self::MARKERS
            .iter()
            .map(|(_, v)| *v)
            .find(|v| v.as_str() == s)
    }
}

/// `env.proxy_*` functions every ABI version provides (without the `proxy_` prefix).
const COMMON: &[&str] = &[
    "log",
    "get_status",
    "set_property",
    "get_property",
    "send_local_response",
    "get_shared_data",
    "set_shared_data",
    "register_shared_queue",
    "resolve_shared_queue",
    "dequeue_shared_queue",
    "enqueue_shared_queue",
    "get_header_map_value",
    "add_header_map_value",
    "replace_header_map_value",
    "remove_header_map_value",
    "get_header_map_pairs",
    "set_header_map_pairs",
    "get_header_map_size",
    "get_buffer_status",
    "get_buffer_bytes",
    "set_buffer_bytes",
    "http_call",
    "grpc_call",
    "grpc_stream",
    "grpc_close",
    "grpc_cancel",
    "grpc_send",
    "set_tick_period_milliseconds",
    "get_current_time_nanoseconds",
    "define_metric",
    "increment_metric",
    "record_metric",
    "get_metric",
    "set_effective_context",
    "done",
    "call_foreign_function",
];

/// Functions only ABI 0.1.0 provides.
const ONLY_0_1_0: &[&str] = &[
    "get_configuration",
    "continue_request",
    "continue_response",
    "clear_route_cache",
];

/// Functions ABI 0.2.0 and 0.2.1 provide.
const SINCE_0_2_0: &[&str] = &["continue_stream", "close_stream"];

/// Non-proxy functions the host adds to `env`.
const ENV_EXTRA: &[&str] = &["pthread_equal", "emscripten_notify_memory_growth"];

/// The 15 WASI functions every proxy-wasm-cpp-host links (`wasi_snapshot_preview1` and
/// `wasi_unstable`), before `proxy-wasm/proxy-wasm-cpp-host@c4d7bb0` (2024-12-19).
const WASI_LEGACY: &[&str] = &[
    "fd_write",
    "fd_read",
    "fd_seek",
    "fd_close",
    "fd_fdstat_get",
    "environ_get",
    "environ_sizes_get",
    "args_get",
    "args_sizes_get",
    "clock_time_get",
    "random_get",
    "proc_exit",
    "path_open",
    "fd_prestat_get",
    "fd_prestat_dir_name",
];

/// Added by `proxy-wasm/proxy-wasm-cpp-host@c4d7bb0` (#427, 2024-12-19, "add wasi hostcalls used
/// by the Go SDK").
const WASI_GO_SDK: &[&str] = &["fd_fdstat_set_flags", "sched_yield", "poll_oneoff"];

/// Added by `proxy-wasm/proxy-wasm-cpp-host@94091cd` (#533, 2026-04-06, "add all wasi hostcalls
/// used by Go SDK").
const WASI_FULL: &[&str] = &[
    "fd_fdstat_set_rights",
    "clock_res_get",
    "fd_advise",
    "fd_allocate",
    "fd_datasync",
    "fd_filestat_set_size",
    "fd_filestat_set_times",
    "fd_pread",
    "fd_pwrite",
    "fd_readdir",
    "fd_renumber",
    "fd_sync",
    "fd_tell",
    "path_create_directory",
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
    "path_filestat_get",
    "fd_filestat_get",
];

/// Which generation of proxy-wasm-cpp-host's WASI list a host links.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum WasiSet {
    /// The 15 functions of `FOR_ALL_WASI_FUNCTIONS` before 2024-12-19.
    Legacy,
    /// 18: plus `fd_fdstat_set_flags`, `sched_yield`, `poll_oneoff` (cpp-host `c4d7bb0`).
    GoSdk,
    /// 45: every function of the current list (cpp-host `94091cd`).
    Full,
}

impl WasiSet {
    /// Whether this set contains `name`.
    pub fn contains(self, name: &str) -> bool {
        WASI_LEGACY.contains(&name)
            || (self >= WasiSet::GoSdk && WASI_GO_SDK.contains(&name))
            || (self >= WasiSet::Full && WASI_FULL.contains(&name))
    }

    /// Every function of this set, in list order.
    pub fn functions(self) -> Vec<&'static str> {
        let mut v: Vec<&'static str> = WASI_LEGACY.to_vec();
        if self >= WasiSet::GoSdk {
            v.extend_from_slice(WASI_GO_SDK);
        }
        if self >= WasiSet::Full {
            v.extend_from_slice(WASI_FULL);
        }
        v
    }
}

/// An Istio minor release and the host it ships.
#[derive(Debug, Clone, Copy, serde::Serialize)]
pub struct IstioRelease {
    /// The Istio minor version, `1.<minor>`.
    pub minor: u32,
    /// The Envoy minor release it is based on (`1.33`).
    pub envoy: &'static str,
    /// The WASI functions its Envoy links.
    pub wasi: WasiSet,
    /// Whether the row was checked against a public source (see `docs/abi.md`).
    pub verified: bool,
}

/// The Istio releases the table knows, oldest first. Sources and the verification state of each
/// row are in `docs/abi.md`.
pub const ISTIO_RELEASES: &[IstioRelease] = &[
    IstioRelease {
        minor: 22,
        envoy: "1.30",
        wasi: WasiSet::Legacy,
        verified: true,
    },
    IstioRelease {
        minor: 23,
        envoy: "1.31",
        wasi: WasiSet::Legacy,
        verified: true,
    },
    IstioRelease {
        minor: 24,
        envoy: "1.32",
        wasi: WasiSet::Legacy,
        verified: true,
    },
    IstioRelease {
        minor: 25,
        envoy: "1.33",
        wasi: WasiSet::GoSdk,
        verified: true,
    },
    IstioRelease {
        minor: 26,
        envoy: "1.34",
        wasi: WasiSet::GoSdk,
        verified: true,
    },
    IstioRelease {
        minor: 27,
        envoy: "1.35",
        wasi: WasiSet::GoSdk,
        verified: true,
    },
    IstioRelease {
        minor: 28,
        envoy: "1.36",
        wasi: WasiSet::GoSdk,
        verified: true,
    },
    IstioRelease {
        minor: 29,
        envoy: "1.37",
        wasi: WasiSet::GoSdk,
        verified: true,
    },
    IstioRelease {
        minor: 30,
        envoy: "1.38",
        wasi: WasiSet::GoSdk,
        verified: true,
    },
    IstioRelease {
        minor: 31,
        envoy: "1.39",
        wasi: WasiSet::Full,
        verified: false,
    },
];

/// The minor the table answers for when no Istio version is given: the newest release whose
/// WASI list is verified (1.31's Envoy 1.39 most likely pins a cpp-host with the full list, but
/// that pin was read from envoyproxy/examples, not from Envoy's own files; see `docs/abi.md`).
pub const NEWEST_ISTIO_MINOR: u32 = 30;

/// An Istio minor version (`1.25` is `IstioMinor(25)`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct IstioMinor(pub u32);

impl IstioMinor {
    /// Parse `1.25`, `1.25.3` or `25`.
    pub fn parse(s: &str) -> Option<IstioMinor> {
        let s = s.trim().trim_start_matches('v');
        let minor = match s.split_once('.') {
            Some(("1", rest)) => rest.split('.').next()?,
            Some(_) => return None,
            None => s,
        };
        minor.parse().ok().map(IstioMinor)
    }

    /// The table row for this minor: the exact row, or for a minor newer than the table the
    /// newest row, for one older the oldest.
    pub fn release(self) -> &'static IstioRelease {
        ISTIO_RELEASES
            .iter()
            .find(|r| r.minor == self.0)
            .unwrap_or_else(|| {
                if self.0 < ISTIO_RELEASES[0].minor {
                    &ISTIO_RELEASES[0]
                } else {
                    &ISTIO_RELEASES[ISTIO_RELEASES.len() - 1]
                }
            })
    }

    /// The default: [`NEWEST_ISTIO_MINOR`].
    pub fn newest() -> IstioMinor {
        IstioMinor(NEWEST_ISTIO_MINOR)
    }
}

impl std::fmt::Display for IstioMinor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "1.{}", self.0)
    }
}

/// The ABI marker exported by Higress's fork of the host only; Istio's Envoy does not know it.
pub const HIGRESS_ABI_MARKER: &str = "proxy_abi_version_0_2_100";

/// What the host makes of the ABI markers a module exports, in export order: the first marker
/// the host knows wins (cpp-host `bytecode_util.cc`, `getAbiVersion`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AbiSupport {
    /// A version Istio loads.
    Supported {
        /// The version.
        version: AbiVersion,
    },
    /// Only `proxy_abi_version_0_2_100`, which exists in Higress's fork of proxy-wasm-cpp-host.
    Higress,
    /// No marker at all.
    Missing,
}

/// Every host function any table provides, with its full name (`proxy_log`, `fd_write`, ...):
/// `env` first, then WASI, each once. Built once; the names live for the whole run.
pub fn all_functions() -> &'static [&'static str] {
    static ALL: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();
    ALL.get_or_init(|| {
        let mut all: Vec<&'static str> = ENV_EXTRA.to_vec();
        let proxy = COMMON
            .iter()
            .chain(ONLY_0_1_0)
            .chain(SINCE_0_2_0)
            .chain(&["get_log_level"]);
        // One allocation per proxy_ name, once per process.
        all.extend(proxy.map(|n| &*Box::leak(format!("proxy_{n}").into_boxed_str())));
        for n in WasiSet::Full.functions() {
            if !all.contains(&n) {
                all.push(n);
            }
        }
        all
    })
}

/// Judge the exported function names (in export order) for their ABI marker.
pub fn abi_support<'a>(exports: impl IntoIterator<Item = &'a str>) -> AbiSupport {
    let mut higress = false;
    for name in exports {
        if let Some((_, v)) = AbiVersion::MARKERS.iter().find(|(m, _)| *m == name) {
            return AbiSupport::Supported { version: *v };
        }
        higress |= name == HIGRESS_ABI_MARKER;
    }
    if higress {
        AbiSupport::Higress
    } else {
        AbiSupport::Missing
    }
}

/// Whether the host provides the function `module.name` to a module of ABI `abi`, in the newest
/// Istio release the table knows.
pub fn provides(abi: Option<AbiVersion>, module: &str, name: &str) -> bool {
    provides_in(abi, IstioMinor::newest(), module, name)
}

/// Whether the Envoy of Istio `istio` provides `module.name` to a module of ABI `abi`.
pub fn provides_in(abi: Option<AbiVersion>, istio: IstioMinor, module: &str, name: &str) -> bool {
    match module {
        "env" => {
            if ENV_EXTRA.contains(&name) {
                return true;
            }
            let Some(short) = name.strip_prefix("proxy_") else {
                return false;
            };
            if COMMON.contains(&short) {
                return true;
            }
            match abi {
                Some(AbiVersion::V0_1_0) => ONLY_0_1_0.contains(&short),
                Some(AbiVersion::V0_2_0) => SINCE_0_2_0.contains(&short),
                Some(AbiVersion::V0_2_1) => {
                    SINCE_0_2_0.contains(&short) || short == "get_log_level"
                }
                // Unknown ABI: already an error; do not pile up import errors on top of it.
                None => true,
            }
        }
        "wasi_snapshot_preview1" | "wasi_unstable" => istio.release().wasi.contains(name),
        _ => false,
    }
}

/// The first Istio minor of the table that provides `module.name` (for "first available in
/// Istio 1.NN"), when an older one lacks it.
pub fn first_istio_with(abi: Option<AbiVersion>, module: &str, name: &str) -> Option<IstioMinor> {
    ISTIO_RELEASES
        .iter()
        .map(|r| IstioMinor(r.minor))
        .find(|m| provides_in(abi, *m, module, name))
}

/// Envoy's message for an import the host does not link, plus the first Istio release that has
/// it when the table knows one newer than `istio`.
pub fn missing_import_message(
    abi: Option<AbiVersion>,
    istio: IstioMinor,
    module: &str,
    name: &str,
) -> String {
    let mut m = format!("Failed to load Wasm module due to a missing import: {module}.{name}");
    if let Some(first) = first_istio_with(abi, module, name).filter(|f| *f > istio) {
        let unverified = if first.release().verified {
            ""
        } else {
            "; not verified"
        };
        m.push_str(&format!(
            " (first available in Istio {first}{unverified}; this is Istio {istio})"
        ));
    }
    m
}

/// The wasm type of a host function: parameter and result letters, `i` for i32 and `I` for i64
/// (`("iIi", "i")` is `(i32, i64, i32) -> i32`). `None` for a name the host never provides.
pub fn signature(module: &str, name: &str) -> Option<(&'static str, &'static str)> {
    let sig = match module {
        "env" => match name {
            "pthread_equal" => ("ii", "i"),
            "emscripten_notify_memory_growth" => ("i", ""),
            "proxy_log" => ("iii", "i"),
            "proxy_get_log_level" => ("i", "i"),
            "proxy_get_status" => ("iii", "i"),
            "proxy_set_property" | "proxy_get_property" => ("iiii", "i"),
            "proxy_send_local_response" => ("iiiiiiii", "i"),
            "proxy_get_shared_data" | "proxy_set_shared_data" => ("iiiii", "i"),
            "proxy_register_shared_queue" => ("iii", "i"),
            "proxy_resolve_shared_queue" => ("iiiii", "i"),
            "proxy_dequeue_shared_queue" | "proxy_enqueue_shared_queue" => ("iii", "i"),
            "proxy_get_header_map_value"
            | "proxy_add_header_map_value"
            | "proxy_replace_header_map_value" => ("iiiii", "i"),
            "proxy_remove_header_map_value" => ("iii", "i"),
            "proxy_get_header_map_pairs" | "proxy_set_header_map_pairs" => ("iii", "i"),
            "proxy_get_header_map_size" => ("ii", "i"),
            "proxy_get_buffer_status" => ("iii", "i"),
            "proxy_get_buffer_bytes" | "proxy_set_buffer_bytes" => ("iiiii", "i"),
            "proxy_http_call" => ("iiiiiiiiii", "i"),
            "proxy_grpc_call" => ("iiiiiiiiiiii", "i"),
            "proxy_grpc_stream" => ("iiiiiiiii", "i"),
            "proxy_grpc_send" => ("iiii", "i"),
            "proxy_grpc_close" | "proxy_grpc_cancel" => ("i", "i"),
            "proxy_set_tick_period_milliseconds" => ("i", "i"),
            "proxy_get_current_time_nanoseconds" => ("i", "i"),
            "proxy_define_metric" => ("iiii", "i"),
            "proxy_increment_metric" | "proxy_record_metric" => ("iI", "i"),
            "proxy_get_metric" => ("ii", "i"),
            "proxy_set_effective_context" => ("i", "i"),
            "proxy_done" => ("", "i"),
            "proxy_call_foreign_function" => ("iiiiii", "i"),
            "proxy_continue_stream" | "proxy_close_stream" => ("i", "i"),
            "proxy_get_configuration" => ("ii", "i"),
            "proxy_continue_request" | "proxy_continue_response" | "proxy_clear_route_cache" => {
                ("", "i")
            }
            _ => return None,
        },
        "wasi_snapshot_preview1" | "wasi_unstable" => match name {
            "fd_write" | "fd_read" | "poll_oneoff" => ("iiii", "i"),
            "fd_seek" => ("iIii", "i"),
            "fd_close" | "fd_datasync" | "fd_sync" => ("i", "i"),
            "fd_fdstat_get"
            | "fd_fdstat_set_flags"
            | "environ_get"
            | "environ_sizes_get"
            | "args_get"
            | "args_sizes_get"
            | "clock_res_get"
            | "fd_renumber"
            | "fd_tell"
            | "sock_shutdown"
            | "random_get"
            | "fd_prestat_get"
            | "fd_filestat_get" => ("ii", "i"),
            "fd_fdstat_set_rights" | "fd_allocate" => ("iII", "i"),
            "clock_time_get" => ("iIi", "i"),
            "fd_advise" | "fd_filestat_set_times" => ("iIIi", "i"),
            "fd_filestat_set_size" => ("iI", "i"),
            "fd_pread" | "fd_pwrite" | "fd_readdir" => ("iiiIi", "i"),
            "path_create_directory"
            | "path_remove_directory"
            | "path_unlink_file"
            | "sock_accept"
            | "fd_prestat_dir_name" => ("iii", "i"),
            "path_filestat_set_times" => ("iiiiIIi", "i"),
            "path_link" => ("iiiiiii", "i"),
            "path_readlink" | "path_rename" | "sock_recv" => ("iiiiii", "i"),
            "path_symlink" | "sock_send" | "path_filestat_get" => ("iiiii", "i"),
            "sched_yield" => ("", "i"),
            "proc_exit" => ("i", ""),
            "path_open" => ("iiiiiIIii", "i"),
            _ => return None,
        },
        _ => return None,
    };
    Some(sig)
}

/// Callbacks that only make sense in an HTTP filter.
pub const HTTP_CALLBACKS: &[&str] = &[
    "proxy_on_request_headers",
    "proxy_on_request_body",
    "proxy_on_request_trailers",
    "proxy_on_request_metadata",
    "proxy_on_response_headers",
    "proxy_on_response_body",
    "proxy_on_response_trailers",
    "proxy_on_response_metadata",
];

/// Callbacks that only make sense in a network (L4) filter.
pub const NETWORK_CALLBACKS: &[&str] = &[
    "proxy_on_new_connection",
    "proxy_on_downstream_data",
    "proxy_on_upstream_data",
    "proxy_on_downstream_connection_close",
    "proxy_on_upstream_connection_close",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn abi_specific_imports() {
        let v1 = Some(AbiVersion::V0_1_0);
        let v21 = Some(AbiVersion::V0_2_1);
        assert!(provides(v1, "env", "proxy_get_configuration"));
        assert!(!provides(v21, "env", "proxy_get_configuration"));
        assert!(provides(v21, "env", "proxy_get_log_level"));
        assert!(!provides(
            Some(AbiVersion::V0_2_0),
            "env",
            "proxy_get_log_level"
        ));
        assert!(provides(v21, "wasi_unstable", "fd_write"));
        assert!(!provides(v21, "wasi_snapshot_preview1", "sock_accept"));
        let old = IstioMinor(24);
        let go = IstioMinor(25);
        assert!(!provides_in(
            v21,
            old,
            "wasi_snapshot_preview1",
            "poll_oneoff"
        ));
        assert!(provides_in(
            v21,
            go,
            "wasi_snapshot_preview1",
            "poll_oneoff"
        ));
        assert!(provides_in(
            v21,
            IstioMinor(31),
            "wasi_snapshot_preview1",
            "sock_accept"
        ));
        assert_eq!(WasiSet::Full.functions().len(), 45);
        assert_eq!(WasiSet::GoSdk.functions().len(), 18);
        assert_eq!(IstioMinor::parse("1.25.3"), Some(go));
        assert!(
            missing_import_message(v21, old, "wasi_snapshot_preview1", "sched_yield")
                .contains("(first available in Istio 1.25; this is Istio 1.24)")
        );
        // 1.31's row is the one not verified, and the message says so.
        assert!(
            missing_import_message(v21, IstioMinor(30), "wasi_snapshot_preview1", "fd_pread")
                .contains("(first available in Istio 1.31; not verified; this is Istio 1.30)")
        );
        for f in WasiSet::Full.functions() {
            assert!(signature("wasi_snapshot_preview1", f).is_some(), "{f}");
        }
        for f in COMMON.iter().chain(ONLY_0_1_0).chain(SINCE_0_2_0) {
            assert!(signature("env", &format!("proxy_{f}")).is_some(), "{f}");
        }
        assert_eq!(abi_support(["x", HIGRESS_ABI_MARKER]), AbiSupport::Higress);
        assert!(!provides(v21, "other", "x"));
        assert_eq!(AbiVersion::parse("0.2.0"), Some(AbiVersion::V0_2_0));
    }
}
