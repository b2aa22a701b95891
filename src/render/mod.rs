//! Render: one `WasmPlugin` per (binding, plugin, cluster), plus `kustomization.yaml` files,
//! as a sorted map of relative paths to bytes. Same inputs, same bytes.

mod manifest;
mod output;

pub use manifest::{WasmPlugin, build_manifest};
pub use output::{
    CheckResult, MARKER, Tree, check_output, output_guard, output_inside, write_output,
    write_output_marked,
};

use crate::check::{Checked, Effective};
use crate::diag::Places as _;
use crate::diag::{Diagnostic, rule, sort_and_dedup};
use crate::load::Repo;
use crate::lock::{PinSource, pin_of as pin};
use crate::model::url::ModuleUrl;
use crate::model::wasmplugin_name;
use std::collections::{BTreeMap, BTreeSet};

/// Rendered files: repo-independent relative paths (`cluster/ns/name.yaml`) to contents.
pub type Files = BTreeMap<String, String>;

/// The rendered tree of a repository that renders without problems. Manifests are produced one
/// at a time as the tree is walked ([`Tree::each_file`]), so a large repository is never held
/// in memory as text all at once.
pub struct Rendered<'a> {
    effective: &'a [Effective<'a>],
    pins: &'a dyn PinSource,
    /// `kustomization.yaml` files: (path, contents).
    kustomizations: Vec<(String, String)>,
    manifests: usize,
}

impl Rendered<'_> {
    /// Number of WasmPlugin files.
    pub fn manifests(&self) -> usize {
        self.manifests
    }

    /// Every file, in memory (for small repositories and tests).
    pub fn files(&self) -> Files {
        let mut files = Files::new();
        self.each_file(&mut |rel, text| {
            files.insert(rel.to_string(), text.to_string());
            Ok(())
        })
        .expect("collecting in memory does not fail");
        files
    }
}

impl Tree for Rendered<'_> {
    fn each_file(
        &self,
        f: &mut dyn FnMut(&str, &str) -> std::io::Result<()>,
    ) -> std::io::Result<()> {
        for e in self.effective {
            let manifest = build_manifest(e, pin(e.version, self.pins).field);
            let text = manifest.to_yaml(e.path());
            for cluster in &e.clusters {
                let rel = format!(
                    "{cluster}/{}/{}.yaml",
                    e.namespace(),
                    manifest.metadata.name
                );
                f(&rel, &text)?;
            }
        }
        for (rel, text) in &self.kustomizations {
            f(rel, text)?;
        }
        Ok(())
    }
}

/// Render every manifest and kustomization. Fails with diagnostics on unpinned remote modules
/// unless `allow_unpinned`.
pub fn render<'a>(
    repo: &Repo,
    checked: &'a Checked<'a>,
    pins: &'a dyn PinSource,
    allow_unpinned: bool,
) -> Result<Rendered<'a>, Vec<Diagnostic>> {
    let mut problems = Vec::new();
    let mut dirs: BTreeMap<&str, BTreeMap<&str, BTreeSet<String>>> = BTreeMap::new();
    for c in &repo.config.item.spec.clusters {
        dirs.entry(c.name.as_str()).or_default();
    }
    for e in &checked.effective {
        let url = &e.version.url;
        let pin = pin(e.version, pins);
        if pin.digest.is_none() && ModuleUrl::parse(url).is_remote() && !allow_unpinned {
            let vi = e
                .plugin
                .item
                .spec
                .versions
                .iter()
                .position(|v| std::ptr::eq(v, e.version))
                .unwrap_or(0);
            problems.push(
                e.plugin
                    .doc
                    .diag(&rule::UNPINNED_MODULE, &format!("/spec/versions/{vi}/url"), format!("module {url} is not pinned"))
                    .label("no sha256")
                    .help("run `meshplug lock` to pin it, or add the digest as `sha256:`; `render --allow-unpinned` renders it without a pin"),
            );
            continue;
        }
        let name = wasmplugin_name(&e.binding.item.metadata.name, e.plugin_name());
        for cluster in &e.clusters {
            dirs.entry(cluster)
                .or_default()
                .entry(e.namespace())
                .or_default()
                .insert(format!("{name}.yaml"));
        }
    }
    if !problems.is_empty() {
        sort_and_dedup(&mut problems);
        return Err(problems);
    }
    let mut kustomizations = Vec::new();
    let mut manifests = 0;
    for (cluster, namespaces) in &dirs {
        kustomizations.push((
            format!("{cluster}/kustomization.yaml"),
            kustomization(namespaces.keys().map(|n| n.to_string())),
        ));
        for (ns, names) in namespaces {
            manifests += names
                .iter()
                .filter(|n| !n.ends_with("kustomization.yaml"))
                .count();
            kustomizations.push((
                format!("{cluster}/{ns}/kustomization.yaml"),
                kustomization(names.iter().cloned()),
            ));
        }
    }
    Ok(Rendered {
        effective: &checked.effective,
        pins,
        kustomizations,
        manifests,
    })
}

fn kustomization(resources: impl Iterator<Item = String>) -> String {
    let mut s = String::from(
        "# Generated by meshplug. Do not edit: change the bindings and run `meshplug render`.\napiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:",
    );
    let mut any = false;
    for r in resources {
        any = true;
        s.push_str("\n- ");
        // Quoted when a YAML 1.1 reader (kustomize) would read something else: a namespace
        // named `on` or `no` is a boolean there.
        let scalar = serde_saphyr::to_string(&r).expect("a string serializes");
        s.push_str(scalar.trim_end());
    }
    s.push_str(if any { "\n" } else { " []\n" });
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_length_safe_and_stable() {
        assert_eq!(
            wasmplugin_name("productpage", "key-auth"),
            "productpage-key-auth"
        );
        let long = wasmplugin_name(&"a".repeat(63), "plugin");
        assert!(long.len() <= 63, "{long}");
        assert_eq!(long, wasmplugin_name(&"a".repeat(63), "plugin"));
        assert_ne!(long, wasmplugin_name(&"a".repeat(62), "plugin"));
    }

    #[test]
    fn kustomization_entries_that_yaml_1_1_misreads_are_quoted() {
        let k = kustomization(
            ["on", "no", "y", "0755", "shop"]
                .into_iter()
                .map(String::from),
        );
        assert!(
            k.ends_with("resources:\n- \"on\"\n- \"no\"\n- \"y\"\n- \"0755\"\n- shop\n"),
            "{k}"
        );
    }
}
