//! MP043 over-budget (run): Start-up, configuration and the first request stay within the dry run's
//! CPU budget per callback and memory cap.
//!
//! **Severity:** error
//!
//! The dry run runs untrusted code in a box: each callback gets a CPU budget (fuel, about one unit
//! per Wasm instruction), the VM a memory cap (256 MiB), and the Wasm call stack a depth limit. A
//! module that spends its budget in `_initialize`, `proxy_on_configure` or its first request, or
//! grows its memory past the cap, would stall or crash the proxy's worker threads in the cluster.
//! This rule reports it with the callback that overran; meshplug itself stops the module and goes on.
//!
//! The examples run `tests/corpus/run/configure-loops.wasm` (1.0.0), whose `proxy_on_configure` never
//! returns, and the SDK `hello-world` module (1.1.0).
//!
//! ```yaml bad file=catalog/spinner.yaml
//! apiVersion: meshplug.io/v1alpha1
//! kind: Plugin
//! metadata:
//!   name: spinner
//! spec:
//!   title: {en: Spinner}
//!   description: {en: A filter with a configure bug.}
//!   type: HTTP
//!   versions:
//!   - version: 1.1.0
//!     url: oci://registry.example.com/wasm/spinner:1.1.0
//!   - version: 1.0.0
//!     url: oci://registry.example.com/wasm/spinner:1.0.0
//! ```
//!
//! ```yaml bad file=meshplug.lock
//! apiVersion: meshplug.io/v1alpha1
//! kind: Lock
//! modules:
//! - url: oci://registry.example.com/wasm/spinner:1.0.0
//!   sha256: 0000000000000000000000000000000000000000000000000000000000000001
//!   format: oci-compat
//!   moduleSize: 312
//!   moduleSha256: bf61477689f92c6f0523d993b43122e0601a39ee48d6d582dfcae39070462084
//!   abi: "0.2.1"
//! - url: oci://registry.example.com/wasm/spinner:1.1.0
//!   sha256: 0000000000000000000000000000000000000000000000000000000000000001
//!   format: oci-compat
//!   moduleSize: 150594
//!   moduleSha256: e9073c22a87dd4d34b321a7da919a03d9cb2e990840521d6f350053929e4af5a
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
//!   - plugin: spinner  # MP043
//!     version: 1.0.0
//! ```
//!
//! ```yaml good file=catalog/spinner.yaml
//! apiVersion: meshplug.io/v1alpha1
//! kind: Plugin
//! metadata:
//!   name: spinner
//! spec:
//!   title: {en: Spinner}
//!   description: {en: A filter with a configure bug.}
//!   type: HTTP
//!   versions:
//!   - version: 1.1.0
//!     url: oci://registry.example.com/wasm/spinner:1.1.0
//!   - version: 1.0.0
//!     url: oci://registry.example.com/wasm/spinner:1.0.0
//! ```
//!
//! ```yaml good file=meshplug.lock
//! apiVersion: meshplug.io/v1alpha1
//! kind: Lock
//! modules:
//! - url: oci://registry.example.com/wasm/spinner:1.0.0
//!   sha256: 0000000000000000000000000000000000000000000000000000000000000001
//!   format: oci-compat
//!   moduleSize: 312
//!   moduleSha256: bf61477689f92c6f0523d993b43122e0601a39ee48d6d582dfcae39070462084
//!   abi: "0.2.1"
//! - url: oci://registry.example.com/wasm/spinner:1.1.0
//!   sha256: 0000000000000000000000000000000000000000000000000000000000000001
//!   format: oci-compat
//!   moduleSize: 150594
//!   moduleSha256: e9073c22a87dd4d34b321a7da919a03d9cb2e990840521d6f350053929e4af5a
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
//!   plugins:
//!   - plugin: spinner
//! ```

// Found by the dry run (`src/run/repo.rs`, `src/views/replay.rs`), which reports it as `rule::OVER_BUDGET`.
