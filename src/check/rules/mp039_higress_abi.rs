//! MP039 higress-abi (check): A catalog version recorded as built for Higress's proxy-wasm ABI
//! 0.2.100, which stock Istio does not load, is not bound on an Istio cluster.
//!
//! **Severity:** warning
//!
//! Istio's Envoy loads modules that declare proxy-wasm ABI 0.1.0, 0.2.0 or 0.2.1; anything else fails
//! with "Missing or unknown Proxy-Wasm ABI version". Since higress-group/higress#2532 (July 2025)
//! Higress builds its official Go plugins with its own SDK fork, whose modules declare only
//! `proxy_abi_version_0_2_100`, an ABI only Higress's Envoy knows; those are the `2.x` images of the
//! Higress plugins. A catalog version says so with `abi: "0.2.100"` (the builtin catalog records it per
//! version, with its source), and binding such a version on a cluster (every meshplug cluster runs
//! Istio) is reported here: the WasmPlugin would be accepted by the API server and then never load.
//! `meshplug lock` and `validate --run` see the same from the module bytes themselves.
//!
//! ```yaml bad file=catalog/higress-cors.yaml
//! apiVersion: meshplug.io/v1alpha1
//! kind: Plugin
//! metadata:
//!   name: higress-cors
//! spec:
//!   title: {en: CORS (Higress)}
//!   description: {en: Answers CORS preflight requests.}
//!   versions:
//!   - version: 2.0.4
//!     url: oci://registry.example.com/plugins/cors:2.0.4
//!     abi: "0.2.100"
//!   - version: 1.0.0
//!     url: oci://registry.example.com/plugins/cors:1.0.0
//!     abi: "0.2.1"
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
//!   - plugin: higress-cors
//!     version: 2.0.4  # MP039
//! ```
//!
//! ```yaml good file=catalog/higress-cors.yaml
//! apiVersion: meshplug.io/v1alpha1
//! kind: Plugin
//! metadata:
//!   name: higress-cors
//! spec:
//!   title: {en: CORS (Higress)}
//!   description: {en: Answers CORS preflight requests.}
//!   versions:
//!   - version: 2.0.4
//!     url: oci://registry.example.com/plugins/cors:2.0.4
//!     abi: "0.2.100"
//!   - version: 1.0.0
//!     url: oci://registry.example.com/plugins/cors:1.0.0
//!     abi: "0.2.1"
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
//!   - plugin: higress-cors
//!     version: 1.0.0
//! ```

use crate::check::Context;
use crate::diag::rule::HIGRESS_ABI;
use crate::diag::{Diagnostic, Places as _};

/// The ABI only Higress loads.
pub const HIGRESS_ONLY_ABI: &str = "0.2.100";

/// One warning per bound entry whose version is Higress-only.
pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for e in cx.effective {
        if e.version.abi.as_deref() != Some(HIGRESS_ONLY_ABI) {
            continue;
        }
        let loadable: Vec<&str> = e
            .plugin
            .item
            .spec
            .versions
            .iter()
            .filter(|v| v.abi.as_deref() != Some(HIGRESS_ONLY_ABI))
            .map(|v| v.version.as_str())
            .collect();
        let help = match loadable.first() {
            Some(v) => format!(
                "bind a version that Istio loads: `version: {v}` (the versions listed without `abi: {HIGRESS_ONLY_ABI}`)"
            ),
            None => "no version of this entry loads in Istio: use another plugin, or rebuild it with the upstream proxy-wasm SDK".to_string(),
        };
        let entry = e.entry();
        let pointer = if entry.version.is_some() {
            format!("{}/version", e.pointer())
        } else {
            format!("{}/plugin", e.pointer())
        };
        out.push(
            e.binding
                .doc
                .diag(
                    &HIGRESS_ABI,
                    &pointer,
                    format!(
                        "`{}` {} is built for Higress (proxy-wasm ABI {HIGRESS_ONLY_ABI}); Istio's Envoy does not load it on cluster{} {}",
                        e.plugin_name(),
                        e.version.version,
                        if e.clusters.len() == 1 { "" } else { "s" },
                        e.clusters.join(", ")
                    ),
                )
                .label("does not load in Istio")
                .help(help),
        );
    }
}
