//! MP044 request-test (run): Every request test of a binding (spec.tests) gets the expected status,
//! headers and body through the workload's real chain.
//!
//! **Severity:** error
//!
//! A binding can say what its workload must do with a request, next to the plugins it applies:
//! `spec.tests` lists requests (method, path, headers) and what the client must see (status,
//! response headers, body, and the headers that reach the upstream). `meshplug test` and
//! `meshplug validate --run` send each request through the workload's real chain, every plugin that
//! reaches it in Istio's order, each started with its pinned module and exact configuration, and
//! report a test whose expectation does not hold. `meshplug replay` shows what each plugin did.
//!
//! The examples run the Rust SDK `deny-path` module of `examples/plugins`, which answers 403 under
//! its `prefix`.
//!
//! ```yaml bad file=catalog/deny-path.yaml
//! apiVersion: meshplug.io/v1alpha1
//! kind: Plugin
//! metadata:
//!   name: deny-path
//! spec:
//!   title: {en: Deny Path}
//!   description: {en: Answers 403 to requests under a path prefix.}
//!   type: HTTP
//!   versions:
//!   - version: 0.1.0
//!     url: oci://registry.example.com/wasm/deny-path:0.1.0
//!   defaults:
//!     phase: AUTHZ
//!     priority: 320
//! ```
//!
//! ```yaml bad file=meshplug.lock
//! apiVersion: meshplug.io/v1alpha1
//! kind: Lock
//! modules:
//! - url: oci://registry.example.com/wasm/deny-path:0.1.0
//!   sha256: 0000000000000000000000000000000000000000000000000000000000000001
//!   format: oci-compat
//!   moduleSize: 149831
//!   moduleSha256: 18666d507e0fd909536866571dee158fbf9c71d25a996200415c5da04b944ee7
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
//!   - plugin: deny-path
//!     pluginConfig: {prefix: /internal}
//!   tests:
//!   - name: internal pages are open  # MP044
//!     request: {path: /internal/stats}
//!     expect: {status: 200}
//! ```
//!
//! ```yaml good file=catalog/deny-path.yaml
//! apiVersion: meshplug.io/v1alpha1
//! kind: Plugin
//! metadata:
//!   name: deny-path
//! spec:
//!   title: {en: Deny Path}
//!   description: {en: Answers 403 to requests under a path prefix.}
//!   type: HTTP
//!   versions:
//!   - version: 0.1.0
//!     url: oci://registry.example.com/wasm/deny-path:0.1.0
//!   defaults:
//!     phase: AUTHZ
//!     priority: 320
//! ```
//!
//! ```yaml good file=meshplug.lock
//! apiVersion: meshplug.io/v1alpha1
//! kind: Lock
//! modules:
//! - url: oci://registry.example.com/wasm/deny-path:0.1.0
//!   sha256: 0000000000000000000000000000000000000000000000000000000000000001
//!   format: oci-compat
//!   moduleSize: 149831
//!   moduleSha256: 18666d507e0fd909536866571dee158fbf9c71d25a996200415c5da04b944ee7
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
//!   - plugin: deny-path
//!     pluginConfig: {prefix: /internal}
//!   tests:
//!   - name: internal pages are refused
//!     request: {path: /internal/stats}
//!     expect: {status: 403, body: forbidden by deny-path}
//!   - name: the cart is served
//!     request: {path: /cart}
//!     expect: {status: 200}
//! ```

// Found by the dry run (`src/run/repo.rs`, `src/views/replay.rs`), which reports it as `rule::REQUEST_TEST`.
