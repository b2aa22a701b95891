//! Browsing the catalog: the plugin list and one plugin's page (versions with pins, the config
//! schema as a table of fields, defaults, an example binding), with usage counts from the bindings.

use crate::check::Checked;
use crate::diag::Diagnostic;
use crate::load::{self, Loaded, Repo};
use crate::lock::PinSource;
use crate::model::{Defaults, Kind, Marketplace, Plugin};
use serde::Serialize;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// A repository made of the builtin catalog only (for browsing outside a repository).
pub fn builtin_repo() -> Repo {
    let mut diags: Vec<Diagnostic> = Vec::new();
    let config = load::load_document::<Marketplace>(
        "builtin:meshplug.yaml",
        b"apiVersion: meshplug.io/v1alpha1\nkind: Marketplace\nmetadata:\n  name: builtin\nspec:\n  catalog: [builtin]\n  bindings: []\n".to_vec(),
        Kind::Marketplace,
        &mut diags,
    )
    .expect("the builtin marketplace document is valid");
    let plugins = load::builtin::FILES
        .iter()
        .filter_map(|(name, text)| {
            load::load_document::<Plugin>(
                &format!("builtin:catalog/{name}"),
                text.as_bytes().to_vec(),
                Kind::Plugin,
                &mut diags,
            )
        })
        .collect();
    Repo {
        root: std::path::PathBuf::from("."),
        config,
        plugins,
        bindings: Vec::new(),
    }
}

/// One line of the plugin list.
#[derive(Debug, Clone, Serialize)]
pub struct ListEntry {
    /// Catalog name.
    pub name: String,
    /// Title in the chosen language.
    pub title: String,
    /// Category, when set.
    pub category: Option<String>,
    /// The newest version.
    pub latest: String,
    /// Whether the newest version is pinned by sha256.
    pub pinned: bool,
    /// Number of services (bindings) using any version.
    pub services: usize,
    /// The catalog file.
    pub file: String,
}

/// Services using each plugin: plugin → version → `namespace/binding` set.
type Usage = BTreeMap<String, BTreeMap<String, BTreeSet<String>>>;

fn usage(checked: &Checked<'_>) -> Usage {
    let mut out: Usage = BTreeMap::new();
    for e in &checked.effective {
        out.entry(e.plugin_name().to_string())
            .or_default()
            .entry(e.version.version.clone())
            .or_default()
            .insert(format!(
                "{}/{}",
                e.namespace(),
                e.binding.item.metadata.name
            ));
    }
    out
}

/// The plugin list, sorted by name; `category` filters, `lang` picks the title language.
pub fn list(
    checked: &Checked<'_>,
    pins: &dyn PinSource,
    lang: &str,
    category: Option<&str>,
) -> Vec<ListEntry> {
    let used = usage(checked);
    checked
        .catalog
        .names()
        .filter_map(|n| checked.catalog.get(n))
        .filter(|p| category.is_none_or(|c| p.item.spec.category.as_deref() == Some(c)))
        .map(|p| {
            let spec = &p.item.spec;
            let name = p.item.metadata.name.clone();
            let services = used
                .get(&name)
                .map(|by_version| by_version.values().flatten().collect::<BTreeSet<_>>().len())
                .unwrap_or(0);
            ListEntry {
                title: spec.title.get(lang).to_string(),
                category: spec.category.clone(),
                latest: spec.versions[0].version.clone(),
                pinned: crate::lock::pin_of(&spec.versions[0], pins)
                    .digest
                    .is_some(),
                services,
                file: p.doc.source.path.clone(),
                name,
            }
        })
        .collect()
}

/// One version on a plugin's page.
#[derive(Debug, Clone, Serialize)]
pub struct VersionEntry {
    /// Version string.
    pub version: String,
    /// Module url.
    pub url: String,
    /// The pinned sha256, if any.
    pub sha256: Option<String>,
    /// Services using this version.
    pub services: Vec<String>,
}

/// One field of a plugin's config schema.
#[derive(Debug, Clone, Serialize)]
pub struct ConfigField {
    /// Dotted path; `[]` marks list items (`consumers[].name`).
    pub field: String,
    /// JSON type(s), or the allowed values.
    #[serde(rename = "type")]
    pub ty: String,
    /// Whether the field is required (where its parent is present).
    pub required: bool,
    /// Default value as JSON, when the schema names one.
    pub default: Option<String>,
    /// Description from the schema.
    pub description: String,
}

