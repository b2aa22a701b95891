;; needs-poll-oneoff: a working proxy-wasm 0.2.1 filter (configure accepts anything, requests
;; continue) that imports the three WASI functions a Go 1.24 SDK module (Go's wasip1 runtime)
;; imports on top of the 15 every host links: poll_oneoff, sched_yield, fd_fdstat_set_flags.
;; proxy-wasm-cpp-host links them since c4d7bb0 (2024-12-19): the module loads in recent Istio
;; and fails to link ("missing import") in Istio <= 1.24.
(module
  (import "wasi_snapshot_preview1" "poll_oneoff"
    (func $poll_oneoff (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "sched_yield"
    (func $sched_yield (result i32)))
  (import "wasi_snapshot_preview1" "fd_fdstat_set_flags"
    (func $fd_fdstat_set_flags (param i32 i32) (result i32)))
  (memory (export "memory") 1)
  (global $heap (mut i32) (i32.const 1024))
  (func (export "proxy_abi_version_0_2_1"))
  (func (export "proxy_on_memory_allocate") (param $size i32) (result i32)
    (local $at i32)
    (local.set $at (global.get $heap))
    (global.set $heap (i32.add (global.get $heap) (local.get $size)))
    (local.get $at))
  (func (export "proxy_on_context_create") (param i32 i32))
  (func (export "proxy_on_vm_start") (param i32 i32) (result i32) (i32.const 1))
  (func (export "proxy_on_configure") (param i32 i32) (result i32) (i32.const 1))
  ;; proxy_on_request_headers(context, headers, end_of_stream) -> Action::Continue (0)
  (func (export "proxy_on_request_headers") (param i32 i32 i32) (result i32) (i32.const 0)))
