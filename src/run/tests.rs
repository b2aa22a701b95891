use super::*;
use std::time::Instant;

fn sha(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

fn compile_bytes(bytes: &[u8]) -> Compiled {
    Compiled::new(bytes, &sha(bytes)).expect("compiles")
}

/// A module with memory, the 0.2.1 marker, a bump allocator and `body`.
fn plugin(body: &str) -> Compiled {
    compile_bytes(&module(body))
}

fn module(body: &str) -> Vec<u8> {
    wat::parse_str(format!(
        r#"(module
          {body}
          (memory (export "memory") 1)
          (global $heap (mut i32) (i32.const 32768))
          (func (export "proxy_abi_version_0_2_1"))
          (func (export "proxy_on_memory_allocate") (param $size i32) (result i32)
            (local $at i32)
            (local.set $at (global.get $heap))
            (global.set $heap (i32.add (global.get $heap) (local.get $size)))
            (local.get $at))
        )"#
    ))
    .expect("fixture assembles")
}

const ROOT: &str = r#"
  (func (export "proxy_on_vm_start") (param i32 i32) (result i32) (i32.const 1))
  (func (export "proxy_on_configure") (param i32 i32) (result i32) (i32.const 1))
  (func (export "proxy_on_context_create") (param i32 i32))
"#;

fn spec() -> PluginSpec {
    PluginSpec::new("default.test", Vec::new())
}

fn start_ok(c: &Compiled) -> PluginVm {
    start(c, &spec()).unwrap_or_else(|f| panic!("start failed: {f:?}"))
}

fn example(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/examples/plugins/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect("example module")
}

#[test]
fn the_pin_is_checked_before_compiling() {
    let bytes = module(ROOT);
    let e = Compiled::new(&bytes, &"0".repeat(64)).unwrap_err();
    assert!(matches!(e, RunError::ShaMismatch { .. }), "{e:?}");
    assert!(matches!(
        Compiled::new(&bytes, "abc").unwrap_err(),
        RunError::BadPin { .. }
    ));
    let pin = format!("sha256:{}", sha(&bytes).to_uppercase());
    assert!(Compiled::new(&bytes, &pin).is_ok());
    let junk = b"\0asm\x01\0\0\0\x7f";
    assert!(matches!(
        Compiled::new(junk, &sha(junk)).unwrap_err(),
        RunError::Invalid { .. }
    ));
}

#[test]
fn an_engine_panic_is_a_structured_failure() {
    // Found by fuzz/fuzz_targets/host_calls.rs: wasmi 2.0.0 validates this module, then panics
    // translating it.
    let bytes = include_bytes!("testdata/wasmi-translator-panic.wasm");
    match Compiled::new(bytes, &sha(bytes)) {
        Err(RunError::Invalid { message }) => assert!(message.contains("panicked"), "{message}"),
        Err(e) => panic!("{e:?}"),
        // A fixed wasmi compiles it: then it must start or fail without crashing.
        Ok(c) => {
            let _ = start(&c, &spec());
        }
    }
}

#[test]
fn add_header_adds_its_response_header() {
    let c = compile_bytes(&example("add-header.wasm"));
    let mut chain = vec![start_ok(&c)];
    let r = replay(&mut chain, Request::get("/productpage"), &Mocks::new());
    assert_eq!(r.response.source, ResponseSource::Upstream);
    assert_eq!(r.response.status, Some(200));
    assert!(
        r.response
            .headers
            .contains(&("x-meshplug".into(), "hello".into())),
        "{:?}",
        r.response
    );
    let resp = r.steps.iter().find(|s| s.phase == "response").unwrap();
    assert_eq!(
        resp.outcome,
        StepOutcome::Continue {
            header_changes: vec![HeaderChange::Added {
                name: "x-meshplug".into(),
                value: "hello".into()
            }]
        }
    );
}

#[test]
fn deny_path_answers_403_with_the_known_corrupted_body() {
    let c = compile_bytes(&example("deny-path.wasm"));
    let mut chain = vec![start_ok(&c)];
    let r = replay(&mut chain, Request::get("/admin/x"), &Mocks::new());
    assert_eq!(
        r.response.source,
        ResponseSource::LocalReply {
            plugin: "default.test".into()
        }
    );
    assert_eq!(r.response.status, Some(403));
    // The message at 48..70 overlaps the out-pointers at 64 (value pointer) and 68 (length) of
    // proxy_get_header_map_value: bytes 16..24 of the body are the pointer and the length.
    assert_eq!(r.response.body.len(), 22);
    assert!(r.response.body.starts_with("forbidden by den"));
    assert_ne!(r.response.body, "forbidden by deny-path");
    let ok = replay(&mut chain, Request::get("/productpage"), &Mocks::new());
    assert_eq!(ok.response.status, Some(200));
    assert!(ok.upstream_request.is_some());
}

#[test]
fn configure_gets_exactly_the_config_bytes_and_can_reject() {
    // Reject unless the configuration is exactly "yes" (3 bytes) and readable.
    let c = plugin(
        r#"
        (import "env" "proxy_get_buffer_bytes" (func $get (param i32 i32 i32 i32 i32) (result i32)))
        (func (export "proxy_on_vm_start") (param i32 i32) (result i32) (i32.const 1))
        (func (export "proxy_on_context_create") (param i32 i32))
        (func (export "proxy_on_request_headers") (param i32 i32 i32) (result i32) (i32.const 0))
        (func (export "proxy_on_configure") (param $ctx i32) (param $size i32) (result i32)
          (if (i32.ne (local.get $size) (i32.const 3)) (then (return (i32.const 0))))
          (if (call $get (i32.const 7) (i32.const 0) (local.get $size) (i32.const 100) (i32.const 104))
            (then (return (i32.const 0))))
          (i32.eq (i32.load (i32.load (i32.const 100))) (i32.const 0x736579)))
    "#,
    );
    let mut s = spec();
    s.config = b"yes".to_vec();
    assert!(start(&c, &s).is_ok());
    s.config = Vec::new();
    let f = start(&c, &s).unwrap_err();
    assert_eq!(f.kind, StartFailureKind::ConfigureRejected);
    s.config = b"no!".to_vec();
    assert_eq!(
        start(&c, &s).unwrap_err().kind,
        StartFailureKind::ConfigureRejected
    );
}

