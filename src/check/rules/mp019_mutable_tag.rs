//! MP019 mutable-tag (check): OCI urls name an explicit, non-latest tag or a digest (a warning:
//! Istio accepts a moving tag; `meshplug lock` pins it).
//!
//! **Severity:** warning
//!
//! A catalog version (or a hand-written WasmPlugin, for `lint` and `import`) should name something
//! that does not move: an explicit tag other than `latest`, or a digest. A url with no tag at all
//! means `latest`, and the two behave the same. Istio accepts such a url: its agent pulls the image
//! and pulls it again whenever the WasmPlugin changes, so proxies can end up running different
//! modules, and the version in the catalog would not say what runs. That is why this is a warning,
//! not an error: `meshplug lock` pins whatever the tag names today (the sha256 goes into
//! `meshplug.lock`, and what is rendered runs exactly those bytes), and `meshplug lock --verify`
//! fails when the tag has since moved. `render` still refuses a remote module that is not pinned
//! (MP036) unless `--allow-unpinned` is given.
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
//!     url: oci://registry.example.com/wasm/cart-audit:latest  # MP019
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
//! ```
