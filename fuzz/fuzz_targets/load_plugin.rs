//! A catalog entry: loading, then every rule over a repository that holds only it (urls, pins,
//! env, configSchema compilation).
#![no_main]

use libfuzzer_sys::fuzz_target;
use meshplug::load::Repo;
use meshplug::model::{Kind, Plugin};

fuzz_target!(|data: &[u8]| {
    if let Some(p) = meshplug_fuzz::load::<Plugin>("catalog/fuzz.yaml", data, Kind::Plugin) {
        let repo = Repo {
            root: ".".into(),
            config: meshplug_fuzz::default_marketplace(),
            plugins: vec![p],
            bindings: Vec::new(),
        };
        meshplug_fuzz::present(&meshplug::check::check(&repo).diagnostics);
    }
});