/// A plugin's page.
#[derive(Debug, Clone, Serialize)]
pub struct Page {
    /// Catalog name.
    pub name: String,
    /// Title in the chosen language.
    pub title: String,
    /// Description in the chosen language.
    pub description: String,
    /// Category.
    pub category: Option<String>,
    /// HTTP or NETWORK (unset: HTTP).
    #[serde(rename = "type")]
    pub plugin_type: String,
    /// Homepage.
    pub homepage: Option<String>,
    /// License.
    pub license: Option<String>,
    /// The catalog file.
    pub file: String,
    /// Versions, newest first.
    pub versions: Vec<VersionEntry>,
    /// Defaults applied to every binding.
    pub defaults: Defaults,
    /// The config schema's fields.
    pub config: Vec<ConfigField>,
    /// An example binding, as YAML.
    pub example: String,
}

/// The page of the plugin `name`, or `None` when the catalog has no such entry.
pub fn page(checked: &Checked<'_>, pins: &dyn PinSource, name: &str, lang: &str) -> Option<Page> {
    let p = checked.catalog.get(name)?;
    let spec = &p.item.spec;
    let used = usage(checked);
    let versions = spec
        .versions
        .iter()
        .map(|v| VersionEntry {
            version: v.version.clone(),
            url: v.url.clone(),
            sha256: crate::lock::pin_of(v, pins).digest,
            services: used
                .get(name)
                .and_then(|u| u.get(&v.version))
                .map(|s| s.iter().cloned().collect())
                .unwrap_or_default(),
        })
        .collect();
    let mut config = Vec::new();
    if let Some(schema) = &spec.config_schema {
        fields(schema, schema, "", &mut config, 0);
    }
    Some(Page {
        name: name.to_string(),
        title: spec.title.get(lang).to_string(),
        description: spec.description.get(lang).trim().to_string(),
        category: spec.category.clone(),
        plugin_type: spec
            .plugin_type
            .map_or("HTTP".into(), |t| format!("{t:?}").to_uppercase()),
        homepage: spec.homepage.clone(),
        license: spec.license.clone(),
        file: p.doc.source.path.clone(),
        versions,
        defaults: spec.defaults.clone(),
        config,
        example: example_binding(p, checked.catalog.config_validator(name)),
    })
}

/// Follow a local `$ref` (`#/$defs/x`) within `root`.
fn deref<'a>(root: &'a Value, mut node: &'a Value) -> &'a Value {
    for _ in 0..8 {
        match node.get("$ref").and_then(Value::as_str) {
            Some(r) if r.starts_with('#') => match root.pointer(&r[1..]) {
                Some(n) => node = n,
                None => break,
            },
            _ => break,
        }
    }
    node
}

fn type_of(node: &Value) -> String {
    if let Some(values) = node.get("enum").and_then(Value::as_array) {
        let v: Vec<String> = values
            .iter()
            .map(|x| x.as_str().map_or(x.to_string(), str::to_owned))
            .collect();
        return format!("one of {}", v.join("|"));
    }
    if let Some(c) = node.get("const") {
        return format!("= {c}");
    }
    let base = match node.get("type") {
        Some(Value::String(t)) => t.clone(),
        Some(Value::Array(ts)) => ts
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join("|"),
        _ if node.get("anyOf").is_some() || node.get("oneOf").is_some() => "any of".into(),
        _ => "any".into(),
    };
    match (base.as_str(), node.get("items")) {
        ("array", Some(items)) => match items.get("type").and_then(Value::as_str) {
            Some(t) => format!("array of {t}"),
            None => "array".into(),
        },
        _ => base,
    }
}

/// Collect the fields of an object schema, depth first, in the schema's property order.
fn fields(root: &Value, node: &Value, prefix: &str, out: &mut Vec<ConfigField>, depth: usize) {
    let node = deref(root, node);
    let Some(props) = node.get("properties").and_then(Value::as_object) else {
        return;
    };
    let required: BTreeSet<&str> = node
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    for (name, child) in props {
        let child = deref(root, child);
        let field = format!("{prefix}{name}");
        let description = child
            .get("description")
            .and_then(Value::as_str)
            .unwrap_or("")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        out.push(ConfigField {
            field: field.clone(),
            ty: type_of(child),
            required: required.contains(name.as_str()),
            default: child.get("default").map(Value::to_string),
            description,
        });
        if depth >= 4 {
            continue;
        }
        fields(root, child, &format!("{field}."), out, depth + 1);
        if let Some(items) = child.get("items") {
            fields(root, items, &format!("{field}[]."), out, depth + 1);
        }
    }
}

