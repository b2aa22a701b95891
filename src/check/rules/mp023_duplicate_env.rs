//! MP023 duplicate-env (check): Env var names are unique within a plugin's vmConfig.
//!
//! **Severity:** error
//!
//! `vmConfig.env` is a list keyed by `name` in the CRD, so two entries with one name are rejected by
//! the API server. In a binding, an env var replaces the catalog default of the same name; within one
//! list, each name appears once.
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
//!       - name: TRUST_DOMAIN
//!         value: cluster.local
//!       - name: TRUST_DOMAIN  # MP023
//!         value: shop.example
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
//!       - name: TRUST_DOMAIN
//!         value: shop.example
//! ```

use crate::check::Context;
use crate::diag::rule::DUPLICATE_ENV;
use crate::diag::{Diagnostic, Places};
use crate::model::EnvVar;
use std::collections::BTreeMap;

/// Every env var defined twice in one vmConfig (catalog defaults or a binding entry).
pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (doc, at, env) in cx.env_lists() {
        out.extend(env_list(doc, &at, env));
    }
}

/// The env list `env` at `at`. Shared with `lint`.
pub fn env_list(doc: &impl Places, at: &str, env: &[EnvVar]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut seen = BTreeMap::new();
    for (i, e) in env.iter().enumerate() {
        let Some(j) = seen.insert(e.name.as_str(), i) else {
            continue;
        };
        out.push(
            doc.diag(
                &DUPLICATE_ENV,
                &format!("{at}/{i}/name"),
                format!(
                    "env var `{}` is defined twice (also on line {})",
                    e.name,
                    doc.line(&format!("{at}/{j}/name"))
                ),
            )
            .label("duplicate name")
            .help("keep one entry per name; the API server rejects duplicates"),
        );
    }
    out
}
