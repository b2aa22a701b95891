//! Media types of manifests, indexes and layers that matter to Istio.

/// Docker image manifest v2 schema 2.
pub const DOCKER_MANIFEST: &str = "application/vnd.docker.distribution.manifest.v2+json";
/// Docker manifest list (a multi-platform index).
pub const DOCKER_LIST: &str = "application/vnd.docker.distribution.manifest.list.v2+json";
/// OCI image manifest.
pub const OCI_MANIFEST: &str = "application/vnd.oci.image.manifest.v1+json";
/// OCI image index.
pub const OCI_INDEX: &str = "application/vnd.oci.image.index.v1+json";
/// Docker schema 1 (what a registry converts to when Accept lacks the v2 type).
pub const DOCKER_SCHEMA1: &str = "application/vnd.docker.distribution.manifest.v1+prettyjws";

/// The Accept header for manifest requests: every type, so the registry never converts.
pub const ACCEPT: &str = "application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.list.v2+json";

/// Docker gzip layer (the Docker compat variant's last layer).
pub const DOCKER_LAYER_GZIP: &str = "application/vnd.docker.image.rootfs.diff.tar.gzip";
/// OCI gzip layer (the OCI compat variant's last layer).
pub const OCI_LAYER_GZIP: &str = "application/vnd.oci.image.layer.v1.tar+gzip";
/// The raw module layer of the two-layer solo "oci" artifact variant.
pub const MODULE_WASM_LAYER: &str = "application/vnd.module.wasm.content.layer.v1+wasm";
/// The runtime-config layer of that variant.
pub const MODULE_WASM_CONFIG: &str = "application/vnd.module.wasm.config.v1+json";
/// OCI image config.
pub const OCI_CONFIG: &str = "application/vnd.oci.image.config.v1+json";

/// wasm-to-oci's layer type (rejected by Istio).
pub const WASM_TO_OCI_LAYER: &str = "application/vnd.wasm.content.layer.v1+wasm";
/// The CNCF TAG-Runtime Wasm artifact layer type (rejected by Istio).
pub const CNCF_WASM_LAYER: &str = "application/wasm";

/// Whether `media_type` names an index or manifest list.
pub fn is_index(media_type: &str) -> bool {
    media_type == OCI_INDEX || media_type == DOCKER_LIST
}
