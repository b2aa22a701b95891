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

/// Docker Hub's registry name, as go-containerregistry resolves an unqualified reference.
pub const DOCKER_HUB: &str = "index.docker.io";
/// The other name of Docker Hub that references may spell (rewritten to [`DOCKER_HUB`]).
pub const DOCKER_HUB_ALIAS: &str = "docker.io";
/// The host that serves Docker Hub's registry API (what docker and crane connect to).
pub const DOCKER_HUB_API: &str = "registry-1.docker.io";
/// The tag a reference without tag or digest means.
pub const DEFAULT_TAG: &str = "latest";
/// Docker Hub's namespace for single-component repositories (`nginx` is `library/nginx`).
const OFFICIAL_NAMESPACE: &str = "library";
/// The longest repository path (distribution's `NameTotalLengthMax`, go-containerregistry's
/// repository limit).
const MAX_REPOSITORY: usize = 255;
/// The longest tag.
const MAX_TAG: usize = 128;

/// How strictly a reference is read, as go-containerregistry's `name` options: `Weak` (its
/// default, and what Istio's agent uses) fills in Docker Hub, `library/` and `latest`;
/// `Strict` requires the registry, the full repository path and a tag or digest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Validation {
    /// Defaults fill what is missing.
    #[default]
    Weak,
    /// Nothing may be left to a default.
    Strict,
}

/// The part of a reference an error is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefPart {
    /// The reference as a whole (empty, more than one `@`, ...).
    Reference,
    /// The registry host.
    Registry,
    /// The repository path.
    Repository,
    /// The tag.
    Tag,
    /// The digest.
    Digest,
}

/// Why a string is not an OCI reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefError {
    /// What is wrong.
    pub part: RefPart,
    /// A sentence saying why, naming the offending text.
    pub message: String,
}

impl std::fmt::Display for RefError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for RefError {}

fn err(part: RefPart, message: String) -> RefError {
    RefError { part, message }
}

/// An OCI image reference, read with the Docker reference grammar as go-containerregistry's
/// `name.ParseReference` applies it (the parser of Istio's agent):
/// `[registry[:port]/]repository[:tag][@algorithm:hex]`. The first path segment is the registry
/// only when it contains `.` or `:` or is `localhost`; otherwise the reference is on Docker Hub.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct OciRef {
    /// The registry as written, `None` when the reference has none.
    written_registry: Option<String>,
    /// The registry it resolves to (`index.docker.io` for Docker Hub).
    registry: String,
    /// The resolved repository path (`library/nginx` for Docker Hub's `nginx`).
    repository: String,
    tag: Option<String>,
    digest: Option<String>,
}

impl OciRef {
    /// Parse the part of an `oci://` url after the scheme, with weak validation (the default of
    /// go-containerregistry and Istio's agent).
    pub fn parse(rest: &str) -> Result<OciRef, RefError> {
        OciRef::parse_with(rest, Validation::Weak)
    }

