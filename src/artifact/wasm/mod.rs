//! Static proxy-wasm check: does a `.wasm` load in Envoy's proxy-wasm host? The module is parsed
//! with wasmparser (imports, exports, types); nothing is executed.

mod host;

pub use host::{
    AbiSupport, AbiVersion, HIGRESS_ABI_MARKER, HTTP_CALLBACKS, ISTIO_RELEASES, IstioMinor,
    IstioRelease, NETWORK_CALLBACKS, NEWEST_ISTIO_MINOR, WasiSet, abi_support, all_functions,
    first_istio_with, missing_import_message, provides, provides_in, signature,
};

use crate::model::PluginType;
use sha2::{Digest, Sha256};
use wasmparser::{CompositeInnerType, ExternalKind, FuncType, Parser, Payload, TypeRef, ValType};

/// Istio's default `ISTIO_WASM_MAX_BINARY_SIZE_BYTES`: larger modules are refused by the agent.
pub const MAX_MODULE_BYTES: usize = 256 << 20;

/// How the host starts the module.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Entry {
    /// Exports `_initialize` (a WASI reactor).
    Reactor,
    /// Exports `_start` (a WASI command, e.g. TinyGo).
    Command,
    /// Neither.
    None,
}

/// One import of the module.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct Import {
    /// Module name (`env`, `wasi_snapshot_preview1`, ...).
    pub module: String,
    /// Field name.
    pub name: String,
    /// `func`, `memory`, `table`, `global` or `tag`.
    pub kind: &'static str,
}

/// What the static check found.
#[derive(Debug, Clone, serde::Serialize)]
pub struct WasmReport {
    /// Size of the module in bytes.
    pub size: u64,
    /// sha256 hex of the module bytes.
    pub sha256: String,
    /// Declared proxy-wasm ABI version.
    pub abi: Option<AbiVersion>,
    /// Reactor, command or neither.
    pub entry: Entry,
    /// Every import, in module order.
    pub imports: Vec<Import>,
    /// Names of exported functions, sorted.
    pub exports: Vec<String>,
    /// Exported `proxy_on_*` callbacks, sorted.
    pub callbacks: Vec<String>,
    /// Problems that keep Envoy from loading the module.
    pub errors: Vec<String>,
    /// Problems that let it load but probably make it useless.
    pub warnings: Vec<String>,
}

impl WasmReport {
    /// Whether the module passes (no errors).
    pub fn ok(&self) -> bool {
        self.errors.is_empty()
    }

    /// The callbacks as `HTTP`, `NETWORK`, both or neither, from the exports.
    pub fn filter_kind(&self) -> Option<&'static str> {
        let http = self
            .callbacks
            .iter()
            .any(|c| HTTP_CALLBACKS.contains(&c.as_str()));
        let net = self
            .callbacks
            .iter()
            .any(|c| NETWORK_CALLBACKS.contains(&c.as_str()));
        match (http, net) {
            (true, false) => Some("HTTP"),
            (false, true) => Some("NETWORK"),
            (true, true) => Some("HTTP+NETWORK"),
            (false, false) => None,
        }
    }
}

/// Check `bytes` as a proxy-wasm module for the newest Istio release the host table knows;
/// `plugin_type` is the catalog's `type` when known.
pub fn check(bytes: &[u8], plugin_type: Option<PluginType>) -> WasmReport {
    check_for(bytes, plugin_type, None)
}

/// [`check`] against the host of Istio `istio` (`None`: the newest release the table knows).
pub fn check_for(
    bytes: &[u8],
    plugin_type: Option<PluginType>,
    istio: Option<IstioMinor>,
) -> WasmReport {
    let istio = istio.unwrap_or_else(IstioMinor::newest);
    let mut report = WasmReport {
        size: bytes.len() as u64,
        sha256: hex::encode(Sha256::digest(bytes)),
        abi: None,
        entry: Entry::None,
        imports: Vec::new(),
        exports: Vec::new(),
        callbacks: Vec::new(),
        errors: Vec::new(),
        warnings: Vec::new(),
    };
    if bytes.len() > MAX_MODULE_BYTES {
        report.errors.push(format!(
            "the module is {} bytes; Istio refuses modules over {} MiB (ISTIO_WASM_MAX_BINARY_SIZE_BYTES)",
            bytes.len(),
            MAX_MODULE_BYTES >> 20
        ));
        return report;
    }
    if let Err(e) = header(bytes) {
        report.errors.push(e);
        return report;
    }
    match Sections::read(bytes) {
        Ok(s) => s.judge(&mut report, plugin_type, istio),
        Err(e) => report.errors.push(format!(
            "the module is malformed at byte {}: {}",
            e.offset(),
            e.message()
        )),
    }
    report
}

