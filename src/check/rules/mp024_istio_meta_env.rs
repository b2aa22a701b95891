//! MP024 istio-meta-env (check): Env var names do not start with ISTIO_META_ (Istio strips them
//! silently) and are C identifiers.
//!
//! **Severity:** error
//!
//! The Istio agent removes every VM env var whose name starts with `ISTIO_META_` before the
//! configuration reaches Envoy (it uses that prefix for its own settings), without a warning: the
//! plugin simply never sees it. Env var names must also be C identifiers (letters, digits and `_`, not
//! starting with a digit), as Istio's API documents (the CRD itself does not check it).
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
//!       - name: ISTIO_META_OWNER_TEAM  # MP024
//!         value: checkout
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
//!       - name: OWNER_TEAM
//!         value: checkout
//! ```

use crate::check::Context;
use crate::diag::rule::ISTIO_META_ENV;
use crate::diag::{Diagnostic, Places};
use crate::model::EnvVar;

/// Every env var named `ISTIO_META_*` or not a C identifier (catalog defaults or a binding entry).
pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (doc, at, env) in cx.env_lists() {
        out.extend(env_list(doc, &at, env));
    }
}

/// The env list `env` at `at`. Shared with `lint`.
pub fn env_list(doc: &impl Places, at: &str, env: &[EnvVar]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (i, e) in env.iter().enumerate() {
        let ptr = format!("{at}/{i}/name");
        if e.name.starts_with("ISTIO_META_") {
            out.push(
                doc.diag(&ISTIO_META_ENV, &ptr, format!("env var `{}` starts with ISTIO_META_", e.name))
                    .label("dropped by Istio")
                    .help("the Istio agent strips ISTIO_META_* variables before the VM starts; choose another name"),
            );
        } else if !is_c_identifier(&e.name) {
            out.push(
                doc.diag(
                    &ISTIO_META_ENV,
                    &ptr,
                    format!("env var name `{}` is not a C identifier", e.name),
                )
                .label("invalid name")
                .help("use letters, digits and `_`, not starting with a digit"),
            );
        }
    }
    out
}

fn is_c_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

#[cfg(test)]
mod tests {
    use crate::check::testkit::{entry, findings};

    #[test]
    fn names_that_are_not_c_identifiers() {
        let env = entry(
            "  - {version: 1.0.0, url: \"file:///a.wasm\"}\n",
            "  defaults:\n    vmConfig:\n      env:\n      - {name: 1ST}\n      - {name: MY-VAR}\n      - {name: OK_1}\n",
        );
        let f = findings(&[("catalog/x.yaml", &env)]);
        let got: Vec<_> = f.iter().map(|(c, at, _)| (*c, at.as_str())).collect();
        assert_eq!(
            got,
            [
                ("MP024", "catalog/x.yaml:12"),
                ("MP024", "catalog/x.yaml:13")
            ]
        );
    }
}
