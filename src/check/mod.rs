//! Check: schema validation plus named semantic rules over a loaded repository.

mod effective;
pub mod istio;
pub mod rules;
#[cfg(test)]
pub(crate) mod testkit;
pub mod url;

pub use effective::{Effective, merge, merge_env, merge_over};

use crate::diag::{Diagnostic, Places as _, sort_and_dedup};
use crate::load::{Loaded, Repo};
use crate::model::Plugin;
use rayon::prelude::*;
use std::collections::BTreeMap;

/// The catalog by name, with each entry's compiled config schema.
pub struct Catalog<'r> {
    entries: BTreeMap<&'r str, (&'r Loaded<Plugin>, Option<jsonschema::Validator>)>,
}

impl<'r> Catalog<'r> {
    /// The entry named `name`.
    pub fn get(&self, name: &str) -> Option<&'r Loaded<Plugin>> {
        self.entries.get(name).map(|(p, _)| *p)
    }

    /// The compiled config schema of `name`, when it has a valid one.
    pub fn config_validator(&self, name: &str) -> Option<&jsonschema::Validator> {
        self.entries.get(name).and_then(|(_, v)| v.as_ref())
    }

    /// Every entry name, sorted.
    pub fn names(&self) -> impl Iterator<Item = &'r str> + '_ {
        self.entries.keys().copied()
    }
}

/// What every rule's check reads: the repository, its catalog and the resolved bindings.
pub struct Context<'r> {
    /// The loaded repository.
    pub repo: &'r Repo,
    /// The catalog by name.
    pub catalog: &'r Catalog<'r>,
    /// Every (binding, plugin) pair that resolved.
    pub effective: &'r [Effective<'r>],
}

/// The outcome of checking a repository.
pub struct Checked<'r> {
    /// Every (binding, plugin) pair that resolved, in binding-file then entry order.
    pub effective: Vec<Effective<'r>>,
    /// The catalog index.
    pub catalog: Catalog<'r>,
    /// Every problem found.
    pub diagnostics: Vec<Diagnostic>,
}

/// Run every rule over `repo`.
pub fn check(repo: &Repo) -> Checked<'_> {
    let mut diagnostics = Vec::new();

    // Catalog: one entry per name, each entry checked on its own.
    let mut entries: BTreeMap<&str, (&Loaded<Plugin>, Option<jsonschema::Validator>)> =
        BTreeMap::new();
    for p in &repo.plugins {
        let name = p.item.metadata.name.as_str();
        if let Some((first, _)) = entries.get(name) {
            let first_place = first.doc.place("/metadata/name");
            diagnostics.push(
                p.doc
                    .diag(&rules::DUPLICATE_PLUGIN, "/metadata/name", format!("plugin `{name}` is already defined in {first_place}"))
                    .label("duplicate name")
                    .help("rename one of the entries, or remove the catalog dir that repeats it from meshplug.yaml"),
            );
            continue;
        }
        entries.insert(name, (p, None));
    }
    let per_plugin: Vec<_> = entries
        .values()
        .map(|(p, _)| *p)
        .collect::<Vec<_>>()
        .into_par_iter()
        .map(rules::check_plugin)
        .collect();
    for (name, (diags, validator)) in entries
        .keys()
        .copied()
        .collect::<Vec<_>>()
        .into_iter()
        .zip(per_plugin)
    {
        diagnostics.extend(diags);
        entries.get_mut(name).expect("present").1 = validator;
    }
    let catalog = Catalog { entries };

    // Bindings: references resolve to effective settings; the env and secrets rules on each.
    let clusters = repo.config.item.spec.cluster_names();
    let per_binding: Vec<_> = repo
        .bindings
        .par_iter()
        .map(|b| {
            let (effective, mut diags) = rules::check_binding_references(b, &catalog, &clusters);
            diags.extend(rules::check_binding_env_and_secrets(b, &effective));
            (effective, diags)
        })
        .collect();
    let mut effective = Vec::new();
    for (e, d) in per_binding {
        effective.extend(e);
        diagnostics.extend(d);
    }

    // Across bindings: one binding per service, unique names.
    diagnostics.extend(duplicate_bindings(repo));

    // The rules with a check of their own, side by side.
    let cx = Context {
        repo,
        catalog: &catalog,
        effective: &effective,
    };
    diagnostics.par_extend(rules::CHECKS.par_iter().flat_map_iter(|c| {
        let mut found = Vec::new();
        (c.run)(&cx, &mut found);
        found
    }));

    sort_and_dedup(&mut diagnostics);
    Checked {
        effective,
        catalog,
        diagnostics,
    }
}

/// MP035 (two bindings for one service) and MP010 (two WasmPlugins with one name).
fn duplicate_bindings(repo: &Repo) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut services: BTreeMap<(&str, &str), &Loaded<crate::model::Binding>> = BTreeMap::new();
    let mut names: BTreeMap<(&str, String), (&Loaded<crate::model::Binding>, usize)> =
        BTreeMap::new();
    for b in &repo.bindings {
        let m = &b.item.metadata;
        if let Some(first) = services.insert((&m.namespace, &m.name), b) {
            out.push(
                b.doc
                    .diag(
                        &rules::DUPLICATE_BINDING,
                        "/metadata/name",
                        format!(
                            "{}/{} already has a binding in {}",
                            m.namespace, m.name, first.doc.source.path
                        ),
                    )
                    .label("second binding for this service")
                    .help("keep one binding file per service and list all its plugins there"),
            );
            services.insert((&m.namespace, &m.name), first);
        }
        let mut seen = BTreeMap::new();
        for (i, u) in b.item.spec.plugins.iter().enumerate() {
            if let Some(j) = seen.insert(u.plugin.as_str(), i) {
                out.push(
                    b.doc
                        .diag(
                            &rules::DUPLICATE_BINDING,
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
                continue;
            }
            let name = crate::model::wasmplugin_name(&m.name, &u.plugin);
            if let Some((other, oi)) = names.insert((&m.namespace, name.clone()), (b, i))
                && other.item.metadata.name != m.name
            {
                out.push(
                        b.doc
                            .diag(&rules::INVALID_NAME, &format!("/spec/plugins/{i}/plugin"), format!(
                                "the WasmPlugin name `{name}` in namespace {} is also produced by {}",
                                m.namespace, other.doc.place(&format!("/spec/plugins/{oi}/plugin"))
                            ))
                            .label("same rendered name")
                            .help("rename one of the bindings; names are `<binding>-<plugin>`"),
                    );
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::testkit::{binding, findings, plugin};

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
