//! The commands that change a repository: `init`, `bind`, `unbind`, `catalog add`, `import`.
//! Each refuses changes that would break the repository and never leaves a file half-written.

use crate::support::*;
use predicates::prelude::*;

#[test]
fn init_creates_a_repository_that_validates_and_renders() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("market");
    meshplug()
        .args(["init", "--cluster", "east", "--cluster", "west"])
        .arg(&root)
        .assert()
        .success()
        .stderr(predicate::str::contains("validate: ok"));
    let tree = snapshot_tree(&root);
    let names: Vec<&str> = tree.keys().map(String::as_str).collect();
    insta::assert_debug_snapshot!("init_files", names);
    insta::assert_snapshot!(
        "init_meshplug_yaml",
        String::from_utf8_lossy(&tree["meshplug.yaml"])
    );
    assert!(
        String::from_utf8_lossy(&tree["meshplug.yaml"])
            .starts_with("# yaml-language-server: $schema=schema/marketplace.schema.json")
    );
    meshplug().arg("validate").arg(&root).assert().success();
    meshplug()
        .args(["render", "--check"])
        .arg(&root)
        .assert()
        .success();
    // A second init refuses and writes nothing.
    meshplug()
        .arg("init")
        .arg(&root)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("already has meshplug.yaml"));
    assert_eq!(tree, snapshot_tree(&root));
}

const PRODUCTPAGE: &str = "bindings/bookinfo/productpage.yaml";

#[test]
fn bind_adds_a_plugin_and_keeps_the_rest_of_the_file() {
    let (_d, repo) = example_copy();
    let before = std::fs::read_to_string(repo.join(PRODUCTPAGE)).unwrap();
    let config = repo.join("cfg.yaml");
    std::fs::write(
        &config,
        "enable_on_status: [503]\nstatus_code: 503\nbody: down\n",
    )
    .unwrap();
    meshplug()
        .args([
            "bind",
            "bookinfo/productpage",
            "custom-response",
            "--priority",
            "905",
        ])
        .args(["--env", "MODE=strict", "--config"])
        .arg(&config)
        .arg("--repo")
        .arg(&repo)
        .assert()
        .success()
        .stderr(predicate::str::contains("updated bookinfo/productpage"));
    let after = std::fs::read_to_string(repo.join(PRODUCTPAGE)).unwrap();
    assert!(
        after.starts_with(&before),
        "the old text is kept byte for byte:\n{after}"
    );
    insta::assert_snapshot!("bind_appended_entry", &after[before.len()..]);
    meshplug().arg("validate").arg(&repo).assert().success();
}

#[test]
fn bind_updates_an_entry_in_place_keeping_comments() {
    let (_d, repo) = example_copy();
    let file = repo.join("bindings/bookinfo/all-services.yaml");
    let before = std::fs::read_to_string(&file).unwrap();
    meshplug()
        .args([
            "bind",
            "bookinfo/all-services",
            "bot-detect",
            "--phase",
            "authz",
            "--priority",
            "305",
        ])
        .arg("--repo")
        .arg(&repo)
        .assert()
        .success();
    let after = std::fs::read_to_string(&file).unwrap();
    let diff = similar::TextDiff::from_lines(&before, &after)
        .unified_diff()
        .to_string();
    insta::assert_snapshot!("bind_update_diff", diff);
    assert!(after.contains("# Let our uptime monitor through"));
}

#[test]
fn bind_refuses_a_change_that_breaks_the_repository() {
    let (_d, repo) = example_copy();
    let before = snapshot_tree(&repo);
    // Same phase and priority as basic-auth-sample, which reaches every ingress gateway pod.
    let a = meshplug()
        .args([
            "bind",
            "istio-ingress/istio-ingressgateway",
            "openid-connect",
            "--priority",
            "300",
        ])
        .arg("--repo")
        .arg(&repo)
        .assert()
        .code(1);
    let err = stderr(&a);
    assert!(err.contains("MP029"), "{err}");
    assert!(
        err.contains("bindings/istio-ingress/istio-ingressgateway.yaml:"),
        "{err}"
    );
    assert!(err.contains("nothing was written"), "{err}");
    // An invalid config, pointed at in the file as it would be.
    meshplug()
        .args([
            "bind",
            "bookinfo/reviews",
            "key-auth",
            "--config",
            "-",
            "--repo",
        ])
        .arg(&repo)
        .write_stdin("keys: []\n")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("MP027").and(predicate::str::contains("consumers")));
    meshplug()
        .args(["bind", "bookinfo/reviews", "no-such-plugin", "--repo"])
        .arg(&repo)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("MP012"));
    meshplug()
        .args([
            "bind",
            "bookinfo/reviews",
            "cors",
            "--priority",
            "5000",
            "--repo",
        ])
        .arg(&repo)
        .assert()
        .code(2);
    meshplug()
        .args([
            "bind",
            "bookinfo/reviews",
            "cors",
            "--config",
            "-",
            "--repo",
        ])
        .arg(&repo)
        .write_stdin("a: [1\n")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("<stdin>:"));
    assert_eq!(before, snapshot_tree(&repo), "nothing was written");
}