    /// Parse `rest` with the given validation.
    pub fn parse_with(rest: &str, validation: Validation) -> Result<OciRef, RefError> {
        if rest.is_empty() {
            return Err(err(RefPart::Reference, "the reference is empty".into()));
        }
        if let Some(c) = rest.chars().find(|c| c.is_whitespace() || c.is_control()) {
            return Err(err(
                RefPart::Reference,
                format!("`{rest}` contains {c:?}, which no image reference may hold"),
            ));
        }
        let (name, digest) = match rest.split_once('@') {
            Some((_, d)) if d.contains('@') => {
                return Err(err(
                    RefPart::Reference,
                    format!("`{rest}` has more than one `@`; a digest is written once, at the end"),
                ));
            }
            Some((n, d)) => (n, Some(check_digest(d)?)),
            None => (rest, None),
        };
        // A `:` after the last `/` starts the tag; one before it is a registry port.
        let (path, tag) = match name.rsplit_once(':') {
            Some((p, t)) if !t.contains('/') => (p, Some(check_tag(name, t)?)),
            _ => (name, None),
        };
        let (written_registry, repo) = match path.split_once('/') {
            Some((first, repo))
                if first == "localhost" || first.contains('.') || first.contains(':') =>
            {
                (Some(check_registry(first)?), repo)
            }
            _ => (None, path),
        };
        check_repository(repo)?;
        let registry = match written_registry {
            None | Some(DOCKER_HUB_ALIAS) => DOCKER_HUB,
            Some(r) => r,
        };
        let implicit_namespace = registry == DOCKER_HUB && !repo.contains('/');
        if validation == Validation::Strict {
            if written_registry.is_none() {
                return Err(err(
                    RefPart::Registry,
                    format!("`{rest}` names no registry (strict validation requires one)"),
                ));
            }
            if implicit_namespace {
                return Err(err(
                    RefPart::Repository,
                    format!(
                        "`{rest}` leaves out Docker Hub's `library/` namespace (strict validation requires the full repository path)"
                    ),
                ));
            }
            if tag.is_none() && digest.is_none() {
                return Err(err(
                    RefPart::Tag,
                    format!("`{rest}` has no tag (strict validation requires a tag or digest)"),
                ));
            }
        }
        Ok(OciRef {
            written_registry: written_registry.map(str::to_owned),
            registry: registry.to_string(),
            repository: if implicit_namespace {
                format!("{OFFICIAL_NAMESPACE}/{repo}")
            } else {
                repo.to_string()
            },
            tag: tag.map(str::to_owned),
            digest: digest.map(str::to_owned),
        })
    }

    /// The registry as written in the reference, if it names one.
    pub fn written_registry(&self) -> Option<&str> {
        self.written_registry.as_deref()
    }

    /// The registry the reference resolves to: as written, `index.docker.io` for Docker Hub.
    pub fn registry(&self) -> &str {
        &self.registry
    }

    /// The resolved repository path inside the registry (`library/nginx` for `nginx`).
    pub fn repository(&self) -> &str {
        &self.repository
    }

    /// The tag, if written (`None` means [`DEFAULT_TAG`] when there is no digest either).
    pub fn tag(&self) -> Option<&str> {
        self.tag.as_deref()
    }

    /// The digest (`algorithm:hex`), if written.
    pub fn digest(&self) -> Option<&str> {
        self.digest.as_deref()
    }

    /// The hex of the digest (always sha256: other algorithms do not parse).
    pub fn digest_hex(&self) -> Option<&str> {
        self.digest().and_then(|d| d.strip_prefix("sha256:"))
    }

    /// What the registry is asked for: the digest, else the tag, else `latest`.
    pub fn reference(&self) -> &str {
        self.digest().or(self.tag()).unwrap_or(DEFAULT_TAG)
    }

    /// Whether the reference is on Docker Hub (written or by default).
    pub fn is_docker_hub(&self) -> bool {
        self.registry == DOCKER_HUB
    }

    /// Whether the reference is on Docker Hub only because it names no registry: its first
    /// segment (`acme` in `acme/hello:1.0`) may have been meant as a private host.
    pub fn docker_hub_by_default(&self) -> bool {
        self.written_registry.is_none()
    }

    /// The host (and port) to send registry API requests to: `registry-1.docker.io` for
    /// Docker Hub, as docker and crane do, else the registry.
    pub fn api_host(&self) -> &str {
        if self.is_docker_hub() {
            DOCKER_HUB_API
        } else {
            &self.registry
        }
    }

    /// The fully qualified reference: resolved registry and repository, the tag (`latest` when
    /// neither tag nor digest is written) and the digest.
    pub fn canonical(&self) -> String {
        let mut s = format!("{}/{}", self.registry, self.repository);
        match (&self.tag, &self.digest) {
            (Some(t), _) => {
                s.push(':');
                s.push_str(t);
            }
            (None, None) => {
                s.push(':');
                s.push_str(DEFAULT_TAG);
            }
            (None, Some(_)) => {}
        }
        if let Some(d) = &self.digest {
            s.push('@');
            s.push_str(d);
        }
        s
    }
}

/// The reference as written, with the repository resolved: `[registry/]repository[:tag][@digest]`.
/// Parsing it gives the same value.
impl std::fmt::Display for OciRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let Some(r) = &self.written_registry {
            write!(f, "{r}/")?;
        }
        f.write_str(&self.repository)?;
        if let Some(t) = &self.tag {
            write!(f, ":{t}")?;
        }
        if let Some(d) = &self.digest {
            write!(f, "@{d}")?;
        }
        Ok(())
    }
}

