;; wild-pointers: proxy_on_configure hands the host pointers and lengths outside the 64 KiB
;; memory (0xFFFFFFF0, 0x7FFFFFFF, a range that wraps past 4 GiB) in proxy_log,
;; proxy_get_buffer_bytes and proxy_get_header_map_value, then logs the six status codes it got
;; (info, "wild-pointers: results NN NN NN NN NN NN", decimal WasmResult values) and returns 1.
;; A correct host answers each wild call with InvalidMemoryAccess (6) (or another error code
;; where it checks other arguments first), never reads or writes outside the memory, does not
;; crash, and the configure succeeds.
(module
  (import "env" "proxy_log"
    (func $log (param i32 i32 i32) (result i32)))
  (import "env" "proxy_get_buffer_bytes"
    (func $get_buffer_bytes (param i32 i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_get_header_map_value"
    (func $get_header (param i32 i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) ":path")
  ;; 40 bytes; $put writes the six two-digit codes at 55, 58, 61, 64, 67, 70
  (data (i32.const 32) "wild-pointers: results .. .. .. .. .. ..")
  (global $heap (mut i32) (i32.const 1024))
  (func (export "proxy_abi_version_0_2_1"))
  (func (export "proxy_on_memory_allocate") (param $size i32) (result i32)
    (local $at i32)
    (local.set $at (global.get $heap))
    (global.set $heap (i32.add (global.get $heap) (local.get $size)))
    (local.get $at))
  (func (export "proxy_on_context_create") (param i32 i32))
  (func (export "proxy_on_vm_start") (param i32 i32) (result i32) (i32.const 1))
  ;; write `status` as two decimal digits at `at`
  (func $put (param $at i32) (param $status i32)
    (i32.store8 (local.get $at)
      (i32.add (i32.const 48) (i32.rem_u (i32.div_u (local.get $status) (i32.const 10)) (i32.const 10))))
    (i32.store8 (i32.add (local.get $at) (i32.const 1))
      (i32.add (i32.const 48) (i32.rem_u (local.get $status) (i32.const 10)))))
  (func (export "proxy_on_configure") (param i32 i32) (result i32)
    ;; proxy_log(level info = 2, message, size): message past the end, huge length.
    (call $put (i32.const 55)
      (call $log (i32.const 2) (i32.const 0xFFFFFFF0) (i32.const 0x7FFFFFFF)))
    ;; a valid start with a length that wraps past 4 GiB
    (call $put (i32.const 58)
      (call $log (i32.const 2) (i32.const 16) (i32.const 0xFFFFFFF0)))
    ;; proxy_get_buffer_bytes(PluginConfiguration = 7, start, max, *ptr, *size): the host would
    ;; write the returned pointer and size outside the memory.
    (call $put (i32.const 61)
      (call $get_buffer_bytes (i32.const 7) (i32.const 0) (i32.const 0x7FFFFFFF)
        (i32.const 0xFFFFFFF0) (i32.const 0xFFFFFFF0)))
    ;; in-bounds return slots, absurd start and length
    (call $put (i32.const 64)
      (call $get_buffer_bytes (i32.const 7) (i32.const 0x7FFFFFFF) (i32.const 0x7FFFFFFF)
        (i32.const 256) (i32.const 260)))
    ;; proxy_get_header_map_value(HttpRequestHeaders = 0, key, key size, *ptr, *size): wild key
    (call $put (i32.const 67)
      (call $get_header (i32.const 0) (i32.const 0xFFFFFFF0) (i32.const 0x7FFFFFFF)
        (i32.const 256) (i32.const 260)))
    ;; valid key ":path", wild return slots
    (call $put (i32.const 70)
      (call $get_header (i32.const 0) (i32.const 16) (i32.const 5)
        (i32.const 0xFFFFFFF0) (i32.const 0x7FFFFFFF)))
    (drop (call $log (i32.const 2) (i32.const 32) (i32.const 40)))
    (i32.const 1))
  (func (export "proxy_on_request_headers") (param i32 i32 i32) (result i32) (i32.const 0)))
