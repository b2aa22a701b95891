//! Module urls: scheme detection and OCI reference parsing.

/// The schemes Istio accepts for a module.
pub const SCHEMES: [&str; 4] = ["oci", "https", "http", "file"];

/// A module url split into scheme and the rest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ModuleUrl<'a> {
    /// The scheme before `://`, if any.
    pub scheme: Option<&'a str>,
    /// Everything after `://` (the whole url when there is no scheme).
    pub rest: &'a str,
}

impl<'a> ModuleUrl<'a> {
    /// Split `url` at `://`.
    pub fn parse(url: &'a str) -> ModuleUrl<'a> {
        match url.split_once("://") {
            Some((scheme, rest)) => ModuleUrl {
                scheme: Some(scheme),
                rest,
            },
            None => ModuleUrl {
                scheme: None,
                rest: url,
            },
        }
    }

    /// Whether Istio fetches the module over the network (everything but `file://`).
    pub fn is_remote(&self) -> bool {
        self.scheme != Some("file")
    }
}

/// An OCI image reference: `host[:port]/repository[:tag][@sha256:hex]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OciRef<'a> {
    /// Registry host and optional port.
    pub host: &'a str,
    /// Repository path inside the registry.
    pub repository: &'a str,
    /// Tag, if any.
    pub tag: Option<&'a str>,
    /// Digest (`sha256:...`), if any.
    pub digest: Option<&'a str>,
}

impl<'a> OciRef<'a> {
    /// Parse the part of an `oci://` url after the scheme.
    pub fn parse(rest: &'a str) -> Result<OciRef<'a>, String> {
        let (name, digest) = match rest.split_once('@') {
            Some((n, d)) => (n, Some(d)),
            None => (rest, None),
        };
        let (host, path) = name
            .split_once('/')
            .ok_or_else(|| format!("`{rest}` has no repository: expected host/repository:tag"))?;
        if host.is_empty() || path.is_empty() {
            return Err(format!("`{rest}` needs a registry host and a repository"));
        }
        let last_slash = path.rfind('/').map_or(0, |i| i + 1);
        let (repository, tag) = match path[last_slash..].rfind(':') {
            Some(i) => (&path[..last_slash + i], Some(&path[last_slash + i + 1..])),
            None => (path, None),
        };
        if repository.is_empty() || tag == Some("") {
            return Err(format!("`{rest}` is not a valid image reference"));
        }
        if repository
            .chars()
            .any(|c| c.is_ascii_uppercase() || c.is_whitespace())
        {
            return Err(format!(
                "repository `{repository}` must be lowercase without spaces"
            ));
        }
        Ok(OciRef {
            host,
            repository,
            tag,
            digest,
        })
    }

    /// The hex of a `sha256:` digest in the reference.
    pub fn digest_hex(&self) -> Option<&'a str> {
        self.digest.and_then(|d| d.strip_prefix("sha256:"))
    }
}

/// Whether `s` is 64 lowercase hex characters.
pub fn is_sha256_hex(s: &str) -> bool {
    s.len() == 64
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// `url` without a `user:password@` part.
pub fn redact(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("", url));
    let authority_end = rest.find('/').unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => {
            let sep = if scheme.is_empty() { "" } else { "://" };
            format!("{scheme}{sep}***@{}", &rest[at + 1..])
        }
        None => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oci_refs() {
        let r = OciRef::parse("localhost:5000/a/b:1.0@sha256:abc").unwrap();
        assert_eq!(
            (r.host, r.repository, r.tag, r.digest),
            ("localhost:5000", "a/b", Some("1.0"), Some("sha256:abc"))
        );
        let r = OciRef::parse("ghcr.io/x/y").unwrap();
        assert_eq!((r.repository, r.tag), ("x/y", None));
        assert!(OciRef::parse("justname").is_err());
        assert!(OciRef::parse("h/r:").is_err());
    }
}
