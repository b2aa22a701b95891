//! The pinned bytes, run: `replay`, `test` and `validate --run` through the real binary, on the
//! example's SDK-built modules and on modules that fail the way real ones do.

use crate::support::*;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn example() -> PathBuf {
    project().join("examples/bookinfo")
}

/// `meshplug replay` on the example with `args` after the workload.
fn replay(service: &str, args: &[&str]) -> assert_cmd::assert::Assert {
    meshplug()
        .arg("replay")
        .arg(service)
        .args(args)
        .arg("--repo")
        .arg(example())
        .assert()
}

#[test]
fn the_istio_task_basic_auth_answers_401_then_200_with_its_credentials() {
    // Istio's "Distributing WebAssembly Modules" task: the two curl checks, offline.
    let denied = replay(
        "istio-system/istio-ingressgateway",
        &["GET", "/productpage"],
    )
    .success();
    let text = stdout(&denied);
    assert!(text.contains("=> 401 from a local reply"), "{text}");
    insta::assert_snapshot!("replay_basic_auth_denied", text);

    let allowed = replay(
        "istio-system/istio-ingressgateway",
        &[
            "GET",
            "/productpage",
            "-H",
            "Authorization: Basic YWRtaW4zOmFkbWluMw==",
        ],
    )
    .success();
    let text = stdout(&allowed);
    assert!(text.contains("=> 200 from the upstream"), "{text}");
    // Wrong credentials are refused with the other message of the plugin.
    let wrong = replay(
        "istio-system/istio-ingressgateway",
        &[
            "GET",
            "/productpage",
            "-H",
            "Authorization: Basic d3Jvbmc6d3Jvbmc=",
        ],
    )
    .success();
    assert!(
        stdout(&wrong).contains("Invalid username and/or password"),
        "{}",
        stdout(&wrong)
    );
}

#[test]
fn replay_json_reports_every_step_and_the_final_response() {
    let out = replay(
        "bookinfo/reviews-v3",
        &[
            "GET",
            "/reviews/1",
            "--format",
            "json",
            "--cluster",
            "prod-east",
        ],
    )
    .success();
    let doc: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(doc["replay"]["response"]["status"], 200, "{doc:#}");
    let headers = doc["replay"]["response"]["headers"].as_array().unwrap();
    for (k, v) in [
        ("x-meshplug", "hello"),
        ("x-greeting", "hello from reviews-v3"),
        ("x-trust-domain", "cluster.local"),
    ] {
        assert!(
            headers.iter().any(|h| h[0] == k && h[1] == v),
            "{k}: {v} missing in {headers:?}"
        );
    }
    // Plugins whose modules are not in the repository are shown, not silently dropped.
    let chain = doc["chain"].as_array().unwrap();
    assert!(
        chain
            .iter()
            .any(|l| l["kind"] == "not_run" && l["plugin"] == "jwt-auth"),
        "{chain:?}"
    );
    assert!(
        chain
            .iter()
            .any(|l| l["kind"] == "istio" && l["name"] == "rbac")
    );
    // Deterministic: the same request gives byte-identical output.
    let again = replay(
        "bookinfo/reviews-v3",
        &[
            "GET",
            "/reviews/1",
            "--format",
            "json",
            "--cluster",
            "prod-east",
        ],
    )
    .success();
    assert_eq!(stdout(&out), stdout(&again));
}

#[test]
fn deny_path_answers_403_with_its_intended_body() {
    let out = replay("bookinfo/reviews-v3", &["GET", "/admin/users"]).success();
    let text = stdout(&out);
    assert!(text.contains("=> 403 from a local reply"), "{text}");
    assert!(text.contains("body: forbidden by deny-path"), "{text}");
}

#[test]
fn the_example_request_tests_pass() {
    let out = meshplug().arg("test").arg(example()).assert().success();
    let err = stderr(&out);
    assert!(err.contains("test: 13 passed, 0 failed"), "{err}");
    assert!(
        err.contains("ok   bindings/istio-system/istio-ingressgateway.yaml [prod-east] without credentials the gateway answers 401"),
        "{err}"
    );
    let run = meshplug()
        .args(["validate", "--run"])
        .arg(example())
        .assert()
        .success();
    let err = stderr(&run);
    assert!(err.contains("13 of 13 request tests passed"), "{err}");
}

#[test]
fn a_failing_request_test_is_located_and_explained() {
    let (_d, repo) = example_copy();
    let file = repo.join("bindings/istio-system/istio-ingressgateway.yaml");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replacen("status: 401", "status: 403", 1)).unwrap();
    let out = meshplug()
        .arg("test")
        .arg(&repo)
        .env("MESHPLUG_MODULES", project().join("examples/plugins"))
        .assert()
        .code(1);
    let err = stderr(&out);
    assert!(err.contains("MP044"), "{err}");
    assert!(
        err.contains("bindings/istio-system/istio-ingressgateway.yaml:30:11"),
        "{err}"
    );
    assert!(err.contains("status 403 expected, got 401"), "{err}");
    assert!(
        err.contains("test: 4 passed, 2 failed") || err.contains("failed"),
        "{err}"
    );
}

