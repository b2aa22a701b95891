//! MP033: plaintext credentials in pluginConfig.

use super::PLAINTEXT_SECRET;
use crate::check::Diagnostic;
use crate::load::Document;
use serde_json::Value;

/// Warn about every value under `at` (the pluginConfig) that looks like a credential.
pub fn check(doc: &Document, at: &str, config: &Value) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    walk(config, at, None, &mut |ptr, why| {
        out.push(
            doc.diag(&PLAINTEXT_SECRET, ptr, format!("pluginConfig holds what looks like a {why} in plain text"))
                .label("plaintext credential")
                .help("keep credentials out of git: set them with vmConfig env `valueFrom: HOST` from a Secret mounted into the proxy, or reference a Secret the plugin reads"),
        )
    });
    out
}

fn walk(v: &Value, ptr: &str, key: Option<&str>, report: &mut dyn FnMut(&str, &str)) {
    match v {
        Value::Object(map) => {
            for (k, child) in map {
                walk(
                    child,
                    &format!("{ptr}/{}", k.replace('~', "~0").replace('/', "~1")),
                    Some(k),
                    report,
                );
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                walk(child, &format!("{ptr}/{i}"), key, report);
            }
        }
        Value::String(s) => {
            if let Some(why) = looks_like_secret(key, s) {
                report(ptr, why);
            }
        }
        _ => {}
    }
}

/// Why `value` (under `key`) looks like a credential, or `None`.
pub fn looks_like_secret(key: Option<&str>, value: &str) -> Option<&'static str> {
    let value = value.trim();
    if value.is_empty()
        || value.starts_with("${")
        || value.starts_with("$(")
        || (value.starts_with('<') && value.ends_with('>'))
    {
        return None;
    }
    if let Some(k) = key {
        let norm: String = k
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        const WORDS: [&str; 10] = [
            "password",
            "passwd",
            "secret",
            "token",
            "apikey",
            "credential",
            "credentials",
            "privatekey",
            "accesskey",
            "secretkey",
        ];
        if WORDS.iter().any(|w| norm.ends_with(w)) && !norm.ends_with("header") {
            return Some("password, token or key");
        }
    }
    if is_user_pass(value) {
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

fn base64_decode(s: &str) -> Option<Vec<u8>> {
    let val = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    };
    let bytes = s.trim_end_matches('=').as_bytes();
    let mut out = Vec::with_capacity(bytes.len() * 3 / 4);
    for chunk in bytes.chunks(4) {
        let mut acc = 0u32;
        for (i, &c) in chunk.iter().enumerate() {
            acc |= val(c)? << (18 - 6 * i);
        }
        let n = chunk.len().saturating_sub(1);
        out.extend_from_slice(&acc.to_be_bytes()[1..1 + n]);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_credentials() {
        assert!(looks_like_secret(Some("password"), "hunter2").is_some());
        assert!(looks_like_secret(Some("client_secret"), "abc").is_some());
        assert!(looks_like_secret(None, "ok:test").is_some());
        assert!(looks_like_secret(None, "YWRtaW4zOmFkbWluMw==").is_some()); // admin3:admin3
    }

    #[test]
    fn ignores_ordinary_values() {
        assert!(looks_like_secret(Some("token_header"), "Authorization").is_none());
        assert!(looks_like_secret(None, "example.com:8080").is_none());
        assert!(looks_like_secret(None, "https://example.com/x").is_none());
        assert!(looks_like_secret(Some("password"), "${PASSWORD}").is_none());
        assert!(looks_like_secret(None, "/productpage").is_none());
    }
}
