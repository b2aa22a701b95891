//! MP017 sha256-format (check): sha256 is 64 lowercase hex characters without a sha256: prefix.
//!
//! **Severity:** error
//!
//! `sha256` is exactly 64 lowercase hex characters, with no `sha256:` prefix: that is the pattern of
//! the CRD field, so anything else is rejected at apply time. For `oci://` it is the digest of the
//! image manifest (for a multi-platform image, of the linux/amd64 manifest, not of the index); for
//! `https://` it is the digest of the module itself. A digest inside the url (`@sha256:...`) must have
//! the same form.
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
//!     url: oci://registry.example.com/wasm/cart-audit:1.4.2
//!     sha256: sha256:50c0953ce16434ca546048838fc065c9decc5bdf497d1cc6d635e7897f78df44  # MP017
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
