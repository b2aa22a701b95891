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

// `lint` words the same rule for hand-written WasmPlugins, where a `sha256` pins a moving tag
// (`src/manifests/lint/mod.rs`).

use crate::check::Context;
use crate::diag::rule::MUTABLE_TAG;
use crate::diag::{Diagnostic, Places as _};
use crate::model::url::{ModuleUrl, OciRef, redact};

/// Every catalog OCI url without a digest whose tag is missing or `latest`.
pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (doc, at, v) in cx.versions() {
        let parsed = ModuleUrl::parse(&v.url);
        if parsed.scheme != Some("oci") {
            continue;
        }
        let Ok(r) = OciRef::parse(parsed.rest) else {
            continue;
        };
        let (ptr, url) = (format!("{at}/url"), redact(&v.url));
        match (r.digest(), r.tag()) {
            (None, None) => out.push(
                doc.diag(&MUTABLE_TAG, &ptr, format!("OCI url `{url}` has no tag"))
                    .label("no tag")
                    .help("name an explicit version tag, e.g. `:1.0.0` (no tag means whatever `latest` points to)"),
            ),
            (None, Some("latest")) => out.push(
                doc.diag(&MUTABLE_TAG, &ptr, format!("OCI url `{url}` uses the mutable tag `latest`"))
                    .label("mutable tag")
                    .help("name an explicit version tag; with `latest` Istio re-pulls on every change and proxies may run different modules"),
            ),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::check::testkit::{url_codes, url_findings};

    const HEX: &str = "50c0953ce16434ca546048838fc065c9decc5bdf497d1cc6d635e7897f78df44";
    const OTHER: &str = "6084d6e48d2388276a1492ab8c680b4b170c7f7adc2299b480af58cf1fd82f32";

    #[test]
    fn oci_urls_with_ports_and_digests() {
        let none: [&str; 0] = [];
        // A registry port is not a tag.
        assert_eq!(url_codes("oci://localhost:5000/wasm/x:1.0", None), none);
        assert_eq!(
            url_findings("oci://localhost:5000/wasm/x", None),
            [(
                "MP019",
                "OCI url `oci://localhost:5000/wasm/x` has no tag".into()
            )]
        );
        // A digest pins the module, tag or not, `latest` or not.
        let pinned = format!("oci://registry.example.com:5000/wasm/x@sha256:{HEX}");
        assert_eq!(url_codes(&pinned, None), none);
        assert_eq!(url_codes(&pinned, Some(HEX)), none);
        let latest = format!("oci://registry.example.com/x:latest@sha256:{HEX}");
        assert_eq!(url_codes(&latest, None), none);
        assert_eq!(
            url_findings(&pinned, Some(OTHER)),
            [(
                "MP018",
                format!("sha256 disagrees with the url's digest sha256:{HEX}")
            )]
        );
        // Digests in the url follow the sha256 field's format.
        let upper = format!(
            "oci://registry.example.com/x:1.0@sha256:{}",
            HEX.to_uppercase()
        );
        assert_eq!(url_codes(&upper, None), ["MP017"]);
        assert_eq!(
            url_codes("oci://registry.example.com/x@sha512:abcd", None),
            ["MP017"]
        );
        assert_eq!(
            url_codes("oci://registry.example.com/x:latest", None),
            ["MP019"]
        );
        // A host alone is Docker Hub's `library/registry.example.com`, as Istio reads it.
        assert_eq!(
            url_codes("oci://registry.example.com", None),
            ["MP019", "MP038"]
        );
    }
}
