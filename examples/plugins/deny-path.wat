;; deny-path: a tiny proxy-wasm (ABI 0.2.1) HTTP filter that answers 403 to requests whose
;; `:path` starts with `/admin`, and lets everything else through.
(module
  (import "env" "proxy_get_header_map_value"
    (func $get_header (param i32 i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_send_local_response"
    (func $send_local_response (param i32 i32 i32 i32 i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) ":path")
  (data (i32.const 32) "/admin")
  (data (i32.const 48) "forbidden by deny-path")
  ;; 64: returned value pointer, 68: returned value length
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
  ;; proxy_on_request_headers(context, headers, end_of_stream) -> Action
  (func (export "proxy_on_request_headers") (param i32 i32 i32) (result i32)
    (local $ptr i32)
    (local $i i32)
    ;; map type 0 = HttpRequestHeaders
    (if (call $get_header (i32.const 0) (i32.const 16) (i32.const 5) (i32.const 64) (i32.const 68))
      (then (return (i32.const 0))))
    (if (i32.lt_u (i32.load (i32.const 68)) (i32.const 6))
      (then (return (i32.const 0))))
    (local.set $ptr (i32.load (i32.const 64)))
    (block $differs
      (loop $next
        (br_if $differs
          (i32.ne (i32.load8_u (i32.add (local.get $ptr) (local.get $i)))
                  (i32.load8_u (i32.add (i32.const 32) (local.get $i)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $next (i32.lt_u (local.get $i) (i32.const 6))))
      (drop (call $send_local_response
        (i32.const 403) (i32.const 0) (i32.const 0)
        (i32.const 48) (i32.const 22) (i32.const 0) (i32.const 0) (i32.const -1)))
      ;; Action::Pause (1)
      (return (i32.const 1)))
    (i32.const 0)))
