//! Load: find the repository's files, parse each once with spans, check it against its kind's
//! schema and decode it into the typed model.

mod discover;
mod file_doc;
pub mod schema;
#[cfg(test)]
pub(crate) mod testkit;
mod yaml;
pub mod yaml11;

pub use discover::{BUILTIN, is_safe_relative, read_in_repo};
pub use file_doc::FileDoc;
pub use yaml::{Document, MAX_DEPTH, MAX_FILE_BYTES, decode, parse, parse_value};

use crate::diag::{Diagnostic, Places as _, rule};
use crate::model::{API_VERSION, Binding, Kind, Marketplace, Plugin};
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// The built-in catalog embedded at build time.
pub mod builtin {
    include!(concat!(env!("OUT_DIR"), "/builtin_catalog.rs"));
}

/// A typed document together with the file it came from.
#[derive(Debug, Clone)]
pub struct Loaded<T> {
    /// The file (for diagnostics).
    pub doc: FileDoc,
    /// The typed document.
    pub item: T,
}

/// A loaded marketplace repository.
#[derive(Debug)]
pub struct Repo {
    /// The repository root as given.
    pub root: PathBuf,
    /// `meshplug.yaml`.
    pub config: Loaded<Marketplace>,
    /// Catalog entries that parsed and matched the schema, in catalog-dir then file order.
    pub plugins: Vec<Loaded<Plugin>>,
    /// Bindings that parsed and matched the schema, in file order.
    pub bindings: Vec<Loaded<Binding>>,
}

/// What loading found: the repository (unless `meshplug.yaml` itself is unusable) and problems.
#[derive(Debug)]
pub struct LoadOutcome {
    /// The repository, with every file that loaded cleanly.
    pub repo: Option<Repo>,
    /// Problems found while loading.
    pub diagnostics: Vec<Diagnostic>,
}

/// A failure to even start: the directory or `meshplug.yaml` cannot be read.
pub type FatalError = crate::diag::Error;

/// The file name of the marketplace document.
pub const CONFIG_FILE: &str = "meshplug.yaml";

/// Load the repository at `root`.
pub fn load(root: &Path) -> Result<LoadOutcome, FatalError> {
    let config_path = root.join(CONFIG_FILE);
    let read = discover::read_in_repo(root, CONFIG_FILE).map_err(|e| FatalError {
        message: format!("cannot read {}: {e}", config_path.display()),
        help: if root.is_dir() {
            format!(
                "{} is not a meshplug repository; create one with `meshplug init {}`",
                root.display(),
                root.display()
            )
        } else {
            format!(
                "{} is not a directory; pass the path of a marketplace repository",
                root.display()
            )
        },
    })?;
    let bytes = match read {
        Ok(b) => b,
        Err(d) => {
            return Ok(LoadOutcome {
                repo: None,
                diagnostics: vec![d],
            });
        }
    };
    let mut diagnostics = Vec::new();
    let Some(config) =
        load_document::<Marketplace>(CONFIG_FILE, bytes, Kind::Marketplace, &mut diagnostics)
    else {
        return Ok(LoadOutcome {
            repo: None,
            diagnostics,
        });
    };
    let files = discover::discover(root, &config, &mut diagnostics);
    let results: Vec<_> = files
        .into_par_iter()
        .map(|file| {
            let mut diags = Vec::new();
            let loaded = match file.kind {
                Kind::Plugin => {
                    load_document::<Plugin>(&file.display, file.bytes, Kind::Plugin, &mut diags)
                        .map(|p| Either::Plugin(Box::new(p)))
                }
                _ => load_document::<Binding>(&file.display, file.bytes, Kind::Binding, &mut diags)
                    .map(|b| Either::Binding(Box::new(b))),
            };
            (loaded, diags)
        })
        .collect();
    let (mut plugins, mut bindings) = (Vec::new(), Vec::new());
    for (loaded, diags) in results {
        diagnostics.extend(diags);
        match loaded {
            Some(Either::Plugin(p)) => plugins.push(*p),
            Some(Either::Binding(b)) => bindings.push(*b),
            None => {}
        }
    }
    Ok(LoadOutcome {
        repo: Some(Repo {
            root: root.to_path_buf(),
            config,
            plugins,
            bindings,
        }),
        diagnostics,
    })
}

enum Either {
    Plugin(Box<Loaded<Plugin>>),
    Binding(Box<Loaded<Binding>>),
}

/// Decode, parse, kind-check, schema-check and type one document; problems go to `diags`.
pub fn load_document<T: serde::de::DeserializeOwned>(
    display: &str,
    bytes: Vec<u8>,
    kind: Kind,
    diags: &mut Vec<Diagnostic>,
) -> Option<Loaded<T>> {
    let (doc, value) = decode(display, bytes)
        .and_then(|src| parse_value(&src).map(|value| (FileDoc::new(src), value)))
        .map_err(|d| diags.push(d))
        .ok()?;
    if let Some(d) = check_kind(&doc, &value, kind) {
        diags.push(d);
        return None;
    }
    let problems = schema::check(kind, &doc, &value);
    if !problems.is_empty() {
        diags.extend(problems);
        return None;
    }
    match T::deserialize(&value) {
        Ok(item) => {
            diags.extend(yaml11_booleans(&doc, &value));
            Some(Loaded { doc, item })
        }
        Err(e) => {
            let message = format!("cannot read the {}: {e}", kind.as_str());
            diags.push(match float_named_by(&e.to_string(), &value) {
                Some(pointer) => doc
                    .diag(&rule::SCHEMA, &pointer, message)
                    .label("not a whole number")
                    .help("write an integer without a decimal point or exponent (`1000`, not `1e3` or `1000.0`)"),
                None => doc.diag(&rule::SCHEMA, "", message),
            });
            None
        }
    }
}

