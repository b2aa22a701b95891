//! `lock`, `push` and `inspect` against a real docker-registry on 127.0.0.1.

use crate::support::images::{self, all_formats, push_module, push_raw};
use crate::support::{Options, PASS, Registry, Repo, meshplug, sample};
use predicates::str::contains;
use std::collections::HashMap;

fn lock_text(repo: &Repo) -> String {
    String::from_utf8(repo.lock_bytes().expect("meshplug.lock written")).unwrap()
}

#[test]
fn lock_pins_the_docker_content_digest_and_renders_it() {
    let reg = Registry::start();
    let url = reg.url("plugins/add-header:1.0.0");
    let out = meshplug()
        .args(["push", "../examples/plugins/add-header.wasm", &url])
        .current_dir(env!("CARGO_MANIFEST_DIR").to_string() + "/tests")
        .assert()
        .success();
    let printed = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let pushed = printed.trim().rsplit('@').next().unwrap().to_string();
    // What the registry itself says.
    let c = images::client(&reg);
    let r = meshplug::model::url::OciRef::parse(url.trim_start_matches("oci://")).unwrap();
    let resolved = crate::support::rt().block_on(c.resolve(&r)).unwrap();
    assert_eq!(resolved.digest, pushed);

    let repo = Repo::new(&[&url], "");
    meshplug()
        .arg("lock")
        .arg(repo.path())
        .assert()
        .success()
        .stderr(contains("1 resolved"))
        .stderr(contains("wrote meshplug.lock"));
    let lock = lock_text(&repo);
    assert!(
        lock.contains(&format!("sha256: {}", pushed.trim_start_matches("sha256:"))),
        "{lock}"
    );
    insta::assert_snapshot!("lock_file", lock.replace(&reg.host, "REGISTRY"));

    // An up-to-date lock: zero requests, byte-identical file.
    meshplug()
        .arg("lock")
        .arg(repo.path())
        .assert()
        .success()
        .stderr(contains("0 requests"))
        .stderr(contains("up to date"));
    assert_eq!(lock_text(&repo), lock);
    meshplug()
        .args(["lock", "--offline"])
        .arg(repo.path())
        .assert()
        .success();
    meshplug()
        .args(["lock", "--verify"])
        .arg(repo.path())
        .assert()
        .success()
        .stderr(contains("matches the registries"));

    // render takes the pin from the lock.
    meshplug().arg("render").arg(repo.path()).assert().success();
    let rendered =
        std::fs::read_to_string(repo.path().join("rendered/default/demo/svc-p0.yaml")).unwrap();
    assert!(
        rendered.contains(pushed.trim_start_matches("sha256:")),
        "{rendered}"
    );
}

