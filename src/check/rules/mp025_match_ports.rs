//! MP025 match-ports (check): match ports are between 1 and 65535 and unique within an entry.
//!
//! **Severity:** error
//!
//! `match[].ports` limits a plugin to some ports of the workload. Each port number is between 1 and
//! 65535, and appears once per `match` entry: the CRD keys the list by `number` and rejects
//! duplicates.
//!
//! ```yaml bad file=bindings/shop/cart.yaml
//! apiVersion: meshplug.io/v1alpha1
//! kind: Binding
//! metadata:
//!   name: cart
//!   namespace: shop
//! spec:
//!   plugins:
//!   - plugin: key-auth
//!     pluginConfig:
//!       keys: [x-api-key]
//!     match:
//!     - mode: SERVER
//!       ports:
//!       - number: 8080
//!       - number: 8080      # MP025
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
//!   - plugin: key-auth
//!     pluginConfig:
//!       keys: [x-api-key]
//!     match:
//!     - mode: SERVER
//!       ports:
//!       - number: 8080
//!       - number: 8443
//! ```

use crate::check::Context;
use crate::diag::rule::MATCH_PORTS;
use crate::diag::{Diagnostic, Places};
use crate::model::TrafficSelector;

/// The `match` list of every resolved entry.
pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for e in cx.effective {
        out.extend(ports(&e.binding.doc, &e.pointer(), e.r#match));
    }
}

/// Ports listed twice in one selector of the `match` list of the entry at `at`. Also used by
/// `meshplug lint`.
pub fn ports(doc: &impl Places, at: &str, matches: &[TrafficSelector]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (m, sel) in matches.iter().enumerate() {
        let mut ports = std::collections::BTreeMap::new();
        for (p, port) in sel.ports.iter().enumerate() {
            if let Some(first) = ports.insert(port.number, p) {
                out.push(
                    doc.diag(
                        &MATCH_PORTS,
                        &format!("{at}/match/{m}/ports/{p}/number"),
                        format!(
                            "port {} is listed twice (also on line {})",
                            port.number,
                            doc.line(&format!("{at}/match/{m}/ports/{first}/number"))
                        ),
                    )
                    .label("duplicate port")
                    .help("list each port once"),
                );
            }
        }
    }
    out
}
