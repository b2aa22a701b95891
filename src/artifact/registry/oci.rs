//! The distribution API calls meshplug needs: resolve a reference to a manifest (and an index to
//! its linux/amd64 child), download a blob, push an image. Every byte is checked against the
//! digest it was fetched by.

use super::Client;
use super::error::NetError;
use super::transport::{Reply, Request, status_error};
use crate::artifact::image::{self, BuiltImage, Descriptor, Index, Manifest, digest_of, media};
use crate::model::url::OciRef;
use reqwest::Method;

/// A reference resolved to the manifest Istio will pull.
#[derive(Debug, Clone)]
pub struct Resolved {
    /// The image manifest digest (`sha256:...`): what Istio compares.
    pub digest: String,
    /// The index digest, when the reference named an index.
    pub index_digest: Option<String>,
    /// The manifest.
    pub manifest: Manifest,
}

/// Nesting of indexes followed before giving up.
const MAX_INDEX_DEPTH: usize = 4;

fn display(r: &OciRef) -> String {
    format!("oci://{r}")
}

/// A digest from a registry document, before it goes into a url: `sha256:` and 64 lowercase hex
/// (anything else could not be verified, and could bend the url).
fn check_digest(r: &OciRef, digest: &str) -> Result<(), NetError> {
    match digest.strip_prefix("sha256:") {
        Some(hex) if crate::model::url::is_sha256_hex(hex) => Ok(()),
        _ => Err(NetError::new(
            &display(r),
            format!(
                "the registry's manifest names content by `{}`, not sha256:<64 lowercase hex>",
                digest.chars().take(100).collect::<String>()
            ),
            "meshplug only fetches content it can verify by its sha256 digest; republish the image",
        )),
    }
}

/// `SCHEME://HOST/v2/REPOSITORY` of `r`: the API host (`registry-1.docker.io` for Docker Hub)
/// and the resolved repository (`library/nginx`).
fn base_url(settings: &super::Settings, r: &OciRef) -> String {
    let host = r.api_host();
    format!(
        "{}://{host}/v2/{}",
        settings.registry_scheme(host),
        r.repository()
    )
}

/// The token scope for `r`'s repository.
fn scope(r: &OciRef, push: bool) -> String {
    format!(
        "repository:{}:{}",
        r.repository(),
        if push { "pull,push" } else { "pull" }
    )
}

impl Client {
    fn base(&self, r: &OciRef) -> String {
        base_url(&self.transport.settings, r)
    }

    async fn registry(&self, r: &OciRef, push: bool, req: Request) -> Result<Reply, NetError> {
        self.auth
            .send(&self.transport, r.api_host(), &scope(r, push), req)
            .await
    }

    async fn manifest(&self, r: &OciRef, reference: &str) -> Result<(String, Reply), NetError> {
        let url = format!("{}/manifests/{reference}", self.base(r));
        let reply = self
            .registry(r, false, Request::get(&url).header("accept", media::ACCEPT))
            .await?;
        if !reply.status.is_success() {
            let mut e = status_error(&display(r), &reply);
            if reply.status == 404 {
                e.message = format!("not found in the registry ({})", e.message);
            }
            return Err(e);
        }
        let computed = digest_of(&reply.body);
        let claimed = reply.header("docker-content-digest").map(str::to_owned);
        let expected = if reference.starts_with("sha256:") {
            Some(reference.to_string())
        } else {
            claimed.clone()
        };
        if let Some(exp) = expected
            && exp != computed
        {
            return Err(NetError::new(
                &display(r),
                format!(
                    "the manifest bytes hash to {computed}, not {exp} as the registry claims (corrupted or tampered response)"
                ),
                "retry; if it persists, the registry or a proxy in between alters responses",
            ));
        }
        Ok((computed, reply))
    }