/// The 8-byte header: `\0asm` and core module version 1.
fn header(bytes: &[u8]) -> Result<(), String> {
    if bytes.len() < 8 || &bytes[..4] != b"\0asm" {
        return Err("not a WebAssembly module: it does not start with \\0asm".into());
    }
    match bytes[4..8] {
        [1, 0, 0, 0] => Ok(()),
        [_, _, 1, 0] => Err("this is a WebAssembly component, not a core module; proxy-wasm hosts load core modules only: build for wasm32-wasip1 (or wasm32-unknown-unknown) without componentizing".into()),
        _ => Err(format!("unsupported WebAssembly binary version {:?}", &bytes[4..8])),
    }
}

/// The sections the check needs.
#[derive(Default)]
struct Sections {
    types: Vec<Option<FuncType>>,
    /// Type index of every function, imported ones first.
    funcs: Vec<u32>,
    imports: Vec<(String, String, TypeRef)>,
    exports: Vec<(String, ExternalKind, u32)>,
    defined_memory: bool,
}

impl Sections {
    fn read(bytes: &[u8]) -> wasmparser::Result<Sections> {
        let mut s = Sections::default();
        for payload in Parser::new(0).parse_all(bytes) {
            match payload? {
                Payload::TypeSection(r) => {
                    for group in r {
                        for sub in group?.into_types() {
                            s.types.push(match sub.composite_type.inner {
                                CompositeInnerType::Func(f) => Some(f),
                                _ => None,
                            });
                        }
                    }
                }
                Payload::ImportSection(r) => {
                    for imp in r.into_imports() {
                        let imp = imp?;
                        if let TypeRef::Func(t) = imp.ty {
                            s.funcs.push(t);
                        }
                        s.imports.push((imp.module.into(), imp.name.into(), imp.ty));
                    }
                }
                Payload::FunctionSection(r) => {
                    for t in r {
                        s.funcs.push(t?);
                    }
                }
                Payload::MemorySection(r) => s.defined_memory |= r.count() > 0,
                Payload::ExportSection(r) => {
                    for e in r {
                        let e = e?;
                        s.exports.push((e.name.into(), e.kind, e.index));
                    }
                }
                _ => {}
            }
        }
        Ok(s)
    }

    fn func_export(&self, name: &str) -> Option<Option<&FuncType>> {
        self.exports
            .iter()
            .find(|(n, k, _)| n == name && *k == ExternalKind::Func)
            .map(|(_, _, i)| {
                self.funcs
                    .get(*i as usize)
                    .and_then(|t| self.types.get(*t as usize))
                    .and_then(Option::as_ref)
            })
    }

