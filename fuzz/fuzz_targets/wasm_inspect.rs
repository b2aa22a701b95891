//! The static proxy-wasm check behind `inspect`, `lock` and `push`, with what surrounds it: Istio's
//! http(s) unboxing (gzip/tar) and the plugin.wasm extraction from a compat image layer.
#![no_main]

use libfuzzer_sys::fuzz_target;
use meshplug::artifact::image::{tar, unbox};

fuzz_target!(|data: &[u8]| {
    let report = meshplug::artifact::wasm::check(data, Some(meshplug::model::PluginType::Http));
    let _ = serde_json::to_string(&report);
    let _ = report.filter_kind();
    let inner = unbox::unbox(data);
    if inner != data {
        let _ = meshplug::artifact::wasm::check(&inner, None);
    }
    if let Ok(module) = unbox::plugin_wasm_from_layer(data) {
        let _ = meshplug::artifact::wasm::check(&module, None);
    }
    let _ = tar::entries(data);
});
