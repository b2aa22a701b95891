//! The hostile-input corpus: every case in `tests/corpus/cases.yaml` is put into a copy of
//! `tests/corpus/base` (a valid repository that has been rendered and locked), the real binary runs
//! on it, and the outcome must be exactly the declared one: exit code, and every diagnostic's code
//! and file:line:col. No case may panic, hang, or change the rendered output or `meshplug.lock`
//! when it fails (both are hashed before and after).
//!
//! `CORPUS_PRINT=1 cargo test --test corpus` prints every case's actual outcome in the manifest's
//! format (to review a new case; never paste it without reading it).

use crate::support::bounded::{Finished, run_bounded};
use serde::Deserialize;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;
use std::time::Duration;

/// Longest any single run may take; a hang is a failure.
const RUN_LIMIT: Duration = Duration::from_secs(60);

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Manifest {
    cases: Vec<Case>,
}

/// One case of `cases.yaml`.
#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
struct Case {
    /// An input file under tests/corpus (`plugin/x.yaml`), or
    file: Option<String>,
    /// a case the test builds at run time (huge files, symlinks, FIFOs).
    generate: Option<String>,
    /// Exit code of the main command (validate; render for locks; inspect for modules).
    exit: i32,
    /// Every diagnostic the main command reports: `CODE FILE:LINE:COL` (or `CODE -`).
    #[serde(default)]
    diags: Vec<String>,
    /// Exit code of `render` when it differs from `exit`.
    render: Option<i32>,
    /// Text the output (of the main command, or of render) must contain.
    says: Option<String>,
}

impl Case {
    fn name(&self) -> String {
        self.file
            .clone()
            .or_else(|| self.generate.clone().map(|g| format!("generate:{g}")))
            .unwrap_or_default()
    }

    /// The directory the input belongs to (its kind).
    fn kind(&self) -> &str {
        match (&self.file, &self.generate) {
            (Some(f), _) => f.split('/').next().unwrap_or(""),
            (None, Some(g)) => g.split('/').next().unwrap_or(""),
            _ => "",
        }
    }
}

fn corpus() -> PathBuf {
    crate::support::project().join("tests/corpus")
}

fn meshplug(args: &[&str], dir: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_meshplug"));
    c.args(args)
        .arg(dir)
        .env("DOCKER_CONFIG", "/nonexistent-meshplug-test")
        .env("NO_COLOR", "1")
        .env("RAYON_NUM_THREADS", "1");
    c
}

/// Copy a tree, keeping symlinks as they are.
fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from).sort_by_file_name() {
        let entry = entry.unwrap();
        let dest = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(entry.path(), &dest).unwrap();
        }
    }
}

/// A run's outcome, checked for crashes.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(cmd: Command, what: &str) -> Result<Run, String> {
    let shown = format!("{cmd:?}");
    match run_bounded(cmd, RUN_LIMIT) {
        Finished::TimedOut => Err(format!(
            "{what}: did not finish within {RUN_LIMIT:?}: {shown}"
        )),
        Finished::Exited(out) => {
            let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
            let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
            let Some(code) = out.status.code() else {
                return Err(format!(
                    "{what}: killed by a signal ({:?}): {stderr}",
                    out.status
                ));
            };
            if code == 101 || stderr.contains("panicked") || stdout.contains("panicked") {
                return Err(format!("{what}: PANIC (exit {code}):\n{stderr}"));
            }
            Ok(Run {
                code,
                stdout,
                stderr,
            })
        }
    }
}

/// `CODE FILE:LINE:COL` of every diagnostic in a `--format json` document.
fn diag_list(json: &str) -> Result<Vec<String>, String> {
    let v: serde_json::Value = serde_json::from_str(json)
        .map_err(|e| format!("stdout is not the JSON diagnostics document ({e}): {json}"))?;
    let items = v["diagnostics"]
        .as_array()
        .ok_or_else(|| format!("no `diagnostics` array: {json}"))?;
    Ok(items
        .iter()
        .map(|d| {
            let code = d["code"].as_str().unwrap_or("?");
            match d["file"].as_str() {
                Some(f) => format!("{code} {f}:{}:{}", d["line"], d["column"]),
                None => format!("{code} -"),
            }
        })
        .collect())
}

