//! Lock resolution of 500 distinct tags on a loopback docker-registry, next to the same job done
//! with `skopeo inspect` sequentially and 8 at a time. Run: `cargo bench --bench lock`
//! (or `benches/lock-vs-skopeo.sh`). Needs docker-registry, apache2-utils and skopeo.

#[path = "../tests/support/mod.rs"]
mod support;

use std::process::Command;
use std::time::{Duration, Instant};

const TAGS: usize = 500;

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

fn time(label: &str, f: impl FnOnce()) -> Duration {
    let t = Instant::now();
    f();
    let d = t.elapsed();
    println!("{label:<44} {:>8.0} ms", d.as_secs_f64() * 1000.0);
    d
}

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

fn main() {
    support::require("skopeo");
    let reg = support::Registry::start();
    let base = support::sample("add-header");
    let setup = Instant::now();
    let urls: Vec<String> = (0..TAGS)
        .map(|n| {
            support::images::push_module(&reg, &format!("bench/p{n}"), "1.0.0", &variant(&base, n));
            reg.url(&format!("bench/p{n}:1.0.0"))
        })
        .collect();
    println!(
        "pushed {TAGS} distinct images in {} ms",
        setup.elapsed().as_millis()
    );
    let refs: Vec<&str> = urls.iter().map(String::as_str).collect();
    let repo = support::Repo::new(&refs, "");
    let bin = env!("CARGO_BIN_EXE_meshplug");
    let lock = |jobs: &str| {
        let _ = std::fs::remove_file(repo.path().join("meshplug.lock"));
        let out = Command::new(bin)
            .args(["lock", "--jobs", jobs])
            .arg(repo.path())
            .env("DOCKER_CONFIG", "/nonexistent")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    lock("8"); // warm the registry's caches once
    let seq_lock = time("meshplug lock --jobs 1 (manifest+layer+check)", || {
        lock("1")
    });
    let par_lock = time("meshplug lock --jobs 8 (manifest+layer+check)", || {
        lock("8")
    });
    let noop = time("meshplug lock, lock up to date (0 requests)", || {
        let out = Command::new(bin)
            .arg("lock")
            .arg(repo.path())
            .output()
            .unwrap();
        assert!(String::from_utf8_lossy(&out.stderr).contains("0 requests"));
    });
    let seq = time("skopeo inspect, sequential", || {
        (0..TAGS).for_each(|n| skopeo(&reg.host, n))
    });
    let par = time("skopeo inspect, 8 at a time", || {
        std::thread::scope(|s| {
            for w in 0..8 {
                let host = reg.host.clone();
                s.spawn(move || (w..TAGS).step_by(8).for_each(|n| skopeo(&host, n)));
            }
        });
    });
    let r = |a: Duration, b: Duration| a.as_secs_f64() / b.as_secs_f64();
    println!(
        "ratio skopeo sequential / meshplug lock --jobs 8: {:.1}x",
        r(seq, par_lock)
    );
    println!(
        "ratio skopeo 8-way      / meshplug lock --jobs 8: {:.1}x",
        r(par, par_lock)
    );
    println!(
        "ratio meshplug --jobs 1 / --jobs 8:               {:.1}x",
        r(seq_lock, par_lock)
    );
    println!(
        "up-to-date lock: {:.0} ms for {TAGS} urls",
        noop.as_secs_f64() * 1000.0
    );
}
