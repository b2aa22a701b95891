//! MP042 not-http-filter (run): A plugin bound as an HTTP filter serves a first request without
//! crashing.
//!
//! **Severity:** error
//!
//! A WasmPlugin of `type: HTTP` runs in every request's filter chain. A module that only has a root
//! context (a bootstrap or background module, say one built from an SDK's `hello_world` example)
//! starts and configures fine, so the static check and `lock` accept it, and then crashes on the
//! first request: the SDK finds no HTTP context to create and traps, and Envoy fails the request and
//! the VM. `meshplug validate --run` sends one plain request through every started VM and reports a
//! crash here.
//!
//! The examples run the Rust SDK `root-only` module of `examples/plugins` (version 1.0.0) and the SDK
//! `hello-world` module (version 1.1.0).
//!
//! ```yaml bad file=catalog/ticker.yaml
//! apiVersion: meshplug.io/v1alpha1
//! kind: Plugin
//! metadata:
//!   name: ticker
//! spec:
//!   title: {en: Ticker}
//!   description: {en: Logs its configuration.}
//!   type: HTTP
//!   versions:
//!   - version: 1.1.0
//!     url: oci://registry.example.com/wasm/ticker:1.1.0
//!   - version: 1.0.0
//!     url: oci://registry.example.com/wasm/ticker:1.0.0
//! ```
//!
//! ```yaml bad file=meshplug.lock
//! apiVersion: meshplug.io/v1alpha1
//! kind: Lock
//! modules:
//! - url: oci://registry.example.com/wasm/ticker:1.0.0
//!   sha256: 0000000000000000000000000000000000000000000000000000000000000001
//!   format: oci-compat
//!   moduleSize: 107774
//!   moduleSha256: db1972fc7a7898f3416e2f5b66a53f53e0172146871f335bc76a0353d902f764
//!   abi: "0.2.1"
//! - url: oci://registry.example.com/wasm/ticker:1.1.0
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
//!   - plugin: ticker  # MP042
//!     version: 1.0.0
//! ```
//!
//! ```yaml good file=catalog/ticker.yaml
//! apiVersion: meshplug.io/v1alpha1
//! kind: Plugin
//! metadata:
//!   name: ticker
//! spec:
//!   title: {en: Ticker}
//!   description: {en: Logs its configuration.}
//!   type: HTTP
//!   versions:
//!   - version: 1.1.0
//!     url: oci://registry.example.com/wasm/ticker:1.1.0
//!   - version: 1.0.0
//!     url: oci://registry.example.com/wasm/ticker:1.0.0
//! ```
//!
//! ```yaml good file=meshplug.lock
//! apiVersion: meshplug.io/v1alpha1
//! kind: Lock
//! modules:
//! - url: oci://registry.example.com/wasm/ticker:1.0.0
//!   sha256: 0000000000000000000000000000000000000000000000000000000000000001
//!   format: oci-compat
//!   moduleSize: 107774
//!   moduleSha256: db1972fc7a7898f3416e2f5b66a53f53e0172146871f335bc76a0353d902f764
//!   abi: "0.2.1"
//! - url: oci://registry.example.com/wasm/ticker:1.1.0
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
//!   - plugin: ticker
//! ```

// Found by the dry run (`src/run/repo.rs`, `src/views/replay.rs`), which reports it as `rule::NOT_HTTP_FILTER`.
