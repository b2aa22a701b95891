;; rejects-config: proxy_on_configure logs one error line (level 4) and returns 0, whatever the
;; configuration: Envoy then refuses the plugin ("Failed to configure base Wasm plugin").
(module
  (import "env" "proxy_log"
    (func $log (param i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  ;; 66 bytes
  (data (i32.const 16) "rejects-config: invalid configuration: expected {\"mode\": \"strict\"}")
  (global $heap (mut i32) (i32.const 1024))
  (func (export "proxy_abi_version_0_2_1"))
  (func (export "proxy_on_memory_allocate") (param $size i32) (result i32)
    (local $at i32)
    (local.set $at (global.get $heap))
    (global.set $heap (i32.add (global.get $heap) (local.get $size)))
    (local.get $at))
  (func (export "proxy_on_context_create") (param i32 i32))
  (func (export "proxy_on_vm_start") (param i32 i32) (result i32) (i32.const 1))
  (func (export "proxy_on_configure") (param i32 i32) (result i32)
    ;; proxy_log(level error = 4, message, size)
    (drop (call $log (i32.const 4) (i32.const 16) (i32.const 66)))
    (i32.const 0))
  (func (export "proxy_on_request_headers") (param i32 i32 i32) (result i32) (i32.const 0)))
