//! What a run may show of the user's files: every echo of a value is cut to a readable length, a
//! snippet line to a window around its span, a file to [`FINDINGS_PER_FILE`] findings, and every
//! credential that a diagnostic marks ([`Diagnostic::masked`], MP033) is masked in every snippet
//! and every message of the run, whichever diagnostic shows it.
//!
//! Rules build messages from user values freely (``format!("no plugin `{name}`")``); the
//! presenters pass every message, help and label through [`Redactions::text`] and then
//! [`bound`], and build snippets with [`window`], so the bounds hold in one place.

use super::{Diagnostic, SourceFile, Span};
use std::collections::HashMap;

/// A quoted value or a word longer than this (in characters) is cut to this many.
pub const VALUE_CHARS: usize = 80;
/// A whole message (or help, or label) is cut to this many characters.
pub const MESSAGE_CHARS: usize = 1000;
/// And to this many lines.
pub const MESSAGE_LINES: usize = 12;
/// A snippet line longer than this (in characters) is shown as a window around the span.
pub const LINE_CHARS: usize = 160;
/// Characters of context kept on each side of the span in such a window.
pub const WINDOW_CONTEXT: usize = 40;
/// Findings shown per file; the rest are counted in one line.
pub const FINDINGS_PER_FILE: usize = 100;
/// Credentials shorter than this (in bytes) are masked in snippets but not searched for in
/// messages (a two-letter "password" would mask every word that contains it).
pub const MIN_SECRET_BYTES: usize = 4;
/// A stretch of a message this long that matches the start of a credential is masked even
/// when the rest differs (it is that credential, cut or changed).
const PARTIAL_SECRET_BYTES: usize = 64;