    /// Resolve `r` (tag or digest) to the image manifest Istio pulls.
    pub async fn resolve(&self, r: &OciRef) -> Result<Resolved, NetError> {
        let reference = r.reference().to_string();
        let (mut digest, mut reply) = self.manifest(r, &reference).await?;
        let mut index_digest = None;
        for _ in 0..MAX_INDEX_DEPTH {
            let content_type = reply
                .header("content-type")
                .unwrap_or("")
                .split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_string();
            let value: serde_json::Value = serde_json::from_slice(&reply.body).map_err(|e| {
                NetError::new(
                    &display(r),
                    format!("the manifest is not JSON: {e}"),
                    "the registry returned something that is not an OCI manifest",
                )
            })?;
            let field = value
                .get("mediaType")
                .and_then(|m| m.as_str())
                .unwrap_or("");
            let is_index = media::is_index(&content_type)
                || media::is_index(field)
                || (value.get("manifests").is_some() && value.get("layers").is_none());
            if !is_index {
                let manifest: Manifest = serde_json::from_value(value).map_err(|e| {
                    NetError::new(
                        &display(r),
                        format!("cannot read the manifest: {e}"),
                        "the registry returned an unexpected document",
                    )
                })?;
                return Ok(Resolved {
                    digest,
                    index_digest,
                    manifest,
                });
            }
            let index: Index = serde_json::from_value(value).map_err(|e| {
                NetError::new(
                    &display(r),
                    format!("cannot read the index: {e}"),
                    "the registry returned an unexpected document",
                )
            })?;
            let child = image::pick_child(&index)
                .map_err(|e| NetError::new(&display(r), e, "push a single-platform image"))?
                .digest
                .clone();
            check_digest(r, &child)?;
            index_digest.get_or_insert(digest);
            (digest, reply) = self.manifest(r, &child).await?;
        }
        Err(NetError::new(
            &display(r),
            "indexes nest too deeply",
            "push a single-platform image",
        ))
    }

    /// Download the blob `d` and check its digest and size.
    pub async fn blob(&self, r: &OciRef, d: &Descriptor) -> Result<Vec<u8>, NetError> {
        check_digest(r, &d.digest)?;
        let shown = format!("{}@{}", display(r), d.digest);
        if d.size > crate::artifact::wasm::MAX_MODULE_BYTES as u64 * 2 {
            return Err(NetError::new(
                &shown,
                format!("the layer is {} bytes", d.size),
                "Istio refuses modules over 256 MiB",
            ));
        }
        let url = format!("{}/blobs/{}", self.base(r), d.digest);
        let reply = self.registry(r, false, Request::get(url)).await?;
        if !reply.status.is_success() {
            return Err(status_error(&shown, &reply));
        }
        let got = digest_of(&reply.body);
        if got != d.digest {
            return Err(NetError::new(
                &shown,
                format!(
                    "the downloaded layer hashes to {got}, not {} (wrong bytes)",
                    d.digest
                ),
                "retry; if it persists, the registry's storage is corrupt: push the image again",
            ));
        }
        Ok(reply.body)
    }

    /// Push `img` as `r`'s tag; returns the digest the registry reports (checked against ours).
    pub async fn push(&self, r: &OciRef, img: &BuiltImage) -> Result<String, NetError> {
        for blob in [&img.config, &img.layer] {
            self.upload(r, blob).await?;
        }
        let tag = r.tag().ok_or_else(|| {
            NetError::new(
                &display(r),
                "no tag to push to",
                "write oci://HOST/REPO:TAG",
            )
        })?;
        self.put_manifest(r, tag, media::OCI_MANIFEST, &img.manifest)
            .await
    }

    /// Store `bytes` as the manifest `reference` (tag or digest) of `r`'s repository. The registry
    /// must keep the bytes as they are: its digest is checked against ours.
    pub async fn put_manifest(
        &self,
        r: &OciRef,
        reference: &str,
        media_type: &str,
        bytes: &[u8],
    ) -> Result<String, NetError> {
        let shown = display(r);
        let url = format!("{}/manifests/{reference}", self.base(r));
        let mut req = Request::get(url).header("content-type", media_type);
        req.method = Method::PUT;
        req.body = Some(bytes.to_vec());
        let reply = self.registry(r, true, req).await?;
        if !reply.status.is_success() {
            return Err(status_error(&shown, &reply));
        }
        let ours = digest_of(bytes);
        match reply.header("docker-content-digest") {
            Some(theirs) if theirs != ours => Err(NetError::new(
                &shown,
                format!("the registry stored the manifest as {theirs}, not {ours}"),
                "the registry rewrote the manifest; Istio would see a different digest",
            )),
            _ => Ok(ours),
        }
    }

