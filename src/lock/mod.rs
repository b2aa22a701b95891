//! `meshplug.lock`: which urls a repository needs, resolving them concurrently, and the new lock.

pub mod cache;
mod fetch;
mod file;
mod pins;

pub use fetch::{Fetched, fetch, format_name, lock_entry, module, pin};
pub use file::{LOCK_FILE, parse, read, write};
pub use pins::{NoPins, Pin, PinSource, pin_of};

use crate::artifact::registry::{Client, NetError};
use crate::check::Checked;
use crate::load::Repo;
use crate::model::url::ModuleUrl;
use crate::model::{Lock, LockedModule, PluginType};
use futures_util::StreamExt;
use std::collections::{BTreeMap, BTreeSet};

/// One url the repository uses.
#[derive(Debug, Clone, Default)]
pub struct Want {
    /// The catalog `type` of a plugin using it.
    pub plugin_type: Option<PluginType>,
    /// Catalog entries (name) using it.
    pub plugins: BTreeSet<String>,
    /// A `sha256` the catalog already gives.
    pub catalog_sha256: Option<String>,
}

/// Every module url in use: by a binding, or (`all`) by any catalog version. Sorted, deduped.
pub fn wanted(repo: &Repo, checked: &Checked<'_>, all: bool) -> BTreeMap<String, Want> {
    let mut out: BTreeMap<String, Want> = BTreeMap::new();
    let mut add = |plugin: &crate::model::Plugin, v: &crate::model::PluginVersion| {
        let w = out.entry(v.url.clone()).or_default();
        w.plugin_type = w.plugin_type.or(plugin.spec.plugin_type);
        w.plugins.insert(plugin.metadata.name.clone());
        w.catalog_sha256 = w.catalog_sha256.clone().or(v.sha256.clone());
    };
    if all {
        for p in &repo.plugins {
            for v in &p.item.spec.versions {
                add(&p.item, v);
            }
        }
    } else {
        for e in &checked.effective {
            add(&e.plugin.item, e.version);
        }
    }
    out
}

/// What to do with the network.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mode {
    /// Resolve urls missing from the lock (and those `update` names).
    Lock {
        /// `None`: nothing forced; `Some([])`: every url; `Some(names)`: urls of these plugins.
        update: Option<Vec<String>>,
    },
    /// Re-resolve every url and compare with the lock; never writes.
    Verify,
    /// No network: fail when a url is not in the lock.
    Offline,
}

/// One url's outcome.
#[derive(Debug, Clone)]
pub enum Outcome {
    /// Already in the lock, not fetched.
    UpToDate(LockedModule),
    /// Resolved now.
    Resolved {
        /// The new entry.
        entry: LockedModule,
        /// Warnings about it (index, missing callbacks, catalog type).
        warnings: Vec<String>,
    },
    /// `file://`: Istio never checks it, so nothing is pinned.
    FileUrl,
    /// Failed.
    Failed(NetError),
}

/// The result of a run.
#[derive(Debug)]
pub struct Report {
    /// Every url with its outcome, sorted by url.
    pub outcomes: Vec<(String, Outcome)>,
    /// The lock to write (when nothing failed and the mode writes).
    pub lock: Option<Lock>,
    /// HTTP requests sent.
    pub requests: usize,
}

impl Report {
    /// Whether any url failed.
    pub fn failed(&self) -> bool {
        self.outcomes
            .iter()
            .any(|(_, o)| matches!(o, Outcome::Failed(_)))
    }
}

