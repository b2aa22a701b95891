//! Hand-written WasmPlugins read as kubectl reads them (YAML 1.1 scalars, whole floats, dropped
//! nulls, ObjectMeta): located diagnostics from `lint`, and `import` rendering the spec the API
//! server would store.

use crate::support::*;
use meshplug::manifests::normalize::normalize;
use serde_json::json;

/// `CODE:LINE:COL severity` of every diagnostic `lint --format json` reports for `text`.
fn lint(text: &str) -> (i32, Vec<String>) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("p.yaml");
    std::fs::write(&file, text).unwrap();
    let out = meshplug()
        .args(["lint", "--format", "json"])
        .arg(&file)
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let found = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            format!(
                "{}:{}:{} {}",
                d["code"].as_str().unwrap(),
                d["line"],
                d["column"],
                d["severity"].as_str().unwrap()
            )
        })
        .collect();
    (out.status.code().unwrap(), found)
}

const HEAD: &str = "apiVersion: extensions.istio.io/v1alpha1\nkind: WasmPlugin\nmetadata:\n  name: p\n  namespace: ns\nspec:\n";

#[test]
fn every_problem_of_a_document_is_reported_at_its_place() {
    // Line 7: a url that does not parse; 8: a bad sha256; 9: a boolean where a string belongs;
    // 11: a dropped null (at its key); 12: an enum given a boolean (one type error, not two).
    // In file order.
    let text = format!(
        "{HEAD}  url: oci://ghcr.io/a/b%2:1\n  sha256: ABC\n  imagePullSecret: off\n  selector:\n    matchLabels:\n  phase: ON\n"
    );
    let (code, found) = lint(&text);
    assert_eq!(code, 1);
    assert_eq!(
        found,
        [
            "MP016:7:8 error",
            "MP017:8:11 error",
            "MP002:9:20 error",
            "MP002:11:5 warning",
            "MP002:12:10 error",
        ],
        "{text}"
    );
}

#[test]
fn metadata_is_checked_as_object_meta() {
    let text = "apiVersion: extensions.istio.io/v1alpha1\nkind: WasmPlugin\nmetadata:\n  name: A_b\n  namespace: x.y\n  labels:\n    on: \"ok\"\n    app: no\n  annotations:\n    example.com/any: \"any text at all: yes\"\n  uid: 0f3c\n  finalizer: [x]\nspec:\n  url: oci://ghcr.io/a/b:1\n";
    let (code, found) = lint(text);
    assert_eq!(code, 1);
    // name (4), namespace (5), the label value `no` (8), unknown `finalizer` (12). The label key
    // `on` is the key `true` for kubectl, a valid label key.
    assert_eq!(
        found,
        [
            "MP010:4:9 error",
            "MP010:5:14 error",
            "MP021:8:10 error",
            "MP002:12:3 error",
        ]
    );
    let only_generate = "apiVersion: extensions.istio.io/v1alpha1\nkind: WasmPlugin\nmetadata:\n  generateName: p-\nspec:\n  url: oci://ghcr.io/a/b:1\n";
    assert_eq!(lint(only_generate), (1, vec!["MP002:4:3 error".into()]));
}

#[test]
fn numbers_in_every_yaml_1_1_form_are_accepted() {
    for priority in ["10", "10.0", "1e1", "012", "0xA", "0b1010", "1_0", "+10"] {
        let text = format!("{HEAD}  url: oci://ghcr.io/a/b:1\n  priority: {priority}\n");
        assert_eq!(lint(&text), (0, vec![]), "priority: {priority}");
    }
    // A fractional number in an integer field is still a type error; a quoted one is a string.
    for (priority, at) in [("10.5", "MP002:8:13 error"), ("\"10\"", "MP002:8:13 error")] {
        let text = format!("{HEAD}  url: oci://ghcr.io/a/b:1\n  priority: {priority}\n");
        assert_eq!(
            lint(&text),
            (1, vec![at.to_string()]),
            "priority: {priority}"
        );
    }
}

