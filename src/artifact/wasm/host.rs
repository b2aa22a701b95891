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

/// The WASI functions the host provides in `wasi_snapshot_preview1` and `wasi_unstable`.
const WASI: &[&str] = &[
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

/// Whether the host provides the function `module.name` to a module of ABI `abi`.
pub fn provides(abi: Option<AbiVersion>, module: &str, name: &str) -> bool {
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
        "wasi_snapshot_preview1" | "wasi_unstable" => WASI.contains(&name),
        _ => false,
    }
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
        assert!(!provides(v21, "other", "x"));
        assert_eq!(AbiVersion::parse("0.2.0"), Some(AbiVersion::V0_2_0));
    }
}