/// MP046: strings written as unquoted YAML 1.1 boolean words. meshplug reads `description: no`
/// as the string `no` (YAML 1.2), but kubectl, Helm, Ansible and PyYAML read `false`.
fn yaml11_booleans(doc: &FileDoc, value: &serde_json::Value) -> Vec<Diagnostic> {
    // Most files hold no such word as a whole token; only those are walked with their places.
    let text = &doc.source.text;
    let candidate = text.split(|c: char| !c.is_ascii_alphabetic()).any(|w| {
        yaml11::bool_word(w).is_some()
            && w != "true"
            && w != "false"
            && !matches!(w, "True" | "TRUE" | "False" | "FALSE")
    });
    if !candidate {
        return Vec::new();
    }
    yaml11::changes(text, value, doc.spans())
        .into_iter()
        .filter_map(|c| {
            let (serde_json::Value::String(s), Some(serde_json::Value::Bool(b))) = (&c.was, &c.now) else {
                return None;
            };
            Some(
                doc.diag(
                    &rule::YAML11_BOOLEAN,
                    &c.pointer,
                    format!("`{s}` is read here as the string \"{s}\", but kubectl and other YAML 1.1 readers see the boolean {b}"),
                )
                .label("YAML 1.1 boolean")
                .help(format!("quote it, `\"{s}\"`, so every tool reads the same string")),
            )
        })
        .collect()
}

/// The JSON pointer of the first number in `value` equal to the float a decoding error names
/// (`invalid type: floating point `1000.0`, expected i64`): an integer field written as `1e3`
/// passes the schema's `integer` check but not the typed model.
fn float_named_by(error: &str, value: &serde_json::Value) -> Option<String> {
    let named: f64 = error
        .split_once("floating point `")?
        .1
        .split('`')
        .next()?
        .parse()
        .ok()?;
    fn find(v: &serde_json::Value, named: f64, at: String) -> Option<String> {
        match v {
            serde_json::Value::Number(n) if n.is_f64() && n.as_f64() == Some(named) => Some(at),
            serde_json::Value::Object(m) => m.iter().find_map(|(k, c)| {
                find(
                    c,
                    named,
                    format!("{at}/{}", crate::diag::pointer::escape(k)),
                )
            }),
            serde_json::Value::Array(a) => a
                .iter()
                .enumerate()
                .find_map(|(i, c)| find(c, named, format!("{at}/{i}"))),
            _ => None,
        }
    }
    find(value, named, String::new())
}

/// MP003: the document's apiVersion and kind.
fn check_kind(doc: &FileDoc, value: &serde_json::Value, expected: Kind) -> Option<Diagnostic> {
    let Some(obj) = value.as_object() else {
        return Some(
            doc.diag(
                &rule::WRONG_KIND,
                "",
                format!(
                    "expected a {} document (a mapping), found something else",
                    expected.as_str()
                ),
            )
            .help(format!(
                "start the file with `apiVersion: {API_VERSION}` and `kind: {}`",
                expected.as_str()
            )),
        );
    };
    match obj.get("apiVersion").and_then(|v| v.as_str()) {
        Some(API_VERSION) => {}
        Some(other) => {
            return Some(
                doc.diag(
                    &rule::WRONG_KIND,
                    "/apiVersion",
                    format!("unsupported apiVersion `{other}`"),
                )
                .label("unsupported")
                .help(format!("use `apiVersion: {API_VERSION}`")),
            );
        }
        None => {
            return Some(
                doc.diag(&rule::WRONG_KIND, "", "missing `apiVersion`")
                    .help(format!("add `apiVersion: {API_VERSION}`")),
            );
        }
    }
    match obj.get("kind").and_then(|v| v.as_str()) {
        Some(k) if k == expected.as_str() => None,
        Some(k) => Some(
            doc.diag(&rule::WRONG_KIND, "/kind", format!("expected kind `{}` here, found `{k}`", expected.as_str()))
                .label("wrong kind for this directory")
                .help(match expected {
                    Kind::Plugin => "catalog directories hold only Plugin documents; move the file to a bindings directory",
                    Kind::Binding => "binding directories hold only Binding documents; move the file to a catalog directory",
                    Kind::Marketplace => "meshplug.yaml holds the Marketplace document",
                    Kind::Lock => "meshplug.lock holds the Lock document; delete it and run `meshplug lock`",
                }),
        ),
        None => Some(doc.diag(&rule::WRONG_KIND, "", "missing `kind`").help(format!("add `kind: {}`", expected.as_str()))),
    }
}
