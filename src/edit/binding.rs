//! `bind` and `unbind` as edits of one binding file: the typed change is computed first, then
//! made as layout-preserving splices ([`super::text`]); the result must read back as exactly the
//! intended binding, else the file is rewritten from the typed value (keeping its leading comment
//! block) and the caller is told that inner comments were lost.

use super::text::{Editor, Unsupported};
use super::to_yaml;
use crate::diag::Places;
use crate::load::Loaded;
use crate::model::{
    API_VERSION, Binding, BindingSpec, EnvVar, LabelSelector, NamespacedMeta, Phase, PluginUse,
    VmConfig,
};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// What `meshplug bind` asks for.
#[derive(Debug, Clone, Default)]
pub struct BindRequest {
    /// Namespace of the service.
    pub namespace: String,
    /// The service.
    pub service: String,
    /// Catalog name of the plugin.
    pub plugin: String,
    /// Version to pin, if given.
    pub version: Option<String>,
    /// Phase, if given.
    pub phase: Option<Phase>,
    /// Priority, if given.
    pub priority: Option<i64>,
    /// New pluginConfig (replaces the entry's), if given.
    pub config: Option<Map<String, Value>>,
    /// Single pluginConfig values to set, by dotted path (`a.b.c`), after `config` is applied
    /// (without `config`, into the entry's existing pluginConfig), as `helm --set` does.
    pub sets: Vec<(String, Value)>,
    /// Inline env vars to set (replacing same-named ones).
    pub env: Vec<(String, String)>,
    /// The binding's cluster list, if given (binding-wide).
    pub clusters: Option<Vec<String>>,
    /// Selector labels for a new binding file (`None`: `app: <service>`; empty: no selector).
    pub labels: Option<BTreeMap<String, String>>,
}

/// The new text of a binding file.
#[derive(Debug, Clone)]
pub struct Edited {
    /// The whole new file.
    pub text: String,
    /// False when the file had to be rewritten from the typed binding (inner comments lost).
    pub layout_kept: bool,
    /// The binding as it will be.
    pub binding: Binding,
}

/// The binding after `req`: `existing` updated, or a new one.
pub fn updated(existing: Option<&Binding>, req: &BindRequest) -> Binding {
    let mut b = existing.cloned().unwrap_or_else(|| Binding {
        api_version: API_VERSION.into(),
        kind: "Binding".into(),
        metadata: NamespacedMeta {
            name: req.service.clone(),
            namespace: req.namespace.clone(),
            labels: None,
            annotations: None,
        },
        spec: BindingSpec {
            clusters: None,
            selector: {
                let labels = req
                    .labels
                    .clone()
                    .unwrap_or_else(|| BTreeMap::from([("app".to_string(), req.service.clone())]));
                (!labels.is_empty()).then_some(LabelSelector {
                    match_labels: labels,
                })
            },
            target_refs: None,
            plugins: Vec::new(),
            tests: Vec::new(),
        },
    });
    if let Some(c) = &req.clusters {
        b.spec.clusters = Some(c.clone());
    }
    let entry = match b.spec.plugins.iter().position(|u| u.plugin == req.plugin) {
        Some(i) => &mut b.spec.plugins[i],
        None => {
            b.spec.plugins.push(PluginUse {
                plugin: req.plugin.clone(),
                version: None,
                phase: None,
                priority: None,
                fail_strategy: None,
                image_pull_policy: None,
                image_pull_secret: None,
                plugin_config: None,
                vm_config: None,
                r#match: None,
                plugin_type: None,
            });
            b.spec.plugins.last_mut().expect("just pushed")
        }
    };
    if req.version.is_some() {
        entry.version = req.version.clone();
    }
    if req.phase.is_some() {
        entry.phase = req.phase;
    }
    if req.priority.is_some() {
        entry.priority = req.priority;
    }
    if let Some(c) = &req.config {
        entry.plugin_config = Some(c.clone());
    }
    if !req.sets.is_empty() {
        let config = entry.plugin_config.get_or_insert_with(Map::new);
        for (path, value) in &req.sets {
            set_path(config, path, value.clone());
        }
    }
    if !req.env.is_empty() {
        let vm = entry.vm_config.get_or_insert_with(VmConfig::default);
        for (name, value) in &req.env {
            let var = EnvVar {
                name: name.clone(),
                value_from: None,
                value: Some(value.clone()),
            };
            match vm.env.iter_mut().find(|e| &e.name == name) {
                Some(slot) => *slot = var,
                None => vm.env.push(var),
            }
        }
    }
    b
}

