//! JSON pointers (RFC 6901): escaping and unescaping one reference token.

/// `token` escaped for use as one segment of a JSON pointer (`~` → `~0`, `/` → `~1`).
pub fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// `token` as written in a JSON pointer, unescaped (`~1` → `/`, `~0` → `~`).
pub fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// `base` extended by the segment `token`.
pub fn join(base: &str, token: &str) -> String {
    format!("{base}/{}", escape(token))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        for t in ["a", "a/b", "~", "~1", "a~/b", ""] {
            assert_eq!(unescape(&escape(t)), t);
        }
        assert_eq!(join("/spec", "x/y~"), "/spec/x~1y~0");
    }
}
