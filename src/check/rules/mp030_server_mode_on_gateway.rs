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
