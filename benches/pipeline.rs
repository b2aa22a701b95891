//! In-process benchmarks of the pipeline stages on generated repositories, next to a parse-only
//! baseline (the same files through the same YAML library, into an untyped value): the practical
//! floor of `validate`. Run: `cargo bench --bench pipeline` (MESHPLUG_BENCH_BINDINGS overrides the
//! sizes, e.g. `100,5000`).

use meshplug::{check, load, render};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

fn main() {
    divan::main();
}

fn sizes() -> Vec<usize> {
    std::env::var("MESHPLUG_BENCH_BINDINGS")
        .ok()
        .map(|s| s.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![100, 5000])
}

/// A generated repository per size, made once per process.
fn repo(bindings: usize) -> PathBuf {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    let base = DIR.get_or_init(|| tempfile::tempdir().unwrap()).path();
    let path = base.join(format!("repo-{bindings}"));
    if !path.exists() {
        meshplug::synth::generate(&path, 200, bindings, 7).unwrap();
    }
    path
}

fn yaml_files(root: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(root)
        .sort_by_file_name()
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.path().extension().is_some_and(|x| x == "yaml"))
        .map(|e| e.into_path())
        .collect()
}

/// Read every file and parse it with serde-saphyr into a JSON value, in parallel: the floor.
#[divan::bench(args = sizes())]
fn parse_only(bencher: divan::Bencher, bindings: usize) {
    let files = yaml_files(&repo(bindings));
    bencher.bench(|| {
        files
            .par_iter()
            .map(|f| {
                let text = std::fs::read_to_string(f).unwrap();
                serde_saphyr::from_str::<serde_json::Value>(&text).is_ok() as usize
            })
            .sum::<usize>()
    });
}

/// Load: discover, read, parse with spans, schema-check and type every file.
#[divan::bench(args = sizes())]
fn load_repo(bencher: divan::Bencher, bindings: usize) {
    let root = repo(bindings);
    bencher.bench(|| load::load(&root).unwrap().diagnostics.len());
}

/// Load + every rule: what `meshplug validate` does.
#[divan::bench(args = sizes())]
fn validate(bencher: divan::Bencher, bindings: usize) {
    let root = repo(bindings);
    bencher.bench(|| {
        let outcome = load::load(&root).unwrap();
        let repo = outcome.repo.unwrap();
        check::check(&repo).diagnostics.len()
    });
}

/// Load + check + render to memory: what `meshplug render` does before writing.
#[divan::bench(args = sizes())]
fn validate_and_render(bencher: divan::Bencher, bindings: usize) {
    let root = repo(bindings);
    bencher.bench(|| {
        let outcome = load::load(&root).unwrap();
        let repo = outcome.repo.unwrap();
        let checked = check::check(&repo);
        render::render(&repo, &checked, &meshplug::lock::NoPins, false)
            .unwrap()
            .files()
            .len()
    });
}
