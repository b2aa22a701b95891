//! The committed JSON Schemas in `schema/` are what the code generates.

#[test]
fn committed_schemas_are_up_to_date() {
    crate::support::meshplug()
        .current_dir(crate::support::project())
        .args(["schema", "--check"])
        .assert()
        .append_context("hint", "run `cargo run -- schema` and commit schema/")
        .success();
}

#[test]
fn schema_check_notices_a_stale_file() {
    let dir = tempfile::tempdir().unwrap();
    crate::support::meshplug()
        .args(["schema", "--out"])
        .arg(dir.path())
        .assert()
        .success();
    std::fs::write(dir.path().join("plugin.schema.json"), "{}\n").unwrap();
    crate::support::meshplug()
        .args(["schema", "--check", "--out"])
        .arg(dir.path())
        .assert()
        .code(1);
}

#[test]
fn builtin_catalog_is_valid_on_its_own() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("meshplug.yaml"),
        "apiVersion: meshplug.io/v1alpha1\nkind: Marketplace\nmetadata:\n  name: t\nspec:\n  catalog: [builtin]\n  bindings: []\n",
    )
    .unwrap();
    crate::support::meshplug()
        .args(["validate", "--deny-warnings"])
        .arg(dir.path())
        .assert()
        .success();
}
