//! OCI urls without a registry host are Docker Hub references, as Istio's agent reads them:
//! `validate` and `lint` say so (MP038) and still pass.

use crate::support::*;
use predicates::prelude::*;

#[test]
fn validate_warns_when_a_catalog_url_is_docker_hub_by_default() {
    let repo = Repo::new(&["oci://acme/hello:1.0"], "");
    meshplug()
        .arg("validate")
        .arg(repo.path())
        .assert()
        .success()
        .stderr(predicate::str::contains("MP038(docker-hub-default)"));
    meshplug()
        .args(["validate", "--format", "json"])
        .arg(repo.path())
        .assert()
        .success()
        .stdout(
            predicate::str::contains("MP038")
                .and(predicate::str::contains(
                    "resolves to Docker Hub: index.docker.io/acme/hello:1.0",
                ))
                .and(predicate::str::contains("acme.example.com/hello:1.0")),
        );
    // Naming Docker Hub, or a host, is quiet.
    for url in [
        "oci://docker.io/acme/hello:1.0",
        "oci://acme.example.com/hello:1.0",
    ] {
        let repo = Repo::new(&[url], "");
        meshplug()
            .args(["validate", "--format", "json"])
            .arg(repo.path())
            .assert()
            .success()
            .stdout(predicate::str::contains("MP038").not());
    }
}

#[test]
fn lint_warns_when_a_wasmplugin_url_is_docker_hub_by_default() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("p.yaml");
    std::fs::write(
        &file,
        "apiVersion: extensions.istio.io/v1alpha1\nkind: WasmPlugin\nmetadata:\n  name: p\n  namespace: ns\nspec:\n  url: oci://my-registry/tetrate/hello-world:v1\n",
    )
    .unwrap();
    meshplug()
        .args(["lint", "--format", "json"])
        .arg(&file)
        .assert()
        .success()
        .stdout(
            predicate::str::contains("MP038").and(predicate::str::contains(
                "index.docker.io/my-registry/tetrate/hello-world:v1",
            )),
        );
    std::fs::write(
        &file,
        "apiVersion: extensions.istio.io/v1alpha1\nkind: WasmPlugin\nmetadata:\n  name: p\n  namespace: ns\nspec:\n  url: oci://UPPER/x:1\n",
    )
    .unwrap();
    meshplug()
        .args(["lint", "--format", "json"])
        .arg(&file)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("MP016").and(predicate::str::contains("uppercase")));
}
