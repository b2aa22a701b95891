//! Classify a manifest exactly as Istio's agent does (`pkg/wasm/imagefetcher.go`), and pick an
//! index's linux/amd64 child as go-containerregistry does.

use super::media::*;
use serde::Deserialize;

/// The image formats Istio accepts.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum ImageFormat {
    /// Docker manifest; last layer a Docker tar+gzip holding `plugin.wasm`.
    DockerCompat,
    /// OCI manifest; last layer an OCI tar+gzip holding `plugin.wasm`.
    OciCompat,
    /// Exactly two layers, one of them the raw module (`application/vnd.module.wasm.content.layer.v1+wasm`).
    OciArtifact,
}

impl ImageFormat {
    /// The name used in the lock and in output.
    pub fn as_str(self) -> &'static str {
        match self {
            ImageFormat::DockerCompat => "docker-compat",
            ImageFormat::OciCompat => "oci-compat",
            ImageFormat::OciArtifact => "oci-artifact",
        }
    }

    /// Whether the layer is a tar+gzip holding `plugin.wasm` (else it is the raw module).
    pub fn is_tar_gzip(self) -> bool {
        self != ImageFormat::OciArtifact
    }
}

/// A content descriptor.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Descriptor {
    /// Media type.
    #[serde(default)]
    pub media_type: String,
    /// `sha256:<hex>`.
    pub digest: String,
    /// Size in bytes.
    #[serde(default)]
    pub size: u64,
    /// Platform, for index entries.
    #[serde(default)]
    pub platform: Option<Platform>,
}

/// An index entry's platform.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
pub struct Platform {
    /// Operating system.
    #[serde(default)]
    pub os: String,
    /// CPU architecture.
    #[serde(default)]
    pub architecture: String,
}

/// An image manifest (Docker v2 or OCI).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Manifest {
    /// The `mediaType` field (what Istio's format check reads); may be absent in OCI.
    #[serde(default)]
    pub media_type: String,
    /// The config descriptor.
    #[serde(default)]
    pub config: Option<Descriptor>,
    /// Layers, base first.
    #[serde(default)]
    pub layers: Vec<Descriptor>,
}

/// An image index or manifest list.
#[derive(Debug, Clone, Deserialize)]
pub struct Index {
    /// The children.
    #[serde(default)]
    pub manifests: Vec<Descriptor>,
}

/// How to get the module out of an accepted image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// The variant Istio will use.
    pub format: ImageFormat,
    /// The layer holding the module.
    pub layer: Descriptor,
}

const REPACK: &str = "repack it as Istio expects: `meshplug push MODULE.wasm oci://HOST/REPO:TAG` publishes the OCI compat variant (one tar+gzip layer holding plugin.wasm)";

/// Decide how Istio reads `manifest`, or why it rejects it (the message names the fix).
pub fn classify(manifest: &Manifest) -> Result<Plan, String> {
    let last = manifest.layers.last();
    if manifest.media_type == DOCKER_MANIFEST {
        // Istio tries nothing else for a Docker manifest.
        return match last {
            Some(l) if l.media_type == DOCKER_LAYER_GZIP => Ok(Plan {
                format: ImageFormat::DockerCompat,
                layer: l.clone(),
            }),
            Some(l) => Err(format!(
                "Istio rejects this Docker image: its last layer is `{}`, not `{DOCKER_LAYER_GZIP}`{}; {REPACK}",
                l.media_type,
                layer_hint(&l.media_type)
            )),
            None => Err(format!(
                "Istio rejects this Docker image: it has no layers; {REPACK}"
            )),
        };
    }
    if manifest.media_type == DOCKER_SCHEMA1 {
        return Err(format!(
            "the registry answered with a Docker schema 1 manifest, which Istio cannot read; {REPACK}"
        ));
    }
    if let Some(l) = last.filter(|l| l.media_type == OCI_LAYER_GZIP) {
        return Ok(Plan {
            format: ImageFormat::OciCompat,
            layer: l.clone(),
        });
    }
    let module_layer = manifest
        .layers
        .iter()
        .find(|l| l.media_type == MODULE_WASM_LAYER);
    if manifest.layers.len() == 2
        && let Some(l) = module_layer
    {
        return Ok(Plan {
            format: ImageFormat::OciArtifact,
            layer: l.clone(),
        });
    }
    Err(rejection(manifest, module_layer.is_some()))
}

fn rejection(manifest: &Manifest, has_module_layer: bool) -> String {
    let layers: Vec<&str> = manifest
        .layers
        .iter()
        .map(|l| l.media_type.as_str())
        .collect();
    let config = manifest
        .config
        .as_ref()
        .map_or("", |c| c.media_type.as_str());
    let what = if layers.contains(&WASM_TO_OCI_LAYER)
        || config == "application/vnd.wasm.config.v1+json"
    {
        "a wasm-to-oci image (layer `application/vnd.wasm.content.layer.v1+wasm`), which Istio does not support (istio/istio#39990)".to_string()
    } else if layers.contains(&CNCF_WASM_LAYER) || config == "application/vnd.wasm.config.v0+json" {
        "a CNCF Wasm OCI artifact (layer `application/wasm`, as made by wkg, cargo-component or wasmCloud), which Istio does not support".to_string()
    } else if has_module_layer {
        format!(
            "a `{MODULE_WASM_LAYER}` image with {} layer(s); Istio requires exactly 2 (the runtime config and the module)",
            layers.len()
        )
    } else if let Some(l) = layers.last() {
        format!(
            "an image whose last layer is `{l}`, not `{OCI_LAYER_GZIP}`{}",
            layer_hint(l)
        )
    } else {
        "an image without layers".to_string()
    };
    format!("Istio rejects this image: it is {what}; {REPACK}")
}

