//! MP027 plugin-config (check): The effective pluginConfig (catalog defaults merged with the
//! binding) satisfies the plugin's configSchema.
//!
//! **Severity:** error
//!
//! Istio passes `pluginConfig` to the module as JSON and never looks inside. A wrong field name or
//! type shows up only at runtime: the plugin refuses its configuration and Envoy rejects the update,
//! visible only in proxy logs. So every catalog entry may carry a `configSchema`, and the effective
//! `pluginConfig` of each binding (the catalog default with the binding's deep-merged over it) must
//! satisfy it.
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
//!       keys: x-api-key     # MP027
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
use crate::diag::rule::PLUGIN_CONFIG;
use crate::diag::{Diagnostic, Places as _};
use crate::load::schema;

/// The effective pluginConfig of every resolved entry whose plugin has a valid configSchema.
pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for e in cx.effective {
        let Some(validator) = cx.catalog.config_validator(e.plugin_name()) else {
            continue;
        };
        let doc = &e.binding.doc;
        let cfg_ptr = format!("{}/pluginConfig", e.pointer());
        let value = serde_json::Value::Object(e.plugin_config().unwrap_or_default());
        schema::check_config(validator, &value, |inner, msg| {
            let where_ = if inner.is_empty() {
                String::new()
            } else {
                format!(" at {inner}")
            };
            out.push(
                doc.diag(
                    &PLUGIN_CONFIG,
                    &format!("{cfg_ptr}{inner}"),
                    format!("pluginConfig of `{}`{where_}: {msg}", e.plugin_name()),
                )
                .label("does not match the plugin's configSchema")
                .help(format!(
                    "see the configSchema in {} (or `meshplug catalog show {}`)",
                    e.plugin.doc.source.path,
                    e.plugin_name()
                )),
            );
        });
    }
}
