//! One HTTP client per run (connections are reused), requests with retries and backoff for
//! transient failures inside a total deadline, and bodies read whole with a size limit.

use super::error::NetError;
use super::settings::Settings;
use reqwest::header::{HeaderMap, HeaderValue};
use reqwest::{Method, StatusCode};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// Longest wait for one response.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);
/// Largest body accepted: Istio's module limit plus room for a layer's wrapping.
pub const MAX_BODY: usize = crate::artifact::wasm::MAX_MODULE_BYTES + (16 << 20);

/// A complete response.
#[derive(Debug)]
pub struct Reply {
    /// Status code.
    pub status: StatusCode,
    /// Headers.
    pub headers: HeaderMap,
    /// The whole body.
    pub body: Vec<u8>,
    /// The url that answered (after redirects).
    pub final_url: String,
}

impl Reply {
    /// A header as text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// One request to send (possibly several times).
#[derive(Debug, Clone)]
pub struct Request {
    /// Method.
    pub method: Method,
    /// Full url.
    pub url: String,
    /// Extra headers (Accept, Authorization, Content-Type).
    pub headers: Vec<(&'static str, String)>,
    /// Body.
    pub body: Option<Vec<u8>>,
}

impl Request {
    /// A GET of `url`.
    pub fn get(url: impl Into<String>) -> Request {
        Request {
            method: Method::GET,
            url: url.into(),
            headers: Vec::new(),
            body: None,
        }
    }

    /// Add a header.
    pub fn header(mut self, name: &'static str, value: impl Into<String>) -> Request {
        self.headers.push((name, value.into()));
        self
    }
}

/// The HTTP side of a run: client, settings, deadline and a request counter.
pub struct Transport {
    client: reqwest::Client,
    /// Settings of the run.
    pub settings: Settings,
    deadline: Instant,
    sent: AtomicUsize,
}

/// Install the ring crypto provider for rustls (once per process).
pub fn install_crypto() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

impl Transport {
    /// Build the client: system roots plus the configured CA files, TLS verification on.
    pub fn new(settings: Settings) -> Result<Transport, NetError> {
        install_crypto();
        let mut certs = Vec::new();
        for path in &settings.ca_files {
            let shown = path.display().to_string();
            let pem = std::fs::read(path).map_err(|e| {
                NetError::new(
                    &shown,
                    format!("cannot read the CA file: {e}"),
                    "fix the path of caFile in spec.registries or --ca-file",
                )
            })?;
            let found = reqwest::Certificate::from_pem_bundle(&pem).map_err(|e| {
                NetError::new(
                    &shown,
                    format!("not a PEM certificate bundle: {e}"),
                    "give a PEM file with one or more CA certificates",
                )
            })?;
            if found.is_empty() {
                return Err(NetError::new(
                    &shown,
                    "holds no certificate",
                    "give a PEM file with one or more CA certificates",
                ));
            }
            certs.extend(found);
        }
        let client = reqwest::Client::builder()
            .user_agent(concat!("meshplug/", env!("CARGO_PKG_VERSION")))
            .tls_certs_merge(certs)
            .connect_timeout(Duration::from_secs(10))
            .pool_max_idle_per_host(64)
            .redirect(redirect_policy(settings.clone()))
            .build()
            .map_err(|e| {
                NetError::new(
                    "TLS",
                    format!("cannot set up the HTTP client: {e}"),
                    "check the CA files",
                )
            })?;
        let deadline = Instant::now() + settings.deadline;
        Ok(Transport {
            client,
            settings,
            deadline,
            sent: AtomicUsize::new(0),
        })
    }

    /// How many HTTP requests were sent so far.
    pub fn requests_sent(&self) -> usize {
        self.sent.load(Ordering::Relaxed)
    }