/// A registry: `host[:port]`, the host a DNS name (components of letters, digits and inner
/// `-`, joined by `.`) or a bracketed IPv6 address.
fn check_registry(host: &str) -> Result<&str, RefError> {
    let bad = |why: &str| {
        err(
            RefPart::Registry,
            format!("registry `{host}` is not a valid host[:port]: {why}"),
        )
    };
    let (name, port) = if let Some(inner) = host.strip_prefix('[') {
        let (addr, after) = inner
            .split_once(']')
            .ok_or_else(|| bad("`[` without `]`"))?;
        if addr.is_empty() || !addr.bytes().all(|b| b.is_ascii_hexdigit() || b == b':') {
            return Err(bad("not an IPv6 address between `[` and `]`"));
        }
        match after {
            "" => (None, None),
            p => (
                None,
                Some(
                    p.strip_prefix(':')
                        .ok_or_else(|| bad("text after `]` that is not a port"))?,
                ),
            ),
        }
    } else {
        match host.split_once(':') {
            Some((n, p)) => (Some(n), Some(p)),
            None => (Some(host), None),
        }
    };
    if let Some(p) = port
        && (p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(bad("the port must be digits"));
    }
    if let Some(n) = name {
        for c in n.split('.') {
            let ok = !c.is_empty()
                && c.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                && !c.starts_with('-')
                && !c.ends_with('-');
            if !ok {
                return Err(bad(
                    "each dot-separated part must be letters and digits, with `-` only inside",
                ));
            }
        }
    }
    Ok(host)
}

/// A repository path: `/`-separated components of lowercase letters and digits, joined inside
/// a component by `.`, `_`, `__` or any run of `-`.
fn check_repository(repo: &str) -> Result<(), RefError> {
    let bad = |why: String| err(RefPart::Repository, why);
    if repo.is_empty() {
        return Err(bad("the reference has no repository".into()));
    }
    if repo.len() > MAX_REPOSITORY {
        return Err(bad(format!(
            "repository `{repo}` is {} characters long; at most {MAX_REPOSITORY} are allowed",
            repo.len()
        )));
    }
    if repo.bytes().any(|b| b.is_ascii_uppercase()) {
        let first = repo.split('/').next().unwrap_or(repo);
        let hint = if repo.contains('/') && first.bytes().any(|b| b.is_ascii_uppercase()) {
            format!(
                "; `{first}` is read as part of the repository, not as a registry host (a host contains `.` or `:` or is `localhost`)"
            )
        } else {
            String::new()
        };
        return Err(bad(format!(
            "repository `{repo}` has uppercase letters, and repositories are lowercase (`{}`){hint}",
            repo.to_ascii_lowercase()
        )));
    }
    for c in repo.split('/') {
        if c.is_empty() {
            return Err(bad(format!(
                "repository `{repo}` has an empty path component (a leading, trailing or doubled `/`)"
            )));
        }
        if !path_component(c) {
            return Err(bad(format!(
                "repository component `{c}` is not lowercase letters and digits joined by `.`, `_`, `__` or `-`"
            )));
        }
    }
    Ok(())
}

/// `[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*`.
fn path_component(c: &str) -> bool {
    let alnum = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    let b = c.as_bytes();
    let mut i = 0;
    loop {
        let start = i;
        while i < b.len() && alnum(b[i]) {
            i += 1;
        }
        if i == start {
            return false;
        }
        if i == b.len() {
            return true;
        }
        let sep = i;
        while i < b.len() && !alnum(b[i]) {
            i += 1;
        }
        match &c[sep..i] {
            "." | "_" | "__" => {}
            s if s.bytes().all(|x| x == b'-') => {}
            _ => return false,
        }
    }
}

