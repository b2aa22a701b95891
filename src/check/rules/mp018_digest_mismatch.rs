//! MP018 digest-mismatch (check): An @sha256: digest in the url agrees with the sha256 field.
//!
//! **Severity:** error
//!
//! An OCI url may carry its digest (`oci://host/repo@sha256:...`). When the `sha256` field is set as
//! well, the Istio agent expects the field's value while the registry serves the image the url names,
//! so two different digests make every fetch fail, inside the proxies, long after the manifest was
//! applied. Keep one of them, or make them the same.
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
//!     url: oci://registry.example.com/wasm/cart-audit@sha256:50c0953ce16434ca546048838fc065c9decc5bdf497d1cc6d635e7897f78df44
//!     sha256: 6084d6e48d2388276a1492ab8c680b4b170c7f7adc2299b480af58cf1fd82f32  # MP018
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
//!     url: oci://registry.example.com/wasm/cart-audit@sha256:50c0953ce16434ca546048838fc065c9decc5bdf497d1cc6d635e7897f78df44
//! ```

use crate::check::Context;
use crate::diag::rule::DIGEST_MISMATCH;
use crate::diag::{Diagnostic, Places};
use crate::model::url::{ModuleUrl, OciRef, is_sha256_hex};

/// Every catalog version whose `sha256` differs from the digest in its OCI url.
pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (doc, at, v) in cx.versions() {
        let parsed = ModuleUrl::parse(&v.url);
        if let Some(sha) = &v.sha256
            && parsed.scheme == Some("oci")
            && let Ok(r) = OciRef::parse(parsed.rest)
        {
            out.extend(mismatch(doc, &format!("{at}/sha256"), sha, r.digest_hex()));
        }
    }
}

/// A well-formed `sha256` at `ptr` that differs from the url's digest hex. Shared with `lint`.
pub fn mismatch(
    doc: &impl Places,
    ptr: &str,
    sha: &str,
    url_digest: Option<&str>,
) -> Option<Diagnostic> {
    let d = url_digest.filter(|d| *d != sha && is_sha256_hex(sha))?;
    Some(
        doc.diag(&DIGEST_MISMATCH, ptr, format!("sha256 disagrees with the url's digest sha256:{d}"))
            .label("differs from the url")
            .help("keep one of them, or make both the same manifest digest; Istio fails the fetch when they differ"),
    )
}
