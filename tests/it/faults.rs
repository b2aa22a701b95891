//! Network faults on loopback: every failure gives a clear error naming the url and the cause,
//! and leaves `meshplug.lock` and the rendered output dir byte-identical (hashed before and after);
//! transient faults are recovered by retries within the deadline.

use crate::support::faults::FaultServer;
use crate::support::{Options, Registry, Repo, meshplug, sample};
use sha2::{Digest, Sha256};
use std::collections::HashMap;

/// Files the fault servers serve: the sample module, gzipped, and its compat layer.
fn files() -> HashMap<String, Vec<u8>> {
    let wasm = sample("add-header");
    let gz = {
        use std::io::Write;
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(&wasm).unwrap();
        e.finish().unwrap()
    };
    let layer = meshplug::artifact::image::build(&wasm).layer;
    HashMap::from([
        ("m.wasm".to_string(), wasm),
        ("m.wasm.gz".to_string(), gz),
        ("layer".to_string(), layer),
    ])
}

/// Two fault servers, each the other's redirect peer.
fn servers() -> (FaultServer, FaultServer) {
    let (a, b) = (FaultServer::start(files()), FaultServer::start(files()));
    a.set_peer(&b.host);
    b.set_peer(&a.host);
    (a, b)
}

/// A lock pinning only `good`, for repositories that also use a faulty url.
fn good_lock(good: &str) -> Vec<u8> {
    let repo = Repo::new(&[good], "");
    meshplug().arg("lock").arg(repo.path()).assert().success();
    repo.lock_bytes().unwrap()
}

/// A repository using `good` (pinned in its lock) and `bad`, with a rendered output dir.
fn repo_with(good: &str, bad: &str, lock: &[u8], extra_spec: &str) -> Repo {
    let repo = Repo::new(&[good, bad], extra_spec);
    std::fs::write(repo.path().join("meshplug.lock"), lock).unwrap();
    meshplug()
        .arg("render")
        .arg(repo.path())
        .arg("--allow-unpinned")
        .assert()
        .success();
    repo
}

/// `meshplug lock` fails on `bad` with every text of `says`, and changes nothing.
fn fails_cleanly(good: &str, bad: &str, lock: &[u8], extra_spec: &str, says: &[&str]) {
    let repo = repo_with(good, bad, lock, extra_spec);
    let before = crate::support::repo_state(repo.path());
    let out = meshplug()
        .args(["lock", "--timeout", "3"])
        .arg(repo.path())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{bad}: {err}");
    let shown = meshplug::artifact::registry::redact(bad);
    let shown = shown.split('@').next().unwrap_or(&shown);
    assert!(
        err.contains(shown),
        "{bad}: the error does not name the url: {err}"
    );
    assert!(err.contains("left unchanged"), "{bad}: {err}");
    for s in says {
        assert!(err.contains(s), "{bad}: expected `{s}` in: {err}");
    }
    assert!(!err.contains("panicked"), "{bad}: {err}");
    assert_eq!(
        crate::support::repo_state(repo.path()),
        before,
        "{bad}: the lock or output changed"
    );
}

#[test]
fn download_faults_fail_cleanly() {
    let (a, _b) = servers();
    let good = a.url("ok/m.wasm");
    let lock = good_lock(&good);
    let closed = format!("http://127.0.0.1:{}/m.wasm", crate::support::free_port());
    let cases: Vec<(String, &[&str])> = vec![
        (
            a.url("500/m.wasm"),
            &["500 Internal Server Error", "gave up after 4 attempt(s)"],
        ),
        (
            a.url("storm/m.wasm"),
            &["503 Service Unavailable", "gave up after 4 attempt(s)"],
        ),
        (a.url("hang/m.wasm"), &["timed out"]),
        (a.url("reset/m.wasm"), &["request failed"]),
        (a.url("stall/m.wasm"), &["deadline passed"]),
        (a.url("truncate/m.wasm"), &["truncated"]),
        (a.url("missing/m.wasm"), &["404"]),
        (
            a.url("redirect-plain/m.wasm"),
            &["refused a redirect", "plain http"],
        ),
        (closed, &["cannot connect"]),
        (
            "http://meshplug-test.invalid/m.wasm".to_string(),
            &["plain http is only used for loopback hosts"],
        ),
    ];
    for (bad, says) in &cases {
        fails_cleanly(&good, bad, &lock, "", says);
    }
    // A 5xx storm is retried a bounded number of times, then given up.
    assert_eq!(a.hits("/storm/m.wasm"), 4);
    eprintln!("download faults: {} cases", cases.len());
}

