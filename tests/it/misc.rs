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

/// Issue #14: every command finds the repository from any of its subdirectories, as cargo and
/// git do, and says how to create one outside any.
#[test]
fn the_repository_is_found_from_a_subdirectory() {
    let (_d, repo) = example_copy();
    let sub = repo.join("bindings/bookinfo");
    let ok = meshplug()
        .current_dir(&sub)
        .arg("validate")
        .assert()
        .success();
    assert!(stderr(&ok).contains("validate: ok"), "{}", stderr(&ok));
    // A plugin of the repository's own catalog, not the builtin one.
    meshplug()
        .current_dir(&sub)
        .args(["catalog", "show", "deny-path"])
        .assert()
        .success();
    meshplug()
        .current_dir(&sub)
        .args(["explain", "bookinfo/productpage"])
        .assert()
        .success();
    meshplug()
        .current_dir(&sub)
        .args(["status"])
        .assert()
        .success();
    meshplug()
        .current_dir(&sub)
        .args(["render", "--allow-unpinned"])
        .assert()
        .success();
    assert!(repo.join("rendered/staging").is_dir());
    assert!(!sub.join("rendered").exists());
    // A binding added from a subdirectory lands in the repository's bindings directory.
    meshplug()
        .current_dir(&sub)
        .args(["bind", "bookinfo/details", "add-header", "--dry-run"])
        .assert()
        .code(predicate::in_iter([0, 1]));
    // Outside any repository: the init hint, exit 2.
    let empty = tempfile::tempdir().unwrap();
    for args in [
        &["validate"][..],
        &["explain", "a/b"],
        &["status"],
        &["render"],
    ] {
        let out = meshplug()
            .current_dir(empty.path())
            .args(args)
            .assert()
            .code(2);
        let err = stderr(&out);
        assert!(
            err.contains("not a meshplug repository") && err.contains("meshplug init ."),
            "{args:?}: {err}"
        );
    }
    // `catalog list` outside a repository still lists the builtin catalog.
    meshplug()
        .current_dir(empty.path())
        .args(["catalog", "list"])
        .assert()
        .success();
}

/// Issue #14: `--repo DIR` (or `-C DIR`) names the repository for every command, before or after
/// the command; the positional REPO of validate, render, lock, test and site still works.
#[test]
fn one_way_to_name_the_repository() {
    // Read-only commands on the example itself (its modules are found in ../plugins).
    let repo = project().join("examples/bookinfo");
    let empty = tempfile::tempdir().unwrap();
    let r = repo.to_str().unwrap();
    for args in [
        vec!["validate", "--repo", r],
        vec!["-C", r, "validate"],
        vec!["validate", r],
        vec!["--repo", r, "explain", "bookinfo/productpage"],
        vec!["explain", "bookinfo/productpage", "-C", r],
        vec!["status", "--repo", r],
        vec!["catalog", "list", "--repo", r],
        vec!["catalog", "show", "deny-path", "-C", r],
        vec!["test", "--repo", r],
        vec!["test", r],
        vec!["-C", r, "test"],
    ] {
        meshplug()
            .current_dir(empty.path())
            .args(&args)
            .assert()
            .success();
    }
    // The help shows --repo, not the old positional.
    let help = meshplug().args(["validate", "--help"]).assert().success();
    let text = stdout(&help);
    assert!(
        text.contains("--repo <DIR>") && !text.contains("[REPO]"),
        "{text}"
    );
}

/// Issue #14: one set of `--format` values: `human` everywhere (`table` still accepted), `json`,
/// and `yaml` or `sarif` where the command prints data or findings.
#[test]
fn one_set_of_format_values() {
    let repo = project().join("examples/bookinfo");
    let r = repo.to_str().unwrap();
    for args in [
        vec!["validate", "--format", "human"],
        vec!["validate", "--format", "table"],
        vec!["explain", "bookinfo/productpage", "--format", "human"],
        vec!["explain", "bookinfo/productpage", "--format", "table"],
        vec!["status", "--format", "human"],
        vec!["catalog", "list", "--format", "human"],
    ] {
        meshplug()
            .args(&args)
            .args(["--repo", r])
            .assert()
            .success();
    }
    let table = meshplug()
        .args(["status", "--format", "table", "--repo", r])
        .assert()
        .success();
    let human = meshplug()
        .args(["status", "--format", "human", "--repo", r])
        .assert()
        .success();
    assert_eq!(stdout(&table), stdout(&human));
    // A value the command does not have is a usage error listing the ones it has.
    let out = meshplug()
        .args([
            "explain",
            "bookinfo/productpage",
            "--format",
            "sarif",
            "--repo",
            r,
        ])
        .assert()
        .code(2);
    assert!(
        stderr(&out).contains("human, json, yaml"),
        "{}",
        stderr(&out)
    );
}

/// Issue #14: completion offers the values of enum options (`bind --phase <TAB>`), and every
/// `meshplug-*(1)` page the man page refers to is shipped by `meshplug man --out DIR`.
#[test]
fn completions_offer_values_and_every_referenced_man_page_exists() {
    let bash = meshplug().args(["completions", "bash"]).assert().success();
    let script = stdout(&bash);
    for value in ["AUTHN", "AUTHZ", "UNSPECIFIED_PHASE", "NETWORK"] {
        assert!(script.contains(value), "bash completion lacks {value}");
    }
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("man1");
    meshplug()
        .args(["man", "--out"])
        .arg(&out)
        .assert()
        .success()
        .stderr(predicate::str::contains("man: wrote"));
    let main = std::fs::read_to_string(out.join("meshplug.1")).unwrap();
    assert_eq!(main, stdout(&meshplug().arg("man").assert().success()));
    let mut referenced = std::collections::BTreeSet::new();
    for entry in std::fs::read_dir(&out).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        let text = text.replace("\\-", "-");
        for (i, _) in text.match_indices("(1)") {
            let start = text[..i]
                .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
                .map_or(0, |s| s + 1);
            let name = &text[start..i];
            if name.starts_with("meshplug") {
                referenced.insert(name.to_string());
            }
        }
    }
    assert!(referenced.contains("meshplug-bind"), "{referenced:?}");
    assert!(
        referenced.contains("meshplug-catalog-add"),
        "{referenced:?}"
    );
    for name in &referenced {
        assert!(
            out.join(format!("{name}.1")).is_file(),
            "{name}(1) is referenced but not shipped"
        );
    }
    assert!(!out.join("meshplug-help.1").exists());
}
