//! Where each page lives in the output directory, relative to the site root. Names are DNS-1123
//! labels (the schemas require it), so they are safe as path segments; [`is_safe_segment`]
//! double-checks before anything is written.

/// The page of plugin `name`.
pub fn plugin(name: &str) -> String {
    format!("plugins/{name}.html")
}

/// The icon of plugin `name`.
pub fn icon(name: &str) -> String {
    format!("icons/{name}.svg")
}

/// The page of the service bound by `namespace/name`.
pub fn service(namespace: &str, name: &str) -> String {
    format!("services/{namespace}/{name}.html")
}

/// The traffic matrix of `cluster`.
pub fn cluster(cluster: &str) -> String {
    format!("traffic/{cluster}.html")
}

/// The prefix from a page at `path` back to the site root (`""`, `"../"`, `"../../"`).
pub fn to_root(path: &str) -> String {
    "../".repeat(path.matches('/').count())
}

/// Whether `segment` is a plain file name: ASCII letters, digits, `-`, `_`, `.`, not starting with
/// a dot.
pub fn is_safe_segment(segment: &str) -> bool {
    !segment.is_empty()
        && !segment.starts_with('.')
        && segment
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_roots_and_segments() {
        assert_eq!(to_root("index.html"), "");
        assert_eq!(to_root(&service("bookinfo", "reviews")), "../../");
        assert!(is_safe_segment("key-auth.html"));
        assert!(!is_safe_segment(".."));
        assert!(!is_safe_segment("a/b"));
        assert!(!is_safe_segment(""));
    }
}
