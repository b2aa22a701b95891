//! MP041 config-rejected (run): The plugin accepts the binding's exact pluginConfig and env in
//! proxy_on_configure (Envoy refuses the whole listener update otherwise).
//!
//! **Severity:** error
//!
//! `meshplug validate --run` starts the pinned module in the embedded host with the binding's exact
//! `pluginConfig` (as the JSON bytes Istio gives the plugin) and env, and calls `proxy_on_configure`
//! as Envoy does. A plugin that returns false (or traps) there makes Envoy refuse the whole listener
//! update: no new configuration reaches the proxy, for every plugin on it. A `configSchema` catches
//! some of this statically; only the plugin itself knows all of its rules, and many catalog entries
//! have no schema. The finding points at the binding's `pluginConfig` and quotes the plugin's own log
//! lines.
//!
//! The examples run the Rust SDK `hello-world` module of `examples/plugins`, whose `greeting` must
//! be a string.
//!
//! ```yaml bad file=catalog/hello-world.yaml
//! apiVersion: meshplug.io/v1alpha1
//! kind: Plugin
//! metadata:
//!   name: hello-world
//! spec:
//!   title: {en: Hello World}
//!   description: {en: Adds x-greeting to every response.}
//!   type: HTTP
//!   versions:
//!   - version: 0.1.0
//!     url: oci://registry.example.com/wasm/hello-world:0.1.0
//!   defaults:
//!     phase: STATS
//!     priority: 320
//! ```
//!
//! ```yaml bad file=meshplug.lock
//! apiVersion: meshplug.io/v1alpha1
//! kind: Lock
//! modules:
//! - url: oci://registry.example.com/wasm/hello-world:0.1.0
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
//!   - plugin: hello-world
//!     pluginConfig:  # MP041
//!       greeting: 3
//! ```
//!
//! ```yaml good file=catalog/hello-world.yaml
//! apiVersion: meshplug.io/v1alpha1
//! kind: Plugin
//! metadata:
//!   name: hello-world
//! spec:
//!   title: {en: Hello World}
//!   description: {en: Adds x-greeting to every response.}
//!   type: HTTP
//!   versions:
//!   - version: 0.1.0
//!     url: oci://registry.example.com/wasm/hello-world:0.1.0
//!   defaults:
//!     phase: STATS
//!     priority: 320
//! ```
//!
//! ```yaml good file=meshplug.lock
//! apiVersion: meshplug.io/v1alpha1
//! kind: Lock
//! modules:
//! - url: oci://registry.example.com/wasm/hello-world:0.1.0
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
//!   - plugin: hello-world
//!     pluginConfig:
//!       greeting: "3"
//! ```

// Found by the dry run (`src/run/repo.rs`, `src/views/replay.rs`), which reports it as `rule::CONFIG_REJECTED`.
