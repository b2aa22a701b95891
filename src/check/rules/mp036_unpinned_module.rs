//! MP036 unpinned-module (render): Every remote module rendered is pinned by sha256 (from the
//! catalog, the url digest or meshplug.lock).
//!
//! **Severity:** error
//!
//! Reported by `meshplug render`, not `validate`. Every remote module (`oci://`, `https://`,
//! `http://`) that is rendered must be pinned by a digest: the catalog's `sha256`, a `@sha256:` in the
//! url, or `meshplug.lock`. Without one, Istio verifies nothing: a moved tag or a replaced file changes
//! what runs in the mesh without any change in git, and different proxies may fetch different modules.
//! `render --allow-unpinned` renders anyway, for development.
//!
//! ```yaml bad file=catalog/cart-audit.yaml
//! apiVersion: meshplug.io/v1alpha1
//! kind: Plugin
//! metadata:
//!   name: cart-audit
//! spec:
//!   title: {en: Cart Audit}
//!   description: {en: Logs every change to a shopping cart.}
//!   versions:
//!   - version: 1.4.2
//!     url: oci://registry.example.com/wasm/cart-audit:1.4.2  # MP036
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
//!   - plugin: cart-audit
//! ```
//!
//! ```yaml good file=catalog/cart-audit.yaml
//! apiVersion: meshplug.io/v1alpha1
//! kind: Plugin
//! metadata:
//!   name: cart-audit
//! spec:
//!   title: {en: Cart Audit}
//!   description: {en: Logs every change to a shopping cart.}
//!   versions:
//!   - version: 1.4.2
//!     url: oci://registry.example.com/wasm/cart-audit:1.4.2
//!     sha256: 50c0953ce16434ca546048838fc065c9decc5bdf497d1cc6d635e7897f78df44
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
//!   - plugin: cart-audit
//! ```

// Found by `render` (`src/render/mod.rs`), which reports it as `rule::UNPINNED_MODULE`.
