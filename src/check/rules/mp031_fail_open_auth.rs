//! MP031 fail-open-auth (check): AUTHN and AUTHZ plugins fail closed: FAIL_OPEN would let requests
//! through unauthenticated while the plugin is broken.
//!
//! **Severity:** warning
//!
//! `failStrategy` says what happens when the module cannot be fetched or its VM fails. With
//! `FAIL_CLOSE` (the default) requests are denied; with `FAIL_OPEN` the plugin is skipped and requests
//! go through. For a plugin in the `AUTHN` or `AUTHZ` phase, failing open means a broken deployment
//! lets every request through unauthenticated, which Istio's own API documentation warns against. It
//! is a warning because some teams accept that trade-off deliberately.
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
//!     failStrategy: FAIL_OPEN  # MP031
//!     pluginConfig:
//!       keys: [x-api-key]
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
//!     failStrategy: FAIL_CLOSE
//!     pluginConfig:
//!       keys: [x-api-key]
//! ```

use crate::check::Context;
use crate::diag::rule::FAIL_OPEN_AUTH;
use crate::diag::{Diagnostic, Places};
use crate::model::{FailStrategy, Phase};

/// Every resolved entry in an AUTHN or AUTHZ phase.
pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for e in cx.effective {
        out.extend(fail_open(
            &e.binding.doc,
            &e.pointer(),
            e.entry().fail_strategy.is_some(),
            e.plugin_name(),
            e.phase,
            e.fail_strategy,
        ));
    }
}

/// FAIL_OPEN in an AUTHN or AUTHZ phase. `explicit` says whether the entry at `at` sets
/// `failStrategy` itself (the diagnostic then points at it). Also used by `meshplug lint`.
pub fn fail_open(
    doc: &impl Places,
    at: &str,
    explicit: bool,
    plugin: &str,
    phase: Phase,
    fail_strategy: Option<FailStrategy>,
) -> Option<Diagnostic> {
    if !matches!(phase, Phase::Authn | Phase::Authz)
        || fail_strategy != Some(FailStrategy::FailOpen)
    {
        return None;
    }
    let ptr = if explicit {
        format!("{at}/failStrategy")
    } else {
        at.to_string()
    };
    Some(
        doc.diag(
            &FAIL_OPEN_AUTH,
            &ptr,
            format!("`{plugin}` runs in phase {} with FAIL_OPEN", phase.as_str()),
        )
        .label("fails open")
        .help("a broken auth plugin would let every request through; use FAIL_CLOSE"),
    )
}
