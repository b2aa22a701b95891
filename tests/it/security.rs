//! Secrets and trust: a canary password never shows up anywhere meshplug writes, credentials never
//! follow a redirect or an upload to another host, and plain http is refused for hosts that are
//! neither loopback nor declared insecure.

use crate::support::faults::FaultServer;
use crate::support::{Options, PASS, Registry, Repo, USER, meshplug, sample};
use base64::Engine;
use std::collections::HashMap;
use std::path::Path;
use std::process::Output;

/// Every form the canary could leak in.
fn canary_forms(user: &str, pass: &str) -> Vec<String> {
    let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
    let b64url = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
    let login = format!("{user}:{pass}");
    vec![
        pass.to_string(),
        b64(pass),
        b64(&login),
        b64url(&login),
        b64(&login).trim_end_matches('=').to_string(),
        urlencode(pass),
    ]
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// Fail when any canary form appears in `text`.
fn assert_clean(what: &str, text: &str, forms: &[String]) {
    for f in forms {
        assert!(
            !text.contains(f.as_str()),
            "{what} contains the canary credential (as `{f}`):\n{text}"
        );
    }
}

/// Every file under `dir` as text, path first.
fn tree_text(dir: &Path) -> String {
    crate::support::snapshot_tree(dir)
        .into_iter()
        .map(|(p, b)| format!("=== {p}\n{}", String::from_utf8_lossy(&b)))
        .collect()
}

struct Runs {
    forms: Vec<String>,
    count: usize,
}

impl Runs {
    /// Run `meshplug args` with `docker_config`; check its output and return it.
    fn run(&mut self, docker_config: &Path, args: &[&str]) -> Output {
        let mut out = None;
        for format in [None, Some("json")] {
            let mut cmd = meshplug();
            cmd.env("DOCKER_CONFIG", docker_config)
                .env("RUST_BACKTRACE", "full")
                .args(args);
            if let Some(f) = format
                && args[0] != "push"
            {
                cmd.args(["--format", f]);
            }
            let o = cmd.output().unwrap();
            self.count += 1;
            let all = format!(
                "{}{}",
                String::from_utf8_lossy(&o.stdout),
                String::from_utf8_lossy(&o.stderr)
            );
            assert!(!all.contains("panicked"), "{args:?}: {all}");
            assert_clean(&format!("meshplug {args:?}"), &all, &self.forms);
            out.get_or_insert(o);
        }
        out.unwrap()
    }
}

#[test]
fn a_canary_password_never_leaks() {
    let reg = Registry::with(Options {
        basic_auth: true,
        tls: false,
        ..Options::default()
    });
    let forms = canary_forms(USER, PASS);
    let good = reg.docker_config(PASS);
    // A wrong password is a secret too: it must not be echoed either.
    let wrong_pass = "canary-Wr0ng-7c1e9";
    let wrong = reg.docker_config(wrong_pass);
    let mut all_forms = forms.clone();
    all_forms.extend(canary_forms(USER, wrong_pass));
    let mut runs = Runs {
        forms: all_forms,
        count: 0,
    };
    let dir = tempfile::tempdir().unwrap();
    let wasm = dir.path().join("m.wasm");
    std::fs::write(&wasm, sample("add-header")).unwrap();
    let wasm = wasm.to_str().unwrap();
    let url = reg.url("canary/p:1.0.0");

    // push: good, wrong and no credentials, a registry that is not there, a bad module.
    assert!(runs.run(&good, &["push", wasm, &url]).status.success());
    assert_eq!(
        runs.run(&wrong, &["push", wasm, &url]).status.code(),
        Some(1)
    );
    let nowhere = format!("oci://127.0.0.1:{}/canary/p:1", crate::support::free_port());
    assert_eq!(
        runs.run(&good, &["push", wasm, &nowhere]).status.code(),
        Some(1)
    );
    let bad = dir.path().join("bad.wasm");
    std::fs::write(&bad, b"\0asm\x01\0\0\0").unwrap();
    let bad = bad.to_str().unwrap();
    assert_eq!(runs.run(&good, &["push", bad, &url]).status.code(), Some(1));

    // inspect: good, wrong credentials, a missing tag.
    assert!(runs.run(&good, &["inspect", &url]).status.success());
    assert_eq!(runs.run(&wrong, &["inspect", &url]).status.code(), Some(1));
    let missing = reg.url("canary/p:9.9.9");
    assert_eq!(
        runs.run(&good, &["inspect", &missing]).status.code(),
        Some(1)
    );

    // lock and render: wrong credentials (nothing written), good ones, verify, offline.
    let repo = Repo::new(&[&url], "");
    let root = repo.path().to_str().unwrap();
    assert_eq!(runs.run(&wrong, &["lock", root]).status.code(), Some(1));
    assert!(repo.lock_bytes().is_none());
    assert!(runs.run(&good, &["lock", root]).status.success());
    assert!(runs.run(&wrong, &["lock", "--verify", root]).status.code() == Some(1));
    assert!(
        runs.run(&good, &["lock", "--verify", root])
            .status
            .success()
    );
    assert!(
        runs.run(&good, &["lock", "--offline", root])
            .status
            .success()
    );
    assert!(
        runs.run(&good, &["lock", root, "--update"])
            .status
            .success()
    );
    assert!(runs.run(&good, &["render", root]).status.success());
    assert!(runs.run(&good, &["validate", root]).status.success());

    // A module url that carries the password itself is refused, and not echoed back.
    let with_pass = format!("http://{USER}:{PASS}@{}/v2/", reg.host);
    let leaky = Repo::new(&[&with_pass], "");
    let leaky_root = leaky.path().to_str().unwrap();
    let mut url_runs = Runs {
        forms: forms.clone(),
        count: 0,
    };
    for args in [
        vec!["validate", leaky_root],
        vec!["render", leaky_root],
        vec!["lock", leaky_root],
    ] {
        assert_eq!(
            url_runs.run(&good, &args).status.code(),
            Some(1),
            "{args:?}"
        );
    }
    assert!(leaky.lock_bytes().is_none());
    assert!(!leaky.path().join("rendered").exists());

    // What meshplug wrote.
    assert_clean(
        "meshplug.lock",
        &String::from_utf8(repo.lock_bytes().unwrap()).unwrap(),
        &forms,
    );
    assert_clean(
        "rendered/",
        &tree_text(&repo.path().join("rendered")),
        &forms,
    );
    // And nothing else in the repository changed or appeared besides those two.
    let names: Vec<String> = std::fs::read_dir(repo.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let mut names = names;
    names.sort();
    assert_eq!(
        names,
        [
            "bindings",
            "catalog",
            "meshplug.lock",
            "meshplug.yaml",
            "rendered"
        ]
    );
    eprintln!(
        "canary: {} runs, {} forms checked",
        runs.count + url_runs.count,
        runs.forms.len()
    );
}

/// Two fault servers, each the other's redirect peer; `a` wants Basic credentials.
fn pair(user: &str, pass: &str) -> (FaultServer, FaultServer) {
    let files = || {
        let wasm = sample("add-header");
        let layer = meshplug::artifact::image::build(&wasm).layer;
        HashMap::from([("m.wasm".to_string(), wasm), ("layer".to_string(), layer)])
    };
    let (a, b) = (FaultServer::start(files()), FaultServer::start(files()));
    a.set_peer(&b.host);
    a.require_basic(user, pass);
    (a, b)
}

fn docker_config(dir: &Path, host: &str, user: &str, pass: &str) -> std::path::PathBuf {
    let auth = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{pass}"));
    std::fs::write(
        dir.join("config.json"),
        format!(r#"{{"auths":{{"{host}":{{"auth":"{auth}"}}}}}}"#),
    )
    .unwrap();
    dir.to_path_buf()
}

#[test]
fn credentials_never_follow_a_redirect_to_another_host() {
    let (a, b) = pair("someone", "canary-Redir3ct");
    let cfg = tempfile::tempdir().unwrap();
    let cfg = docker_config(cfg.path(), &a.host, "someone", "canary-Redir3ct");
    // The registry answers the blob with a redirect to another host (as registries on object
    // storage do): the layer is fetched there, without the registry's credentials.
    let url = format!("oci://{}/auth:1.0.0", a.host);
    let repo = Repo::new(&[&url], "");
    meshplug()
        .env("DOCKER_CONFIG", &cfg)
        .arg("lock")
        .arg(repo.path())
        .assert()
        .success();
    let to_a: Vec<_> = a
        .seen()
        .into_iter()
        .filter(|s| s.authorization.is_some())
        .collect();
    assert!(!to_a.is_empty(), "the registry itself got the credentials");
    let to_b = b.seen();
    assert!(
        to_b.iter().any(|s| s.path == "/sink/layer"),
        "the redirect was followed: {to_b:?}"
    );
    assert!(
        to_b.iter().all(|s| s.authorization.is_none()),
        "credentials were sent to another host: {to_b:?}"
    );
}

#[test]
fn a_bearer_token_is_fetched_with_the_login_and_never_shown() {
    let (a, _b) = pair("someone", "canary-T0kenL0gin");
    let token = "canary-B3arer-5d2a";
    a.issue_token(token);
    let cfg = tempfile::tempdir().unwrap();
    let cfg = docker_config(cfg.path(), &a.host, "someone", "canary-T0kenL0gin");
    let mut forms = canary_forms("someone", "canary-T0kenL0gin");
    forms.push(token.to_string());
    let mut runs = Runs { forms, count: 0 };
    let url = format!("oci://{}/token:1.0.0", a.host);
    let repo = Repo::new(&[&url], "");
    let path = repo.path().to_str().unwrap();
    assert!(runs.run(&cfg, &["lock", path]).status.success());
    assert!(runs.run(&cfg, &["inspect", &url]).status.success());
    // Without a login the token endpoint refuses, and the error says how to log in.
    let empty = tempfile::tempdir().unwrap();
    let denied = runs.run(empty.path(), &["inspect", &url]);
    assert_eq!(denied.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&denied.stderr).contains("docker login"),
        "{}",
        String::from_utf8_lossy(&denied.stderr)
    );
    assert_clean(
        "meshplug.lock",
        &std::fs::read_to_string(repo.path().join("meshplug.lock")).unwrap(),
        &runs.forms,
    );
    // The login went only to the token endpoint, with the scope the challenge asked for; the
    // registry saw only the token.
    let seen = a.seen();
    let to_realm: Vec<_> = seen
        .iter()
        .filter(|s| s.path.starts_with("/token"))
        .collect();
    assert!(!to_realm.is_empty(), "no token was fetched: {seen:?}");
    assert!(
        to_realm
            .iter()
            .all(|s| s.path.contains("scope=repository%3Atoken%3Apull")),
        "{to_realm:?}"
    );
    let bearer = format!("Bearer {token}");
    for s in seen.iter().filter(|s| s.path.starts_with("/v2/")) {
        assert!(
            s.authorization.is_none() || s.authorization.as_deref() == Some(bearer.as_str()),
            "the registry got more than the token: {s:?}"
        );
    }
    assert!(
        seen.iter()
            .any(|s| s.authorization.as_deref() == Some(bearer.as_str()))
    );
}

#[test]
fn credentials_never_follow_an_upload_to_another_host() {
    let (a, b) = pair("someone", "canary-Upl0ad");
    let cfg = tempfile::tempdir().unwrap();
    let cfg = docker_config(cfg.path(), &a.host, "someone", "canary-Upl0ad");
    let dir = tempfile::tempdir().unwrap();
    let wasm = dir.path().join("m.wasm");
    std::fs::write(&wasm, sample("add-header")).unwrap();
    // The registry starts the upload and names a Location on another host.
    meshplug()
        .env("DOCKER_CONFIG", &cfg)
        .arg("push")
        .arg(&wasm)
        .arg(format!("oci://{}/push:1.0.0", a.host))
        .assert()
        .success();
    let uploads: Vec<_> = b.seen().into_iter().filter(|s| s.method == "PUT").collect();
    assert_eq!(
        uploads.len(),
        2,
        "config and layer uploaded to the peer: {uploads:?}"
    );
    assert!(
        uploads.iter().all(|s| s.authorization.is_none()),
        "credentials were sent with an upload to another host: {uploads:?}"
    );
    assert!(a.seen().iter().any(|s| s.authorization.is_some()));
}

#[test]
fn plain_http_needs_loopback_or_an_insecure_host() {
    let (a, _b) = pair("u", "p");
    // A redirect from a loopback server to plain http on another host is refused before any
    // connection: a redirect cannot turn TLS off.
    let repo = Repo::new(&[&a.url("redirect-plain/m.wasm")], "");
    meshplug()
        .arg("lock")
        .arg(repo.path())
        .assert()
        .code(1)
        .stderr(predicates::str::contains("refused a redirect"));
    // A plain-http module on a host that is not loopback: refused without a request, for lock and
    // inspect alike.
    let url = "http://meshplug-test.invalid/m.wasm";
    let repo = Repo::new(&[url], "");
    meshplug()
        .arg("lock")
        .arg(repo.path())
        .assert()
        .code(1)
        .stderr(predicates::str::contains(
            "plain http is only used for loopback hosts",
        ))
        .stderr(predicates::str::contains("insecure: true"))
        .stderr(predicates::str::contains("0 requests"));
    meshplug()
        .args(["inspect", url])
        .assert()
        .code(1)
        .stderr(predicates::str::contains(
            "plain http is only used for loopback hosts",
        ));
    // Declaring the host insecure in meshplug.yaml is the one way to allow it.
    let settings = meshplug::artifact::registry::Settings::from_config(
        &[meshplug::model::RegistryConfig {
            host: "meshplug-test.invalid".into(),
            insecure: Some(true),
            ca_file: None,
        }],
        Path::new("."),
    );
    assert!(settings.allows_http("meshplug-test.invalid"));
    assert_eq!(settings.registry_scheme("meshplug-test.invalid"), "http");
    let default = meshplug::artifact::registry::Settings::default();
    assert!(!default.allows_http("meshplug-test.invalid"));
    assert_eq!(
        default.registry_scheme("registry.example.com:5000"),
        "https"
    );
}
