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