/// Where a corpus input goes in the repository.
fn target(kind: &str, name: &str) -> PathBuf {
    match kind {
        "marketplace" => PathBuf::from("meshplug.yaml"),
        "plugin" => Path::new("catalog").join(name),
        "binding" => Path::new("bindings/shop").join(name),
        "lock" => PathBuf::from("meshplug.lock"),
        other => panic!("unknown corpus kind `{other}`"),
    }
}

/// Everything the test needs for one case: the repository and what the main command is.
struct Prepared {
    _dir: tempfile::TempDir,
    repo: PathBuf,
    /// For `inspect`: the module path; for `lint` and `import`: the manifest file.
    input: Option<PathBuf>,
    /// Text that must never appear in any output (what lies behind a symlink out of the repo).
    forbidden: Option<String>,
}

fn prepare(case: &Case, template: &Path, scratch: &Path) -> Prepared {
    let dir = tempfile::tempdir_in(scratch).unwrap();
    let repo = dir.path().join("repo");
    copy_dir(template, &repo);
    let mut prepared = Prepared {
        _dir: dir,
        repo: repo.clone(),
        input: None,
        forbidden: None,
    };
    if let Some(file) = &case.file {
        let name = Path::new(file).file_name().unwrap();
        if case.kind() == "wasm" {
            prepared.input = Some(corpus().join(file));
        } else if matches!(case.kind(), "lint" | "import") {
            // Beside the repository, named as in the corpus: diagnostics cite `in/NAME`.
            let input = prepared.repo.with_file_name("in").join(name);
            std::fs::create_dir_all(input.parent().unwrap()).unwrap();
            std::fs::copy(corpus().join(file), &input).unwrap();
            prepared.input = Some(input);
        } else {
            let dest = repo.join(target(case.kind(), name.to_str().unwrap()));
            std::fs::copy(corpus().join(file), dest).unwrap();
        }
    }
    if let Some(g) = &case.generate {
        generate(g, &mut prepared);
    }
    prepared
}

/// A secret that lives outside the repository, behind symlinks; it must never be printed.
const OUTSIDE_SECRET: &str = "corpus-outside-secret-7f3a9c";

fn outside_dir(p: &Prepared) -> PathBuf {
    let out = p.repo.parent().unwrap().join("outside");
    std::fs::create_dir_all(&out).unwrap();
    let binding = std::fs::read_to_string(corpus().join("base/bindings/shop/cart.yaml"))
        .unwrap()
        .replace("name: cart", "name: leaked")
        .replace("x-cart", OUTSIDE_SECRET);
    std::fs::write(out.join("leaked.yaml"), binding).unwrap();
    std::fs::write(
        out.join("config.json"),
        format!("{{\"auths\": {{\"r.example\": {{\"auth\": \"{OUTSIDE_SECRET}\"}}}}}}\n"),
    )
    .unwrap();
    out
}

/// Write a file of `size` bytes of YAML-looking lines (real bytes, not a sparse file).
fn write_big(path: &Path, size: usize) {
    use std::io::Write;
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    let line = b"key: value value value value value value value value value value value\n";
    let mut written = 0;
    while written < size {
        f.write_all(line).unwrap();
        written += line.len();
    }
    f.flush().unwrap();
}

