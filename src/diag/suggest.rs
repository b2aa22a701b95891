//! Did-you-mean suggestions for misspelt names.

/// The closest of `candidates` to `word`, if it is close enough to be a likely typo.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let limit = (word.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .map(|c| {
            (
                strsim::levenshtein(&word.to_lowercase(), &c.to_lowercase()),
                c,
            )
        })
        .filter(|(d, _)| *d <= limit)
        .min()
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions() {
        assert_eq!(
            did_you_mean("key-atuh", ["key-auth", "jwt-auth"]),
            Some("key-auth")
        );
        assert_eq!(
            did_you_mean("pluginconfig", ["pluginConfig", "phase"]),
            Some("pluginConfig")
        );
        assert_eq!(did_you_mean("zzz", ["key-auth"]), None);
    }
}
