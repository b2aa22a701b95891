//! `meshplug lint` and `meshplug import` against Istio's own fixtures (istio/api
//! tests/testdata/wasm-{valid,invalid}.yaml in ../shared/conformance, when present): every valid
//! fixture passes and round-trips through import, every invalid one fails for the right reason.

use crate::support::*;
use meshplug::manifests::normalize::normalize;
use meshplug::manifests::read::read;
use predicates::prelude::*;

const HEAD: &str = "apiVersion: extensions.istio.io/v1alpha1\nkind: WasmPlugin\nmetadata:\n  name: p\n  namespace: ns\nspec:\n";

#[test]
fn lint_reports_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("p.yaml");
    std::fs::write(
        &file,
        format!("{HEAD}  url: oci://ghcr.io/a/b:latest\n  vmConfig:\n    env:\n    - name: ISTIO_META_X\n      valueFrom: HOST\n      value: x\n  selector:\n    matchLabels:\n      \"app*\": web\n"),
    )
    .unwrap();
    let a = meshplug()
        .args(["lint", "--format", "json"])
        .arg(&file)
        .assert()
        .code(1);
    let v: serde_json::Value = serde_json::from_str(&stdout(&a)).unwrap();
    let found: Vec<String> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            format!(
                "{}:{}:{} {}",
                d["code"].as_str().unwrap(),
                d["line"],
                d["column"],
                d["severity"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            "MP019:7:8 warning",
            "MP024:10:13 error",
            "MP022:12:14 error",
            "MP021:15:7 error",
        ]
    );
    let human = meshplug().arg("lint").arg(&file).assert().code(1);
    insta::assert_snapshot!("lint_human", redact(&stderr(&human), dir.path()));
}

#[test]
fn lint_reads_streams_lists_and_stdin() {
    let good = format!("{HEAD}  url: oci://ghcr.io/a/b:1.0\n");
    let stream =
        format!("{good}---\napiVersion: v1\nkind: ConfigMap\nmetadata: {{name: c}}\n---\n{good}");
    meshplug()
        .args(["lint", "-"])
        .write_stdin(stream)
        .assert()
        .success()
        .stderr(predicate::str::contains("ok (2 WasmPlugins"));
    let list = "apiVersion: v1\nkind: List\nitems:\n- apiVersion: extensions.istio.io/v1alpha1\n  kind: WasmPlugin\n  metadata: {name: a, namespace: b}\n  spec:\n    url: oci://ghcr.io/a/b:1.0\n    match:\n    - ports: [{number: 80}, {number: 80}]\n".to_string();
    meshplug()
        .args(["lint", "-"])
        .write_stdin(list)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("MP025").and(predicate::str::contains("<stdin>:10:")));
    meshplug()
        .args(["lint", "/nonexistent/file.yaml"])
        .assert()
        .code(2);
    meshplug()
        .args(["lint", "--deny-warnings", "-"])
        .write_stdin(format!("{HEAD}  url: ghcr.io/a/b:1.0\n"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("Istio reads it as oci://"));
}

