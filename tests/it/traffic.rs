//! Istio 1.30's TrafficExtension against what meshplug manages: `status --live` lists unmanaged
//! TrafficExtensions, and `explain --live` merges the live objects meshplug does not manage into
//! the chain, with the ties Istio breaks by creation time. (Lint and import of TrafficExtension
//! documents are corpus cases: `tests/corpus/{lint,import}/traffic-extension-*.yaml`.)

use crate::support::*;

/// A kubectl dump of prod-east: the rendered (managed) WasmPlugins, a Wasm TrafficExtension tied
/// with productpage's key-auth (AUTHN, 310), a Lua TrafficExtension, and a foreign WasmPlugin.
fn live_dump(repo: &std::path::Path) -> String {
    meshplug()
        .args(["render", "--allow-unpinned"])
        .arg(repo)
        .assert()
        .success();
    let mut items = Vec::new();
    for (path, bytes) in snapshot_tree(&repo.join("rendered/prod-east")) {
        if path.ends_with("kustomization.yaml") {
            continue;
        }
        let mut v: serde_json::Value = serde_saphyr::from_slice(&bytes).unwrap();
        v["metadata"]["creationTimestamp"] = "2026-01-01T00:00:00Z".into();
        items.push(v);
    }
    items.push(serde_json::json!({
        "apiVersion": "extensions.istio.io/v1alpha1",
        "kind": "TrafficExtension",
        "metadata": {"name": "sso", "namespace": "bookinfo",
                     "creationTimestamp": "2026-02-01T00:00:00Z"},
        "spec": {
            "selector": {"matchLabels": {"app": "productpage"}},
            "phase": "AUTHN",
            "priority": 310,
            "wasm": {"url": "oci://ghcr.io/acme/sso:2.0", "pluginConfig": {"realm": "shop"}}
        }
    }));
    items.push(serde_json::json!({
        "apiVersion": "extensions.istio.io/v1alpha1",
        "kind": "TrafficExtension",
        "metadata": {"name": "header-logger", "namespace": "bookinfo"},
        "spec": {"phase": "STATS", "lua": {"inlineCode": "function envoy_on_request(h) end"}}
    }));
    items.push(serde_json::json!({
        "apiVersion": "extensions.istio.io/v1alpha1",
        "kind": "WasmPlugin",
        "metadata": {"name": "legacy-filter", "namespace": "bookinfo"},
        "spec": {"url": "oci://ghcr.io/acme/legacy:1.0", "phase": "STATS", "priority": 5}
    }));
    serde_json::to_string_pretty(&serde_json::json!({
        "apiVersion": "v1", "kind": "List", "items": items
    }))
    .unwrap()
}

#[test]
fn status_live_lists_unmanaged_traffic_extensions() {
    let (_d, repo) = example_copy();
    let file = repo.join("live.json");
    std::fs::write(&file, live_dump(&repo)).unwrap();
    let a = meshplug()
        .args([
            "status",
            "--cluster",
            "prod-east",
            "--format",
            "json",
            "--live",
        ])
        .arg(&file)
        .arg("--repo")
        .arg(&repo)
        .assert()
        .code(1);
    let rows: serde_json::Value = serde_json::from_str(&stdout(&a)).unwrap();
    let row = |name: &str| {
        rows.as_array()
            .unwrap()
            .iter()
            .find(|r| r["wasmplugin"] == name)
            .unwrap_or_else(|| panic!("no row {name}: {rows}"))
            .clone()
    };
    let sso = row("sso");
    assert_eq!(sso["state"], "unmanaged");
    assert_eq!(sso["kind"], "TrafficExtension");
    assert_eq!(sso["phase"], "AUTHN");
    assert_eq!(sso["priority"], 310);
    let lua = row("header-logger");
    assert_eq!(lua["state"], "unmanaged");
    assert_eq!(lua["version"], "lua");
    let legacy = row("legacy-filter");
    assert_eq!(legacy["state"], "unmanaged");
    assert!(legacy.get("kind").is_none());
    assert_eq!(row("productpage-key-auth")["state"], "installed");
    let t = meshplug()
        .args(["status", "--cluster", "prod-east", "--live"])
        .arg(&file)
        .arg("--repo")
        .arg(&repo)
        .assert()
        .code(1);
    let text = stdout(&t);
    assert!(text.contains("bookinfo/sso (TrafficExtension)"), "{text}");
    assert!(stderr(&t).contains("3 unmanaged"), "{}", stderr(&t));
}

