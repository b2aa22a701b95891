//! MP033 plaintext-secret (check): pluginConfig holds no plaintext credentials (passwords, tokens,
//! keys, logins, passwords in urls, base64 of logins, Authorization values, JWTs, private keys),
//! and module urls hold no password (error).
//!
//! **Severity:** warning
//!
//! `pluginConfig` ends up verbatim in a WasmPlugin object that anyone who can read the namespace can
//! read, and in git history forever. meshplug warns about values that look like credentials: any
//! string under a key such as `password`, `secret`, `token`, `apiKey` or `credential` (or their
//! plurals); a password inside a url (`https://user:password@host`); `user:password` pairs under keys
//! about users or auth; base64 of such pairs (the HTTP basic-auth form) anywhere; and, whatever the
//! key, values shaped like credentials: `Basic ...`/`Bearer ...` header values, JSON Web Tokens, PEM
//! private keys and tokens with a well-known issuer prefix (`ghp_`, `glpat-`, `AKIA...`). Placeholders
//! such as `${VAR}`, `$(...)` and `<...>` are ignored, and so are keys that only name where a
//! credential is (`token_header`, `secret_name`). It is a warning because demo configurations
//! legitimately contain such values; keep real ones out of the repository, for example in a VM env var
//! that the proxy takes from its own environment (`valueFrom: HOST`), if the plugin can read its
//! credentials from there.
//!
//! A module url with a password (`https://user:password@host/plugin.wasm`) in a catalog entry is an
//! **error** under the same code: the url is copied into every WasmPlugin and into `meshplug.lock`.
//! `meshplug lock` takes registry credentials from the docker config, Istio from `imagePullSecret`.
//!
//! ```yaml bad file=bindings/shop/cart.yaml
//! apiVersion: meshplug.io/v1alpha1
//! kind: Binding
//! metadata:
//!   name: cart
//!   namespace: shop
//! spec:
//!   plugins:
//!   - plugin: key-auth
//!     pluginConfig:
//!       keys: [x-api-key]
//!       consumers:
//!       - name: mobile-app
//!         credential: 7f3c9a1e-mobile-app  # MP033
//! ```
//!
//! ```yaml good file=bindings/shop/cart.yaml
//! apiVersion: meshplug.io/v1alpha1
//! kind: Binding
//! metadata:
//!   name: cart
//!   namespace: shop
//! spec:
//!   plugins:
//!   - plugin: key-auth
//!     pluginConfig:
//!       keys: [x-api-key]
//!       consumers:
//!       - name: mobile-app
//!         credentialEnv: MOBILE_APP_KEY
//!     vmConfig:
//!       env:
//!       - name: MOBILE_APP_KEY
//!         valueFrom: HOST
//! ```

use crate::check::Context;
use crate::diag::rule::PLAINTEXT_SECRET;
use crate::diag::{Diagnostic, Places, Severity};
use serde_json::{Map, Value};

/// Every pluginConfig value that looks like a credential (catalog defaults and binding entries),
/// and every catalog url with a password.
pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (doc, at, v) in cx.versions() {
        if has_url_password(&v.url) {
            out.push(
                doc.diag(&PLAINTEXT_SECRET, &format!("{at}/url"), "the module url holds a password")
                    .masked()
                    .severity(Severity::Error)
                    .label("url with a password (masked here)")
                    .help("the url is copied into every WasmPlugin and into meshplug.lock: take the credentials out of it; `meshplug lock` reads them from the docker config (`docker login HOST`), Istio from `imagePullSecret`"),
            );
        }
    }
    for (doc, at, cfg) in cx.configs() {
        out.extend(config(doc, &at, cfg));
    }
}

/// Warn about every value under `at` (the pluginConfig) that looks like a credential. Shared
/// with `lint`.
pub fn config(doc: &impl Places, at: &str, config: &Map<String, Value>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    walk_map(config, at, &mut Vec::new(), &mut |ptr, why, value| {
        out.push(
            doc.diag(&PLAINTEXT_SECRET, ptr, format!("pluginConfig holds what looks like a {why} in plain text"))
                .masked()
                .secret(value)
                .label("plaintext credential (masked here)")
                .help("keep credentials out of git: set them with vmConfig env `valueFrom: HOST` from a Secret mounted into the proxy, or reference a Secret the plugin reads"),
        )
    });
    out
}

/// [`walk`] over every value of `map`, each under its key.
fn walk_map<'v>(
    map: &'v Map<String, Value>,
    ptr: &str,
    path: &mut Vec<Segment<'v>>,
    report: &mut dyn FnMut(&str, &str, &str),
) {
    for (k, child) in map {
        path.push(Segment::Key(k));
        walk(child, ptr, path, Some(k), report);
        path.pop();
    }
}

