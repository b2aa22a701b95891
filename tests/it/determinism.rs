//! Determinism: the bundled example and a generated 1,000-binding repository rendered 20 times
//! each, from copies whose files were created in a different (shuffled) order, under different
//! `LANG` and `TZ`, with one worker thread or the default number: every output byte-identical.

#[allow(dead_code)]
use std::path::{Path, PathBuf};
use std::process::Command;

const RUNS: usize = 20;
const LANGS: [&str; 5] = ["C", "C.UTF-8", "en_US.UTF-8", "tr_TR.UTF-8", "zh_CN.UTF-8"];
const TZS: [&str; 4] = [
    "UTC",
    "Asia/Shanghai",
    "America/St_Johns",
    "Pacific/Kiritimati",
];

/// Every file of `from` (no `rendered/`), copied into a new directory in a shuffled order.
fn shuffled_copy(from: &Path, to: &Path, seed: u64) {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(from)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| e.path().strip_prefix(from).unwrap().to_path_buf())
        .filter(|p| !p.starts_with("rendered"))
        .collect();
    // Fisher-Yates with xorshift64*.
    let mut x = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
    for i in (1..files.len()).rev() {
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        let j = (x.wrapping_mul(0x2545_f491_4f6c_dd1d) % (i as u64 + 1)) as usize;
        files.swap(i, j);
    }
    for rel in files {
        let dest = to.join(&rel);
        std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
        // A new directory entry either way; a hard link spares copying the bytes.
        if std::fs::hard_link(from.join(&rel), &dest).is_err() {
            std::fs::copy(from.join(&rel), &dest).unwrap();
        }
    }
}

/// sha256 over every rendered file (path and bytes); something must have been rendered.
fn tree_hash(dir: &Path) -> String {
    assert!(
        crate::support::snapshot_tree(dir).len() > 2,
        "nothing rendered in {}",
        dir.display()
    );
    crate::support::tree_hash(dir).unwrap()
}

/// Render `source` `RUNS` times, two at a time, each from a shuffled copy in its own
/// environment; every output hash.
fn render_many(source: &Path, extra: &[&str]) -> Vec<(String, String)> {
    let scratch = tempfile::tempdir().unwrap();
    let run = |i: usize| {
        let repo = scratch.path().join(format!("run-{i}"));
        shuffled_copy(source, &repo, i as u64 + 1);
        // One worker thread, the default (one per core), or more threads than cores.
        let threads = ["1", "default", "8"][i % 3];
        let env = format!(
            "LANG={} TZ={} RAYON_NUM_THREADS={threads}",
            LANGS[i % LANGS.len()],
            TZS[i % TZS.len()],
        );
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_meshplug"));
        cmd.arg("render")
            .arg(&repo)
            .args(extra)
            .env("DOCKER_CONFIG", "/nonexistent-meshplug-test")
            .env("LANG", LANGS[i % LANGS.len()])
            .env("LC_ALL", LANGS[i % LANGS.len()])
            .env("TZ", TZS[i % TZS.len()]);
        match threads {
            "default" => cmd.env_remove("RAYON_NUM_THREADS"),
            n => cmd.env("RAYON_NUM_THREADS", n),
        };
        let out = cmd.output().unwrap();
        assert!(
            out.status.success(),
            "run {i} ({env}): {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let hash = tree_hash(&repo.join("rendered"));
        std::fs::remove_dir_all(&repo).unwrap();
        (env, hash)
    };
    let mut results = Vec::new();
    // Two renders at a time (the machines that run this have two cores).
    for pair in (0..RUNS).collect::<Vec<_>>().chunks(2) {
        std::thread::scope(|s| {
            let handles: Vec<_> = pair.iter().map(|&i| s.spawn(move || run(i))).collect();
            for h in handles {
                results.push(h.join().unwrap());
            }
        });
    }
    results
}

fn assert_all_equal(what: &str, results: &[(String, String)]) {
    let first = &results[0].1;
    for (env, hash) in results {
        assert_eq!(
            hash, first,
            "{what}: the render under {env} differs from the first"
        );
    }
    eprintln!("{what}: {} renders, all {first}", results.len());
}

#[test]
fn the_example_renders_identically_everywhere() {
    let example = crate::support::project().join("examples/bookinfo");
    let results = render_many(&example, &["--allow-unpinned"]);
    assert_all_equal("examples/bookinfo", &results);
}

#[test]
fn a_generated_1000_binding_repository_renders_identically_everywhere() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("generated");
    meshplug::synth::generate(&repo, 50, 1000, 7).unwrap();
    let results = render_many(&repo, &[]);
    assert_all_equal("generated 1,000 bindings", &results);
}