#[test]
fn only_bytes_that_match_the_pin_are_run() {
    let (d, repo) = example_copy();
    // A module directory whose files have the right names but other bytes.
    let fake = d.path().join("fake");
    std::fs::create_dir_all(&fake).unwrap();
    for name in ["basic-auth", "hello-world", "deny-path-sdk", "add-header"] {
        std::fs::write(fake.join(format!("{name}.wasm")), sample("deny-path")).unwrap();
    }
    let out = meshplug()
        .arg("test")
        .arg(&repo)
        .env("MESHPLUG_MODULES", &fake)
        .assert()
        .code(1);
    let err = stderr(&out);
    assert!(err.contains("MP045"), "{err}");
    assert!(
        err.contains("in neither the module cache nor a module directory")
            || err.contains("not run"),
        "{err}"
    );
    assert!(
        !err.contains("ok   "),
        "nothing may pass with unverified bytes: {err}"
    );
}

#[test]
fn the_module_cache_filled_by_lock_serves_the_dry_run_offline() {
    // Seed a cache the way `meshplug lock` does (modules/<sha256>.wasm), then run without any
    // module directory.
    let (d, repo) = example_copy();
    let cache = d.path().join("cache");
    std::fs::create_dir_all(cache.join("modules")).unwrap();
    for name in ["basic-auth", "hello-world", "deny-path-sdk", "add-header"] {
        let bytes = sample(name);
        let sha = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&bytes));
        std::fs::write(cache.join("modules").join(format!("{sha}.wasm")), bytes).unwrap();
    }
    let out = meshplug()
        .arg("test")
        .arg(&repo)
        .env("MESHPLUG_CACHE_DIR", &cache)
        .assert()
        .success();
    assert!(
        stderr(&out).contains("test: 13 passed, 0 failed"),
        "{}",
        stderr(&out)
    );
    // A cached file that no longer matches its name is not used.
    let sha = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(sample("basic-auth")));
    std::fs::write(
        cache.join("modules").join(format!("{sha}.wasm")),
        b"tampered",
    )
    .unwrap();
    let out = meshplug()
        .arg("test")
        .arg(&repo)
        .env("MESHPLUG_CACHE_DIR", &cache)
        .assert()
        .code(1);
    assert!(stderr(&out).contains("MP045"), "{}", stderr(&out));
}

#[test]
fn replay_refuses_bad_arguments_with_the_fix() {
    for (args, says) in [
        (&["GET", "/", "-H", "no-colon"][..], "is not `name: value`"),
        (
            &["GET", "/", "--mock-http", "auth=abc"][..],
            "CLUSTER=STATUS[:BODY]",
        ),
        (
            &["GET", "/", "--cluster", "prod-eats"][..],
            "did you mean `prod-east`?",
        ),
    ] {
        let out = replay("istio-system/istio-ingressgateway", args).code(2);
        assert!(stderr(&out).contains(says), "{args:?}: {}", stderr(&out));
    }
}

/// A repository with one catalog entry `m` whose pinned module is `module` (a file of
/// tests/corpus/run or examples/plugins), bound on a 1.27 and a 1.24 cluster.
fn repo_with_module(dir: &Path, module: &Path, plugin_config: &str) {
    let bytes = std::fs::read(module).unwrap();
    let sha = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&bytes));
    let files = [
        (
            "meshplug.yaml",
            "apiVersion: meshplug.io/v1alpha1\nkind: Marketplace\nmetadata: {name: t}\nspec:\n  catalog: [catalog]\n  clusters:\n  - {name: new, istioVersion: \"1.27\"}\n  - {name: old, istioVersion: \"1.24\"}\n".to_string(),
        ),
        (
            "catalog/m.yaml",
            "apiVersion: meshplug.io/v1alpha1\nkind: Plugin\nmetadata: {name: m}\nspec:\n  title: {en: M}\n  description: {en: m}\n  type: HTTP\n  versions:\n  - version: 1.0.0\n    url: oci://registry.example.com/m:1.0.0\n".to_string(),
        ),
        (
            "bindings/shop/cart.yaml",
            format!("apiVersion: meshplug.io/v1alpha1\nkind: Binding\nmetadata: {{name: cart, namespace: shop}}\nspec:\n  plugins:\n  - plugin: m\n{plugin_config}"),
        ),
        (
            "meshplug.lock",
            format!("apiVersion: meshplug.io/v1alpha1\nkind: Lock\nmodules:\n- url: oci://registry.example.com/m:1.0.0\n  sha256: {}\n  format: oci-compat\n  moduleSize: {}\n  moduleSha256: {sha}\n  abi: \"0.2.1\"\n", "0".repeat(64), bytes.len()),
        ),
    ];
    for (path, text) in files {
        let p = dir.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    std::fs::create_dir_all(dir.join("modules")).unwrap();
    std::fs::write(dir.join("modules/m.wasm"), bytes).unwrap();
    let yaml = std::fs::read_to_string(dir.join("meshplug.yaml")).unwrap();
    std::fs::write(
        dir.join("meshplug.yaml"),
        format!("{yaml}  modules: [modules]\n"),
    )
    .unwrap();
}

