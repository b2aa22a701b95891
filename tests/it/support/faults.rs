//! A fault-injecting HTTP/1.1 server on 127.0.0.1 for module downloads and fake registries.
//!
//! Download paths (`NAME` is served from the files given):
//! - `/ok/NAME`; `/500/NAME`; `/storm/NAME` (503 on every request); `/flaky/NAME` (503 twice,
//!   then 200); `/hang/NAME` (no answer until stopped, at most 30 s); `/reset/NAME` (the
//!   connection is reset before any answer); `/slow/NAME` (the body in 8 pieces 150 ms apart);
//!   `/stall/NAME` (half the body, then silence until stopped); `/truncate/NAME` (half the promised
//!   bytes, then close); `/wrong/NAME` (a byte flipped); `/redirect/NAME` (302 to `/ok/NAME`);
//!   `/redirect-peer/NAME` (302 to `/sink/NAME` on the peer server, another host name);
//!   `/redirect-plain/NAME` (302 to a plain-http url of a host that is not loopback).
//!
//! Registry paths (`/v2/REPO/...`), by repository name:
//! - `x`: a manifest whose Docker-Content-Digest does not match its bytes.
//! - `good`: the compat image of the file `m.wasm` (manifest and blob, digests right).
//! - `wrongblob`: the same manifest, but the blob's bytes differ from its digest.
//! - `auth`: like `good`, but every request needs the HTTP Basic credentials set with
//!   [`FaultServer::require_basic`]; the blob is a 302 to `/sink/layer` on the peer server.
//! - `storm`: 503 on every request.
//! - `push`: accepts a push (with the same credentials); uploads are sent (Location) to
//!   `/sink/upload` on the peer server.
//! - `token`: like `good`, but every request needs the Bearer token set with
//!   [`FaultServer::issue_token`]; the challenge names the realm `/token` on this server, which
//!   hands the token out for the Basic credentials of [`FaultServer::require_basic`].
//!
//! Every request's path and `Authorization` header are recorded.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// One request as the server saw it.
#[derive(Debug, Clone)]
pub struct Seen {
    /// Method.
    pub method: String,
    /// Path and query.
    pub path: String,
    /// The Authorization header, if any.
    pub authorization: Option<String>,
}

struct State {
    files: HashMap<String, Vec<u8>>,
    hits: Mutex<HashMap<String, usize>>,
    seen: Mutex<Vec<Seen>>,
    /// `HOST:PORT` of the peer server redirects go to.
    peer: Mutex<Option<String>>,
    /// Basic credentials (`base64(user:pass)`) the `auth` repository and `/token` want.
    basic: Mutex<Option<String>>,
    /// The Bearer token `/token` hands out and the `token` repository wants.
    token: Mutex<Option<String>>,
    /// `127.0.0.1:PORT` of this server, for the token realm.
    host: String,
    stop: AtomicBool,
}

/// The running server; stopped when dropped.
pub struct FaultServer {
    /// `127.0.0.1:PORT`.
    pub host: String,
    state: Arc<State>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl FaultServer {
    /// Serve `files` (name → bytes).
    pub fn start(files: HashMap<String, Vec<u8>>) -> FaultServer {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let host = listener.local_addr().unwrap().to_string();
        let state = Arc::new(State {
            files,
            hits: Mutex::new(HashMap::new()),
            seen: Mutex::new(Vec::new()),
            peer: Mutex::new(None),
            basic: Mutex::new(None),
            token: Mutex::new(None),
            host: host.clone(),
            stop: AtomicBool::new(false),
        });
        let s = state.clone();
        let thread = std::thread::spawn(move || {
            for conn in listener.incoming() {
                if s.stop.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(conn) = conn else { continue };
                let s = s.clone();
                std::thread::spawn(move || serve(conn, &s));
            }
        });
        FaultServer {
            host,
            state,
            thread: Some(thread),
        }
    }

    /// `http://HOST/PATH`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}/{path}", self.host)
    }

    /// Requests seen for `path`.
    pub fn hits(&self, path: &str) -> usize {
        self.state
            .hits
            .lock()
            .unwrap()
            .get(path)
            .copied()
            .unwrap_or(0)
    }

    /// Every request seen so far.
    pub fn seen(&self) -> Vec<Seen> {
        self.state.seen.lock().unwrap().clone()
    }

    /// Send redirects to `peer` (`HOST:PORT`).
    pub fn set_peer(&self, peer: &str) {
        *self.state.peer.lock().unwrap() = Some(peer.to_string());
    }

    /// Require Basic credentials `user:pass` on the `auth` repository.
    pub fn require_basic(&self, user: &str, pass: &str) {
        use base64::Engine;
        let b = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{pass}"));
        *self.state.basic.lock().unwrap() = Some(b);
    }

    /// Hand out `token` at `/token` (for the Basic credentials) and require it on `token`.
    pub fn issue_token(&self, token: &str) {
        *self.state.token.lock().unwrap() = Some(token.to_string());
    }
}

