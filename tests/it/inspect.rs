//! `meshplug inspect` on local files (no network), as snapshots.

use predicates::str::contains;

fn meshplug() -> assert_cmd::Command {
    let mut c = assert_cmd::Command::cargo_bin("meshplug").unwrap();
    c.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1");
    c
}

#[test]
fn inspect_a_sample_plugin() {
    let out = meshplug()
        .args(["inspect", "examples/plugins/deny-path.wasm"])
        .assert()
        .success();
    insta::assert_snapshot!(
        "inspect_human",
        String::from_utf8(out.get_output().stdout.clone()).unwrap()
    );
    let out = meshplug()
        .args([
            "inspect",
            "examples/plugins/add-header.wasm",
            "--format",
            "json",
        ])
        .assert()
        .success();
    insta::assert_snapshot!(
        "inspect_json",
        String::from_utf8(out.get_output().stdout.clone()).unwrap()
    );
}

#[test]
fn inspect_a_broken_module_fails_with_reasons() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("x.wasm");
    std::fs::write(
        &f,
        wat::parse_str(r#"(module (import "env" "g" (global i32)))"#).unwrap(),
    )
    .unwrap();
    meshplug()
        .arg("inspect")
        .arg(&f)
        .assert()
        .code(1)
        .stdout(contains("verdict       fail"))
        .stdout(contains("imported globals"))
        .stdout(contains("ABI version"));
    meshplug()
        .args(["inspect", "nope.wasm"])
        .assert()
        .code(2)
        .stderr(contains("cannot read nope.wasm"));
}
