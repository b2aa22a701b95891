//! A fault-injecting HTTP/1.1 server on 127.0.0.1 for module downloads and fake registries.
//!
//! Paths: `/ok/NAME`, `/500/NAME`, `/flaky/NAME` (503 twice, then 200), `/hang/NAME` (no answer
//! until stopped, at most 30 s), `/truncate/NAME` (half the promised bytes), `/wrong/NAME` (a byte
//! flipped), `/redirect/NAME` (302 to `/ok/NAME`), and `/v2/...` answering a manifest whose
//! Docker-Content-Digest does not match its bytes. NAME is served from the files given.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The running server; stopped when dropped.
pub struct FaultServer {
    /// `127.0.0.1:PORT`.
    pub host: String,
    stop: Arc<AtomicBool>,
    /// Requests seen, per path.
    pub hits: Arc<Mutex<HashMap<String, usize>>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl FaultServer {
    /// Serve `files` (name → bytes).
    pub fn start(files: HashMap<String, Vec<u8>>) -> FaultServer {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let host = listener.local_addr().unwrap().to_string();
        let stop = Arc::new(AtomicBool::new(false));
        let hits = Arc::new(Mutex::new(HashMap::new()));
        let (s, h, files) = (stop.clone(), hits.clone(), Arc::new(files));
        let thread = std::thread::spawn(move || {
            for conn in listener.incoming() {
                if s.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(conn) = conn else { continue };
                let (s, h, files) = (s.clone(), h.clone(), files.clone());
                std::thread::spawn(move || serve(conn, &files, &h, &s));
            }
        });
        FaultServer {
            host,
            stop,
            hits,
            thread: Some(thread),
        }
    }

    /// `http://HOST/PATH`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}/{path}", self.host)
    }

    /// Requests seen for `path`.
    pub fn hits(&self, path: &str) -> usize {
        self.hits.lock().unwrap().get(path).copied().unwrap_or(0)
    }
}

impl Drop for FaultServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(&self.host);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn serve(
    mut conn: TcpStream,
    files: &HashMap<String, Vec<u8>>,
    hits: &Mutex<HashMap<String, usize>>,
    stop: &AtomicBool,
) {
    let _ = conn.set_read_timeout(Some(Duration::from_secs(5)));
    let mut reader = BufReader::new(conn.try_clone().unwrap());
    // One request per connection is enough for these tests (Connection: close).
    let mut line = String::new();
    if reader.read_line(&mut line).is_err() {
        return;
    }
    for _ in 0..100 {
        let mut h = String::new();
        if reader.read_line(&mut h).is_err() || h.trim().is_empty() {
            break;
        }
    }
    let path = line.split_whitespace().nth(1).unwrap_or("/").to_string();
    let n = {
        let mut m = hits.lock().unwrap();
        let c = m.entry(path.clone()).or_insert(0);
        *c += 1;
        *c
    };
    let mut parts = path.trim_start_matches('/').splitn(2, '/');
    let (fault, name) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    let body = files
        .get(name.rsplit('/').next().unwrap_or(""))
        .cloned()
        .unwrap_or_default();
    let reply = |conn: &mut TcpStream, status: &str, headers: &str, body: &[u8]| {
        let _ = write!(
            conn,
            "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n{headers}\r\n",
            body.len()
        );
        let _ = conn.write_all(body);
    };
    match fault {
        "ok" => reply(&mut conn, "200 OK", "", &body),
        "500" => reply(
            &mut conn,
            "500 Internal Server Error",
            "",
            b"injected fault",
        ),
        "flaky" if n <= 2 => reply(
            &mut conn,
            "503 Service Unavailable",
            "Retry-After: 0\r\n",
            b"try again",
        ),
        "flaky" => reply(&mut conn, "200 OK", "", &body),
        "hang" => {
            let until = Instant::now() + Duration::from_secs(30);
            while Instant::now() < until && !stop.load(Ordering::SeqCst) {
                std::thread::sleep(Duration::from_millis(50));
            }
        }
        "truncate" => {
            let _ = write!(
                conn,
                "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
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
        "v2" => {
            let manifest = br#"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","layers":[]}"#;
            let claimed = format!("sha256:{}", "ab".repeat(32));
            reply(
                &mut conn,
                "200 OK",
                &format!(
                    "Content-Type: application/vnd.oci.image.manifest.v1+json\r\nDocker-Content-Digest: {claimed}\r\n"
                ),
                manifest,
            );
        }
        _ => reply(&mut conn, "404 Not Found", "", b"no such path"),
    }
}
