//! Catalog entries: one `Plugin` document per file under a catalog directory.

use super::istio::{EnvVar, FailStrategy, Phase, PluginType, PullPolicy, VmConfig};
use super::meta::ObjectMeta;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A catalog entry: one proxy-wasm plugin with its versions, defaults and config schema.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[schemars(title = "meshplug Plugin")]
pub struct Plugin {
    /// Always `meshplug.io/v1alpha1`.
    #[schemars(extend("const" = "meshplug.io/v1alpha1"))]
    pub api_version: String,
    /// Always `Plugin`.
    #[schemars(extend("const" = "Plugin"))]
    pub kind: String,
    /// `name` is the plugin's id (a DNS-1123 label), unique across the repository.
    pub metadata: ObjectMeta,
    /// The entry itself.
    pub spec: PluginSpec,
}

/// Text in English (required) and Chinese.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Localized {
    /// English text.
    #[schemars(length(min = 1))]
    pub en: String,
    /// Chinese text (简体中文).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zh: Option<String>,
}

impl Localized {
    /// The text in `lang` (`en` or `zh`), falling back to English.
    pub fn get(&self, lang: &str) -> &str {
        match (lang, &self.zh) {
            ("zh", Some(zh)) if !zh.is_empty() => zh,
            _ => &self.en,
        }
    }
}

/// A maintainer of a plugin.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Maintainer {
    /// Person or team.
    pub name: String,
    /// Contact address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Web page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// `spec` of a Plugin.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct PluginSpec {
    /// Display name.
    pub title: Localized,
    /// What the plugin does.
    pub description: Localized,
    /// Category for browsing, e.g. auth, security, traffic, transformation, observability, custom.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"))]
    pub category: Option<String>,
    /// HTTP (default) or NETWORK filter.
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub plugin_type: Option<PluginType>,
    /// Envoy root id, for modules that select their root context by name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1, max = 256))]
    pub plugin_name: Option<String>,
    /// Released versions, newest first.
    #[schemars(length(min = 1))]
    pub versions: Vec<PluginVersion>,
    /// Defaults for every binding of this plugin.
    #[serde(default)]
    pub defaults: Defaults,
    /// JSON Schema that every binding's effective `pluginConfig` must satisfy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config_schema: Option<serde_json::Value>,
    /// Documentation page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub homepage: Option<String>,
    /// SPDX license expression.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub license: Option<String>,
    /// People or teams who maintain the plugin.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub maintainers: Vec<Maintainer>,
    /// Examples that are tests: a configuration and a request, run against this plugin alone by
    /// `meshplug test` and `validate --run` (MP044).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub examples: Vec<super::PluginExample>,
}

/// One released version of a plugin module.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct PluginVersion {
    /// Version string: letters, digits, `.`, `_`, `-` (it becomes a label value).
    #[schemars(
        length(min = 1, max = 63),
        regex(pattern = r"^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$")
    )]
    pub version: String,
    /// Module location: `oci://` (recommended), `https://`, `http://` or `file://`.
    #[schemars(length(min = 1))]
    pub url: String,
    /// Pinned digest: 64 lowercase hex characters, no `sha256:` prefix. For `oci://` the image
    /// manifest digest; for http(s) the sha256 of the (unboxed) module.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    /// The proxy-wasm ABI the module declares, when known without fetching it: `0.2.100` marks
    /// a module built with Higress's SDK fork, which only Higress loads (MP039).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("enum" = ["0.1.0", "0.2.0", "0.2.1", "0.2.100"]))]
    pub abi: Option<String>,
}

/// Defaults applied to every binding of a plugin; a binding's own fields win.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Defaults {
    /// Default phase.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phase: Option<Phase>,
    /// Default priority within the phase, 1..1000 (higher runs first).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = 1000))]
    pub priority: Option<i64>,
    /// Default fail strategy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fail_strategy: Option<FailStrategy>,
    /// Default pull policy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_pull_policy: Option<PullPolicy>,
    /// Default plugin configuration; a binding's `pluginConfig` is deep-merged over it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plugin_config: Option<serde_json::Map<String, serde_json::Value>>,
    /// Default VM config; a binding's env vars replace defaults of the same name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vm_config: Option<VmConfig>,
}

impl Defaults {
    /// The default env vars, if any.
    pub fn env(&self) -> &[EnvVar] {
        self.vm_config
            .as_ref()
            .map(|v| v.env.as_slice())
            .unwrap_or_default()
    }
}
