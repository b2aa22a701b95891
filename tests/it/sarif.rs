//! `--format sarif`: every log meshplug writes (findings, no findings, fatal errors) is valid
//! SARIF 2.1.0 by the official schema (../shared/conformance/sarif-schema-2.1.0.json) and says
//! the same as `--format json`.

use crate::support::*;
use serde_json::Value;

/// The official schema, compiled; `None` (with a note) when ../shared is absent and not required.
fn schema() -> Option<jsonschema::Validator> {
    let dir = shared_conformance()?;
    let path = dir.join("sarif-schema-2.1.0.json");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let schema: Value = serde_json::from_str(&text).unwrap();
    Some(
        jsonschema::options()
            .should_validate_formats(true)
            .build(&schema)
            .expect("the SARIF schema compiles"),
    )
}

/// Parse `stdout` as a SARIF log and check it against the schema (when present) and the
/// invariants meshplug keeps.
fn check(stdout: &str) -> Value {
    let log: Value = serde_json::from_str(stdout)
        .unwrap_or_else(|e| panic!("stdout is not one JSON document: {e}\n{stdout}"));
    if let Some(v) = schema() {
        let errors: Vec<String> = v
            .iter_errors(&log)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(
            errors.is_empty(),
            "not valid SARIF 2.1.0:\n{}",
            errors.join("\n")
        );
    }
    assert_eq!(log["version"], "2.1.0");
    assert_eq!(
        log["$schema"],
        "https://json.schemastore.org/sarif-2.1.0.json"
    );
    let runs = log["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    let driver = &runs[0]["tool"]["driver"];
    assert_eq!(driver["name"], "meshplug");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    let rules = driver["rules"].as_array().unwrap();
    assert_eq!(rules.len(), meshplug::diag::rule::ALL.len());
    let doc = std::fs::read_to_string(project().join("docs/rules.md")).unwrap();
    for (rule, want) in rules.iter().zip(meshplug::diag::rule::ALL) {
        assert_eq!(rule["id"], want.code);
        assert_eq!(rule["name"], want.name);
        assert_eq!(rule["shortDescription"]["text"], want.summary);
        let anchor = want.code.to_lowercase();
        assert_eq!(
            rule["helpUri"],
            format!("https://github.com/meshplug/meshplug/blob/main/docs/rules.md#{anchor}")
                .as_str()
        );
        assert!(
            doc.contains(&format!("<a id=\"{anchor}\"></a>")),
            "no anchor {anchor}"
        );
        let level = format!("{:?}", want.severity).to_lowercase();
        assert_eq!(rule["defaultConfiguration"]["level"], level.as_str());
    }
    for r in runs[0]["results"].as_array().unwrap() {
        let i = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[i]["id"], r["ruleId"], "{r}");
        if let Some(loc) = r.pointer("/locations/0/physicalLocation/artifactLocation") {
            let uri = loc["uri"].as_str().unwrap();
            if !uri.starts_with("file://") {
                assert_eq!(loc["uriBaseId"], "%SRCROOT%");
                assert!(!uri.starts_with('/'), "{uri}");
            }
        }
    }
    log
}

/// Results as `CODE level uri:line:col`, and the same from `--format json`.
fn results(log: &Value) -> Vec<String> {
    log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let loc = &r["locations"][0]["physicalLocation"];
            format!(
                "{} {} {}:{}:{}",
                r["ruleId"].as_str().unwrap(),
                r["level"].as_str().unwrap(),
                loc["artifactLocation"]["uri"].as_str().unwrap_or("-"),
                loc["region"]["startLine"],
                loc["region"]["startColumn"],
            )
        })
        .collect()
}

fn json_results(json: &str) -> Vec<String> {
    let v: Value = serde_json::from_str(json).unwrap();
    v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            format!(
                "{} {} {}:{}:{}",
                d["code"].as_str().unwrap(),
                d["severity"].as_str().unwrap(),
                d["file"].as_str().unwrap_or("-"),
                d["line"],
                d["column"],
            )
        })
        .collect()
}

fn run(args: &[&str], dir: &std::path::Path, code: i32) -> String {
    let a = meshplug().current_dir(dir).args(args).assert().code(code);
    stdout(&a)
}

#[test]
fn validate_example_is_a_valid_log_with_its_warnings_and_no_secrets() {
    let (_d, repo) = example_copy();
    let out = run(&["validate", "--format", "sarif"], &repo, 0);
    let log = check(&out);
    let found = results(&log);
    assert!(
        !found.is_empty() && found.iter().all(|r| r.starts_with("MP033 warning ")),
        "{found:?}"
    );
    assert_eq!(
        found,
        json_results(&run(&["validate", "--format", "json"], &repo, 0))
    );
    assert_eq!(
        log["runs"][0]["invocations"][0]["executionSuccessful"],
        true
    );
    // The findings point at credentials; the log does not copy them.
    for secret in [
        "mobile-app-demo-key",
        "partner-portal-demo-key",
        "YWRtaW4zOmFkbWluMw==",
    ] {
        assert!(!out.contains(secret), "the SARIF log copies `{secret}`");
    }
    // Deterministic: the same repository gives the same bytes.
    assert_eq!(out, run(&["validate", "--format", "sarif"], &repo, 0));
    eprintln!(
        "one result: {}",
        serde_json::to_string_pretty(&log["runs"][0]["results"][0]).unwrap()
    );
}

