//! OCI images of Wasm modules: Istio's format rules, module extraction, https unboxing and the
//! deterministic image `meshplug push` builds.

mod build;
mod classify;
pub mod media;
pub mod tar;
pub mod unbox;

pub use build::{BuiltImage, build, digest_of};
pub use classify::{
    Descriptor, ImageFormat, Index, Manifest, Plan, Platform, classify, pick_child,
};

/// Get the module out of the layer blob `plan` names.
pub fn extract(plan: &Plan, blob: &[u8]) -> Result<Vec<u8>, String> {
    if plan.format.is_tar_gzip() {
        unbox::plugin_wasm_from_layer(blob)
    } else {
        Ok(blob.to_vec())
    }
}
