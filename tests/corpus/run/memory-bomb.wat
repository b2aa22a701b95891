;; memory-bomb: proxy_on_configure grows memory one page (64 KiB) at a time until memory.grow
;; fails (-1), then executes `unreachable`. The memory has no maximum, so only the host's memory
;; cap stops it (without a cap, a wasm32 memory can reach 4 GiB).
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
  (func (export "proxy_on_vm_start") (param i32 i32) (result i32) (i32.const 1))
  (func (export "proxy_on_configure") (param i32 i32) (result i32)
    (block $full
      (loop $grow
        (br_if $full (i32.eq (memory.grow (i32.const 1)) (i32.const -1)))
        (br $grow)))
    unreachable)
  (func (export "proxy_on_request_headers") (param i32 i32 i32) (result i32) (i32.const 0)))
