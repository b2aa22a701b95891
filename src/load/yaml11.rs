//! YAML 1.1 plain scalars as kubectl reads them: sigs.k8s.io/yaml decodes with go-yaml v2,
//! whose resolver turns `yes`/`no`/`on`/`off`/`y`/`n` into booleans, `010` into octal 8,
//! `0x1F` into hex, `0b1010` into binary and drops `_` from numbers. meshplug parses YAML 1.2
//! ([`super::parse`]); [`reresolve`] rewrites a parsed document's plain scalars the go-yaml v2
//! way, and [`is_plain`] tells a plain scalar from a quoted, block or tagged one.

use super::Document;
use crate::diag::{Children, Span, SpanTree};
use serde_json::{Number, Value};

/// What go-yaml v2 makes of a plain (unquoted, untagged) scalar.
#[derive(Debug, Clone, PartialEq)]
pub enum Scalar {
    /// `~`, `null`, `Null`, `NULL` or nothing.
    Null,
    /// A YAML 1.1 boolean.
    Bool(bool),
    /// An integer (decimal, `0` octal, `0x`, `0o`, `0b`, with `_` ignored).
    Int(i64),
    /// An integer above `i64::MAX`.
    UInt(u64),
    /// A float (`.nan` and the infinities included).
    Float(f64),
    /// Anything else: the scalar is a string.
    Str,
}

/// go-yaml v2's boolean spellings (exactly these: `yEs` is a string).
const TRUE: [&str; 11] = [
    "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON",
];
const FALSE: [&str; 11] = [
    "n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF",
];

/// The boolean a YAML 1.1 reader sees in the plain scalar `s`, if any.
pub fn bool_word(s: &str) -> Option<bool> {
    if TRUE.contains(&s) {
        Some(true)
    } else if FALSE.contains(&s) {
        Some(false)
    } else {
        None
    }
}

/// Resolve the plain scalar `s` as go-yaml v2 does (`resolve.go`, tag `""`).
pub fn resolve(s: &str) -> Scalar {
    if let Some(b) = bool_word(s) {
        return Scalar::Bool(b);
    }
    match s {
        "" | "~" | "null" | "Null" | "NULL" => return Scalar::Null,
        ".nan" | ".NaN" | ".NAN" => return Scalar::Float(f64::NAN),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return Scalar::Float(f64::INFINITY);
        }
        "-.inf" | "-.Inf" | "-.INF" => return Scalar::Float(f64::NEG_INFINITY),
        _ => {}
    }
    match s.as_bytes()[0] {
        b'.' => go_float(s).map_or(Scalar::Str, Scalar::Float),
        b'0'..=b'9' | b'+' | b'-' => {
            // Timestamps (`2001-12-14`) stay strings when decoded into an untyped value.
            if is_timestamp_like(s) {
                return Scalar::Str;
            }
            let plain: String = s.chars().filter(|&c| c != '_').collect();
            if let Some(v) = go_int(&plain) {
                return v;
            }
            if float_syntax(&plain)
                && let Some(f) = go_float(&plain)
            {
                return Scalar::Float(f);
            }
            Scalar::Str
        }
        _ => Scalar::Str,
    }
}

/// go-yaml's quick timestamp test: four digits and a `-`, then one of its layouts. Only the
/// date-only layout is checked fully; anything else with that start is not a number either.
fn is_timestamp_like(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() > 4 && b[..4].iter().all(u8::is_ascii_digit) && b[4] == b'-'
}

/// Go's `strconv.ParseInt(s, 0, 64)`, then `ParseUint(s, 0, 64)` (`_` already removed).
fn go_int(s: &str) -> Option<Scalar> {
    let (neg, body) = match s.as_bytes().first()? {
        b'+' => (false, &s[1..]),
        b'-' => (true, &s[1..]),
        _ => (false, s),
    };
    let (radix, digits) =
        if let Some(r) = body.strip_prefix("0x").or_else(|| body.strip_prefix("0X")) {
            (16, r)
        } else if let Some(r) = body.strip_prefix("0b").or_else(|| body.strip_prefix("0B")) {
            (2, r)
        } else if let Some(r) = body.strip_prefix("0o").or_else(|| body.strip_prefix("0O")) {
            (8, r)
        } else if body.len() > 1 && body.starts_with('0') {
            (8, &body[1..])
        } else {
            (10, body)
        };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let magnitude = u64::from_str_radix(digits, radix).ok()?;
    if neg {
        if magnitude <= i64::MAX as u64 + 1 {
            return Some(Scalar::Int((magnitude as i64).wrapping_neg()));
        }
        return None;
    }
    Some(match i64::try_from(magnitude) {
        Ok(v) => Scalar::Int(v),
        // `ParseUint` does not take a sign: `+18446744073709551615` is not an integer.
        Err(_) if s.starts_with('+') => return None,
        Err(_) => Scalar::UInt(magnitude),
    })
}

