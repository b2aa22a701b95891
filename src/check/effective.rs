//! The effective settings of each (binding, plugin) pair: binding fields over catalog defaults.

use super::Catalog;
use crate::load::Loaded;
use crate::model::{
    Binding, EnvVar, FailStrategy, Phase, Plugin, PluginType, PluginUse, PluginVersion, PullPolicy,
    TrafficSelector,
};
use serde_json::{Map, Value};

/// One plugin applied by one binding, with every default resolved.
#[derive(Debug, Clone)]
pub struct Effective<'r> {
    /// The binding.
    pub binding: &'r Loaded<Binding>,
    /// Index of the entry in `spec.plugins` (its pointer is `/spec/plugins/{index}`).
    pub index: usize,
    /// The catalog entry.
    pub plugin: &'r Loaded<Plugin>,
    /// The chosen version.
    pub version: &'r PluginVersion,
    /// Phase (unset: UNSPECIFIED_PHASE).
    pub phase: Phase,
    /// Priority, when set.
    pub priority: Option<i64>,
    /// Fail strategy, when set.
    pub fail_strategy: Option<FailStrategy>,
    /// Pull policy, when set.
    pub pull_policy: Option<PullPolicy>,
    /// Pull secret, when set.
    pub pull_secret: Option<&'r str>,
    /// Traffic match entries.
    pub r#match: &'r [TrafficSelector],
    /// Filter type, when set.
    pub plugin_type: Option<PluginType>,
    /// Clusters it is rendered for.
    pub clusters: Vec<&'r str>,
}

impl<'r> Effective<'r> {
    /// The binding's entry for this plugin.
    pub fn entry(&self) -> &'r PluginUse {
        &self.binding.item.spec.plugins[self.index]
    }

    /// Merged plugin configuration (catalog defaults under the binding's), when any. Computed
    /// on each call: holding it for every entry of a large repository costs more than merging.
    pub fn plugin_config(&self) -> Option<Map<String, Value>> {
        merge_over(
            self.plugin.item.spec.defaults.plugin_config.as_ref(),
            self.entry().plugin_config.as_ref(),
        )
    }

    /// Merged env vars, defaults first then the binding's, replaced by name.
    pub fn env(&self) -> Vec<&'r EnvVar> {
        let over = self
            .entry()
            .vm_config
            .as_ref()
            .map(|v| v.env.as_slice())
            .unwrap_or_default();
        merge_env(self.plugin.item.spec.defaults.env(), over)
    }

    /// JSON pointer of this entry in the binding document.
    pub fn pointer(&self) -> String {
        format!("/spec/plugins/{}", self.index)
    }

    /// The binding's display path.
    pub fn path(&self) -> &str {
        &self.binding.doc.source.path
    }

    /// The plugin's catalog name.
    pub fn plugin_name(&self) -> &str {
        &self.plugin.item.metadata.name
    }

    /// The namespace the WasmPlugin goes to.
    pub fn namespace(&self) -> &str {
        &self.binding.item.metadata.namespace
    }
}

/// `over` deep-merged onto `base`, either of which may be absent.
pub fn merge_over(
    base: Option<&Map<String, Value>>,
    over: Option<&Map<String, Value>>,
) -> Option<Map<String, Value>> {
    match (base, over) {
        (Some(base), Some(over)) => Some(merge(base, over)),
        (a, b) => b.or(a).cloned(),
    }
}

/// Deep-merge `over` onto `base`: mappings merge key by key, anything else replaces.
pub fn merge(base: &Map<String, Value>, over: &Map<String, Value>) -> Map<String, Value> {
    let mut out = base.clone();
    for (k, v) in over {
        let merged = match (out.get(k), v) {
            (Some(Value::Object(b)), Value::Object(o)) => Value::Object(merge(b, o)),
            _ => v.clone(),
        };
        out.insert(k.clone(), merged);
    }
    out
}

/// Env vars of `base` replaced or extended by `over`, by name, order kept.
pub fn merge_env<'a>(base: &'a [EnvVar], over: &'a [EnvVar]) -> Vec<&'a EnvVar> {
    let mut out: Vec<&EnvVar> = base
        .iter()
        .filter(|b| !over.iter().any(|o| o.name == b.name))
        .collect();
    out.extend(over);
    out
}

/// Every plugin entry of `b` that resolves against the catalog, with the binding's clusters among
/// `all_clusters` (what does not resolve is reported by MP012, MP013 and MP034).
pub fn resolve<'r>(
    b: &'r Loaded<Binding>,
    catalog: &Catalog<'r>,
    all_clusters: &[&'r str],
) -> Vec<Effective<'r>> {
    let clusters: Vec<&'r str> = match &b.item.spec.clusters {
        None => all_clusters.to_vec(),
        Some(list) => list
            .iter()
            .filter_map(|c| all_clusters.iter().copied().find(|k| *k == c.as_str()))
            .collect(),
    };
    let mut effective = Vec::new();
    for (index, u) in b.item.spec.plugins.iter().enumerate() {
        let Some(plugin) = catalog.get(&u.plugin) else {
            continue;
        };
        let spec = &plugin.item.spec;
        let version = match &u.version {
            None => &spec.versions[0],
            Some(v) => match spec.versions.iter().find(|x| &x.version == v) {
                Some(x) => x,
                None => continue,
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
    effective
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn merge_is_deep_for_mappings_and_replaces_lists() {
        let base = json!({"a": {"x": 1, "y": 2}, "l": [1, 2], "k": "v"});
        let over = json!({"a": {"y": 3}, "l": [9]});
        let m = merge(base.as_object().unwrap(), over.as_object().unwrap());
        assert_eq!(
            Value::Object(m),
            json!({"a": {"x": 1, "y": 3}, "l": [9], "k": "v"})
        );
    }

    #[test]
    fn env_replaced_by_name() {
        let e = |n: &str, v: &str| EnvVar {
            name: n.into(),
            value_from: None,
            value: Some(v.into()),
        };
        let (base, over) = ([e("A", "1"), e("B", "2")], [e("B", "3"), e("C", "4")]);
        let out = merge_env(&base, &over);
        let names: Vec<_> = out
            .iter()
            .map(|e| (e.name.as_str(), e.value.as_deref().unwrap()))
            .collect();
        assert_eq!(names, [("A", "1"), ("B", "3"), ("C", "4")]);
    }
}