/// The fixture documents of `file`, with `_err` lines turned into comments (same line numbers),
/// and the expected error text of each.
fn fixtures(dir: &std::path::Path, file: &str) -> (String, Vec<Option<String>>) {
    let text = std::fs::read_to_string(dir.join("istio-api-testdata").join(file)).unwrap();
    // The file opens with a comment and the first document; `---` starts each next one.
    let mut expected = vec![None];
    let mut out = String::new();
    for line in text.lines() {
        if line.starts_with("---") {
            expected.push(None);
        }
        match line.strip_prefix("_err:") {
            Some(e) => {
                *expected.last_mut().unwrap() = Some(e.trim().trim_matches('\'').to_string());
                out.push_str(&format!("# {line}\n"));
            }
            None => {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    (out, expected)
}

/// The rule an API-server error message corresponds to.
fn rule_for(message: &str) -> &'static str {
    match message {
        m if m.contains("url must have schema") => "MP016",
        m if m.contains("sha256 in body should match") => "MP017",
        m if m.contains("Duplicate value") => "MP023",
        m if m.contains("valueFrom is INLINE") => "MP022",
        m if m.contains("wildcard not allowed") => "MP021",
        // Length errors of an env var's name are plain schema errors (MP010 is for Kubernetes
        // object names only).
        _ => "MP002",
    }
}

#[test]
fn istio_api_fixtures_valid_pass_and_invalid_fail() {
    let Some(dir) = shared_conformance() else {
        return;
    };
    let (valid, _) = fixtures(&dir, "wasm-valid.yaml");
    let (docs, problems) = read("wasm-valid.yaml", valid.clone().into_bytes());
    assert!(problems.is_empty());
    assert_eq!(docs.len(), 4);
    for doc in &docs {
        let errors: Vec<String> = meshplug::manifests::lint::lint(doc, "istio-system")
            .into_iter()
            .filter(|d| d.severity == meshplug::diag::Severity::Error)
            .map(|d| format!("{}: {}", d.rule.code, d.message))
            .collect();
        assert!(
            errors.is_empty(),
            "{}: {errors:?}",
            doc.value["metadata"]["name"]
        );
    }
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("valid.yaml"), &valid).unwrap();
    meshplug()
        .arg("lint")
        .arg(tmp.path().join("valid.yaml"))
        .assert()
        .success();

    let (invalid, expected) = fixtures(&dir, "wasm-invalid.yaml");
    let (docs, problems) = read("wasm-invalid.yaml", invalid.clone().into_bytes());
    assert!(problems.is_empty());
    assert_eq!(docs.len(), expected.len());
    assert_eq!(docs.len(), 15);
    for (doc, want) in docs.iter().zip(&expected) {
        let want = want
            .as_deref()
            .expect("every invalid fixture names its error");
        let codes: Vec<&str> = meshplug::manifests::lint::lint(doc, "istio-system")
            .iter()
            .filter(|d| d.severity == meshplug::diag::Severity::Error)
            .map(|d| d.rule.code)
            .collect();
        assert!(
            codes.contains(&rule_for(want)),
            "{} (expected `{want}`): got {codes:?}",
            doc.value["metadata"]["name"]
        );
    }
    std::fs::write(tmp.path().join("invalid.yaml"), &invalid).unwrap();
    meshplug()
        .arg("lint")
        .arg(tmp.path().join("invalid.yaml"))
        .assert()
        .code(1);
}

#[test]
fn istio_api_valid_fixtures_round_trip_through_import() {
    let Some(dir) = shared_conformance() else {
        return;
    };
    let (valid, _) = fixtures(&dir, "wasm-valid.yaml");
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("valid.yaml");
    std::fs::write(&input, &valid).unwrap();
    let into = tmp.path().join("repo");
    // Together they tie in phase and priority on the same workloads (MP029): the import as a
    // whole is refused and writes nothing. (`url: test`, Docker Hub's `library/test` without a
    // tag, is only a warning, MP019.)
    meshplug()
        .arg("import")
        .arg(&input)
        .arg("--into")
        .arg(&into)
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("MP029").and(predicate::str::contains("nothing was written")),
        );
    assert!(!into.exists(), "a refused import created the repository");
    // Every fixture round-trips, each imported into a repository of its own.
    let (docs, _) = read("valid.yaml", valid.clone().into_bytes());
    let texts: Vec<&str> = valid.split("\n---\n").collect();
    assert_eq!(texts.len(), 4, "the fixtures changed: {texts:?}");
    for (i, text) in texts.iter().enumerate() {
        let input = tmp.path().join(format!("valid-{i}.yaml"));
        std::fs::write(&input, text).unwrap();
        let into = tmp.path().join(format!("repo-{i}"));
        let plan = meshplug()
            .arg("import")
            .arg(&input)
            .args(["--format", "json", "--into"])
            .arg(&into)
            .assert()
            .success();
        let plan: serde_json::Value = serde_json::from_str(&stdout(&plan)).unwrap();
        let repo = meshplug::load::load(&into).unwrap().repo.unwrap();
        let checked = meshplug::check::check(&repo);
        let files = meshplug::render::render(&repo, &checked, &meshplug::lock::NoPins, true)
            .unwrap()
            .files();
        let mapping = &plan["mappings"][0];
        let name = mapping["from"].as_str().unwrap();
        let doc = docs
            .iter()
            .find(|d| d.value["metadata"]["name"] == name)
            .unwrap();
        let path = format!("default/default/{}.yaml", mapping["to"].as_str().unwrap());
        let rendered: serde_json::Value = serde_saphyr::from_str(
            files
                .get(&path)
                .unwrap_or_else(|| panic!("{path} not rendered: {:?}", files.keys())),
        )
        .unwrap();
        assert_eq!(
            normalize(&rendered["spec"]),
            normalize(&doc.value["spec"]),
            "{name}"
        );
    }
}
