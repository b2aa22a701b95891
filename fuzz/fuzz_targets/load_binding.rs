//! A binding: decode, parse with spans, kind and schema checks, typed decoding.
#![no_main]

use libfuzzer_sys::fuzz_target;
use meshplug::model::{Binding, Kind};

fuzz_target!(|data: &[u8]| {
    let _ = meshplug_fuzz::load::<Binding>("bindings/shop/fuzz.yaml", data, Kind::Binding);
});
