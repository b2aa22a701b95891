//! `meshplug import`: existing WasmPlugin manifests (hand-written files or a cluster dump) become
//! catalog entries and bindings whose rendering reproduces the same specs.
//!
//! - Each distinct module (url without tag or digest, and `pluginName`) becomes one catalog
//!   entry, each distinct (url, sha256) one of its versions; an existing entry is reused when one
//!   of its versions has the same url and pin and its defaults cannot add anything.
//! - Each manifest becomes one entry of a binding in its namespace; manifests with the same
//!   selector (or targetRefs) share a binding. Every field is set explicitly in the binding, so
//!   no catalog default can change the spec.
//! - WasmPlugin names follow meshplug's `<binding>-<plugin>`; the plan lists each rename.

use crate::diag::Places as _;
use crate::diag::{Diagnostic, Severity, rule};
use crate::load::{Document, Repo};
use crate::manifests::lint;
use crate::manifests::{Manifest, Spec};
use crate::model::url::{ModuleUrl, OciRef};
use crate::model::wasmplugin_name;
use crate::model::{
    API_VERSION, Binding, BindingSpec, Defaults, FailStrategy, LabelSelector, Localized,
    NamespacedMeta, ObjectMeta, Phase, Plugin, PluginSpec, PluginType, PluginUse, PluginVersion,
    PullPolicy, TargetRef,
};
use serde::Serialize;
use std::collections::BTreeSet;

/// Where imported files go and how bindings are scoped.
#[derive(Debug, Clone)]
pub struct Options {
    /// Catalog directory (repository-relative).
    pub catalog_dir: String,
    /// Bindings directory (repository-relative).
    pub bindings_dir: String,
    /// Limit the bindings to this cluster.
    pub cluster: Option<String>,
    /// Istio's root namespace (for the lint of the input).
    pub root_namespace: String,
    /// Whether the repository will have `schema/` (modelines then point there).
    pub local_schemas: bool,
}

/// One imported manifest and the WasmPlugin that meshplug renders for it.
#[derive(Debug, Clone, Serialize)]
pub struct Mapping {
    /// Where the manifest was (`file:line`).
    pub source: String,
    /// Its namespace.
    pub namespace: String,
    /// Its name.
    pub from: String,
    /// The rendered WasmPlugin's name.
    pub to: String,
    /// Catalog entry used.
    pub plugin: String,
    /// Version used.
    pub version: String,
    /// The binding file.
    pub binding: String,
}

/// The files an import writes and what it did.
#[derive(Debug, Clone, Serialize)]
pub struct Plan {
    /// New files: repository-relative path and text.
    pub files: Vec<(String, String)>,
    /// Every manifest imported.
    pub mappings: Vec<Mapping>,
    /// Things the user should know (dropped fields, reused entries).
    pub notes: Vec<String>,
}

/// A DNS label from `s`: lowercase, `-` for anything else (runs collapsed), at most `max`
/// characters, no `-` at either end; empty when `s` has no letter or digit.
pub fn label(s: &str, max: usize) -> String {
    let mut out: String = s
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    while out.contains("--") {
        out = out.replace("--", "-");
    }
    out.truncate(max);
    out.trim_matches('-').to_string()
}

/// The url as meshplug stores it (`oci://` made explicit) and its module identity (an OCI url's
/// resolved registry and repository, without tag or digest).
fn module_of(url: &str) -> (String, String) {
    let full = if ModuleUrl::parse(url).scheme.is_none() {
        format!("oci://{url}")
    } else {
        url.to_string()
    };
    let parsed = ModuleUrl::parse(&full);
    // The same module under any spelling: resolved registry and repository.
    let identity = match (parsed.scheme, OciRef::parse(parsed.rest)) {
        (Some("oci"), Ok(r)) => format!("oci://{}/{}", r.registry(), r.repository()),
        _ => full.clone(),
    };
    (full, identity)
}

/// The file-name stem of the last path segment of a url (no query, no `.wasm`/`.gz`/`.tar`).
fn stem(url: &str) -> &str {
    let rest = ModuleUrl::parse(url).rest;
    let rest = rest.split(['?', '@']).next().unwrap_or(rest);
    let last = rest
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or(rest);
    last.trim_end_matches(".gz")
        .trim_end_matches(".tar")
        .trim_end_matches(".wasm")
}

