//! MP045 module-unavailable (run): The dry run could run every bound module: its digest is locked
//! and its bytes are in the cache or a module dir, and HOST env vars have values.
//!
//! **Severity:** warning
//!
//! The dry run needs the module's bytes: it runs only bytes whose sha256 is the pin in
//! `meshplug.lock` (`moduleSha256`), taken from the module cache that `meshplug lock` fills (in the
//! user's cache directory) or from a local build in a directory listed in `spec.modules` of
//! `meshplug.yaml` (or in `MESHPLUG_MODULES`). A bound module that is not locked, or whose bytes are
//! in neither place, is not run, and this warning says so (with `--deny-warnings` it fails). A
//! `valueFrom: HOST` env var gets a placeholder unless `--host-env NAME=VALUE` gives its value, and
//! is reported here too.
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
//! ```yaml bad file=bindings/shop/cart.yaml
//! apiVersion: meshplug.io/v1alpha1
//! kind: Binding
//! metadata:
//!   name: cart
//!   namespace: shop
//! spec:
//!   plugins:
//!   - plugin: hello-world  # MP045
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
//! ```

// Found by the dry run (`src/run/repo.rs`, `src/views/replay.rs`), which reports it as `rule::MODULE_UNAVAILABLE`.
