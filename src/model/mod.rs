//! The typed documents of a marketplace repository (`meshplug.io/v1alpha1`).
//!
//! These types are the single source of truth for the file formats: the JSON Schemas in `schema/`
//! are generated from them (`meshplug schema`), and the loader deserializes validated documents into
//! them.

pub mod attach;
mod binding;
mod istio;
mod lock;
mod marketplace;
mod meta;
mod plugin;
mod request_test;
pub mod url;

pub use binding::{Binding, BindingSpec, PluginUse};
pub use istio::{
    EnvValueSource, EnvVar, FailStrategy, LabelSelector, Phase, PluginType, PortSelector,
    PullPolicy, TargetRef, TrafficSelector, VmConfig, WorkloadMode,
};
pub use lock::{Lock, LockFormat, LockedModule};
pub use marketplace::{Cluster, Marketplace, MarketplaceSpec, RegistryConfig};
pub use meta::{API_VERSION, NamespacedMeta, ObjectMeta};
pub use plugin::{Defaults, Localized, Maintainer, Plugin, PluginSpec, PluginVersion};
pub use request_test::{Expectation, PluginExample, RequestTest, TestRequest, TestResponse};

/// The kinds of document a repository holds, with the name used in `apiVersion`/`kind`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// `meshplug.yaml` at the repository root.
    Marketplace,
    /// One catalog entry per file under a catalog directory.
    Plugin,
    /// One service's plugins per file under a bindings directory.
    Binding,
    /// `meshplug.lock` at the repository root, written by `meshplug lock`.
    Lock,
}

impl Kind {
    /// Every kind, in a fixed order.
    pub const ALL: [Kind; 4] = [Kind::Marketplace, Kind::Plugin, Kind::Binding, Kind::Lock];

    /// The `kind:` value of this document type.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Marketplace => "Marketplace",
            Kind::Plugin => "Plugin",
            Kind::Binding => "Binding",
            Kind::Lock => "Lock",
        }
    }

    /// The file name of this kind's JSON Schema in `schema/`.
    pub fn schema_file(self) -> &'static str {
        match self {
            Kind::Marketplace => "marketplace.schema.json",
            Kind::Plugin => "plugin.schema.json",
            Kind::Binding => "binding.schema.json",
            Kind::Lock => "lock.schema.json",
        }
    }

    /// The JSON Schema of this kind, generated from the Rust type.
    pub fn json_schema(self) -> serde_json::Value {
        let mut value = match self {
            Kind::Marketplace => schema_of::<Marketplace>(),
            Kind::Plugin => schema_of::<Plugin>(),
            Kind::Binding => schema_of::<Binding>(),
            Kind::Lock => schema_of::<Lock>(),
        };
        if let Some(obj) = value.as_object_mut() {
            obj.insert(
                "$id".into(),
                format!("https://meshplug.io/schema/v1alpha1/{}", self.schema_file()).into(),
            );
        }
        value
    }
}

/// The JSON Schema (draft 2020-12) of `T`, shaped like the schemas of the three kinds.
pub fn schema_of<T: schemars::JsonSchema>() -> serde_json::Value {
    let generator = schemars::generate::SchemaSettings::draft2020_12().into_generator();
    let mut value = generator.into_root_schema_for::<T>().to_value();
    normalize_schema(&mut value);
    value
}

/// Shape the generated schema for people and editors:
/// - drop the `null` alternatives schemars adds for `Option` fields: an absent field is how a
///   document says "unset", and an explicit `null` (an empty YAML value) is a mistake to report;
/// - turn `oneOf` lists of constants (documented enum variants) into a plain `enum`, whose
///   violations read "not one of A, B, C", with the per-value docs kept as `markdownEnumDescriptions`.
fn normalize_schema(v: &mut serde_json::Value) {
    use serde_json::Value;
    match v {
        Value::Object(map) => {
            if let Some(Value::Array(types)) = map.get_mut("type") {
                types.retain(|t| t != "null");
                if types.len() == 1 {
                    let only = types.remove(0);
                    map.insert("type".into(), only);
                }
            }
            if let Some(Value::Array(alts)) = map.get("anyOf") {
                let rest: Vec<Value> = alts
                    .iter()
                    .filter(|a| a.get("type") != Some(&Value::from("null")))
                    .cloned()
                    .collect();
                if rest.len() == 1 && alts.len() == 2 {
                    map.remove("anyOf");
                    if let Value::Object(inner) = &rest[0] {
                        for (k, val) in inner {
                            map.entry(k.clone()).or_insert(val.clone());
                        }
                    }
                }
            }
            if let Some(Value::Array(alts)) = map.get("oneOf")
                && !alts.is_empty()
                && alts.iter().all(|a| a.get("const").is_some())
            {
                let values: Vec<Value> = alts.iter().map(|a| a["const"].clone()).collect();
                let docs: Vec<Value> = alts
                    .iter()
                    .map(|a| a.get("description").cloned().unwrap_or(Value::from("")))
                    .collect();
                map.remove("oneOf");
                map.insert("type".into(), "string".into());
                map.insert("enum".into(), Value::Array(values));
                map.insert("markdownEnumDescriptions".into(), Value::Array(docs));
            }
            if let Some(Value::Array(options)) = map.get_mut("enum") {
                options.retain(|o| !o.is_null());
            }
            map.values_mut().for_each(normalize_schema);
        }
        Value::Array(items) => items.iter_mut().for_each(normalize_schema),
        _ => {}
    }
}

/// Kubernetes' limit for names used as label values.
const MAX_NAME: usize = 63;

/// The name of the WasmPlugin for `plugin` in `binding`: `<binding>-<plugin>`, shortened with a
/// hash suffix when it would exceed 63 characters.
pub fn wasmplugin_name(binding: &str, plugin: &str) -> String {
    use sha2::Digest as _;
    let full = format!("{binding}-{plugin}");
    if full.len() <= MAX_NAME {
        return full;
    }
    let hash = hex::encode(sha2::Sha256::digest(full.as_bytes()));
    let head = full[..MAX_NAME - 9].trim_end_matches('-');
    format!("{head}-{}", &hash[..8])
}
