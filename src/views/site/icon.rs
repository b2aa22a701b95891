//! The initials icon of a plugin: two letters on a colour picked from the plugin's name.

use sha2::{Digest, Sha256};

/// Background colours with white text at a contrast ratio of at least 4.5:1.
const PALETTE: [&str; 8] = [
    "#1f5fa8", "#0f766e", "#7c3aed", "#b42318", "#9a3412", "#4d7c0f", "#be185d", "#334155",
];

/// Up to two initials of `title` (first letters of its first two words, or the first two
/// letters of a single word), upper-cased; the plugin `name` when the title has no letters.
pub fn initials(title: &str, name: &str) -> String {
    let words: Vec<Vec<char>> = title
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.chars().collect())
        .collect();
    let picked: String = match words.as_slice() {
        [] => name
            .chars()
            .filter(|c| c.is_alphanumeric())
            .take(2)
            .collect(),
        [one] => one.iter().take(2).collect(),
        [a, b, ..] => [a[0], b[0]].iter().collect(),
    };
    picked.to_uppercase()
}

/// The background colour of `name`'s icon.
pub fn colour(name: &str) -> &'static str {
    let hash = Sha256::digest(name.as_bytes());
    PALETTE[usize::from(hash[0]) % PALETTE.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn initials_of_titles() {
        assert_eq!(initials("Key Auth", "key-auth"), "KA");
        assert_eq!(initials("CORS", "cors"), "CO");
        assert_eq!(initials("AI Data Masking", "x"), "AD");
        assert_eq!(initials("  --  ", "jwt-auth"), "JW");
        assert_eq!(initials("认证", "x"), "认证");
        assert_eq!(colour("key-auth"), colour("key-auth"));
    }
}
