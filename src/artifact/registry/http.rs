//! Modules published at http(s) urls.

use super::Client;
use super::error::NetError;
use super::transport::{Request, status_error};

impl Client {
    /// Download `url` (https, or http to loopback and insecure hosts only).
    pub async fn download(&self, url: &str) -> Result<Vec<u8>, NetError> {
        let parsed = reqwest::Url::parse(url).map_err(|e| {
            NetError::new(url, format!("invalid url: {e}"), "write https://HOST/PATH")
        })?;
        let host = super::settings::authority(&parsed);
        if parsed.scheme() == "http" && !self.transport.settings.allows_http(&host) {
            return Err(NetError::new(
                url,
                "plain http is only used for loopback hosts and hosts listed as insecure",
                format!(
                    "publish the module over https, or add `{{host: {host}, insecure: true}}` to spec.registries in meshplug.yaml"
                ),
            ));
        }
        let reply = self.transport.send(&Request::get(url)).await?;
        if !reply.status.is_success() {
            return Err(status_error(url, &reply));
        }
        Ok(reply.body)
    }
}