/// Visit every string under `v`; the JSON pointer of a hit is built only when one is found.
fn walk<'v>(
    v: &'v Value,
    ptr: &str,
    path: &mut Vec<Segment<'v>>,
    key: Option<&'v str>,
    report: &mut dyn FnMut(&str, &str, &str),
) {
    match v {
        Value::Object(map) => walk_map(map, ptr, path, report),
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                path.push(Segment::Index(i));
                walk(child, ptr, path, key, report);
                path.pop();
            }
        }
        Value::String(s) => {
            if let Some(why) = looks_like_secret(key, s) {
                let mut full = ptr.to_string();
                for seg in path.iter() {
                    match seg {
                        Segment::Key(k) => {
                            full.push('/');
                            full.push_str(&crate::diag::pointer::escape(k));
                        }
                        Segment::Index(i) => full.push_str(&format!("/{i}")),
                    }
                }
                report(&full, why, s);
            }
        }
        _ => {}
    }
}

/// One step of the path from the pluginConfig root.
enum Segment<'v> {
    Key(&'v str),
    Index(usize),
}

/// Key names (lowercase, alphanumerics only, singular) whose values are credentials.
const SECRET_KEYS: [&str; 10] = [
    "password",
    "passwd",
    "pwd",
    "secret",
    "token",
    "apikey",
    "credential",
    "privatekey",
    "accesskey",
    "secretkey",
];

/// Parts of key names under which a bare `name:word` value is likely a login.
const LOGIN_KEYS: [&str; 5] = ["user", "auth", "login", "basic", "account"];

/// Why `value` (under `key`) looks like a credential, or `None`.
pub fn looks_like_secret(key: Option<&str>, value: &str) -> Option<&'static str> {
    let value = value.trim();
    if value.is_empty() || is_placeholder(value) {
        return None;
    }
    let norm: String = key
        .unwrap_or_default()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase();
    let singular = norm.strip_suffix('s').unwrap_or(&norm);
    if !singular.ends_with("header") && SECRET_KEYS.iter().any(|w| singular.ends_with(w)) {
        return Some("password, token or key");
    }
    if has_url_password(value) {
        return Some("password inside a url");
    }
    if let Some(why) = token_shape(value) {
        return Some(why);
    }
    // `a:b` is everywhere (urns, host:port, header:value, label pairs); only under a key about
    // users or authentication is it probably a login.
    if LOGIN_KEYS.iter().any(|w| norm.contains(w)) && is_user_pass(value) {
        return Some("user:password pair");
    }
    if value.len() >= 8
        && value.len().is_multiple_of(4)
        && let Some(decoded) = base64_decode(value)
        && let Ok(text) = std::str::from_utf8(&decoded)
        && is_user_pass(text)
    {
        return Some("base64-encoded user:password pair");
    }
    None
}

/// Values that are credentials by their shape, whatever the key: an Authorization header value,
/// a JSON Web Token, a PEM private key, or a token with a well-known issuer prefix.
fn token_shape(value: &str) -> Option<&'static str> {
    if value.contains("-----BEGIN") && value.contains("PRIVATE KEY-----") {
        return Some("private key");
    }
    if let Some((scheme, rest)) = value.split_once(' ') {
        let rest = rest.trim();
        if ["basic", "bearer", "token"].contains(&scheme.to_ascii_lowercase().as_str())
            && rest.len() >= 8
            && !rest.contains(char::is_whitespace)
            && !is_placeholder(rest)
        {
            return Some("credential in an Authorization header value");
        }
    }
    if is_jwt(value) {
        return Some("JSON Web Token");
    }
    const PREFIXES: [&str; 8] = [
        "ghp_",
        "gho_",
        "ghs_",
        "github_pat_",
        "glpat-",
        "xoxb-",
        "xoxp-",
        "sk_live_",
    ];
    let aws_key_id = value.len() == 20
        && value.starts_with("AKIA")
        && value[4..]
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
    if aws_key_id
        || PREFIXES
            .iter()
            .any(|p| value.starts_with(p) && value.len() >= p.len() + 16)
    {
        return Some("access token");
    }
    None
}

/// `header.payload.signature`, each base64url, the header a JSON object (`eyJ` = `{"`).
fn is_jwt(s: &str) -> bool {
    let parts: Vec<&str> = s.split('.').collect();
    parts.len() == 3
        && parts[0].starts_with("eyJ")
        && parts[1].len() >= 4
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'=')
        })
}

fn is_placeholder(s: &str) -> bool {
    s.starts_with("${") || s.starts_with("$(") || (s.starts_with('<') && s.ends_with('>'))
}

