//! `meshplug render` on the bundled example: deterministic bytes, atomic replacement, drift
//! detection, kustomize builds and conformance with Istio's CRD schema.

use crate::support::*;
use predicates::prelude::*;

fn render(repo: &std::path::Path, extra: &[&str]) -> assert_cmd::assert::Assert {
    meshplug()
        .arg("render")
        .arg(repo)
        .arg("--allow-unpinned")
        .args(extra)
        .assert()
}

#[test]
fn renders_the_example_byte_for_byte_reproducibly() {
    let (_d1, a) = example_copy();
    let (_d2, b) = example_copy();
    render(&a, &[]).success();
    render(&b, &["--out", b.join("elsewhere").to_str().unwrap()]).success();
    render(&b, &["--out", b.join("again").to_str().unwrap()]).success();
    let first = snapshot_tree(&a.join("rendered"));
    assert!(
        first.len() > 10,
        "expected manifests, got {:?}",
        first.keys()
    );
    assert_eq!(first, snapshot_tree(&b.join("elsewhere")));
    assert_eq!(first, snapshot_tree(&b.join("again")));
}

#[test]
fn rendered_example_matches_snapshot() {
    let (_d, repo) = example_copy();
    render(&repo, &[]).success();
    let tree = snapshot_tree(&repo.join("rendered"));
    let mut text = String::new();
    for (path, bytes) in &tree {
        text.push_str(&format!("=== {path}\n{}", String::from_utf8_lossy(bytes)));
    }
    insta::assert_snapshot!("bookinfo_rendered", text);
}

#[test]
fn check_detects_a_one_byte_drift_and_stale_files() {
    let (_d, repo) = example_copy();
    render(&repo, &[]).success();
    render(&repo, &["--check"]).success();
    let victim = repo.join("rendered/prod-east/bookinfo/productpage-key-auth.yaml");
    let mut bytes = std::fs::read(&victim).unwrap();
    let last = bytes.len() - 2;
    bytes[last] ^= 1;
    std::fs::write(&victim, &bytes).unwrap();
    std::fs::write(
        repo.join("rendered/prod-east/bookinfo/extra.yaml"),
        "x: 1\n",
    )
    .unwrap();
    render(&repo, &["--check"])
        .code(1)
        .stdout(predicate::str::contains("productpage-key-auth.yaml"))
        .stdout(predicate::str::contains("stale:").and(predicate::str::contains("extra.yaml")))
        .stderr(predicate::str::contains("differ"));
}

#[test]
fn a_broken_binding_leaves_previous_output_untouched() {
    let (_d, repo) = example_copy();
    render(&repo, &[]).success();
    let before = snapshot_tree(&repo.join("rendered"));
    edit(
        &repo.join("bindings/bookinfo/productpage.yaml"),
        "plugin: key-auth",
        "plugin: no-such-plugin",
    );
    render(&repo, &[])
        .code(1)
        .stderr(
            predicate::str::contains("MP012").and(predicate::str::contains(
                "bindings/bookinfo/productpage.yaml:",
            )),
        );
    assert_eq!(before, snapshot_tree(&repo.join("rendered")));
}

#[test]
fn removed_bindings_disappear_from_output() {
    let (_d, repo) = example_copy();
    render(&repo, &[]).success();
    assert!(
        repo.join("rendered/prod-east/bookinfo/ratings-request-block.yaml")
            .exists()
    );
    std::fs::remove_file(repo.join("bindings/bookinfo/ratings.yaml")).unwrap();
    render(&repo, &[]).success();
    assert!(
        !repo
            .join("rendered/prod-east/bookinfo/ratings-request-block.yaml")
            .exists()
    );
    let kust = std::fs::read_to_string(repo.join("rendered/prod-east/bookinfo/kustomization.yaml"))
        .unwrap();
    assert!(!kust.contains("ratings"), "{kust}");
    // No temporary trees are left next to the output.
    let left = leftovers(&repo);
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn refuses_to_replace_a_directory_it_did_not_write() {
    let (_d, repo) = example_copy();
    let foreign = repo.join("notes");
    std::fs::create_dir_all(&foreign).unwrap();
    std::fs::write(foreign.join("keep.txt"), "mine").unwrap();
    render(&repo, &["--out", foreign.to_str().unwrap()])
        .code(2)
        .stderr(predicate::str::contains("not written by meshplug"));
    assert_eq!(
        std::fs::read_to_string(foreign.join("keep.txt")).unwrap(),
        "mine"
    );
    render(&repo, &["--out", repo.to_str().unwrap()])
        .code(2)
        .stderr(predicate::str::contains("repository root"));
    render(&repo, &["--out", repo.join("bindings").to_str().unwrap()])
        .code(2)
        .stderr(predicate::str::contains("overlaps"));
}

#[test]
fn unpinned_modules_fail_without_the_flag() {
    let (_d, repo) = example_copy();
    meshplug()
        .arg("render")
        .arg(&repo)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("MP036").and(predicate::str::contains("meshplug lock")));
    assert!(!repo.join("rendered").exists());
}

#[test]
fn every_cluster_dir_builds_with_kubectl_kustomize() {
    let kubectl = require_tool(
        "kubectl",
        "see https://kubernetes.io/docs/tasks/tools/ (kubectl ships kustomize)",
    );
    let (_d, repo) = example_copy();
    render(&repo, &[]).success();
    for cluster in ["prod-east", "staging"] {
        let out = std::process::Command::new(&kubectl)
            .args(["kustomize"])
            .arg(repo.join("rendered").join(cluster))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "kustomize {cluster}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8(out.stdout).unwrap();
        let rendered = snapshot_tree(&repo.join("rendered").join(cluster));
        let manifests = rendered
            .keys()
            .filter(|k| !k.ends_with("kustomization.yaml"))
            .count();
        assert_eq!(
            text.matches("kind: WasmPlugin").count(),
            manifests,
            "{cluster}"
        );
    }
}

#[test]
fn rendered_specs_satisfy_istios_crd_schema() {
    let Some(conformance) = shared_conformance() else {
        return;
    };
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(conformance.join("istio-wasmplugin-v1alpha1.schema.json"))
            .unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let (_d, repo) = example_copy();
    render(&repo, &[]).success();
    let mut checked = 0;
    for (path, bytes) in snapshot_tree(&repo.join("rendered")) {
        if path.ends_with("kustomization.yaml") || !path.ends_with(".yaml") {
            continue;
        }
        let doc: serde_json::Value = serde_saphyr::from_slice(&bytes).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&doc)
            .map(|e| format!("{}: {e}", e.instance_path().as_str()))
            .collect();
        assert!(errors.is_empty(), "{path}: {errors:?}");
        assert_eq!(doc["apiVersion"], "extensions.istio.io/v1alpha1");
        let url = doc["spec"]["url"].as_str().unwrap();
        assert!(
            ["oci://", "https://", "http://", "file://"]
                .iter()
                .any(|s| url.starts_with(s)),
            "{url}"
        );
        checked += 1;
    }
    assert!(checked > 10);
}
