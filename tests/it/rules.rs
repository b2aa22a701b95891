//! The rule catalogue, tested through its documentation: every section of `docs/rules.md` has a
//! bad example that must trigger exactly its rule, on the lines marked `# MPxxx`, and a good example
//! that must be clean. The human output of each bad example is snapshotted.

use assert_cmd::Command;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;

const RULES_MD: &str = include_str!("../../docs/rules.md");

use meshplug::diag::rule::Stage;

/// The stage of `code`, from the rule table: it says which command reports it.
fn stage_of(code: &str) -> Stage {
    meshplug::diag::rule::find(code).map_or(Stage::Check, |r| r.stage)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Base,
    Bad,
    Good,
}

/// A fenced example: its role, the repo-relative file it becomes, its text and its line in the doc.
#[derive(Debug)]
struct Block {
    role: Role,
    file: String,
    text: String,
    doc_line: usize,
}

/// One `## MPxxx name` section.
#[derive(Debug, Default)]
struct Section {
    code: String,
    name: String,
    severity: Option<String>,
    anchor: bool,
    blocks: Vec<Block>,
}

impl Section {
    fn example(&self, role: Role) -> Vec<&Block> {
        self.blocks.iter().filter(|b| b.role == role).collect()
    }
}

/// An open code fence: the example it holds (if it is one), where it starts, its text so far.
struct Fence {
    example: Option<(Role, String)>,
    start: usize,
    text: String,
}

/// The example an info string declares: `yaml bad file=PATH` gives `(Bad, PATH)`.
fn example_kind(info: &str, doc_line: usize) -> Option<(Role, String)> {
    let words: Vec<&str> = info.split_whitespace().collect();
    let (role, file) = match words.as_slice() {
        ["yaml", role, file] => (*role, *file),
        ["yaml", _, ..] => panic!("docs/rules.md:{doc_line}: malformed example fence `{info}`"),
        _ => return None,
    };
    let role = match role {
        "base" => Role::Base,
        "bad" => Role::Bad,
        "good" => Role::Good,
        other => panic!("docs/rules.md:{doc_line}: unknown example role `{other}`"),
    };
    let file = file
        .strip_prefix("file=")
        .unwrap_or_else(|| panic!("docs/rules.md:{doc_line}: expected file=PATH"));
    Some((role, file.to_string()))
}

/// Parse the doc into its base files and its rule sections.
fn parse(md: &str) -> (Vec<Block>, Vec<Section>) {
    let mut base = Vec::new();
    let mut sections: Vec<Section> = Vec::new();
    let mut in_rule = false;
    let mut pending_anchor = None;
    let mut fence: Option<Fence> = None;
    for (i, line) in md.lines().enumerate() {
        let doc_line = i + 1;
        if let Some(open) = &mut fence {
            if !line.starts_with("```") {
                open.text.push_str(line);
                open.text.push('\n');
                continue;
            }
            let Fence {
                example,
                start,
                text,
            } = fence.take().expect("open fence");
            let Some((role, file)) = example else {
                continue;
            };
            let block = Block {
                role,
                file,
                text,
                doc_line: start,
            };
            match (role, in_rule) {
                (Role::Base, false) => base.push(block),
                (_, true) if role != Role::Base => sections
                    .last_mut()
                    .expect("in a section")
                    .blocks
                    .push(block),
                _ => panic!(
                    "docs/rules.md:{start}: base blocks go before the rules, examples in a rule section"
                ),
            }
            continue;
        }
        if let Some(info) = line.strip_prefix("```") {
            fence = Some(Fence {
                example: example_kind(info, doc_line),
                start: doc_line,
                text: String::new(),
            });
            continue;
        }
        if let Some(id) = line
            .strip_prefix("<a id=\"")
            .and_then(|r| r.strip_suffix("\"></a>"))
        {
            pending_anchor = Some(id.to_string());
            continue;
        }
        if let Some(title) = line.strip_prefix("## ") {
            let mut words = title.split_whitespace();
            match (words.next(), words.next(), words.next()) {
                (Some(code), Some(name), None) if code.starts_with("MP") => {
                    in_rule = true;
                    sections.push(Section {
                        code: code.to_string(),
                        name: name.to_string(),
                        anchor: pending_anchor.as_deref() == Some(&code.to_lowercase()),
                        ..Section::default()
                    });
                }
                _ => in_rule = false,
            }
            pending_anchor = None;
            continue;
        }
        if in_rule && let Some(sev) = line.strip_prefix("**Severity:** ") {
            sections.last_mut().expect("in a section").severity = Some(sev.trim().to_string());
        }
    }
    assert!(fence.is_none(), "docs/rules.md: unterminated code fence");
    (base, sections)
}