/// Decide, fetch and build the new lock. `client` is only created when something must be fetched.
pub async fn run(
    wants: &BTreeMap<String, Want>,
    existing: Option<&Lock>,
    mode: &Mode,
    jobs: usize,
    make_client: impl FnOnce() -> Result<Client, NetError>,
    progress: impl Fn(usize, usize),
) -> Report {
    let mut outcomes: BTreeMap<String, Outcome> = BTreeMap::new();
    let mut todo = Vec::new();
    for (url, want) in wants {
        if ModuleUrl::parse(url).scheme == Some("file") {
            outcomes.insert(url.clone(), Outcome::FileUrl);
            continue;
        }
        let known = existing.and_then(|l| l.get(url)).cloned();
        let forced = match mode {
            Mode::Lock {
                update: Some(names),
            } => names.is_empty() || want.plugins.iter().any(|p| names.contains(p)),
            _ => false,
        };
        match (mode, known) {
            (Mode::Verify, _) => todo.push(url.clone()),
            (_, Some(k)) if !forced => {
                outcomes.insert(url.clone(), Outcome::UpToDate(k));
            }
            (Mode::Offline, _) => {
                outcomes.insert(
                    url.clone(),
                    Outcome::Failed(NetError::new(
                        url,
                        "not pinned in meshplug.lock, and --offline forbids resolving it",
                        "run `meshplug lock` with network access and commit meshplug.lock",
                    )),
                );
            }
            _ => todo.push(url.clone()),
        }
    }
    let mut requests = 0;
    if !todo.is_empty() {
        match make_client() {
            Err(e) => {
                for url in todo {
                    outcomes.insert(url, Outcome::Failed(e.clone()));
                }
            }
            Ok(client) => {
                let verify = *mode == Mode::Verify;
                let total = todo.len();
                let client = &client;
                let mut done = 0;
                let mut finish = |url: String, outcome: Outcome| {
                    done += 1;
                    progress(done, total);
                    outcomes.insert(url, outcome);
                };
                // Every url's manifest (or http download), `jobs` at a time.
                let mut layers: BTreeMap<String, Vec<Fetched>> = BTreeMap::new();
                let mut pins = futures_util::stream::iter(todo.into_iter().map(|url| async move {
                    let pinned = pin(client, &url).await;
                    (url, pinned)
                }))
                .buffer_unordered(jobs.max(1));
                while let Some((url, pinned)) = pins.next().await {
                    let want = &wants[&url];
                    match pinned {
                        Err(e) => finish(url, Outcome::Failed(e)),
                        Ok(f) if verify || catalog_mismatch(&f, want).is_some() => {
                            finish(url, judge(&f, want, verify, existing))
                        }
                        // `--update` of a tag that still names the pinned manifest: the locked
                        // entry stands, its layer is not downloaded again.
                        Ok(f) => match (unmoved(&f, existing), f.layer_key()) {
                            (Some(kept), _) => finish(url, Outcome::UpToDate(kept.clone())),
                            (None, Some(key)) => layers.entry(key).or_default().push(f),
                            (None, None) => finish(url, judge(&f, want, verify, existing)),
                        },
                    }
                }
                // Each distinct layer once: downloaded, verified and unpacked, then checked for
                // every url that uses it.
                let mut modules =
                    futures_util::stream::iter(layers.into_values().map(|group| async move {
                        let module = module(client, &group[0]).await;
                        (group, module)
                    }))
                    .buffer_unordered(jobs.max(1));
                while let Some((group, module)) = modules.next().await {
                    for mut f in group {
                        let url = f.url.clone();
                        let outcome = match &module {
                            Err(e) => Outcome::Failed(e.clone().about(&url)),
                            Ok(bytes) => {
                                f.module = Some(bytes.clone());
                                judge(&f, &wants[&url], false, existing)
                            }
                        };
                        finish(url, outcome);
                    }
                }
                requests = client.requests_sent();
            }
        }
    }
    let outcomes: Vec<(String, Outcome)> = outcomes.into_iter().collect();
    let any_failed = outcomes
        .iter()
        .any(|(_, o)| matches!(o, Outcome::Failed(_)));
    let lock = (!any_failed && *mode != Mode::Verify).then(|| {
        let mut lock = Lock::new();
        for (_, o) in &outcomes {
            match o {
                Outcome::UpToDate(e) | Outcome::Resolved { entry: e, .. } => {
                    lock.modules.push(e.clone())
                }
                _ => {}
            }
        }
        lock
    });
    Report {
        outcomes,
        lock,
        requests,
    }
}

/// The locked entry of an OCI url whose tag still resolves to the pinned manifest.
fn unmoved<'l>(fetched: &Fetched, existing: Option<&'l Lock>) -> Option<&'l LockedModule> {
    fetched.plan.as_ref()?;
    existing?
        .get(&fetched.url)
        .filter(|l| l.sha256 == fetched.pin && l.index_digest == fetched.index_digest)
}

/// A catalog `sha256` that differs from what the registry serves.
fn catalog_mismatch(fetched: &Fetched, want: &Want) -> Option<Outcome> {
    let cat = want.catalog_sha256.as_ref()?;
    (*cat != fetched.pin).then(|| {
        Outcome::Failed(NetError::new(
            &fetched.url,
            format!(
                "the catalog pins sha256 {cat}, but the registry now serves {}",
                fetched.pin
            ),
            "the tag moved or the catalog is wrong: fix `sha256` in the catalog entry (Istio would reject the module)",
        ))
    })
}

/// The outcome for a fetched url (with its module, unless `verify`).
fn judge(fetched: &Fetched, want: &Want, verify: bool, existing: Option<&Lock>) -> Outcome {
    let url = fetched.url.as_str();
    if let Some(failed) = catalog_mismatch(fetched, want) {
        return failed;
    }
    if verify {
        let locked = existing.and_then(|l| l.get(url));
        return match locked {
            None => Outcome::Failed(NetError::new(
                url,
                "not pinned in meshplug.lock",
                "run `meshplug lock` and commit meshplug.lock",
            )),
            Some(l) if l.sha256 != fetched.pin => Outcome::Failed(NetError::new(
                url,
                format!(
                    "the tag moved: meshplug.lock pins {}, the registry now serves {}",
                    l.sha256, fetched.pin
                ),
                format!(
                    "if the new image is intended, run `meshplug lock --update={}` and review the change; otherwise restore the tag",
                    want.plugins.iter().cloned().collect::<Vec<_>>().join(" ")
                ),
            )),
            Some(l) => Outcome::UpToDate(l.clone()),
        };
    }
    match lock_entry(fetched, want.plugin_type) {
        Err(e) => Outcome::Failed(e),
        Ok((entry, report)) => {
            if let Some(module) = &fetched.module {
                cache::store(module);
            }
            let mut warnings = report.warnings;
            if let Some(index) = &entry.index_digest {
                warnings.insert(0, format!("the tag names an image index ({index}); pinned its linux/amd64 child, which is what Istio pulls"));
            }
            Outcome::Resolved { entry, warnings }
        }
    }
}
