//! MP016 url-scheme (check): Module urls use oci://, https://, http:// or file:// explicitly.
//!
//! **Severity:** error
//!
//! Istio fetches modules from `oci://` (an image in a registry, recommended), `https://`, `http://`
//! and `file://` (a path inside the proxy container). A url without a scheme is treated as OCI only
//! when it parses that way: `registry.example.com:5000/wasm/x:1.0` reads as the scheme
//! `registry.example.com` and is rejected by the API server. meshplug therefore requires the scheme to
//! be written out, and checks that an OCI reference has a registry host and a lowercase repository.
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
//!     url: registry.example.com:5000/wasm/cart-audit:1.4.2  # MP016
//!     sha256: 50c0953ce16434ca546048838fc065c9decc5bdf497d1cc6d635e7897f78df44
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
//!     url: oci://registry.example.com:5000/wasm/cart-audit:1.4.2
//!     sha256: 50c0953ce16434ca546048838fc065c9decc5bdf497d1cc6d635e7897f78df44
//! ```

use crate::check::Context;
use crate::diag::rule::URL_SCHEME;
use crate::diag::{Diagnostic, Places};
use crate::model::url::{ModuleUrl, OciRef, RefPart, SCHEMES, redact};

/// Every catalog url without a scheme, with one Istio does not support, or with an OCI
/// reference Istio's agent cannot parse.
pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (doc, at, v) in cx.versions() {
        let ptr = format!("{at}/url");
        let parsed = ModuleUrl::parse(&v.url);
        // Messages show the url without a password (MP033 reports that).
        let url = redact(&v.url);
        match parsed.scheme {
            None => out.push(
                doc.diag(&URL_SCHEME, &ptr, format!("url `{url}` has no scheme"))
                    .label("no scheme")
                    .help(format!("write `oci://{url}`: Istio reads `host:port/...` as a url with scheme `host` and rejects it")),
            ),
            Some(s) if !SCHEMES.contains(&s) => out.push(
                doc.diag(&URL_SCHEME, &ptr, format!("url scheme `{s}` is not supported by Istio"))
                    .label("unsupported scheme")
                    .help("use oci:// (recommended), https://, http:// or file://"),
            ),
            Some("oci") => out.extend(oci_reference(doc, &ptr, parsed.rest)),
            Some(_) => {}
        }
    }
}

/// The reference `rest` (an OCI url after `oci://`) at `ptr`, when Istio's agent cannot parse it
/// (a bad digest is MP017's). Shared with `lint`.
pub fn oci_reference(doc: &impl Places, ptr: &str, rest: &str) -> Option<Diagnostic> {
    let e = OciRef::parse(rest)
        .err()
        .filter(|e| e.part != RefPart::Digest)?;
    Some(
        doc.diag(&URL_SCHEME, ptr, format!("invalid OCI reference: {e}"))
            .label("invalid reference")
            .help("write oci://registry/repository:tag (registry `host.domain`, `host:port` or `localhost`; repository lowercase)"),
    )
}

#[cfg(test)]
mod tests {
    use crate::check::testkit::{url_codes, url_findings};

    #[test]
    fn schemes() {
        let none: [&str; 0] = [];
        assert_eq!(url_codes("https://example.com/x.wasm", None), none);
        assert_eq!(url_codes("http://example.com:8080/x.wasm", None), none);
        assert_eq!(url_codes("file:///opt/x.wasm", None), none);
        for bad in [
            "localhost:5000/wasm/x:1.0",
            "ghcr.io/org/x:1.0",
            "ftp://example.com/x.wasm",
            "oci://registry.example.com/x:",
            "oci://registry.example.com/Org/x:1.0",
            "oci://UPPER/x:1",
            "oci://ghcr.io/x/:1",
        ] {
            assert_eq!(url_codes(bad, None), ["MP016"], "{bad}");
        }
        let (_, msg) = &url_findings("registry.example.com:5000/x:1", None)[0];
        assert_eq!(msg, "url `registry.example.com:5000/x:1` has no scheme");
    }
}