#[test]
fn a_traffic_extension_with_a_managed_name_is_not_that_wasmplugin() {
    let (_d, repo) = example_copy();
    meshplug()
        .args(["render", "--allow-unpinned"])
        .arg(&repo)
        .assert()
        .success();
    let dump = serde_json::json!({"apiVersion": "v1", "kind": "List", "items": [{
        "apiVersion": "extensions.istio.io/v1alpha1",
        "kind": "TrafficExtension",
        "metadata": {"name": "productpage-key-auth", "namespace": "bookinfo"},
        "spec": {"wasm": {"url": "oci://ghcr.io/acme/x:1"}}
    }]});
    let a = meshplug()
        .args([
            "status",
            "--cluster",
            "prod-east",
            "--format",
            "json",
            "--live",
            "-",
            "--repo",
        ])
        .arg(&repo)
        .write_stdin(dump.to_string())
        .assert()
        .code(1);
    let rows: serde_json::Value = serde_json::from_str(&stdout(&a)).unwrap();
    let states: Vec<(String, String)> = rows
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["wasmplugin"] == "productpage-key-auth")
        .map(|r| {
            (
                r["state"].as_str().unwrap().to_string(),
                r["kind"].to_string(),
            )
        })
        .collect();
    assert_eq!(
        states,
        [
            ("missing".to_string(), "null".to_string()),
            ("unmanaged".to_string(), "\"TrafficExtension\"".to_string())
        ]
    );
}

#[test]
fn explain_live_merges_unmanaged_plugins_with_their_ties() {
    let (_d, repo) = example_copy();
    let file = repo.join("live.json");
    std::fs::write(&file, live_dump(&repo)).unwrap();
    let a = meshplug()
        .args([
            "explain",
            "bookinfo/productpage",
            "--cluster",
            "prod-east",
            "--live",
        ])
        .arg(&file)
        .arg("--repo")
        .arg(&repo)
        .assert()
        .success();
    insta::assert_snapshot!("explain_live", stdout(&a));
    let j = meshplug()
        .args([
            "explain",
            "bookinfo/productpage",
            "--cluster",
            "prod-east",
            "--format",
            "json",
            "--live",
        ])
        .arg(&file)
        .arg("--repo")
        .arg(&repo)
        .assert()
        .success();
    let v: serde_json::Value = serde_json::from_str(&stdout(&j)).unwrap();
    let plugins: Vec<&serde_json::Value> = v["clusters"][0]["filters"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] == "plugin")
        .collect();
    let sso = plugins.iter().find(|p| p["plugin"] == "sso").unwrap();
    assert_eq!(sso["unmanaged"]["kind"], "TrafficExtension");
    assert_eq!(sso["unmanaged"]["created"], "2026-02-01T00:00:00Z");
    assert!(
        sso["unmanaged"]["hazard"]
            .as_str()
            .unwrap()
            .contains("creation time"),
        "{sso}"
    );
    let key_auth = plugins.iter().find(|p| p["plugin"] == "key-auth").unwrap();
    assert_eq!(key_auth["tie"], sso["tie"]);
    assert!(key_auth.get("unmanaged").is_none());
    // Managed objects in the dump are not listed twice; Lua extensions are not in the chain.
    assert_eq!(
        plugins.iter().filter(|p| p["plugin"] == "key-auth").count(),
        1
    );
    assert!(!plugins.iter().any(|p| p["plugin"] == "header-logger"));
    assert!(plugins.iter().any(|p| p["plugin"] == "legacy-filter"));
    // One cluster's dump: a repository of several clusters needs --cluster.
    meshplug()
        .args(["explain", "bookinfo/productpage", "--live"])
        .arg(&file)
        .arg("--repo")
        .arg(&repo)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--cluster"));
}
