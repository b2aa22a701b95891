;; add-header: a tiny proxy-wasm (ABI 0.2.1) HTTP filter that adds `x-meshplug: hello` to every
;; response. Written by hand as WAT so the example needs no toolchain; `meshplug push` takes the
;; assembled .wasm (tests assemble it with the `wat` crate).
(module
  (import "env" "proxy_add_header_map_value"
    (func $add_header (param i32 i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "x-meshplug")
  (data (i32.const 32) "hello")
  (global $heap (mut i32) (i32.const 1024))
  (func (export "proxy_abi_version_0_2_1"))
  (func (export "proxy_on_memory_allocate") (param $size i32) (result i32)
    (local $at i32)
    (local.set $at (global.get $heap))
    (global.set $heap (i32.add (global.get $heap) (local.get $size)))
    (local.get $at))
  (func (export "proxy_on_vm_start") (param i32 i32) (result i32) (i32.const 1))
  (func (export "proxy_on_configure") (param i32 i32) (result i32) (i32.const 1))
  (func (export "proxy_on_context_create") (param i32 i32))
  ;; proxy_on_response_headers(context, headers, end_of_stream) -> Action::Continue (0)
  (func (export "proxy_on_response_headers") (param i32 i32 i32) (result i32)
    ;; map type 2 = HttpResponseHeaders
    (drop (call $add_header (i32.const 2) (i32.const 16) (i32.const 10) (i32.const 32) (i32.const 5)))
    (i32.const 0)))