impl Drop for FaultServer {
    fn drop(&mut self) {
        self.state.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(&self.host);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Reset the connection (RST, not FIN) when it is dropped.
fn reset_on_close(conn: &TcpStream) {
    use std::os::fd::AsRawFd;
    let linger = libc::linger {
        l_onoff: 1,
        l_linger: 0,
    };
    // SAFETY: a valid socket and a correctly sized option value.
    unsafe {
        libc::setsockopt(
            conn.as_raw_fd(),
            libc::SOL_SOCKET,
            libc::SO_LINGER,
            (&linger as *const libc::linger).cast(),
            std::mem::size_of::<libc::linger>() as libc::socklen_t,
        );
    }
}

/// A 200 status line and headers promising `len` bytes of body.
fn promise(conn: &mut TcpStream, len: usize) {
    let _ = write!(
        conn,
        "HTTP/1.1 200 OK\r\nContent-Length: {len}\r\nConnection: close\r\n\r\n"
    );
}

fn reply(conn: &mut TcpStream, status: &str, headers: &str, body: &[u8]) {
    let _ = write!(
        conn,
        "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n{headers}\r\n",
        body.len()
    );
    let _ = conn.write_all(body);
}

/// Wait until the server stops, at most 30 s.
fn idle(stop: &AtomicBool) {
    let until = Instant::now() + Duration::from_secs(30);
    while Instant::now() < until && !stop.load(Ordering::SeqCst) {
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn serve(mut conn: TcpStream, s: &State) {
    let _ = conn.set_read_timeout(Some(Duration::from_secs(5)));
    let mut reader = BufReader::new(conn.try_clone().unwrap());
    // One request per connection is enough for these tests (Connection: close).
    let mut line = String::new();
    if reader.read_line(&mut line).is_err() {
        return;
    }
    let mut authorization = None;
    let mut length = 0usize;
    for _ in 0..100 {
        let mut h = String::new();
        if reader.read_line(&mut h).is_err() || h.trim().is_empty() {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            match k.trim().to_ascii_lowercase().as_str() {
                "authorization" => authorization = Some(v.trim().to_string()),
                "content-length" => length = v.trim().parse().unwrap_or(0),
                _ => {}
            }
        }
    }
    // Read (and drop) a request body, at most 16 MiB.
    let mut body = vec![0u8; length.min(16 << 20)];
    let _ = reader.read_exact(&mut body);
    let mut words = line.split_whitespace();
    let method = words.next().unwrap_or("GET").to_string();
    let path = words.next().unwrap_or("/").to_string();
    let n = {
        let mut m = s.hits.lock().unwrap();
        let c = m.entry(path.clone()).or_insert(0);
        *c += 1;
        *c
    };
    s.seen.lock().unwrap().push(Seen {
        method: method.clone(),
        path: path.clone(),
        authorization: authorization.clone(),
    });
    let mut parts = path.trim_start_matches('/').splitn(2, '/');
    let (fault, name) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    if fault == "v2" {
        return registry(&mut conn, s, &method, name, authorization.as_deref(), n);
    }
    if fault.split('?').next() == Some("token") {
        let token = s.token.lock().unwrap().clone().unwrap_or_default();
        return if authorized(s, authorization.as_deref()) {
            reply(
                &mut conn,
                "200 OK",
                "",
                format!(r#"{{"token":"{token}"}}"#).as_bytes(),
            )
        } else {
            reply(&mut conn, "401 Unauthorized", "", b"login required")
        };
    }
    let body = s
        .files
        .get(name.rsplit('/').next().unwrap_or(""))
        .cloned()
        .unwrap_or_default();
    let peer = s.peer.lock().unwrap().clone().unwrap_or_default();
    match fault {
        "ok" | "sink" => reply(&mut conn, "200 OK", "", &body),
        "500" => reply(
            &mut conn,
            "500 Internal Server Error",
            "",
            b"injected fault",
        ),
        "storm" => reply(&mut conn, "503 Service Unavailable", "", b"overloaded"),
        "flaky" if n <= 2 => reply(
            &mut conn,
            "503 Service Unavailable",
            "Retry-After: 0\r\n",
            b"try again",
        ),
        "flaky" => reply(&mut conn, "200 OK", "", &body),
        "hang" => idle(&s.stop),
        "reset" => reset_on_close(&conn),
        "slow" => {
            promise(&mut conn, body.len());
            for piece in body.chunks(body.len().div_ceil(8).max(1)) {
                let _ = conn.write_all(piece);
                let _ = conn.flush();
                std::thread::sleep(Duration::from_millis(150));
            }
        }
        "stall" => {
            promise(&mut conn, body.len());
            let _ = conn.write_all(&body[..body.len() / 2]);
            let _ = conn.flush();
            idle(&s.stop);
        }
        "truncate" => {
            promise(&mut conn, body.len());
            let _ = conn.write_all(&body[..body.len() / 2]);
        }
        "wrong" => {
            let mut b = body.clone();
            if let Some(x) = b.get_mut(9) {
                *x ^= 0xff;
            }
            reply(&mut conn, "200 OK", "", &b);
        }
        "redirect" => reply(
            &mut conn,
            "302 Found",
            &format!("Location: /ok/{name}\r\n"),
            b"",
        ),
        "redirect-peer" => reply(
            &mut conn,
            "302 Found",
            &format!("Location: http://{peer}/sink/{name}\r\n"),
            b"",
        ),
        "redirect-plain" => reply(
            &mut conn,
            "302 Found",
            &format!("Location: http://meshplug-test.invalid/ok/{name}\r\n"),
            b"",
        ),
        _ => reply(&mut conn, "404 Not Found", "", b"no such path"),
    }
}

/// The compat image of `m.wasm`: (manifest bytes, layer bytes).
fn image(s: &State) -> (Vec<u8>, Vec<u8>) {
    let wasm = s.files.get("m.wasm").cloned().unwrap_or_default();
    let img = meshplug::artifact::image::build(&wasm);
    (img.manifest, img.layer)
}

/// Whether `authorization` carries the Basic credentials the server wants (any, when none set).
fn authorized(s: &State, authorization: Option<&str>) -> bool {
    match s.basic.lock().unwrap().as_deref() {
        None => true,
        Some(want) => authorization == Some(format!("Basic {want}").as_str()),
    }
}

/// Whether `authorization` carries the Bearer token the `token` repository wants.
fn bearer(s: &State, authorization: Option<&str>) -> bool {
    let token = s.token.lock().unwrap();
    authorization == Some(format!("Bearer {}", token.as_deref().unwrap_or("")).as_str())
}

fn registry(
    conn: &mut TcpStream,
    s: &State,
    method: &str,
    rest: &str,
    authorization: Option<&str>,
    n: usize,
) {
    let (repo, what) = rest.split_once('/').unwrap_or((rest, ""));
    let (manifest, layer) = image(s);
    let manifest_digest = meshplug::artifact::image::digest_of(&manifest);
    let oci = "Content-Type: application/vnd.oci.image.manifest.v1+json\r\n";
    let peer = s.peer.lock().unwrap().clone().unwrap_or_default();
    match repo {
        "x" => {
            let m = br#"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","layers":[]}"#;
            let claimed = format!("sha256:{}", "ab".repeat(32));
            reply(
                conn,
                "200 OK",
                &format!("{oci}Docker-Content-Digest: {claimed}\r\n"),
                m,
            );
        }
        "storm" => reply(conn, "503 Service Unavailable", "", b"overloaded"),
        "flaky" if n <= 2 => reply(conn, "503 Service Unavailable", "", b"later"),
        "token" if !bearer(s, authorization) => reply(
            conn,
            "401 Unauthorized",
            &format!(
                "WWW-Authenticate: Bearer realm=\"http://{}/token\",service=\"meshplug-test\",scope=\"repository:token:pull\"\r\n",
                s.host
            ),
            br#"{"errors":[{"code":"UNAUTHORIZED","message":"token required"}]}"#,
        ),
        "auth" | "push" if !authorized(s, authorization) => reply(
            conn,
            "401 Unauthorized",
            "WWW-Authenticate: Basic realm=\"meshplug-test\"\r\n",
            br#"{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}"#,
        ),
        "good" | "wrongblob" | "flaky" | "auth" | "token" => {
            if what.starts_with("manifests/") {
                reply(
                    conn,
                    "200 OK",
                    &format!("{oci}Docker-Content-Digest: {manifest_digest}\r\n"),
                    &manifest,
                );
            } else if what.starts_with("blobs/") && repo == "auth" {
                reply(
                    conn,
                    "302 Found",
                    &format!("Location: http://{peer}/sink/layer\r\n"),
                    b"",
                );
            } else if what.starts_with("blobs/") {
                let mut bytes = layer.clone();
                if repo == "wrongblob"
                    && let Some(b) = bytes.get_mut(20)
                {
                    *b ^= 0x01;
                }
                reply(conn, "200 OK", "", &bytes);
            } else {
                reply(conn, "404 Not Found", "", b"");
            }
        }
        "push" => {
            if method == "HEAD" {
                reply(conn, "404 Not Found", "", b"");
            } else if method == "POST" {
                reply(
                    conn,
                    "202 Accepted",
                    &format!("Location: http://{peer}/sink/upload\r\n"),
                    b"",
                );
            } else if what.starts_with("manifests/") {
                reply(conn, "201 Created", "", b"");
            } else {
                reply(conn, "404 Not Found", "", b"");
            }
        }
        _ => reply(conn, "404 Not Found", "", b""),
    }
}
