//! Generates two tables at build time, so that adding a catalog file or a rule touches that file only:
//! - the built-in catalog (`catalog/*.yaml`), embedded in file-name order;
//! - the rule table, from the rule files `src/check/rules/mpNNN_name.rs`: each file's leading `//!`
//!   comment is the rule (header line, then its documentation), and a `pub fn check` in it is the
//!   rule's check.

use std::fmt::Write;
use std::path::{Path, PathBuf};

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap());
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap());
    std::fs::write(
        out.join("builtin_catalog.rs"),
        catalog(&root.join("catalog")),
    )
    .unwrap();
    let (table, modules) = rules(&root.join("src/check/rules"));
    std::fs::write(out.join("rule_table.rs"), table).unwrap();
    std::fs::write(out.join("rule_modules.rs"), modules).unwrap();
}

/// Files in `dir` whose names satisfy `keep`, sorted, each a reason to rebuild.
fn files(dir: &Path, keep: impl Fn(&str) -> bool) -> Vec<PathBuf> {
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .map(|rd| rd.filter_map(|e| e.ok()).map(|e| e.path()).collect())
        .unwrap_or_default();
    files.retain(|p| p.file_name().and_then(|n| n.to_str()).is_some_and(&keep));
    files.sort();
    for f in &files {
        println!("cargo:rerun-if-changed={}", f.display());
    }
    files
}

fn catalog(dir: &Path) -> String {
    let mut out = String::from(
        "/// The built-in catalog: (file name, contents), sorted by file name.\npub static FILES: &[(&str, &str)] = &[\n",
    );
    for f in files(dir, |n| n.ends_with(".yaml")) {
        let name = f.file_name().unwrap().to_string_lossy();
        writeln!(
            out,
            "    ({name:?}, include_str!({:?})),",
            f.display().to_string()
        )
        .unwrap();
    }
    out.push_str("];\n");
    out
}

/// One rule file, read.
struct RuleFile {
    module: String,
    path: PathBuf,
    code: String,
    name: String,
    ident: String,
    stage: &'static str,
    severity: &'static str,
    summary: String,
    doc: String,
    has_check: bool,
}

fn is_rule_file(n: &str) -> bool {
    let b = n.as_bytes();
    n.starts_with("mp")
        && n.ends_with(".rs")
        && b.len() > 6
        && b[2..5].iter().all(u8::is_ascii_digit)
        && b[5] == b'_'
}

/// Read `path`; panics (failing the build) with the file and what is wrong.
fn read_rule(path: &Path) -> RuleFile {
    let text = std::fs::read_to_string(path).unwrap();
    let fail = |what: &str| -> ! { panic!("{}: {what}", path.display()) };
    let comment: Vec<&str> = text
        .lines()
        .take_while(|l| l.starts_with("//!"))
        .map(|l| l.strip_prefix("//! ").unwrap_or(&l[3..]))
        .collect();
    let blank = comment.iter().position(|l| l.is_empty()).unwrap_or_else(|| {
        fail("the `//!` comment needs a header paragraph, a blank `//!` line, then the documentation")
    });
    let header = comment[..blank].join(" ");
    let doc = comment[blank + 1..].join("\n") + "\n";
    // `MP039 higress-abi (check): summary`
    let (code, rest) = header
        .split_once(' ')
        .unwrap_or_else(|| fail("no code in the header"));
    let (name, rest) = rest
        .split_once(" (")
        .unwrap_or_else(|| fail("no `(stage)` in the header"));
    let (stage, summary) = rest
        .split_once("): ")
        .unwrap_or_else(|| fail("no `): ` in the header"));
    let stage = match stage {
        "load" => "Load",
        "check" => "Check",
        "render" => "Render",
        "run" => "Run",
        _ => fail("the stage is one of load, check, render, run"),
    };
    let severity = match doc.lines().next() {
        Some("**Severity:** error") => "Error",
        Some("**Severity:** warning") => "Warning",
        _ => fail("the documentation starts with `**Severity:** error` or `**Severity:** warning`"),
    };
    let module = path.file_stem().unwrap().to_string_lossy().into_owned();
    if module != format!("{}_{}", code.to_lowercase(), name.replace('-', "_")) {
        fail(&format!(
            "the file of {code} {name} is named {}_{}.rs",
            code.to_lowercase(),
            name.replace('-', "_")
        ));
    }
    RuleFile {
        ident: name.to_uppercase().replace('-', "_"),
        path: path.to_path_buf(),
        code: code.to_string(),
        name: name.to_string(),
        stage,
        severity,
        summary: summary.to_string(),
        doc,
        has_check: text.contains("\npub fn check("),
        module,
    }
}

/// The rule table (for `diag::rule`) and the rule modules with their checks (for `check::rules`).
fn rules(dir: &Path) -> (String, String) {
    let rules: Vec<RuleFile> = files(dir, is_rule_file)
        .iter()
        .map(|p| read_rule(p))
        .collect();
    let (mut table, mut modules) = (String::new(), String::new());
    for r in &rules {
        writeln!(
            table,
            "#[doc = {summary:?}]\npub static {ident}: Rule = Rule {{ code: {code:?}, name: {name:?}, severity: Severity::{sev}, stage: Stage::{stage}, summary: {summary:?}, doc: {doc:?} }};",
            summary = r.summary, ident = r.ident, code = r.code, name = r.name, sev = r.severity, stage = r.stage, doc = r.doc
        )
        .unwrap();
        writeln!(
            modules,
            "#[path = {:?}]\npub mod {};",
            r.path.display().to_string(),
            r.module
        )
        .unwrap();
    }
    let all: Vec<String> = rules.iter().map(|r| format!("&{}", r.ident)).collect();
    writeln!(
        table,
        "/// Every rule, in code order.\npub static ALL: &[&Rule] = &[{}];",
        all.join(", ")
    )
    .unwrap();
    let checks: Vec<String> = rules
        .iter()
        .filter(|r| r.has_check)
        .map(|r| {
            format!(
                "Check {{ rule: &rule::{}, run: {}::check }}",
                r.ident, r.module
            )
        })
        .collect();
    writeln!(modules, "/// The rules checked over a loaded repository, in code order.\npub static CHECKS: &[Check] = &[{}];", checks.join(", ")).unwrap();
    (table, modules)
}
