//! Pins and their precedence: the catalog's `sha256`, then `meshplug.lock`, then the url's own
//! `@sha256:` digest.

use crate::model::PluginVersion;
use crate::model::url::{ModuleUrl, OciRef};

/// Where pins come from besides the catalog: `meshplug.lock` (by url).
pub trait PinSource {
    /// The sha256 hex pinned for `url`, if any.
    fn pin(&self, url: &str) -> Option<String>;
}

/// No lock file.
pub struct NoPins;

impl PinSource for NoPins {
    fn pin(&self, _url: &str) -> Option<String> {
        None
    }
}

/// How a module version is pinned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pin {
    /// The sha256 hex that pins it: the catalog's, a [`PinSource`]'s, or the url's `@sha256:`.
    pub digest: Option<String>,
    /// What the manifest's `sha256` field gets: the digest, unless it is only the url's own
    /// (the url digest already pins the module).
    pub field: Option<String>,
}

/// The pin of `version`.
pub fn pin_of(version: &PluginVersion, pins: &dyn PinSource) -> Pin {
    let parsed = ModuleUrl::parse(&version.url);
    let url_digest = OciRef::parse(parsed.rest)
        .ok()
        .and_then(|r| r.digest_hex().map(str::to_owned))
        .filter(|_| parsed.scheme == Some("oci"));
    let digest = version
        .sha256
        .clone()
        .or_else(|| pins.pin(&version.url))
        .or(url_digest.clone());
    let field = digest
        .clone()
        .filter(|s| url_digest.as_deref() != Some(s.as_str()) || version.sha256.is_some());
    Pin { digest, field }
}
