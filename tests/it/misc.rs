//! Shell completions, the man page, colour conventions, the GitOps example files and argument
//! parsing corners.

use crate::support::*;
use predicates::prelude::*;

#[test]
fn completions_and_man_page() {
    for shell in ["bash", "zsh", "fish"] {
        meshplug()
            .args(["completions", shell])
            .assert()
            .success()
            .stdout(predicate::str::contains("explain").and(predicate::str::contains("catalog")));
    }
    meshplug().args(["completions", "tcsh"]).assert().code(2);
    let man = meshplug().arg("man").assert().success();
    let text = stdout(&man);
    assert!(
        text.starts_with(".ie") || text.contains(".TH meshplug"),
        "{}",
        &text[..200.min(text.len())]
    );
    for needle in [
        "meshplug bind",
        "meshplug status",
        "EXIT STATUS",
        "\\-\\-live",
    ] {
        assert!(text.contains(needle), "man page lacks {needle}");
    }
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    let repo = project().join("examples/bookinfo");
    let (_d, copy) = example_copy();
    let dump = rendered_stream(&copy, "staging");
    let plain = meshplug()
        .args(["status", "--cluster", "staging", "--live", "-", "--repo"])
        .arg(&repo)
        .write_stdin(dump.clone())
        .assert()
        .success();
    assert!(!stdout(&plain).contains('\u{1b}'));
    let colour = meshplug()
        .args([
            "--color",
            "always",
            "status",
            "--cluster",
            "staging",
            "--live",
            "-",
            "--repo",
        ])
        .arg(&repo)
        .write_stdin(dump)
        .assert()
        .success();
    assert!(stdout(&colour).contains("\u{1b}[32minstalled\u{1b}[0m"));
    // Errors go to stderr, data to stdout.
    meshplug()
        .args(["explain", "bookinfo/productpage", "--repo", "/nonexistent"])
        .assert()
        .code(2)
        .stdout(predicate::str::is_empty())
        .stderr(predicate::str::contains("not a directory"));
}

#[test]
fn gitops_examples_point_at_the_rendered_clusters_of_the_example() {
    let dir = project().join("examples/gitops");
    let mut paths = Vec::new();
    for (rel, bytes) in snapshot_tree(&dir) {
        let doc: serde_json::Value = serde_saphyr::from_slice(&bytes)
            .unwrap_or_else(|e| panic!("{rel} is not valid YAML: {e}"));
        let path = doc["spec"]["source"]["path"]
            .as_str()
            .or(doc["spec"]["path"].as_str())
            .or(doc["spec"]["template"]["spec"]["source"]["path"].as_str());
        if let Some(p) = path {
            paths.push((rel.clone(), p.trim_start_matches("./").to_string()));
        }
    }
    assert_eq!(paths.len(), 5, "{paths:?}");
    let (_d, repo) = example_copy();
    meshplug()
        .args(["render", "--allow-unpinned"])
        .arg(&repo)
        .assert()
        .success();
    for (file, path) in paths {
        let path = path.replace("{{cluster}}", "staging");
        assert!(
            repo.join(&path).join("kustomization.yaml").is_file(),
            "{file}: {path} is not a rendered cluster directory"
        );
    }
    let docs = std::fs::read_to_string(project().join("docs/gitops.md")).unwrap();
    for step in [
        "meshplug validate",
        "meshplug lock --verify",
        "meshplug render --check",
    ] {
        assert!(docs.contains(step), "docs/gitops.md lacks {step}");
    }
}

#[test]
fn lock_update_takes_plugin_names_only_after_an_equals_sign() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("repo");
    meshplug().arg("init").arg(&repo).assert().success();
    // The repository after a bare `--update` is the positional argument, not a plugin name.
    meshplug()
        .args(["lock", "--update"])
        .arg(&repo)
        .assert()
        .success()
        .stderr(predicates::str::contains("0 modules"));
    assert!(repo.join("meshplug.lock").is_file());
    // A name that is not in the catalog is refused before anything is resolved.
    meshplug()
        .args(["lock", "--update=key-auth,key-auht"])
        .arg(&repo)
        .assert()
        .code(2)
        .stderr(
            predicates::str::contains("`key-auht`, which is not a plugin")
                .and(predicates::str::contains("did you mean `key-auth`")),
        );
}

#[test]
fn format_json_always_prints_a_json_document_even_for_a_fatal_error() {
    let dir = tempfile::tempdir().unwrap();
    for args in [
        vec!["validate", "--format", "json"],
        vec!["render", "--format=json"],
    ] {
        let out = meshplug().args(&args).arg(dir.path()).assert().code(2);
        let doc: serde_json::Value = serde_json::from_str(&stdout(&out))
            .unwrap_or_else(|e| panic!("{args:?}: stdout is not JSON ({e}): {}", stdout(&out)));
        let err = &doc["errors"][0];
        assert_eq!(err["severity"], "error", "{doc}");
        assert!(
            err["message"].as_str().unwrap().contains("meshplug.yaml"),
            "{doc}"
        );
        assert!(
            err["help"].as_str().unwrap().contains("meshplug init"),
            "{doc}"
        );
        assert!(err["file"].is_null() && err["line"].is_null(), "{doc}");
    }
    // Without --format json the same error goes to stderr for people.
    let out = meshplug().arg("validate").arg(dir.path()).assert().code(2);
    assert!(stdout(&out).is_empty());
}

#[test]
fn a_closed_pipe_ends_the_command_quietly() {
    use std::io::Read as _;
    use std::process::{Command, Stdio};
    for args in [
        &["rules"][..],
        &["completions", "bash"][..],
        &["validate", "examples/bookinfo", "--format", "json"][..],
    ] {
        let mut child = Command::new(assert_cmd::cargo::cargo_bin("meshplug"))
            .args(args)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Close the reading end before the child has started up: its first write meets a
        // closed pipe (as `meshplug rules | head -0` would).
        drop(child.stdout.take());
        let mut err = String::new();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut err)
            .unwrap();
        let status = child.wait().unwrap();
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert_ne!(status.code(), Some(101), "{args:?}: {err}");
    }
}

#[test]
fn rules_with_a_misspelt_code_suggests_the_right_one() {
    let out = meshplug().args(["rules", "MP19"]).assert().code(2);
    assert!(
        stderr(&out).contains("did you mean `MP019`?"),
        "{}",
        stderr(&out)
    );
}
