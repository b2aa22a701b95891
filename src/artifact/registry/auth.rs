//! Registry authentication: anonymous first, then whatever the 401 challenge asks for: Basic
//! with the docker config's credentials, or a Bearer token from the challenge's realm.
//! Credentials and tokens live only in memory and never appear in messages.

use super::error::NetError;
use super::transport::{Reply, Request, Transport, status_error};
use base64::Engine;
use std::collections::HashMap;
use tokio::sync::Mutex;

/// A username and password (or token) for a registry host.
#[derive(Clone)]
pub struct Credentials {
    user: String,
    secret: String,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Credentials(***)")
    }
}

impl Credentials {
    /// Credentials from a user and password.
    pub fn new(user: impl Into<String>, secret: impl Into<String>) -> Credentials {
        Credentials {
            user: user.into(),
            secret: secret.into(),
        }
    }

    fn basic(&self) -> String {
        let raw = format!("{}:{}", self.user, self.secret);
        format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(raw)
        )
    }
}

/// The key docker uses for `host` in config.json.
fn docker_key(host: &str) -> &str {
    match host {
        "docker.io" | "index.docker.io" | "registry-1.docker.io" => "https://index.docker.io/v1/",
        h => h,
    }
}

/// The command that logs in to `host` (`docker login` alone for Docker Hub).
fn login_command(host: &str) -> String {
    if docker_key(host) == host {
        format!("docker login {host}")
    } else {
        "docker login".to_string()
    }
}

/// Credentials for `host` from docker's config.json (`$DOCKER_CONFIG` or `~/.docker`): `auths`,
/// `credHelpers` or `credsStore`. `Ok(None)` when none are configured.
pub fn docker_credentials(host: &str) -> Result<Option<Credentials>, NetError> {
    use docker_credential::{CredentialRetrievalError as E, DockerCredential};
    match docker_credential::get_credential(docker_key(host)) {
        Ok(DockerCredential::UsernamePassword(u, p)) => Ok(Some(Credentials::new(u, p))),
        Ok(DockerCredential::IdentityToken(_)) => Err(NetError::new(
            host,
            "the docker config holds an identity (OAuth refresh) token for this registry, which meshplug cannot exchange",
            "log in with a username and password or access token (`docker login -u USER HOST`)",
        )),
        Err(E::NoCredentialConfigured | E::ConfigNotFound | E::ConfigReadError) => Ok(None),
        Err(E::HelperFailure { helper, .. }) => Err(NetError::new(
            host,
            format!("the docker credential helper `docker-credential-{helper}` failed"),
            "run `docker login HOST` again, or check the helper",
        )),
        Err(e) => Err(NetError::new(
            host,
            format!("cannot read the docker credentials: {e}"),
            "fix $DOCKER_CONFIG/config.json",
        )),
    }
}

/// A parsed `WWW-Authenticate` challenge.
#[derive(Debug, PartialEq, Eq)]
pub enum Challenge {
    /// HTTP Basic.
    Basic,
    /// Token auth: fetch a token from `realm`.
    Bearer {
        /// Token endpoint.
        realm: String,
        /// `service` parameter.
        service: Option<String>,
        /// `scope` parameter.
        scope: Option<String>,
    },
}

/// Parse a challenge header.
pub fn parse_challenge(header: &str) -> Option<Challenge> {
    let (scheme, params) = header.trim().split_once(' ').unwrap_or((header.trim(), ""));
    if scheme.eq_ignore_ascii_case("basic") {
        return Some(Challenge::Basic);
    }
    if !scheme.eq_ignore_ascii_case("bearer") {
        return None;
    }
    let mut map = HashMap::new();
    let mut rest = params.trim();
    // Each pass consumes at least the key, so this ends.
    while let Some((key, after)) = rest.split_once('=') {
        let key = key
            .trim()
            .trim_start_matches(',')
            .trim()
            .to_ascii_lowercase();
        let after = after.trim_start();
        let (value, next) = if let Some(q) = after.strip_prefix('"') {
            let end = q.find('"').unwrap_or(q.len());
            (&q[..end], q.get(end + 1..).unwrap_or(""))
        } else {
            let end = after.find(',').unwrap_or(after.len());
            (&after[..end], &after[end..])
        };
        map.insert(key, value.to_string());
        rest = next.trim_start_matches(|c: char| c == ',' || c.is_whitespace());
    }
    Some(Challenge::Bearer {
        realm: map.remove("realm")?,
        service: map.remove("service"),
        scope: map.remove("scope"),
    })
}

