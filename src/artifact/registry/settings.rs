//! Which scheme and trust to use per registry host.

use crate::model::RegistryConfig;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Connection settings for a run.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Per-host settings (from `spec.registries` and the command line).
    pub hosts: Vec<RegistryConfig>,
    /// Extra CA files (PEM) to trust, besides the system's.
    pub ca_files: Vec<PathBuf>,
    /// Total deadline of the whole run.
    pub deadline: Duration,
    /// Attempts per request (1 = no retry).
    pub attempts: u32,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            hosts: Vec::new(),
            ca_files: Vec::new(),
            deadline: Duration::from_secs(300),
            attempts: 4,
        }
    }
}

/// Whether `host` (with optional port) is a loopback name or address.
pub fn is_loopback(host: &str) -> bool {
    let name = if let Some(rest) = host.strip_prefix('[') {
        rest.split(']').next().unwrap_or("")
    } else {
        host.rsplit_once(':').map_or(host, |(h, p)| {
            if p.chars().all(|c| c.is_ascii_digit()) {
                h
            } else {
                host
            }
        })
    };
    name.eq_ignore_ascii_case("localhost")
        || name
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// `host[:port]` of a url, as hosts are written in `spec.registries` (no port when it is the
/// scheme's default and the url does not spell it).
pub fn authority(url: &reqwest::Url) -> String {
    match (url.host_str(), url.port()) {
        (Some(h), Some(p)) => format!("{h}:{p}"),
        (Some(h), None) => h.to_string(),
        _ => String::new(),
    }
}

impl Settings {
    /// Settings from `spec.registries`; relative CA files are taken from `root`.
    pub fn from_config(registries: &[RegistryConfig], root: &Path) -> Settings {
        let mut s = Settings::default();
        for r in registries {
            let mut r = r.clone();
            if let Some(ca) = &r.ca_file {
                let p = root.join(ca);
                s.ca_files.push(p.clone());
                r.ca_file = Some(p.display().to_string());
            }
            s.hosts.push(r);
        }
        s
    }

    fn host(&self, host: &str) -> Option<&RegistryConfig> {
        self.hosts
            .iter()
            .find(|h| h.host.eq_ignore_ascii_case(host))
    }

    /// `http` or `https` for a registry host: https unless the host is listed as insecure, or is
    /// loopback and neither listed as secure nor given a CA file.
    pub fn registry_scheme(&self, host: &str) -> &'static str {
        match self.host(host) {
            Some(RegistryConfig {
                insecure: Some(true),
                ..
            }) => "http",
            Some(RegistryConfig {
                insecure: Some(false),
                ..
            })
            | Some(RegistryConfig {
                ca_file: Some(_), ..
            }) => "https",
            _ if is_loopback(host) => "http",
            _ => "https",
        }
    }

    /// Whether a plain-http url to `host` may be fetched.
    pub fn allows_http(&self, host: &str) -> bool {
        match self.host(host) {
            Some(h) => h.insecure == Some(true),
            None => is_loopback(host),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemes() {
        let cfg = |host: &str, insecure, ca: Option<&str>| RegistryConfig {
            host: host.into(),
            insecure,
            ca_file: ca.map(Into::into),
        };
        let s = Settings::from_config(
            &[
                cfg("lab:5000", Some(true), None),
                cfg("127.0.0.1:5443", None, Some("ca.crt")),
            ],
            Path::new("/repo"),
        );
        assert_eq!(s.registry_scheme("ghcr.io"), "https");
        assert_eq!(s.registry_scheme("lab:5000"), "http");
        assert_eq!(s.registry_scheme("localhost:5000"), "http");
        assert_eq!(s.registry_scheme("127.0.0.1:5443"), "https");
        assert_eq!(s.ca_files, [PathBuf::from("/repo/ca.crt")]);
        assert!(
            s.allows_http("[::1]:80") && !s.allows_http("example.com") && s.allows_http("lab:5000")
        );
        assert!(is_loopback("127.0.0.2") && !is_loopback("10.0.0.1:5000"));
    }
}
