//! A small OCI distribution client on reqwest: exactly the requests Istio's agent makes
//! (manifest with every Accept type, linux/amd64 index child, blobs), plus push.

mod auth;
mod error;
mod http;
mod oci;
mod settings;
mod transport;

pub use crate::model::url::redact;
pub use auth::{Authorizer, Challenge, Credentials, docker_credentials, parse_challenge};
pub use error::NetError;
pub use oci::Resolved;
pub use settings::{Settings, is_loopback};
pub use transport::{MAX_BODY, Reply, Request, Transport, install_crypto};

/// A client for one run: one connection pool, one token cache.
pub struct Client {
    /// HTTP transport with retries.
    pub transport: Transport,
    /// Registry authorization.
    pub auth: Authorizer,
}

impl Client {
    /// A client with `settings` and the docker config's credentials.
    pub fn new(settings: Settings) -> Result<Client, NetError> {
        Ok(Client {
            transport: Transport::new(settings)?,
            auth: Authorizer::default(),
        })
    }

    /// How many HTTP requests this client sent.
    pub fn requests_sent(&self) -> usize {
        self.transport.requests_sent()
    }
}
