//! Parsing of command-line values shared by several commands: `NAMESPACE/SERVICE`, `k=v` lists.

use std::collections::BTreeMap;

/// A `NAMESPACE/SERVICE` argument.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceRef {
    /// The namespace.
    pub namespace: String,
    /// The service (or gateway) name.
    pub name: String,
}

impl std::str::FromStr for ServiceRef {
    type Err = String;

    fn from_str(s: &str) -> Result<ServiceRef, String> {
        let label = |part: &str| {
            !part.is_empty()
                && part.len() <= 63
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                && !part.starts_with('-')
                && !part.ends_with('-')
        };
        match s.split_once('/') {
            Some((ns, name)) if label(ns) && label(name) => Ok(ServiceRef {
                namespace: ns.into(),
                name: name.into(),
            }),
            _ => Err(format!(
                "`{s}` is not NAMESPACE/SERVICE (two DNS labels: lowercase letters, digits, '-'), e.g. bookinfo/productpage"
            )),
        }
    }
}

impl std::fmt::Display for ServiceRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.namespace, self.name)
    }
}

/// Parse `k=v,k2=v2` into a map.
pub fn parse_labels(s: &str) -> Result<BTreeMap<String, String>, String> {
    let mut out = BTreeMap::new();
    for pair in s.split(',').filter(|p| !p.trim().is_empty()) {
        match pair.split_once('=') {
            Some((k, v)) if !k.trim().is_empty() => {
                out.insert(k.trim().to_string(), v.trim().to_string());
            }
            _ => {
                return Err(format!(
                    "`{pair}` is not key=value; write labels as app=productpage,version=v1"
                ));
            }
        }
    }
    Ok(out)
}

/// Parse one `K=V` env assignment.
pub fn parse_env(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((k, v)) if !k.is_empty() => Ok((k.to_string(), v.to_string())),
        _ => Err(format!(
            "`{s}` is not NAME=VALUE, e.g. --env TRUST_DOMAIN=cluster.local"
        )),
    }
}

/// Parse one `--set PATH=VALUE`: a dotted path into pluginConfig and a value typed as helm types
/// it (numbers, true/false, null, else a string).
pub fn parse_set(s: &str) -> Result<(String, serde_json::Value), String> {
    let (path, value) = split_path(s, "--set max_age=600")?;
    Ok((path, crate::edit::binding::typed_value(value)))
}

/// Parse one `--set-json PATH=JSON`: a dotted path into pluginConfig and a JSON value.
pub fn parse_set_json(s: &str) -> Result<(String, serde_json::Value), String> {
    let (path, value) = split_path(s, r#"--set-json 'allow_origins=["https://a.example"]'"#)?;
    let value = serde_json::from_str(value)
        .map_err(|e| format!("the value of `{path}` is not JSON: {e}"))?;
    Ok((path, value))
}

fn split_path<'s>(s: &'s str, example: &str) -> Result<(String, &'s str), String> {
    match s.split_once('=') {
        Some((path, value)) if !path.is_empty() && path.split('.').all(|p| !p.is_empty()) => {
            Ok((path.to_string(), value))
        }
        _ => Err(format!(
            "`{s}` is not PATH=VALUE with a dotted path (a.b.c), e.g. {example}"
        )),
    }
}

/// Parse a phase: AUTHN, AUTHZ, STATS or UNSPECIFIED_PHASE (any case; `UNSPECIFIED` too).
pub fn parse_phase(s: &str) -> Result<crate::model::Phase, String> {
    use crate::model::Phase;
    match s.to_ascii_uppercase().as_str() {
        "AUTHN" => Ok(Phase::Authn),
        "AUTHZ" => Ok(Phase::Authz),
        "STATS" => Ok(Phase::Stats),
        "UNSPECIFIED" | "UNSPECIFIED_PHASE" => Ok(Phase::Unspecified),
        _ => Err(format!(
            "`{s}` is not a phase; use AUTHN, AUTHZ, STATS or UNSPECIFIED_PHASE"
        )),
    }
}

