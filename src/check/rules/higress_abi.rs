//! MP039: a catalog version recorded as built with Higress's proxy-wasm SDK fork (ABI marker
//! `proxy_abi_version_0_2_100`, higress-group/higress#2532) is bound on an Istio cluster, whose
//! Envoy does not load it ("Missing or unknown Proxy-Wasm ABI version").

use super::HIGRESS_ABI;
use crate::check::Effective;
use crate::diag::{Diagnostic, Places as _};

/// The ABI only Higress loads.
pub const HIGRESS_ONLY_ABI: &str = "0.2.100";

/// One warning per bound entry whose version is Higress-only.
pub fn check_higress_abi(effective: &[Effective<'_>]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for e in effective {
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
    out
}
