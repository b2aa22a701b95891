//! Printing diagnostics: miette's graphical report for terminals, JSON and SARIF for CI.

use crate::diag::{Diagnostic, Severity};
use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource};
use std::fmt;

/// Output format of commands that print findings or data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// For people.
    Human,
    /// One JSON document on stdout.
    Json,
    /// One SARIF 2.1.0 log on stdout, for code scanning (commands that print findings).
    Sarif,
}

/// When to use colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    /// When stderr is a terminal and NO_COLOR is unset.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

impl ColorChoice {
    /// Whether to colour a stream: `Auto` colours terminals unless `NO_COLOR` is set (non-empty).
    pub fn enabled(self, is_terminal: bool) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && is_terminal
            }
        }
    }
}

/// Prints diagnostics in the chosen format.
pub struct Reporter {
    /// Output format.
    pub format: Format,
    /// Whether to use colour in human output.
    pub color: bool,
}

impl Reporter {
    /// A reporter; `Auto` colour follows the terminal and `NO_COLOR`.
    pub fn new(format: Format, color: ColorChoice) -> Reporter {
        use std::io::IsTerminal;
        let color = color.enabled(std::io::stderr().is_terminal());
        Reporter { format, color }
    }

    /// Render one diagnostic for people.
    pub fn human(&self, d: &Diagnostic) -> String {
        let theme = if self.color {
            GraphicalTheme::unicode()
        } else {
            GraphicalTheme::unicode_nocolor()
        };
        let mut out = String::new();
        let handler = GraphicalReportHandler::new_themed(theme)
            .with_width(100)
            .with_links(false);
        let _ = handler.render_report(&mut out, &Miette::new(d));
        out
    }

    /// All diagnostics as the JSON document `--format json` prints.
    pub fn json(&self, diags: &[Diagnostic]) -> serde_json::Value {
        let items: Vec<serde_json::Value> = diags
            .iter()
            .map(|d| {
                let (file, line, column) = d
                    .location()
                    .map_or((None, None, None), |(f, l, c)| (Some(f), Some(l), Some(c)));
                serde_json::json!({
                    "code": d.rule.code,
                    "rule": d.rule.name,
                    "severity": d.severity,
                    "file": file,
                    "line": line,
                    "column": column,
                    "message": d.message,
                    "help": d.help,
                })
            })
            .collect();
        let (errors, warnings) = counts(diags);
        serde_json::json!({ "diagnostics": items, "errors": errors, "warnings": warnings })
    }

    /// Print `diags` (stderr for people, stdout for JSON) and a summary line.
    pub fn print(&self, diags: &[Diagnostic], what: &str) {
        match self.format {
            Format::Json => println!(
                "{}",
                serde_json::to_string_pretty(&self.json(diags)).expect("json")
            ),
            Format::Sarif => println!(
                "{}",
                serde_json::to_string_pretty(&super::sarif::log(diags)).expect("json")
            ),
            Format::Human => {
                let mut err = String::new();
                for d in diags {
                    err.push_str(&self.human(d));
                }
                let (errors, warnings) = counts(diags);
                if errors + warnings > 0 {
                    err.push_str(&format!(
                        "{what}: {} and {}\n",
                        plural(errors, "error"),
                        plural(warnings, "warning")
                    ));
                }
                eprint!("{err}");
            }
        }
    }
}

/// (errors, warnings) in `diags`.
pub fn counts(diags: &[Diagnostic]) -> (usize, usize) {
    let errors = diags
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    (errors, diags.len() - errors)
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// Adapter from [`Diagnostic`] to miette's trait.
struct Miette<'a> {
    d: &'a Diagnostic,
    src: Option<NamedSource<String>>,
}

impl<'a> Miette<'a> {
    fn new(d: &'a Diagnostic) -> Miette<'a> {
        let src = match (&d.source, d.span) {
            (Some(s), Some(_)) if !s.text.is_empty() => {
                Some(NamedSource::new(s.path.clone(), s.text.clone()))
            }
            _ => None,
        };
        Miette { d, src }
    }
}

impl fmt::Debug for Miette<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.d.message)
    }
}

impl fmt::Display for Miette<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.d.source, self.d.span) {
            (Some(src), None) => write!(f, "{}: {}", src.path, self.d.message),
            (Some(src), Some(span)) if src.text.is_empty() => {
                let (l, c) = src.line_col(span.start as usize);
                write!(f, "{}:{l}:{c}: {}", src.path, self.d.message)
            }
            _ => f.write_str(&self.d.message),
        }
    }
}

impl std::error::Error for Miette<'_> {}

impl miette::Diagnostic for Miette<'_> {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(format!(
            "{}({})",
            self.d.rule.code, self.d.rule.name
        )))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.d.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.d
            .help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.src.as_ref().map(|s| s as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let (src, span) = (self.d.source.as_ref()?, self.d.span?);
        self.src.as_ref()?;
        let text = src.text.as_str();
        // Spans count bytes; widen them to whole characters (a span may start inside the
        // replacement character that stands for invalid UTF-8).
        let mut start = (span.start as usize).min(text.len());
        while !text.is_char_boundary(start) {
            start -= 1;
        }
        let mut end = start.saturating_add(span.len as usize).min(text.len());
        while !text.is_char_boundary(end) {
            end += 1;
        }
        // Keep labels on one line: a multi-line node is marked at its first line.
        let len = text[start..end].find('\n').unwrap_or(end - start);
        let label = self
            .d
            .label
            .clone()
            .or_else(|| Some(String::new()))
            .filter(|l| !l.is_empty());
        Some(Box::new(std::iter::once(LabeledSpan::new(
            label, start, len,
        ))))
    }
}
