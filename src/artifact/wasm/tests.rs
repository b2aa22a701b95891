use super::*;

fn module(body: &str) -> Vec<u8> {
    wat::parse_str(format!("(module {body})")).expect("fixture assembles")
}

const GOOD: &str = r#"
  (memory (export "memory") 1)
  (func (export "proxy_abi_version_0_2_1"))
  (func (export "proxy_on_memory_allocate") (param i32) (result i32) i32.const 0)
  (func (export "proxy_on_configure") (param i32 i32) (result i32) i32.const 1)
  (func (export "proxy_on_context_create") (param i32 i32))
  (func (export "proxy_on_request_headers") (param i32 i32 i32) (result i32) i32.const 0)
"#;

#[test]
fn a_minimal_http_plugin_passes() {
    let r = check(&module(GOOD), Some(PluginType::Http));
    assert!(r.ok(), "{:?}", r.errors);
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    assert_eq!(r.abi, Some(AbiVersion::V0_2_1));
    assert_eq!(r.entry, Entry::None);
    assert_eq!(r.filter_kind(), Some("HTTP"));
    assert_eq!(
        r.callbacks,
        [
            "proxy_on_configure",
            "proxy_on_context_create",
            "proxy_on_memory_allocate",
            "proxy_on_request_headers"
        ]
    );
}

#[test]
fn the_sample_plugins_pass() {
    for name in ["add-header", "deny-path"] {
        let path = format!("{}/examples/plugins/{name}.wat", env!("CARGO_MANIFEST_DIR"));
        let bytes = wat::parse_file(&path).expect("sample assembles");
        let r = check(&bytes, None);
        assert!(
            r.ok() && r.warnings.is_empty(),
            "{name}: {:?} {:?}",
            r.errors,
            r.warnings
        );
        let committed = std::fs::read(path.replace(".wat", ".wasm")).expect("committed .wasm");
        assert_eq!(
            bytes, committed,
            "{name}.wasm is stale: reassemble it from {name}.wat"
        );
    }
}

#[test]
fn header_errors() {
    assert!(check(b"", None).errors[0].contains("\\0asm"));
    assert!(check(b"\0asm\x0d\0\x01\0", None).errors[0].contains("component"));
    assert!(check(b"\0asm\x02\0\0\0", None).errors[0].contains("version"));
    let mut truncated = module(GOOD);
    truncated.truncate(truncated.len() - 3);
    assert!(check(&truncated, None).errors[0].contains("malformed"));
}

#[test]
fn missing_abi_allocator_and_memory() {
    let r = check(
        &module(r#"(func (export "proxy_on_context_create") (param i32 i32))"#),
        None,
    );
    let all = r.errors.join("\n");
    assert!(all.contains("ABI version"), "{all}");
    assert!(all.contains("allocator"), "{all}");
    assert!(all.contains("no linear memory"), "{all}");
    assert!(r.warnings.iter().any(|w| w.contains("proxy_on_configure")));
}

#[test]
fn allocator_type_memory_export_and_malloc() {
    let r = check(
        &module(
            r#"(memory 1) (func (export "proxy_abi_version_0_1_0"))
               (func (export "malloc") (param i64) (result i32) i32.const 0)"#,
        ),
        None,
    );
    let all = r.errors.join("\n");
    assert!(
        all.contains("`malloc` must have type (i32) -> i32"),
        "{all}"
    );
    assert!(all.contains("not exported"), "{all}");
    // An imported memory counts; malloc with the right type is fine.
    let r = check(
        &module(
            r#"(import "env" "memory" (memory 1)) (func (export "proxy_abi_version_0_1_0"))
               (func (export "malloc") (param i32) (result i32) i32.const 0)"#,
        ),
        None,
    );
    assert!(r.ok(), "{:?}", r.errors);
}

#[test]
fn imports_must_be_host_functions() {
    let r = check(
        &module(&format!(
            r#"(import "env" "proxy_get_configuration" (func (param i32 i32) (result i32)))
               (import "env" "proxy_log" (func (param i32 i32 i32) (result i32)))
               (import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32)))
               (import "wasi_snapshot_preview1" "sock_accept" (func (param i32 i32 i32) (result i32)))
               (import "env" "g" (global i32))
               (import "other" "f" (func))
               {GOOD}"#
        )),
        None,
    );
    let all = r.errors.join("\n");
    assert!(
        all.contains("`env.proxy_get_configuration`") && all.contains("ABI 0.2.1"),
        "{all}"
    );
    assert!(
        all.contains("`wasi_snapshot_preview1.sock_accept`"),
        "{all}"
    );
    assert!(all.contains("global `env.g`"), "{all}");
    assert!(all.contains("`other.f`"), "{all}");
    assert!(
        !all.contains("proxy_log") && !all.contains("fd_write"),
        "{all}"
    );
    assert_eq!(r.imports.len(), 6);
}

#[test]
fn catalog_type_mismatch_and_entry_kind() {
    let r = check(&module(GOOD), Some(PluginType::Network));
    assert!(r.ok());
    assert!(r.warnings[0].contains("type NETWORK"), "{:?}", r.warnings);
    let net = GOOD.replace("proxy_on_request_headers", "proxy_on_new_connection");
    let r = check(&module(&format!(r#"{net} (func (export "_start"))"#)), None);
    assert!(
        r.warnings[0].contains("set `type: NETWORK`"),
        "{:?}",
        r.warnings
    );
    assert_eq!(r.entry, Entry::Command);
    let r = check(
        &module(&format!(r#"{GOOD} (func (export "_initialize"))"#)),
        None,
    );
    assert_eq!(r.entry, Entry::Reactor);
}

#[test]
fn arbitrary_bytes_never_panic() {
    let good = module(GOOD);
    for cut in 0..good.len() {
        let _ = check(&good[..cut], None);
        let mut flipped = good.clone();
        flipped[cut] ^= 0xff;
        let _ = check(&flipped, None);
    }
}

#[test]
fn duplicate_export_names_are_an_error() {
    // wasmparser reads such a module without complaint, but it is invalid WebAssembly.
    let r = check(
        &module(&format!(r#"{GOOD} (export "proxy_on_configure" (func 0))"#)),
        None,
    );
    assert!(
        r.errors
            .iter()
            .any(|e| e.contains("exports `proxy_on_configure` twice")),
        "{:?}",
        r.errors
    );
}
