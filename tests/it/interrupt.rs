//! Interrupted runs: `render` of a generated 1,000-binding repository and `lock` are killed with
//! SIGKILL at random points, a few dozen times; afterwards the output dir and `meshplug.lock` are
//! each either the previous or the new complete version, never a mix.
//!
//! The kill points come from a seeded generator; the seed is printed, and
//! `MESHPLUG_KILL_SEED=N` replays a run.

use crate::support::faults::FaultServer;
use crate::support::{Repo, sample};
#[allow(dead_code)]
use std::collections::HashMap;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// xorshift64*: kill points that can be replayed from the printed seed.
struct Rng(u64);

impl Rng {
    fn seeded(what: &str) -> Rng {
        let seed = std::env::var("MESHPLUG_KILL_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .unwrap()
                    .as_nanos() as u64
            });
        eprintln!("{what}: kill points from MESHPLUG_KILL_SEED={seed}");
        Rng(seed | 1)
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A duration in `[lo, hi)` of `span`.
    fn within(&mut self, span: Duration, lo: f64, hi: f64) -> Duration {
        let f = lo + (hi - lo) * (self.next() % 10_000) as f64 / 10_000.0;
        span.mul_f64(f)
    }
}

/// How a series of killed runs went.
#[derive(Debug, Default)]
struct Tally {
    killed: usize,
    previous: usize,
    new: usize,
}

/// `kills` runs, alternating between versions A and B, starting with the one `start` is not
/// the result of: `switch(to_b)` makes the version current, `run(i)` starts a run and kills it somewhere (whether it did, and where),
/// `observe()` hashes the result. After each run the result must be the previous one or the
/// complete one of the version (`a` or `b`); `start` is the result before the first run.
fn kill_series(
    kills: usize,
    (a, b, start): (&str, &str, &str),
    mut switch: impl FnMut(bool),
    mut run: impl FnMut(usize) -> (bool, String),
    observe: impl Fn() -> Option<String>,
) -> Tally {
    let mut tally = Tally::default();
    let mut current = start.to_string();
    for i in 0..kills {
        // Every run switches to the other version than the one `start` is.
        let to_b = (i % 2 == 0) == (start == a);
        switch(to_b);
        let target = if to_b { b } else { a };
        let (killed, at) = run(i);
        tally.killed += usize::from(killed);
        let now = observe().expect("the result exists after a kill");
        assert!(
            now == current || now == target,
            "kill {i} at {at}: the result is neither the previous nor the new version"
        );
        if now == target {
            tally.new += 1;
        } else {
            tally.previous += 1;
        }
        current = now;
    }
    tally
}

fn meshplug(args: &[&str], repo: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_meshplug"));
    c.args(args)
        .arg(repo)
        .env("DOCKER_CONFIG", "/nonexistent-meshplug-test")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    c
}

/// Run to completion (at most 5 minutes); returns how long it took.
fn complete(mut cmd: Command) -> Duration {
    let started = Instant::now();
    let mut child = cmd.spawn().unwrap();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "{cmd:?} failed");
            return started.elapsed();
        }
        assert!(
            started.elapsed() < Duration::from_secs(300),
            "{cmd:?} hangs"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// When to kill a run.
#[derive(Debug, Clone, Copy)]
enum KillAt {
    /// This long after the start.
    After(Duration),
    /// This long after `DIR` holds an entry whose name contains `meshplug-new` (the new output
    /// tree is being written).
    Writing(Duration),
    /// Never: run to completion.
    Never,
}

/// How a run ended.
struct Ended {
    killed: bool,
    /// From the first sight of the new tree being written to the end of the run.
    writing: Option<Duration>,
}

/// Start `cmd` and SIGKILL it (by PID) at `at` unless it ends first; a run that ends on its own
/// must succeed. Runs are bounded: 5 minutes at most.
fn kill_at(mut cmd: Command, at: KillAt, dir: &Path) -> Ended {
    let started = Instant::now();
    let mut child = cmd.spawn().unwrap();
    let mut writing_since: Option<Instant> = None;
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "{cmd:?} failed on its own");
            return Ended {
                killed: false,
                writing: writing_since.map(|t| t.elapsed()),
            };
        }
        if writing_since.is_none()
            && std::fs::read_dir(dir).unwrap().any(|e| {
                e.unwrap()
                    .file_name()
                    .to_string_lossy()
                    .contains("meshplug-new")
            })
        {
            writing_since = Some(Instant::now());
        }
        let due = started.elapsed() > Duration::from_secs(300)
            || match at {
                KillAt::After(d) => started.elapsed() >= d,
                KillAt::Writing(d) => writing_since.is_some_and(|t| t.elapsed() >= d),
                KillAt::Never => false,
            };
        if due {
            // Child::kill sends SIGKILL to exactly this PID.
            let _ = child.kill();
            let _ = child.wait();
            return Ended {
                killed: true,
                writing: None,
            };
        }
        std::thread::sleep(Duration::from_millis(1));
    }
}

/// The bindings of one namespace in two versions: as generated (A), and with every
/// `timeout_ms` changed (B).
struct Versions {
    files: Vec<(std::path::PathBuf, String, String)>,
}

impl Versions {
    fn of(repo: &Path) -> Versions {
        let mut files = Vec::new();
        for e in std::fs::read_dir(repo.join("bindings/ns-000")).unwrap() {
            let path = e.unwrap().path();
            let a = std::fs::read_to_string(&path).unwrap();
            let b = a.replace("timeout_ms: ", "timeout_ms: 1");
            files.push((path, a, b));
        }
        assert!(files.iter().any(|(_, a, b)| a != b));
        Versions { files }
    }

