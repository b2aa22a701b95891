//! MP037 file-url-sha256 (check): sha256 on a file:// url has no effect: Istio never checks it.
//!
//! **Severity:** warning
//!
//! A `file://` url names a module already inside the proxy container (baked into the image or mounted
//! from a volume). Istio hands such a path to Envoy as a local file and never compares it with
//! `sha256`, so the field only suggests a check that does not happen. Remove it, or serve the module
//! over `oci://` or `https://` if it should be verified.
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
//!     url: file:///var/lib/wasm/cart-audit-1.4.2.wasm
//!     sha256: 50c0953ce16434ca546048838fc065c9decc5bdf497d1cc6d635e7897f78df44  # MP037
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
//!     url: file:///var/lib/wasm/cart-audit-1.4.2.wasm
//! ```

use crate::check::Context;
use crate::diag::rule::FILE_URL_SHA256;
use crate::diag::{Diagnostic, Places};
use crate::model::url::ModuleUrl;

/// Every catalog version with a `sha256` on a file:// url.
pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (doc, at, v) in cx.versions() {
        if v.sha256.is_some() && ModuleUrl::parse(&v.url).scheme == Some("file") {
            out.push(finding(doc, &format!("{at}/sha256")));
        }
    }
}

/// The finding for a `sha256` at `ptr` beside a file:// url. Shared with `lint`.
pub fn finding(doc: &impl Places, ptr: &str) -> Diagnostic {
    doc.diag(&FILE_URL_SHA256, ptr, "sha256 has no effect on a file:// url")
        .label("never checked")
        .help("Istio passes file:// modules to Envoy as local files and never checks the digest; remove it or serve the module over oci:// or https://")
}
