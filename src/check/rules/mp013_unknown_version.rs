//! MP013 unknown-version (check): A binding refers only to versions its catalog entry lists.
//!
//! **Severity:** error
//!
//! A binding may pin a plugin to one of the versions its catalog entry lists; without `version` it
//! gets the newest (first) one. A version the entry does not list has no url or digest, so it cannot
//! be rendered; the hint lists the versions there are.
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
//!     version: 2.1.0        # MP013
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
//!     version: 2.0.0
//!     pluginConfig:
//!       keys: [x-api-key]
//! ```

use crate::check::Context;
use crate::diag::rule::UNKNOWN_VERSION;
use crate::diag::{Diagnostic, Places as _};

/// Every binding entry that names a version its catalog entry does not list.
pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for b in &cx.repo.bindings {
        for (i, u) in b.item.spec.plugins.iter().enumerate() {
            let (Some(plugin), Some(v)) = (cx.catalog.get(&u.plugin), &u.version) else {
                continue;
            };
            let versions = &plugin.item.spec.versions;
            if versions.iter().any(|x| &x.version == v) {
                continue;
            }
            let known: Vec<&str> = versions.iter().map(|x| x.version.as_str()).collect();
            out.push(
                b.doc
                    .diag(
                        &UNKNOWN_VERSION,
                        &format!("/spec/plugins/{i}/version"),
                        format!("plugin `{}` has no version `{v}`", u.plugin),
                    )
                    .label("unknown version")
                    .help(format!(
                        "available versions: {} (in {})",
                        known.join(", "),
                        plugin.doc.source.path
                    )),
            );
        }
    }
}
