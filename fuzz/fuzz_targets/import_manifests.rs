//! `meshplug import` and `meshplug lint`: read a manifest stream or a `kubectl get -o yaml|json`
//! dump, lint every WasmPlugin in it, and plan its import into a new repository. Every catalog
//! entry and binding the plan writes must load back without an error.
#![no_main]

use libfuzzer_sys::fuzz_target;
use meshplug::diag::Severity;
use meshplug::manifests::import::{Options, plan};
use meshplug::manifests::{is_wasmplugin, read::read};
use meshplug::model::{Binding, Kind, Plugin};
use std::sync::OnceLock;

fuzz_target!(|data: &[u8]| {
    static REPO: OnceLock<meshplug::load::Repo> = OnceLock::new();
    let repo = REPO.get_or_init(meshplug::views::browse::builtin_repo);
    let (docs, problems) = read("dump.yaml", data.to_vec());
    meshplug_fuzz::present(&problems);
    let plugins: Vec<_> = docs.iter().filter(|d| is_wasmplugin(d)).collect();
    for doc in &plugins {
        meshplug_fuzz::present(&meshplug::manifests::lint::lint(doc, "istio-system"));
    }
    if !problems.is_empty() || plugins.is_empty() {
        return;
    }
    let opts = Options {
        catalog_dir: "catalog".into(),
        bindings_dir: "bindings".into(),
        cluster: None,
        root_namespace: "istio-system".into(),
        local_schemas: true,
    };
    match plan(&plugins, repo, &opts) {
        Ok(p) => {
            for (path, text) in &p.files {
                let mut diags = Vec::new();
                let bytes = text.clone().into_bytes();
                let loaded = if path.starts_with("catalog/") {
                    meshplug::load::load_document::<Plugin>(path, bytes, Kind::Plugin, &mut diags)
                        .is_some()
                } else {
                    meshplug::load::load_document::<Binding>(path, bytes, Kind::Binding, &mut diags)
                        .is_some()
                };
                let errors: Vec<_> = diags
                    .iter()
                    .filter(|d| d.severity == Severity::Error)
                    .map(|d| format!("{}: {}", d.rule.code, d.message))
                    .collect();
                assert!(
                    loaded && errors.is_empty(),
                    "import wrote {path}, which does not load: {errors:?}\n{text}"
                );
            }
        }
        Err(diags) => meshplug_fuzz::present(&diags),
    }
});
