//! The CRD's CEL rule on `url`, as the API server evaluates it:
//! `isURL(self) ? url(self).getScheme() in [...] : (isURL("http://" + self) && ...)`.
//! Kubernetes' `isURL` and `url` use Go's `url.ParseRequestURI`; this module follows that parser
//! closely enough to agree on every url the CRD's fixtures and Istio's docs use.

/// Schemes the CRD accepts (`""` is a url that parses without one).
const ACCEPTED: [&str; 5] = ["", "http", "https", "oci", "file"];

/// Whether the API server's CEL rule accepts `url`.
pub fn cel_accepts(url: &str) -> bool {
    match request_uri_scheme(url) {
        Some(scheme) => ACCEPTED.contains(&scheme.as_str()),
        None => request_uri_scheme(&format!("http://{url}"))
            .is_some_and(|s| ACCEPTED.contains(&s.as_str())),
    }
}

/// The (lowercased) scheme of `s` when Go's `url.ParseRequestURI(s)` succeeds.
pub fn request_uri_scheme(s: &str) -> Option<String> {
    if s.is_empty() || s.bytes().any(|b| b < 0x20 || b == 0x7f) {
        return None;
    }
    let (scheme, rest) = scheme_of(s)?;
    let scheme = scheme.to_ascii_lowercase();
    let rest = match rest.strip_suffix('?') {
        Some(r) if rest.matches('?').count() == 1 => r,
        _ => rest.split_once('?').map_or(rest, |(r, _)| r),
    };
    if !rest.starts_with('/') {
        // A rootless path after a scheme is an opaque url; without a scheme it is no url.
        return (!scheme.is_empty()).then_some(scheme);
    }
    let path = if !scheme.is_empty() && rest.starts_with("//") {
        let after = &rest[2..];
        let (authority, path) = match after.find('/') {
            Some(i) => after.split_at(i),
            None => (after, ""),
        };
        if !authority_ok(authority) {
            return None;
        }
        path
    } else {
        rest
    };
    escapes_ok(path).then_some(scheme)
}

/// Why Go's `url.ParseRequestURI` fails on a url whose scheme is fine: a control character (a
/// trailing newline from a `|` block), a bad `%` escape, or a bad port. `None` when it parses
/// or the problem is the scheme itself.
pub fn parse_problem(s: &str) -> Option<String> {
    if let Some(c) = s.chars().find(|c| c.is_control()) {
        return Some(match c {
            '\n' if s.trim_end().len() < s.len() && !s.trim_end().contains('\n') => {
                "it ends with a newline (a `|` block scalar keeps it; use a plain or quoted scalar, or `|-`)".into()
            }
            c => format!("it contains the control character {:?}", c),
        });
    }
    let scheme = scheme_of(s).map(|(sc, _)| sc.to_ascii_lowercase());
    if scheme.as_deref().is_none_or(|sc| !ACCEPTED.contains(&sc)) {
        return None;
    }
    let b = s.as_bytes();
    for (i, &c) in b.iter().enumerate() {
        if c == b'%'
            && !(b.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                && b.get(i + 2).is_some_and(u8::is_ascii_hexdigit))
        {
            let bad: String = s[i..].chars().take(3).collect();
            return Some(format!(
                "`{bad}` is not a `%` escape (two hex digits must follow `%`)"
            ));
        }
    }
    if request_uri_scheme(s).is_none() && request_uri_scheme(&format!("http://{s}")).is_none() {
        return Some("its host or port is malformed".into());
    }
    None
}

/// Go's `getScheme`: `None` for "missing protocol scheme" (a leading `:`).
fn scheme_of(s: &str) -> Option<(&str, &str)> {
    for (i, c) in s.bytes().enumerate() {
        match c {
            b'a'..=b'z' | b'A'..=b'Z' => {}
            b'0'..=b'9' | b'+' | b'-' | b'.' if i > 0 => {}
            b':' if i == 0 => return None,
            b':' => return Some((&s[..i], &s[i + 1..])),
            _ => return Some(("", s)),
        }
    }
    Some(("", s))
}

fn authority_ok(authority: &str) -> bool {
    let (userinfo, host) = match authority.rfind('@') {
        Some(i) => (Some(&authority[..i]), &authority[i + 1..]),
        None => (None, authority),
    };
    if let Some(u) = userinfo {
        let valid = u
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-._:~!$&'()*+,;=%@".contains(c));
        if !valid || !escapes_ok(u) {
            return false;
        }
    }
    host_ok(host)
}

fn host_ok(host: &str) -> bool {
    let port = if host.starts_with('[') {
        match host.rfind(']') {
            Some(i) => &host[i + 1..],
            None => return false,
        }
    } else {
        host.rfind(':').map_or("", |i| &host[i..])
    };
    let port_ok =
        port.is_empty() || (port.starts_with(':') && port[1..].bytes().all(|b| b.is_ascii_digit()));
    let chars_ok = host
        .bytes()
        .all(|b| b >= 0x80 || b.is_ascii_alphanumeric() || b"-_.~!$&'()*+,;=:[]<>\"%".contains(&b));
    port_ok && chars_ok && escapes_ok(host)
}

/// Every `%` starts a two-digit hex escape.
fn escapes_ok(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            if i + 2 >= b.len() || !b[i + 1].is_ascii_hexdigit() || !b[i + 2].is_ascii_hexdigit() {
                return false;
            }
            i += 3;
        } else {
            i += 1;
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agrees_with_the_crd_fixtures_and_docs() {
        for ok in [
            "file:///opt/filters/openid.wasm",
            "http://test",
            "test",
            "oci://ghcr.io/a/b:1.0",
            "ghcr.io/org/p:1.0",
            "https://storage.example/x.wasm?v=1",
            "oci://localhost:5000/a/b@sha256:0123",
        ] {
            assert!(cel_accepts(ok), "{ok}");
        }
        for bad in [
            "#%blah$#@",
            "fake://example.com",
            "registry:5000/p:1.0",
            "oci://a/%zz",
        ] {
            assert!(!cel_accepts(bad), "{bad}");
        }
    }

    #[test]
    fn parse_problems_are_named() {
        assert!(
            parse_problem("oci://a/b:1\n")
                .unwrap()
                .contains("ends with a newline")
        );
        assert!(parse_problem("oci://a/%zz").unwrap().contains("`%zz`"));
        assert!(parse_problem("https://a/b%4").unwrap().contains("`%4`"));
        assert!(
            parse_problem("oci://a/b\tc")
                .unwrap()
                .contains("control character")
        );
        assert_eq!(parse_problem("fake://example.com"), None);
        assert_eq!(parse_problem("oci://a/b:1"), None);
    }
}