/// `name-1.2.3` → (`name`, `1.2.3`); `1.2.3` → (``, `1.2.3`); anything else → (`s`, None).
fn split_version(s: &str) -> (&str, Option<&str>) {
    let looks = |v: &str| {
        let digits = v.strip_prefix('v').unwrap_or(v);
        digits.starts_with(|c: char| c.is_ascii_digit())
            && digits
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
    };
    if looks(s) {
        return ("", Some(s));
    }
    match s
        .char_indices()
        .filter(|(_, c)| *c == '-' || *c == '_')
        .find(|(i, _)| looks(&s[i + 1..]))
    {
        Some((i, _)) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    }
}

/// A catalog name guessed from a module identity: its file stem without a version.
fn name_from_module(identity: &str) -> String {
    label(split_version(stem(identity)).0, 40)
}

/// A version string for a url: its tag, a version in its file name, a digest prefix, or
/// `imported`.
fn version_of(url: &str) -> String {
    let parsed = ModuleUrl::parse(url);
    let oci = (parsed.scheme == Some("oci"))
        .then(|| OciRef::parse(parsed.rest).ok())
        .flatten();
    let candidate = match &oci {
        Some(r) => r.tag().map(str::to_owned),
        None => split_version(stem(url)).1.map(str::to_owned),
    };
    match candidate {
        Some(v)
            if v != "latest"
                && v.len() <= 63
                && v.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
                && v.as_bytes()[0].is_ascii_alphanumeric()
                && v.as_bytes()[v.len() - 1].is_ascii_alphanumeric() =>
        {
            v
        }
        _ => match oci.as_ref().and_then(OciRef::digest_hex) {
            Some(d) => format!("sha256-{}", &d[..12]),
            None => "imported".into(),
        },
    }
}

/// Whether `entry` can serve `spec` unchanged: same pluginName, and no default that would add
/// something to the rendered spec (a default is harmless when the manifest sets the field itself
/// or when it is the field's zero value).
fn entry_fits(entry: &Plugin, spec: &Spec) -> bool {
    fn harmless<T: PartialEq>(default: Option<T>, set: bool, zero: Option<T>) -> bool {
        default.is_none() || set || (zero.is_some() && default == zero)
    }
    let d: &Defaults = &entry.spec.defaults;
    let env_names: BTreeSet<&str> = spec
        .vm_config
        .iter()
        .flat_map(|v| v.env.iter().map(|e| e.name.as_str()))
        .collect();
    let config_covered = match (&d.plugin_config, &spec.plugin_config) {
        (None, _) => true,
        (Some(base), Some(cfg)) => covers(cfg, base),
        (Some(base), None) => base.is_empty(),
    };
    entry.spec.plugin_name == spec.plugin_name
        && harmless(d.phase, spec.phase.is_some(), Some(Phase::Unspecified))
        && harmless(d.priority, spec.priority.is_some(), None)
        && harmless(
            d.fail_strategy,
            spec.fail_strategy.is_some(),
            Some(FailStrategy::FailClose),
        )
        && harmless(
            d.image_pull_policy,
            spec.image_pull_policy.is_some(),
            Some(PullPolicy::Unspecified),
        )
        && harmless(
            entry.spec.plugin_type,
            spec.plugin_type.is_some(),
            Some(PluginType::Http),
        )
        && config_covered
        && d.env().iter().all(|e| env_names.contains(e.name.as_str()))
}

/// Whether every key of `base` (recursively, through mappings) is set in `cfg`, so that merging
/// `base` under `cfg` changes nothing.
fn covers(
    cfg: &serde_json::Map<String, serde_json::Value>,
    base: &serde_json::Map<String, serde_json::Value>,
) -> bool {
    base.iter().all(|(k, v)| match (cfg.get(k), v) {
        (Some(serde_json::Value::Object(c)), serde_json::Value::Object(b)) => covers(c, b),
        (Some(_), _) => true,
        (None, _) => false,
    })
}

/// A catalog entry being built.
struct NewEntry {
    name: String,
    identity: String,
    plugin_name: Option<String>,
    versions: Vec<PluginVersion>,
    sources: Vec<String>,
}

/// A binding being built.
struct NewBinding {
    namespace: String,
    name: String,
    selector: Option<LabelSelector>,
    target_refs: Option<Vec<TargetRef>>,
    plugins: Vec<PluginUse>,
}

