//! MP022 env-value-with-host (check): An env var with valueFrom: HOST has no value.
//!
//! **Severity:** error
//!
//! A VM env var either has an inline `value` or, with `valueFrom: HOST`, takes the value of the proxy's
//! own environment variable of that name. Both at once is rejected by the CRD (Istio's own API comment
//! says the opposite, which is a known error in the docs).
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
//!     vmConfig:
//!       env:
//!       - name: POD_NAME
//!         valueFrom: HOST
//!         value: cart-0     # MP022
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
//!     vmConfig:
//!       env:
//!       - name: POD_NAME
//!         valueFrom: HOST
//! ```

use crate::check::Context;
use crate::diag::rule::ENV_VALUE_WITH_HOST;
use crate::diag::{Diagnostic, Places};
use crate::model::{EnvValueSource, EnvVar};

/// Every env var with both a value and `valueFrom: HOST` (catalog defaults or a binding entry).
pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (doc, at, env) in cx.env_lists() {
        out.extend(env_list(doc, &at, env));
    }
}

/// The env list `env` at `at`. Shared with `lint`.
pub fn env_list(doc: &impl Places, at: &str, env: &[EnvVar]) -> Vec<Diagnostic> {
    env.iter()
        .enumerate()
        .filter(|(_, e)| e.value_from == Some(EnvValueSource::Host) && e.value.is_some())
        .map(|(i, e)| {
            doc.diag(
                &ENV_VALUE_WITH_HOST,
                &format!("{at}/{i}/value"),
                format!(
                    "env var `{}` has a value but takes it from the HOST",
                    e.name
                ),
            )
            .label("not allowed with valueFrom: HOST")
            .help("remove `value`, or remove `valueFrom: HOST` to set the value inline")
        })
        .collect()
}
