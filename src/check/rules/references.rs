//! MP012, MP013, MP034: a binding's references to plugins, versions and clusters; builds the
//! effective settings of each entry.

use super::*;
use crate::check::{Catalog, Effective};
use crate::diag::Diagnostic;
use crate::diag::Places as _;
use crate::diag::did_you_mean;
use crate::load::Loaded;
use crate::model::{Binding, Phase};

/// Resolve every plugin entry of `b` against the catalog and the clusters.
pub fn check_binding_references<'r>(
    b: &'r Loaded<Binding>,
    catalog: &Catalog<'r>,
    all_clusters: &[&'r str],
) -> (Vec<Effective<'r>>, Vec<Diagnostic>) {
    let mut out = Vec::new();
    let mut effective = Vec::new();
    let doc = &b.doc;
    let clusters: Vec<&'r str> = match &b.item.spec.clusters {
        None => all_clusters.to_vec(),
        Some(list) => {
            let mut chosen = Vec::new();
            for (i, c) in list.iter().enumerate() {
                match all_clusters.iter().find(|k| **k == c.as_str()) {
                    Some(k) => chosen.push(*k),
                    None => {
                        let mut d = doc
                            .diag(
                                &UNKNOWN_CLUSTER,
                                &format!("/spec/clusters/{i}"),
                                format!("cluster `{c}` is not declared in meshplug.yaml"),
                            )
                            .label("unknown cluster");
                        d = match did_you_mean(c, all_clusters.iter().copied()) {
                            Some(s) => d.help(format!("did you mean `{s}`? declared: {}", all_clusters.join(", "))),
                            None => d.help(format!("declared clusters: {}; add it under spec.clusters in meshplug.yaml", all_clusters.join(", "))),
                        };
                        out.push(d);
                    }
                }
            }
            chosen
        }
    };
    for (index, u) in b.item.spec.plugins.iter().enumerate() {
        let at = format!("/spec/plugins/{index}");
        let Some(plugin) = catalog.get(&u.plugin) else {
            let mut d = doc
                .diag(
                    &UNKNOWN_PLUGIN,
                    &format!("{at}/plugin"),
                    format!("plugin `{}` is not in the catalog", u.plugin),
                )
                .label("unknown plugin");
            d = match did_you_mean(&u.plugin, catalog.names()) {
                Some(s) => d.help(format!("did you mean `{s}`?")),
                None => d.help("add a catalog entry (`meshplug catalog add`) or fix the name; `meshplug catalog list` shows what exists"),
            };
            out.push(d);
            continue;
        };
        let spec = &plugin.item.spec;
        let version = match &u.version {
            None => &spec.versions[0],
            Some(v) => match spec.versions.iter().find(|x| &x.version == v) {
                Some(x) => x,
                None => {
                    let known: Vec<&str> =
                        spec.versions.iter().map(|x| x.version.as_str()).collect();
                    out.push(
                        doc.diag(
                            &UNKNOWN_VERSION,
                            &format!("{at}/version"),
                            format!("plugin `{}` has no version `{v}`", u.plugin),
                        )
                        .label("unknown version")
                        .help(format!(
                            "available versions: {} (in {})",
                            known.join(", "),
                            plugin.doc.source.path
                        )),
                    );
                    continue;
                }
            },
        };
        let d = &spec.defaults;
        effective.push(Effective {
            binding: b,
            index,
            plugin,
            version,
            phase: u.phase.or(d.phase).unwrap_or(Phase::Unspecified),
            priority: u.priority.or(d.priority),
            fail_strategy: u.fail_strategy.or(d.fail_strategy),
            pull_policy: u.image_pull_policy.or(d.image_pull_policy),
            pull_secret: u.image_pull_secret.as_deref(),
            r#match: u.r#match.as_deref().unwrap_or_default(),
            plugin_type: u.plugin_type.or(spec.plugin_type),
            clusters: clusters.clone(),
        });
    }
    (effective, out)
}