#[test]
fn bind_creates_a_new_binding_and_unbind_removes_it() {
    let (_d, repo) = example_copy();
    let dry = meshplug()
        .args([
            "bind",
            "shop/web",
            "istio-example",
            "--priority",
            "77",
            "--cluster",
            "staging",
        ])
        .args(["--dry-run", "--repo"])
        .arg(&repo)
        .assert()
        .success();
    insta::assert_snapshot!("bind_new_file", stdout(&dry));
    assert!(!repo.join("bindings/shop/web.yaml").exists());
    meshplug()
        .args([
            "bind",
            "shop/web",
            "istio-example",
            "--priority",
            "77",
            "--cluster",
            "staging",
        ])
        .arg("--repo")
        .arg(&repo)
        .assert()
        .success();
    assert_eq!(
        std::fs::read_to_string(repo.join("bindings/shop/web.yaml")).unwrap(),
        stdout(&dry)
    );
    meshplug()
        .args(["bind", "shop/web", "cors", "--repo"])
        .arg(&repo)
        .assert()
        .success();
    meshplug()
        .args(["unbind", "shop/web", "istio-example", "--repo"])
        .arg(&repo)
        .assert()
        .success();
    let text = std::fs::read_to_string(repo.join("bindings/shop/web.yaml")).unwrap();
    assert!(
        !text.contains("istio-example") && text.contains("cors"),
        "{text}"
    );
    meshplug()
        .args(["unbind", "shop/web", "cors", "--repo"])
        .arg(&repo)
        .assert()
        .success()
        .stderr(predicate::str::contains("deleted"));
    assert!(!repo.join("bindings/shop/web.yaml").exists());
    meshplug()
        .args(["unbind", "bookinfo/reviews", "cors", "--repo"])
        .arg(&repo)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("its plugins: jwt-auth"));
    // No temporary files are left behind.
    assert!(
        snapshot_tree(&repo)
            .keys()
            .all(|k| !k.contains("meshplug-tmp"))
    );
}

#[test]
fn catalog_add_writes_a_validated_entry() {
    let (_d, repo) = example_copy();
    let args = [
        "catalog",
        "add",
        "stamp-header",
        "--url",
        "oci://ghcr.io/acme/stamp-header:1.2.0",
        "--title-en",
        "Add header",
        "--title-zh",
        "添加请求头",
        "--description-en",
        "Adds a response header.",
        "--category",
        "transformation",
        "--phase",
        "STATS",
        "--priority",
        "10",
    ];
    meshplug()
        .args(args)
        .arg("--repo")
        .arg(&repo)
        .assert()
        .success();
    let text = std::fs::read_to_string(repo.join("catalog/stamp-header.yaml")).unwrap();
    insta::assert_snapshot!("catalog_add_file", text);
    meshplug().arg("validate").arg(&repo).assert().success();
    // Again: the file exists.
    meshplug()
        .args(args)
        .arg("--repo")
        .arg(&repo)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("already exists"));
    // A name the builtin catalog has, or a mutable tag: refused with the reason.
    meshplug()
        .args([
            "catalog",
            "add",
            "cors",
            "--url",
            "oci://ghcr.io/acme/cors:1.0",
        ])
        .args(["--title-en", "C", "--description-en", "D", "--repo"])
        .arg(&repo)
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("MP011")
                .and(predicate::str::contains("builtin:catalog/cors.yaml")),
        );
    assert!(!repo.join("catalog/cors.yaml").exists());
    meshplug()
        .args([
            "catalog",
            "add",
            "mine",
            "--url",
            "oci://ghcr.io/acme/mine:latest",
        ])
        .args([
            "--version",
            "1.0.0",
            "--title-en",
            "C",
            "--description-en",
            "D",
            "--repo",
        ])
        .arg(&repo)
        .assert()
        .success();
    // A mutable tag is a warning (MP019): the entry is written.
    assert!(repo.join("catalog/mine.yaml").exists());
    // Without flags and not on a terminal: a usage error naming what is missing.
    meshplug()
        .args(["catalog", "add", "--repo"])
        .arg(&repo)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "NAME, --url, --title-en, --description-en",
        ));
}

