//! MP010 invalid-name (check): Names that become Kubernetes names are DNS-1123 labels and the
//! rendered WasmPlugin name is unique in its namespace.
//!
//! **Severity:** error
//!
//! Names that end up in Kubernetes objects must be DNS-1123 labels: lowercase letters, digits and
//! `-`, starting and ending with a letter or digit, at most 63 characters. That covers plugin names,
//! binding names and namespaces, cluster names and the root namespace. The API server rejects a
//! WasmPlugin whose name or namespace breaks this, which would only show up when Argo CD or Flux
//! syncs. The rendered name `<binding>-<plugin>` must also be unique in its namespace: two bindings
//! whose names combine to the same WasmPlugin name would overwrite each other.
//!
//! ```yaml bad file=bindings/shop/cart.yaml
//! apiVersion: meshplug.io/v1alpha1
//! kind: Binding
//! metadata:
//!   name: CartService       # MP010
//!   namespace: shop
//! spec:
//!   plugins:
//!   - plugin: key-auth
//!     pluginConfig:
//!       keys: [x-api-key]
//! ```
//!
//! ```yaml good file=bindings/shop/cart.yaml
//! apiVersion: meshplug.io/v1alpha1
//! kind: Binding
//! metadata:
//!   name: cart-service
//!   namespace: shop
//! spec:
//!   plugins:
//!   - plugin: key-auth
//!     pluginConfig:
//!       keys: [x-api-key]
//! ```

// The DNS-1123 part is found by the schema gate (`src/load/schema.rs`) and by `lint`
// (`src/manifests/meta.rs`); the check here finds rendered names that collide.

use crate::check::Context;
use crate::diag::rule::INVALID_NAME;
use crate::diag::{Diagnostic, Places as _};
use crate::load::Loaded;
use crate::model::Binding;
use std::collections::{BTreeMap, BTreeSet};

/// Two bindings of one namespace whose entries render the same WasmPlugin name.
pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let mut names: BTreeMap<(&str, String), (&Loaded<Binding>, usize)> = BTreeMap::new();
    for b in &cx.repo.bindings {
        let m = &b.item.metadata;
        // A plugin applied twice in one binding is MP035's; only its first entry counts here.
        let mut seen = BTreeSet::new();
        for (i, u) in b.item.spec.plugins.iter().enumerate() {
            if !seen.insert(u.plugin.as_str()) {
                continue;
            }
            let name = crate::model::wasmplugin_name(&m.name, &u.plugin);
            if let Some((other, oi)) = names.insert((&m.namespace, name.clone()), (b, i))
                && other.item.metadata.name != m.name
            {
                out.push(
                    b.doc
                        .diag(
                            &INVALID_NAME,
                            &format!("/spec/plugins/{i}/plugin"),
                            format!(
                                "the WasmPlugin name `{name}` in namespace {} is also produced by {}",
                                m.namespace,
                                other.doc.place(&format!("/spec/plugins/{oi}/plugin"))
                            ),
                        )
                        .label("same rendered name")
                        .help("rename one of the bindings; names are `<binding>-<plugin>`"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::check::testkit::{binding, findings, plugin};

    #[test]
    fn rendered_names_collide_across_bindings() {
        // `cart` + `key-auth` and `cart-key` + `auth` both render `cart-key-auth`.
        let (key_auth, auth) = (
            plugin("key-auth", "{priority: 1}"),
            plugin("auth", "{priority: 2}"),
        );
        let a = binding("shop", "cart", "  plugins:\n  - plugin: key-auth\n");
        let b = binding("shop", "cart-key", "  plugins:\n  - plugin: auth\n");
        let f = findings(&[
            ("catalog/key-auth.yaml", &key_auth),
            ("catalog/auth.yaml", &auth),
            ("bindings/a.yaml", &a),
            ("bindings/b.yaml", &b),
        ]);
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(
            (f[0].0, f[0].1.as_str(), f[0].2.as_str()),
            (
                "MP010",
                "bindings/b.yaml:6",
                "the WasmPlugin name `cart-key-auth` in namespace shop is also produced by bindings/a.yaml:6"
            )
        );
    }
}