fn meshplug() -> Command {
    let mut cmd = Command::cargo_bin("meshplug").expect("the meshplug binary");
    cmd.env_remove("NO_COLOR").args(["--color", "never"]);
    cmd
}

/// (code, name, severity) of every rule, as `meshplug rules` prints them.
fn listed_rules() -> Vec<(String, String, String)> {
    let out = meshplug()
        .arg("rules")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    String::from_utf8(out)
        .expect("utf-8")
        .lines()
        .map(|l| {
            let mut w = l.split_whitespace();
            let mut next = || w.next().expect("code, name and severity").to_string();
            (next(), next(), next())
        })
        .collect()
}

/// A temp repository: the base files, an empty `bindings/`, then `blocks` written on top.
fn repo(base: &[Block], blocks: &[&Block]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir_all(dir.path().join("bindings")).expect("bindings dir");
    for b in base.iter().chain(blocks.iter().copied()) {
        let path = dir.path().join(&b.file);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(&path, &b.text).expect("write example");
    }
    dir
}

/// The command reporting `stage`: `meshplug validate ROOT`, `meshplug render ROOT --out
/// ROOT/out`, or `meshplug validate --run ROOT` with the example modules and the run corpus as
/// module directories.
fn check_command(stage: Stage, root: &Path) -> Command {
    let mut cmd = meshplug();
    match stage {
        Stage::Render => {
            cmd.arg("render")
                .arg(root)
                .arg("--out")
                .arg(root.join("out"));
        }
        Stage::Run => {
            let project = Path::new(env!("CARGO_MANIFEST_DIR"));
            let dirs = std::env::join_paths([
                project.join("examples/plugins"),
                project.join("tests/corpus/run"),
            ])
            .unwrap();
            cmd.arg("validate")
                .arg("--run")
                .arg(root)
                .env("MESHPLUG_MODULES", dirs);
        }
        Stage::Load | Stage::Check => {
            cmd.arg("validate").arg(root);
        }
    }
    cmd
}

/// Run the check with JSON output; returns (exit code, findings).
fn run_json(stage: Stage, root: &Path, extra: &[&str]) -> (i32, Vec<Value>) {
    let output = check_command(stage, root)
        .args(["--format", "json"])
        .args(extra)
        .output()
        .expect("run meshplug");
    let status = output.status.code().expect("exit code");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let json: Value = serde_json::from_str(&stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {stdout}\nstderr: {}",
            String::from_utf8_lossy(&output.stderr)
        )
    });
    let diags = json["diagnostics"].as_array().expect("diagnostics").clone();
    (status, diags)
}

/// Human output (stderr) of the check.
fn run_human(stage: Stage, root: &Path) -> String {
    let output = check_command(stage, root).output().expect("run meshplug");
    String::from_utf8(output.stderr).expect("utf-8")
}

/// (file, line) of every line carrying a `# CODE` marker comment in the blocks.
fn marked_lines(code: &str, blocks: &[&Block]) -> BTreeSet<(String, u64)> {
    let marker = format!("# {code}");
    blocks
        .iter()
        .flat_map(|b| {
            b.text
                .lines()
                .enumerate()
                .filter(|(_, l)| l.contains(&marker))
                .map(|(i, _)| (b.file.clone(), i as u64 + 1))
        })
        .collect()
}

fn brief(d: &Value) -> String {
    format!(
        "{} {}:{}:{} {}",
        d["code"].as_str().unwrap_or("?"),
        d["file"].as_str().unwrap_or("?"),
        d["line"],
        d["column"],
        d["message"].as_str().unwrap_or("?")
    )
}

