//! The image `meshplug push` publishes: the OCI compat variant (one tar+gzip layer holding
//! `plugin.wasm`), built so the same module always gives the same manifest digest.

use super::{media, tar};
use flate2::{Compression, GzBuilder};
use sha2::{Digest, Sha256};
use std::io::Write;

/// A built image: its blobs and manifest, each with its digest.
#[derive(Debug, Clone)]
pub struct BuiltImage {
    /// The config blob (compact JSON).
    pub config: Vec<u8>,
    /// The layer blob (tar+gzip).
    pub layer: Vec<u8>,
    /// The manifest bytes, written once and never re-serialized.
    pub manifest: Vec<u8>,
}

/// `sha256:<hex>` of `bytes`.
pub fn digest_of(bytes: &[u8]) -> String {
    format!("sha256:{}", hex::encode(Sha256::digest(bytes)))
}

impl BuiltImage {
    /// The manifest digest (what Istio compares with `sha256`).
    pub fn digest(&self) -> String {
        digest_of(&self.manifest)
    }
}

/// Build the image for `module`. Fixed tar header, gzip without name or timestamp, fixed
/// compression level, compact JSON with a fixed key order.
pub fn build(module: &[u8]) -> BuiltImage {
    let tar_bytes = tar::single_file("plugin.wasm", module);
    let mut gz = GzBuilder::new()
        .mtime(0)
        .operating_system(255)
        .write(Vec::new(), Compression::new(9));
    gz.write_all(&tar_bytes).expect("writing to memory");
    let layer = gz.finish().expect("writing to memory");
    let config = format!(
        r#"{{"architecture":"amd64","os":"linux","rootfs":{{"type":"layers","diff_ids":["{}"]}}}}"#,
        digest_of(&tar_bytes)
    )
    .into_bytes();
    let manifest = format!(
        r#"{{"schemaVersion":2,"mediaType":"{}","config":{{"mediaType":"{}","digest":"{}","size":{}}},"layers":[{{"mediaType":"{}","digest":"{}","size":{}}}],"annotations":{{"module.wasm.image/variant":"compat"}}}}"#,
        media::OCI_MANIFEST,
        media::OCI_CONFIG,
        digest_of(&config),
        config.len(),
        media::OCI_LAYER_GZIP,
        digest_of(&layer),
        layer.len()
    )
    .into_bytes();
    BuiltImage {
        config,
        layer,
        manifest,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::artifact::image::{Manifest, classify, unbox};

    #[test]
    fn deterministic_and_accepted_by_istio_rules() {
        let module = b"\0asm\x01\0\0\0module".to_vec();
        let a = build(&module);
        assert_eq!(a.digest(), build(&module).digest());
        assert_ne!(a.digest(), build(b"\0asm\x01\0\0\0other").digest());
        let m: Manifest = serde_json::from_slice(&a.manifest).unwrap();
        let plan = classify(&m).unwrap();
        assert_eq!(plan.format.as_str(), "oci-compat");
        assert_eq!(plan.layer.digest, digest_of(&a.layer));
        assert_eq!(unbox::plugin_wasm_from_layer(&a.layer).unwrap(), module);
        // gzip header: no name, mtime 0.
        assert_eq!(&a.layer[3..8], &[0, 0, 0, 0, 0]);
    }
}