/// Set `value` at the dotted `path` of `map` (`a.b.c`), creating the mappings on the way and
/// replacing a value that is in the way and not a mapping, as `helm --set` does.
pub fn set_path(map: &mut Map<String, Value>, path: &str, value: Value) {
    match path.split_once('.') {
        None => {
            map.insert(path.to_string(), value);
        }
        Some((first, rest)) => {
            let slot = map
                .entry(first.to_string())
                .or_insert_with(|| Value::Object(Map::new()));
            if !slot.is_object() {
                *slot = Value::Object(Map::new());
            }
            if let Value::Object(inner) = slot {
                set_path(inner, rest, value);
            }
        }
    }
}

/// A `--set` value typed as helm types it: an integer or a decimal number, `true`/`false`,
/// `null`, else the string as written.
pub fn typed_value(text: &str) -> Value {
    match text {
        "true" => return Value::Bool(true),
        "false" => return Value::Bool(false),
        "null" => return Value::Null,
        _ => {}
    }
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let unsigned = text.strip_prefix('-').unwrap_or(text);
    let (whole, fraction) = match unsigned.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (unsigned, None),
    };
    // Leading zeros (`007`, a zip code) keep the text as written, as helm does.
    let leading_zero = whole.len() > 1 && whole.starts_with('0');
    if digits(whole) && !leading_zero {
        match fraction {
            None => {
                if let Ok(i) = text.parse::<i64>() {
                    return Value::from(i);
                }
            }
            Some(f) if digits(f) => {
                if let Some(n) = text
                    .parse::<f64>()
                    .ok()
                    .and_then(serde_json::Number::from_f64)
                {
                    return Value::Number(n);
                }
            }
            Some(_) => {}
        }
    }
    Value::String(text.to_string())
}

/// `binding` with the entry for `plugin` removed (`None` when it was the last one).
pub fn without(binding: &Binding, plugin: &str) -> Option<Binding> {
    let mut b = binding.clone();
    b.spec.plugins.retain(|u| u.plugin != plugin);
    (!b.spec.plugins.is_empty()).then_some(b)
}

/// The text of a new binding file.
pub fn new_file(binding: &Binding, modeline: &str) -> String {
    format!("{modeline}{}", to_yaml(binding))
}

/// Edit `old`'s file into `new`, keeping the layout where possible.
pub fn edit(old: &Loaded<Binding>, new: &Binding) -> Edited {
    match splice(&old.doc, &old.item, new).and_then(|text| verify(text, new)) {
        Ok(text) => Edited {
            text,
            layout_kept: true,
            binding: new.clone(),
        },
        Err(_) => Edited {
            text: format!("{}{}", leading_comments(&old.doc.source.text), to_yaml(new)),
            layout_kept: false,
            binding: new.clone(),
        },
    }
}