#[test]
fn catalog_add_asks_for_each_field_when_interactive() {
    let (_d, repo) = example_copy();
    let answers = "my-filter\nhttps://example.com/f/2.1.0.wasm\n2.1.0\nMy filter\n\nFilters things.\n\n\n\n\n\n\n\n\n";
    meshplug()
        .args(["catalog", "add", "--interactive", "--sha256"])
        .arg("ab".repeat(32))
        .arg("--repo")
        .arg(&repo)
        .write_stdin(answers)
        .assert()
        .success()
        .stderr(predicate::str::contains("English title"));
    let text = std::fs::read_to_string(repo.join("catalog/my-filter.yaml")).unwrap();
    assert!(
        text.contains("url: https://example.com/f/2.1.0.wasm"),
        "{text}"
    );
    assert!(text.contains("en: Filters things."), "{text}");
    assert!(!text.contains("zh:"), "{text}");
    // Running out of answers is an error, not a hang or a panic.
    meshplug()
        .args(["catalog", "add", "--interactive", "--repo"])
        .arg(&repo)
        .write_stdin("other\n")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("end of input"));
}

/// The manifests of `cluster` as a stream and as values.
fn manifests(repo: &std::path::Path, cluster: &str) -> (String, Vec<serde_json::Value>) {
    let text = rendered_stream(repo, cluster);
    let (docs, problems) = meshplug::manifests::read::read("stream", text.clone().into_bytes());
    assert!(problems.is_empty());
    (text, docs.into_iter().map(|d| d.value).collect())
}

#[test]
fn import_round_trips_the_rendered_example() {
    let (_d, repo) = example_copy();
    let (stream, originals) = manifests(&repo, "prod-east");
    let dir = tempfile::tempdir().unwrap();
    let into = dir.path().join("adopted");
    let plan = meshplug()
        .args([
            "import",
            "-",
            "--cluster",
            "prod-east",
            "--format",
            "json",
            "--into",
        ])
        .arg(&into)
        .write_stdin(stream)
        .assert()
        .success();
    let plan: serde_json::Value = serde_json::from_str(&stdout(&plan)).unwrap();
    assert_eq!(plan["mappings"].as_array().unwrap().len(), originals.len());
    meshplug()
        .args(["render", "--allow-unpinned"])
        .arg(&into)
        .assert()
        .success();
    for original in &originals {
        let (ns, name) = (
            original["metadata"]["namespace"].as_str().unwrap(),
            original["metadata"]["name"].as_str().unwrap(),
        );
        let to = plan["mappings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["namespace"] == ns && m["from"] == name)
            .unwrap()["to"]
            .as_str()
            .unwrap()
            .to_string();
        assert_eq!(to, name, "meshplug's own names are kept");
        let again: serde_json::Value = serde_saphyr::from_slice(
            &std::fs::read(into.join(format!("rendered/prod-east/{ns}/{to}.yaml"))).unwrap(),
        )
        .unwrap();
        assert_eq!(again["spec"], original["spec"], "{ns}/{name}");
    }
    // Importing the same manifests again into the new repository changes nothing it has.
    let stream = rendered_stream(&into, "prod-east");
    let again = meshplug()
        .args(["import", "-", "--dry-run", "--format", "json", "--into"])
        .arg(&into)
        .write_stdin(stream)
        .assert()
        .success();
    let again: serde_json::Value = serde_json::from_str(&stdout(&again)).unwrap();
    assert!(again["files"].as_array().unwrap().iter().all(|f| {
        let path = f[0].as_str().unwrap();
        path.starts_with("bindings/") && !into.join(path).exists()
    }));
}

#[test]
fn import_of_hand_written_manifests_and_refusals() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.yaml");
    std::fs::write(
        &input,
        "apiVersion: extensions.istio.io/v1alpha1\nkind: WasmPlugin\nmetadata:\n  name: openid-connect\n  namespace: istio-ingress\nspec:\n  selector:\n    matchLabels:\n      istio: ingressgateway\n  url: oci://private-registry:5000/openid-connect/openid:latest\n  sha256: \"".to_string()
            + &"cd".repeat(32)
            + "\"\n  imagePullPolicy: IfNotPresent\n  imagePullSecret: private-registry-pull-secret\n  phase: AUTHN\n  pluginConfig:\n    openid_server: authn\n    openid_realm: ingress\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: ignored}\n---\napiVersion: extensions.istio.io/v1alpha1\nkind: WasmPlugin\nmetadata:\n  name: stats\n  namespace: apps\nspec:\n  targetRef: {kind: Service, group: \"\", name: api}\n  url: https://example.com/stats-2.0.wasm\n  phase: STATS\n  priority: 20\n",
    )
    .unwrap();
    let into = dir.path().join("repo");
    // The mutable tag is a warning (MP019, Istio accepts it): the import goes through.
    let latest = dir.path().join("latest");
    meshplug()
        .arg("import")
        .arg(&input)
        .arg("--into")
        .arg(&latest)
        .assert()
        .success();
    assert!(latest.join("catalog/openid.yaml").exists());
    // With the tag pinned to a version, the same manifests import cleanly.
    let text = std::fs::read_to_string(&input).unwrap();
    std::fs::write(&input, text.replace("openid:latest", "openid:1.4.0")).unwrap();
    let a = meshplug()
        .arg("import")
        .arg(&input)
        .arg("--into")
        .arg(&into)
        .assert()
        .success();
    insta::assert_snapshot!("import_plan", redact(&stdout(&a), dir.path()));
    let mut files = String::new();
    for (path, bytes) in snapshot_tree(&into) {
        if path.starts_with("catalog/") || path.starts_with("bindings/") {
            files.push_str(&format!("=== {path}\n{}", String::from_utf8_lossy(&bytes)));
        }
    }
    insta::assert_snapshot!("import_files", files);
    // Invalid manifests are refused with their place; nothing is written.
    let bad = dir.path().join("bad.yaml");
    std::fs::write(
        &bad,
        "apiVersion: extensions.istio.io/v1alpha1\nkind: WasmPlugin\nmetadata: {name: x, namespace: a}\nspec:\n  url: oci://ghcr.io/a/b:1\n  priority: 2000\n",
    )
    .unwrap();
    let other = dir.path().join("other");
    meshplug()
        .arg("import")
        .arg(&bad)
        .arg("--into")
        .arg(&other)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("bad.yaml:6:13").and(predicate::str::contains("1..1000")));
    assert!(!other.exists());
}

