;; deep-recursion: proxy_on_vm_start calls itself forever (no base case): the call stack runs
;; out and the engine traps (stack exhausted) in the vm_start phase.
(module
  (memory (export "memory") 1)
  (global $heap (mut i32) (i32.const 1024))
  (func (export "proxy_abi_version_0_2_1"))
  (func (export "proxy_on_memory_allocate") (param $size i32) (result i32)
    (local $at i32)
    (local.set $at (global.get $heap))
    (global.set $heap (i32.add (global.get $heap) (local.get $size)))
    (local.get $at))
  (func (export "proxy_on_context_create") (param i32 i32))
  (func $vm_start (export "proxy_on_vm_start") (param $root i32) (param $size i32) (result i32)
    (call $vm_start (local.get $root) (local.get $size)))
  (func (export "proxy_on_configure") (param i32 i32) (result i32) (i32.const 1))
  (func (export "proxy_on_request_headers") (param i32 i32 i32) (result i32) (i32.const 0)))
