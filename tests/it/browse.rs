//! The read-only commands on the example repository and on purpose-built ones: `catalog list`,
//! `catalog show`, `explain`, `status` (with `--live`).

use crate::support::*;

fn example() -> std::path::PathBuf {
    project().join("examples/bookinfo")
}

#[test]
fn catalog_list_outside_a_repository_shows_the_builtin_catalog() {
    let dir = tempfile::tempdir().unwrap();
    let a = meshplug()
        .current_dir(dir.path())
        .args(["catalog", "list"])
        .assert()
        .success();
    insta::assert_snapshot!("catalog_list_builtin", stdout(&a));
    let zh = meshplug()
        .current_dir(dir.path())
        .args(["catalog", "list", "--lang", "zh", "--category", "auth"])
        .assert()
        .success();
    insta::assert_snapshot!("catalog_list_zh_auth", stdout(&zh));
}

#[test]
fn catalog_list_counts_services_of_the_example() {
    let a = meshplug()
        .args(["catalog", "list", "--repo"])
        .arg(example())
        .assert()
        .success();
    let out = stdout(&a);
    insta::assert_snapshot!("catalog_list_bookinfo", out);
    let json = meshplug()
        .args(["catalog", "list", "--format", "json", "--repo"])
        .arg(example())
        .assert()
        .success();
    let v: serde_json::Value = serde_json::from_str(&stdout(&json)).unwrap();
    let entry = |n: &str| {
        v.as_array()
            .unwrap()
            .iter()
            .find(|e| e["name"] == n)
            .unwrap()
            .clone()
    };
    assert_eq!(entry("key-auth")["services"], 1);
    assert_eq!(entry("bot-detect")["services"], 1);
    assert_eq!(entry("basic-auth")["services"], 0);
    assert_eq!(entry("istio-example")["pinned"], true);
    assert_eq!(
        entry("openid-connect")["file"],
        "catalog/openid-connect.yaml"
    );
    for line in out.lines() {
        assert!(unicode_width(line) <= 100, "{line}");
    }
}

fn unicode_width(s: &str) -> usize {
    s.chars()
        .map(|c| if (c as u32) >= 0x1100 { 2 } else { 1 })
        .sum()
}

#[test]
fn catalog_show_is_a_readable_page() {
    let a = meshplug()
        .args(["catalog", "show", "key-auth", "--repo"])
        .arg(example())
        .assert()
        .success();
    let out = stdout(&a);
    insta::assert_snapshot!("catalog_show_key_auth", out);
    for line in out.lines() {
        assert!(unicode_width(line) <= 100, "{line}");
    }
    let yaml = meshplug()
        .args([
            "catalog",
            "show",
            "openid-connect",
            "--format",
            "yaml",
            "--lang",
            "zh",
            "--repo",
        ])
        .arg(example())
        .assert()
        .success();
    insta::assert_snapshot!("catalog_show_openid_yaml_zh", stdout(&yaml));
}

#[test]
fn catalog_show_unknown_plugin_is_a_usage_error_with_a_suggestion() {
    meshplug()
        .args(["catalog", "show", "key-atuh", "--repo"])
        .arg(example())
        .assert()
        .code(2)
        .stderr(predicates::str::contains("did you mean `key-auth`"));
}

/// Every builtin plugin's example binding is a valid binding in a repository.
#[test]
fn example_bindings_of_every_builtin_plugin_validate() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write_files(
        root,
        &[(
            "meshplug.yaml",
            "apiVersion: meshplug.io/v1alpha1\nkind: Marketplace\nmetadata:\n  name: t\nspec:\n  catalog: [builtin]\n",
        )],
    );
    let list = meshplug()
        .args(["catalog", "list", "--format", "json", "--repo"])
        .arg(root)
        .assert()
        .success();
    let names: Vec<String> = serde_json::from_str::<serde_json::Value>(&stdout(&list))
        .unwrap()
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["name"].as_str().unwrap().to_string())
        .collect();
    assert!(names.len() >= 10);
    for (i, name) in names.iter().enumerate() {
        let page = meshplug()
            .args(["catalog", "show", name, "--format", "json", "--repo"])
            .arg(root)
            .assert()
            .success();
        let page: serde_json::Value = serde_json::from_str(&stdout(&page)).unwrap();
        let example = page["example"]
            .as_str()
            .unwrap()
            .replace("name: my-service", &format!("name: my-service-{i}"));
        write_files(root, &[(&format!("bindings/ns{i}/svc.yaml"), &example)]);
        meshplug()
            .arg("validate")
            .arg(root)
            .assert()
            .append_context("plugin", name.clone())
            .success();
        std::fs::remove_file(root.join(format!("bindings/ns{i}/svc.yaml"))).unwrap();
    }
}