fn generate(name: &str, p: &mut Prepared) {
    use std::os::unix::fs::symlink;
    let repo = p.repo.clone();
    let shop = repo.join("bindings/shop");
    match name {
        "binding/huge-100mb.yaml" => write_big(&shop.join("huge-100mb.yaml"), 100 << 20),
        "plugin/just-over-16mib.yaml" => {
            write_big(&repo.join("catalog/just-over-16mib.yaml"), (16 << 20) + 1)
        }
        "marketplace/huge-100mb" => write_big(&repo.join("meshplug.yaml"), 100 << 20),
        "lock/huge-100mb" => write_big(&repo.join("meshplug.lock"), 100 << 20),
        "binding/long-line-2mb.yaml" => {
            let base = std::fs::read_to_string(corpus().join("base/bindings/shop/cart.yaml"))
                .unwrap()
                .replace("cart", "orders")
                .replace("x-orders", &"x".repeat(2 << 20));
            std::fs::write(shop.join("long-line-2mb.yaml"), base).unwrap();
        }
        "binding/symlink-file-out" => {
            let out = outside_dir(p);
            symlink(out.join("leaked.yaml"), shop.join("leaked.yaml")).unwrap();
            p.forbidden = Some(OUTSIDE_SECRET.into());
        }
        "binding/symlink-dir-out" => {
            let out = outside_dir(p);
            symlink(&out, shop.join("linked")).unwrap();
            p.forbidden = Some(OUTSIDE_SECRET.into());
        }
        "binding/symlink-bindings-dir-out" => {
            let out = outside_dir(p);
            std::fs::remove_dir_all(repo.join("bindings")).unwrap();
            std::fs::create_dir_all(out.join("tree/shop")).unwrap();
            std::fs::rename(out.join("leaked.yaml"), out.join("tree/shop/leaked.yaml")).unwrap();
            symlink(out.join("tree"), repo.join("bindings")).unwrap();
            p.forbidden = Some(OUTSIDE_SECRET.into());
        }
        "binding/symlink-relative-escape" => {
            outside_dir(p);
            symlink("../../../outside/leaked.yaml", shop.join("leaked.yaml")).unwrap();
            p.forbidden = Some(OUTSIDE_SECRET.into());
        }
        "binding/symlink-inside" => {
            let shared = repo.join("shared");
            std::fs::create_dir_all(&shared).unwrap();
            let text = std::fs::read_to_string(shop.join("cart.yaml"))
                .unwrap()
                .replace("name: cart", "name: orders")
                .replace("app: cart", "app: orders");
            std::fs::write(shared.join("orders.yaml"), text).unwrap();
            symlink("../../shared/orders.yaml", shop.join("orders.yaml")).unwrap();
        }
        "binding/symlink-dangling" => {
            symlink("/nonexistent/meshplug/x.yaml", shop.join("dangling.yaml")).unwrap();
        }
        "binding/symlink-loop" => {
            symlink("b.yaml", shop.join("a.yaml")).unwrap();
            symlink("a.yaml", shop.join("b.yaml")).unwrap();
        }
        "binding/symlink-dir-loop" => {
            symlink("..", shop.join("up")).unwrap();
        }
        "binding/directory-named-yaml" => {
            std::fs::create_dir_all(shop.join("dir.yaml")).unwrap();
        }
        "binding/fifo-named-yaml" => {
            let path = shop.join("fifo.yaml");
            let c = std::ffi::CString::new(path.to_str().unwrap()).unwrap();
            // SAFETY: a valid NUL-terminated path.
            assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
        }
        "binding/non-utf8-file-name" => {
            use std::os::unix::ffi::OsStrExt;
            let name = std::ffi::OsStr::from_bytes(b"bad-\xff\xfe.yaml");
            std::fs::write(shop.join(name), "kind: [\n").unwrap();
        }
        "binding/deep-directories" => {
            let mut d = shop.clone();
            for i in 0..100 {
                d = d.join(format!("d{i}"));
            }
            std::fs::create_dir_all(&d).unwrap();
            std::fs::write(d.join("deep.yaml"), "kind: [\n").unwrap();
        }
        "marketplace/symlink-out" => {
            let out = outside_dir(p);
            std::fs::remove_file(repo.join("meshplug.yaml")).unwrap();
            symlink(out.join("config.json"), repo.join("meshplug.yaml")).unwrap();
            p.forbidden = Some(OUTSIDE_SECRET.into());
        }
        "marketplace/missing" => std::fs::remove_file(repo.join("meshplug.yaml")).unwrap(),
        "marketplace/repo-is-a-file" => {
            std::fs::remove_dir_all(&repo).unwrap();
            std::fs::write(&repo, "not a directory\n").unwrap();
        }
        "marketplace/output-through-symlink-out" => {
            let out = outside_dir(p);
            symlink(&out, repo.join("gen")).unwrap();
            let cfg = std::fs::read_to_string(repo.join("meshplug.yaml"))
                .unwrap()
                .replace("output: rendered", "output: gen/rendered");
            std::fs::write(repo.join("meshplug.yaml"), cfg).unwrap();
        }
        "marketplace/output-symlink-to-root" => {
            std::fs::remove_dir_all(repo.join("rendered")).unwrap();
            symlink(".", repo.join("rendered")).unwrap();
        }
        "marketplace/output-symlink-to-catalog" => {
            std::fs::remove_dir_all(repo.join("rendered")).unwrap();
            symlink("catalog", repo.join("rendered")).unwrap();
        }
        "lock/symlink-out" => {
            let out = outside_dir(p);
            std::fs::remove_file(repo.join("meshplug.lock")).unwrap();
            symlink(out.join("config.json"), repo.join("meshplug.lock")).unwrap();
            p.forbidden = Some(OUTSIDE_SECRET.into());
        }
        "lock/directory" => {
            std::fs::remove_file(repo.join("meshplug.lock")).unwrap();
            std::fs::create_dir(repo.join("meshplug.lock")).unwrap();
        }
        other => panic!("unknown generated case `{other}`"),
    }
}