/// `validate --run --format json` on `dir`: (exit code, codes and messages).
fn dry_run(dir: &Path) -> (i32, Vec<(String, String)>) {
    let out = meshplug()
        .args(["validate", "--run", "--format", "json"])
        .arg(dir)
        .output()
        .unwrap();
    let doc: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    let diags = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                format!(
                    "{} {}",
                    d["message"].as_str().unwrap(),
                    d["help"].as_str().unwrap_or_default()
                ),
            )
        })
        .collect();
    (out.status.code().unwrap(), diags)
}

#[test]
fn a_root_only_sdk_module_loads_but_crashes_on_the_first_request() {
    let dir = tempfile::tempdir().unwrap();
    repo_with_module(
        dir.path(),
        &project().join("examples/plugins/root-only.wasm"),
        "",
    );
    let (code, diags) = dry_run(dir.path());
    assert_eq!(code, 1, "{diags:?}");
    assert!(
        diags
            .iter()
            .any(|(c, m)| c == "MP042" && m.contains("first request")),
        "{diags:?}"
    );
}

/// (module under tests/corpus/run, rule it must produce, text the message must contain).
const HOSTILE: &[(&str, &str, &str)] = &[
    ("needs-poll-oneoff", "MP040", "poll_oneoff"),
    ("trap-initialize", "MP040", "_initialize"),
    ("configure-loops", "MP043", "fuel"),
    ("memory-bomb", "MP043", "memory"),
    ("deep-recursion", "MP040", "proxy_on_vm_start"),
    (
        "rejects-config",
        "MP041",
        "rejects-config: invalid configuration",
    ),
    ("higress-abi", "MP040", "Higress"),
];

#[test]
fn failing_and_hostile_modules_give_a_diagnostic_never_a_hang_or_a_crash() {
    for (name, code, says) in HOSTILE {
        let dir = tempfile::tempdir().unwrap();
        let module = project().join(format!("tests/corpus/run/{name}.wasm"));
        repo_with_module(dir.path(), &module, "");
        let started = std::time::Instant::now();
        let (exit, diags) = dry_run(dir.path());
        assert_eq!(exit, 1, "{name}: {diags:?}");
        assert!(
            diags.iter().any(|(c, m)| c == code && m.contains(says)),
            "{name}: expected {code} saying `{says}`, got {diags:?}"
        );
        // The meshplug() helper has a 120 s timeout; a budget overrun must end far sooner.
        assert!(
            started.elapsed() < std::time::Duration::from_secs(60),
            "{name} took {:?}",
            started.elapsed()
        );
    }
}

#[test]
fn a_go_sdk_style_module_loads_in_new_istio_and_names_the_import_in_old() {
    let dir = tempfile::tempdir().unwrap();
    repo_with_module(
        dir.path(),
        &project().join("tests/corpus/run/needs-poll-oneoff.wasm"),
        "",
    );
    let (_, diags) = dry_run(dir.path());
    let mp040: Vec<&(String, String)> = diags.iter().filter(|(c, _)| c == "MP040").collect();
    assert_eq!(mp040.len(), 1, "{diags:?}");
    let msg = &mp040[0].1;
    assert!(
        msg.contains("`old` (Istio 1.24)") && !msg.contains("`new`"),
        "{msg}"
    );
    assert!(
        msg.contains("missing import: wasi_snapshot_preview1."),
        "{msg}"
    );
}

#[test]
fn wild_pointers_in_host_calls_do_not_crash_meshplug() {
    let dir = tempfile::tempdir().unwrap();
    repo_with_module(
        dir.path(),
        &project().join("tests/corpus/run/wild-pointers.wasm"),
        "",
    );
    let out = meshplug()
        .args(["validate", "--run"])
        .arg(dir.path())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked"), "{err}");
    assert!(matches!(out.status.code(), Some(0 | 1)), "{err}");
}

#[test]
fn the_committed_example_modules_are_what_their_sources_build() {
    // examples/plugins/build.sh --check rebuilds every SDK module for wasm32-wasip1 in a temp dir
    // and compares bytes. Exit 3: this rustc is not the one in TOOLCHAIN, so bytes cannot be
    // compared; the modules' behaviour is then what the other tests here check.
    require_tool("cargo", "https://rustup.rs");
    let out = std::process::Command::new("bash")
        .arg(project().join("examples/plugins/build.sh"))
        .arg("--check")
        .output()
        .expect("run examples/plugins/build.sh --check");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    match out.status.code() {
        Some(0) => {}
        Some(3) => eprintln!("build.sh --check could not compare bytes: {text}"),
        other => panic!("examples/plugins/build.sh --check exited {other:?}:\n{text}"),
    }
}
