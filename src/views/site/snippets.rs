//! Copy-paste snippets of a plugin page: the `meshplug bind` command and a Binding document.

use super::schema_table::FieldRow;
use serde_json::Value;

/// `meshplug bind NAMESPACE/SERVICE PLUGIN`, with `--config` when the plugin needs configuration.
pub fn bind_command(plugin: &str, fields: &[FieldRow]) -> String {
    let needs_config = fields
        .iter()
        .any(|f| f.required && !f.path.contains(['.', '*']));
    let mut cmd = format!("meshplug bind NAMESPACE/SERVICE {plugin}");
    if needs_config {
        cmd.push_str(&format!(" --config {plugin}-config.yaml"));
    }
    cmd
}

/// A Binding document applying `plugin` (at `version`) to one service, with a placeholder for
/// every required top-level config field (its default when the schema has one).
pub fn binding_yaml(plugin: &str, version: Option<&str>, schema: Option<&Value>) -> String {
    let mut y = String::from(
        "apiVersion: meshplug.io/v1alpha1\nkind: Binding\nmetadata:\n  name: SERVICE\n  namespace: NAMESPACE\nspec:\n  selector:\n    matchLabels:\n      app: SERVICE\n  plugins:\n",
    );
    y.push_str(&format!("  - plugin: {plugin}\n"));
    if let Some(v) = version {
        y.push_str(&format!("    version: {}\n", quoted(v)));
    }
    let required = required_fields(schema);
    if !required.is_empty() {
        y.push_str("    pluginConfig:\n");
        for (key, value) in required {
            y.push_str(&format!("      {}: {value}   # required\n", yaml_key(&key)));
        }
    }
    y
}

/// Required top-level fields with a placeholder value as YAML (flow style; JSON is YAML).
fn required_fields(schema: Option<&Value>) -> Vec<(String, String)> {
    let Some(schema) = schema else {
        return Vec::new();
    };
    let props = schema.get("properties");
    schema
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(|key| {
            let sub = props.and_then(|p| p.get(key));
            let value = sub
                .and_then(|s| s.get("default").cloned())
                .unwrap_or_else(|| placeholder(sub));
            (
                key.to_string(),
                serde_json::to_string(&value).unwrap_or_default(),
            )
        })
        .collect()
}

/// An empty value of the field's type.
fn placeholder(schema: Option<&Value>) -> Value {
    let ty = schema
        .and_then(|s| s.get("type"))
        .and_then(|t| t.as_str().or_else(|| t.get(0).and_then(Value::as_str)));
    match ty {
        Some("array") => Value::Array(Vec::new()),
        Some("object") => Value::Object(Default::default()),
        Some("boolean") => Value::Bool(false),
        Some("integer" | "number") => Value::from(0),
        _ => Value::String(String::new()),
    }
}

/// `key` bare when it is a plain word, else as a quoted string.
fn yaml_key(key: &str) -> String {
    let plain = !key.is_empty()
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        && !key.starts_with('-');
    if plain { key.to_string() } else { quoted(key) }
}

fn quoted(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn binding_snippet_lists_required_fields_and_parses() {
        let schema = json!({
            "type": "object",
            "required": ["keys", "odd: key", "mode"],
            "properties": {
                "keys": {"type": "array"},
                "mode": {"type": "string", "default": "strict"}
            }
        });
        let y = binding_yaml("key-auth", Some("1.10"), Some(&schema));
        assert!(y.contains("    version: \"1.10\"\n"), "{y}");
        assert!(y.contains("      keys: []   # required\n"), "{y}");
        assert!(y.contains("      \"odd: key\": \"\"   # required\n"), "{y}");
        assert!(y.contains("      mode: \"strict\"   # required\n"), "{y}");
        let doc: serde_json::Value = serde_saphyr::from_str(&y).expect("valid YAML");
        assert_eq!(doc["spec"]["plugins"][0]["version"], "1.10");
        assert_eq!(
            bind_command("key-auth", &crate::views::site::schema_table::rows(&schema)),
            "meshplug bind NAMESPACE/SERVICE key-auth --config key-auth-config.yaml"
        );
        assert_eq!(
            bind_command("cors", &[]),
            "meshplug bind NAMESPACE/SERVICE cors"
        );
    }
}
