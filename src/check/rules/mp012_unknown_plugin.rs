//! MP012 unknown-plugin (check): A binding refers only to plugins in the catalog.
//!
//! **Severity:** error
//!
//! Every `plugin:` in a binding must name a catalog entry; the hint suggests the closest name when
//! there is one. Without the entry there is no module url to render.
//!
//! ```yaml bad file=bindings/shop/cart.yaml
//! apiVersion: meshplug.io/v1alpha1
//! kind: Binding
//! metadata:
//!   name: cart
//!   namespace: shop
//! spec:
//!   plugins:
//!   - plugin: key-atuh      # MP012
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
//!     pluginConfig:
//!       keys: [x-api-key]
//! ```

use crate::check::Context;
use crate::diag::rule::UNKNOWN_PLUGIN;
use crate::diag::{Diagnostic, Places as _, did_you_mean};

/// Every binding entry whose plugin is not in the catalog.
pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for b in &cx.repo.bindings {
        for (i, u) in b.item.spec.plugins.iter().enumerate() {
            if cx.catalog.get(&u.plugin).is_some() {
                continue;
            }
            let d = b
                .doc
                .diag(
                    &UNKNOWN_PLUGIN,
                    &format!("/spec/plugins/{i}/plugin"),
                    format!("plugin `{}` is not in the catalog", u.plugin),
                )
                .label("unknown plugin");
            out.push(match did_you_mean(&u.plugin, cx.catalog.names()) {
                Some(s) => d.help(format!("did you mean `{s}`?")),
                None => d.help("add a catalog entry (`meshplug catalog add`) or fix the name; `meshplug catalog list` shows what exists"),
            });
        }
    }
}