/// Run one case; `Err` describes every way it went wrong.
/// `meshplug` run in the directory that holds a manifest input, on that file (by its name).
fn on_input(p: &Prepared, args: &[&str]) -> Command {
    let input = p.input.as_ref().unwrap();
    let mut c = Command::new(env!("CARGO_BIN_EXE_meshplug"));
    c.args(args)
        .arg(input.file_name().unwrap())
        .current_dir(input.parent().unwrap())
        .env("NO_COLOR", "1")
        .env("RAYON_NUM_THREADS", "1");
    c
}

/// `lint`: the JSON diagnostics, and the same exit for people.
fn lint_case(p: &Prepared, problems: &mut Vec<String>) -> Result<(Run, Vec<String>), String> {
    let r = run(
        on_input(p, &["lint", "--format", "json"]),
        "lint --format json",
    )?;
    let h = run(on_input(p, &["lint"]), "lint")?;
    if h.code != r.code {
        problems.push(format!(
            "lint exits {} but lint --format json exits {}",
            h.code, r.code
        ));
    }
    let diags = if r.code == 2 {
        Vec::new()
    } else {
        diag_list(&r.stdout).unwrap_or_else(|e| {
            problems.push(e);
            Vec::new()
        })
    };
    let stderr = format!("{}{}", r.stderr, h.stderr);
    Ok((Run { stderr, ..r }, diags))
}

/// `import`, into the base repository and into a new one: both exit alike; a refused import
/// writes nothing (the repository's whole tree hashes the same, the new one is not created); an
/// accepted one leaves a repository that validates.
fn import_case(
    p: &Prepared,
    case: &Case,
    problems: &mut Vec<String>,
) -> Result<(Run, Vec<String>), String> {
    let before = crate::support::tree_hash(&p.repo);
    let mut into = on_input(p, &["import"]);
    into.arg("--into").arg(&p.repo);
    let r = run(into, "import --into base")?;
    let fresh = p.repo.with_file_name("fresh");
    let mut new = on_input(p, &["import"]);
    new.arg("--into").arg(&fresh);
    let n = run(new, "import --into a new directory")?;
    if n.code != r.code {
        problems.push(format!(
            "import exits {} into the base repository but {} into a new one:\n{}",
            r.code, n.code, n.stderr
        ));
    }
    if r.code != 0 && crate::support::tree_hash(&p.repo) != before {
        problems.push("a refused import changed the repository".into());
    }
    if n.code != 0 && fresh.exists() {
        problems.push("a refused import created the new repository".into());
    }
    for (code, repo) in [(r.code, &p.repo), (n.code, &fresh)] {
        if code == 0 && case.exit == 0 {
            let v = run(meshplug(&["validate"], repo), "validate")?;
            if v.code != 0 {
                problems.push(format!(
                    "the imported repository does not validate:\n{}",
                    v.stderr
                ));
            }
        }
    }
    let stderr = format!("{}{}{}", r.stderr, n.stdout, n.stderr);
    Ok((Run { stderr, ..r }, Vec::new()))
}