/// Plan the import of the WasmPlugins in `docs` into `repo`. Fails with the problems of
/// manifests that are invalid or that meshplug cannot express.
pub fn plan(docs: &[&Document], repo: &Repo, opts: &Options) -> Result<Plan, Vec<Diagnostic>> {
    let mut problems = Vec::new();
    let mut manifests = Vec::new();
    for doc in docs {
        let diags: Vec<Diagnostic> = lint::lint(doc, &opts.root_namespace)
            .into_iter()
            .filter(|d| d.severity == Severity::Error)
            .collect();
        if !diags.is_empty() {
            problems.extend(diags);
            continue;
        }
        // As the API server stores it: nulls of fields that are not `nullable` dropped.
        let (value, _) = crate::manifests::prune_nulls(&doc.value);
        let Ok(m) = serde_json::from_value::<Manifest>(value) else {
            continue;
        };
        if let Some(p) = m.spec.priority.filter(|p| !(1..=1000).contains(p)) {
            problems.push(
                doc.diag(&rule::PRIORITY_RANGE, "/spec/priority", format!("priority {p} is outside meshplug's range 1..1000"))
                    .label("cannot be imported")
                    .help("change it to a value from 1 to 1000 that keeps the order you need (higher runs first), then import again"),
            );
            continue;
        }
        manifests.push((doc, m));
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut notes = Vec::new();
    let mut taken: BTreeSet<String> = repo
        .plugins
        .iter()
        .map(|p| p.item.metadata.name.clone())
        .collect();
    let mut entries: Vec<NewEntry> = Vec::new();
    let mut bindings: Vec<NewBinding> = Vec::new();
    let existing_bindings: BTreeSet<(String, String)> = repo
        .bindings
        .iter()
        .map(|b| {
            (
                b.item.metadata.namespace.clone(),
                b.item.metadata.name.clone(),
            )
        })
        .collect();
    let mut mappings = Vec::new();
    for (doc, m) in &manifests {
        let spec = &m.spec;
        let source = doc.place("");
        let (url, identity) = module_of(&spec.url);
        let sha = spec.sha256.clone().filter(|s| !s.is_empty());
        if spec.verification_key.is_some() {
            notes.push(format!(
                "{source}: verificationKey dropped (Istio does not implement it)"
            ));
        }
        // The catalog entry and version.
        let reused = repo.plugins.iter().find_map(|p| {
            let v = p
                .item
                .spec
                .versions
                .iter()
                .find(|v| v.url == url && v.sha256 == sha)?;
            entry_fits(&p.item, spec).then(|| (p.item.metadata.name.clone(), v.version.clone()))
        });
        let (plugin, version) = match reused {
            Some(found) => found,
            None => {
                let idx = match entries
                    .iter()
                    .position(|e| e.identity == identity && e.plugin_name == spec.plugin_name)
                {
                    Some(i) => i,
                    None => {
                        let wanted = m
                            .metadata
                            .label("meshplug.io/plugin")
                            .map(|l| label(l, 40))
                            .filter(|l| !l.is_empty())
                            .unwrap_or_else(|| name_from_module(&identity));
                        let wanted = if wanted.is_empty() {
                            label(&m.metadata.name, 40)
                        } else {
                            wanted
                        };
                        let name = unique(&wanted, &taken);
                        taken.insert(name.clone());
                        entries.push(NewEntry {
                            name,
                            identity: identity.clone(),
                            plugin_name: spec.plugin_name.clone(),
                            versions: Vec::new(),
                            sources: Vec::new(),
                        });
                        entries.len() - 1
                    }
                };
                let e = &mut entries[idx];
                e.sources
                    .push(format!("{}/{}", m.metadata.namespace(), m.metadata.name));
                let version = match e.versions.iter().find(|v| v.url == url && v.sha256 == sha) {
                    Some(v) => v.version.clone(),
                    None => {
                        let used: BTreeSet<String> =
                            e.versions.iter().map(|v| v.version.clone()).collect();
                        let v = unique(&version_of(&url), &used);
                        e.versions.push(PluginVersion {
                            version: v.clone(),
                            url: url.clone(),
                            sha256: sha.clone(),
                            abi: None,
                        });
                        v
                    }
                };
                (e.name.clone(), version)
            }
        };
        // The binding.
        let namespace = m.metadata.namespace().to_string();
        let selector = spec
            .selector
            .as_ref()
            .filter(|s| !s.match_labels.is_empty())
            .map(|s| LabelSelector {
                match_labels: s.match_labels.clone(),
            });
        let target_refs = match (&spec.target_refs, &spec.target_ref) {
            (Some(r), _) if !r.is_empty() => Some(r.clone()),
            (_, Some(r)) => {
                notes.push(format!(
                    "{source}: the deprecated targetRef became targetRefs"
                ));
                Some(vec![r.clone()])
            }
            (Some(r), None) => Some(r.clone()),
            (None, None) => None,
        };
        let base = binding_name(m, &plugin, selector.as_ref(), target_refs.as_deref());
        let mut name = base.clone();
        let mut n = 1;
        let slot = loop {
            let fits = |b: &NewBinding| {
                b.namespace == namespace
                    && b.name == name
                    && b.selector == selector
                    && b.target_refs == target_refs
                    && !b.plugins.iter().any(|u| u.plugin == plugin)
            };
            if let Some(i) = bindings.iter().position(fits) {
                break Some(i);
            }
            let clash = existing_bindings.contains(&(namespace.clone(), name.clone()))
                || bindings
                    .iter()
                    .any(|b| b.namespace == namespace && b.name == name);
            if !clash {
                break None;
            }
            n += 1;
            name = label(&format!("{base}-{n}"), 63);
        };
        let entry = PluginUse {
            plugin: plugin.clone(),
            version: Some(version.clone()),
            phase: spec.phase,
            priority: spec.priority,
            fail_strategy: spec.fail_strategy,
            image_pull_policy: spec.image_pull_policy,
            image_pull_secret: spec.image_pull_secret.clone(),
            plugin_config: spec.plugin_config.clone(),
            vm_config: spec.vm_config.clone(),
            r#match: spec.r#match.clone(),
            plugin_type: spec.plugin_type,
        };
        let i = match slot {
            Some(i) => i,
            None => {
                bindings.push(NewBinding {
                    namespace: namespace.clone(),
                    name: name.clone(),
                    selector: selector.clone(),
                    target_refs: target_refs.clone(),
                    plugins: Vec::new(),
                });
                bindings.len() - 1
            }
        };
        bindings[i].plugins.push(entry);
        let b = &bindings[i];
        mappings.push(Mapping {
            source,
            namespace: namespace.clone(),
            from: m.metadata.name.clone(),
            to: wasmplugin_name(&b.name, &plugin),
            plugin,
            version,
            binding: binding_path(opts, b),
        });
    }
    let local = opts.local_schemas || repo.root.join("schema").is_dir();
    let mut files = Vec::new();
    for e in entries {
        let rel = format!("{}/{}.yaml", opts.catalog_dir, e.name);
        let plugin = Plugin {
            api_version: API_VERSION.into(),
            kind: "Plugin".into(),
            metadata: ObjectMeta {
                name: e.name.clone(),
                labels: None,
                annotations: None,
            },
            spec: PluginSpec {
                title: Localized {
                    en: format!("{} (imported)", e.name),
                    zh: None,
                },
                description: Localized {
                    en: format!(
                        "Imported by `meshplug import` from {}; module {}.",
                        e.sources.join(", "),
                        e.identity
                    ),
                    zh: None,
                },
                category: None,
                plugin_type: None,
                plugin_name: e.plugin_name.clone(),
                versions: e.versions,
                defaults: Defaults::default(),
                config_schema: None,
                homepage: None,
                license: None,
                maintainers: Vec::new(),
                examples: Vec::new(),
            },
        };
        let text = crate::edit::plugin_file(
            &plugin,
            &crate::edit::schema_modeline_local(local, &rel, "plugin.schema.json"),
        );
        files.push((rel, text));
    }
    for b in &bindings {
        let rel = binding_path(opts, b);
        let binding = Binding {
            api_version: API_VERSION.into(),
            kind: "Binding".into(),
            metadata: NamespacedMeta {
                name: b.name.clone(),
                namespace: b.namespace.clone(),
                labels: None,
                annotations: None,
            },
            spec: BindingSpec {
                clusters: opts.cluster.clone().map(|c| vec![c]),
                selector: b.selector.clone(),
                target_refs: b.target_refs.clone(),
                plugins: b.plugins.clone(),
                tests: Vec::new(),
            },
        };
        let text = format!(
            "{}# Imported by `meshplug import`.\n{}",
            crate::edit::schema_modeline_local(local, &rel, "binding.schema.json"),
            crate::edit::to_yaml(&binding)
        );
        files.push((rel, text));
    }
    files.sort();
    Ok(Plan {
        files,
        mappings,
        notes,
    })
}

fn binding_path(opts: &Options, b: &NewBinding) -> String {
    format!("{}/{}/{}.yaml", opts.bindings_dir, b.namespace, b.name)
}

/// `wanted`, or `wanted-2`, `wanted-3`, ... whichever is not in `taken`.
fn unique(wanted: &str, taken: &BTreeSet<String>) -> String {
    let mut name = wanted.to_string();
    let mut n = 1;
    while taken.contains(&name) {
        n += 1;
        name = format!("{}-{n}", wanted.trim_end_matches('-'));
    }
    name
}

/// The binding name for a manifest: the prefix of a `<binding>-<plugin>` name, else the workload
/// its selector or targetRefs name, else `all-workloads`.
fn binding_name(
    m: &Manifest,
    plugin: &str,
    selector: Option<&LabelSelector>,
    refs: Option<&[TargetRef]>,
) -> String {
    let name = &m.metadata.name;
    if let Some(prefix) = name.strip_suffix(&format!("-{plugin}")) {
        let l = label(prefix, 63);
        if !l.is_empty() && wasmplugin_name(&l, plugin) == *name {
            return l;
        }
    }
    let from_labels = selector.and_then(|s| {
        let [gateway_api, istio_gateway] = crate::model::attach::GATEWAY_LABELS;
        [
            "app",
            "app.kubernetes.io/name",
            gateway_api,
            istio_gateway,
            "istio",
        ]
        .iter()
        .find_map(|k| s.match_labels.get(*k))
        .or_else(|| s.match_labels.values().next())
    });
    let from_refs = refs.and_then(|r| r.first()).map(|r| &r.name);
    let guess = match (from_labels, from_refs) {
        (Some(l), _) => label(l, 63),
        (None, Some(r)) => label(r, 63),
        (None, None) if selector.is_none() => "all-workloads".into(),
        (None, None) => String::new(),
    };
    if guess.is_empty() {
        label(name, 63)
    } else {
        guess
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_versions_from_urls() {
        assert_eq!(module_of("ghcr.io/a/b:1.0").0, "oci://ghcr.io/a/b:1.0");
        assert_eq!(
            module_of("oci://localhost:5000/a/b:1.0").1,
            "oci://localhost:5000/a/b"
        );
        // One module, however the Docker Hub reference is spelt.
        for hub in [
            "nginx:1",
            "docker.io/nginx:2",
            "oci://index.docker.io/library/nginx@sha256:{}",
        ] {
            let hub = hub.replace("{}", &"ab".repeat(32));
            assert_eq!(
                module_of(&hub).1,
                "oci://index.docker.io/library/nginx",
                "{hub}"
            );
        }
        assert_eq!(
            name_from_module(&module_of("acme/hello-world:1.0").1),
            "hello-world"
        );
        assert_eq!(
            name_from_module("oci://ghcr.io/istio-ecosystem/basic_auth"),
            "basic-auth"
        );
        assert_eq!(
            name_from_module("file:///opt/filters/openid.wasm"),
            "openid"
        );
        assert_eq!(version_of("oci://ghcr.io/a/b:1.12.0"), "1.12.0");
        assert_eq!(version_of("oci://ghcr.io/a/b:latest"), "imported");
        assert_eq!(version_of("https://x/example/1.9.0.wasm"), "1.9.0");
        assert_eq!(
            version_of(&format!("oci://ghcr.io/a/b@sha256:{}", "ab".repeat(32))),
            "sha256-abababababab"
        );
        assert_eq!(version_of("http://test"), "imported");
        assert_eq!(
            name_from_module("https://example.com/stats-2.0.wasm"),
            "stats"
        );
        assert_eq!(version_of("https://example.com/stats-2.0.wasm"), "2.0");
        assert_eq!(name_from_module("https://x/example/1.9.0.wasm"), "");
    }
}