#[test]
fn explain_the_example_services() {
    for (service, name) in [
        ("bookinfo/productpage", "explain_productpage"),
        (
            "istio-ingress/istio-ingressgateway",
            "explain_ingress_gateway",
        ),
        ("bookinfo/ratings", "explain_ratings"),
    ] {
        let a = meshplug()
            .args(["explain", service, "--repo"])
            .arg(example())
            .assert()
            .success();
        insta::assert_snapshot!(name, stdout(&a));
    }
}

/// A repository with plugins in every phase, reaching `shop/web` mesh-wide, namespace-wide, by
/// selector from the root namespace and from its own namespace, plus ties and plugins that must
/// not appear.
fn ordering_repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let mut files: Vec<(String, String)> = vec![(
        "meshplug.yaml".into(),
        "apiVersion: meshplug.io/v1alpha1\nkind: Marketplace\nmetadata:\n  name: t\nspec:\n  catalog: [catalog]\n  clusters: [{name: c1}, {name: c2}]\n".into(),
    )];
    for p in [
        "mesh-authn",
        "mesh-unset",
        "mesh-stats",
        "root-sel-authz",
        "ns-authz",
        "ns-stats",
        "sel-authn",
        "sel-stats",
        "sel-unspecified",
        "sel-client",
        "net-filter",
        "other-app",
        "gw-plugin",
        "waypoint-plugin",
        "c2-only",
    ] {
        files.push((
            format!("catalog/{p}.yaml"),
            format!(
                "apiVersion: meshplug.io/v1alpha1\nkind: Plugin\nmetadata:\n  name: {p}\nspec:\n  title: {{en: {p}}}\n  description: {{en: test plugin}}\n  versions:\n  - version: 1.0.0\n    url: oci://registry.example/{p}:1.0.0\n    sha256: {}\n",
                "ab".repeat(32)
            ),
        ));
    }
    let binding = |ns: &str, name: &str, scope: &str, plugins: &str| {
        format!(
            "apiVersion: meshplug.io/v1alpha1\nkind: Binding\nmetadata:\n  name: {name}\n  namespace: {ns}\nspec:\n{scope}  plugins:\n{plugins}"
        )
    };
    let sel = |app: &str| format!("  selector:\n    matchLabels:\n      app: {app}\n");
    files.extend([
        ("bindings/istio-system/mesh.yaml".to_string(), binding("istio-system", "mesh", "",
            "  - {plugin: mesh-authn, phase: AUTHN, priority: 100}\n  - {plugin: mesh-unset, phase: AUTHN}\n  - {plugin: mesh-stats, phase: STATS, priority: 500}\n")),
        ("bindings/istio-system/web.yaml".into(), binding("istio-system", "web", &sel("web"),
            "  - {plugin: root-sel-authz, phase: AUTHZ, priority: 200}\n")),
        ("bindings/shop/all.yaml".into(), binding("shop", "all", "",
            "  - {plugin: ns-authz, phase: AUTHZ, priority: 200}\n  - {plugin: ns-stats, phase: STATS, priority: 300}\n")),
        ("bindings/shop/web.yaml".into(), binding("shop", "web", &sel("web"),
            "  - {plugin: sel-authn, phase: AUTHN, priority: 100}\n  - {plugin: sel-stats, phase: STATS, priority: 300}\n  - {plugin: sel-unspecified}\n  - {plugin: sel-client, phase: AUTHZ, priority: 900, match: [{mode: CLIENT, ports: [{number: 8080}]}]}\n  - {plugin: net-filter, phase: AUTHN, priority: 50, type: NETWORK}\n")),
        ("bindings/shop/other.yaml".into(), binding("shop", "other", &sel("other"),
            "  - {plugin: other-app, phase: AUTHN, priority: 7}\n")),
        ("bindings/shop/gw.yaml".into(), binding("shop", "gw",
            "  targetRefs:\n  - {group: gateway.networking.k8s.io, kind: Gateway, name: gw}\n",
            "  - {plugin: gw-plugin, phase: AUTHN, priority: 8}\n")),
        ("bindings/shop/web-waypoint.yaml".into(), binding("shop", "web-waypoint",
            "  targetRefs:\n  - {group: \"\", kind: Service, name: web}\n",
            "  - {plugin: waypoint-plugin, phase: AUTHN, priority: 9}\n")),
        ("bindings/shop/c2.yaml".into(), binding("shop", "c2", "  clusters: [c2]\n",
            "  - {plugin: c2-only, phase: STATS, priority: 10}\n")),
        ("bindings/other/all.yaml".into(), binding("other", "all", "",
            "  - {plugin: other-app, phase: AUTHN, priority: 11}\n")),
    ]);
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    write_files(dir.path(), &refs);
    dir
}

