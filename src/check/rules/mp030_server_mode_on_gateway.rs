//! MP030 server-mode-on-gateway (check): match mode SERVER is not used on gateways, which Istio
//! treats as CLIENT (the plugin would never run).
//!
//! **Severity:** error
//!
//! `match[].mode` limits a plugin to outbound (`CLIENT`) or inbound (`SERVER`) traffic. Istio counts
//! all gateway traffic as `CLIENT`, so a plugin limited to `SERVER` on a gateway is accepted and then
//! never runs: no error anywhere, just a missing filter. A binding targets a gateway when it selects
//! `istio: ...gateway` or a `gateway-name` label, or refers to a `Gateway` or `GatewayClass`.
//!
//! ```yaml bad file=bindings/istio-system/istio-ingressgateway.yaml
//! apiVersion: meshplug.io/v1alpha1
//! kind: Binding
//! metadata:
//!   name: istio-ingressgateway
//!   namespace: istio-system
//! spec:
//!   selector:
//!     matchLabels:
//!       istio: ingressgateway
//!   plugins:
//!   - plugin: request-block
//!     pluginConfig:
//!       block_urls: [/admin]
//!     match:
//!     - mode: SERVER        # MP030
//! ```
//!
//! ```yaml good file=bindings/istio-system/istio-ingressgateway.yaml
//! apiVersion: meshplug.io/v1alpha1
//! kind: Binding
//! metadata:
//!   name: istio-ingressgateway
//!   namespace: istio-system
//! spec:
//!   selector:
//!     matchLabels:
//!       istio: ingressgateway
//!   plugins:
//!   - plugin: request-block
//!     pluginConfig:
//!       block_urls: [/admin]
//!     match:
//!     - mode: CLIENT
//! ```

use crate::check::Context;
use crate::diag::rule::SERVER_MODE_ON_GATEWAY;
use crate::diag::{Diagnostic, Places};
use crate::model::attach::targets_gateway;
use crate::model::{TrafficSelector, WorkloadMode};

/// The `match` list of every resolved entry of a binding that selects a gateway.
pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for e in cx.effective {
        let gateway = targets_gateway(&e.binding.item);
        out.extend(server_mode(
            &e.binding.doc,
            &e.pointer(),
            e.r#match,
            gateway,
        ));
    }
}

/// `mode: SERVER` in the `match` list of the entry at `at`, when it runs on a `gateway`. Also
/// used by `meshplug lint`.
pub fn server_mode(
    doc: &impl Places,
    at: &str,
    matches: &[TrafficSelector],
    gateway: bool,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (m, sel) in matches.iter().enumerate() {
        if gateway && sel.mode == Some(WorkloadMode::Server) {
            out.push(
                doc.diag(
                    &SERVER_MODE_ON_GATEWAY,
                    &format!("{at}/match/{m}/mode"),
                    "mode SERVER on a gateway: the plugin would never run",
                )
                .label("gateways are CLIENT")
                .help("Istio treats gateway traffic as CLIENT; use CLIENT or drop `mode`"),
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::check::testkit::binding_findings as check_binding;

    #[test]
    fn server_mode_only_matters_on_gateways() {
        let server = "  plugins:\n  - plugin: a\n    match: [{mode: SERVER}]\n";
        assert_eq!(check_binding("shop", server), []);
        let by_label = format!("  selector:\n    matchLabels: {{istio: egressgateway}}\n{server}");
        assert_eq!(check_binding("shop", &by_label)[0].0, "MP030");
        let by_ref = format!(
            "  targetRefs: [{{group: gateway.networking.k8s.io, kind: Gateway, name: shop}}]\n{server}"
        );
        assert_eq!(check_binding("shop", &by_ref)[0].0, "MP030");
    }
}