#[test]
fn validate_with_several_errors_gives_one_result_each() {
    let (_d, repo) = example_copy();
    edit(
        &repo.join("bindings/bookinfo/productpage.yaml"),
        "plugin: key-auth",
        "plugin: key-auht",
    );
    edit(
        &repo.join("bindings/bookinfo/details.yaml"),
        "namespace: bookinfo",
        "namespace: Bookinfo",
    );
    write_files(
        &repo,
        &[(
            "bindings/bookinfo/broken.yaml",
            "apiVersion: meshplug.io/v1alpha1\nkind: Binding\nmetadata: {name: broken, namespace: bookinfo}\nspec:\n  plugins:\n  - plugin: cors\n    priority: 5000\n    nope: 1\n",
        )],
    );
    let repo_arg = repo.to_str().unwrap();
    let out = run(&["validate", "--format", "sarif", repo_arg], &repo, 1);
    let log = check(&out);
    let found = results(&log);
    let errors = found.iter().filter(|r| r.contains(" error ")).count();
    assert!(errors >= 3, "{found:?}");
    assert!(
        found
            .iter()
            .any(|r| r.starts_with("MP012 error bindings/bookinfo/productpage.yaml:")),
        "{found:?}"
    );
    assert_eq!(
        found,
        json_results(&run(&["validate", "--format", "json", repo_arg], &repo, 1))
    );
    let r = log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "MP012")
        .unwrap();
    let text = r["message"]["text"].as_str().unwrap();
    assert!(
        text.contains("key-auht") && text.contains("\nhelp: "),
        "{text}"
    );
}

#[test]
fn lint_of_a_bad_manifest_is_a_valid_log() {
    let dir = tempfile::tempdir().unwrap();
    write_files(
        dir.path(),
        &[(
            "manifests/p.yaml",
            "apiVersion: extensions.istio.io/v1alpha1\nkind: WasmPlugin\nmetadata:\n  name: p\n  namespace: ns\nspec:\n  url: oci://ghcr.io/a/b:latest\n  priority: -5000\n  vmConfig:\n    env:\n    - name: ISTIO_META_X\n      valueFrom: HOST\n      value: x\n",
        )],
    );
    let out = run(
        &["lint", "--format", "sarif", "manifests/p.yaml"],
        dir.path(),
        1,
    );
    let log = check(&out);
    let found = results(&log);
    assert!(found.len() >= 2, "{found:?}");
    assert!(
        found.iter().all(|r| r.contains(" manifests/p.yaml:")),
        "{found:?}"
    );
    assert_eq!(
        found,
        json_results(&run(
            &["lint", "--format", "json", "manifests/p.yaml"],
            dir.path(),
            1
        ))
    );
    // An absolute path becomes a file:// uri.
    let abs = dir.path().join("manifests/p.yaml");
    let log = check(&run(
        &["lint", "--format", "sarif", abs.to_str().unwrap()],
        dir.path(),
        1,
    ));
    let uri = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
        ["uri"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        uri.starts_with("file:///") && uri.ends_with("/manifests/p.yaml"),
        "{uri}"
    );
    // A clean run: a valid log without results.
    write_files(
        dir.path(),
        &[(
            "ok.yaml",
            "apiVersion: extensions.istio.io/v1alpha1\nkind: WasmPlugin\nmetadata:\n  name: p\n  namespace: ns\nspec:\n  url: oci://ghcr.io/a/b:1.0.0\n",
        )],
    );
    let log = check(&run(
        &["lint", "--format", "sarif", "ok.yaml"],
        dir.path(),
        0,
    ));
    assert_eq!(log["runs"][0]["results"], serde_json::json!([]));
}

#[test]
fn fatal_errors_are_a_valid_log_of_a_failed_run() {
    let dir = tempfile::tempdir().unwrap();
    for args in [
        &["validate", "--format", "sarif", "no-such-repo"][..],
        &["validate", "--format=sarif", "--no-such-flag"][..],
        &["lint", "--format", "sarif", "missing.yaml"][..],
    ] {
        let out = run(args, dir.path(), 2);
        let log = check(&out);
        let inv = &log["runs"][0]["invocations"][0];
        assert_eq!(inv["executionSuccessful"], false, "{args:?}");
        let note = &inv["toolExecutionNotifications"][0];
        assert_eq!(note["level"], "error");
        assert!(!note["message"]["text"].as_str().unwrap().is_empty());
        assert_eq!(log["runs"][0]["results"], serde_json::json!([]));
    }
}

#[test]
fn commands_that_print_data_do_not_offer_sarif() {
    let dir = tempfile::tempdir().unwrap();
    for args in [
        &["lock", "--format", "sarif"][..],
        &["inspect", "x.wasm", "--format", "sarif"][..],
    ] {
        meshplug()
            .current_dir(dir.path())
            .args(args)
            .assert()
            .code(2)
            .stderr(predicates::str::contains("possible values: human, json"));
    }
}

#[test]
fn the_schema_check_is_live() {
    let Some(v) = schema() else { return };
    let dir = tempfile::tempdir().unwrap();
    let mut log: Value = serde_json::from_str(&run(
        &["lint", "--format", "sarif", "missing.yaml"],
        dir.path(),
        2,
    ))
    .unwrap();
    assert!(v.is_valid(&log));
    log["runs"][0]["invocations"][0]["executionSuccessful"] = Value::from("no");
    log["runs"][0]["results"] = serde_json::json!([{"ruleId": "MP001", "level": "fatal"}]);
    assert!(
        !v.is_valid(&log),
        "the schema accepts a broken log: the check proves nothing"
    );
}