fn to_map<T: serde::Serialize>(v: &T) -> Map<String, Value> {
    match serde_json::to_value(v).expect("model values serialize") {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

fn splice(doc: &impl Places, old: &Binding, new: &Binding) -> Result<String, Unsupported> {
    let mut e = Editor::new(doc);
    if old.spec.clusters != new.spec.clusters {
        match &new.spec.clusters {
            Some(c) if old.spec.clusters.is_some() => e.set("/spec/clusters", &c.clone().into())?,
            Some(c) => e.insert("/spec", "clusters", &c.clone().into(), true)?,
            None => return Err(Unsupported("clusters removed".into())),
        }
    }
    // Pointers address the old document: an entry kept from it is edited at its old index.
    let mut previous = None;
    for entry in &new.spec.plugins {
        let new_map = to_map(entry);
        match old
            .spec
            .plugins
            .iter()
            .position(|u| u.plugin == entry.plugin)
        {
            Some(j) if previous.is_none_or(|p| p < j) => {
                previous = Some(j);
                let old_map = to_map(&old.spec.plugins[j]);
                if old_map.keys().any(|k| !new_map.contains_key(k)) {
                    return Err(Unsupported("a field was removed".into()));
                }
                for (k, v) in &new_map {
                    let ptr = format!("/spec/plugins/{j}/{}", crate::diag::pointer::escape(k));
                    match old_map.get(k) {
                        Some(o) if o == v => {}
                        Some(_) => e.set(&ptr, v)?,
                        None => e.insert(&format!("/spec/plugins/{j}"), k, v, false)?,
                    }
                }
            }
            Some(_) => return Err(Unsupported("entries were reordered".into())),
            None => e.append("/spec/plugins", entry)?,
        }
    }
    for (j, u) in old.spec.plugins.iter().enumerate().rev() {
        if !new.spec.plugins.iter().any(|n| n.plugin == u.plugin) {
            e.remove("/spec/plugins", j)?;
        }
    }
    e.finish()
}

/// `text` if it reads back as `want`.
fn verify(text: String, want: &Binding) -> Result<String, Unsupported> {
    let src = crate::diag::SourceFile::new("edited", text.clone());
    let doc = crate::load::parse(&src).map_err(|d| Unsupported(d.message))?;
    let got: Binding = serde_json::from_value(doc.value).map_err(|e| Unsupported(e.to_string()))?;
    if serde_json::to_value(&got).ok() == serde_json::to_value(want).ok() {
        Ok(text)
    } else {
        Err(Unsupported("the edited file reads back differently".into()))
    }
}

/// The comment lines at the top of a file (the modeline and the description).
pub fn leading_comments(text: &str) -> String {
    text.lines()
        .take_while(|l| l.trim_start().starts_with('#'))
        .map(|l| format!("{l}\n"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Diagnostic;
    use crate::model::Kind;

    fn loaded(text: &str) -> Loaded<Binding> {
        let mut d: Vec<Diagnostic> = Vec::new();
        crate::load::load_document("b.yaml", text.as_bytes().to_vec(), Kind::Binding, &mut d)
            .unwrap_or_else(|| panic!("{:?}", d.iter().map(|x| &x.message).collect::<Vec<_>>()))
    }

    const FILE: &str = "# about\napiVersion: meshplug.io/v1alpha1\nkind: Binding\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  selector:\n    matchLabels:\n      app: web\n  plugins:\n  - plugin: cors\n    # why\n    pluginConfig:\n      allow_origins: [\"https://a\"]\n";

    #[test]
    fn update_keeps_comments() {
        let old = loaded(FILE);
        let req = BindRequest {
            namespace: "shop".into(),
            service: "web".into(),
            plugin: "cors".into(),
            priority: Some(345),
            env: vec![("A".into(), "1".into())],
            ..Default::default()
        };
        let new = updated(Some(&old.item), &req);
        let out = edit(&old, &new);
        assert!(out.layout_kept, "{}", out.text);
        assert!(out.text.contains("# why\n"), "{}", out.text);
        assert!(out.text.contains("priority: 345\n"), "{}", out.text);
    }

    #[test]
    fn add_and_remove_entries() {
        let old = loaded(FILE);
        let req = BindRequest {
            namespace: "shop".into(),
            service: "web".into(),
            plugin: "key-auth".into(),
            phase: Some(Phase::Authn),
            clusters: Some(vec!["prod".into()]),
            ..Default::default()
        };
        let new = updated(Some(&old.item), &req);
        let out = edit(&old, &new);
        assert!(out.layout_kept, "{}", out.text);
        let back = loaded(&out.text);
        assert_eq!(back.item.spec.plugins.len(), 2);
        let removed = without(&back.item, "cors").unwrap();
        let out = edit(&back, &removed);
        assert!(out.layout_kept, "{}", out.text);
        assert!(!out.text.contains("# why"), "{}", out.text);
        assert!(out.text.starts_with("# about\n"), "{}", out.text);
        assert!(without(&removed, "key-auth").is_none());
    }

    #[test]
    fn sets_are_typed_and_nested() {
        assert_eq!(typed_value("42"), Value::from(42));
        assert_eq!(typed_value("-1.5"), serde_json::json!(-1.5));
        assert_eq!(typed_value("true"), Value::Bool(true));
        assert_eq!(typed_value("null"), Value::Null);
        assert_eq!(typed_value("007"), Value::from("007"));
        assert_eq!(typed_value("1.2.3"), Value::from("1.2.3"));
        assert_eq!(typed_value("abc"), Value::from("abc"));
        let old = loaded(FILE);
        let req = BindRequest {
            plugin: "cors".into(),
            sets: vec![
                ("max_age".into(), Value::from(600)),
                ("limits.burst.size".into(), Value::from(5)),
            ],
            ..Default::default()
        };
        let new = updated(Some(&old.item), &req);
        let config = new.spec.plugins[0].plugin_config.clone().unwrap();
        assert_eq!(config["allow_origins"], serde_json::json!(["https://a"]));
        assert_eq!(config["max_age"], Value::from(600));
        assert_eq!(config["limits"]["burst"]["size"], Value::from(5));
    }

    #[test]
    fn flow_style_falls_back_to_a_rewrite() {
        let text = FILE.replace(
            "  plugins:\n  - plugin: cors\n    # why\n    pluginConfig:\n      allow_origins: [\"https://a\"]\n",
            "  plugins: [{plugin: cors}]\n",
        );
        let old = loaded(&text);
        let req = BindRequest {
            plugin: "cors".into(),
            priority: Some(1),
            ..Default::default()
        };
        let out = edit(&old, &updated(Some(&old.item), &req));
        assert!(!out.layout_kept);
        assert!(out.text.starts_with("# about\n"), "{}", out.text);
        assert_eq!(loaded(&out.text).item.spec.plugins[0].priority, Some(1));
    }
}