/// Per url one manifest request; per distinct layer of a repository one blob request; no ping,
/// no config blob, no HEAD. A second run with the lock up to date sends nothing; `--update` with
/// no tag moved sends the manifest requests only.
#[test]
fn lock_requests_one_manifest_per_url_and_one_blob_per_layer() {
    let reg = Registry::with(Options {
        access_log: true,
        ..Options::default()
    });
    let (a, b) = (sample("add-header"), sample("deny-path"));
    for tag in ["1.0.0", "1.0", "1"] {
        push_module(&reg, "shared/a", tag, &a);
    }
    push_module(&reg, "shared/b", "1.0.0", &b);
    push_module(&reg, "other/a", "1.0.0", &a);
    let urls = [
        "shared/a:1.0.0",
        "shared/a:1.0",
        "shared/a:1",
        "shared/b:1.0.0",
        "other/a:1.0.0",
    ]
    .map(|t| reg.url(t));
    let repo = Repo::new(&urls.each_ref().map(String::as_str), "");
    let layer = |wasm: &[u8]| {
        meshplug::artifact::image::digest_of(&meshplug::artifact::image::build(wasm).layer)
    };
    let mut expected: Vec<String> = urls
        .iter()
        .map(|u| {
            let (name, tag) = u.rsplit_once(':').unwrap();
            let name = name.rsplit_once(&format!("{}/", reg.host)).unwrap().1;
            format!("GET /v2/{name}/manifests/{tag}")
        })
        .collect();
    expected.push(format!("GET /v2/shared/a/blobs/{}", layer(&a)));
    expected.push(format!("GET /v2/shared/b/blobs/{}", layer(&b)));
    expected.push(format!("GET /v2/other/a/blobs/{}", layer(&a)));
    expected.sort();

    let before = reg.requests().len();
    meshplug()
        .arg("lock")
        .arg(repo.path())
        .assert()
        .success()
        .stderr(contains("5 resolved"))
        .stderr(contains(format!("{} requests", expected.len())));
    let mut sent = reg
        .requests_at_least(before + expected.len())
        .split_off(before);
    sent.sort();
    assert_eq!(sent, expected);
    let lock = lock_text(&repo);
    assert_eq!(lock.matches("moduleSha256:").count(), 5, "{lock}");

    let before = reg.requests().len();
    meshplug()
        .arg("lock")
        .arg(repo.path())
        .assert()
        .success()
        .stderr(contains("0 requests"));
    assert_eq!(reg.requests().len(), before);
    assert_eq!(lock_text(&repo), lock);

    // --update with every tag where it was: the manifests are asked again, no layer is.
    let before = reg.requests().len();
    meshplug()
        .arg("lock")
        .arg("--update")
        .arg(repo.path())
        .assert()
        .success()
        .stderr(contains("0 resolved, 5 already pinned"))
        .stderr(contains("5 requests"));
    let sent = reg.requests_at_least(before + 5).split_off(before);
    assert!(sent.iter().all(|r| r.contains("/manifests/")), "{sent:?}");
    assert_eq!(lock_text(&repo), lock);
}

#[test]
fn index_resolves_to_the_linux_amd64_child() {
    let reg = Registry::start();
    let amd = push_module(&reg, "multi/p", "amd64", &sample("add-header"));
    let arm = push_module(&reg, "multi/p", "arm64", &sample("deny-path"));
    let m = |w: &[u8]| meshplug::artifact::image::build(w).manifest.len();
    let idx = images::index(&[
        (
            arm.clone(),
            m(&sample("deny-path")),
            Some(("linux", "arm64")),
        ),
        (
            amd.clone(),
            m(&sample("add-header")),
            Some(("linux", "amd64")),
        ),
    ]);
    let raw = images::Raw {
        blobs: vec![],
        media_type: meshplug::artifact::image::media::OCI_INDEX,
        manifest: idx,
    };
    let index_digest = push_raw(&reg, "multi/p", "1.0.0", &raw);
    let repo = Repo::new(&[&reg.url("multi/p:1.0.0")], "");
    meshplug()
        .arg("lock")
        .arg(repo.path())
        .assert()
        .success()
        .stderr(contains("image index"));
    let lock = lock_text(&repo);
    assert!(
        lock.contains(&format!("sha256: {}", amd.trim_start_matches("sha256:"))),
        "{lock}"
    );
    assert!(
        lock.contains(&format!("indexDigest: {index_digest}")),
        "{lock}"
    );
    // An index digest in the url would never match what Istio computes.
    let repo = Repo::new(&[&reg.url(&format!("multi/p@{index_digest}"))], "");
    meshplug()
        .arg("lock")
        .arg(repo.path())
        .assert()
        .code(1)
        .stderr(contains("names an index"))
        .stderr(contains(&amd));
}