    /// Send `req`, retrying 5xx/429, connection resets, timeouts and cut-off bodies with
    /// exponential backoff, never past the run's deadline.
    pub async fn send(&self, req: &Request) -> Result<Reply, NetError> {
        let mut last = None;
        let mut tried = 0;
        for attempt in 0..self.settings.attempts.max(1) {
            let left = self.deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break;
            }
            tried += 1;
            match self.once(req, left.min(REQUEST_TIMEOUT)).await {
                Ok(reply)
                    if reply.status.is_server_error()
                        || reply.status == StatusCode::TOO_MANY_REQUESTS =>
                {
                    let wait = retry_after(&reply).unwrap_or_else(|| backoff(attempt));
                    last = Some(status_error(&req.url, &reply));
                    self.pause(wait).await;
                }
                Ok(reply) => return Ok(reply),
                Err(Failure::Fatal(e)) => return Err(e),
                Err(Failure::Transient(e)) => {
                    last = Some(e);
                    self.pause(backoff(attempt)).await;
                }
            }
        }
        Err(match last {
            Some(mut e) => {
                let deadline = if Instant::now() >= self.deadline {
                    format!(", the {:?} deadline passed", self.settings.deadline)
                } else {
                    String::new()
                };
                e.message = format!("{} (gave up after {tried} attempt(s){deadline})", e.message);
                e
            }
            None => NetError::new(
                &req.url,
                format!("the deadline of {:?} passed", self.settings.deadline),
                "raise --timeout, or check that the server answers",
            ),
        })
    }

    async fn pause(&self, wait: Duration) {
        let left = self.deadline.saturating_duration_since(Instant::now());
        tokio::time::sleep(wait.min(left)).await;
    }

    async fn once(&self, req: &Request, timeout: Duration) -> Result<Reply, Failure> {
        self.sent.fetch_add(1, Ordering::Relaxed);
        let mut builder = self
            .client
            .request(req.method.clone(), &req.url)
            .timeout(timeout);
        for (name, value) in &req.headers {
            let mut v = HeaderValue::from_str(value).map_err(|_| {
                Failure::Fatal(NetError::new(
                    &req.url,
                    format!("invalid {name} header value"),
                    "check the credentials for this registry",
                ))
            })?;
            if *name == "authorization" {
                v.set_sensitive(true);
            }
            builder = builder.header(*name, v);
        }
        if let Some(body) = &req.body {
            builder = builder.body(body.clone());
        }
        let mut resp = builder.send().await.map_err(|e| classify(&req.url, &e))?;
        let status = resp.status();
        let headers = resp.headers().clone();
        let final_url = resp.url().to_string();
        if resp.content_length().is_some_and(|n| n > MAX_BODY as u64) {
            return Err(Failure::Fatal(too_big(&req.url)));
        }
        let mut body = Vec::new();
        // Each chunk is non-empty, and the size limit bounds the loop.
        while let Some(chunk) = resp.chunk().await.map_err(|e| classify(&req.url, &e))? {
            body.extend_from_slice(&chunk);
            if body.len() > MAX_BODY {
                return Err(Failure::Fatal(too_big(&req.url)));
            }
        }
        if let Some(n) = headers
            .get("content-length")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<usize>().ok())
            && n != body.len()
            && req.method != Method::HEAD
        {
            return Err(Failure::Transient(NetError::new(
                &req.url,
                format!("truncated response: {} of {n} bytes arrived", body.len()),
                "retry later; if it persists the server or a proxy cuts the connection",
            )));
        }
        Ok(Reply {
            status,
            headers,
            body,
            final_url,
        })
    }
}

/// Follow at most 5 redirects, and never to plain http unless the target host may be reached
/// over http (loopback, or listed as insecure): a redirect must not turn off TLS. reqwest drops
/// the Authorization header whenever a redirect changes host, port or scheme.
fn redirect_policy(settings: Settings) -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(move |attempt| {
        if attempt.previous().len() >= 5 {
            return attempt.error("too many redirects (more than 5)");
        }
        let url = attempt.url();
        let host = super::settings::authority(url);
        let scheme = url.scheme().to_string();
        match scheme.as_str() {
            "https" => attempt.follow(),
            "http" if settings.allows_http(&host) => attempt.follow(),
            other => {
                let message = format!(
                    "refused a redirect to {}: {} is not https, and {host} is neither loopback nor listed as insecure",
                    crate::model::url::redact(url.as_str()),
                    if other == "http" { "plain http" } else { other }
                );
                attempt.error(message)
            }
        }
    })
}

