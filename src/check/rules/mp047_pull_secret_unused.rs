//! MP047 pull-secret-unused (check): imagePullSecret is set only for an oci:// module: Istio's agent
//! uses it to pull OCI images and ignores it for https://, http:// and file:// urls.
//!
//! **Severity:** warning
//!
//! `imagePullSecret` names a `kubernetes.io/dockerconfigjson` Secret that the Istio agent passes to
//! its OCI image fetcher. A module served over `https://` or `http://` is downloaded by the agent's
//! plain HTTP fetcher, which takes no credentials, and a `file://` module is never fetched at all
//! (istio/istio `pkg/wasm/cache.go`, `LocalFileCache.Get`). The Secret is then read for nothing,
//! and a server that needs credentials answers 401 on every proxy: the plugin fails to load, and
//! fails closed or open by its `failStrategy`. Serve such a module from an OCI registry with the
//! pull secret, make the url reachable without credentials, or drop the field.
//!
//! ```yaml bad file=catalog/hello-world.yaml
//! apiVersion: meshplug.io/v1alpha1
//! kind: Plugin
//! metadata:
//!   name: hello-world
//! spec:
//!   title: {en: Hello World}
//!   description: {en: Adds x-greeting to every response.}
//!   versions:
//!   - version: 0.1.0
//!     url: https://downloads.example.com/wasm/hello-world-0.1.0.wasm
//!     sha256: 50c0953ce16434ca546048838fc065c9decc5bdf497d1cc6d635e7897f78df44
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
//!     imagePullSecret: downloads-cred  # MP047
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
//!   versions:
//!   - version: 0.1.0
//!     url: oci://registry.example.com/wasm/hello-world:0.1.0
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
//!   - plugin: hello-world
//!     imagePullSecret: registry-cred
//! ```

use crate::check::Context;
use crate::diag::rule::PULL_SECRET_UNUSED;
use crate::diag::{Diagnostic, Places as _};
use crate::model::url::{ModuleUrl, redact};

/// Every binding entry with an `imagePullSecret` whose module url is not oci://.
pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for e in cx.effective {
        let Some(secret) = e.pull_secret else {
            continue;
        };
        let scheme = ModuleUrl::parse(&e.version.url).scheme.unwrap_or("oci");
        if scheme == "oci" {
            continue;
        }
        out.push(
            e.binding
                .doc
                .diag(
                    &PULL_SECRET_UNUSED,
                    &format!("{}/imagePullSecret", e.pointer()),
                    format!(
                        "imagePullSecret `{secret}` is not used: `{}` {} comes from {}, not from an OCI registry",
                        e.plugin_name(),
                        e.version.version,
                        redact(&e.version.url)
                    ),
                )
                .label("ignored for a non-OCI url")
                .help(format!(
                    "Istio passes pull secrets only to OCI image pulls; serve the module as an OCI image (`meshplug push`) or remove `imagePullSecret` (the {scheme}:// url gets no credentials)"
                )),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::check::testkit::{binding, entry, findings};

    fn codes(url: &str) -> Vec<&'static str> {
        let p = entry(&format!("  - {{version: 1.0.0, url: \"{url}\"}}\n"), "");
        let b = binding(
            "shop",
            "cart",
            "  plugins:\n  - {plugin: x, imagePullSecret: cred}\n",
        );
        findings(&[("catalog/x.yaml", &p), ("bindings/cart.yaml", &b)])
            .into_iter()
            .map(|(c, _, _)| c)
            .filter(|c| *c == "MP047")
            .collect()
    }

    #[test]
    fn only_oci_modules_use_a_pull_secret() {
        assert!(codes("oci://registry.example.com/x:1.0").is_empty());
        // No scheme is read as oci:// by Istio (MP016 reports the missing scheme).
        assert!(codes("registry.example.com/x:1.0").is_empty());
        for url in [
            "https://example.com/x.wasm",
            "http://example.com/x.wasm",
            "file:///opt/x.wasm",
        ] {
            assert_eq!(codes(url), ["MP047"], "{url}");
        }
    }
}