/// Issue #14: `bind --set PATH=VALUE` and `--set-json PATH=JSON` give the config inline, typed as
/// helm types `--set`; every finding the change adds is shown, warnings too, and errors the
/// repository already had are counted, not shown.
#[test]
fn bind_takes_config_inline_and_shows_what_the_change_adds() {
    let (_d, repo) = example_copy();
    let dry = meshplug()
        .args(["bind", "shop/web", "custom-response", "--version", "1.0.0"])
        .args(["--set", "status_code=503", "--set", "body=down for a while"])
        .args([
            "--set-json",
            "enable_on_status=[503, 429]",
            "--dry-run",
            "--repo",
        ])
        .arg(&repo)
        .assert()
        .success();
    let text = stdout(&dry);
    assert!(
        text.contains("status_code: 503\n")
            && text.contains("body: down for a while\n")
            && text.contains("503")
            && text.contains("429"),
        "{text}"
    );
    // A string where the schema wants an integer: refused, with the schema's finding.
    let bad = meshplug()
        .args(["bind", "shop/web", "custom-response", "--version", "1.0.0"])
        .args(["--set", "status_code=soon", "--repo"])
        .arg(&repo)
        .assert()
        .code(1);
    assert!(stderr(&bad).contains("refused"), "{}", stderr(&bad));
    assert!(!repo.join("bindings/shop/web.yaml").exists());
    // A plaintext secret is written, and the warning shown.
    let warned = meshplug()
        .args(["bind", "shop/web", "custom-response", "--version", "1.0.0"])
        .args(["--set", "body=Bearer abcdefghijklmnop1234", "--repo"])
        .arg(&repo)
        .assert()
        .success();
    assert!(stderr(&warned).contains("MP033"), "{}", stderr(&warned));
    // Malformed --set values are usage errors.
    for bad in [
        ["--set", "nokey"],
        ["--set", "a..b=1"],
        ["--set-json", "a={"],
    ] {
        meshplug()
            .args(["bind", "shop/web", "custom-response"])
            .args(bad)
            .arg("--repo")
            .arg(&repo)
            .assert()
            .code(2);
    }
    // An error the repository had before is counted, not shown as the change's.
    edit(
        &repo.join("bindings/bookinfo/ratings.yaml"),
        "plugin: request-block",
        "plugin: no-such-plugin-x",
    );
    let out = meshplug()
        .args(["bind", "shop/api", "custom-response", "--version", "1.0.0"])
        .args(["--set", "status_code=418", "--repo"])
        .arg(&repo)
        .assert()
        .success();
    let err = stderr(&out);
    assert!(
        err.contains("note: the repository had ")
            && err.contains("before this change; they are not shown: run `meshplug validate`")
            && !err.contains("no-such-plugin-x"),
        "{err}"
    );
}