#[test]
fn vm_start_rejected() {
    let c = plugin(
        r#"(func (export "proxy_on_vm_start") (param i32 i32) (result i32) (i32.const 0))
           (func (export "proxy_on_context_create") (param i32 i32))
           (func (export "proxy_on_request_headers") (param i32 i32 i32) (result i32) (i32.const 0))"#,
    );
    assert_eq!(
        start(&c, &spec()).unwrap_err().kind,
        StartFailureKind::VmStartRejected
    );
}

#[test]
fn not_an_http_filter() {
    let c = plugin(ROOT);
    let f = start(&c, &spec()).unwrap_err();
    assert!(
        matches!(f.kind, StartFailureKind::NotHttpFilter { .. }),
        "{f:?}"
    );
    let c = plugin(
        r#"(func (export "proxy_on_request_headers") (param i32 i32 i32) (result i32) (i32.const 0))"#,
    );
    let f = start(&c, &spec()).unwrap_err();
    assert!(f.message.contains("proxy_on_context_create"), "{f:?}");
    // A stream context that traps at creation: a clear failure of the request.
    let c = plugin(
        r#"(func (export "proxy_on_context_create") (param i32 i32)
             (if (i32.ne (local.get 0) (i32.const 1)) (then unreachable)))
           (func (export "proxy_on_request_headers") (param i32 i32 i32) (result i32) (i32.const 0))"#,
    );
    let mut chain = vec![start_ok(&c)];
    let r = replay(&mut chain, Request::get("/"), &Mocks::new());
    assert!(
        matches!(
            &r.steps[0].outcome,
            StepOutcome::Crashed {
                phase: "proxy_on_context_create",
                ..
            }
        ),
        "{:?}",
        r.steps
    );
    assert_eq!(
        r.response.source,
        ResponseSource::Crashed {
            plugin: "default.test".into()
        }
    );
}

#[test]
fn abi_markers() {
    let higress = wat::parse_str(
        r#"(module (memory (export "memory") 1)
            (func (export "proxy_abi_version_0_2_100"))
            (func (export "malloc") (param i32) (result i32) i32.const 0))"#,
    )
    .unwrap();
    let f = start(&compile_bytes(&higress), &spec()).unwrap_err();
    assert_eq!(
        f.kind,
        StartFailureKind::UnsupportedAbi {
            marker: Some("proxy_abi_version_0_2_100".into())
        }
    );
    assert!(f.message.contains("Higress"), "{}", f.message);
    let r = crate::artifact::wasm::check(&higress, None);
    assert!(
        r.errors.iter().any(|e| e.contains("Higress")),
        "{:?}",
        r.errors
    );
    let none = wat::parse_str(r#"(module (memory (export "memory") 1))"#).unwrap();
    assert_eq!(
        start(&compile_bytes(&none), &spec()).unwrap_err().kind,
        StartFailureKind::UnsupportedAbi { marker: None }
    );
}