#[test]
fn a_mutable_tag_is_a_warning_in_lint_and_render_still_refuses_it_unpinned() {
    for url in ["oci://ghcr.io/a/b:latest", "oci://ghcr.io/a/b"] {
        let text = format!("{HEAD}  url: {url}\n");
        assert_eq!(lint(&text), (0, vec!["MP019:7:8 warning".into()]), "{url}");
        // Pinned by sha256, both are the same module on every proxy: no warning.
        let pinned = format!("{text}  sha256: \"{}\"\n", "ab".repeat(32));
        assert_eq!(lint(&pinned), (0, vec![]), "{url} pinned");
    }
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.yaml");
    std::fs::write(
        &input,
        format!("{HEAD}  url: oci://ghcr.io/acme/latest-only:latest\n  phase: AUTHN\n"),
    )
    .unwrap();
    let repo = dir.path().join("repo");
    meshplug()
        .arg("import")
        .arg(&input)
        .arg("--into")
        .arg(&repo)
        .assert()
        .success();
    let out = dir.path().join("out");
    let refused = meshplug()
        .arg("render")
        .arg(&repo)
        .arg("--out")
        .arg(&out)
        .assert()
        .code(1);
    assert!(stderr(&refused).contains("MP036"), "{}", stderr(&refused));
    meshplug()
        .arg("render")
        .arg(&repo)
        .arg("--out")
        .arg(&out)
        .arg("--allow-unpinned")
        .assert()
        .success();
}

/// `import` of a manifest the API server accepts renders the spec the API server stores: YAML 1.1
/// scalars resolved, whole floats as integers, nulls of fields that are not nullable dropped.
#[test]
fn import_renders_the_spec_the_api_server_stores() {
    let manifest = "apiVersion: extensions.istio.io/v1alpha1
kind: WasmPlugin
metadata:
  name: cart-auth
  namespace: shop
  labels:
    app: cart
spec:
  selector:
    matchLabels:
      app: cart
  url: oci://ghcr.io/acme/auth:1.2.0
  sha256: \"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\"
  phase: AUTHN
  priority: 1_0.0
  imagePullPolicy: IfNotPresent
  failStrategy: ~
  pluginConfig:
    enabled: yes
    strict: Off
    mode: \"on\"
    retries: 010
    mask: 0x1F
    ratio: 0.5
    limit: 1e3
    version: 1.0.0
    keep: null
  match:
  - mode: SERVER
    ports:
    - number: 8080.0
";
    // What the API server stores for it (kubectl's YAML 1.1 decoding, JSON, pruning).
    let stored = json!({
        "selector": {"matchLabels": {"app": "cart"}},
        "url": "oci://ghcr.io/acme/auth:1.2.0",
        "sha256": "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        "phase": "AUTHN",
        "priority": 10,
        "imagePullPolicy": "IfNotPresent",
        "pluginConfig": {
            "enabled": true, "strict": false, "mode": "on", "retries": 8, "mask": 31,
            "ratio": 0.5, "limit": 1000, "version": "1.0.0", "keep": null
        },
        "match": [{"mode": "SERVER", "ports": [{"number": 8080}]}]
    });
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.yaml");
    std::fs::write(&input, manifest).unwrap();
    let (code, found) = lint(manifest);
    assert_eq!((code, found), (0, vec!["MP002:17:3 warning".to_string()]));
    let repo = dir.path().join("repo");
    meshplug()
        .arg("import")
        .arg(&input)
        .arg("--into")
        .arg(&repo)
        .assert()
        .success();
    let loaded = meshplug::load::load(&repo).unwrap().repo.unwrap();
    let checked = meshplug::check::check(&loaded);
    let files = meshplug::render::render(&loaded, &checked, &meshplug::lock::NoPins, true)
        .unwrap()
        .files();
    let (path, text) = files
        .iter()
        .find(|(p, _)| p.starts_with("default/shop/"))
        .unwrap_or_else(|| panic!("nothing rendered for shop: {:?}", files.keys()));
    let rendered: serde_json::Value = serde_saphyr::from_str(text).unwrap();
    assert_eq!(normalize(&rendered["spec"]), normalize(&stored), "{path}");
}