#[test]
fn every_format_is_classified_like_istio() {
    let reg = Registry::start();
    let wasm = sample("deny-path");
    for (name, img, accepted) in all_formats(&wasm) {
        let digest = push_raw(&reg, "formats/p", name, &img);
        let url = reg.url(&format!("formats/p:{name}"));
        let a = meshplug()
            .args(["inspect", &url, "--format", "json"])
            .assert();
        if accepted {
            let out: serde_json::Value =
                serde_json::from_slice(&a.success().get_output().stdout).unwrap();
            assert_eq!(out["format"], name, "{name}");
            assert_eq!(
                out["sha256"],
                digest.trim_start_matches("sha256:"),
                "{name}"
            );
            assert_eq!(out["verdict"], "pass", "{name}");
        } else {
            a.code(1)
                .stderr(contains("Istio rejects this image"))
                .stderr(contains("meshplug push"));
        }
    }
}

#[test]
fn modules_failing_the_abi_check_are_not_pinned() {
    let reg = Registry::start();
    let bad = wat::parse_str(r#"(module (memory (export "memory") 1) (func (export "proxy_on_context_create") (param i32 i32)))"#).unwrap();
    let img = images::raw(
        meshplug::artifact::image::media::OCI_MANIFEST,
        (meshplug::artifact::image::media::OCI_CONFIG, b"{}".to_vec()),
        vec![(
            meshplug::artifact::image::media::OCI_LAYER_GZIP,
            images::tgz(&bad),
        )],
    );
    push_raw(&reg, "abi/bad", "1.0.0", &img);
    push_module(&reg, "abi/good", "1.0.0", &sample("add-header"));
    let repo = Repo::new(&[&reg.url("abi/good:1.0.0"), &reg.url("abi/bad:1.0.0")], "");
    meshplug()
        .arg("lock")
        .arg(repo.path())
        .assert()
        .code(1)
        .stderr(contains("not a loadable proxy-wasm plugin"))
        .stderr(contains("ABI version"))
        .stderr(contains("left unchanged"));
    assert!(repo.lock_bytes().is_none());
    // push refuses it too.
    let f = repo.path().join("bad.wasm");
    std::fs::write(&f, &bad).unwrap();
    meshplug()
        .arg("push")
        .arg(&f)
        .arg(reg.url("abi/bad:2"))
        .assert()
        .code(1)
        .stderr(contains("nothing was pushed"));
}

#[test]
fn basic_auth_with_docker_config() {
    let reg = Registry::with(Options {
        basic_auth: true,
        tls: false,
        ..Options::default()
    });
    let url = reg.url("private/p:1.0.0");
    let wasm =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/plugins/add-header.wasm");
    // No credentials.
    meshplug()
        .arg("push")
        .arg(&wasm)
        .arg(&url)
        .assert()
        .code(1)
        .stderr(contains("requires authentication"))
        .stderr(contains("docker login"));
    let good = reg.docker_config(PASS);
    let bad = reg.docker_config("wrong-password!");
    meshplug()
        .env("DOCKER_CONFIG", &good)
        .arg("push")
        .arg(&wasm)
        .arg(&url)
        .assert()
        .success();
    let repo = Repo::new(&[&url], "");
    let a = meshplug()
        .env("DOCKER_CONFIG", &bad)
        .arg("lock")
        .arg(repo.path())
        .assert()
        .code(1)
        .stderr(contains("rejected the credentials"));
    let all = format!("{:?}", a.get_output());
    assert!(
        !all.contains("wrong-password") && !all.contains(PASS),
        "credentials leaked: {all}"
    );
    assert!(repo.lock_bytes().is_none());
    let a = meshplug()
        .env("DOCKER_CONFIG", &good)
        .arg("lock")
        .arg(repo.path())
        .assert()
        .success();
    assert!(!format!("{:?}", a.get_output()).contains(PASS));
    assert!(!lock_text(&repo).contains(PASS));
}

#[test]
fn tls_needs_the_ca() {
    let reg = Registry::with(Options {
        basic_auth: true,
        tls: true,
        ..Options::default()
    });
    let ca = reg.ca.clone().unwrap();
    let url = reg.url("tls/p:1.0.0");
    push_module(&reg, "tls/p", "1.0.0", &sample("add-header"));
    let secure = format!(
        "  registries:\n  - {{host: \"{}\", insecure: false}}\n",
        reg.host
    );
    let repo = Repo::new(&[&url], &secure);
    meshplug()
        .env("DOCKER_CONFIG", reg.docker_config(PASS))
        .arg("lock")
        .arg(repo.path())
        .assert()
        .code(1)
        .stderr(contains("TLS verification failed"))
        .stderr(contains("caFile"));
    assert!(repo.lock_bytes().is_none());
    std::fs::copy(&ca, repo.path().join("ca.crt")).unwrap();
    let trusted = format!(
        "  registries:\n  - {{host: \"{}\", caFile: ca.crt}}\n",
        reg.host
    );
    let repo2 = Repo::new(&[&url], &trusted);
    std::fs::copy(&ca, repo2.path().join("ca.crt")).unwrap();
    meshplug()
        .env("DOCKER_CONFIG", reg.docker_config(PASS))
        .arg("lock")
        .arg(repo2.path())
        .assert()
        .success();
    meshplug()
        .env("DOCKER_CONFIG", reg.docker_config(PASS))
        .arg("inspect")
        .arg(&url)
        .arg("--ca-file")
        .arg(&ca)
        .assert()
        .success()
        .stdout(contains("verdict       pass"));
}

#[test]
fn verify_fails_when_a_tag_moves() {
    let reg = Registry::start();
    push_module(&reg, "moving/p", "1.0.0", &sample("add-header"));
    let repo = Repo::new(&[&reg.url("moving/p:1.0.0")], "");
    meshplug().arg("lock").arg(repo.path()).assert().success();
    let before = repo.lock_bytes().unwrap();
    let moved = push_module(&reg, "moving/p", "1.0.0", &sample("deny-path"));
    meshplug()
        .args(["lock", "--verify"])
        .arg(repo.path())
        .assert()
        .code(1)
        .stderr(contains("the tag moved"))
        .stderr(contains(moved.trim_start_matches("sha256:")))
        .stderr(contains("--update=p0"));
    assert_eq!(repo.lock_bytes().unwrap(), before);
    meshplug()
        .arg("lock")
        .args(["--update=p0"])
        .arg(repo.path())
        .assert()
        .success()
        .stderr(contains("1 resolved"));
    assert!(lock_text(&repo).contains(moved.trim_start_matches("sha256:")));
}

#[test]
fn offline_fails_on_unpinned_without_network() {
    let repo = Repo::new(&["oci://127.0.0.1:9/never/contacted:1.0.0"], "");
    meshplug()
        .args(["lock", "--offline"])
        .arg(repo.path())
        .assert()
        .code(1)
        .stderr(contains("--offline"))
        .stderr(contains("0 requests"));
    assert!(repo.lock_bytes().is_none());
    meshplug()
        .arg("render")
        .arg(repo.path())
        .assert()
        .code(1)
        .stderr(contains("meshplug lock"));
}

#[test]
fn faults_leave_the_lock_unchanged() {
    let wasm = sample("add-header");
    let gz = {
        use std::io::Write;
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(&wasm).unwrap();
        e.finish().unwrap()
    };
    let server = crate::support::faults::FaultServer::start(HashMap::from([
        ("m.wasm".to_string(), wasm.clone()),
        ("m.wasm.gz".to_string(), gz),
    ]));
    let module_sha = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&wasm));
    // A good lock to start from.
    let repo = Repo::new(&[&server.url("ok/m.wasm")], "");
    meshplug().arg("lock").arg(repo.path()).assert().success();
    assert!(lock_text(&repo).contains(&module_sha));
    let good = repo.lock_bytes().unwrap();
    let cases = [
        ("500/m.wasm", "500 Internal Server Error"),
        ("hang/m.wasm", "timed out"),
        ("truncate/m.wasm", "truncated"),
        ("missing/m.wasm", "404"),
        ("v2/x/manifests/1", ""),
    ];
    for (path, why) in cases {
        let url = if path.starts_with("v2") {
            format!("oci://{}/x:1", server.host)
        } else {
            server.url(path)
        };
        let gone = Repo::new(&[&server.url("ok/m.wasm"), &url], "");
        std::fs::write(gone.path().join("meshplug.lock"), &good).unwrap();
        let a = meshplug()
            .args(["lock", "--timeout", "3"])
            .arg(gone.path())
            .assert()
            .code(1)
            .stderr(contains("left unchanged"));
        let err = String::from_utf8_lossy(&a.get_output().stderr).to_string();
        assert!(
            err.contains(why) || (path.starts_with("v2") && err.contains("corrupted or tampered")),
            "{path}: {err}"
        );
        assert_eq!(gone.lock_bytes().unwrap(), good, "{path}");
    }
    // Transient 503s are retried; redirects are followed; gzip is unboxed like Istio does.
    let ok = Repo::new(
        &[
            &server.url("flaky/m.wasm"),
            &server.url("redirect/m.wasm"),
            &server.url("ok/m.wasm.gz"),
        ],
        "",
    );
    meshplug()
        .arg("lock")
        .arg(ok.path())
        .assert()
        .success()
        .stderr(contains("3 resolved"));
    assert_eq!(server.hits("/flaky/m.wasm"), 3);
    assert_eq!(
        lock_text(&ok)
            .matches(&format!("sha256: {module_sha}"))
            .count(),
        3
    );
    // Wrong bytes behind a pinned url: verify catches it.
    let wrong = Repo::new(&[&server.url("wrong/m.wasm")], "");
    let entry = lock_text(&repo).replace("/ok/", "/wrong/");
    std::fs::write(wrong.path().join("meshplug.lock"), &entry).unwrap();
    meshplug()
        .args(["lock", "--verify"])
        .arg(wrong.path())
        .assert()
        .code(1)
        .stderr(contains("the tag moved"));
    assert_eq!(
        std::fs::read_to_string(wrong.path().join("meshplug.lock")).unwrap(),
        entry
    );
}