/// Parse a plugin type: HTTP or NETWORK (any case).
pub fn parse_plugin_type(s: &str) -> Result<crate::model::PluginType, String> {
    use crate::model::PluginType;
    match s.to_ascii_uppercase().as_str() {
        "HTTP" => Ok(PluginType::Http),
        "NETWORK" => Ok(PluginType::Network),
        _ => Err(format!("`{s}` is not a plugin type; use HTTP or NETWORK")),
    }
}

/// `--phase`: AUTHN, AUTHZ, STATS or UNSPECIFIED_PHASE (`UNSPECIFIED` too), offered by shell
/// completion; use with `ignore_case = true` on the argument.
pub fn phases() -> impl clap::builder::TypedValueParser<Value = crate::model::Phase> {
    use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser as _};
    PossibleValuesParser::new([
        PossibleValue::new("AUTHN").help("before Istio's authentication filters"),
        PossibleValue::new("AUTHZ").help("after authentication, before authorization"),
        PossibleValue::new("STATS").help("after authorization, before the stats filter"),
        PossibleValue::new("UNSPECIFIED_PHASE")
            .alias("UNSPECIFIED")
            .help("at the end of the chain, before the router"),
    ])
    .map(|s| parse_phase(&s).expect("a listed phase"))
}

/// `--type`: HTTP or NETWORK, offered by shell completion; use with `ignore_case = true`.
pub fn plugin_types() -> impl clap::builder::TypedValueParser<Value = crate::model::PluginType> {
    use clap::builder::{PossibleValuesParser, TypedValueParser as _};
    PossibleValuesParser::new(["HTTP", "NETWORK"])
        .map(|s| parse_plugin_type(&s).expect("a listed type"))
}

/// `--format` of the commands that print data: `human` (a table or a page; `table` is an alias),
/// `json` or `yaml`.
pub fn data_formats() -> impl clap::builder::TypedValueParser<Value = crate::present::DataFormat> {
    use crate::present::DataFormat;
    use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser as _};
    PossibleValuesParser::new([
        PossibleValue::new("human")
            .alias("table")
            .help("for people: a table or a page (`table` is an alias)"),
        PossibleValue::new("json").help("one JSON document"),
        PossibleValue::new("yaml").help("one YAML document"),
    ])
    .map(|s| match s.as_str() {
        "json" => DataFormat::Json,
        "yaml" => DataFormat::Yaml,
        _ => DataFormat::Table,
    })
}

/// `--format` of the commands that print findings: `human` (`table` is an alias), `json` or
/// `sarif`.
pub fn findings_formats() -> impl clap::builder::TypedValueParser<Value = crate::present::Format> {
    formats(true)
}

/// `--format` of the commands that print a report, not findings: `human` (`table` is an alias)
/// or `json`.
pub fn report_formats() -> impl clap::builder::TypedValueParser<Value = crate::present::Format> {
    formats(false)
}

fn formats(sarif: bool) -> impl clap::builder::TypedValueParser<Value = crate::present::Format> {
    use crate::present::Format;
    use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser as _};
    let mut values = vec![
        PossibleValue::new("human")
            .alias("table")
            .help("for people, on stderr (`table` is an alias)"),
        PossibleValue::new("json").help("one JSON document on stdout"),
    ];
    if sarif {
        values.push(PossibleValue::new("sarif").help("one SARIF 2.1.0 log on stdout"));
    }
    PossibleValuesParser::new(values).map(|s| match s.as_str() {
        "json" => Format::Json,
        "sarif" => Format::Sarif,
        _ => Format::Human,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn service_refs() {
        let r: ServiceRef = "bookinfo/productpage".parse().unwrap();
        assert_eq!(
            (r.namespace.as_str(), r.name.as_str()),
            ("bookinfo", "productpage")
        );
        assert!("bookinfo".parse::<ServiceRef>().is_err());
        assert!("Bookinfo/x".parse::<ServiceRef>().is_err());
        assert!("a/b/c".parse::<ServiceRef>().is_err());
    }

    #[test]
    fn labels_and_env() {
        let l = parse_labels("app=a, version=v1").unwrap();
        assert_eq!(l["version"], "v1");
        assert!(parse_labels("app").is_err());
        assert_eq!(parse_env("A=b=c").unwrap(), ("A".into(), "b=c".into()));
        assert!(parse_env("=x").is_err());
    }
}
