//! Plain-text tables that fit a terminal width: columns sized to their content, with the flexible
//! columns shortened (ending in `…`) when the table would be too wide.

use unicode_width::UnicodeWidthStr;

/// The width every table is fitted to.
pub const WIDTH: usize = 100;

/// A table of text cells with a header row.
#[derive(Debug, Clone, Default)]
pub struct Table {
    headers: Vec<String>,
    rows: Vec<Vec<String>>,
    flexible: Vec<usize>,
    wrapped: Vec<usize>,
}

impl Table {
    /// A table with these column headers.
    pub fn new(headers: &[&str]) -> Table {
        Table {
            headers: headers.iter().map(|h| h.to_string()).collect(),
            rows: Vec::new(),
            flexible: Vec::new(),
            wrapped: Vec::new(),
        }
    }

    /// Columns (by index) that may be shortened to fit, most expendable first.
    pub fn flexible(mut self, columns: &[usize]) -> Table {
        self.flexible = columns.to_vec();
        self
    }

    /// Flexible columns whose text wraps onto more lines instead of being cut.
    pub fn wrap(mut self, columns: &[usize]) -> Table {
        self.wrapped = columns.to_vec();
        self
    }

    /// Add a row; missing cells are empty, extra cells are dropped.
    pub fn row(&mut self, cells: Vec<String>) {
        let mut cells = cells;
        cells.resize(self.headers.len(), String::new());
        self.rows.push(cells);
    }

    /// Number of rows (without the header).
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether there are no rows.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The table as lines of at most `width` columns (when the flexible columns allow it).
    pub fn render(&self, width: usize) -> String {
        self.render_with(width, |_, text| text.to_string())
    }

    /// Like [`Table::render`], with `paint(column, text)` applied to each body cell after layout
    /// (for colour: padding is computed on the plain text).
    pub fn render_with(&self, width: usize, paint: impl Fn(usize, &str) -> String) -> String {
        let n = self.headers.len();
        let mut widths: Vec<usize> = (0..n)
            .map(|c| {
                std::iter::once(&self.headers[c])
                    .chain(self.rows.iter().map(|r| &r[c]))
                    .map(|s| s.width())
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let total = |w: &[usize]| w.iter().sum::<usize>() + 2 * w.len().saturating_sub(1);
        for &c in &self.flexible {
            let excess = total(&widths).saturating_sub(width);
            if excess == 0 {
                break;
            }
            let floor = self.headers[c].width().max(8);
            widths[c] = widths[c].saturating_sub(excess).max(floor);
        }
        let mut out = String::new();
        for (r, row) in std::iter::once(&self.headers).chain(&self.rows).enumerate() {
            let cells: Vec<Vec<String>> = row
                .iter()
                .enumerate()
                .map(|(c, cell)| {
                    if self.wrapped.contains(&c) && r > 0 {
                        wrap(cell, widths[c])
                    } else {
                        vec![truncate(cell, widths[c])]
                    }
                })
                .collect();
            let height = cells.iter().map(Vec::len).max().unwrap_or(1);
            for h in 0..height {
                let mut line = String::new();
                for (c, lines) in cells.iter().enumerate() {
                    let text = lines.get(h).map_or("", String::as_str);
                    if r == 0 || text.is_empty() {
                        line.push_str(text);
                    } else {
                        line.push_str(&paint(c, text));
                    }
                    if c + 1 < n {
                        line.push_str(&" ".repeat(widths[c] - text.width() + 2));
                    }
                }
                out.push_str(line.trim_end());
                out.push('\n');
            }
        }
        out
    }
}

/// `s` word-wrapped to `width` display columns (a word longer than that is cut).
pub fn wrap(s: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in s.split_whitespace() {
        let word = truncate(word, width);
        if !line.is_empty() && line.width() + 1 + word.width() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(&word);
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// `s` cut to `width` display columns, ending in `…` when cut.
pub fn truncate(s: &str, width: usize) -> String {
    if s.width() <= width {
        return s.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for ch in s.chars() {
        let w = unicode_width::UnicodeWidthChar::width(ch).unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        used += w;
        out.push(ch);
    }
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fits_the_width_by_shortening_flexible_columns() {
        let mut t = Table::new(&["NAME", "DESCRIPTION"]).flexible(&[1]);
        t.row(vec!["a".into(), "x".repeat(200)]);
        let text = t.render(40);
        for line in text.lines() {
            assert!(line.width() <= 40, "{line:?}");
        }
        assert!(text.contains('…'));
    }

    #[test]
    fn wrapped_columns_continue_on_more_lines() {
        let mut t = Table::new(&["F", "DESCRIPTION"]).flexible(&[1]).wrap(&[1]);
        t.row(vec!["a".into(), "one two three four five six seven".into()]);
        let text = t.render(16);
        assert_eq!(
            text,
            "F  DESCRIPTION\na  one two three\n   four five six\n   seven\n"
        );
    }

    #[test]
    fn wide_characters_count_double() {
        let mut t = Table::new(&["T", "N"]);
        t.row(vec!["认证".into(), "1".into()]);
        t.row(vec!["ab".into(), "2".into()]);
        let text = t.render(100);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[1].width(), lines[2].width());
    }
}