#[test]
fn a_broken_lock_is_a_located_diagnostic() {
    let repo = Repo::new(&["oci://127.0.0.1:9/x/y:1"], "");
    std::fs::write(
        repo.path().join("meshplug.lock"),
        "apiVersion: meshplug.io/v1alpha1\nkind: Lock\nmodules:\n- url: x\n  sha256: nothex\n",
    )
    .unwrap();
    meshplug()
        .arg("render")
        .arg(repo.path())
        .assert()
        .code(1)
        .stderr(contains("meshplug.lock:5"));
    meshplug()
        .arg("lock")
        .arg(repo.path())
        .assert()
        .code(1)
        .stderr(contains("meshplug.lock"));
}

#[test]
fn push_is_deterministic_and_matches_the_example_lock() {
    let reg = Registry::start();
    let lock = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/bookinfo/meshplug.lock"
    ))
    .unwrap();
    for (file, name, tag) in [
        ("add-header", "add-header", "0.1.0"),
        ("deny-path", "deny-path", "0.1.0"),
        ("deny-path-sdk", "deny-path", "0.2.0"),
        ("basic-auth", "basic-auth", "0.1.0"),
        ("hello-world", "hello-world", "0.1.0"),
    ] {
        let a = push_module(
            &reg,
            &format!("meshplug-examples/{name}"),
            tag,
            &sample(file),
        );
        let b = push_module(&reg, &format!("again/{name}"), "x", &sample(file));
        assert_eq!(a, b);
        let needle = format!(
            "url: oci://localhost:5000/meshplug-examples/{name}:{tag}\n  sha256: {}",
            a.trim_start_matches("sha256:")
        );
        assert!(
            lock.contains(&needle),
            "examples/bookinfo/meshplug.lock does not pin {name} as pushed ({a}):\n{lock}"
        );
    }
}