/// A tag: `[\w][\w.-]{0,127}`.
fn check_tag<'a>(name: &str, tag: &'a str) -> Result<&'a str, RefError> {
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    if tag.is_empty() {
        return Err(err(
            RefPart::Tag,
            format!("`{name}` has an empty tag after `:`"),
        ));
    }
    if tag.len() > MAX_TAG {
        return Err(err(
            RefPart::Tag,
            format!(
                "tag `{tag}` is {} characters long; at most {MAX_TAG} are allowed",
                tag.len()
            ),
        ));
    }
    let b = tag.as_bytes();
    if !word(b[0]) || !b.iter().all(|&c| word(c) || c == b'.' || c == b'-') {
        return Err(err(
            RefPart::Tag,
            format!(
                "tag `{tag}` must be letters, digits, `_`, `.` and `-`, not starting with `.` or `-`"
            ),
        ));
    }
    Ok(tag)
}

/// A digest Istio's agent can verify: `sha256:` and 64 lowercase hex characters (the grammar
/// allows other algorithms; go-containerregistry refuses them).
fn check_digest(d: &str) -> Result<&str, RefError> {
    match d.strip_prefix("sha256:") {
        Some(hex) if is_sha256_hex(hex) => Ok(d),
        _ => Err(err(
            RefPart::Digest,
            format!("digest `{d}` is not sha256:<64 lowercase hex>"),
        )),
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

    const HEX: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    /// (written registry, registry, repository, tag, digest, Docker Hub by default, API host).
    type Parts<'a> = (
        Option<&'a str>,
        &'a str,
        &'a str,
        Option<&'a str>,
        Option<&'a str>,
        bool,
        &'a str,
    );

    fn parts(r: &OciRef) -> Parts<'_> {
        (
            r.written_registry(),
            r.registry(),
            r.repository(),
            r.tag(),
            r.digest(),
            r.docker_hub_by_default(),
            r.api_host(),
        )
    }

    fn ok(s: &str) -> OciRef {
        OciRef::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    fn bad(s: &str) -> RefError {
        OciRef::parse(s).expect_err(s)
    }

    #[test]
    fn docker_hub_by_default() {
        let hub = "index.docker.io";
        let api = "registry-1.docker.io";
        let r = ok("acme/hello:1.0");
        assert_eq!(
            parts(&r),
            (None, hub, "acme/hello", Some("1.0"), None, true, api)
        );
        assert_eq!(r.canonical(), "index.docker.io/acme/hello:1.0");
        // The example of Istio's own WasmPlugin docs: `my-registry` is no host.
        let r = ok("my-registry/tetrate/hello-world:v1");
        assert_eq!(
            parts(&r),
            (
                None,
                hub,
                "my-registry/tetrate/hello-world",
                Some("v1"),
                None,
                true,
                api
            )
        );
        let r = ok("nginx");
        assert_eq!(
            parts(&r),
            (None, hub, "library/nginx", None, None, true, api)
        );
        assert_eq!(r.reference(), "latest");
        assert_eq!(r.canonical(), "index.docker.io/library/nginx:latest");
        assert_eq!(
            parts(&ok("a/b/c:tag")),
            (None, hub, "a/b/c", Some("tag"), None, true, api)
        );
    }

    #[test]
    fn docker_hub_by_name() {
        let r = ok("docker.io/nginx:1");
        assert_eq!(
            parts(&r),
            (
                Some("docker.io"),
                "index.docker.io",
                "library/nginx",
                Some("1"),
                None,
                false,
                "registry-1.docker.io"
            )
        );
        assert!(r.is_docker_hub());
        let r = ok("index.docker.io/acme/hello:2");
        assert_eq!(r.repository(), "acme/hello");
        assert!(r.is_docker_hub() && !r.docker_hub_by_default());
        // Not Docker Hub's name: no `library/`, and the host is talked to as written.
        let r = ok("registry-1.docker.io/nginx:1");
        assert_eq!(
            (r.repository(), r.api_host()),
            ("nginx", "registry-1.docker.io")
        );
    }

    #[test]
    fn registries() {
        let r = ok("localhost/x:1");
        assert_eq!(
            parts(&r),
            (
                Some("localhost"),
                "localhost",
                "x",
                Some("1"),
                None,
                false,
                "localhost"
            )
        );
        let r = ok("host:5000/x:1");
        assert_eq!(
            parts(&r),
            (
                Some("host:5000"),
                "host:5000",
                "x",
                Some("1"),
                None,
                false,
                "host:5000"
            )
        );
        let r = ok("localhost:5000/a/b:1.0");
        assert_eq!(
            (r.registry(), r.repository(), r.tag()),
            ("localhost:5000", "a/b", Some("1.0"))
        );
        let r = ok("ghcr.io/x/y");
        assert_eq!(
            (r.registry(), r.repository(), r.tag()),
            ("ghcr.io", "x/y", None)
        );
        assert_eq!(ok("[::1]:5000/x:1").registry(), "[::1]:5000");
        assert_eq!(ok("[::1]/x").registry(), "[::1]");
        assert_eq!(ok("127.0.0.1:9/p").api_host(), "127.0.0.1:9");
        assert_eq!(
            ok("Registry.Example.com/x:1").registry(),
            "Registry.Example.com"
        );
        // A port alone is a tag: `host:5000` is Docker Hub's `library/host`, tag 5000.
        let r = ok("host:5000");
        assert_eq!((r.repository(), r.tag()), ("library/host", Some("5000")));
        for s in [
            "-bad.example/x:1",
            "bad-.example/x:1",
            "a..b/x",
            "host:/x",
            "host:50a0/x",
            "[::1/x",
            "[zz:1]/x",
            "a..b/c",
            "[::1]x/y",
            "ex_ample.com/x",
        ] {
            assert_eq!(bad(s).part, RefPart::Registry, "{s}");
        }
    }

    #[test]
    fn repositories() {
        assert_eq!(
            ok("ghcr.io/a__b/c-d--e.f_g:1").repository(),
            "a__b/c-d--e.f_g"
        );
        let e = bad("UPPER/x:1");
        assert_eq!(e.part, RefPart::Repository);
        assert!(
            e.message.contains("uppercase") && e.message.contains("`upper/x`"),
            "{e}"
        );
        assert!(e.message.contains("not as a registry host"), "{e}");
        assert!(bad("ghcr.io/Acme/x").message.contains("uppercase"));
        for s in [
            "ghcr.io/x/",
            "acme/hello/",
            "ghcr.io//x",
            "/x",
            "ghcr.io/",
            "a___b",
            "ghcr.io/a..b",
            "_a/b",
            "a-/b",
            "a/b.",
            "ghcr.io/a%b",
            "ghcr.io/a+b:1",
        ] {
            assert_eq!(bad(s).part, RefPart::Repository, "{s}");
        }
        assert!(bad("ghcr.io/x/").message.contains("empty path component"));
        let long = format!("ghcr.io/{}", "a".repeat(256));
        assert_eq!(bad(&long).part, RefPart::Repository);
        assert!(OciRef::parse(&format!("ghcr.io/{}", "a".repeat(255))).is_ok());
    }

    #[test]
    fn tags() {
        let max = format!("ghcr.io/x:{}", "t".repeat(128));
        assert_eq!(ok(&max).tag().map(str::len), Some(128));
        let over = format!("ghcr.io/x:{}", "t".repeat(129));
        assert_eq!(bad(&over).part, RefPart::Tag);
        assert_eq!(ok("ghcr.io/x:V1.0_rc-1").tag(), Some("V1.0_rc-1"));
        assert_eq!(ok("ghcr.io/x:_x").tag(), Some("_x"));
        for s in [
            "h/r:",
            "ghcr.io/x:.1",
            "ghcr.io/x:-1",
            "ghcr.io/x:a+b",
            "ghcr.io/x:a:b",
        ] {
            assert!(OciRef::parse(s).is_err(), "{s}");
        }
        assert_eq!(bad("h/r:").part, RefPart::Tag);
    }

    #[test]
    fn digests() {
        let d = format!("sha256:{HEX}");
        let r = ok(&format!("ghcr.io/x/y@{d}"));
        assert_eq!(
            (r.tag(), r.digest(), r.digest_hex()),
            (None, Some(d.as_str()), Some(HEX))
        );
        assert_eq!(r.reference(), d);
        assert_eq!(r.canonical(), format!("ghcr.io/x/y@{d}"));
        let r = ok(&format!("localhost:5000/a/b:1.0@{d}"));
        assert_eq!(
            parts(&r),
            (
                Some("localhost:5000"),
                "localhost:5000",
                "a/b",
                Some("1.0"),
                Some(d.as_str()),
                false,
                "localhost:5000"
            )
        );
        assert_eq!(r.reference(), d, "the digest wins over the tag");
        let r = ok(&format!("nginx@{d}"));
        assert_eq!(
            (r.repository(), r.canonical()),
            (
                "library/nginx",
                format!("index.docker.io/library/nginx@{d}")
            )
        );
        for s in [
            "ghcr.io/x@sha256:abc".to_string(),
            format!("ghcr.io/x@sha256:{}", HEX.to_ascii_uppercase()),
            format!("ghcr.io/x@sha512:{HEX}{HEX}"),
            format!("ghcr.io/x@{HEX}"),
            "ghcr.io/x@".to_string(),
        ] {
            assert_eq!(bad(&s).part, RefPart::Digest, "{s}");
        }
        assert_eq!(bad(&format!("a@b@sha256:{HEX}")).part, RefPart::Reference);
    }

    #[test]
    fn whole_references() {
        for s in ["", " ", "ghcr.io/x y:1", "ghcr.io/x:1\n"] {
            assert!(OciRef::parse(s).is_err(), "{s:?}");
        }
        assert_eq!(bad("").part, RefPart::Reference);
    }

    #[test]
    fn strict_validation() {
        let strict = |s: &str| OciRef::parse_with(s, Validation::Strict);
        assert!(strict("ghcr.io/x/y:1").is_ok());
        assert!(strict(&format!("ghcr.io/x/y@sha256:{HEX}")).is_ok());
        assert!(strict("index.docker.io/library/nginx:1").is_ok());
        assert_eq!(strict("acme/hello:1").unwrap_err().part, RefPart::Registry);
        assert_eq!(
            strict("docker.io/nginx:1").unwrap_err().part,
            RefPart::Repository
        );
        assert_eq!(strict("ghcr.io/x/y").unwrap_err().part, RefPart::Tag);
        assert_eq!(Validation::default(), Validation::Weak);
    }

    mod roundtrip {
        use super::super::*;
        use proptest::prelude::*;

        fn component() -> impl Strategy<Value = String> {
            "[a-z0-9]{1,4}((\\.|_|__|-{1,2})[a-z0-9]{1,4}){0,2}"
        }

        fn reference() -> impl Strategy<Value = String> {
            let registry = prop_oneof![
                Just(String::new()),
                Just("docker.io/".to_string()),
                Just("index.docker.io/".to_string()),
                Just("localhost/".to_string()),
                "[a-z][a-z0-9-]{0,5}[a-z0-9](\\.[a-z]{2,3})?(:[0-9]{1,5})?/"
                    .prop_filter("a host needs `.` or `:`", |h| h.contains(['.', ':'])),
                Just("[::1]:5000/".to_string()),
            ];
            let tag = prop_oneof![Just(String::new()), ":[A-Za-z0-9_][A-Za-z0-9_.-]{0,20}"];
            let digest = prop_oneof![Just(String::new()), "@sha256:[0-9a-f]{64}"];
            (
                registry,
                proptest::collection::vec(component(), 1..4),
                tag,
                digest,
            )
                // Without a registry, a first component with a `.` would be read as one.
                .prop_filter("no host-like first component", |(r, c, _, _)| {
                    !r.is_empty() || !c[0].contains('.')
                })
                .prop_map(|(r, c, t, d)| format!("{r}{}{t}{d}", c.join("/")))
        }

        proptest! {
            #[test]
            fn formatting_then_parsing_gives_the_same_value(s in reference()) {
                let r = OciRef::parse(&s).unwrap();
                let again = OciRef::parse(&r.to_string()).unwrap();
                prop_assert_eq!(&again, &r);
                let canonical = OciRef::parse(&r.canonical()).unwrap();
                prop_assert_eq!(canonical.registry(), r.registry());
                prop_assert_eq!(canonical.repository(), r.repository());
                prop_assert_eq!(canonical.reference(), r.reference());
            }

            #[test]
            fn never_panics(s in "\\PC{0,40}") {
                let _ = OciRef::parse(&s);
            }
        }
    }

    #[test]
    fn redacts() {
        assert_eq!(redact("oci://u:p@h/r:t"), "oci://***@h/r:t");
        assert_eq!(redact("oci://h/r:t"), "oci://h/r:t");
    }
}