enum Failure {
    Transient(NetError),
    Fatal(NetError),
}

fn too_big(url: &str) -> NetError {
    NetError::new(
        url,
        format!("the response is larger than {} MiB", MAX_BODY >> 20),
        "Istio refuses modules over 256 MiB; make the module smaller",
    )
}

fn backoff(attempt: u32) -> Duration {
    Duration::from_millis(100u64 << attempt.min(5))
}

fn retry_after(reply: &Reply) -> Option<Duration> {
    let secs: u64 = reply.header("retry-after")?.trim().parse().ok()?;
    Some(Duration::from_secs(secs.min(5)))
}

/// An error for an unexpected status, with the registry's error code when it sent one.
pub fn status_error(url: &str, reply: &Reply) -> NetError {
    let detail = serde_json::from_slice::<serde_json::Value>(&reply.body)
        .ok()
        .and_then(|v| {
            let e = v.get("errors")?.get(0)?;
            Some(format!(
                ": {} {}",
                e.get("code")?.as_str()?,
                e.get("message").and_then(|m| m.as_str()).unwrap_or("")
            ))
        })
        .unwrap_or_default();
    let status = reply.status;
    let help = match status.as_u16() {
        401 => {
            "log in (`docker login HOST`, or an `auths` entry in $DOCKER_CONFIG/config.json) with an account that may pull it"
        }
        403 => "the account has no access to this repository; ask its owner for pull rights",
        404 => {
            "check the repository and tag (or digest); `meshplug inspect URL` shows what the registry has"
        }
        429 => "the server rate-limits; retry later or lower --jobs",
        500..=599 => "the server failed; retry later",
        _ => "check the url",
    };
    NetError::new(
        url,
        format!("the server answered {status}{}", detail.trim_end()),
        help,
    )
}

fn classify(url: &str, e: &reqwest::Error) -> Failure {
    let mut chain = String::new();
    let mut source: Option<&dyn std::error::Error> = Some(e);
    // Error chains are short; bound the walk anyway.
    for _ in 0..16 {
        let Some(s) = source else { break };
        chain.push_str(&s.to_string());
        chain.push_str(": ");
        source = s.source();
    }
    let lower = chain.to_lowercase();
    if lower.contains("certificate")
        || lower.contains("unknownissuer")
        || lower.contains("invalid peer")
    {
        return Failure::Fatal(NetError::new(
            url,
            format!("TLS verification failed: {}", chain.trim_end_matches(": ")),
            "trust the registry's CA with `caFile` in spec.registries of meshplug.yaml (or --ca-file); verification is never turned off",
        ));
    }
    if e.is_redirect() {
        return Failure::Fatal(NetError::new(
            url,
            chain
                .find("refused a redirect")
                .map_or("too many redirects (more than 5)", |i| {
                    chain[i..].trim_end_matches(": ")
                })
                .to_string(),
            "fix the url to point at the final location, served over https",
        ));
    }
    if lower.contains("invalid http version")
        || lower.contains("wrong version number")
        || lower.contains("corrupt message")
        || lower.contains("invaliddata")
    {
        return Failure::Fatal(NetError::new(
            url,
            format!("protocol mismatch: {}", chain.trim_end_matches(": ")),
            "the server speaks https but http was used (or the reverse): set `insecure` for this host in spec.registries accordingly",
        ));
    }
    let what = if e.is_timeout() {
        "timed out"
    } else if e.is_connect() {
        "cannot connect"
    } else if e.is_body() || e.is_decode() {
        "the connection broke while reading the body (truncated response)"
    } else {
        "request failed"
    };
    Failure::Transient(NetError::new(
        url,
        format!("{what}: {}", chain.trim_end_matches(": ")),
        "check the url and that the server is reachable; retry later",
    ))
}
