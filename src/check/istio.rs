//! Istio facts the rules share that are not about attachment.

/// The minor version of an Istio version string like `1.27` or `1.27.3`.
pub fn istio_minor(v: &str) -> Option<u32> {
    v.strip_prefix("1.")?.split('.').next()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn istio_versions() {
        assert_eq!(istio_minor("1.27"), Some(27));
        assert_eq!(istio_minor("1.22.3"), Some(22));
        assert_eq!(istio_minor("2.0"), None);
        assert_eq!(istio_minor("1"), None);
    }
}