/// Issue #14: `init DIR` prints next steps that work from where the user is, and offers
/// `git init DIR` when DIR is not in a git work tree (only printed without a terminal).
#[test]
fn init_prints_next_steps_from_here_and_offers_git_init() {
    let dir = tempfile::tempdir().unwrap();
    let out = meshplug()
        .current_dir(dir.path())
        .args(["init", "market"])
        .assert()
        .success();
    let err = stderr(&out);
    assert!(err.contains("next:\n  cd market\n"), "{err}");
    assert!(
        err.contains("meshplug bind NAMESPACE/SERVICE PLUGIN"),
        "{err}"
    );
    assert!(
        err.contains("is not inside a git work tree") && err.contains("`git init market`"),
        "{err}"
    );
    assert!(
        !dir.path().join("market/.git").exists(),
        "not run without a terminal"
    );
    // The printed steps work as printed.
    meshplug()
        .current_dir(dir.path().join("market"))
        .args(["catalog", "list"])
        .assert()
        .success();
    // In the current directory: no `cd`; inside a git work tree: no offer.
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    let here = dir.path().join("here");
    std::fs::create_dir(&here).unwrap();
    let out = meshplug().current_dir(&here).arg("init").assert().success();
    let err = stderr(&out);
    assert!(err.contains("next:\n  meshplug catalog list"), "{err}");
    assert!(!err.contains("git init"), "{err}");
    // `--repo DIR` names the directory too; a path with a space is quoted.
    let spaced = dir.path().join("my market");
    let out = meshplug()
        .current_dir(dir.path())
        .args(["init", "--repo", "my market"])
        .assert()
        .success();
    assert!(stderr(&out).contains("cd 'my market'"), "{}", stderr(&out));
    assert!(spaced.join("meshplug.yaml").is_file());
}

/// Drive `meshplug ARGS` through a pseudo-terminal (Python's pty module): for each step, wait for
/// its prompt text, then type its answer. Returns the exit code and everything the terminal showed.
fn on_a_terminal(args: &[&str], steps: &[(&str, &str)]) -> Option<(i32, String)> {
    const DRIVER: &str = r#"
import json, os, pty, select, sys, time
argv, steps = json.loads(sys.argv[1]), json.loads(sys.argv[2])
pid, fd = pty.fork()
if pid == 0:
    os.execvp(argv[0], argv)
seen, at = b"", 0
def read(deadline):
    global seen
    r, _, _ = select.select([fd], [], [], max(0.0, deadline - time.time()))
    if not r:
        return False
    try:
        chunk = os.read(fd, 4096)
    except OSError:
        return None
    if not chunk:
        return None
    seen += chunk
    return True
for want, answer in steps:
    deadline = time.time() + 60
    while seen.find(want.encode(), at) < 0:
        if time.time() > deadline or read(deadline) is None:
            sys.stdout.write(seen.decode(errors="replace"))
            sys.stdout.write("\n<<no prompt %r>>" % want)
            sys.exit(99)
    at = seen.find(want.encode(), at) + len(want)
    os.write(fd, (answer + "\n").encode())
while read(time.time() + 60) is True:
    pass
_, status = os.waitpid(pid, 0)
sys.stdout.write(seen.decode(errors="replace"))
sys.exit(os.waitstatus_to_exitcode(status))
"#;
    let python = which("python3")?;
    let bin = assert_cmd::cargo::cargo_bin("meshplug");
    let mut argv = vec![bin.to_string_lossy().into_owned()];
    argv.extend(args.iter().map(|a| a.to_string()));
    let out = std::process::Command::new(python)
        .args(["-c", DRIVER])
        .arg(serde_json::to_string(&argv).unwrap())
        .arg(serde_json::to_string(steps).unwrap())
        .env("NO_COLOR", "1")
        .env("DOCKER_CONFIG", "/nonexistent-meshplug-test")
        .output()
        .unwrap();
    Some((
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).replace("\r\n", "\n"),
    ))
}