#[test]
fn explain_orders_mesh_namespace_and_selector_plugins_like_istio() {
    let dir = ordering_repo();
    let a = meshplug()
        .args([
            "explain",
            "shop/web",
            "--cluster",
            "c1",
            "--format",
            "json",
            "--repo",
        ])
        .arg(dir.path())
        .assert()
        .success();
    let v: serde_json::Value = serde_json::from_str(&stdout(&a)).unwrap();
    let chain = &v["clusters"][0];
    assert_eq!(v["clusters"].as_array().unwrap().len(), 1);
    let order: Vec<String> = chain["filters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            f.get("plugin")
                .unwrap_or(&f["name"])
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(
        order,
        [
            "metadata-exchange",
            "ext_authz (CUSTOM)",
            // AUTHN: equal priority 100, the workload's namespace before the root namespace;
            // unset priority (MinInt32) last.
            "sel-authn",
            "mesh-authn",
            "mesh-unset",
            "authn (jwt)",
            // AUTHZ: 900, then 200 twice: own namespace before the root namespace's selector.
            "sel-client",
            "ns-authz",
            "root-sel-authz",
            "rbac",
            // STATS: the root namespace's 500, then a tie at 300 within namespace shop.
            "mesh-stats",
            "ns-stats",
            "sel-stats",
            "stats",
            "sel-unspecified",
            "router",
        ]
    );
    let plugin = |name: &str| {
        chain["filters"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["plugin"] == name)
            .unwrap()
            .clone()
    };
    assert_eq!(plugin("ns-stats")["tie"], plugin("sel-stats")["tie"]);
    assert!(plugin("ns-stats")["tie"].is_number());
    for p in ["ns-authz", "root-sel-authz", "sel-authn", "mesh-authn"] {
        assert!(
            plugin(p).get("tie").is_none(),
            "{p} is ordered by namespace, not time"
        );
    }
    assert_eq!(plugin("mesh-authn")["scope"], "mesh");
    assert_eq!(plugin("root-sel-authz")["scope"], "mesh_selector");
    assert_eq!(plugin("ns-authz")["scope"], "namespace");
    assert_eq!(
        plugin("sel-client")["traffic"],
        serde_json::json!({"outbound": [8080]})
    );
    assert_eq!(chain["network"][0]["plugin"], "net-filter");
    assert_eq!(chain["skipped"][0]["plugin"], "waypoint-plugin");
    let text = meshplug()
        .args(["explain", "shop/web", "--repo"])
        .arg(dir.path())
        .assert()
        .success();
    insta::assert_snapshot!("explain_ordering", redact(&stdout(&text), dir.path()));
    assert!(stderr(&text).contains("MP029") || stderr(&text).contains("error"));
}

#[test]
fn explain_a_gateway_by_its_labels() {
    let dir = ordering_repo();
    let a = meshplug()
        .args([
            "explain",
            "shop/gw",
            "--cluster",
            "c1",
            "--labels",
            "gateway.networking.k8s.io/gateway-name=gw",
            "--repo",
        ])
        .arg(dir.path())
        .assert()
        .success();
    let out = stdout(&a);
    insta::assert_snapshot!("explain_gateway", out);
    assert!(out.contains("gw-plugin"));
    assert!(!out.contains("sel-authn"));
}

#[test]
fn explain_rejects_unknown_clusters_and_bad_arguments() {
    meshplug()
        .args([
            "explain",
            "bookinfo/productpage",
            "--cluster",
            "prod-est",
            "--repo",
        ])
        .arg(example())
        .assert()
        .code(2)
        .stderr(predicates::str::contains("did you mean `prod-east`"));
    meshplug()
        .args(["explain", "productpage", "--repo"])
        .arg(example())
        .assert()
        .code(2)
        .stderr(predicates::str::contains("NAMESPACE/SERVICE"));
    meshplug()
        .args(["explain", "a/b", "--labels", "app", "--repo"])
        .arg(example())
        .assert()
        .code(2);
}

#[test]
fn status_lists_every_plugin_on_every_service() {
    let a = meshplug()
        .args(["status", "--repo"])
        .arg(example())
        .assert()
        .success();
    insta::assert_snapshot!("status_bookinfo", stdout(&a));
    let y = meshplug()
        .args([
            "status",
            "--cluster",
            "staging",
            "--format",
            "yaml",
            "--repo",
        ])
        .arg(example())
        .assert()
        .success();
    let rows: serde_json::Value = serde_saphyr::from_str(&stdout(&y)).unwrap();
    assert_eq!(rows.as_array().unwrap().len(), 11);
    assert!(
        rows.as_array()
            .unwrap()
            .iter()
            .all(|r| r["cluster"] == "staging")
    );
}

/// A kubectl dump of prod-east: the rendered manifests as a v1 List, with one changed, one
/// removed and one foreign WasmPlugin added.
fn live_dump(repo: &std::path::Path) -> String {
    meshplug()
        .args(["render", "--allow-unpinned"])
        .arg(repo)
        .assert()
        .success();
    let tree = snapshot_tree(&repo.join("rendered/prod-east"));
    let mut items = Vec::new();
    for (path, bytes) in tree {
        if path.ends_with("kustomization.yaml") || path.contains("ratings-request-block") {
            continue;
        }
        let mut v: serde_json::Value = serde_saphyr::from_slice(&bytes).unwrap();
        v["metadata"]["uid"] = "0000".into();
        v["metadata"]["resourceVersion"] = "42".into();
        v["metadata"]["creationTimestamp"] = "2026-01-01T00:00:00Z".into();
        if path.ends_with("productpage-cors.yaml") {
            v["spec"]["priority"] = 200.into();
            v["spec"]["pluginConfig"]["max_age"] = 60.into();
        }
        if path.ends_with("details-istio-example.yaml") {
            // Zero values Istio reads as absent do not count as drift.
            v["spec"]["type"] = "HTTP".into();
            v["spec"]["match"][0]["mode"] = "SERVER".into();
        }
        items.push(v);
    }
    items.push(serde_json::json!({
        "apiVersion": "extensions.istio.io/v1alpha1",
        "kind": "WasmPlugin",
        "metadata": {"name": "legacy-filter", "namespace": "bookinfo"},
        "spec": {"url": "oci://ghcr.io/acme/legacy:1.0", "phase": "STATS", "priority": 5}
    }));
    serde_json::to_string_pretty(&serde_json::json!({
        "apiVersion": "v1", "kind": "List", "metadata": {"resourceVersion": ""}, "items": items
    }))
    .unwrap()
}

#[test]
fn status_live_marks_installed_missing_drifted_and_unmanaged() {
    let (_d, repo) = example_copy();
    let dump = live_dump(&repo);
    let file = repo.join("live.json");
    std::fs::write(&file, &dump).unwrap();
    let a = meshplug()
        .args(["status", "--cluster", "prod-east", "--live"])
        .arg(&file)
        .arg("--repo")
        .arg(&repo)
        .assert()
        .code(1);
    insta::assert_snapshot!("status_live", stdout(&a));
    assert!(
        stderr(&a).contains("1 missing, 1 drifted, 1 unmanaged"),
        "{}",
        stderr(&a)
    );
    // The same dump as YAML on stdin, as JSON rows.
    let yaml = serde_saphyr::to_string(&serde_json::from_str::<serde_json::Value>(&dump).unwrap())
        .unwrap();
    let j = meshplug()
        .args([
            "status",
            "--cluster",
            "prod-east",
            "--live",
            "-",
            "--format",
            "json",
            "--repo",
        ])
        .arg(&repo)
        .write_stdin(yaml)
        .assert()
        .code(1);
    let rows: serde_json::Value = serde_json::from_str(&stdout(&j)).unwrap();
    let state = |name: &str| {
        rows.as_array()
            .unwrap()
            .iter()
            .find(|r| r["wasmplugin"] == name)
            .unwrap()
            .clone()
    };
    assert_eq!(state("productpage-key-auth")["state"], "installed");
    assert_eq!(state("details-istio-example")["state"], "installed");
    assert_eq!(state("ratings-request-block")["state"], "missing");
    assert_eq!(state("legacy-filter")["state"], "unmanaged");
    let cors = state("productpage-cors");
    assert_eq!(cors["state"], "drifted");
    let fields: Vec<&str> = cors["diff"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["spec.pluginConfig.max_age", "spec.priority"]);
    assert_eq!(cors["diff"][1]["git"], 340);
    assert_eq!(cors["diff"][1]["live"], 200);
}

#[test]
fn status_live_in_sync_exits_zero_and_needs_a_cluster_name() {
    let (_d, repo) = example_copy();
    let dump = rendered_stream(&repo, "staging");
    meshplug()
        .args(["status", "--cluster", "staging", "--live", "-", "--repo"])
        .arg(&repo)
        .write_stdin(dump.clone())
        .assert()
        .success()
        .stdout(
            predicates::str::contains("installed").and(predicates::str::contains("drifted").not()),
        );
    meshplug()
        .args(["status", "--live", "-", "--repo"])
        .arg(&repo)
        .write_stdin(dump)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--cluster prod-east|staging"));
    meshplug()
        .args(["status", "--cluster", "staging", "--live", "-", "--repo"])
        .arg(&repo)
        .write_stdin("items: [1\n")
        .assert()
        .code(2)
        .stderr(predicates::str::contains("<stdin>:1"));
}

use predicates::prelude::*;

/// Issue #14: a workload no binding names and no binding of its namespace reaches is a mistake,
/// not an empty chain: exit 1 with the nearest known name.
#[test]
fn explain_an_unknown_service_suggests_a_known_one() {
    let repo = project().join("examples/bookinfo");
    let out = meshplug()
        .args(["explain", "bokinfo/productpage", "--repo"])
        .arg(&repo)
        .assert()
        .code(1);
    let err = stderr(&out);
    assert!(
        err.contains("no binding applies to bokinfo/productpage")
            && err.contains("did you mean `bookinfo/productpage`?"),
        "{err}"
    );
    assert!(stdout(&out).is_empty(), "{}", stdout(&out));
    let out = meshplug()
        .args(["explain", "default/web", "--format", "json", "--repo"])
        .arg(&repo)
        .assert()
        .code(1);
    assert!(
        stdout(&out).contains("no binding applies to default/web"),
        "{}",
        stdout(&out)
    );
    // A known one still explains, and so does a service the namespace-wide binding reaches.
    for service in ["bookinfo/productpage", "bookinfo/not-bound-itself"] {
        meshplug()
            .args(["explain", service, "--repo"])
            .arg(&repo)
            .assert()
            .success();
    }
}
