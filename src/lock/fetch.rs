//! Fetch one module url the way Istio's agent will, and compute what it will compare.

use crate::artifact::image::{self, ImageFormat, Plan, unbox};
use crate::artifact::registry::{Client, NetError};
use crate::artifact::wasm::{self, WasmReport};
use crate::model::url::{ModuleUrl, OciRef};
use crate::model::{LockFormat, LockedModule, PluginType};

/// What fetching a url gave.
#[derive(Debug, Clone)]
pub struct Fetched {
    /// The url.
    pub url: String,
    /// The value Istio compares with `sha256` (hex).
    pub pin: String,
    /// The index digest, when an OCI tag named an index.
    pub index_digest: Option<String>,
    /// Packaging.
    pub format: LockFormat,
    /// For OCI: how the module comes out of the image (the layer to download).
    pub plan: Option<Plan>,
    /// The module, once downloaded.
    pub module: Option<Vec<u8>>,
}

impl Fetched {
    /// For OCI: `HOST/REPOSITORY@LAYER-DIGEST`, the same for every url whose module is the same
    /// blob of the same repository (it is downloaded and checked once).
    pub fn layer_key(&self) -> Option<String> {
        let plan = self.plan.as_ref()?;
        let r = OciRef::parse(ModuleUrl::parse(&self.url).rest).ok()?;
        Some(format!(
            "{}/{}@{}",
            r.registry(),
            r.repository(),
            plan.layer.digest
        ))
    }
}

impl From<ImageFormat> for LockFormat {
    fn from(f: ImageFormat) -> LockFormat {
        match f {
            ImageFormat::DockerCompat => LockFormat::DockerCompat,
            ImageFormat::OciCompat => LockFormat::OciCompat,
            ImageFormat::OciArtifact => LockFormat::OciArtifact,
        }
    }
}

/// The format name used in output.
pub fn format_name(f: LockFormat) -> &'static str {
    match f {
        LockFormat::DockerCompat => "docker-compat",
        LockFormat::OciCompat => "oci-compat",
        LockFormat::OciArtifact => "oci-artifact",
        LockFormat::Http => "http",
    }
}

/// Fetch `url` and its module.
pub async fn fetch(client: &Client, url: &str) -> Result<Fetched, NetError> {
    let mut f = pin(client, url).await?;
    if f.module.is_none() {
        f.module = Some(module(client, &f).await.map_err(|e| e.about(url))?);
    }
    Ok(f)
}

/// The first step of fetching `url`: what Istio will compare. For OCI that is one manifest
/// request (two for an index) and the module is left in `plan`; an http(s) module is
/// downloaded whole.
pub async fn pin(client: &Client, url: &str) -> Result<Fetched, NetError> {
    let parsed = ModuleUrl::parse(url);
    match parsed.scheme {
        Some("oci") => {
            let r = OciRef::parse(parsed.rest)
                .map_err(|e| NetError::new(url, e.to_string(), "write oci://HOST/REPO:TAG"))?;
            let resolved = client.resolve(&r).await.map_err(|e| e.about(url))?;
            if let (Some(asked), Some(_)) = (r.digest(), &resolved.index_digest) {
                return Err(NetError::new(
                    url,
                    format!(
                        "the url's digest {asked} names an index; Istio compares the linux/amd64 child's digest {} and would always fail",
                        resolved.digest
                    ),
                    format!(
                        "use the child digest: {}@{}",
                        url.split('@').next().unwrap_or(url),
                        resolved.digest
                    ),
                ));
            }
            let pin = resolved.digest.trim_start_matches("sha256:").to_string();
            let plan = image::classify(&resolved.manifest)
                .map_err(|e| NetError::new(url, e, "see docs/lock.md#image-formats"))?;
            Ok(Fetched {
                url: url.into(),
                pin,
                index_digest: resolved.index_digest,
                format: plan.format.into(),
                plan: Some(plan),
                module: None,
            })
        }
        Some("https") | Some("http") => {
            let body = client.download(url).await?;
            let module = unbox::unbox(&body);
            let pin = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&module));
            Ok(Fetched {
                url: url.into(),
                pin,
                index_digest: None,
                format: LockFormat::Http,
                plan: None,
                module: Some(module),
            })
        }
        _ => Err(NetError::new(
            url,
            "not a remote module url",
            "meshplug pins oci://, https:// and http:// urls",
        )),
    }
}

/// The second step for an OCI `f` from [`pin`]: download its layer (checked against the
/// layer's digest) and take the module out. Errors name the layer, not `f.url`.
pub async fn module(client: &Client, f: &Fetched) -> Result<Vec<u8>, NetError> {
    let (Some(plan), Some(key)) = (&f.plan, f.layer_key()) else {
        return Ok(f.module.clone().unwrap_or_default());
    };
    let parsed = ModuleUrl::parse(&f.url);
    let r = OciRef::parse(parsed.rest)
        .map_err(|e| NetError::new(&f.url, e.to_string(), "write oci://HOST/REPO:TAG"))?;
    let blob = client.blob(&r, &plan.layer).await?;
    image::extract(plan, &blob).map_err(|e| {
        NetError::new(
            &format!("oci://{key}"),
            e,
            "republish the module with `meshplug push`",
        )
    })
}

/// Check the fetched module and build its lock entry; errors when the module would not load.
pub fn lock_entry(
    f: &Fetched,
    plugin_type: Option<PluginType>,
) -> Result<(LockedModule, WasmReport), NetError> {
    let module = f.module.as_deref().unwrap_or_default();
    let report = wasm::check(module, plugin_type);
    if !report.ok() {
        return Err(NetError::new(
            &f.url,
            format!(
                "the module is not a loadable proxy-wasm plugin: {}",
                report.errors.join("; ")
            ),
            "fix and republish the module; `meshplug inspect URL` shows the full check",
        ));
    }
    let entry = LockedModule {
        url: f.url.clone(),
        sha256: f.pin.clone(),
        index_digest: f.index_digest.clone(),
        format: f.format,
        module_size: report.size,
        module_sha256: report.sha256.clone(),
        abi: report
            .abi
            .map(|a| a.as_str().to_string())
            .unwrap_or_default(),
        callbacks: report.callbacks.clone(),
    };
    Ok((entry, report))
}