/// A value that satisfies `node` as far as a placeholder can: its default, first example, first
/// enum value, or a typed placeholder with the required fields filled in.
fn placeholder(root: &Value, node: &Value, name: &str, depth: usize) -> Value {
    let node = deref(root, node);
    if let Some(v) = node.get("default") {
        return v.clone();
    }
    if let Some(v) = node
        .get("examples")
        .and_then(Value::as_array)
        .and_then(|e| e.first())
    {
        return v.clone();
    }
    if let Some(v) = node
        .get("enum")
        .and_then(Value::as_array)
        .and_then(|e| e.first())
    {
        return v.clone();
    }
    if let Some(v) = node.get("const") {
        return v.clone();
    }
    let ty = match node.get("type") {
        Some(Value::String(t)) => t.as_str(),
        Some(Value::Array(ts)) => ts.iter().find_map(Value::as_str).unwrap_or("string"),
        _ if node.get("properties").is_some() => "object",
        _ => "string",
    };
    match ty {
        "object" if depth < 6 => {
            let mut map = serde_json::Map::new();
            // The required fields, plus those of the first alternative of a oneOf/anyOf.
            let first_alternative = ["oneOf", "anyOf"]
                .iter()
                .find_map(|k| node.get(*k).and_then(Value::as_array))
                .and_then(|alts| alts.first())
                .and_then(|alt| alt.get("required"))
                .and_then(Value::as_array);
            let required = node.get("required").and_then(Value::as_array);
            for key in required
                .into_iter()
                .flatten()
                .chain(first_alternative.into_iter().flatten())
                .filter_map(Value::as_str)
            {
                let child = node
                    .get("properties")
                    .and_then(|p| p.get(key))
                    .unwrap_or(&Value::Null);
                map.insert(key.to_string(), placeholder(root, child, key, depth + 1));
            }
            Value::Object(map)
        }
        "array" if depth < 6 => {
            let items = node.get("items").unwrap_or(&Value::Null);
            let min = node.get("minItems").and_then(Value::as_u64).unwrap_or(1);
            Value::Array(
                (0..min.max(1))
                    .map(|_| placeholder(root, items, name, depth + 1))
                    .collect(),
            )
        }
        "boolean" => Value::Bool(false),
        "integer" | "number" => node
            .get("minimum")
            .cloned()
            .unwrap_or_else(|| Value::from(1)),
        _ => {
            // A placeholder that satisfies the field's own constraints (pattern, format), if one
            // of these does.
            let candidates = [
                format!("<{name}>"),
                "<user>:<password>".to_string(),
                "example".to_string(),
                "https://example.com".to_string(),
            ];
            let fits = |c: &String| {
                jsonschema::validator_for(node).is_ok_and(|v| v.is_valid(&Value::String(c.clone())))
            };
            let chosen = candidates
                .iter()
                .find(|c| fits(c))
                .unwrap_or(&candidates[0]);
            Value::String(chosen.clone())
        }
    }
}

/// An example binding for the plugin: its newest version on a service `my-service`, with a
/// `pluginConfig` that satisfies the config schema when a placeholder can.
fn example_binding(p: &Loaded<Plugin>, validator: Option<&jsonschema::Validator>) -> String {
    let spec = &p.item.spec;
    let mut text = format!(
        "apiVersion: meshplug.io/v1alpha1\nkind: Binding\nmetadata:\n  name: my-service\n  namespace: my-namespace\nspec:\n  selector:\n    matchLabels:\n      app: my-service\n  plugins:\n  - plugin: {}\n    version: {}\n",
        p.item.metadata.name, spec.versions[0].version
    );
    let Some(schema) = &spec.config_schema else {
        return text;
    };
    let mut config = placeholder(schema, schema, "value", 0);
    if let Some(defaults) = &spec.defaults.plugin_config {
        // Only what the catalog default does not already provide.
        if let Value::Object(map) = &mut config {
            map.retain(|k, _| !defaults.contains_key(k));
        }
    }
    let effective = match (&spec.defaults.plugin_config, &config) {
        (Some(base), Value::Object(over)) => Value::Object(crate::check::merge(base, over)),
        _ => config.clone(),
    };
    let fits = validator.is_none_or(|v| v.is_valid(&effective));
    match &config {
        Value::Object(map) if fits && !map.is_empty() => {
            text.push_str("    pluginConfig:\n");
            text.push_str(&crate::edit::indent(&crate::edit::to_yaml(&config), 6));
        }
        Value::Object(map) if fits && map.is_empty() => {}
        _ => text.push_str("    # pluginConfig: see the config fields above\n"),
    }
    text
}
