//! Check: the named rules over a loaded repository, one file each in `rules/` (see
//! `docs/contributing.md`).

mod effective;
pub mod rules;
#[cfg(test)]
pub(crate) mod testkit;

pub use effective::{Effective, merge, merge_env, merge_over, resolve};

use crate::diag::{Diagnostic, sort_and_dedup};
use crate::load::{FileDoc, Loaded, Repo};
use crate::model::{EnvVar, Plugin, PluginVersion};
use rayon::prelude::*;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// The catalog by name, with each entry's compiled config schema.
pub struct Catalog<'r> {
    entries: BTreeMap<&'r str, (&'r Loaded<Plugin>, Option<jsonschema::Validator>)>,
}

impl<'r> Catalog<'r> {
    /// The first entry of each name in `repo` (MP011 reports the others), each with its config
    /// schema compiled when it is a valid one (MP028 reports the others).
    pub fn new(repo: &'r Repo) -> Self {
        let mut entries: BTreeMap<&str, (&Loaded<Plugin>, Option<jsonschema::Validator>)> =
            BTreeMap::new();
        for p in &repo.plugins {
            entries.entry(&p.item.metadata.name).or_insert((p, None));
        }
        let plugins: Vec<&Loaded<Plugin>> = entries.values().map(|(p, _)| *p).collect();
        let validators: Vec<_> = plugins
            .into_par_iter()
            .map(|p| {
                let schema = p
                    .item
                    .spec
                    .config_schema
                    .as_ref()
                    .filter(|s| s.is_object())?;
                jsonschema::validator_for(schema).ok()
            })
            .collect();
        for (entry, v) in entries.values_mut().zip(validators) {
            entry.1 = v;
        }
        Catalog { entries }
    }

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

    /// Every entry, in name order.
    pub fn entries(&self) -> impl Iterator<Item = &'r Loaded<Plugin>> + '_ {
        self.entries.values().map(|(p, _)| *p)
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

impl<'r> Context<'r> {
    /// Every version of every catalog entry, with its pointer (`/spec/versions/N`): where the
    /// url rules look.
    pub fn versions(&self) -> impl Iterator<Item = (&'r FileDoc, String, &'r PluginVersion)> + '_ {
        self.catalog.entries().flat_map(|p| {
            p.item
                .spec
                .versions
                .iter()
                .enumerate()
                .map(move |(i, v)| (&p.doc, format!("/spec/versions/{i}"), v))
        })
    }

    /// Every vmConfig env list with its pointer: each catalog entry's defaults, then each resolved
    /// binding entry's own.
    pub fn env_lists(&self) -> impl Iterator<Item = (&'r FileDoc, String, &'r [EnvVar])> + '_ {
        let defaults = self.catalog.entries().map(|p| {
            let at = "/spec/defaults/vmConfig/env".to_string();
            (&p.doc, at, p.item.spec.defaults.env())
        });
        let bindings = self.effective.iter().filter_map(|e| {
            let vm = e.entry().vm_config.as_ref()?;
            Some((
                &e.binding.doc,
                format!("{}/vmConfig/env", e.pointer()),
                vm.env.as_slice(),
            ))
        });
        defaults.chain(bindings)
    }

    /// Every pluginConfig written in the repository with its pointer: each catalog entry's
    /// defaults, then each resolved binding entry's own.
    pub fn configs(
        &self,
    ) -> impl Iterator<Item = (&'r FileDoc, String, &'r Map<String, Value>)> + '_ {
        let defaults = self.catalog.entries().filter_map(|p| {
            let cfg = p.item.spec.defaults.plugin_config.as_ref()?;
            Some((&p.doc, "/spec/defaults/pluginConfig".to_string(), cfg))
        });
        let bindings = self.effective.iter().filter_map(|e| {
            let cfg = e.entry().plugin_config.as_ref()?;
            Some((&e.binding.doc, format!("{}/pluginConfig", e.pointer()), cfg))
        });
        defaults.chain(bindings)
    }
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

/// Run every rule over `repo`: build the catalog, resolve every binding entry, then run every
/// rule's check over them in parallel.
pub fn check(repo: &Repo) -> Checked<'_> {
    let catalog = Catalog::new(repo);
    let clusters = repo.config.item.spec.cluster_names();
    let effective: Vec<Effective> = repo
        .bindings
        .par_iter()
        .flat_map_iter(|b| effective::resolve(b, &catalog, &clusters))
        .collect();
    let cx = Context {
        repo,
        catalog: &catalog,
        effective: &effective,
    };
    let mut diagnostics: Vec<Diagnostic> = rules::CHECKS
        .par_iter()
        .flat_map_iter(|c| {
            let mut found = Vec::new();
            (c.run)(&cx, &mut found);
            found
        })
        .collect();
    sort_and_dedup(&mut diagnostics);
    Checked {
        effective,
        catalog,
        diagnostics,
    }
}
