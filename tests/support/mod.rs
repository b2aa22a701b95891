//! Helpers shared by the integration tests.
#![allow(dead_code)]

use assert_cmd::Command;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The project root.
pub fn project() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The meshplug binary, with colour off and a fixed environment.
pub fn meshplug() -> Command {
    let mut cmd = Command::cargo_bin("meshplug").expect("binary built");
    cmd.env("NO_COLOR", "1").env_remove("DOCKER_CONFIG");
    cmd
}

/// Copy a directory tree (files only, no `rendered/`).
pub fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from).sort_by_file_name() {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(from).unwrap();
        if rel.starts_with("rendered") {
            continue;
        }
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(entry.path(), &dest).unwrap();
        }
    }
}

/// A temp copy of `examples/bookinfo`.
pub fn example_copy() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("bookinfo");
    copy_tree(&project().join("examples/bookinfo"), &repo);
    (dir, repo)
}

/// Replace the first `from` in the file at `path` with `to` (a test's deliberate mistake).
pub fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{} has no `{from}`", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

/// Every file under `dir` with its bytes, by relative path.
pub fn snapshot_tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    if !dir.exists() {
        return out;
    }
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let rel = entry
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            out.insert(rel, std::fs::read(entry.path()).unwrap());
        }
    }
    out
}

/// Path of a required tool, or a panic that says how to install it.
pub fn require_tool(name: &str, install: &str) -> PathBuf {
    let path = std::env::var_os("PATH").unwrap_or_default();
    for dir in std::env::split_paths(&path) {
        let candidate = dir.join(name);
        if candidate.is_file() {
            return candidate;
        }
    }
    panic!("this test needs `{name}`, which is not on PATH; install it with: {install}");
}

/// `../shared/conformance` next to the project, when present. With MESHPLUG_REQUIRE_SHARED=1
/// (set by .ci/run) its absence is a failure.
pub fn shared_conformance() -> Option<PathBuf> {
    let dir = project().join("../shared/conformance");
    if dir.is_dir() {
        return Some(dir);
    }
    if std::env::var("MESHPLUG_REQUIRE_SHARED").as_deref() == Ok("1") {
        panic!(
            "MESHPLUG_REQUIRE_SHARED=1 but {} does not exist",
            dir.display()
        );
    }
    eprintln!(
        "note: {} not found; conformance check not run (CI runs it)",
        dir.display()
    );
    None
}
