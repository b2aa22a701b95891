//! Printing diagnostics: miette's graphical report for terminals, JSON and SARIF for CI.

use crate::diag::shown::{self, FINDINGS_PER_FILE, Redactions, Window};
use crate::diag::{Diagnostic, Severity};
use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteSpanContents, SourceSpan};
use std::fmt;

/// The findings of one print, as shown: at most [`FINDINGS_PER_FILE`] per file (in the order
/// given), with the credentials of all of them to mask.
pub(crate) struct Shown<'a> {
    /// The findings shown.
    pub diags: Vec<&'a Diagnostic>,
    /// Files with more findings than shown, and how many were left out, in order.
    pub omitted: Vec<(String, usize)>,
    /// What to mask.
    pub redactions: Redactions,
}

impl<'a> Shown<'a> {
    pub(crate) fn new(diags: &'a [Diagnostic]) -> Shown<'a> {
        let mut per_file: std::collections::HashMap<&str, usize> = Default::default();
        let mut shown = Vec::with_capacity(diags.len().min(1000));
        let mut omitted: Vec<(String, usize)> = Vec::new();
        for d in diags {
            let file = d.source.as_ref().map_or("", |s| s.path.as_str());
            let n = per_file.entry(file).or_default();
            *n += 1;
            if *n <= FINDINGS_PER_FILE {
                shown.push(d);
            } else if let Some(last) = omitted.iter_mut().find(|(f, _)| f == file) {
                last.1 += 1;
            } else {
                omitted.push((file.to_string(), 1));
            }
        }
        Shown {
            diags: shown,
            omitted,
            redactions: Redactions::of(diags),
        }
    }

    /// `… and N more findings in FILE` (or `… and N more findings` for those without a file).
    pub(crate) fn omitted_line(file: &str, n: usize) -> String {
        let what = if n == 1 { "finding" } else { "findings" };
        if file.is_empty() {
            format!("… and {} more {what}", shown::with_commas(n))
        } else {
            format!("… and {} more {what} in {file}", shown::with_commas(n))
        }
    }
}

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

    /// Render one diagnostic for people (masking only its own credentials).
    pub fn human(&self, d: &Diagnostic) -> String {
        self.human_with(d, &Redactions::of(std::slice::from_ref(d)))
    }

    fn human_with(&self, d: &Diagnostic, redactions: &Redactions) -> String {
        let theme = if self.color {
            GraphicalTheme::unicode()
        } else {
            GraphicalTheme::unicode_nocolor()
        };
        let mut out = String::new();
        let handler = GraphicalReportHandler::new_themed(theme)
            .with_width(100)
            .with_links(false)
            .with_context_lines(1);
        let _ = handler.render_report(&mut out, &Miette::new(d, redactions));
        out
    }

    /// All diagnostics as the JSON document `--format json` prints: at most
    /// [`FINDINGS_PER_FILE`] per file (`omitted` counts the rest), messages masked and cut.
    pub fn json(&self, diags: &[Diagnostic]) -> serde_json::Value {
        let shown = Shown::new(diags);
        let r = &shown.redactions;
        let items: Vec<serde_json::Value> = shown
            .diags
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
                    "message": r.shown(&d.message),
                    "help": d.help.as_deref().map(|h| r.shown(h)),
                })
            })
            .collect();
        let (errors, warnings) = counts(diags);
        let mut doc =
            serde_json::json!({ "diagnostics": items, "errors": errors, "warnings": warnings });
        if !shown.omitted.is_empty() {
            doc["omitted"] = shown
                .omitted
                .iter()
                .map(|(f, n)| {
                    serde_json::json!({
                        "file": (!f.is_empty()).then_some(f),
                        "findings": n,
                        "message": Shown::omitted_line(f, *n),
                    })
                })
                .collect();
        }
        doc
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
                let shown = Shown::new(diags);
                let mut err = String::new();
                let mut omitted = shown.omitted.iter().peekable();
                for (i, d) in shown.diags.iter().enumerate() {
                    err.push_str(&self.human_with(d, &shown.redactions));
                    // The count of a file's left-out findings follows its last shown one.
                    let file = d.source.as_ref().map_or("", |s| s.path.as_str());
                    let next = shown
                        .diags
                        .get(i + 1)
                        .map(|n| n.source.as_ref().map_or("", |s| s.path.as_str()));
                    if next != Some(file)
                        && let Some((f, n)) = omitted.peek()
                        && f == file
                    {
                        err.push_str(&Shown::omitted_line(f, *n));
                        err.push('\n');
                        omitted.next();
                    }
                }
                for (f, n) in omitted {
                    err.push_str(&Shown::omitted_line(f, *n));
                    err.push('\n');
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

/// Adapter from [`Diagnostic`] to miette's trait: message, help and label masked and cut, and
/// the snippet a [`Window`] of the file.
struct Miette<'a> {
    d: &'a Diagnostic,
    message: String,
    help: Option<String>,
    label: Option<String>,
    src: Option<Snippet>,
}

impl<'a> Miette<'a> {
    fn new(d: &'a Diagnostic, r: &Redactions) -> Miette<'a> {
        let src = match (&d.source, d.span) {
            (Some(s), Some(span)) if !s.text.is_empty() => Some(Snippet {
                name: s.path.clone(),
                window: shown::window(s, span, r),
            }),
            _ => None,
        };
        Miette {
            d,
            message: r.shown(&d.message),
            help: d.help.as_deref().map(|h| r.shown(h)),
            label: d
                .label
                .as_deref()
                .map(|l| r.shown(l))
                .filter(|l| !l.is_empty()),
            src,
        }
    }
}

/// The part of a file a snippet shows, with the file's line numbers.
struct Snippet {
    name: String,
    window: Window,
}

impl miette::SourceCode for Snippet {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        let w = &self.window;
        let data = w.text.as_bytes();
        if context_lines_before == 0 && context_lines_after == 0 {
            // The label itself: miette takes the header's line and column from it.
            let start = span.offset().min(data.len());
            let end = (start + span.len()).min(data.len());
            return Ok(Box::new(MietteSpanContents::new_named(
                self.name.clone(),
                &data[start..end],
                SourceSpan::new(start.into(), end - start),
                w.line,
                w.column,
                1,
            )));
        }
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            data,
            SourceSpan::new(0.into(), data.len()),
            w.first_line,
            0,
            w.line_count,
        )))
    }
}

impl fmt::Debug for Miette<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Display for Miette<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.d.source, self.d.span) {
            (Some(src), None) => write!(f, "{}: {}", src.path, self.message),
            (Some(src), Some(span)) if src.text.is_empty() => {
                let (l, c) = src.line_col(span.start as usize);
                write!(f, "{}:{l}:{c}: {}", src.path, self.message)
            }
            _ => f.write_str(&self.message),
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
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.src.as_ref().map(|s| s as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let (start, len) = self.src.as_ref()?.window.label;
        Some(Box::new(std::iter::once(LabeledSpan::new(
            self.label.clone(),
            start,
            len,
        ))))
    }
}
