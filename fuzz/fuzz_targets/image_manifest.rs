//! Manifest and index documents from a registry: Istio's format classification and the
//! linux/amd64 child of an index.
#![no_main]

use libfuzzer_sys::fuzz_target;
use meshplug::artifact::image::{Index, Manifest, classify, pick_child};

fuzz_target!(|data: &[u8]| {
    if let Ok(m) = serde_json::from_slice::<Manifest>(data) {
        if let Ok(plan) = classify(&m) {
            assert!(
                m.layers.contains(&plan.layer),
                "the plan names a layer of the manifest"
            );
        }
    }
    if let Ok(i) = serde_json::from_slice::<Index>(data)
        && let Ok(child) = pick_child(&i)
    {
        assert!(
            i.manifests.contains(child),
            "the child is an entry of the index"
        );
    }
});
