//! Diagnostics are bounded and never print a flagged credential: a 5 MB value gives a few KB of
//! output in every format, a long line shows a window around the span, a file shows at most 100
//! findings, and a value MP033 flags is masked in every snippet and message of the run, whichever
//! diagnostic shows its line.

use crate::support::*;
use std::path::Path;

/// stdout and stderr of `meshplug ARGS REPO`, and its exit code.
fn run(args: &[&str], target: &Path) -> (String, String, i32) {
    let out = meshplug().args(args).arg(target).output().unwrap();
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code().unwrap_or(-1),
    )
}

#[test]
fn a_5_mb_plugin_name_prints_a_few_kb_in_every_format() {
    let (_dir, repo) = example_copy();
    let huge = "a".repeat(5 * 1024 * 1024);
    edit(
        &repo.join("bindings/bookinfo/details.yaml"),
        "- plugin: custom-response",
        &format!("- plugin: {huge}"),
    );
    let prefix = format!("{}…", "a".repeat(80));
    for cmd in ["validate", "render"] {
        for format in ["human", "json", "sarif"] {
            let (out, err, code) = run(&[cmd, "--format", format], &repo);
            let what = format!("{cmd} --format {format}");
            assert_eq!(code, 1, "{what}: {err}");
            // At most a window of it: the span's first 80 characters and 40 after.
            assert!(!out.contains(&"a".repeat(121)), "{what} echoes the value");
            assert!(!err.contains(&"a".repeat(121)), "{what} echoes the value");
            match format {
                "human" => {
                    assert!(out.is_empty(), "{what}");
                    assert!(err.len() < 8 * 1024, "{what}: {} bytes", err.len());
                    assert!(err.contains(&format!("`{prefix}`")), "{what}:\n{err}");
                    assert!(err.contains("(5,242,880 chars)"), "{what}:\n{err}");
                    // The snippet line is cut too, and the place is still right.
                    assert!(
                        err.contains("bindings/bookinfo/details.yaml:14:13"),
                        "{err}"
                    );
                    assert!(err.lines().all(|l| l.chars().count() <= 200), "{err}");
                }
                "json" => {
                    assert!(out.len() < 8 * 1024, "{what}: {} bytes", out.len());
                    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
                    let unknown = doc["diagnostics"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .find(|d| d["code"] == "MP012")
                        .expect("the MP012 finding");
                    assert_eq!(
                        unknown["message"],
                        format!("plugin `{prefix}` (5,242,880 chars) is not in the catalog")
                    );
                    assert_eq!(unknown["line"], 14);
                }
                _ => {
                    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
                    // The rule table is the same for every run; the results are what grows.
                    let results = serde_json::to_string(&doc["runs"][0]["results"]).unwrap();
                    assert!(results.len() < 8 * 1024, "{what}: {} bytes", results.len());
                    assert!(out.len() < 160 * 1024, "{what}: {} bytes", out.len());
                    assert!(results.contains("(5,242,880 chars)"), "{results}");
                }
            }
        }
    }
}

#[test]
fn a_long_line_shows_a_window_around_the_span() {
    let (_dir, repo) = example_copy();
    // One flow mapping on one line: 200 env entries, the unknown plugin, 200 config keys.
    let env: Vec<String> = (0..200)
        .map(|i| format!("{{name: V{i}, value: x}}"))
        .collect();
    let config: Vec<String> = (0..200).map(|i| format!("k{i}: v")).collect();
    let line = format!(
        "- {{vmConfig: {{env: [{}]}}, plugin: no-such-plugin, pluginConfig: {{{}}}}}",
        env.join(", "),
        config.join(", ")
    );
    assert!(line.len() > 5000);
    let path = repo.join("bindings/bookinfo/ratings.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    let start = text.find("  plugins:\n").unwrap() + "  plugins:\n".len();
    std::fs::write(&path, format!("{}  {line}\n", &text[..start])).unwrap();
    let (_, err, code) = run(&["validate"], &repo);
    assert_eq!(code, 1, "{err}");
    let col = "  ".len() + line.find("no-such-plugin").unwrap() + 1;
    let start_line = text[..start].lines().count() + 1;
    let report: String = err
        .split("MP012(unknown-plugin)")
        .nth(1)
        .expect("the MP012 finding")
        .lines()
        .take(9)
        .collect::<Vec<_>>()
        .join("\n");
    assert!(
        report.contains(&format!(
            "bindings/bookinfo/ratings.yaml:{start_line}:{col}"
        )),
        "{report}"
    );
    let snippet = report
        .lines()
        .find(|l| l.contains("no-such-plugin") && l.contains('│'))
        .expect("the snippet line");
    assert!(snippet.chars().count() < 160, "{snippet}");
    assert!(
        snippet.contains(" │ …") && snippet.ends_with('…'),
        "{snippet}"
    );
    insta::assert_snapshot!(
        "long_line_window",
        report.replace(&start_line.to_string(), "L")
    );
}

/// The example with more credentials beside the task's two, and config-schema errors (MP027) on
/// the same lines: a number among the credentials and a mapping with a password as the realm.
fn repo_with_adjacent_secrets() -> (tempfile::TempDir, std::path::PathBuf) {
    let (dir, repo) = example_copy();
    edit(
        &repo.join("bindings/istio-system/istio-ingressgateway.yaml"),
        "        - YWRtaW4zOmFkbWluMw==\n",
        "        - YWRtaW4zOmFkbWluMw==\n        - \"Bearer s3cr3t-t0ken-value\"\n        - 12345\n      realm: {password: hunter2-canary}\n",
    );
    (dir, repo)
}

const SECRETS: [&str; 4] = [
    "ok:test",
    "YWRtaW4zOmFkbWluMw==",
    "s3cr3t-t0ken-value",
    "hunter2-canary",
];

fn assert_no_secret(what: &str, text: &str) {
    for s in SECRETS {
        assert!(!text.contains(s), "{what} shows `{s}` in clear:\n{text}");
    }
}

#[test]
fn flagged_secrets_never_print_in_clear_whichever_diagnostic_shows_them() {
    let (_dir, repo) = repo_with_adjacent_secrets();
    let binding = "bindings/istio-system/istio-ingressgateway.yaml";
    for (args, formats) in [
        (&["validate"][..], &["human", "json", "sarif"][..]),
        (&["render", "--allow-unpinned"][..], &["human", "json"][..]),
    ] {
        for format in formats {
            let mut a = args.to_vec();
            a.extend(["--format", format]);
            let (out, err, code) = run(&a, &repo);
            let what = a.join(" ");
            assert_eq!(code, 1, "{what}: {err}");
            assert_no_secret(&what, &out);
            assert_no_secret(&what, &err);
            // The findings are there: the MP027 errors and an MP033 per credential.
            let all = format!("{out}{err}");
            assert!(all.contains("MP027"), "{what}:\n{all}");
            assert!(all.matches("MP033").count() >= 5, "{what}:\n{all}");
        }
    }
    let (_, err, _) = run(&["validate"], &repo);
    let mp027 = err
        .split("MP027(plugin-config)")
        .nth(1)
        .unwrap()
        .lines()
        .take(9)
        .collect::<Vec<_>>()
        .join("\n");
    assert!(mp027.contains(binding), "{mp027}");
    insta::assert_snapshot!("mp027_beside_secrets", mp027);

    // The same pluginConfig in a WasmPlugin manifest, for lint and import.
    let dir = tempfile::tempdir().unwrap();
    let manifest = dir.path().join("wasmplugin.yaml");
    std::fs::write(
        &manifest,
        "apiVersion: extensions.istio.io/v1alpha1\nkind: WasmPlugin\nmetadata:\n  name: basic-auth\n  namespace: istio-system\nspec:\n  selector:\n    matchLabels:\n      istio: ingressgateway\n  url: oci://ghcr.io/istio-ecosystem/wasm-extensions/basic_auth:1.12.0\n  phase: AUTHN\n  pluginConfig:\n    basic_auth_rules:\n    - prefix: /productpage\n      credentials:\n      - ok:test\n      - YWRtaW4zOmFkbWluMw==\n      - \"Bearer s3cr3t-t0ken-value\"\n      password: hunter2-canary\n",
    )
    .unwrap();
    for format in ["human", "json", "sarif"] {
        let (out, err, code) = run(&["lint", "--format", format], &manifest);
        assert_eq!(code, 0, "lint --format {format}: {err}");
        assert_no_secret("lint", &out);
        assert_no_secret("lint", &err);
        assert!(format!("{out}{err}").contains("MP033"), "{out}{err}");
    }
    for (i, format) in ["table", "json"].into_iter().enumerate() {
        let into = dir.path().join(format!("imported-{i}"));
        let out = meshplug()
            .args(["import", "--format", format, "--into"])
            .arg(&into)
            .arg(&manifest)
            .output()
            .unwrap();
        let (o, e) = (
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr),
        );
        assert_eq!(out.status.code(), Some(0), "import --format {format}: {e}");
        assert_no_secret("import", &e);
        // The plan (with the files it writes, in JSON) and the human table: masked alike.
        assert_no_secret("import", &o);
        // The files written keep the manifest's values: only what is printed is masked.
        let written: String = walkdir::WalkDir::new(into.join("bindings"))
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_file())
            .map(|e| std::fs::read_to_string(e.path()).unwrap())
            .collect();
        assert!(written.contains("ok:test"), "{written}");
        // --dry-run prints the files, masked.
        let dry = meshplug()
            .args(["import", "--dry-run", "--format", format, "--into"])
            .arg(dir.path().join(format!("dry-{i}")))
            .arg(&manifest)
            .output()
            .unwrap();
        assert_no_secret("import --dry-run", &String::from_utf8_lossy(&dry.stdout));
        assert!(format!("{o}{e}").contains("MP033"), "{o}{e}");
    }
}

