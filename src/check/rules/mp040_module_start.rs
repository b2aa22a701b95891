//! MP040 module-start (run): The pinned module loads and starts in the cluster's Istio: every
//! import exists there, the ABI is one Istio knows, nothing traps in start-up, proxy_on_vm_start
//! accepts.
//!
//! **Severity:** error
//!
//! Envoy loads a module only when every function it imports exists in that Envoy, under that ABI
//! version, and start-up (`_initialize`/`_start`, `proxy_on_context_create`, `proxy_on_vm_start`)
//! neither traps nor refuses. The host functions grew over time: Envoy before 1.33 (Istio 1.24 and
//! older) links 15 WASI functions; Go 1.24 SDK plugins also need `poll_oneoff`, `sched_yield` and
//! `fd_fdstat_set_flags` (Istio 1.25 on). `meshplug validate --run` links the module against the
//! table of the cluster's `istioVersion` (docs/abi.md) exactly as Envoy would and reports what fails,
//! naming the missing import and the first Istio release that has it. The same module can load on one
//! cluster and not on another.
//!
//! The examples run `tests/corpus/run/needs-poll-oneoff.wasm`, which imports the newer WASI functions
//! like a Go 1.24 SDK plugin; the base repository's `staging` cluster runs Istio 1.24.
//!
//! ```yaml bad file=catalog/go-filter.yaml
//! apiVersion: meshplug.io/v1alpha1
//! kind: Plugin
//! metadata:
//!   name: go-filter
//! spec:
//!   title: {en: Go Filter}
//!   description: {en: A filter built with the Go 1.24 SDK.}
//!   type: HTTP
//!   versions:
//!   - version: 1.0.0
//!     url: oci://registry.example.com/wasm/go-filter:1.0.0
//! ```
//!
//! ```yaml bad file=meshplug.lock
//! apiVersion: meshplug.io/v1alpha1
//! kind: Lock
//! modules:
//! - url: oci://registry.example.com/wasm/go-filter:1.0.0
//!   sha256: 0000000000000000000000000000000000000000000000000000000000000001
//!   format: oci-compat
//!   moduleSize: 477
//!   moduleSha256: b61ccd2bd702a0f151475fd2ea1e0a7b079f18461b9074109039bb263d180738
//!   abi: "0.2.1"
//! ```
//!
//! ```yaml bad file=bindings/shop/cart.yaml
//! apiVersion: meshplug.io/v1alpha1
//! kind: Binding
//! metadata:
//!   name: cart
//!   namespace: shop
//! spec:
//!   plugins:
//!   - plugin: go-filter  # MP040
//! ```
//!
//! ```yaml good file=catalog/go-filter.yaml
//! apiVersion: meshplug.io/v1alpha1
//! kind: Plugin
//! metadata:
//!   name: go-filter
//! spec:
//!   title: {en: Go Filter}
//!   description: {en: A filter built with the Go 1.24 SDK.}
//!   type: HTTP
//!   versions:
//!   - version: 1.0.0
//!     url: oci://registry.example.com/wasm/go-filter:1.0.0
//! ```
//!
//! ```yaml good file=meshplug.lock
//! apiVersion: meshplug.io/v1alpha1
//! kind: Lock
//! modules:
//! - url: oci://registry.example.com/wasm/go-filter:1.0.0
//!   sha256: 0000000000000000000000000000000000000000000000000000000000000001
//!   format: oci-compat
//!   moduleSize: 477
//!   moduleSha256: b61ccd2bd702a0f151475fd2ea1e0a7b079f18461b9074109039bb263d180738
//!   abi: "0.2.1"
//! ```
//!
//! ```yaml good file=bindings/shop/cart.yaml
//! apiVersion: meshplug.io/v1alpha1
//! kind: Binding
//! metadata:
//!   name: cart
//!   namespace: shop
//! spec:
//!   clusters: [prod]
//!   plugins:
//!   - plugin: go-filter
//! ```

// Found by the dry run (`src/run/repo.rs`, `src/views/replay.rs`), which reports it as `rule::MODULE_START`.