fn check_case(case: &Case, template: &Path, scratch: &Path) -> Result<String, String> {
    let name = case.name();
    check_case_inner(case, template, scratch)
        .map(|printed| printed.unwrap_or_else(|| name.clone()))
        .map_err(|e| format!("{name}:\n  {e}"))
}

fn check_case_inner(
    case: &Case,
    template: &Path,
    scratch: &Path,
) -> Result<Option<String>, String> {
    let p = prepare(case, template, scratch);
    let mut problems = Vec::new();
    let before = crate::support::repo_state(&p.repo);
    let forbidden = |r: &Run, what: &str, problems: &mut Vec<String>| {
        if let Some(f) = &p.forbidden
            && (r.stdout.contains(f.as_str()) || r.stderr.contains(f.as_str()))
        {
            problems.push(format!(
                "{what}: printed what lies outside the repository:\n{}",
                r.stderr
            ));
        }
    };
    let (main, actual_diags) = if case.kind() == "lint" {
        lint_case(&p, &mut problems)?
    } else if case.kind() == "import" {
        import_case(&p, case, &mut problems)?
    } else if case.kind() == "wasm" {
        let module = p.input.clone().unwrap();
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_meshplug"));
        cmd.args(["inspect", "--format", "json"]).arg(&module);
        let r = run(cmd, "inspect --format json")?;
        let mut human = Command::new(env!("CARGO_BIN_EXE_meshplug"));
        human.arg("inspect").arg(&module);
        let h = run(human, "inspect")?;
        if h.code != r.code {
            problems.push(format!(
                "inspect exits {} but inspect --format json exits {}",
                h.code, r.code
            ));
        }
        let out = format!("{}{}{}", r.stdout, r.stderr, h.stdout);
        (Run { stderr: out, ..r }, Vec::new())
    } else {
        let json_args: &[&str] = if case.kind() == "lock" {
            &["render", "--format", "json"]
        } else {
            &["validate", "--format", "json"]
        };
        let r = run(meshplug(json_args, &p.repo), json_args[0])?;
        forbidden(&r, json_args[0], &mut problems);
        let diags = if r.code == 2 || r.stdout.trim().is_empty() {
            Vec::new()
        } else {
            match diag_list(&r.stdout) {
                Ok(d) => d,
                Err(e) => {
                    problems.push(e);
                    Vec::new()
                }
            }
        };
        (r, diags)
    };
    // render is the command that writes: when it fails, nothing may have changed.
    let mut render_code = None;
    let mut render_said = String::new();
    if !matches!(case.kind(), "wasm" | "lint" | "import") {
        // For people (miette snippets of hostile text must not crash either).
        let r = run(meshplug(&["render"], &p.repo), "render")?;
        forbidden(&r, "render", &mut problems);
        render_code = Some(r.code);
        render_said = r.stderr;
        let after = crate::support::repo_state(&p.repo);
        if render_code.unwrap_or(main.code) != 0 && after != before {
            problems.push("a failed run changed rendered/ or meshplug.lock".into());
        }
        if after.0 != before.0 {
            problems.push("render changed meshplug.lock".into());
        }
        if case.kind() == "lock" {
            // The other reader of the lock must not crash, nor touch a lock it cannot read.
            let l = run(meshplug(&["lock", "--offline"], &p.repo), "lock --offline")?;
            forbidden(&l, "lock --offline", &mut problems);
            if l.code != 0 && crate::support::repo_state(&p.repo).0 != before.0 {
                problems.push("a failed `lock --offline` changed meshplug.lock".into());
            }
        }
    }
    if std::env::var_os("CORPUS_PRINT").is_some() {
        let first_line = main
            .stderr
            .lines()
            .find(|l| l.contains("error"))
            .unwrap_or("");
        let render = render_code
            .filter(|&c| c != main.code)
            .map(|c| format!(", render: {c}"))
            .unwrap_or_default();
        return Ok(Some(format!(
            "- {{{}: {}, exit: {}{render}, diags: [{}]}}  # {} {}",
            if case.file.is_some() {
                "file"
            } else {
                "generate"
            },
            case.file.clone().or(case.generate.clone()).unwrap(),
            main.code,
            actual_diags.join(", "),
            first_line.trim(),
            problems.join(" | ")
        )));
    }
    if main.code != case.exit {
        problems.push(format!(
            "exit {} (expected {})\n{}{}",
            main.code, case.exit, main.stdout, main.stderr
        ));
    }
    if !matches!(case.kind(), "wasm" | "import") && actual_diags != case.diags {
        problems.push(format!(
            "diagnostics differ\n  expected: {:?}\n  actual:   {:?}\n{}",
            case.diags, actual_diags, main.stdout
        ));
    }
    if let Some(says) = &case.says {
        let said = format!("{}{}{render_said}", main.stdout, main.stderr);
        if !said.contains(says.as_str()) {
            problems.push(format!("the output does not say `{says}`:\n{said}"));
        }
    }
    if let Some(code) = render_code {
        let want = case.render.unwrap_or(case.exit);
        if code != want {
            problems.push(format!("render exits {code} (expected {want})"));
        }
    }
    if problems.is_empty() {
        Ok(None)
    } else {
        Err(problems.join("\n  "))
    }
}