/// `scheme://user:password@host...` with a password that is not a placeholder.
pub fn has_url_password(s: &str) -> bool {
    let Some((_, rest)) = s.split_once("://") else {
        return false;
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    authority
        .rsplit_once('@')
        .and_then(|(userinfo, _)| userinfo.split_once(':'))
        .is_some_and(|(_, pass)| !pass.is_empty() && !is_placeholder(pass))
}

fn is_user_pass(s: &str) -> bool {
    let Some((user, pass)) = s.split_once(':') else {
        return false;
    };
    !user.is_empty()
        && !pass.is_empty()
        && !pass.contains(':')
        && !pass.bytes().all(|b| b.is_ascii_digit())
        && user
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._-@".contains(&b))
        && pass.bytes().all(|b| b.is_ascii_graphic() && b != b'/')
}

/// Standard base64 (padding optional, trailing bits tolerated, as a lenient reader would).
fn base64_decode(s: &str) -> Option<Vec<u8>> {
    use base64::Engine as _;
    use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
    const LENIENT: GeneralPurpose = GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        GeneralPurposeConfig::new()
            .with_decode_padding_mode(DecodePaddingMode::Indifferent)
            .with_decode_allow_trailing_bits(true),
    );
    LENIENT.decode(s).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_credentials() {
        let found = |k: Option<&str>, v: &str| looks_like_secret(k, v);
        assert_eq!(
            found(Some("password"), "hunter2"),
            Some("password, token or key")
        );
        assert!(found(Some("client_secret"), "abc").is_some());
        assert!(found(Some("clientSecret"), "abc").is_some());
        assert!(found(Some("DB_PWD"), "abc").is_some());
        assert!(found(Some("apiKey"), "7f3c9a1e").is_some());
        // Plural keys hold lists of credentials; list items inherit the key.
        assert!(found(Some("api_keys"), "7f3c9a1e").is_some());
        assert!(found(Some("secrets"), "hunter22").is_some());
        assert!(found(Some("tokens"), "abc").is_some());
        assert!(found(Some("credentials"), "ok:test").is_some());
        // Logins under a key about users or auth.
        assert_eq!(
            found(Some("users"), "alice:wonderland"),
            Some("user:password pair")
        );
        assert!(found(Some("basic_auth"), "admin:s3cr3t").is_some());
        // Base64 of a login, whatever the key (the basic-auth header form).
        assert_eq!(
            found(None, "YWRtaW4zOmFkbWluMw=="), // admin3:admin3
            Some("base64-encoded user:password pair")
        );
        // A password in a url, whatever the key.
        assert_eq!(
            found(Some("backend"), "https://svc:s3cr3t@db.example.com/x"),
            Some("password inside a url")
        );
        assert!(found(None, "redis://:s3cr3t@cache:6379/0").is_some());
        // Credentials by their shape, whatever the key.
        assert_eq!(
            found(Some("header"), "Basic YWRtaW46czNjcjN0"),
            Some("credential in an Authorization header value")
        );
        assert!(found(Some("add_header"), "Bearer 0123456789abcdef").is_some());
        assert_eq!(
            found(
                None,
                "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJlLWJ5dGVz"
            ),
            Some("JSON Web Token")
        );
        assert_eq!(
            found(
                Some("tls"),
                "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg\n-----END PRIVATE KEY-----\n"
            ),
            Some("private key")
        );
        assert!(found(None, "ghp_0123456789abcdefghijABCDEFGHIJ").is_some());
        assert!(found(None, "AKIAIOSFODNN7EXAMPLE").is_some());
    }

    #[test]
    fn ignores_ordinary_values() {
        let clean = |k: Option<&str>, v: &str| {
            assert_eq!(looks_like_secret(k, v), None, "{k:?}: {v:?}");
        };
        clean(Some("token_header"), "Authorization");
        clean(Some("tokenHeaders"), "x-token");
        clean(Some("token_url"), "https://auth.example.com/token");
        clean(Some("secret_name"), "cart-pull-secret");
        clean(Some("credentialEnv"), "MOBILE_APP_KEY");
        clean(Some("keys"), "x-api-key");
        clean(Some("password"), "${PASSWORD}");
        clean(Some("password"), "$(cat /etc/pw)");
        clean(Some("password"), "<your password>");
        clean(Some("password"), "   ");
        // `a:b` that is not a login: urns, host:port, header:value, label pairs, times.
        clean(Some("audience"), "urn:shop-api");
        clean(Some("add_headers"), "x-powered-by:wasm");
        clean(Some("selector"), "app:cart");
        clean(Some("upstream"), "redis:6379");
        clean(Some("users"), "example.com:8080");
        clean(Some("auth_window"), "12:30");
        clean(None, "ok:test");
        // Urls: a user without a password, or a placeholder password.
        clean(Some("backend"), "https://example.com/x");
        clean(Some("backend"), "https://svc@db.example.com/x");
        clean(
            Some("backend"),
            "https://svc:${DB_PASSWORD}@db.example.com/x",
        );
        clean(Some("backend"), "https://db.example.com/login?next=a:b@c");
        clean(None, "/productpage");
        // Base64 that does not decode to a login.
        clean(None, "aGVsbG8gd29ybGQ="); // "hello world"
        // Words that only look like the start of a credential.
        clean(Some("message"), "Basic auth required");
        clean(Some("scheme"), "Bearer");
        clean(Some("header"), "Bearer ${TOKEN}");
        clean(Some("version"), "eyJ.x.y");
        clean(Some("cert"), "-----BEGIN CERTIFICATE-----");
        clean(Some("path"), "ghp_short");
    }
}