const GO_IMPORTS: &str = r#"
  (import "wasi_snapshot_preview1" "poll_oneoff" (func (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "sched_yield" (func (result i32)))
  (import "wasi_snapshot_preview1" "fd_fdstat_set_flags" (func (param i32 i32) (result i32)))
  (func (export "proxy_on_request_headers") (param i32 i32 i32) (result i32) (i32.const 0))
"#;

#[test]
fn missing_imports_per_istio_version() {
    let c = plugin(&format!("{GO_IMPORTS}{ROOT}"));
    let mut s = spec();
    s.istio_minor = Some(IstioMinor(25));
    assert!(start(&c, &s).is_ok());
    s.istio_minor = None;
    assert!(start(&c, &s).is_ok());
    s.istio_minor = Some(IstioMinor(24));
    let f = start(&c, &s).unwrap_err();
    assert_eq!(
        f.kind,
        StartFailureKind::MissingImport {
            module: "wasi_snapshot_preview1".into(),
            name: "poll_oneoff".into(),
            first_istio: Some("1.25".into()),
        }
    );
    assert!(
        f.message.starts_with(
            "Failed to load Wasm module due to a missing import: wasi_snapshot_preview1.poll_oneoff"
        ),
        "{}",
        f.message
    );
    assert!(f.message.contains("first available in Istio 1.25"));
    assert!(f.message.contains("sched_yield") && f.message.contains("fd_fdstat_set_flags"));
    // The static check agrees.
    let r = crate::artifact::wasm::check_for(
        &module(&format!("{GO_IMPORTS}{ROOT}")),
        None,
        Some(IstioMinor(24)),
    );
    assert!(
        r.errors.iter().any(|e| e.contains("poll_oneoff")),
        "{:?}",
        r.errors
    );
    // ABI-specific env functions and type mismatches.
    let c = plugin(&format!(
        r#"(import "env" "proxy_get_configuration" (func (param i32 i32) (result i32))) {ROOT}
           (func (export "proxy_on_request_headers") (param i32 i32 i32) (result i32) (i32.const 0))"#
    ));
    assert!(matches!(
        start(&c, &spec()).unwrap_err().kind,
        StartFailureKind::MissingImport { .. }
    ));
    let c = plugin(&format!(
        r#"(import "env" "proxy_log" (func (param i32 i32) (result i32))) {ROOT}
           (func (export "proxy_on_request_headers") (param i32 i32 i32) (result i32) (i32.const 0))"#
    ));
    let f = start(&c, &spec()).unwrap_err();
    assert!(
        f.message.contains("import type mismatch: env.proxy_log"),
        "{f:?}"
    );
}

#[test]
fn hostile_infinite_loop_runs_out_of_fuel_fast() {
    let c = plugin(&format!(
        r#"{ROOT} (func (export "proxy_on_request_headers") (param i32 i32 i32) (result i32)
             (loop $l (br $l)) (i32.const 0))"#
    ));
    let mut s = spec();
    s.limits.fuel_per_callback = 5_000_000;
    let mut vm = start(&c, &s).unwrap();
    let t = Instant::now();
    let mut ex = HttpExchange::new(&Request::get("/"));
    let step = vm.request(&mut ex, &Mocks::new());
    assert!(t.elapsed().as_secs() < 5);
    assert_eq!(
        step.outcome,
        StepOutcome::Crashed {
            phase: "proxy_on_request_headers",
            fault: Fault::OutOfFuel
        }
    );
    // The VM is failed from then on, as in Envoy.
    let again = vm.request(&mut HttpExchange::new(&Request::get("/")), &Mocks::new());
    assert!(matches!(again.outcome, StepOutcome::Crashed { .. }));
    // In a start phase.
    let c = plugin(
        r#"(func (export "_initialize") (loop $l (br $l)))
           (func (export "proxy_on_context_create") (param i32 i32))"#,
    );
    assert_eq!(
        start(&c, &s).unwrap_err().kind,
        StartFailureKind::OutOfFuel {
            phase: "_initialize"
        }
    );
}

#[test]
fn hostile_memory_bomb_hits_the_cap() {
    let c = plugin(&format!(
        r#"{ROOT} (func (export "proxy_on_request_headers") (param i32 i32 i32) (result i32)
             (loop $l (br_if $l (i32.ne (memory.grow (i32.const 16)) (i32.const -1))))
             unreachable)"#
    ));
    let mut s = spec();
    s.limits.memory_bytes = 8 << 20;
    let mut vm = start(&c, &s).unwrap();
    let step = vm.request(&mut HttpExchange::new(&Request::get("/")), &Mocks::new());
    assert!(
        matches!(
            step.outcome,
            StepOutcome::Crashed {
                fault: Fault::OutOfMemory { .. },
                ..
            }
        ),
        "{:?}",
        step.outcome
    );
    // A declared initial memory over the cap fails at instantiation.
    let big = wat::parse_str(
        r#"(module (memory (export "memory") 1000)
            (func (export "proxy_abi_version_0_2_1"))
            (func (export "malloc") (param i32) (result i32) i32.const 0)
            (func (export "proxy_on_context_create") (param i32 i32)))"#,
    )
    .unwrap();
    let f = start(&compile_bytes(&big), &s).unwrap_err();
    assert!(
        matches!(
            f.kind,
            StartFailureKind::OutOfMemory {
                phase: "instantiate",
                ..
            } | StartFailureKind::Trap {
                phase: "instantiate",
                ..
            }
        ),
        "{f:?}"
    );
}

#[test]
fn hostile_deep_recursion_traps() {
    let c = plugin(&format!(
        r#"{ROOT} (func $r (param i32) (result i32) (call $r (i32.add (local.get 0) (i32.const 1))))
           (func (export "proxy_on_request_headers") (param i32 i32 i32) (result i32)
             (call $r (i32.const 0)))"#
    ));
    let mut vm = start_ok(&c);
    let step = vm.request(&mut HttpExchange::new(&Request::get("/")), &Mocks::new());
    match step.outcome {
        StepOutcome::Crashed {
            fault: Fault::Trap { message },
            ..
        } => assert!(message.contains("stack"), "{message}"),
        o => panic!("{o:?}"),
    }
}

#[test]
fn hostile_trap_in_initialize_and_proc_exit() {
    let c = plugin(
        r#"(import "env" "proxy_log" (func $log (param i32 i32 i32) (result i32)))
           (data (i32.const 0) "booting")
           (func (export "_initialize") (drop (call $log (i32.const 2) (i32.const 0) (i32.const 7))) unreachable)
           (func (export "proxy_on_context_create") (param i32 i32))"#,
    );
    let f = start(&c, &spec()).unwrap_err();
    assert!(
        matches!(
            &f.kind,
            StartFailureKind::Trap {
                phase: "_initialize",
                ..
            }
        ),
        "{f:?}"
    );
    assert_eq!(f.logs[0].message, "booting");
    // proc_exit is not among the host calls cpp-host allows during start: `_start` calling it
    // traps (restricted_callback), even with code 0.
    let c = plugin(
        r#"(import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
           (func (export "_start") (call $exit (i32.const 0)))
           (func (export "proxy_on_context_create") (param i32 i32))"#,
    );
    let f = start(&c, &spec()).unwrap_err();
    assert!(
        matches!(&f.kind, StartFailureKind::Trap { phase: "_start", message } if message.contains("restricted_callback: wasi_snapshot_preview1.proc_exit")),
        "{f:?}"
    );
    // In a stream callback it ends the call with a structured exit.
    let c = plugin(&format!(
        r#"(import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
           {ROOT}
           (func (export "proxy_on_request_headers") (param i32 i32 i32) (result i32)
             (call $exit (i32.const 3)) (i32.const 0))"#
    ));
    let mut vm = start_ok(&c);
    let step = vm.request(&mut HttpExchange::new(&Request::get("/")), &Mocks::new());
    assert_eq!(
        step.outcome,
        StepOutcome::Crashed {
            phase: "proxy_on_request_headers",
            fault: Fault::Exit { code: 3 }
        }
    );
    assert_eq!(step.logs[0].message, "wasi_unstable proc_exit");
    // Only the start-time host calls are allowed in _initialize (cpp-host restricted callbacks).
    let c = plugin(
        r#"(import "env" "proxy_get_property" (func $p (param i32 i32 i32 i32) (result i32)))
           (func (export "_initialize") (drop (call $p (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0))))
           (func (export "proxy_on_context_create") (param i32 i32))"#,
    );
    let f = start(&c, &spec()).unwrap_err();
    assert!(f.message.contains("restricted_callback"), "{f:?}");
}