    /// Upload a blob unless the repository has it already.
    pub async fn upload(&self, r: &OciRef, blob: &[u8]) -> Result<(), NetError> {
        let digest = digest_of(blob);
        let shown = format!("{}@{digest}", display(r));
        let mut head = Request::get(format!("{}/blobs/{digest}", self.base(r)));
        head.method = Method::HEAD;
        if self.registry(r, true, head).await?.status.is_success() {
            return Ok(());
        }
        let mut start = Request::get(format!("{}/blobs/uploads/", self.base(r)));
        start.method = Method::POST;
        start.body = Some(Vec::new());
        let reply = self.registry(r, true, start).await?;
        if reply.status != 202 {
            return Err(status_error(&shown, &reply));
        }
        let location = reply.header("location").ok_or_else(|| {
            NetError::new(
                &shown,
                "the registry started an upload without a Location",
                "the registry is not OCI-distribution compliant",
            )
        })?;
        let mut url = reqwest::Url::parse(&reply.final_url)
            .and_then(|base| base.join(location))
            .map_err(|e| {
                NetError::new(
                    &shown,
                    format!("bad upload location: {e}"),
                    "the registry is not OCI-distribution compliant",
                )
            })?;
        url.query_pairs_mut().append_pair("digest", &digest);
        let mut put = Request::get(url.as_str()).header("content-type", "application/octet-stream");
        put.method = Method::PUT;
        put.body = Some(blob.to_vec());
        let reply = self.registry(r, true, put).await?;
        if !reply.status.is_success() {
            return Err(status_error(&shown, &reply));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::artifact::registry::Settings;

    /// Which url and scope each reference is fetched with (no request is sent).
    #[test]
    fn docker_hub_references_go_to_registry_1() {
        let s = Settings::default();
        for (reference, base, pull) in [
            (
                "acme/hello:1.0",
                "https://registry-1.docker.io/v2/acme/hello",
                "repository:acme/hello:pull",
            ),
            (
                "my-registry/tetrate/hello-world:v1",
                "https://registry-1.docker.io/v2/my-registry/tetrate/hello-world",
                "repository:my-registry/tetrate/hello-world:pull",
            ),
            (
                "nginx",
                "https://registry-1.docker.io/v2/library/nginx",
                "repository:library/nginx:pull",
            ),
            (
                "docker.io/nginx:1",
                "https://registry-1.docker.io/v2/library/nginx",
                "repository:library/nginx:pull",
            ),
            (
                "index.docker.io/acme/x:1",
                "https://registry-1.docker.io/v2/acme/x",
                "repository:acme/x:pull",
            ),
            (
                "ghcr.io/a/b:1",
                "https://ghcr.io/v2/a/b",
                "repository:a/b:pull",
            ),
            (
                "localhost/x:1",
                "http://localhost/v2/x",
                "repository:x:pull",
            ),
            (
                "127.0.0.1:5000/a/b:1",
                "http://127.0.0.1:5000/v2/a/b",
                "repository:a/b:pull",
            ),
            (
                "host:5000/x:1",
                "https://host:5000/v2/x",
                "repository:x:pull",
            ),
        ] {
            let r = OciRef::parse(reference).unwrap();
            assert_eq!(base_url(&s, &r), base, "{reference}");
            assert_eq!(scope(&r, false), pull, "{reference}");
        }
        let r = OciRef::parse("acme/hello:1.0").unwrap();
        assert_eq!(scope(&r, true), "repository:acme/hello:pull,push");
        assert_eq!(display(&r), "oci://acme/hello:1.0");
    }
}
