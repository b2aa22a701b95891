//! `meshplug.yaml`: decode, parse with spans, kind and schema checks, typed decoding.
#![no_main]

use libfuzzer_sys::fuzz_target;
use meshplug::model::{Kind, Marketplace};

fuzz_target!(|data: &[u8]| {
    let _ = meshplug_fuzz::load::<Marketplace>("meshplug.yaml", data, Kind::Marketplace);
});