/// Every env host function called with wild pointers from a request callback: no panic, an
/// InvalidMemoryAccess (6) or BadArgument (2) / NotFound (1) status.
#[test]
fn wild_pointers_never_panic() {
    let mut imports = String::new();
    let mut calls = String::new();
    for (i, (name, (params, results))) in engine::known_names()
        .iter()
        .filter(|n| n.starts_with("proxy_"))
        .filter(|n| crate::artifact::wasm::provides(Some(AbiVersion::V0_2_1), "env", n))
        .map(|n| (n, crate::artifact::wasm::signature("env", n).unwrap()))
        .enumerate()
    {
        let ps: String = params
            .chars()
            .map(|c| if c == 'I' { " i64" } else { " i32" })
            .collect();
        let rs = if results.is_empty() {
            ""
        } else {
            "(result i32)"
        };
        imports.push_str(&format!(
            r#"(import "env" "{name}" (func $f{i} (param{ps}) {rs}))"#
        ));
        let args: String = params
            .chars()
            .enumerate()
            .map(|(j, c)| {
                let v = if j == 0 && name.contains("header_map") {
                    0
                } else {
                    -8 - j as i64
                };
                if c == 'I' {
                    format!("(i64.const {v})")
                } else {
                    format!("(i32.const {v})")
                }
            })
            .collect();
        let drop = if results.is_empty() { "" } else { "drop" };
        calls.push_str(&format!("(call $f{i} {args}) {drop}\n"));
    }
    let c = plugin(&format!(
        r#"{imports} {ROOT} (func (export "proxy_on_request_headers") (param i32 i32 i32) (result i32)
             {calls} (i32.const 0))"#
    ));
    let mut vm = start_ok(&c);
    let step = vm.request(&mut HttpExchange::new(&Request::get("/")), &Mocks::new());
    assert!(
        matches!(step.outcome, StepOutcome::Continue { .. }),
        "{:?}",
        step.outcome
    );
    // And through the plain-memory seam, every function with edge arguments.
    for index in 0..engine::known_names().len() {
        for args in [
            [0i64; 12],
            [u32::MAX as i64; 12],
            [0xffff_fff0; 12],
            [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
        ] {
            let _ = fuzz_host_call(index, &args, vec![0; 64], true);
            let _ = fuzz_host_call(index, &args, vec![0; 64], false);
        }
    }
}