#[test]
fn the_example_shows_no_credential_in_validate_output() {
    let example = project().join("examples/bookinfo");
    for format in ["human", "json", "sarif"] {
        let (out, err, code) = run(&["validate", "--format", format], &example);
        assert_eq!(code, 0, "{err}");
        for s in ["YWRtaW4zOmFkbWluMw==", "ok:test"] {
            assert!(
                !out.contains(s) && !err.contains(s),
                "{format}: `{s}`\n{out}{err}"
            );
        }
        assert!(format!("{out}{err}").contains("MP033"));
    }
}

#[test]
fn a_file_shows_at_most_100_findings() {
    let (_dir, repo) = example_copy();
    let path = repo.join("bindings/bookinfo/ratings.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    let plugins: String = (0..250)
        .map(|i| format!("  - plugin: missing-{i}\n"))
        .collect();
    let start = text.find("  plugins:\n").unwrap() + "  plugins:\n".len();
    std::fs::write(&path, format!("{}{plugins}", &text[..start])).unwrap();
    let (_, err, code) = run(&["validate"], &repo);
    assert_eq!(code, 1);
    assert_eq!(err.matches("MP012(unknown-plugin)").count(), 100, "{err}");
    assert!(
        err.contains("… and 150 more findings in bindings/bookinfo/ratings.yaml\n"),
        "{err}"
    );
    assert!(err.contains("validate: 250 errors"), "{err}");
    let (out, _, _) = run(&["validate", "--format", "json"], &repo);
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let shown = doc["diagnostics"].as_array().unwrap();
    assert_eq!(shown.iter().filter(|d| d["code"] == "MP012").count(), 100);
    assert_eq!(doc["errors"], 250);
    assert_eq!(doc["omitted"][0]["file"], "bindings/bookinfo/ratings.yaml");
    assert_eq!(doc["omitted"][0]["findings"], 150);
    let (out, _, _) = run(&["validate", "--format", "sarif"], &repo);
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let run = &doc["runs"][0];
    assert_eq!(
        run["results"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["ruleId"] == "MP012")
            .count(),
        100
    );
    assert_eq!(
        run["invocations"][0]["toolExecutionNotifications"][0]["message"]["text"],
        "… and 150 more findings in bindings/bookinfo/ratings.yaml"
    );
}