#[test]
fn wrong_bytes_are_an_error() {
    let (a, _b) = servers();
    let good = a.url("ok/m.wasm");
    let lock = good_lock(&good);
    // The catalog pins the module; the server sends other bytes.
    let sha = hex::encode(Sha256::digest(sample("add-header")));
    let bad = a.url("wrong/m.wasm");
    let repo = Repo::new(&[&good, &bad], "");
    let entry = repo.path().join("catalog/p1.yaml");
    let text = std::fs::read_to_string(&entry).unwrap();
    std::fs::write(
        &entry,
        text.replace(
            &format!("url: {bad}\n"),
            &format!("url: {bad}\n    sha256: {sha}\n"),
        ),
    )
    .unwrap();
    std::fs::write(repo.path().join("meshplug.lock"), &lock).unwrap();
    meshplug().arg("render").arg(repo.path()).assert().success();
    let before = crate::support::repo_state(repo.path());
    meshplug()
        .arg("lock")
        .arg(repo.path())
        .assert()
        .code(1)
        .stderr(predicates::str::contains(format!(
            "the catalog pins sha256 {sha}"
        )))
        .stderr(predicates::str::contains("left unchanged"));
    assert_eq!(crate::support::repo_state(repo.path()), before);
}

#[test]
fn registry_faults_fail_cleanly() {
    let (a, _b) = servers();
    let good = a.url("ok/m.wasm");
    let lock = good_lock(&good);
    let oci = |repo: &str| format!("oci://{}/{repo}:1.0.0", a.host);
    let cases: Vec<(String, &[&str])> = vec![
        (oci("x"), &["corrupted or tampered"]),
        (oci("wrongblob"), &["hashes to", "wrong bytes"]),
        (
            oci("storm"),
            &["503 Service Unavailable", "gave up after 4 attempt(s)"],
        ),
        (oci("nothing"), &["not found in the registry"]),
        (oci("auth"), &["requires authentication", "docker login"]),
        (
            // A digest in the url: the bytes must hash to it, whatever the registry claims.
            format!("oci://{}/good@sha256:{}", a.host, "cd".repeat(32)),
            &["corrupted or tampered"],
        ),
    ];
    a.require_basic("someone", "s3cret");
    for (bad, says) in &cases {
        fails_cleanly(&good, bad, &lock, "", says);
    }
    eprintln!("registry faults: {} cases", cases.len());
}

#[test]
fn tls_with_an_unknown_ca_fails_cleanly() {
    let reg = Registry::with(Options {
        basic_auth: false,
        tls: true,
        ..Options::default()
    });
    let (a, _b) = servers();
    let good = a.url("ok/m.wasm");
    let lock = good_lock(&good);
    let bad = reg.url("tls/p:1.0.0");
    // Loopback, but declared https: the registry's CA is not trusted.
    let secure = format!(
        "  registries:\n  - {{host: \"{}\", insecure: false}}\n",
        reg.host
    );
    fails_cleanly(
        &good,
        &bad,
        &lock,
        &secure,
        &["TLS verification failed", "caFile"],
    );
}

#[test]
fn transient_faults_are_recovered() {
    let (a, _b) = servers();
    let sha = hex::encode(Sha256::digest(sample("add-header")));
    let urls = [
        a.url("flaky/m.wasm"),
        a.url("slow/m.wasm"),
        a.url("redirect/m.wasm"),
        a.url("redirect-peer/m.wasm"),
        a.url("ok/m.wasm.gz"),
        format!("oci://{}/flaky:1.0.0", a.host),
        format!("oci://{}/good:1.0.0", a.host),
    ];
    let refs: Vec<&str> = urls.iter().map(String::as_str).collect();
    let repo = Repo::new(&refs, "");
    meshplug()
        .arg("lock")
        .arg(repo.path())
        .assert()
        .success()
        .stderr(predicates::str::contains(format!(
            "{} resolved",
            urls.len()
        )));
    let lock = String::from_utf8(repo.lock_bytes().unwrap()).unwrap();
    assert_eq!(
        lock.matches(&format!("moduleSha256: {sha}")).count(),
        urls.len(),
        "{lock}"
    );
    // 503 twice, then the answer: three requests, no more.
    assert_eq!(a.hits("/flaky/m.wasm"), 3);
}
