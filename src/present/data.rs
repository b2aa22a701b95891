//! Printing data (lists, pages, chains, status rows): a table for people, or JSON or YAML.

use serde::Serialize;

/// Output format of commands that print data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum DataFormat {
    /// A table (or page) for people.
    #[default]
    Table,
    /// One JSON document.
    Json,
    /// One YAML document.
    Yaml,
}

/// `value` as text in `format`; `table` renders the human form.
pub fn format_data<T: Serialize>(
    format: DataFormat,
    value: &T,
    table: impl FnOnce() -> String,
) -> String {
    match format {
        DataFormat::Table => table(),
        DataFormat::Json => {
            let mut s = serde_json::to_string_pretty(value).expect("data serializes to JSON");
            s.push('\n');
            s
        }
        DataFormat::Yaml => {
            let mut options = serde_saphyr::SerializerOptions::default();
            options.prefer_block_scalars = false;
            serde_saphyr::to_string_with_options(value, options).expect("data serializes to YAML")
        }
    }
}

/// ANSI styles, applied only when colour is on.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    /// Whether colour is on.
    pub color: bool,
}

impl Style {
    /// `s` in red.
    pub fn red(self, s: &str) -> String {
        self.paint("31", s)
    }

    /// `s` in green.
    pub fn green(self, s: &str) -> String {
        self.paint("32", s)
    }

    /// `s` in yellow.
    pub fn yellow(self, s: &str) -> String {
        self.paint("33", s)
    }

    /// `s` in bold.
    pub fn bold(self, s: &str) -> String {
        self.paint("1", s)
    }

    fn paint(self, code: &str, s: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
}
