//! Comparing WasmPlugin specs as Istio reads them: zero values and empty collections are the same
//! as absent ones, a url without scheme is an `oci://` url, and a deprecated `targetRef` is a
//! one-item `targetRefs`. Differences are listed field by field.

use serde::Serialize;
use serde_json::{Map, Value};

/// Enum values that mean the same as an absent field.
const ZERO: [(&str, &str); 5] = [
    ("phase", "UNSPECIFIED_PHASE"),
    ("imagePullPolicy", "UNSPECIFIED_POLICY"),
    ("type", "UNSPECIFIED_PLUGIN_TYPE"),
    ("type", "HTTP"),
    ("failStrategy", "FAIL_CLOSE"),
];

/// `spec` in the canonical form used for comparison.
pub fn normalize(spec: &Value) -> Value {
    let Value::Object(input) = spec else {
        return spec.clone();
    };
    let mut out = Map::new();
    for (k, v) in input {
        if v.is_null() || ZERO.iter().any(|(zk, zv)| k == zk && v == zv) {
            continue;
        }
        let v = match k.as_str() {
            "sha256" if v == "" => continue,
            "url" => match v.as_str() {
                Some(u) if !u.contains("://") => Value::String(format!("oci://{u}")),
                _ => v.clone(),
            },
            "vmConfig" => {
                let env: Vec<Value> = v
                    .get("env")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .map(|e| drop_keys(e, &[("valueFrom", "INLINE")]))
                    .collect();
                if env.is_empty() {
                    continue;
                }
                serde_json::json!({ "env": env })
            }
            "match" => {
                let items: Vec<Value> = v
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|m| {
                        let m =
                            drop_keys(m, &[("mode", "UNDEFINED"), ("mode", "CLIENT_AND_SERVER")]);
                        match m.get("ports") {
                            Some(Value::Array(p)) if p.is_empty() => {
                                drop_keys(&m, &[("ports", "")])
                            }
                            _ => m,
                        }
                    })
                    .collect();
                // An empty selector matches all traffic, like no `match` at all.
                if items.is_empty()
                    || items
                        .iter()
                        .any(|m| m.as_object().is_some_and(Map::is_empty))
                {
                    continue;
                }
                Value::Array(items)
            }
            "selector" => match v.get("matchLabels") {
                Some(Value::Object(l)) if !l.is_empty() => v.clone(),
                _ => continue,
            },
            "targetRef" => {
                if input
                    .get("targetRefs")
                    .and_then(Value::as_array)
                    .is_none_or(Vec::is_empty)
                {
                    out.insert("targetRefs".into(), Value::Array(vec![v.clone()]));
                }
                continue;
            }
            _ => v.clone(),
        };
        let empty = match &v {
            Value::Object(m) => m.is_empty(),
            Value::Array(a) => a.is_empty(),
            _ => false,
        };
        if !empty {
            out.insert(k.clone(), v);
        }
    }
    Value::Object(out)
}

/// `v` without the keys whose value is the given string (or, for `""`, any value).
fn drop_keys(v: &Value, keys: &[(&str, &str)]) -> Value {
    let Value::Object(m) = v else {
        return v.clone();
    };
    Value::Object(
        m.iter()
            .filter(|(k, val)| {
                !keys
                    .iter()
                    .any(|(dk, dv)| k == dk && (dv.is_empty() || *val == dv))
            })
            .map(|(k, val)| (k.clone(), val.clone()))
            .collect(),
    )
}

/// One field that differs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldDiff {
    /// Dotted path, e.g. `spec.priority` or `spec.vmConfig.env[0].value`.
    pub field: String,
    /// The value in git (`None`: absent).
    pub git: Option<Value>,
    /// The value in the cluster (`None`: absent).
    pub live: Option<Value>,
}

/// The fields where `git` and `live` (both normalized specs) differ, under `prefix`.
pub fn diff(git: &Value, live: &Value, prefix: &str) -> Vec<FieldDiff> {
    let mut out = Vec::new();
    walk(Some(git), Some(live), prefix, &mut out);
    out
}

fn walk(a: Option<&Value>, b: Option<&Value>, path: &str, out: &mut Vec<FieldDiff>) {
    match (a, b) {
        (Some(Value::Object(x)), Some(Value::Object(y))) => {
            let keys: std::collections::BTreeSet<&String> = x.keys().chain(y.keys()).collect();
            for k in keys {
                walk(x.get(k), y.get(k), &format!("{path}.{k}"), out);
            }
        }
        (Some(Value::Array(x)), Some(Value::Array(y))) if x.len() == y.len() => {
            for (i, (p, q)) in x.iter().zip(y).enumerate() {
                walk(Some(p), Some(q), &format!("{path}[{i}]"), out);
            }
        }
        (a, b) if a == b => {}
        (a, b) => out.push(FieldDiff {
            field: path.to_string(),
            git: a.cloned(),
            live: b.cloned(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn zero_values_equal_absent_ones() {
        let a = json!({"url": "ghcr.io/a/b:1", "phase": "UNSPECIFIED_PHASE", "sha256": "", "pluginConfig": {},
                       "vmConfig": {"env": [{"name": "A", "valueFrom": "INLINE", "value": "1"}]},
                       "match": [{"mode": "UNDEFINED", "ports": []}], "failStrategy": "FAIL_CLOSE", "priority": null});
        let b = json!({"url": "oci://ghcr.io/a/b:1", "vmConfig": {"env": [{"name": "A", "value": "1"}]}});
        assert_eq!(normalize(&a), normalize(&b));
    }

    #[test]
    fn differences_are_listed_by_field() {
        let git = json!({"priority": 310, "vmConfig": {"env": [{"name": "A", "value": "1"}]}});
        let live = json!({"priority": 200, "vmConfig": {"env": [{"name": "A", "value": "2"}]}, "phase": "AUTHN"});
        let d = diff(&git, &live, "spec");
        let fields: Vec<&str> = d.iter().map(|x| x.field.as_str()).collect();
        assert_eq!(
            fields,
            ["spec.phase", "spec.priority", "spec.vmConfig.env[0].value"]
        );
        assert_eq!(d[0].git, None);
    }
}