/// Check one section's examples; returns the problems found (empty when all is well).
fn check_section(base: &[Block], s: &Section) -> Vec<String> {
    let mut problems = Vec::new();
    let code = s.code.as_str();
    let warning = s.severity.as_deref() == Some("warning");
    let stage = stage_of(code);
    let render = stage == Stage::Render;
    let bad = s.example(Role::Bad);
    let good = s.example(Role::Good);
    if bad.is_empty() || good.is_empty() {
        problems.push(format!("{code}: needs a bad and a good example"));
        return problems;
    }

    // Bad: only this rule, exactly on the marked lines, with the expected exit code.
    let marked = marked_lines(code, &bad);
    if marked.is_empty() {
        problems.push(format!(
            "{code}: the bad example (docs/rules.md:{}) marks no line with `# {code}`",
            bad[0].doc_line
        ));
    }
    let dir = repo(base, &bad);
    let (status, diags) = run_json(stage, dir.path(), &[]);
    let expected_status = if warning { 0 } else { 1 };
    if status != expected_status {
        problems.push(format!(
            "{code}: bad example exits {status}, expected {expected_status}"
        ));
    }
    let mut found = BTreeSet::new();
    for d in &diags {
        if d["code"] != code {
            problems.push(format!("{code}: bad example also yields {}", brief(d)));
            continue;
        }
        let (Some(file), Some(line), Some(col)) =
            (d["file"].as_str(), d["line"].as_u64(), d["column"].as_u64())
        else {
            problems.push(format!("{code}: finding without a place: {}", brief(d)));
            continue;
        };
        found.insert((file.to_string(), line));
        // The column must point into the node on that line, not at blanks or the marker comment.
        let text = bad
            .iter()
            .find(|b| b.file == file)
            .and_then(|b| b.text.lines().nth(line as usize - 1))
            .unwrap_or("");
        let at = text.chars().nth(col as usize - 1);
        if at.is_none_or(|c| c.is_whitespace() || c == '#') {
            problems.push(format!(
                "{code}: column {col} of `{text}` is not on the offending node: {}",
                brief(d)
            ));
        }
        if d["help"].as_str().is_none_or(str::is_empty) {
            problems.push(format!("{code}: finding without help: {}", brief(d)));
        }
    }
    if found != marked {
        problems.push(format!(
            "{code}: bad example reports {found:?}, but the doc marks {marked:?}; findings: {:#?}",
            diags.iter().map(brief).collect::<Vec<_>>()
        ));
    }
    if render || stage == Stage::Run {
        // Reported by render (or the dry run) only: validate has nothing to say about the files.
        let (status, diags) = run_json(Stage::Check, dir.path(), &["--deny-warnings"]);
        if status != 0 || !diags.is_empty() {
            problems.push(format!(
                "{code}: validate should pass the bad example, but exits {status} with {:#?}",
                diags.iter().map(brief).collect::<Vec<_>>()
            ));
        }
    }
    if warning {
        let (status, _) = run_json(stage, dir.path(), &["--deny-warnings"]);
        if status != 1 {
            problems.push(format!(
                "{code}: with --deny-warnings the bad example exits {status}, expected 1"
            ));
        }
    }

    // Good: nothing at all to report (render has no warnings to deny).
    let dir = repo(base, &good);
    let deny: &[&str] = if render { &[] } else { &["--deny-warnings"] };
    let (status, diags) = run_json(stage, dir.path(), deny);
    if status != 0 || !diags.is_empty() {
        problems.push(format!(
            "{code}: good example (docs/rules.md:{}) exits {status} with {:#?}",
            good[0].doc_line,
            diags.iter().map(brief).collect::<Vec<_>>()
        ));
    }
    problems
}