fn layer_hint(media_type: &str) -> &'static str {
    if media_type.contains("zstd") {
        " (zstd layers are not supported: Istio only gunzips)"
    } else if media_type.ends_with(".tar") || media_type.ends_with("diff.tar") {
        " (uncompressed tar layers are not supported: Istio only gunzips)"
    } else {
        ""
    }
}

/// The child Istio resolves an index to: the first linux/amd64 entry (an entry without a
/// platform counts as linux/amd64), or an error listing what the index offers.
pub fn pick_child(index: &Index) -> Result<&Descriptor, String> {
    index
        .manifests
        .iter()
        .find(|d| d.platform.as_ref().is_none_or(|p| p.os == "linux" && p.architecture == "amd64"))
        .ok_or_else(|| {
            let offered: Vec<String> = index
                .manifests
                .iter()
                .filter_map(|d| d.platform.as_ref())
                .map(|p| format!("{}/{}", p.os, p.architecture))
                .collect();
            format!(
                "the index has no linux/amd64 child (it offers {}), and Istio's agent only pulls linux/amd64 (\"no child with platform\"); push a single-platform image, e.g. with `meshplug push`",
                if offered.is_empty() { "nothing".into() } else { offered.join(", ") }
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest(media_type: &str, config: &str, layers: &[&str]) -> Manifest {
        let d = |mt: &str| Descriptor {
            media_type: mt.into(),
            digest: format!("sha256:{}", "0".repeat(64)),
            size: 1,
            platform: None,
        };
        Manifest {
            media_type: media_type.into(),
            config: Some(d(config)),
            layers: layers.iter().map(|l| d(l)).collect(),
        }
    }

    #[test]
    fn accepted_formats() {
        let f = |m: &Manifest| classify(m).map(|p| p.format);
        assert_eq!(
            f(&manifest(DOCKER_MANIFEST, "x", &["a", DOCKER_LAYER_GZIP])),
            Ok(ImageFormat::DockerCompat)
        );
        assert_eq!(
            f(&manifest(OCI_MANIFEST, OCI_CONFIG, &[OCI_LAYER_GZIP])),
            Ok(ImageFormat::OciCompat)
        );
        // No mediaType field: not Docker, so the OCI rules apply.
        assert_eq!(
            f(&manifest("", OCI_CONFIG, &[OCI_LAYER_GZIP])),
            Ok(ImageFormat::OciCompat)
        );
        assert_eq!(
            f(&manifest(
                OCI_MANIFEST,
                MODULE_WASM_CONFIG,
                &[MODULE_WASM_CONFIG, MODULE_WASM_LAYER]
            )),
            Ok(ImageFormat::OciArtifact)
        );
    }

    #[test]
    fn rejected_formats_say_why_and_how_to_repack() {
        let cases = [
            (
                manifest(DOCKER_MANIFEST, "x", &[OCI_LAYER_GZIP]),
                "last layer is",
            ),
            (
                manifest(
                    OCI_MANIFEST,
                    "application/vnd.wasm.config.v1+json",
                    &[WASM_TO_OCI_LAYER],
                ),
                "wasm-to-oci",
            ),
            (
                manifest(
                    OCI_MANIFEST,
                    "application/vnd.wasm.config.v0+json",
                    &[CNCF_WASM_LAYER],
                ),
                "CNCF",
            ),
            (
                manifest(OCI_MANIFEST, MODULE_WASM_CONFIG, &[MODULE_WASM_LAYER]),
                "exactly 2",
            ),
            (
                manifest(
                    OCI_MANIFEST,
                    MODULE_WASM_CONFIG,
                    &["a", "b", MODULE_WASM_LAYER],
                ),
                "exactly 2",
            ),
            (
                manifest(
                    OCI_MANIFEST,
                    OCI_CONFIG,
                    &["application/vnd.oci.image.layer.v1.tar+zstd"],
                ),
                "zstd",
            ),
            (
                manifest(
                    OCI_MANIFEST,
                    OCI_CONFIG,
                    &["application/vnd.oci.image.layer.v1.tar"],
                ),
                "uncompressed",
            ),
            (manifest(OCI_MANIFEST, OCI_CONFIG, &[]), "without layers"),
            (manifest(DOCKER_SCHEMA1, "", &[]), "schema 1"),
        ];
        for (m, why) in cases {
            let e = classify(&m).expect_err(why);
            assert!(e.contains(why), "{e}");
            assert!(e.contains("meshplug push"), "{e}");
        }
    }

    #[test]
    fn index_children() {
        let child = |os: Option<(&str, &str)>, n: char| Descriptor {
            media_type: OCI_MANIFEST.into(),
            digest: format!("sha256:{}", n.to_string().repeat(64)),
            size: 1,
            platform: os.map(|(o, a)| Platform {
                os: o.into(),
                architecture: a.into(),
            }),
        };
        let idx = Index {
            manifests: vec![
                child(Some(("linux", "arm64")), '1'),
                child(Some(("unknown", "unknown")), '2'),
                child(Some(("linux", "amd64")), '3'),
            ],
        };
        assert!(pick_child(&idx).unwrap().digest.ends_with('3'));
        let idx = Index {
            manifests: vec![child(None, '4'), child(Some(("linux", "amd64")), '3')],
        };
        assert!(pick_child(&idx).unwrap().digest.ends_with('4'));
        let idx = Index {
            manifests: vec![child(Some(("linux", "arm64")), '1')],
        };
        assert!(pick_child(&idx).unwrap_err().contains("offers linux/arm64"));
    }
}