#[test]
fn wasi_answers_like_cpp_host() {
    let c = plugin(&format!(
        r#"
        (import "wasi_snapshot_preview1" "fd_write" (func $w (param i32 i32 i32 i32) (result i32)))
        (import "wasi_snapshot_preview1" "fd_read" (func $r (param i32 i32 i32 i32) (result i32)))
        (import "wasi_snapshot_preview1" "path_open" (func $o (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
        (import "wasi_snapshot_preview1" "fd_prestat_get" (func $pre (param i32 i32) (result i32)))
        (import "wasi_snapshot_preview1" "environ_sizes_get" (func $es (param i32 i32) (result i32)))
        (import "wasi_snapshot_preview1" "clock_time_get" (func $clock (param i32 i64 i32) (result i32)))
        (import "wasi_snapshot_preview1" "random_get" (func $rand (param i32 i32) (result i32)))
        (import "env" "proxy_log" (func $log (param i32 i32 i32) (result i32)))
        (data (i32.const 0) "hello\n")
        (data (i32.const 16) "\00\00\00\00\06\00\00\00")
        {ROOT}
        (func $check (param i32 i32)
          (if (i32.ne (local.get 0) (local.get 1)) (then unreachable)))
        (func (export "proxy_on_request_headers") (param i32 i32 i32) (result i32)
          (call $check (call $w (i32.const 1) (i32.const 16) (i32.const 1) (i32.const 100)) (i32.const 0))
          (call $check (call $w (i32.const 2) (i32.const 16) (i32.const 1) (i32.const 100)) (i32.const 0))
          (call $check (call $w (i32.const 3) (i32.const 16) (i32.const 1) (i32.const 100)) (i32.const 8))
          (call $check (call $w (i32.const 1) (i32.const 70000) (i32.const 1) (i32.const 100)) (i32.const 21))
          (call $check (call $r (i32.const 0) (i32.const 16) (i32.const 1) (i32.const 100)) (i32.const 52))
          (call $check (call $o (i32.const 3) (i32.const 0) (i32.const 0) (i32.const 1) (i32.const 0) (i64.const 0) (i64.const 0) (i32.const 0) (i32.const 100)) (i32.const 44))
          (call $check (call $pre (i32.const 3) (i32.const 100)) (i32.const 8))
          (call $check (call $es (i32.const 100) (i32.const 104)) (i32.const 0))
          (call $check (i32.load (i32.const 100)) (i32.const 1))
          (call $check (i32.load (i32.const 104)) (i32.const 8))
          (call $check (call $clock (i32.const 0) (i64.const 0) (i32.const 200)) (i32.const 0))
          (call $check (i32.wrap_i64 (i64.div_u (i64.load (i32.const 200)) (i64.const 1000000000))) (i32.const 1767225600))
          (call $check (call $clock (i32.const 2) (i64.const 0) (i32.const 200)) (i32.const 58))
          (call $check (call $rand (i32.const 300) (i32.const 16)) (i32.const 0))
          (call $check (call $rand (i32.const 300) (i32.const 70000)) (i32.const 28))
          (call $check (call $log (i32.const 9) (i32.const 0) (i32.const 1)) (i32.const 2))
          (call $check (call $log (i32.const 3) (i32.const 65530) (i32.const 100)) (i32.const 6))
          (i32.const 0))
        "#
    ));
    let mut s = spec();
    s.env = vec![("KEY".into(), "val".into())];
    let mut vm = start(&c, &s).unwrap();
    let step = vm.request(&mut HttpExchange::new(&Request::get("/")), &Mocks::new());
    assert!(
        matches!(step.outcome, StepOutcome::Continue { .. }),
        "{:?}",
        step.outcome
    );
    let lines: Vec<(LogLevel, &str, &str)> = step
        .logs
        .iter()
        .map(|l| (l.level, l.source, l.message.as_str()))
        .collect();
    assert_eq!(
        lines,
        [
            (LogLevel::Info, "stdout", "hello"),
            (LogLevel::Error, "stderr", "hello")
        ]
    );
}

#[test]
fn headers_properties_shared_data_metrics_and_calls() {
    // A plugin that reads :path and plugin_name, writes them as headers, counts, stores shared
    // data and calls `authz` when the path is /ext.
    let c = plugin(
        r#"
        (import "env" "proxy_get_property" (func $prop (param i32 i32 i32 i32) (result i32)))
        (import "env" "proxy_add_header_map_value" (func $add (param i32 i32 i32 i32 i32) (result i32)))
        (import "env" "proxy_replace_header_map_value" (func $rep (param i32 i32 i32 i32 i32) (result i32)))
        (import "env" "proxy_remove_header_map_value" (func $rm (param i32 i32 i32) (result i32)))
        (import "env" "proxy_define_metric" (func $def (param i32 i32 i32 i32) (result i32)))
        (import "env" "proxy_increment_metric" (func $inc (param i32 i64) (result i32)))
        (import "env" "proxy_set_shared_data" (func $set (param i32 i32 i32 i32 i32) (result i32)))
        (import "env" "proxy_http_call" (func $call (param i32 i32 i32 i32 i32 i32 i32 i32 i32 i32) (result i32)))
        (import "env" "proxy_continue_stream" (func $cont (param i32) (result i32)))
        (import "env" "proxy_set_effective_context" (func $eff (param i32) (result i32)))
        (import "env" "proxy_get_header_map_pairs" (func $pairs (param i32 i32 i32) (result i32)))
        (data (i32.const 0) "plugin_name")
        (data (i32.const 16) "x-plugin")
        (data (i32.const 32) "request\00url_path")
        (data (i32.const 64) "x-path")
        (data (i32.const 80) "hits")
        (data (i32.const 96) "user-agent")
        (data (i32.const 112) "authz")
        ;; pairs: :method GET, :path /check, :authority authz
        (data (i32.const 128) "\03\00\00\00\07\00\00\00\03\00\00\00\05\00\00\00\06\00\00\00\0a\00\00\00\05\00\00\00:method\00GET\00:path\00/check\00:authority\00authz\00")
        (data (i32.const 256) "x-authz")
        (global $ctx (mut i32) (i32.const 0))
        (func (export "proxy_on_vm_start") (param i32 i32) (result i32) (i32.const 1))
        (func (export "proxy_on_configure") (param i32 i32) (result i32)
          (drop (call $set (i32.const 80) (i32.const 4) (i32.const 16) (i32.const 8) (i32.const 0)))
          (i32.const 1))
        (func (export "proxy_on_context_create") (param i32 i32))
        (func (export "proxy_on_request_headers") (param $c i32) (param i32 i32) (result i32)
          (global.set $ctx (local.get $c))
          (drop (call $prop (i32.const 0) (i32.const 11) (i32.const 400) (i32.const 404)))
          (drop (call $add (i32.const 0) (i32.const 16) (i32.const 8) (i32.load (i32.const 400)) (i32.load (i32.const 404))))
          (drop (call $prop (i32.const 32) (i32.const 16) (i32.const 400) (i32.const 404)))
          (drop (call $rep (i32.const 0) (i32.const 64) (i32.const 6) (i32.load (i32.const 400)) (i32.load (i32.const 404))))
          (drop (call $rm (i32.const 0) (i32.const 96) (i32.const 10)))
          (drop (call $def (i32.const 0) (i32.const 80) (i32.const 4) (i32.const 408)))
          (drop (call $inc (i32.load (i32.const 408)) (i64.const 1)))
          (if (i32.eq (i32.load (i32.const 404)) (i32.const 4))
            (then
              (i32.store (i32.const 500) (call $call (i32.const 112) (i32.const 5) (i32.const 128) (i32.const 70)
                 (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 1000) (i32.const 504)))
              (return (i32.const 1))))
          (i32.const 0))
        (func (export "proxy_on_http_call_response") (param i32 i32 i32 i32 i32)
          (drop (call $eff (global.get $ctx)))
          (drop (call $pairs (i32.const 6) (i32.const 600) (i32.const 604)))
          (drop (call $add (i32.const 0) (i32.const 256) (i32.const 7) (i32.const 116) (i32.const 1)))
          (drop (call $cont (i32.const 0))))
        "#,
    );
    let vm = start_ok(&c);
    assert_eq!(
        vm.shared_data(),
        [("hits".to_string(), "x-plugin".to_string())]
    );
    let mut chain = vec![vm];
    let req = Request::get("/a?b=1").header("user-agent", "curl");
    let r = replay(&mut chain, req.clone(), &Mocks::new());
    let up = r.upstream_request.clone().unwrap();
    assert!(
        up.contains(&("x-plugin".into(), "default.test".into())),
        "{up:?}"
    );
    assert!(up.contains(&("x-path".into(), "/a".into())), "{up:?}");
    assert!(!up.iter().any(|(k, _)| k == "user-agent"));
    assert_eq!(chain[0].metrics()[0].value, 1);
    // Deterministic.
    let again = replay(&mut chain, req, &Mocks::new());
    assert_eq!(
        serde_json::to_string(&again.response).unwrap(),
        serde_json::to_string(&r.response).unwrap()
    );
    // /ext: no mock → BadArgument from proxy_http_call, the plugin pauses anyway.
    let r = replay(&mut chain, Request::get("/ext"), &Mocks::new());
    let step = &r.steps[0];
    assert_eq!(step.http_calls[0].result, 2);
    assert_eq!(step.outcome, StepOutcome::Paused { waiting_on: None });
    // A hanging cluster: paused waiting on it.
    let mut mocks = Mocks::new();
    mocks.insert("authz".into(), MockUpstream::Hang);
    let r = replay(&mut chain, Request::get("/ext"), &mocks);
    assert_eq!(
        r.response.source,
        ResponseSource::Paused {
            plugin: "default.test".into(),
            waiting_on: Some("authz".into())
        }
    );
    // A mocked answer resumes the stream from proxy_on_http_call_response.
    mocks.insert(
        "authz".into(),
        MockUpstream::Respond {
            status: 200,
            headers: vec![],
            body: "allow".into(),
        },
    );
    let r = replay(&mut chain, Request::get("/ext"), &mocks);
    assert_eq!(r.response.source, ResponseSource::Upstream, "{:?}", r.steps);
    let up = r.upstream_request.unwrap();
    assert!(up.contains(&("x-authz".into(), "z".into())), "{up:?}");
    assert_eq!(r.steps[0].http_calls[0].answered, Some(200));
    assert_eq!(
        r.steps[0].http_calls[0].headers[1],
        (":path".into(), "/check".into())
    );
}

#[test]
fn log_capture_is_bounded() {
    let c = plugin(&format!(
        r#"(import "env" "proxy_log" (func $log (param i32 i32 i32) (result i32)))
           {ROOT}
           (func (export "proxy_on_request_headers") (param i32 i32 i32) (result i32)
             (local $i i32)
             (loop $l
               (drop (call $log (i32.const 2) (i32.const 0) (i32.const 5000)))
               (local.set $i (i32.add (local.get $i) (i32.const 1)))
               (br_if $l (i32.lt_u (local.get $i) (i32.const 250))))
             (i32.const 0))"#
    ));
    let mut vm = start_ok(&c);
    let step = vm.request(&mut HttpExchange::new(&Request::get("/")), &Mocks::new());
    assert_eq!(step.logs.len(), 200);
    assert_eq!(step.logs_dropped, 50);
    assert!(step.logs[0].message.ends_with("[truncated 5000 bytes]"));
}

#[test]
fn chain_order_request_forward_response_reverse() {
    let add = compile_bytes(&example("add-header.wasm"));
    let deny = compile_bytes(&example("deny-path.wasm"));
    let mut chain = Vec::new();
    for (i, c) in [&deny, &add, &add, &add, &add].iter().enumerate() {
        let mut s = spec();
        s.plugin_name = format!("ns.p{i}");
        chain.push(start(c, &s).unwrap());
    }
    let r = replay(&mut chain, Request::get("/x"), &Mocks::new());
    let order: Vec<(&str, &str)> = r
        .steps
        .iter()
        .filter(|s| s.phase != "log")
        .map(|s| (s.plugin.as_str(), s.phase))
        .collect();
    assert_eq!(
        &order[..5],
        [
            ("ns.p0", "request"),
            ("ns.p1", "request"),
            ("ns.p2", "request"),
            ("ns.p3", "request"),
            ("ns.p4", "request")
        ]
    );
    assert_eq!(order[5], ("ns.p4", "response"));
    assert_eq!(order[9], ("ns.p0", "response"));
    let n = r
        .response
        .headers
        .iter()
        .filter(|(k, _)| k == "x-meshplug")
        .count();
    assert_eq!(n, 4);
    let blocked = replay(&mut chain, Request::get("/admin"), &Mocks::new());
    assert_eq!(
        blocked
            .steps
            .iter()
            .filter(|s| s.phase == "request")
            .count(),
        1
    );
    assert!(blocked.upstream_request.is_none());
}

/// Timing of the WAT examples (printed; `cargo test --release -- --nocapture timings`).
#[test]
fn timings() {
    let add = example("add-header.wasm");
    let t = Instant::now();
    let c = compile_bytes(&add);
    let mut chain: Vec<PluginVm> = (0..5).map(|_| start_ok(&c)).collect();
    let start_us = t.elapsed().as_micros();
    let n = 200;
    let t = Instant::now();
    for _ in 0..n {
        let _ = replay(&mut chain, Request::get("/"), &Mocks::new());
    }
    println!(
        "add-header: compile+5 starts {start_us} µs; {} µs per request through 5 plugins",
        t.elapsed().as_micros() / n
    );
}

/// An SDK-built module from `examples/plugins/`, or from `$MESHPLUG_PLUGINS_DIR` (to run the
/// ignored tests against modules built elsewhere before they are merged).
fn sdk_module(name: &str) -> Option<Vec<u8>> {
    let dir = std::env::var("MESHPLUG_PLUGINS_DIR")
        .unwrap_or_else(|_| format!("{}/examples/plugins", env!("CARGO_MANIFEST_DIR")));
    std::fs::read(format!("{dir}/{name}")).ok()
}

#[test]
fn sdk_basic_auth() {
    let bytes = sdk_module("basic-auth.wasm").expect("examples/plugins/basic-auth.wasm");
    let c = compile_bytes(&bytes);
    let mut s = spec();
    s.config = br#"{"basic_auth_rules":[{"prefix":"/productpage","request_methods":["GET","POST"],"credentials":["ok:test","YWRtaW4zOmFkbWluMw=="]}]}"#.to_vec();
    let vm = start(&c, &s).unwrap_or_else(|f| panic!("{f:?}"));
    println!("basic-auth start fuel: {:?}", vm.start_phases);
    let mut chain = vec![vm];
    let r = replay(&mut chain, Request::get("/productpage"), &Mocks::new());
    assert_eq!(r.response.status, Some(401), "{r:?}");
    assert!(
        r.response
            .body
            .contains("No Basic Authentication information found"),
        "{r:?}"
    );
    let r = replay(
        &mut chain,
        Request::get("/productpage").header("authorization", "Basic b2s6d3Jvbmc="),
        &Mocks::new(),
    );
    assert_eq!(r.response.status, Some(401), "{r:?}");
    let r = replay(&mut chain, Request::get("/other"), &Mocks::new());
    assert_eq!(r.response.source, ResponseSource::Upstream, "{r:?}");
    let r = replay(
        &mut chain,
        Request::get("/productpage").header("authorization", "Basic YWRtaW4zOmFkbWluMw=="),
        &Mocks::new(),
    );
    assert_eq!(r.response.source, ResponseSource::Upstream, "{r:?}");
    println!(
        "basic-auth request fuel: {:?}",
        r.steps.iter().map(|s| s.fuel_used).collect::<Vec<_>>()
    );
}

#[test]
fn sdk_hello_world() {
    let bytes = sdk_module("hello-world.wasm").expect("examples/plugins/hello-world.wasm");
    let c = compile_bytes(&bytes);
    let mut s = spec();
    s.env = vec![("TRUST_DOMAIN".into(), "cluster.local".into())];
    s.config = br#"{"greeting": "hi"}"#.to_vec();
    let vm = start(&c, &s).unwrap_or_else(|f| panic!("{f:?}"));
    println!(
        "hello-world start: {:?} logs {:?}",
        vm.start_phases, vm.start_logs
    );
    let mut chain = vec![vm];
    let r = replay(&mut chain, Request::get("/"), &Mocks::new());
    assert_eq!(r.response.source, ResponseSource::Upstream, "{r:?}");
    assert!(
        r.response
            .headers
            .contains(&("x-greeting".into(), "hi".into())),
        "{r:?}"
    );
    assert!(
        r.response
            .headers
            .contains(&("x-trust-domain".into(), "cluster.local".into())),
        "{r:?}"
    );
    s.config = b"not json".to_vec();
    let f = start(&c, &s).unwrap_err();
    assert_eq!(f.kind, StartFailureKind::ConfigureRejected, "{f:?}");
    assert_eq!(
        f.logs.iter().filter(|l| l.level == LogLevel::Error).count(),
        1,
        "{f:?}"
    );
}

#[test]
fn sdk_deny_path() {
    let bytes = sdk_module("deny-path-sdk.wasm").expect("examples/plugins/deny-path-sdk.wasm");
    let c = compile_bytes(&bytes);
    let mut chain = vec![start(&c, &spec()).unwrap_or_else(|f| panic!("{f:?}"))];
    let r = replay(&mut chain, Request::get("/admin"), &Mocks::new());
    assert_eq!(r.response.status, Some(403), "{r:?}");
    assert_eq!(r.response.body, "forbidden by deny-path");
    println!(
        "deny-path-sdk start: {:?}; request fuel {:?}",
        chain[0].start_phases,
        r.steps
            .iter()
            .map(|s| (s.phase, s.fuel_used))
            .collect::<Vec<_>>()
    );
    let r = replay(&mut chain, Request::get("/productpage"), &Mocks::new());
    assert_eq!(r.response.source, ResponseSource::Upstream, "{r:?}");
}

/// The throwaway SDK plugin built in /tmp (not committed); skipped when absent.
#[test]
fn sdk_throwaway_plugin_if_built() {
    let Ok(bytes) = std::fs::read("/tmp/sdkplug/target/wasm32-wasip1/release/sdkplug.wasm") else {
        return;
    };
    let c = compile_bytes(&bytes);
    let mut s = spec();
    s.config = b"/secure dG9rZW4=".to_vec();
    let t = Instant::now();
    let vm = start(&c, &s).unwrap_or_else(|f| panic!("{f:?}"));
    println!(
        "sdkplug start {} µs, phases {:?}, logs {:?}",
        t.elapsed().as_micros(),
        vm.start_phases,
        vm.start_logs
    );
    assert_eq!(vm.tick_period_ms(), Some(5000));
    let mut chain = vec![vm];
    let r = replay(&mut chain, Request::get("/secure/x"), &Mocks::new());
    assert_eq!(r.response.status, Some(401), "{r:?}");
    let r = replay(
        &mut chain,
        Request::get("/secure/x").header("authorization", "Basic dG9rZW4="),
        &Mocks::new(),
    );
    assert_eq!(r.response.source, ResponseSource::Upstream, "{r:?}");
    let up = r.upstream_request.clone().unwrap();
    assert!(up.contains(&("x-user".into(), "ok".into())));
    assert!(!up.iter().any(|(k, _)| k == "authorization"));
    assert!(r.response.headers.contains(&("x-sdk".into(), "1".into())));
    println!(
        "sdkplug request fuel {:?}",
        r.steps
            .iter()
            .map(|s| (s.phase, s.fuel_used))
            .collect::<Vec<_>>()
    );
    let mut mocks = Mocks::new();
    mocks.insert(
        "authz".into(),
        MockUpstream::Respond {
            status: 200,
            headers: vec![],
            body: "deny".into(),
        },
    );
    let r = replay(&mut chain, Request::get("/ext"), &mocks);
    assert_eq!(r.response.status, Some(403), "{r:?}");
    let r = replay(&mut chain, Request::get("/ext"), &Mocks::new());
    assert_eq!(r.response.status, Some(503), "{r:?}");
    s.config = b"reject".to_vec();
    assert_eq!(
        start(&c, &s).unwrap_err().kind,
        StartFailureKind::ConfigureRejected
    );
    let mut chain: Vec<PluginVm> = (0..5)
        .map(|_| {
            let mut s = spec();
            s.config = b"/secure dG9rZW4=".to_vec();
            start(&c, &s).unwrap()
        })
        .collect();
    let n = 200;
    let t = Instant::now();
    for _ in 0..n {
        let _ = replay(
            &mut chain,
            Request::get("/secure/x").header("authorization", "Basic dG9rZW4="),
            &Mocks::new(),
        );
    }
    println!(
        "sdkplug: {} µs per request through 5 plugins",
        t.elapsed().as_micros() / n
    );
}

#[test]
fn same_inputs_same_report() {
    let c = plugin(&format!(
        r#"(import "wasi_snapshot_preview1" "random_get" (func $rand (param i32 i32) (result i32)))
           (import "env" "proxy_get_current_time_nanoseconds" (func $now (param i32) (result i32)))
           (import "env" "proxy_log" (func $log (param i32 i32 i32) (result i32)))
           {ROOT}
           (func (export "proxy_on_request_headers") (param i32 i32 i32) (result i32)
             (drop (call $rand (i32.const 0) (i32.const 8)))
             (drop (call $now (i32.const 8)))
             (drop (call $log (i32.const 2) (i32.const 0) (i32.const 16)))
             (i32.const 0))"#
    ));
    let run_once = || {
        let mut chain = vec![start_ok(&c), start_ok(&c)];
        serde_json::to_string(&replay(&mut chain, Request::get("/"), &Mocks::new())).unwrap()
    };
    let a = run_once();
    assert_eq!(a, run_once());
    assert!(a.contains("\"level\":\"info\""), "{a}");
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]
    /// The fuzz seam with arbitrary arguments and memory: never a panic.
    #[test]
    fn host_calls_with_arbitrary_arguments(
        index in 0usize..200,
        args in proptest::collection::vec(proptest::prelude::any::<u32>(), 12),
        small in proptest::collection::vec(0u32..300, 12),
        pick in proptest::collection::vec(proptest::prelude::any::<bool>(), 12),
        memory in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..512),
        in_stream in proptest::prelude::any::<bool>(),
    ) {
        let args: Vec<i64> = args
            .iter()
            .zip(&small)
            .zip(&pick)
            .map(|((a, s), p)| if *p { *s as i64 } else { *a as i64 })
            .collect();
        let _ = fuzz_host_call(index, &args, memory, in_stream);
    }
}

#[test]
fn request_body_is_delivered_once_and_can_be_rewritten() {
    // proxy_on_request_body: prepend "X" to the body when it is complete.
    let c = plugin(&format!(
        r#"(import "env" "proxy_set_buffer_bytes" (func $set (param i32 i32 i32 i32 i32) (result i32)))
           (import "env" "proxy_get_buffer_status" (func $status (param i32 i32 i32) (result i32)))
           (data (i32.const 0) "X")
           {ROOT}
           (func (export "proxy_on_request_headers") (param i32 i32 i32) (result i32)
             ;; end_of_stream is 0: a body follows.
             (if (local.get 2) (then unreachable))
             (i32.const 0))
           (func (export "proxy_on_request_body") (param i32 i32 i32) (result i32)
             (if (i32.eqz (local.get 2)) (then unreachable))
             (if (call $status (i32.const 0) (i32.const 100) (i32.const 104)) (then unreachable))
             (if (i32.ne (i32.load (i32.const 100)) (local.get 1)) (then unreachable))
             (if (call $set (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 1)) (then unreachable))
             (i32.const 0))"#
    ));
    let mut chain = vec![start_ok(&c)];
    let mut req = Request::get("/upload");
    req.method = "POST".into();
    req.body = Some("payload".into());
    let r = replay(&mut chain, req, &Mocks::new());
    assert_eq!(r.response.source, ResponseSource::Upstream, "{:?}", r.steps);
    assert_eq!(r.upstream_request_body.as_deref(), Some("Xpayload"));
}
