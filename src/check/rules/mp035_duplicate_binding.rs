//! MP035 duplicate-binding (check): One binding per namespace/service, and a plugin at most once
//! per binding.
//!
//! **Severity:** error
//!
//! Each service has one binding file (`namespace` + `name` are unique across the repository), and a
//! binding applies each plugin at most once. Both would otherwise render two WasmPlugins of the same
//! name, one silently replacing the other.
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
//!   - plugin: key-auth      # MP035
//!     pluginConfig:
//!       keys: [x-cart-key]
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
//!       keys: [x-api-key, x-cart-key]
//! ```

use crate::check::Context;
use crate::diag::rule::DUPLICATE_BINDING;
use crate::diag::{Diagnostic, Places as _};
use crate::load::Loaded;
use crate::model::Binding;
use std::collections::BTreeMap;

/// A second binding for one namespace/service, and a plugin applied twice in one binding.
pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let mut services: BTreeMap<(&str, &str), &Loaded<Binding>> = BTreeMap::new();
    for b in &cx.repo.bindings {
        let m = &b.item.metadata;
        if let Some(first) = services.get(&(m.namespace.as_str(), m.name.as_str())) {
            out.push(
                b.doc
                    .diag(
                        &DUPLICATE_BINDING,
                        "/metadata/name",
                        format!(
                            "{}/{} already has a binding in {}",
                            m.namespace, m.name, first.doc.source.path
                        ),
                    )
                    .label("second binding for this service")
                    .help("keep one binding file per service and list all its plugins there"),
            );
        } else {
            services.insert((&m.namespace, &m.name), b);
        }
        let mut seen = BTreeMap::new();
        for (i, u) in b.item.spec.plugins.iter().enumerate() {
            let Some(j) = seen.insert(u.plugin.as_str(), i) else {
                continue;
            };
            out.push(
                b.doc
                    .diag(
                        &DUPLICATE_BINDING,
                        &format!("/spec/plugins/{i}/plugin"),
                        format!(
                            "plugin `{}` is applied twice (also on line {})",
                            u.plugin,
                            b.doc.line(&format!("/spec/plugins/{j}/plugin"))
                        ),
                    )
                    .label("applied again")
                    .help("merge the two entries into one"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::check::testkit::{binding, findings, plugin};

    #[test]
    fn two_bindings_for_one_service() {
        let p = plugin("a", "{}");
        let a = binding("shop", "cart", "  plugins:\n  - plugin: a\n");
        let f = findings(&[
            ("catalog/a.yaml", &p),
            ("bindings/a.yaml", &a),
            ("bindings/b.yaml", &a),
        ]);
        let got: Vec<_> = f
            .iter()
            .map(|(c, at, m)| (*c, at.as_str(), m.as_str()))
            .collect();
        assert_eq!(
            got,
            [(
                "MP035",
                "bindings/b.yaml:3",
                "shop/cart already has a binding in bindings/a.yaml"
            )]
        );
    }
}