    fn write(&self, b: bool) {
        for (path, va, vb) in &self.files {
            std::fs::write(path, if b { vb } else { va }).unwrap();
        }
    }
}

#[test]
fn killed_renders_leave_the_old_or_the_new_output() {
    const KILLS: usize = 12;
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("repo");
    meshplug::synth::generate(&repo, 50, 1000, 7).unwrap();
    // The complete output of both versions, rendered in place: A, then B (timing how long
    // writing the tree takes). The series then starts from B's output.
    let versions = Versions::of(&repo);
    let out = repo.join("rendered");
    let full = complete(meshplug(&["render"], &repo));
    let a = crate::support::tree_hash(&out).unwrap();
    let files = crate::support::snapshot_tree(&out).len();
    versions.write(true);
    let writing = kill_at(meshplug(&["render"], &repo), KillAt::Never, &repo)
        .writing
        .unwrap_or(Duration::from_millis(200));
    let b = crate::support::tree_hash(&out).unwrap();
    assert_ne!(a, b, "the two versions must render differently");
    let mut rng = Rng::seeded("render");
    let tally = kill_series(
        KILLS,
        (&a, &b, &b),
        |to_b| versions.write(to_b),
        |i| {
            // Half the kills anywhere in the run, half while the new tree is being written.
            let at = if i % 2 == 0 {
                KillAt::After(rng.within(full, 0.0, 1.0))
            } else {
                KillAt::Writing(rng.within(writing, 0.0, 1.2))
            };
            let ended = kill_at(meshplug(&["render"], &repo), at, &repo);
            (ended.killed, format!("{at:?}"))
        },
        || crate::support::tree_hash(&out),
    );
    // A render after all that: complete output, and no temporary trees left behind.
    complete(meshplug(&["render"], &repo));
    // The series started with A; an even number of runs ends with B.
    let last = if KILLS.is_multiple_of(2) { &b } else { &a };
    assert_eq!(crate::support::tree_hash(&out).as_ref(), Some(last));
    let left = crate::support::leftovers(&repo);
    assert!(left.is_empty(), "{left:?}");
    eprintln!(
        "render: {KILLS} runs ({} killed) of a {full:?} render writing {files} files in {writing:?}: {} left the previous output, {} the new",
        tally.killed, tally.previous, tally.new
    );
}

#[test]
fn killed_locks_leave_the_old_or_the_new_lock() {
    const KILLS: usize = 16;
    let wasm = sample("add-header");
    let server = FaultServer::start(HashMap::from([
        ("m.wasm".to_string(), wasm.clone()),
        ("n.wasm".to_string(), sample("deny-path")),
    ]));
    // Version A pins three modules, version B two others; slow bodies stretch the run.
    let a_urls = [
        server.url("slow/m.wasm"),
        server.url("ok/m.wasm"),
        server.url("slow/n.wasm"),
    ];
    let b_urls = [server.url("ok/n.wasm"), server.url("redirect/n.wasm")];
    fn refs(u: &[String]) -> Vec<&str> {
        u.iter().map(String::as_str).collect()
    }
    let (ra, rb) = (Repo::new(&refs(&a_urls), ""), Repo::new(&refs(&b_urls), ""));
    let full = complete(meshplug(&["lock"], ra.path()));
    complete(meshplug(&["lock"], rb.path()));
    let hash = |r: &Repo| crate::support::file_hash(&r.path().join("meshplug.lock")).unwrap();
    let (a, b) = (hash(&ra), hash(&rb));
    assert_ne!(a, b);
    // One repository switching between the two versions; each lock run is killed somewhere.
    let repo = Repo::new(&refs(&a_urls), "");
    std::fs::write(repo.path().join("meshplug.lock"), ra.lock_bytes().unwrap()).unwrap();
    let files = |r: &Repo| {
        ["catalog", "bindings/demo"]
            .iter()
            .flat_map(|d| std::fs::read_dir(r.path().join(d)).unwrap())
            .map(|e| e.unwrap().path())
            .collect::<Vec<_>>()
    };
    let use_version = |from: &Repo| {
        for d in ["catalog", "bindings/demo"] {
            for e in std::fs::read_dir(repo.path().join(d)).unwrap() {
                std::fs::remove_file(e.unwrap().path()).unwrap();
            }
        }
        for f in files(from) {
            let rel = f.strip_prefix(from.path()).unwrap();
            std::fs::copy(&f, repo.path().join(rel)).unwrap();
        }
    };
    let mut rng = Rng::seeded("lock");
    let lock_path = repo.path().join("meshplug.lock");
    let tally = kill_series(
        KILLS,
        (&a, &b, &a),
        |to_b| use_version(if to_b { &rb } else { &ra }),
        |_| {
            let at = KillAt::After(rng.within(full, 0.0, 1.15));
            let ended = kill_at(meshplug(&["lock"], repo.path()), at, repo.path());
            (ended.killed, format!("{at:?}"))
        },
        || crate::support::file_hash(&lock_path),
    );
    eprintln!(
        "lock: {KILLS} runs ({} killed) of a {full:?} lock: {} left the previous lock, {} the new",
        tally.killed, tally.previous, tally.new
    );
}
