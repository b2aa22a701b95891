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

use crate::check::Context;
use crate::diag::rule::SHA256_FORMAT;
use crate::diag::{Diagnostic, Places};
use crate::model::url::{ModuleUrl, OciRef, RefPart, is_sha256_hex};

/// Every catalog `sha256` field, and every digest in an OCI url, that is not sha256 in
/// lowercase hex.
pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (doc, at, v) in cx.versions() {
        let parsed = ModuleUrl::parse(&v.url);
        if parsed.scheme == Some("oci") {
            out.extend(url_digest(doc, &format!("{at}/url"), parsed.rest));
        }
        if let Some(sha) = &v.sha256 {
            out.extend(field(doc, &format!("{at}/sha256"), sha));
        }
    }
}

/// The digest in the OCI reference `rest` at `ptr`, when it is not `sha256:<64 lowercase hex>`.
/// Shared with `lint`.
pub fn url_digest(doc: &impl Places, ptr: &str, rest: &str) -> Option<Diagnostic> {
    OciRef::parse(rest)
        .err()
        .filter(|e| e.part == RefPart::Digest)?;
    let d = rest.split_once('@').map_or(rest, |(_, d)| d);
    Some(
        doc.diag(
            &SHA256_FORMAT,
            ptr,
            format!("digest `{d}` in the url is not sha256:<64 lowercase hex>"),
        )
        .label("bad digest")
        .help("use the image manifest digest, as printed by `meshplug lock`"),
    )
}

/// A `sha256` field at `ptr` that is not 64 lowercase hex characters. Shared with `lint`.
pub fn field(doc: &impl Places, ptr: &str, sha: &str) -> Option<Diagnostic> {
    if is_sha256_hex(sha) {
        return None;
    }
    let help = if sha.starts_with("sha256:") {
        "drop the `sha256:` prefix: Istio wants only the 64 hex characters"
    } else if is_sha256_hex(&sha.to_ascii_lowercase()) {
        "use lowercase hex"
    } else {
        "use the 64 lowercase hex characters of the digest (run `meshplug lock` to compute it)"
    };
    Some(
        doc.diag(
            &SHA256_FORMAT,
            ptr,
            format!("sha256 `{sha}` is not 64 lowercase hex characters"),
        )
        .label("bad digest")
        .help(help),
    )
}

#[cfg(test)]
mod tests {
    use crate::check::testkit::{entry, repo, url_codes};

    const HEX: &str = "50c0953ce16434ca546048838fc065c9decc5bdf497d1cc6d635e7897f78df44";

    #[test]
    fn sha256_field() {
        let url = "oci://registry.example.com/x:1.0";
        let help = |sha: &str| {
            let p = entry(
                &format!("  - version: 1.0.0\n    url: {url}\n    sha256: \"{sha}\"\n"),
                "",
            );
            let repo = repo(&[("catalog/x.yaml", &p)]);
            let d = crate::check::check(&repo).diagnostics;
            assert_eq!(d.len(), 1, "{sha}: {d:?}");
            assert_eq!(d[0].rule.code, "MP017");
            d[0].help.clone().unwrap_or_default()
        };
        assert!(help(&format!("sha256:{HEX}")).starts_with("drop the `sha256:` prefix"));
        assert_eq!(help(&HEX.to_uppercase()), "use lowercase hex");
        assert!(help(&HEX[..40]).starts_with("use the 64 lowercase hex characters"));
        assert_eq!(url_codes("file:///opt/x.wasm", Some(HEX)), ["MP037"]);
        assert_eq!(url_codes("oci://ghcr.io/x@sha256:abc", None), ["MP017"]);
    }
}