/// Per-host authorization, learned once and reused by every request of the run.
#[derive(Default)]
pub struct Authorizer {
    headers: Mutex<HashMap<(String, String), String>>,
    creds: Mutex<HashMap<String, Option<Credentials>>>,
    explicit: HashMap<String, Credentials>,
}

impl Authorizer {
    /// Use `creds` for `host` instead of the docker config.
    pub fn with(mut self, host: &str, creds: Credentials) -> Authorizer {
        self.explicit.insert(host.to_string(), creds);
        self
    }

    async fn credentials(&self, host: &str) -> Result<Option<Credentials>, NetError> {
        if let Some(c) = self.explicit.get(host) {
            return Ok(Some(c.clone()));
        }
        let mut cache = self.creds.lock().await;
        if let Some(c) = cache.get(host) {
            return Ok(c.clone());
        }
        let c = docker_credentials(host)?;
        cache.insert(host.to_string(), c.clone());
        Ok(c)
    }

    /// Send `req` to registry `host` for `scope` (`repository:NAME:pull`), answering an auth
    /// challenge once.
    pub async fn send(
        &self,
        t: &Transport,
        host: &str,
        scope: &str,
        req: Request,
    ) -> Result<Reply, NetError> {
        // Credentials are for the registry host only: a request the registry sends elsewhere
        // (an upload Location on another host) goes without them.
        if !reqwest::Url::parse(&req.url).is_ok_and(|u| same_authority(&u, host)) {
            return t.send(&req).await;
        }
        let key = (host.to_string(), scope.to_string());
        let known = self.headers.lock().await.get(&key).cloned();
        let first = match &known {
            Some(h) => {
                t.send(&req.clone().header("authorization", h.clone()))
                    .await?
            }
            None => t.send(&req).await?,
        };
        if first.status != 401 {
            return Ok(first);
        }
        let challenge = first.header("www-authenticate").and_then(parse_challenge);
        let creds = self.credentials(host).await?;
        let header = match challenge {
            Some(Challenge::Basic) => match &creds {
                Some(c) => c.basic(),
                None => return Err(no_credentials(&req.url, host)),
            },
            Some(Challenge::Bearer {
                realm,
                service,
                scope: asked,
            }) => {
                self.token(
                    t,
                    host,
                    &realm,
                    service.as_deref(),
                    asked.as_deref().unwrap_or(scope),
                    creds.as_ref(),
                )
                .await?
            }
            None => return Err(status_error(&req.url, &first)),
        };
        let second = t
            .send(&req.clone().header("authorization", header.clone()))
            .await?;
        if second.status == 401 {
            return Err(if creds.is_some() {
                NetError::new(
                    &req.url,
                    "the registry rejected the credentials (401)",
                    format!("check the login for {host} (`{}`)", login_command(host)),
                )
            } else {
                no_credentials(&req.url, host)
            });
        }
        self.headers.lock().await.insert(key, header);
        Ok(second)
    }

    async fn token(
        &self,
        t: &Transport,
        host: &str,
        realm: &str,
        service: Option<&str>,
        scope: &str,
        creds: Option<&Credentials>,
    ) -> Result<String, NetError> {
        let realm_host = realm
            .split_once("://")
            .map_or("", |(_, r)| r.split('/').next().unwrap_or(""));
        if !(realm.starts_with("https://")
            || (realm.starts_with("http://") && t.settings.allows_http(realm_host)))
        {
            return Err(NetError::new(
                realm,
                "the registry's token realm is not an https url",
                "ask the registry operator to serve the token endpoint over https, or list its host as insecure",
            ));
        }
        let mut url = reqwest::Url::parse(realm).map_err(|e| {
            NetError::new(
                realm,
                format!("invalid token realm: {e}"),
                "the registry's WWW-Authenticate header is malformed",
            )
        })?;
        {
            let mut q = url.query_pairs_mut();
            if let Some(s) = service {
                q.append_pair("service", s);
            }
            q.append_pair("scope", scope);
        }
        let mut req = Request::get(url.as_str());
        if let Some(c) = creds {
            req = req.header("authorization", c.basic());
        }
        let reply = t.send(&req).await?;
        if reply.status == 401 || reply.status == 403 {
            return Err(if creds.is_some() {
                NetError::new(
                    realm,
                    format!(
                        "the token endpoint rejected the credentials ({})",
                        reply.status
                    ),
                    format!("check the login for {host} (`{}`)", login_command(host)),
                )
            } else {
                no_credentials(realm, host)
            });
        }
        if !reply.status.is_success() {
            return Err(status_error(realm, &reply));
        }
        let v: serde_json::Value = serde_json::from_slice(&reply.body).map_err(|_| {
            NetError::new(
                realm,
                "the token endpoint did not answer JSON",
                "check the registry's token service",
            )
        })?;
        let token = v
            .get("token")
            .or_else(|| v.get("access_token"))
            .and_then(|t| t.as_str())
            .filter(|t| !t.is_empty());
        token.map(|tk| format!("Bearer {tk}")).ok_or_else(|| {
            NetError::new(
                realm,
                "the token endpoint answered without a token",
                "check the registry's token service",
            )
        })
    }
}

