//! MP011 duplicate-plugin (check): Every catalog entry name is unique across all catalog dirs
//! (including builtin), and an entry lists each version once.
//!
//! **Severity:** error
//!
//! A plugin name identifies one catalog entry across every catalog directory, the builtin catalog
//! included; a binding that says `plugin: key-auth` must mean exactly one thing. The entry found later
//! (in the order of `spec.catalog`, then by path) is reported. Within one entry, each version may be
//! listed only once.
//!
//! ```yaml bad file=catalog/platform/key-auth.yaml
//! apiVersion: meshplug.io/v1alpha1
//! kind: Plugin
//! metadata:
//!   name: key-auth          # MP011
//! spec:
//!   title: {en: Key Auth (platform build)}
//!   description: {en: Our build of key-auth with audit logging.}
//!   versions:
//!   - version: 2.1.0
//!     url: oci://registry.example.com/platform/key-auth:2.1.0
//!     sha256: 6084d6e48d2388276a1492ab8c680b4b170c7f7adc2299b480af58cf1fd82f32
//! ```
//!
//! ```yaml good file=catalog/platform/key-auth.yaml
//! apiVersion: meshplug.io/v1alpha1
//! kind: Plugin
//! metadata:
//!   name: platform-key-auth
//! spec:
//!   title: {en: Key Auth (platform build)}
//!   description: {en: Our build of key-auth with audit logging.}
//!   versions:
//!   - version: 2.1.0
//!     url: oci://registry.example.com/platform/key-auth:2.1.0
//!     sha256: 6084d6e48d2388276a1492ab8c680b4b170c7f7adc2299b480af58cf1fd82f32
//! ```

use crate::check::Context;
use crate::diag::rule::DUPLICATE_PLUGIN;
use crate::diag::{Diagnostic, Places as _};
use std::collections::BTreeMap;

/// A catalog entry whose name an earlier one already has, and a version listed twice in an entry.
pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for p in &cx.repo.plugins {
        let name = p.item.metadata.name.as_str();
        let first = cx.catalog.get(name).expect("every name is in the catalog");
        if std::ptr::eq(first, p) {
            continue;
        }
        let first_place = first.doc.place("/metadata/name");
        out.push(
            p.doc
                .diag(&DUPLICATE_PLUGIN, "/metadata/name", format!("plugin `{name}` is already defined in {first_place}"))
                .label("duplicate name")
                .help("rename one of the entries, or remove the catalog dir that repeats it from meshplug.yaml"),
        );
    }
    for p in cx.catalog.entries() {
        let mut versions = BTreeMap::new();
        for (i, v) in p.item.spec.versions.iter().enumerate() {
            let Some(j) = versions.insert(v.version.as_str(), i) else {
                continue;
            };
            out.push(
                p.doc
                    .diag(
                        &DUPLICATE_PLUGIN,
                        &format!("/spec/versions/{i}/version"),
                        format!(
                            "version `{}` is listed twice (also on line {})",
                            v.version,
                            p.doc.line(&format!("/spec/versions/{j}/version"))
                        ),
                    )
                    .label("duplicate version")
                    .help("list each version once, newest first"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::check::testkit::{entry, findings};

    #[test]
    fn a_version_listed_twice() {
        let twice = entry(
            "  - {version: 1.0.0, url: \"file:///a.wasm\"}\n  - {version: 1.0.0, url: \"file:///b.wasm\"}\n",
            "",
        );
        let f = findings(&[("catalog/x.yaml", &twice)]);
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(
            (f[0].0, f[0].2.as_str()),
            ("MP011", "version `1.0.0` is listed twice (also on line 8)")
        );
    }
}