fn which(name: &str) -> Option<std::path::PathBuf> {
    std::env::var_os("PATH")?
        .to_str()?
        .split(':')
        .map(|d| std::path::Path::new(d).join(name))
        .find(|p| p.is_file())
}

/// Issue #14: on a terminal, `catalog add` checks each answer as it is given and asks again on a
/// problem, keeping the earlier answers; it explains phase, priority and fail strategy, and shows
/// the file before writing it.
#[test]
fn catalog_add_on_a_terminal_asks_again_on_a_wrong_answer() {
    let (_d, repo) = example_copy();
    let r = repo.to_str().unwrap();
    let steps = [
        ("Name (a DNS label", "Bad_Name"),
        ("Name (a DNS label", "deny-path"),
        ("Name (a DNS label", "my-filter"),
        ("Module url", "ftp://example.com/f.wasm"),
        ("Module url", "oci://ghcr.io/acme/my-filter:1.2.0"),
        ("Version [1.2.0]", ""),
        ("English title", "My filter"),
        ("Chinese title", ""),
        ("English description", "Filters things."),
        ("Chinese description", ""),
        ("Category (name or number)", "9"),
        ("Category (name or number)", "3"),
        ("Type (HTTP or NETWORK) [HTTP]", ""),
        ("Phase (optional)", "AUTHQ"),
        ("Phase (optional)", "authz"),
        ("Priority (optional)", "5000"),
        ("Priority (optional)", "450"),
        ("Fail strategy (optional)", "FAIL_OPEN"),
        ("Homepage (optional)", "example.com"),
        ("Homepage (optional)", ""),
        ("License", "Apache-2.0"),
    ];
    let Some((code, screen)) = on_a_terminal(&["catalog", "add", "--repo", r], &steps) else {
        eprintln!("skipped: no python3 for the pseudo-terminal");
        return;
    };
    assert_eq!(code, 0, "{screen}");
    for said in [
        "`Bad_Name` is not a valid name",
        "the catalog already has a plugin named `deny-path`",
        "`ftp://` is not a scheme Istio fetches",
        "`9` is not one of the categories",
        "`AUTHQ` is not a phase",
        "`5000` is not a priority",
        "before Istio's authentication",
        "higher runs first",
        "FAIL_OPEN    the plugin is skipped",
        "catalog/my-filter.yaml will be:",
        "catalog add: wrote catalog/my-filter.yaml",
    ] {
        assert!(
            screen.contains(said),
            "the terminal lacks {said:?}:\n{screen}"
        );
    }
    let text = std::fs::read_to_string(repo.join("catalog/my-filter.yaml")).unwrap();
    for field in [
        "url: oci://ghcr.io/acme/my-filter:1.2.0",
        "version: \"1.2.0\"",
        "category: traffic",
        "phase: AUTHZ",
        "priority: 450",
        "failStrategy: FAIL_OPEN",
        "license: Apache-2.0",
    ] {
        assert!(text.contains(field), "{field}:\n{text}");
    }
    // The file shown is the file written.
    assert!(
        screen.contains("    url: oci://ghcr.io/acme/my-filter:1.2.0"),
        "{screen}"
    );
}

/// Issue #14: on a terminal, `init` outside git asks whether to run `git init DIR`, and does.
#[test]
fn init_on_a_terminal_offers_to_run_git_init() {
    if which("git").is_none() {
        eprintln!("skipped: no git");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let market = dir.path().join("market");
    let m = market.to_str().unwrap();
    let Some((code, screen)) = on_a_terminal(&["init", m], &[("[y/N]", "y")]) else {
        eprintln!("skipped: no python3 for the pseudo-terminal");
        return;
    };
    assert_eq!(code, 0, "{screen}");
    assert!(screen.contains(&format!("ran `git init {m}`")), "{screen}");
    assert!(market.join(".git").is_dir(), "{screen}");
    // Declined: nothing is run.
    let other = dir.path().join("other");
    let o = other.to_str().unwrap();
    let (code, screen) = on_a_terminal(&["init", o], &[("[y/N]", "")]).unwrap();
    assert_eq!(code, 0, "{screen}");
    assert!(!other.join(".git").exists(), "{screen}");
}
