//! GitOps delivery: the Argo CD config management plugin run as Argo CD's cmp-server runs it
//! (`render --stdout`).

use crate::support::*;
use predicates::prelude::*;
use std::path::{Path, PathBuf};
use std::process::Command;

const KUBECTL_INSTALL: &str =
    "apt-get install -y kubernetes-client (Debian), or see https://kubernetes.io/docs/tasks/tools/";

/// The documents of a YAML stream, sorted by kind, namespace and name.
fn documents(stream: &str) -> Vec<serde_json::Value> {
    let mut docs: Vec<serde_json::Value> = serde_saphyr::from_multiple(stream)
        .unwrap_or_else(|e| panic!("not a YAML stream: {e}\n{stream}"));
    docs.retain(|d| !d.is_null());
    let key = |d: &serde_json::Value| {
        let s = |p: &str| {
            d.pointer(p)
                .and_then(|v| v.as_str())
                .unwrap_or("")
                .to_string()
        };
        (s("/kind"), s("/metadata/namespace"), s("/metadata/name"))
    };
    docs.sort_by_key(key);
    docs
}

/// `kubectl kustomize DIR`.
fn kustomize(dir: &Path) -> String {
    let kubectl = require_tool("kubectl", KUBECTL_INSTALL);
    let out = Command::new(kubectl)
        .arg("kustomize")
        .arg(dir)
        .output()
        .expect("run kubectl kustomize");
    assert!(
        out.status.success(),
        "kubectl kustomize {} failed: {}",
        dir.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// deploy/argocd/plugin.yaml as data.
fn plugin_config() -> serde_json::Value {
    let text = std::fs::read_to_string(project().join("deploy/argocd/plugin.yaml")).unwrap();
    let doc: serde_json::Value = serde_saphyr::from_str(&text).unwrap();
    assert_eq!(doc["apiVersion"], "argoproj.io/v1alpha1");
    assert_eq!(doc["kind"], "ConfigManagementPlugin");
    doc
}

fn strings(v: &serde_json::Value) -> Vec<String> {
    v.as_array()
        .map(|a| a.iter().map(|s| s.as_str().unwrap().to_string()).collect())
        .unwrap_or_default()
}

/// Run the plugin's `generate` command in `app` with the environment Argo CD's cmp-server gives
/// it (its `ARGOCD_APP_*` variables, the Application's env prefixed `ARGOCD_ENV_`), meshplug
/// first on PATH and every proxy pointing at a closed port, so any network use fails.
fn generate(app: &Path, env: &[(&str, &str)]) -> std::process::Output {
    let spec = &plugin_config()["spec"];
    let mut argv = strings(&spec["generate"]["command"]);
    argv.extend(strings(&spec["generate"]["args"]));
    assert!(!argv.is_empty(), "plugin.yaml has no generate.command");
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_meshplug"));
    let home = tempfile::tempdir().unwrap();
    let path = std::env::join_paths(
        [bin.parent().unwrap().to_path_buf()]
            .into_iter()
            .chain(std::env::split_paths("/usr/local/bin:/usr/bin:/bin")),
    )
    .unwrap();
    let mut cmd = Command::new(&argv[0]);
    cmd.args(&argv[1..])
        .current_dir(app)
        .env_clear()
        .env("PATH", path)
        .env("HOME", home.path())
        .env("DOCKER_CONFIG", home.path().join("docker"))
        .env("NO_COLOR", "1")
        .env("ARGOCD_APP_NAME", "wasm-plugins-prod-east")
        .env("ARGOCD_APP_NAMESPACE", "istio-system")
        .env("ARGOCD_APP_PROJECT_NAME", "default")
        .env(
            "ARGOCD_APP_REVISION",
            "0123456789abcdef0123456789abcdef01234567",
        )
        .env("ARGOCD_APP_REVISION_SHORT", "0123456")
        .env("ARGOCD_APP_SOURCE_PATH", "bookinfo")
        .env(
            "ARGOCD_APP_SOURCE_REPO_URL",
            "https://git.example.com/platform/wasm-marketplace.git",
        )
        .env("ARGOCD_APP_SOURCE_TARGET_REVISION", "main")
        .env("KUBE_VERSION", "1.31.0")
        .env(
            "KUBE_API_VERSIONS",
            "v1,apps/v1,extensions.istio.io/v1alpha1",
        )
        .env("HTTPS_PROXY", "http://127.0.0.1:9")
        .env("HTTP_PROXY", "http://127.0.0.1:9")
        .env("https_proxy", "http://127.0.0.1:9")
        .env("http_proxy", "http://127.0.0.1:9")
        .env("ALL_PROXY", "http://127.0.0.1:9");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output()
        .unwrap_or_else(|e| panic!("cannot run {argv:?}: {e}"))
}

/// The plugin's `discover` rule matches `app` (a file name relative to the application path).
fn discovers(app: &Path) -> bool {
    let discover = &plugin_config()["spec"]["discover"];
    let name = discover["fileName"]
        .as_str()
        .expect("plugin.yaml discovers by fileName");
    assert!(
        !name.contains(['*', '?', '[']),
        "this test matches a plain file name, not the glob {name}"
    );
    app.join(name).is_file()
}

#[test]
fn argocd_plugin_generates_what_kustomize_builds_from_the_rendered_tree() {
    // A copy of the repository as Argo CD checks it out; the application path is its root.
    let (_d, app) = example_copy();
    assert!(
        discovers(&app),
        "plugin.yaml's discover does not match examples/bookinfo"
    );
    let empty = tempfile::tempdir().unwrap();
    assert!(
        !discovers(empty.path()),
        "discover matches a directory without meshplug.yaml"
    );
    let mut streams = Vec::new();
    for cluster in ["prod-east", "staging"] {
        let env = [
            ("ARGOCD_ENV_CLUSTER", cluster),
            ("ARGOCD_ENV_ALLOW_UNPINNED", "true"),
        ];
        let out = generate(&app, &env);
        assert!(
            out.status.success(),
            "generate for {cluster} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let stream = String::from_utf8(out.stdout).unwrap();
        // Same input, same bytes.
        let again = generate(&app, &env);
        assert_eq!(String::from_utf8(again.stdout).unwrap(), stream);
        streams.push((cluster, stream));
    }
    assert!(
        !app.join("rendered").exists(),
        "render --stdout wrote files"
    );
    // The usual way, in the same repository: render into rendered/ and let kustomize build each
    // cluster's directory. Document by document, the same objects.
    meshplug()
        .args(["render", "--allow-unpinned"])
        .arg(&app)
        .assert()
        .success();
    for (cluster, stream) in streams {
        let expected = documents(&kustomize(&app.join("rendered").join(cluster)));
        assert!(expected.len() > 3, "{cluster}: {expected:?}");
        let got = documents(&stream);
        let names = |docs: &[serde_json::Value]| -> Vec<String> {
            docs.iter()
                .map(|d| format!("{}/{}", d["metadata"]["namespace"], d["metadata"]["name"]))
                .collect()
        };
        assert_eq!(names(&got), names(&expected), "{cluster}: other objects");
        assert_eq!(got, expected, "{cluster}: same objects, other contents");
    }
}

#[test]
fn argocd_plugin_refuses_unpinned_modules_and_unknown_clusters() {
    let (_d, app) = example_copy();
    let out = generate(&app, &[("ARGOCD_ENV_CLUSTER", "prod-east")]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("MP036"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = generate(
        &app,
        &[
            ("ARGOCD_ENV_CLUSTER", "prod-eats"),
            ("ARGOCD_ENV_ALLOW_UNPINNED", "true"),
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("did you mean `prod-east`"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn render_stdout_prints_one_cluster_in_kustomization_order_and_writes_nothing() {
    let (_d, repo) = example_copy();
    let a = meshplug()
        .args([
            "render",
            "--stdout",
            "--allow-unpinned",
            "--cluster",
            "staging",
        ])
        .arg(&repo)
        .assert()
        .success();
    let stream = stdout(&a);
    assert!(stream.starts_with("---\n"), "{stream}");
    assert!(!repo.join("rendered").exists());
    // The documents in the order the kustomizations list them, byte for byte as rendered.
    meshplug()
        .args(["render", "--allow-unpinned"])
        .arg(&repo)
        .assert()
        .success();
    let dir = repo.join("rendered/staging");
    let mut expected = String::new();
    let top = std::fs::read_to_string(dir.join("kustomization.yaml")).unwrap();
    let list = |text: &str| -> Vec<String> {
        let doc: serde_json::Value = serde_saphyr::from_str(text).unwrap();
        strings(&doc["resources"])
    };
    for ns in list(&top) {
        let inner = std::fs::read_to_string(dir.join(&ns).join("kustomization.yaml")).unwrap();
        for file in list(&inner) {
            expected.push_str("---\n");
            expected.push_str(&std::fs::read_to_string(dir.join(&ns).join(file)).unwrap());
        }
    }
    assert_eq!(stream, expected);
}

#[test]
fn render_stdout_needs_a_cluster_when_there_are_several() {
    let (_d, repo) = example_copy();
    meshplug()
        .args(["render", "--stdout", "--allow-unpinned"])
        .arg(&repo)
        .assert()
        .code(2)
        .stdout("")
        .stderr(
            predicate::str::contains("2 clusters")
                .and(predicate::str::contains("prod-east, staging")),
        );
    meshplug()
        .args([
            "render",
            "--stdout",
            "--allow-unpinned",
            "--cluster",
            "stagign",
        ])
        .arg(&repo)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("did you mean `staging`"));
    meshplug()
        .args(["render", "--stdout", "--cluster", "staging"])
        .arg(&repo)
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicate::str::contains("MP036"));
}

#[test]
fn render_out_dash_is_refused_with_a_pointer_to_stdout() {
    let (_d, repo) = example_copy();
    meshplug()
        .current_dir(&repo)
        .args(["render", "--allow-unpinned", "--out", "-"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--stdout"));
    assert!(!repo.join("-").exists());
}

const SKOPEO_INSTALL: &str = "apt-get install -y skopeo";

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new(require_tool("git", "apt-get install -y git"))
        .arg("-C")
        .arg(dir)
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

/// A git checkout of examples/bookinfo on branch main with a clone url that carries a token.
fn example_checkout() -> (tempfile::TempDir, PathBuf) {
    let (d, repo) = example_copy();
    git(&repo, &["init", "-q", "-b", "main"]);
    git(&repo, &["config", "user.email", "ci@example.com"]);
    git(&repo, &["config", "user.name", "CI"]);
    git(
        &repo,
        &[
            "remote",
            "add",
            "origin",
            "https://x-token:ghp_SECRET123@git.example.com/platform/wasm-marketplace.git",
        ],
    );
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-q", "-m", "bookinfo"]);
    (d, repo)
}

fn publish(reg: &Registry, repo: &Path, tag: &str, extra: &[&str]) -> String {
    let a = meshplug()
        .args(["publish", "--cluster", "prod-east", "--allow-unpinned"])
        .args(extra)
        .arg(reg.url(tag))
        .arg(repo)
        .assert()
        .success();
    let (out, err) = (stdout(&a), stderr(&a));
    assert!(
        !out.contains("SECRET") && !err.contains("SECRET"),
        "{out}{err}"
    );
    let digest = out.trim().to_string();
    assert!(
        digest.starts_with("sha256:") && digest.len() == 71,
        "stdout is not a digest: {out}"
    );
    digest
}

/// What an independent client pulls: skopeo copies `tag` to a `dir:` layout; returns its
/// manifest, and the files of its one layer as `tar` unpacks them, with `tar`'s listing.
fn pull(
    reg: &Registry,
    tag: &str,
) -> (
    serde_json::Value,
    std::collections::BTreeMap<String, Vec<u8>>,
    String,
) {
    let skopeo = require_tool("skopeo", SKOPEO_INSTALL);
    let tar = require_tool("tar", "apt-get install -y tar");
    let work = tempfile::tempdir().unwrap();
    let policy = work.path().join("policy.json");
    std::fs::write(
        &policy,
        r#"{"default":[{"type":"insecureAcceptAnything"}]}"#,
    )
    .unwrap();
    let dest = work.path().join("pulled");
    let out = Command::new(skopeo)
        .arg("--policy")
        .arg(&policy)
        .args(["copy", "--src-tls-verify=false"])
        .arg(format!("docker://{}/{tag}", reg.host))
        .arg(format!("dir:{}", dest.display()))
        .env("HOME", work.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "skopeo copy: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dest.join("manifest.json")).unwrap()).unwrap();
    let layer = manifest["layers"][0]["digest"].as_str().unwrap();
    let blob = dest.join(layer.trim_start_matches("sha256:"));
    let files = work.path().join("files");
    std::fs::create_dir(&files).unwrap();
    let run_tar = |args: &[&str]| {
        let out = Command::new(&tar)
            .args(args)
            .arg(&blob)
            .current_dir(&files)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "tar {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    run_tar(&["-xzf"]);
    let listing = run_tar(&["--numeric-owner", "--utc", "-tvzf"]);
    (manifest, snapshot_tree(&files), listing)
}

#[test]
fn publish_pushes_the_rendered_cluster_as_a_flux_artifact() {
    let reg = Registry::start();
    let (_d, repo) = example_checkout();
    let head = git(&repo, &["rev-parse", "HEAD"]);
    let digest = publish(&reg, &repo, "gitops/prod-east:v1", &[]);
    eprintln!("published digest: {digest}");
    // Rendered in memory: publishing wrote nothing into the checkout.
    assert!(!repo.join("rendered").exists());
    let (manifest, files, listing) = pull(&reg, "gitops/prod-east:v1");
    assert_eq!(
        manifest["mediaType"],
        "application/vnd.oci.image.manifest.v1+json"
    );
    assert_eq!(
        manifest["config"]["mediaType"],
        "application/vnd.cncf.flux.config.v1+json"
    );
    let layers = manifest["layers"].as_array().unwrap();
    assert_eq!(layers.len(), 1);
    assert_eq!(
        layers[0]["mediaType"],
        "application/vnd.cncf.flux.content.v1.tar+gzip"
    );
    let notes = &manifest["annotations"];
    assert_eq!(
        notes["org.opencontainers.image.source"],
        "https://git.example.com/platform/wasm-marketplace.git"
    );
    assert_eq!(
        notes["org.opencontainers.image.revision"],
        format!("main@sha1:{head}").as_str()
    );
    // The files equal a normal render's rendered/prod-east.
    meshplug()
        .args(["render", "--allow-unpinned"])
        .arg(&repo)
        .assert()
        .success();
    assert_eq!(files, snapshot_tree(&repo.join("rendered/prod-east")));
    assert!(files.len() > 5, "{:?}", files.keys());
    // Fixed metadata: root-owned, 0644 files, 0755 directories, epoch mtimes.
    for line in listing.lines() {
        let mode = line.split_whitespace().next().unwrap();
        assert!(
            (mode == "-rw-r--r--" || mode == "drwxr-xr-x")
                && line.contains(" 0/0 ")
                && line.contains("1970-01-01 00:00"),
            "{line}"
        );
    }
}

#[test]
fn publish_digest_follows_the_rendered_output_only() {
    let reg = Registry::start();
    let (_d, repo) = example_checkout();
    let fixed = [
        "--source",
        "https://git.example.com/m.git",
        "--revision",
        "v1",
    ];
    let first = publish(&reg, &repo, "gitops/app:a", &fixed);
    let again = publish(&reg, &repo, "gitops/app:b", &fixed);
    assert_eq!(first, again, "the same output gave a different digest");
    eprintln!("published digest (fixed annotations): {first}");
    // A stale rendered/ directory is not what is published.
    std::fs::create_dir_all(repo.join("rendered/prod-east")).unwrap();
    std::fs::write(repo.join("rendered/prod-east/stale.yaml"), "kind: Stale\n").unwrap();
    assert_eq!(publish(&reg, &repo, "gitops/app:c", &fixed), first);
    edit(
        &repo.join("bindings/bookinfo/productpage.yaml"),
        "in_query: false",
        "in_query: true",
    );
    let changed = publish(&reg, &repo, "gitops/app:d", &fixed);
    assert_ne!(changed, first, "a changed binding kept the digest");
    // Only the annotations differ: another digest, same layer.
    let other = publish(
        &reg,
        &repo,
        "gitops/app:e",
        &["--source", "", "--revision", ""],
    );
    assert_ne!(other, changed);
    let (m, _, _) = pull(&reg, "gitops/app:e");
    assert!(m.get("annotations").is_none(), "{m}");
}

#[test]
fn publish_refuses_bad_targets_and_unpinned_modules() {
    let (_d, repo) = example_copy();
    meshplug()
        .args([
            "publish",
            "--cluster",
            "prod-east",
            "oci://127.0.0.1:9/x@sha256:0000000000000000000000000000000000000000000000000000000000000000",
        ])
        .arg(&repo)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("needs a tag"));
    meshplug()
        .args(["publish", "oci://127.0.0.1:9/x:v1"])
        .arg(&repo)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("prod-east, staging"));
    meshplug()
        .args([
            "publish",
            "--cluster",
            "prod-east",
            "oci://127.0.0.1:9/x:v1",
        ])
        .arg(&repo)
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicate::str::contains("MP036"));
}

#[test]
fn publish_uses_the_registry_settings_of_lock_and_push() {
    let plain = Registry::start();
    let reg = Registry::with(Options {
        basic_auth: true,
        tls: true,
        ..Options::default()
    });
    let ca = reg.ca.clone().unwrap();
    let (_d, repo) = example_copy();
    let fixed = [
        "--source",
        "https://git.example.com/m.git",
        "--revision",
        "v1",
    ];
    let expected = publish(&plain, &repo, "gitops/app:v1", &fixed);
    let run = |config: &Path, extra: &[&str]| {
        meshplug()
            .env("DOCKER_CONFIG", config)
            .args(["publish", "--cluster", "prod-east", "--allow-unpinned"])
            .args(fixed)
            .args(extra)
            .arg(reg.url("gitops/app:v1"))
            .arg(&repo)
            .assert()
    };
    let good = reg.docker_config(PASS);
    let bad = reg.docker_config("wrong-password!");
    // Without its CA the registry cannot be reached (a loopback host gets plain http unless a
    // CA is given, as for push); the CA on the command line is trusted.
    run(&good, &[]).code(1);
    let ca_arg = ca.to_str().unwrap();
    let a = run(&good, &["--ca-file", ca_arg]).success();
    assert_eq!(
        stdout(&a).trim(),
        expected,
        "another registry, another digest"
    );
    // Wrong credentials: refused, and neither password is printed.
    let a = run(&bad, &["--ca-file", ca_arg]).code(1);
    let text = format!("{}{}", stdout(&a), stderr(&a));
    assert!(
        !text.contains(PASS) && !text.contains("wrong-password!"),
        "{text}"
    );
    // The CA from spec.registries of meshplug.yaml (as for lock).
    std::fs::copy(&ca, repo.join("ca.crt")).unwrap();
    let config = repo.join("meshplug.yaml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(
        &config,
        format!(
            "{text}  registries:\n  - {{host: \"{}\", caFile: ca.crt}}\n",
            reg.host
        ),
    )
    .unwrap();
    let a = run(&good, &[]).success();
    assert_eq!(stdout(&a).trim(), expected);
}