    fn judge(self, r: &mut WasmReport, plugin_type: Option<PluginType>, istio: IstioMinor) {
        let mut seen = std::collections::BTreeSet::new();
        for (name, _, _) in &self.exports {
            if !seen.insert(name.as_str()) {
                r.errors.push(format!(
                    "exports `{name}` twice: export names must be unique, so the module is invalid and Envoy cannot compile it"
                ));
            }
        }
        // The first marker in export order wins (cpp-host `bytecode_util.cc`, `getAbiVersion`).
        r.abi = match abi_support(
            self.exports
                .iter()
                .filter(|(_, k, _)| *k == ExternalKind::Func)
                .map(|(n, _, _)| n.as_str()),
        ) {
            AbiSupport::Supported { version } => Some(version),
            _ => None,
        };
        let higress = self
            .exports
            .iter()
            .any(|(n, k, _)| n == HIGRESS_ABI_MARKER && *k == ExternalKind::Func);
        if r.abi.is_none() && higress {
            r.errors.push(format!(
                "exports only `{HIGRESS_ABI_MARKER}`, the ABI marker of Higress's fork of proxy-wasm-cpp-host: Istio's Envoy does not support it (\"Missing or unknown Proxy-Wasm ABI version\"); build against the upstream proxy-wasm ABI 0.2.1"
            ));
        } else if r.abi.is_none() {
            r.errors.push(
                "missing or unknown proxy-wasm ABI version: no exported function proxy_abi_version_0_1_0, proxy_abi_version_0_2_0 or proxy_abi_version_0_2_1 (Envoy refuses it); build with a proxy-wasm SDK".into(),
            );
        }
        let allocator = ["malloc", "proxy_on_memory_allocate"]
            .iter()
            .find_map(|n| self.func_export(n).map(|t| (*n, t)));
        match allocator {
            None => r.errors.push("missing allocator: export `malloc` or `proxy_on_memory_allocate` with type (i32) -> i32 (Envoy: \"Wasm module is missing malloc function\")".into()),
            Some((name, t)) => {
                if !t.is_some_and(|t| t.params() == [ValType::I32] && t.results() == [ValType::I32]) {
                    r.errors.push(format!("`{name}` must have type (i32) -> i32"));
                }
            }
        }
        let imported_memory = self
            .imports
            .iter()
            .any(|(_, _, t)| matches!(t, TypeRef::Memory(_)));
        let exported_memory = self
            .exports
            .iter()
            .any(|(_, k, _)| *k == ExternalKind::Memory);
        if !(imported_memory || exported_memory) {
            r.errors.push(if self.defined_memory {
                "the module's memory is not exported: export it (e.g. as `memory`) so the host can read and write it".into()
            } else {
                "the module has no linear memory: define and export one (e.g. `(memory (export \"memory\") 1)`)".into()
            });
        }
        for (module, name, ty) in &self.imports {
            let kind = match ty {
                TypeRef::Func(_) | TypeRef::FuncExact(_) => "func",
                TypeRef::Memory(_) => "memory",
                TypeRef::Table(_) => "table",
                TypeRef::Global(_) => "global",
                TypeRef::Tag(_) => "tag",
            };
            r.imports.push(Import {
                module: module.clone(),
                name: name.clone(),
                kind,
            });
            match kind {
                "func" if !provides_in(r.abi, istio, module, name) => r.errors.push(format!(
                    "imports `{module}.{name}`, which the proxy-wasm host of Istio {istio} does not provide{} (Envoy: \"{}\")",
                    r.abi.map(|a| format!(" for ABI {}", a.as_str())).unwrap_or_default(),
                    missing_import_message(r.abi, istio, module, name)
                )),
                "global" => r.errors.push(format!("imports the global `{module}.{name}`: proxy-wasm hosts reject imported globals")),
                "table" | "tag" => r.errors.push(format!("imports the {kind} `{module}.{name}`, which the proxy-wasm host does not provide")),
                _ => {}
            }
        }
        let mut names: Vec<String> = self
            .exports
            .iter()
            .filter(|(_, k, _)| *k == ExternalKind::Func)
            .map(|(n, _, _)| n.clone())
            .collect();
        names.sort();
        names.dedup();
        r.callbacks = names
            .iter()
            .filter(|n| n.starts_with("proxy_on_"))
            .cloned()
            .collect();
        r.entry = if names.iter().any(|n| n == "_initialize") {
            Entry::Reactor
        } else if names.iter().any(|n| n == "_start") {
            Entry::Command
        } else {
            Entry::None
        };
        r.exports = names;
        for needed in ["proxy_on_context_create", "proxy_on_configure"] {
            if !r.callbacks.iter().any(|c| c == needed) {
                r.warnings.push(format!(
                    "does not export `{needed}`{}",
                    if needed == "proxy_on_context_create" {
                        ": no root or stream context is ever created, so the plugin does nothing"
                    } else {
                        ": pluginConfig is never delivered to the plugin"
                    }
                ));
            }
        }
        let kind = r.filter_kind();
        match (plugin_type, kind) {
            (Some(PluginType::Network), Some("HTTP")) => r.warnings.push(
                "the catalog says type NETWORK but the module exports only HTTP callbacks (proxy_on_request_headers, ...); set `type: HTTP`".into(),
            ),
            (Some(PluginType::Http) | Some(PluginType::Unspecified) | None, Some("NETWORK")) => r.warnings.push(
                "the catalog says type HTTP (the default) but the module exports only network callbacks (proxy_on_new_connection, ...); set `type: NETWORK`".into(),
            ),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests;