#[test]
fn docs_and_rules_list_agree() {
    let (_, sections) = parse(RULES_MD);
    let documented: Vec<(String, String, String)> = sections
        .iter()
        .map(|s| {
            (
                s.code.clone(),
                s.name.clone(),
                s.severity
                    .clone()
                    .unwrap_or_else(|| format!("{}: no **Severity:** line", s.code)),
            )
        })
        .collect();
    assert_eq!(
        documented,
        listed_rules(),
        "docs/rules.md sections vs `meshplug rules`, in order"
    );
    for s in &sections {
        assert!(
            s.anchor,
            "{}: missing `<a id=\"{}\"></a>` before the heading (`meshplug rules {}` links to it)",
            s.code,
            s.code.to_lowercase(),
            s.code
        );
    }
}

#[test]
fn every_rule_example_behaves_as_documented() {
    let (base, sections) = parse(RULES_MD);
    assert!(
        base.iter().any(|b| b.file == "meshplug.yaml"),
        "docs/rules.md: the examples' repository needs a meshplug.yaml"
    );
    assert!(
        sections.len() >= 30,
        "only {} rule sections parsed",
        sections.len()
    );

    // The base alone is clean, so every finding below comes from an example.
    let dir = repo(&base, &[]);
    for (stage, extra) in [
        (Stage::Check, &["--deny-warnings"][..]),
        (Stage::Render, &[][..]),
        (Stage::Run, &["--deny-warnings"][..]),
    ] {
        let (status, diags) = run_json(stage, dir.path(), extra);
        assert!(
            status == 0 && diags.is_empty(),
            "the base repository is not clean: {diags:#?}"
        );
    }

    let problems: Vec<String> = sections
        .iter()
        .flat_map(|s| check_section(&base, s))
        .collect();
    assert!(
        problems.is_empty(),
        "{} problem(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn bad_example_output_snapshots() {
    let (base, sections) = parse(RULES_MD);
    let mut names = BTreeSet::new();
    for s in &sections {
        let dir = repo(&base, &s.example(Role::Bad));
        let stage = stage_of(&s.code);
        let output = run_human(stage, dir.path());
        let name = format!("{}-{}", s.code, s.name);
        assert!(names.insert(name.clone()), "two sections named {name}");
        insta::with_settings!({
            description => format!("`meshplug {}` on the bad example of {} in docs/rules.md",
                stage.command(), s.code),
            omit_expression => true,
        }, {
            insta::assert_snapshot!(name, output);
        });
    }
}

/// The text of the first fenced block whose info string is exactly `info`.
fn first_fenced(md: &str, info: &str) -> String {
    let open = format!("```{info}\n");
    let start = md
        .find(&open)
        .unwrap_or_else(|| panic!("no ```{info} block"))
        + open.len();
    let len = md[start..].find("```\n").expect("closing fence");
    md[start..start + len].to_string()
}

#[test]
fn diagnostics_section_shows_real_output() {
    // The intro's sample output is that of MP012's bad example, in both formats.
    let (base, sections) = parse(RULES_MD);
    let s = sections
        .iter()
        .find(|s| s.code == "MP012")
        .expect("MP012 section");
    let dir = repo(&base, &s.example(Role::Bad));
    assert_eq!(
        first_fenced(RULES_MD, "text"),
        run_human(Stage::Check, dir.path())
    );
    let shown: Value = serde_json::from_str(&first_fenced(RULES_MD, "json")).expect("JSON block");
    let output = check_command(Stage::Check, dir.path())
        .args(["--format", "json"])
        .output()
        .expect("run meshplug");
    let real: Value = serde_json::from_slice(&output.stdout).expect("JSON output");
    assert_eq!(shown, real);
}

#[test]
fn docs_rules_md_is_generated_from_the_rule_table() {
    let out = Command::cargo_bin("meshplug")
        .unwrap()
        .args(["rules", "--check"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(RULES_MD, meshplug::diag::rule::markdown());
}

#[test]
fn rules_code_prints_the_whole_doc() {
    let out = Command::cargo_bin("meshplug")
        .unwrap()
        .args(["rules", "MP019"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("MP019 mutable-tag\n"), "{text}");
    assert!(
        text.contains("```yaml bad file=catalog/cart-audit.yaml"),
        "{text}"
    );
    assert!(
        text.contains("```yaml good file=catalog/cart-audit.yaml"),
        "{text}"
    );
}
