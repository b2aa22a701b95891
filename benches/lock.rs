//! `meshplug lock` resolving 500 distinct tags on a loopback docker-registry, next to the same
//! job done with `skopeo inspect` sequentially and 8 at a time. Run: `cargo bench --bench lock`
//! (or `benches/lock-vs-skopeo.sh`). Needs docker-registry, apache2-utils and skopeo.
//!
//! cargo bench builds meshplug with the bench profile (release settings); the binary's path is
//! printed and a debug build is refused. The jobs run in alternating order for `ROUNDS` rounds
//! (the machine may be shared); medians and ratios of medians are printed, with the registry's
//! CPU time and the requests each tool sends per tag.

#[path = "../tests/it/support/mod.rs"]
mod support;

use std::process::Command;
use std::time::{Duration, Instant};

const TAGS: usize = 500;
const ROUNDS: usize = 3;

/// The sample module with a custom section `bench-N`, so every tag has its own digest.
fn variant(base: &[u8], n: usize) -> Vec<u8> {
    let name = format!("bench-{n}");
    let mut m = base.to_vec();
    m.push(0);
    m.push((1 + name.len()) as u8);
    m.push(name.len() as u8);
    m.extend_from_slice(name.as_bytes());
    m
}

/// `skopeo inspect` as a user runs it (it pings /v2/, reads the manifest, the config blob and the
/// tag list).
fn skopeo(host: &str, n: usize) {
    let out = Command::new("skopeo")
        .args([
            "inspect",
            "--tls-verify=false",
            &format!("docker://{host}/bench/p{n}:1.0.0"),
        ])
        .output()
        .expect("skopeo (apt-get install -y skopeo)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn skopeo_sequential(host: &str) {
    (0..TAGS).for_each(|n| skopeo(host, n))
}

fn skopeo_parallel(host: &str) {
    std::thread::scope(|s| {
        for w in 0..8 {
            s.spawn(move || (w..TAGS).step_by(8).for_each(|n| skopeo(host, n)));
        }
    });
}

/// `meshplug lock` from scratch (no lock file); returns its summary line.
fn lock(repo: &std::path::Path, jobs: Option<&str>, urls: usize) -> String {
    let _ = std::fs::remove_file(repo.join("meshplug.lock"));
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_meshplug"));
    cmd.arg("lock");
    if let Some(j) = jobs {
        cmd.args(["--jobs", j]);
    }
    let out = cmd
        .arg(repo)
        .env("DOCKER_CONFIG", "/nonexistent")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{err}");
    assert!(err.contains(&format!("({urls} resolved")), "{err}");
    err.lines().last().unwrap_or_default().to_string()
}

/// The requests each tool sends for one tag, from the access log of a registry of its own.
fn requests_per_tag(base: &[u8]) -> (usize, usize) {
    let reg = support::Registry::with(support::Options {
        access_log: true,
        ..Default::default()
    });
    support::images::push_module(&reg, "bench/p0", "1.0.0", base);
    let url = reg.url("bench/p0:1.0.0");
    let repo = support::Repo::new(&[&url], "");
    let before = reg.requests().len();
    lock(repo.path(), None, 1);
    let mid = reg.requests();
    skopeo(&reg.host, 0);
    let after = reg.requests();
    println!(
        "requests per tag: meshplug {:?}\n                  skopeo   {:?}",
        &mid[before..],
        &after[mid.len()..]
    );
    (mid.len() - before, after.len() - mid.len())
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn main() {
    support::require("skopeo");
    let bin = env!("CARGO_BIN_EXE_meshplug");
    println!("meshplug binary: {bin}");
    assert!(
        !bin.contains("/debug/"),
        "run with `cargo bench` (release build)"
    );
    let base = support::sample("add-header");
    let (mp_requests, skopeo_requests) = requests_per_tag(&base);

    let reg = support::Registry::start();
    let setup = Instant::now();
    std::thread::scope(|s| {
        for w in 0..4 {
            let (reg, base) = (&reg, &base);
            s.spawn(move || {
                for n in (w..TAGS).step_by(4) {
                    let m = variant(base, n);
                    support::images::push_module(reg, &format!("bench/p{n}"), "1.0.0", &m);
                }
            });
        }
    });
    println!(
        "pushed {TAGS} distinct images in {} ms",
        setup.elapsed().as_millis()
    );
    let urls: Vec<String> = (0..TAGS)
        .map(|n| reg.url(&format!("bench/p{n}:1.0.0")))
        .collect();
    let refs: Vec<&str> = urls.iter().map(String::as_str).collect();
    let repo = support::Repo::new(&refs, "");
    lock(repo.path(), None, TAGS); // warm the registry's and the file system's caches once
    skopeo_parallel(&reg.host);

    type Job<'a> = (&'a str, Box<dyn Fn() + 'a>);
    let jobs: Vec<Job<'_>> = vec![
        (
            "meshplug lock (--jobs 32, the default)",
            Box::new(|| {
                lock(repo.path(), None, TAGS);
            }),
        ),
        (
            "meshplug lock --jobs 8",
            Box::new(|| {
                lock(repo.path(), Some("8"), TAGS);
            }),
        ),
        (
            "skopeo inspect, sequential",
            Box::new(|| skopeo_sequential(&reg.host)),
        ),
        (
            "skopeo inspect, 8 at a time",
            Box::new(|| skopeo_parallel(&reg.host)),
        ),
    ];
    let mut wall = vec![Vec::new(); jobs.len()];
    let mut registry_cpu = vec![Vec::new(); jobs.len()];
    for round in 0..ROUNDS {
        let order: Vec<usize> = if round % 2 == 0 {
            (0..jobs.len()).collect()
        } else {
            (0..jobs.len()).rev().collect()
        };
        for i in order {
            let cpu = reg.cpu();
            let t = Instant::now();
            (jobs[i].1)();
            let d = t.elapsed();
            let c = reg.cpu().saturating_sub(cpu);
            println!(
                "round {round}: {:<40} {:>8.0} ms (registry CPU {:>6.0} ms)",
                jobs[i].0,
                ms(d),
                ms(c)
            );
            wall[i].push(d);
            registry_cpu[i].push(c);
        }
    }
    println!("\nmedians of {ROUNDS} rounds ({TAGS} tags):");
    let med: Vec<Duration> = wall.into_iter().map(median).collect();
    for (i, (label, _)) in jobs.iter().enumerate() {
        println!(
            "  {label:<40} {:>8.0} ms (registry CPU {:>6.0} ms)",
            ms(med[i]),
            ms(median(registry_cpu[i].clone()))
        );
    }
    let noop = Instant::now();
    let summary = {
        let out = Command::new(bin)
            .arg("lock")
            .arg(repo.path())
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let noop = noop.elapsed();
    assert!(summary.contains(" 0 requests"), "{summary}");
    println!(
        "  meshplug lock, lock up to date (0 requests)  {:>6.0} ms",
        ms(noop)
    );
    let r = |a: usize, b: usize| med[a].as_secs_f64() / med[b].as_secs_f64();
    println!(
        "requests per tag: meshplug {mp_requests}, skopeo inspect {skopeo_requests}; meshplug run: {}",
        lock(repo.path(), None, TAGS)
    );
    println!(
        "ratio skopeo sequential / meshplug lock: {:.1}x (target 20x)",
        r(2, 0)
    );
    println!(
        "ratio skopeo 8-way      / meshplug lock: {:.1}x (target 5x)",
        r(3, 0)
    );
}