/// `n` with a comma every three digits: `5,242,880`.
pub fn with_commas(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The byte index after the first `n` characters of `s`, or `None` when `s` has at most `n`.
fn after_chars(s: &str, n: usize) -> Option<usize> {
    s.char_indices().nth(n).map(|(i, _)| i)
}

/// `inner` (the text between `open` and `close`, or a bare word when both are empty), cut to
/// [`VALUE_CHARS`] with `…` and its length when longer: `"aaaa…" (5,242,880 chars)`.
fn push_value(out: &mut String, open: &str, inner: &str, close: &str) {
    match after_chars(inner, VALUE_CHARS) {
        None => {
            out.push_str(open);
            out.push_str(inner);
            out.push_str(close);
        }
        Some(cut) => {
            out.push_str(open);
            out.push_str(&inner[..cut]);
            out.push('…');
            out.push_str(close);
            out.push_str(&format!(" ({} chars)", with_commas(inner.chars().count())));
        }
    }
}

/// Cut every whitespace-free run of `s` longer than [`VALUE_CHARS`].
fn push_words(out: &mut String, s: &str) {
    let mut rest = s;
    while !rest.is_empty() {
        let word_start = rest
            .find(|c: char| !c.is_whitespace())
            .unwrap_or(rest.len());
        out.push_str(&rest[..word_start]);
        rest = &rest[word_start..];
        let word_end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        push_value(out, "", &rest[..word_end], "");
        rest = &rest[word_end..];
    }
}

/// A message, help or label fit to print: values between backticks or double quotes, and
/// words, longer than [`VALUE_CHARS`] are cut, then the whole to [`MESSAGE_LINES`] lines and
/// [`MESSAGE_CHARS`] characters. Mask credentials first ([`Redactions::text`]): a cut credential
/// no longer matches.
pub fn bound(s: &str) -> String {
    let mut out = String::with_capacity(s.len().min(MESSAGE_CHARS * 2));
    let mut rest = s;
    while let Some(i) = rest.find(['`', '"']) {
        push_words(&mut out, &rest[..i]);
        let quote = &rest[i..i + 1];
        let after = &rest[i + 1..];
        match after.find(quote) {
            Some(j) => {
                push_value(&mut out, quote, &after[..j], quote);
                rest = &after[j + 1..];
            }
            None => {
                out.push_str(quote);
                rest = after;
            }
        }
        if out.len() > MESSAGE_CHARS * 8 {
            // The rest is cut below anyway; do not spend time on a huge message.
            rest = "";
            out.push('…');
        }
    }
    push_words(&mut out, rest);
    let mut lines = out.split_inclusive('\n');
    let kept: String = lines.by_ref().take(MESSAGE_LINES).collect();
    let more = lines.count();
    let mut out = if more > 0 {
        format!("{}… ({more} more lines)", kept.trim_end_matches('\n'))
    } else {
        kept
    };
    if let Some(cut) = after_chars(&out, MESSAGE_CHARS) {
        let total = out.chars().count();
        out.truncate(cut);
        out.push_str(&format!("… ({} chars in all)", with_commas(total)));
    }
    out
}

/// The credentials of a run: the byte ranges to mask per file, and the values to mask in text.
#[derive(Debug, Default)]
pub struct Redactions {
    /// Display path → sorted, merged byte ranges.
    spans: HashMap<String, Vec<(usize, usize)>>,
    /// Values (and their escaped forms) by their first [`MIN_SECRET_BYTES`] bytes, longest first.
    values: HashMap<Vec<u8>, Vec<String>>,
}

/// `span` widened to character boundaries of `text` and clamped to it.
pub fn char_range(text: &str, span: Span) -> (usize, usize) {
    let mut start = (span.start as usize).min(text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = start.saturating_add(span.len as usize).min(text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    (start, end)
}

impl Redactions {
    /// The credentials that `diags` mark, each masked in every diagnostic of `diags`.
    pub fn of(diags: &[Diagnostic]) -> Redactions {
        let mut r = Redactions::default();
        let mut values: Vec<String> = Vec::new();
        for d in diags.iter() {
            let Some(secrets) = &d.secrets else { continue };
            if let (Some(src), Some(span)) = (&d.source, d.span) {
                r.spans
                    .entry(src.path.clone())
                    .or_default()
                    .push(char_range(&src.text, span));
            }
            for v in secrets.iter() {
                let mut forms = vec![v.clone(), v.trim().to_string()];
                if let Ok(json) = serde_json::to_string(v) {
                    forms.push(json[1..json.len() - 1].to_string());
                }
                let debug = format!("{v:?}");
                forms.push(debug[1..debug.len() - 1].to_string());
                if v.contains('\n') {
                    forms.extend(v.lines().map(|l| l.trim().to_string()));
                }
                values.extend(forms.into_iter().filter(|f| f.len() >= MIN_SECRET_BYTES));
            }
        }
        for ranges in r.spans.values_mut() {
            ranges.sort_unstable();
            let mut merged: Vec<(usize, usize)> = Vec::with_capacity(ranges.len());
            for &(s, e) in ranges.iter() {
                match merged.last_mut() {
                    Some(last) if s <= last.1 => last.1 = last.1.max(e),
                    _ => merged.push((s, e)),
                }
            }
            *ranges = merged;
        }
        values.sort_unstable_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        values.dedup();
        for v in values {
            let key = v.as_bytes()[..MIN_SECRET_BYTES].to_vec();
            r.values.entry(key).or_default().push(v);
        }
        r
    }

    /// Whether nothing is masked.
    pub fn is_empty(&self) -> bool {
        self.spans.is_empty() && self.values.is_empty()
    }

    /// The masked byte ranges of the file `path` (sorted, disjoint).
    pub fn spans(&self, path: &str) -> &[(usize, usize)] {
        self.spans.get(path).map_or(&[], Vec::as_slice)
    }

    /// The byte ranges of `s` (at character boundaries) that hold a credential, in order.
    pub fn find(&self, s: &str) -> Vec<(usize, usize)> {
        let mut found = Vec::new();
        if self.values.is_empty() {
            return found;
        }
        let bytes = s.as_bytes();
        let mut i = 0;
        while i + MIN_SECRET_BYTES <= bytes.len() {
            if !s.is_char_boundary(i) {
                i += 1;
                continue;
            }
            let matched = self
                .values
                .get(&bytes[i..i + MIN_SECRET_BYTES])
                .and_then(|candidates| {
                    candidates.iter().find_map(|v| {
                        let common = v
                            .bytes()
                            .zip(bytes[i..].iter())
                            .take_while(|(a, b)| a == *b)
                            .count();
                        (common == v.len() || common >= PARTIAL_SECRET_BYTES).then_some(common)
                    })
                });
            match matched {
                Some(len) => {
                    let mut end = i + len;
                    while !s.is_char_boundary(end) {
                        end += 1;
                    }
                    found.push((i, end));
                    i = end;
                }
                None => i += 1,
            }
        }
        found
    }

    /// The longest credential, in bytes.
    fn longest(&self) -> usize {
        self.values
            .values()
            .filter_map(|v| v.first())
            .map(String::len)
            .max()
            .unwrap_or(0)
    }

    /// `s` with every credential replaced by `***`.
    pub fn text(&self, s: &str) -> String {
        let mut out = String::with_capacity(s.len());
        let mut copied = 0;
        for (start, end) in self.find(s) {
            out.push_str(&s[copied..start]);
            out.push_str("***");
            copied = end;
        }
        out.push_str(&s[copied..]);
        out
    }

    /// The ranges to star where `src[from..to]` is shown (within one line): the file's masked
    /// spans, and every copy of a credential there, also one that is only partly shown.
    fn masks(&self, src: &SourceFile, shown: &[(usize, usize)]) -> Vec<(usize, usize)> {
        let text = src.text.as_str();
        let mut masks = self.spans(&src.path).to_vec();
        let reach = self.longest().min(4096);
        for &(from, to) in shown {
            let line_start = text[..from].rfind('\n').map_or(0, |i| i + 1);
            let line_end = text[to..].find('\n').map_or(text.len(), |i| to + i);
            let mut a = from.saturating_sub(reach).max(line_start);
            while !text.is_char_boundary(a) {
                a -= 1;
            }
            let mut b = to.saturating_add(reach).min(line_end);
            while !text.is_char_boundary(b) {
                b += 1;
            }
            masks.extend(
                self.find(&text[a..b])
                    .into_iter()
                    .map(|(s, e)| (a + s, a + e)),
            );
        }
        masks.sort_unstable();
        masks
    }

    /// [`bound`] of `s` masked: how every message, help and label is printed.
    pub fn shown(&self, s: &str) -> String {
        bound(&self.text(s))
    }
}

/// A snippet fit to print: at most three lines (the span's and one on each side), each cut to
/// [`LINE_CHARS`] characters (the span's line to a window around the span), with the masked
/// ranges starred. Offsets are in `text`; line and column are the span's in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Window {
    /// The lines shown, joined with `\n`.
    pub text: String,
    /// 0-based number of its first line in the file.
    pub first_line: usize,
    /// Number of lines in `text`.
    pub line_count: usize,
    /// Where the label starts in `text`, and its length there (on one line).
    pub label: (usize, usize),
    /// 0-based line and column (in characters) of the span in the file.
    pub line: usize,
    /// See `line`.
    pub column: usize,
}

/// The window of `src` around `span`, with the credentials of `r` starred.
pub fn window(src: &SourceFile, span: Span, r: &Redactions) -> Window {
    let text = src.text.as_str();
    let (start, end) = char_range(text, span);
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    // A multi-line node is marked at its first line.
    let end = end.min(line_end);
    let (line, _) = src.line_col(start);
    let column = text[line_start..start].chars().count();

    // What is shown: (from, to, line end) of the line before, the span's line, the line after.
    let head = |from: usize, line_end: usize| {
        let to = after_chars(&text[from..line_end], LINE_CHARS).map_or(line_end, |c| from + c);
        (from, to, line_end)
    };
    let prev = (line_start > 0).then(|| {
        let prev_end = line_start - 1;
        head(text[..prev_end].rfind('\n').map_or(0, |i| i + 1), prev_end)
    });
    let next = (line_end + 1 < text.len()).then(|| {
        let next_start = line_end + 1;
        head(
            next_start,
            text[next_start..]
                .find('\n')
                .map_or(text.len(), |i| next_start + i),
        )
    });
    // The span's line: whole when short, else a window around the span's first characters.
    let (mut from, mut to) = (line_start, line_end);
    let visible_end = after_chars(&text[start..end], VALUE_CHARS).map_or(end, |c| start + c);
    if after_chars(&text[line_start..line_end], LINE_CHARS).is_some() {
        from = text[line_start..start]
            .char_indices()
            .rev()
            .nth(WINDOW_CONTEXT - 1)
            .map_or(line_start, |(i, _)| line_start + i);
        to = after_chars(&text[visible_end..line_end], WINDOW_CONTEXT)
            .map_or(line_end, |c| visible_end + c);
    }
    let shown: Vec<(usize, usize)> = prev
        .iter()
        .chain(next.iter())
        .map(|&(a, b, _)| (a, b))
        .chain([(from, to)])
        .collect();
    let masks = r.masks(src, &shown);

    let mut out = Window {
        text: String::new(),
        first_line: line - 1,
        line_count: 1,
        label: (0, 0),
        line: line - 1,
        column,
    };
    if let Some((a, b, e)) = prev {
        push_line(&mut out.text, text, a, b, e, &masks);
        out.text.push('\n');
        out.first_line -= 1;
        out.line_count += 1;
    }
    if from > line_start {
        out.text.push('…');
    }
    push_line(&mut out.text, text, from, start, start, &masks);
    let label_start = out.text.len();
    push_line(&mut out.text, text, start, visible_end, visible_end, &masks);
    out.label = (label_start, out.text.len() - label_start);
    push_line(&mut out.text, text, visible_end, to, line_end, &masks);
    if let Some((a, b, e)) = next {
        out.text.push('\n');
        push_line(&mut out.text, text, a, b, e, &masks);
        out.line_count += 1;
    }
    out
}

/// Push `text[from..to]` (within one line) with masked characters starred, and `…` when the
/// line goes on past `to` (up to `line_end`); a trailing `\r` is dropped.
fn push_line(
    out: &mut String,
    text: &str,
    from: usize,
    to: usize,
    line_end: usize,
    masks: &[(usize, usize)],
) {
    let first = masks.partition_point(|&(_, e)| e <= from);
    let masks = &masks[first..];
    for (i, c) in text[from..to].char_indices() {
        let at = from + i;
        if c == '\r' && at + 1 == line_end {
            continue;
        }
        if masks
            .iter()
            .take_while(|&&(s, _)| s < to)
            .any(|&(s, e)| s <= at && at < e)
        {
            out.push('*');
        } else {
            out.push(c);
        }
    }
    if to < line_end && !(to + 1 == line_end && text.as_bytes()[to] == b'\r') {
        out.push('…');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commas() {
        assert_eq!(with_commas(0), "0");
        assert_eq!(with_commas(999), "999");
        assert_eq!(with_commas(1000), "1,000");
        assert_eq!(with_commas(5_242_880), "5,242,880");
    }

    #[test]
    fn bound_cuts_quoted_values_words_and_the_whole() {
        let long = "a".repeat(5_242_880);
        let m = bound(&format!("no plugin `{long}` in the catalog"));
        assert_eq!(
            m,
            format!(
                "no plugin `{}…` (5,242,880 chars) in the catalog",
                "a".repeat(80)
            )
        );
        let m = bound(&format!("\"{long}\" is not a DNS-1123 label"));
        assert!(m.starts_with(&format!("\"{}…\" (5,242,880 chars) is", "a".repeat(80))));
        let m = bound(&format!("bare {long} word"));
        assert_eq!(
            m,
            format!("bare {}… (5,242,880 chars) word", "a".repeat(80))
        );
        assert_eq!(bound("short `x` stays"), "short `x` stays");
        let many = "word ".repeat(1000);
        let m = bound(&many);
        assert!(m.chars().count() < MESSAGE_CHARS + 40, "{m}");
        assert!(m.ends_with("… (5,000 chars in all)"), "{m}");
        let lines = "l\n".repeat(100);
        let m = bound(&lines);
        assert_eq!(m.lines().count(), MESSAGE_LINES);
        assert!(m.ends_with("… (88 more lines)"), "{m}");
        // Multi-byte characters are cut at a boundary.
        let m = bound(&"é".repeat(200));
        assert_eq!(m, format!("{}… (200 chars)", "é".repeat(80)));
    }

    fn file(text: &str) -> std::sync::Arc<SourceFile> {
        SourceFile::new("f.yaml", text.to_string())
    }

    /// Redactions that mask `ranges` of `src` (as MP033 findings would).
    fn masking(src: &std::sync::Arc<SourceFile>, ranges: &[(usize, usize)]) -> Redactions {
        let diags: Vec<Diagnostic> = ranges
            .iter()
            .map(|&(s, e)| {
                Diagnostic::new(&crate::diag::rule::PLAINTEXT_SECRET, "m")
                    .at(src, Span::new(s, e - s))
                    .masked()
            })
            .collect();
        Redactions::of(&diags)
    }

    #[test]
    fn window_of_a_short_line_is_the_three_lines() {
        let src = file("a: 1\nb: secret\nc: 3\n");
        let w = window(&src, Span::new(8, 6), &masking(&src, &[(8, 14)]));
        assert_eq!(w.text, "a: 1\nb: ******\nc: 3");
        assert_eq!((w.first_line, w.line_count, w.line, w.column), (0, 3, 1, 3));
        assert_eq!(&w.text[w.label.0..w.label.0 + w.label.1], "******");
    }

    #[test]
    fn window_of_a_long_line_is_around_the_span() {
        let text = format!("x: {}ERROR{}\n", "l".repeat(10_000), "r".repeat(10_000));
        let src = file(&text);
        let w = window(&src, Span::new(10_003, 5), &Redactions::default());
        assert_eq!(w.line_count, 1);
        assert_eq!(w.column, 10_003);
        assert_eq!(&w.text[w.label.0..w.label.0 + w.label.1], "ERROR");
        assert_eq!(
            w.text,
            format!(
                "…{}ERROR{}…",
                "l".repeat(WINDOW_CONTEXT),
                "r".repeat(WINDOW_CONTEXT)
            )
        );
        // A huge span shows its first characters only.
        let w = window(&src, Span::new(3, 20_005), &Redactions::default());
        assert_eq!(w.label.1, VALUE_CHARS);
        assert_eq!(
            w.text.chars().count(),
            "x: ".len() + VALUE_CHARS + WINDOW_CONTEXT + "…".chars().count()
        );
    }

    #[test]
    fn window_masks_neighbours_and_cuts_context_lines() {
        let text = format!("p: {}\nk: val\nq: tok\n", "z".repeat(500));
        let src = file(&text);
        let k = text.find("val").unwrap();
        let q = text.find("tok").unwrap();
        let w = window(&src, Span::new(k, 3), &masking(&src, &[(q, q + 3)]));
        assert_eq!(
            w.text,
            format!("p: {}…\nk: val\nq: ***", "z".repeat(LINE_CHARS - 3))
        );
        // A copy of a credential elsewhere in the file (not flagged there) is starred too.
        let src = file("a: hunter2!\nb: x\nc: say hunter2! twice\n");
        let w = window(&src, Span::new(15, 1), &masking(&src, &[(3, 11)]));
        assert_eq!(w.text, "a: ********\nb: x\nc: say ******** twice");
    }

    #[test]
    fn text_masks_every_form_and_partial_matches() {
        let r = Redactions {
            spans: HashMap::new(),
            values: HashMap::new(),
        };
        assert_eq!(r.text("nothing"), "nothing");
        let src = file("password: hunter2!\n");
        let d = Diagnostic::new(&crate::diag::rule::PLAINTEXT_SECRET, "m")
            .at(&src, Span::new(10, 8))
            .masked();
        let long = "s".repeat(200);
        let mut d2 = d.clone();
        d2.secrets = Some(vec![long.clone(), "with\"quote".into(), "ab".into()].into());
        let r = Redactions::of(&[d, d2]);
        assert_eq!(r.spans("f.yaml"), &[(10, 18)]);
        assert_eq!(r.text("got `hunter2!` and hunter2!."), "got `***` and ***.");
        assert_eq!(r.text("json \"with\\\"quote\""), "json \"***\"");
        assert_eq!(r.text("ab stays"), "ab stays");
        // A cut copy of a long credential is still masked.
        assert_eq!(r.text(&format!("x {}…", &long[..100])), "x ***…");
    }
}
