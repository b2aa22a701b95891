//! Present: diagnostics for people (miette snippets) and for machines (JSON), and small text helpers.

mod data;
mod report;
mod table;

pub use data::{DataFormat, Style, format_data};
pub use report::{ColorChoice, Format, Reporter, counts};
pub use table::{Table, WIDTH, truncate, wrap};

/// The closest of `candidates` to `word`, if it is close enough to be a likely typo.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let limit = (word.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .map(|c| (edit_distance(&word.to_lowercase(), &c.to_lowercase()), c))
        .filter(|(d, _)| *d <= limit)
        .min()
        .map(|(_, c)| c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
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
