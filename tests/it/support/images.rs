//! Images in every format Istio accepts or rejects, pushed through meshplug's own client.

use super::{PASS, Registry, USER, rt};
use meshplug::artifact::image::{self, digest_of, media};
use meshplug::artifact::registry::{Authorizer, Client, Credentials, Settings, Transport};
use meshplug::model::RegistryConfig;
use meshplug::model::url::OciRef;

/// A client for `reg` (its CA, its credentials).
pub fn client(reg: &Registry) -> Client {
    let mut s = Settings::default();
    if let Some(ca) = &reg.ca {
        s.ca_files.push(ca.clone());
        s.hosts.push(RegistryConfig {
            host: reg.host.clone(),
            insecure: Some(false),
            ca_file: None,
        });
    }
    let auth = Authorizer::default().with(&reg.host, Credentials::new(USER, PASS));
    Client {
        transport: Transport::new(s).unwrap(),
        auth,
    }
}

/// An image: blobs (config first) and manifest.
pub struct Raw {
    /// Blobs to upload.
    pub blobs: Vec<Vec<u8>>,
    /// Manifest media type.
    pub media_type: &'static str,
    /// Manifest bytes.
    pub manifest: Vec<u8>,
}

fn desc(mt: &str, b: &[u8]) -> String {
    format!(
        r#"{{"mediaType":"{mt}","digest":"{}","size":{}}}"#,
        digest_of(b),
        b.len()
    )
}

/// A manifest of type `mt` with `config` and `layers` (media type, bytes).
pub fn raw(mt: &'static str, config: (&str, Vec<u8>), layers: Vec<(&str, Vec<u8>)>) -> Raw {
    let ls: Vec<String> = layers.iter().map(|(m, b)| desc(m, b)).collect();
    let manifest = format!(
        r#"{{"schemaVersion":2,"mediaType":"{mt}","config":{},"layers":[{}]}}"#,
        desc(config.0, &config.1),
        ls.join(",")
    )
    .into_bytes();
    let mut blobs = vec![config.1];
    blobs.extend(layers.into_iter().map(|(_, b)| b));
    Raw {
        blobs,
        media_type: mt,
        manifest,
    }
}

/// The layer `meshplug push` builds (tar+gzip holding plugin.wasm).
pub fn tgz(wasm: &[u8]) -> Vec<u8> {
    image::build(wasm).layer
}

/// Every format, by name: (name, image, accepted by Istio).
pub fn all_formats(wasm: &[u8]) -> Vec<(&'static str, Raw, bool)> {
    let cfg = || (media::OCI_CONFIG, b"{}".to_vec());
    let modcfg = || {
        (
            media::MODULE_WASM_CONFIG,
            br#"{"type":"envoy_proxy"}"#.to_vec(),
        )
    };
    vec![
        (
            "docker-compat",
            raw(
                media::DOCKER_MANIFEST,
                (
                    "application/vnd.docker.container.image.v1+json",
                    b"{\"history\":[]}".to_vec(),
                ),
                vec![(media::DOCKER_LAYER_GZIP, tgz(wasm))],
            ),
            true,
        ),
        (
            "oci-compat",
            raw(
                media::OCI_MANIFEST,
                cfg(),
                vec![(media::OCI_LAYER_GZIP, tgz(wasm))],
            ),
            true,
        ),
        (
            "oci-artifact",
            raw(
                media::OCI_MANIFEST,
                modcfg(),
                vec![modcfg(), (media::MODULE_WASM_LAYER, wasm.to_vec())],
            ),
            true,
        ),
        (
            "one-layer",
            raw(
                media::OCI_MANIFEST,
                modcfg(),
                vec![(media::MODULE_WASM_LAYER, wasm.to_vec())],
            ),
            false,
        ),
        (
            "wasm-to-oci",
            raw(
                media::OCI_MANIFEST,
                ("application/vnd.wasm.config.v1+json", b"{}".to_vec()),
                vec![(media::WASM_TO_OCI_LAYER, wasm.to_vec())],
            ),
            false,
        ),
        (
            "cncf",
            raw(
                media::OCI_MANIFEST,
                ("application/vnd.wasm.config.v0+json", b"{}".to_vec()),
                vec![(media::CNCF_WASM_LAYER, wasm.to_vec())],
            ),
            false,
        ),
        (
            "zstd",
            raw(
                media::OCI_MANIFEST,
                cfg(),
                vec![("application/vnd.oci.image.layer.v1.tar+zstd", wasm.to_vec())],
            ),
            false,
        ),
        (
            "uncompressed",
            raw(
                media::OCI_MANIFEST,
                cfg(),
                vec![(
                    "application/vnd.oci.image.layer.v1.tar",
                    image::tar::single_file("plugin.wasm", wasm),
                )],
            ),
            false,
        ),
    ]
}

/// Push `img` to `reg` as `repo:reference`; returns the manifest digest.
pub fn push_raw(reg: &Registry, repo: &str, reference: &str, img: &Raw) -> String {
    let c = client(reg);
    let r = OciRef::parse(&format!("{}/{repo}:{reference}", reg.host)).unwrap();
    rt().block_on(async {
        for b in &img.blobs {
            c.upload(&r, b).await.unwrap();
        }
        c.put_manifest(&r, reference, img.media_type, &img.manifest)
            .await
            .unwrap()
    })
}

/// Push the image `meshplug push` would build; returns its digest.
pub fn push_module(reg: &Registry, repo: &str, tag: &str, wasm: &[u8]) -> String {
    let c = client(reg);
    let r = OciRef::parse(&format!("{}/{repo}:{tag}", reg.host)).unwrap();
    rt().block_on(c.push(&r, &image::build(wasm))).unwrap()
}

/// An index entry: digest, size, and `Some((os, arch))` or `None` for no platform.
pub type Child<'a> = (String, usize, Option<(&'a str, &'a str)>);

/// An OCI index over `children`.
pub fn index(children: &[Child<'_>]) -> Vec<u8> {
    let items: Vec<String> = children
        .iter()
        .map(|(d, n, p)| {
            let plat = p
                .map(|(os, arch)| format!(r#","platform":{{"architecture":"{arch}","os":"{os}"}}"#))
                .unwrap_or_default();
            format!(
                r#"{{"mediaType":"{}","digest":"{d}","size":{n}{plat}}}"#,
                media::OCI_MANIFEST
            )
        })
        .collect();
    format!(
        r#"{{"schemaVersion":2,"mediaType":"{}","manifests":[{}]}}"#,
        media::OCI_INDEX,
        items.join(",")
    )
    .into_bytes()
}