/// Whether `url` is on the registry `host` (`name[:port]`): names compared without case, a
/// missing port being the scheme's default.
fn same_authority(url: &reqwest::Url, host: &str) -> bool {
    let (name, port) = match host.rsplit_once(':') {
        // `[::1]:5000` or `name:5000`; not the inside of a bare `[::1]`.
        Some((n, p)) if !n.starts_with('[') || n.ends_with(']') => match p.parse::<u16>() {
            Ok(p) => (n, Some(p)),
            Err(_) => (host, None),
        },
        _ => (host, None),
    };
    let bare = |h: &str| {
        h.trim_start_matches('[')
            .trim_end_matches(']')
            .to_ascii_lowercase()
    };
    let default = match url.scheme() {
        "https" => Some(443),
        "http" => Some(80),
        _ => None,
    };
    url.host_str().is_some_and(|h| bare(h) == bare(name))
        && url.port_or_known_default() == port.or(default)
}

fn no_credentials(url: &str, host: &str) -> NetError {
    NetError::new(
        url,
        "the registry requires authentication and no credentials are configured for it",
        format!(
            "run `{}` or add an `auths` entry for `{}` to $DOCKER_CONFIG/config.json",
            login_command(host),
            docker_key(host)
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn challenges() {
        assert_eq!(
            parse_challenge(r#"Basic realm="x""#),
            Some(Challenge::Basic)
        );
        assert_eq!(
            parse_challenge(
                r#"Bearer realm="http://127.0.0.1:1/token",service="reg",scope="repository:a/b:pull repository:a/b:push""#
            ),
            Some(Challenge::Bearer {
                realm: "http://127.0.0.1:1/token".into(),
                service: Some("reg".into()),
                scope: Some("repository:a/b:pull repository:a/b:push".into()),
            })
        );
        assert_eq!(parse_challenge("Bearer service=x"), None);
        assert_eq!(parse_challenge("Negotiate"), None);
        assert!(!format!("{:?}", Credentials::new("u", "secret")).contains("secret"));
    }

    #[test]
    fn docker_hub_logins() {
        for hub in ["docker.io", "index.docker.io", "registry-1.docker.io"] {
            assert_eq!(login_command(hub), "docker login");
            assert_eq!(docker_key(hub), "https://index.docker.io/v1/");
        }
        assert_eq!(login_command("ghcr.io"), "docker login ghcr.io");
    }

    #[test]
    fn credentials_stay_on_their_host() {
        for (url, host, same) in [
            ("https://reg.example/v2/x", "reg.example", true),
            ("https://REG.example/v2/x", "reg.Example", true),
            ("https://reg.example/v2/x", "reg.example:443", true),
            ("http://127.0.0.1:5000/v2/", "127.0.0.1:5000", true),
            ("http://[::1]:5000/v2/", "[::1]:5000", true),
            ("http://127.0.0.1:5001/v2/", "127.0.0.1:5000", false),
            ("http://localhost:5000/up", "127.0.0.1:5000", false),
            ("https://storage.example/up", "reg.example", false),
            ("https://reg.example.evil/x", "reg.example", false),
            ("https://reg.example:8443/x", "reg.example", false),
        ] {
            let u = reqwest::Url::parse(url).unwrap();
            assert_eq!(same_authority(&u, host), same, "{url} vs {host}");
        }
    }
}