/// `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`
fn float_syntax(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = usize::from(matches!(b.first(), Some(b'+' | b'-')));
    let digits = |i: &mut usize| {
        let start = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i - start
    };
    if b.get(i) == Some(&b'.') {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    } else {
        if digits(&mut i) == 0 {
            return false;
        }
        if b.get(i) == Some(&b'.') {
            i += 1;
            digits(&mut i);
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

/// Go's `strconv.ParseFloat(s, 64)` for the decimal forms the resolver passes it: out of range
/// (`1e400`) is an error, and the scalar stays a string.
fn go_float(s: &str) -> Option<f64> {
    if !s
        .bytes()
        .all(|c| c.is_ascii_digit() || b".eE+-".contains(&c))
    {
        return None;
    }
    let f: f64 = s.parse().ok()?;
    f.is_finite().then_some(f)
}

/// The text of the scalar at `span` when it is plain: not quoted, not a block scalar (`|`, `>`),
/// not tagged (`!!str`), not an alias, and on one line.
pub fn is_plain(text: &str, span: Span) -> Option<&str> {
    let start = span.start as usize;
    let raw = text.get(start..start + span.len as usize)?;
    let first = raw.bytes().next();
    // An empty value (`key:` with nothing after it) has an empty span.
    if matches!(first, Some(b'"' | b'\'' | b'|' | b'>' | b'!' | b'*')) || raw.contains('\n') {
        return None;
    }
    // A tag just before the scalar (`!!str 1`) makes it not plain either (an anchor does not).
    let before = text[..start].trim_end_matches([' ', '\t']);
    let last_word = before
        .rsplit(|c: char| c.is_whitespace() || c == ':' || c == '[' || c == '{' || c == ',')
        .next()
        .unwrap_or("");
    if last_word.starts_with('!') {
        return None;
    }
    Some(raw.trim_end())
}

/// A plain scalar whose YAML 1.1 value differs from the YAML 1.2 one.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// JSON pointer of the value.
    pub pointer: String,
    /// The scalar as written.
    pub text: String,
    /// The value as meshplug read it (YAML 1.2).
    pub was: Value,
    /// The value as kubectl reads it (YAML 1.1), `None` when it cannot be JSON (`.nan`).
    pub now: Option<Value>,
}

fn to_json(s: &Scalar, text: &str) -> Option<Value> {
    Some(match s {
        Scalar::Null => Value::Null,
        Scalar::Bool(b) => Value::Bool(*b),
        Scalar::Int(i) => Value::from(*i),
        Scalar::UInt(u) => Value::from(*u),
        Scalar::Float(f) => Value::Number(Number::from_f64(*f)?),
        Scalar::Str => Value::String(text.to_owned()),
    })
}

/// The plain scalars of `value` (with places `spans`) whose YAML 1.1 reading differs from the
/// YAML 1.2 one, without changing anything.
pub fn changes(text: &str, value: &Value, spans: &SpanTree) -> Vec<Change> {
    let mut out = Vec::new();
    walk(text, value, spans, String::new(), &mut out);
    out
}

fn walk(text: &str, value: &Value, spans: &SpanTree, at: String, out: &mut Vec<Change>) {
    match (value, &spans.children) {
        (Value::Object(map), Children::Map(entries)) => {
            for (key, _, tree) in entries {
                if let Some(v) = map.get(&**key) {
                    let p = format!("{at}/{}", crate::diag::pointer::escape(key));
                    walk(text, v, tree, p, out);
                }
            }
        }
        (Value::Array(items), Children::Seq(trees)) => {
            for (i, (v, t)) in items.iter().zip(trees).enumerate() {
                walk(text, v, t, format!("{at}/{i}"), out);
            }
        }
        (Value::Object(_) | Value::Array(_), _) => {}
        (scalar, _) => {
            // `key:` with nothing after it is null in both readings.
            if scalar.is_null() && spans.span.len == 0 {
                return;
            }
            let Some(raw) = is_plain(text, spans.span) else {
                return;
            };
            let resolved = resolve(raw);
            let now = to_json(&resolved, raw);
            let same = match (&now, scalar) {
                (Some(Value::Number(a)), Value::Number(b)) => a.as_f64() == b.as_f64(),
                (Some(n), s) => n == s,
                (None, _) => false,
            };
            if !same {
                out.push(Change {
                    pointer: at,
                    text: raw.to_owned(),
                    was: scalar.clone(),
                    now,
                });
            }
        }
    }
}

/// Rewrite `doc`'s value as kubectl reads it: every plain scalar resolved the YAML 1.1 way.
/// Returns what changed; a change with `now: None` (`.nan`, `.inf`) leaves the value alone.
/// Plain keys that resolve to a boolean or an integer get the string sigs.k8s.io/yaml makes of
/// them (`on:` is the key `"true"`, `010:` is `"8"`), in the value and the span tree.
pub fn reresolve(doc: &mut Document) -> Vec<Change> {
    let found = changes(&doc.source.text, &doc.value, &doc.spans);
    for c in &found {
        if let (Some(now), Some(slot)) = (&c.now, doc.value.pointer_mut(&c.pointer)) {
            *slot = now.clone();
        }
    }
    rekey(&doc.source.text, &mut doc.value, &mut doc.spans);
    found
}

/// The JSON key sigs.k8s.io/yaml makes of a plain key, when it differs from its text.
fn key_string(raw: &str) -> Option<String> {
    match resolve(raw) {
        Scalar::Bool(b) => Some(b.to_string()),
        Scalar::Int(i) => Some(i.to_string()).filter(|s| s != raw),
        _ => None,
    }
}

fn rekey(text: &str, value: &mut Value, spans: &mut SpanTree) {
    match (value, &mut spans.children) {
        (Value::Object(map), Children::Map(entries)) => {
            for (key, key_span, tree) in entries.iter_mut() {
                if let Some(v) = map.get_mut(&**key) {
                    rekey(text, v, tree);
                }
                let Some(new) = is_plain(text, *key_span).and_then(key_string) else {
                    continue;
                };
                if map.contains_key(&new) {
                    continue;
                }
                if let Some(v) = map.remove(&**key) {
                    map.insert(new.clone(), v);
                    *key = new.into_boxed_str();
                }
            }
        }
        (Value::Array(items), Children::Seq(trees)) => {
            for (v, t) in items.iter_mut().zip(trees.iter_mut()) {
                rekey(text, v, t);
            }
        }
        _ => {}
    }
}

/// Replace every whole-number float by that integer, as the API server stores it (Go decodes
/// `10.0` into a float64 and encodes it back as `10`); floats beyond the `i64` range stay.
pub fn whole_floats_to_ints(v: &mut Value) {
    match v {
        Value::Number(n) if n.is_f64() => {
            if let Some(f) = n.as_f64()
                && f.fract() == 0.0
                && f >= i64::MIN as f64
                && f < i64::MAX as f64
            {
                *v = Value::from(f as i64);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(whole_floats_to_ints),
        Value::Object(map) => map.values_mut().for_each(whole_floats_to_ints),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::SourceFile;
    use serde_json::json;

    #[test]
    fn every_boolean_spelling_of_go_yaml_v2() {
        for t in TRUE {
            assert_eq!(resolve(t), Scalar::Bool(true), "{t}");
        }
        for f in FALSE {
            assert_eq!(resolve(f), Scalar::Bool(false), "{f}");
        }
        // Other case mixes, and words YAML 1.1's spec lists but go-yaml does not, are strings.
        for s in [
            "yEs", "oN", "oFF", "nO", "tRUE", "fALSE", "Y.", "yes!", "enabled", "t", "f",
        ] {
            assert_eq!(resolve(s), Scalar::Str, "{s}");
        }
    }

    #[test]
    fn nulls_and_special_floats() {
        for s in ["", "~", "null", "Null", "NULL"] {
            assert_eq!(resolve(s), Scalar::Null, "{s}");
        }
        assert_eq!(resolve("nULL"), Scalar::Str);
        assert!(matches!(resolve(".nan"), Scalar::Float(f) if f.is_nan()));
        assert_eq!(resolve("-.Inf"), Scalar::Float(f64::NEG_INFINITY));
        assert_eq!(resolve("+.INF"), Scalar::Float(f64::INFINITY));
        assert_eq!(resolve(".iNf"), Scalar::Str);
    }

    #[test]
    fn integers_in_every_base() {
        let cases: [(&str, i64); 20] = [
            ("0", 0),
            ("-0", 0),
            ("10", 10),
            ("+10", 10),
            ("-10", -10),
            ("010", 8),
            ("0755", 493),
            ("-010", -8),
            ("0x1F", 31),
            ("0X1f", 31),
            ("-0x1F", -31),
            ("0o17", 15),
            ("0b1010", 10),
            ("-0b1010", -10),
            ("1_000", 1000),
            ("1__0_0", 100),
            ("0x_1F", 31),
            ("0b1_0", 2),
            ("9223372036854775807", i64::MAX),
            ("-9223372036854775808", i64::MIN),
        ];
        for (s, v) in cases {
            assert_eq!(resolve(s), Scalar::Int(v), "{s}");
        }
        assert_eq!(
            resolve("18446744073709551615"),
            Scalar::UInt(u64::MAX),
            "ParseUint takes what ParseInt cannot"
        );
    }

    #[test]
    fn floats_and_what_stays_a_string() {
        let floats: [(&str, f64); 11] = [
            ("1e3", 1000.0),
            ("10.0", 10.0),
            ("1.", 1.0),
            (".5", 0.5),
            ("+.5", 0.5),
            ("-1.5E-3", -0.0015),
            ("1_0.5", 10.5),
            // Not octal (8 is no octal digit) but a valid float.
            ("08", 8.0),
            ("09.5", 9.5),
            ("1e+3", 1000.0),
            ("18446744073709551616", 18446744073709551616.0),
        ];
        for (s, v) in floats {
            assert_eq!(resolve(s), Scalar::Float(v), "{s}");
        }
        for s in [
            "1e400",
            "0x1p3",
            "0b102",
            "0o8",
            "1.2.3",
            "1e",
            ".",
            "+",
            "-",
            "._5",
            ".5_0",
            "1:30",
            "2001-12-14",
            "2001-12-14T21:59:43Z",
            "1.0.0",
            "v1",
            "_1",
            "0x",
            "12abc",
            "-0b",
        ] {
            assert_eq!(resolve(s), Scalar::Str, "{s}");
        }
    }

    fn reread(text: &str) -> (Value, Vec<Change>) {
        let src = SourceFile::new("t.yaml", text.to_owned());
        let mut doc = super::super::parse(&src).unwrap();
        let c = reresolve(&mut doc);
        (doc.value, c)
    }

    #[test]
    fn quoted_block_and_tagged_scalars_stay_strings() {
        let (v, changes) = reread(
            "a: 'yes'\nb: \"on\"\nc: !!str off\nd: |\n  no\ne: >-\n  y\nf: \"010\"\ng: '0x1F'\nh: !!str 1_000\n",
        );
        assert!(changes.is_empty(), "{changes:?}");
        assert_eq!(
            v,
            json!({"a": "yes", "b": "on", "c": "off", "d": "no\n", "e": "y", "f": "010", "g": "0x1F", "h": "1_000"})
        );
    }

    #[test]
    fn plain_scalars_are_reread_in_place() {
        let (v, changes) = reread(
            "a: on   # comment\nb: [no, Off, 010, 0x1F, 1_000, 1e3, ~, 2001-12-14]\nc: {d: Y, e: yEs}\nf:\n",
        );
        assert_eq!(
            v,
            json!({"a": true, "b": [false, false, 8, 31, 1000, 1000.0, null, "2001-12-14"],
                   "c": {"d": true, "e": "yEs"}, "f": null})
        );
        let at: Vec<&str> = changes.iter().map(|c| c.pointer.as_str()).collect();
        assert_eq!(
            at,
            // serde-saphyr already reads `0x1F` and `1_000` as numbers.
            ["/a", "/b/0", "/b/1", "/b/2", "/c/d"]
        );
        assert_eq!(changes[0].text, "on");
    }

    #[test]
    fn plain_keys_become_the_strings_kubectl_sends() {
        let (v, _) = reread("on: a\n'no': b\n010: c\n1.5: d\nyEs: e\nm: {Off: f}\n");
        assert_eq!(
            v,
            json!({"true": "a", "no": "b", "8": "c", "1.5": "d", "yEs": "e", "m": {"false": "f"}})
        );
    }

    #[test]
    fn whole_floats_become_integers() {
        let mut v = json!({"p": 10.0, "q": [80.0, 1.5, 1e300], "r": -0.0});
        whole_floats_to_ints(&mut v);
        assert_eq!(v, json!({"p": 10, "q": [80, 1.5, 1e300], "r": 0}));
    }
}