#[test]
fn every_corpus_case_has_its_declared_outcome() {
    let text = std::fs::read_to_string(corpus().join("cases.yaml")).unwrap();
    let manifest: Manifest = serde_saphyr::from_str(&text).expect("tests/corpus/cases.yaml");
    let cases = manifest.cases;

    // Every input file is declared exactly once, and every declared file exists.
    let mut declared: Vec<String> = cases.iter().filter_map(|c| c.file.clone()).collect();
    declared.sort();
    let dupes: Vec<_> = declared.windows(2).filter(|w| w[0] == w[1]).collect();
    assert!(dupes.is_empty(), "declared twice: {dupes:?}");
    let mut on_disk = Vec::new();
    for kind in [
        "marketplace",
        "plugin",
        "binding",
        "lock",
        "wasm",
        "lint",
        "import",
    ] {
        for e in std::fs::read_dir(corpus().join(kind)).unwrap() {
            let name = e.unwrap().file_name().to_string_lossy().into_owned();
            if name != "README.md" {
                on_disk.push(format!("{kind}/{name}"));
            }
        }
    }
    on_disk.sort();
    assert_eq!(
        declared, on_disk,
        "cases.yaml and the corpus files disagree"
    );
    assert!(cases.len() >= 150, "only {} cases", cases.len());

    // A valid, rendered, locked repository every case starts from.
    let scratch = tempfile::tempdir().unwrap();
    let template = scratch.path().join("template");
    copy_dir(&corpus().join("base"), &template);
    let r = run(meshplug(&["render"], &template), "render the base").unwrap();
    assert_eq!(r.code, 0, "the base repository must render: {}", r.stderr);
    let v = run(
        meshplug(&["validate", "--deny-warnings"], &template),
        "validate",
    )
    .unwrap();
    assert_eq!(v.code, 0, "the base repository must be clean: {}", v.stderr);

    let next = Mutex::new(cases.iter());
    let results = Mutex::new(Vec::new());
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get().min(4));
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| {
                loop {
                    let Some(case) = next.lock().unwrap().next() else {
                        break;
                    };
                    let outcome = check_case(case, &template, scratch.path());
                    results.lock().unwrap().push(outcome);
                }
            });
        }
    });
    let results = results.into_inner().unwrap();
    if std::env::var_os("CORPUS_PRINT").is_some() {
        let mut lines: Vec<String> = results
            .into_iter()
            .map(|r| r.unwrap_or_else(|e| format!("# FAILED {e}")))
            .collect();
        lines.sort();
        println!("{}", lines.join("\n"));
        return;
    }
    let failures: Vec<String> = results.into_iter().filter_map(Result::err).collect();
    assert!(
        failures.is_empty(),
        "{} of {} corpus cases failed:\n\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
    eprintln!("corpus: {} cases passed", cases.len());
}
