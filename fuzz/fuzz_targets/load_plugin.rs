//! A catalog entry: loading, then the per-entry rules (urls, pins, env, configSchema compilation).
#![no_main]

use libfuzzer_sys::fuzz_target;
use meshplug::model::{Kind, Plugin};

fuzz_target!(|data: &[u8]| {
    if let Some(p) = meshplug_fuzz::load::<Plugin>("catalog/fuzz.yaml", data, Kind::Plugin) {
        let (diags, _validator) = meshplug::check::rules::check_plugin(&p);
        meshplug_fuzz::present(&diags);
    }
});
