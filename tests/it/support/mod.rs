//! Test harness: a real `docker-registry` on 127.0.0.1 (plain, htpasswd basic auth, TLS with a CA
//! made here), a fault-injecting HTTP server, helpers to build repositories and images, and to
//! copy and compare trees.
#![allow(dead_code)]

pub mod bounded;
pub mod faults;
pub mod images;

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// What to install when a tool is missing.
pub const INSTALL: &str = "apt-get install -y docker-registry apache2-utils openssl";

/// Fail (never skip) when `bin` is missing.
pub fn require(bin: &str) -> PathBuf {
    require_tool(bin, INSTALL)
}

/// A free port on 127.0.0.1.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn run(cmd: &mut Command) -> Vec<u8> {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// Registry flavours.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// htpasswd basic auth with `USER`/`PASS`.
    pub basic_auth: bool,
    /// https with a certificate from a CA made for this registry.
    pub tls: bool,
    /// Log every request, for [`Registry::requests`].
    pub access_log: bool,
}

/// The account of auth-enabled registries.
pub const USER: &str = "meshplug-test";
/// Its password.
pub const PASS: &str = "s3cret-Passw0rd";

/// A running registry; stopped (by PID) when dropped.
pub struct Registry {
    child: Child,
    /// Temporary directory: storage, config, certs.
    pub dir: tempfile::TempDir,
    /// `127.0.0.1:PORT`.
    pub host: String,
    /// The CA certificate, for TLS registries.
    pub ca: Option<PathBuf>,
}

impl Registry {
    /// A plain-http registry without auth.
    pub fn start() -> Registry {
        Registry::with(Options::default())
    }

    /// A registry with `opts`.
    pub fn with(opts: Options) -> Registry {
        let bin = require("docker-registry");
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        // The registry binds port 0 itself and logs the address it got ("listening on ..."), so
        // no port is chosen here and released before the server binds it.
        let mut config = format!(
            "version: 0.1\nlog: {{level: info, accesslog: {{disabled: {}}}}}\nstorage:\n  filesystem: {{rootdirectory: \"{}\"}}\n  delete: {{enabled: true}}\n  maintenance: {{uploadpurging: {{enabled: false}}}}\nhttp:\n  addr: 127.0.0.1:0\n  secret: meshplug-test\n",
            !opts.access_log,
            d.join("storage").display()
        );
        let mut ca = None;
        if opts.tls {
            require("openssl");
            make_certs(d);
            config.push_str(&format!(
                "  tls: {{certificate: \"{}\", key: \"{}\"}}\n",
                d.join("server.crt").display(),
                d.join("server.key").display()
            ));
            ca = Some(d.join("ca.crt"));
        }
        if opts.basic_auth {
            let htpasswd = require("htpasswd");
            let line = run(Command::new(htpasswd).args(["-Bbn", USER, PASS]));
            std::fs::write(d.join("htpasswd"), line).unwrap();
            config.push_str(&format!(
                "auth: {{htpasswd: {{realm: meshplug-test, path: \"{}\"}}}}\n",
                d.join("htpasswd").display()
            ));
        }
        std::fs::write(d.join("config.yml"), config).unwrap();
        // The access log goes to stdout, errors to stderr: both into registry.log.
        let log = std::fs::File::create(d.join("registry.log")).unwrap();
        let mut cmd = Command::new(bin);
        cmd.arg("serve")
            .arg(d.join("config.yml"))
            .stdout(Stdio::from(log.try_clone().unwrap()))
            .stderr(Stdio::from(log));
        for (k, _) in std::env::vars_os() {
            if k.to_string_lossy().starts_with("REGISTRY_") {
                cmd.env_remove(k);
            }
        }
        let child = cmd.spawn().expect("start docker-registry");
        let mut reg = Registry {
            child,
            dir,
            host: String::new(),
            ca,
        };
        reg.host = reg.wait_listening();
        reg.wait_ready();
        reg
    }

    /// The `host:port` the registry logs it listens on, within 15 s.
    fn wait_listening(&mut self) -> String {
        let until = Instant::now() + Duration::from_secs(15);
        let log = self.dir.path().join("registry.log");
        while Instant::now() < until {
            let text = std::fs::read_to_string(&log).unwrap_or_default();
            if let Some(addr) = text
                .lines()
                .find_map(|l| l.split("listening on ").nth(1))
                .and_then(|rest| rest.split(['"', ' ', ',']).next())
            {
                return addr.to_string();
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("docker-registry exited ({status}) before listening:\n{text}");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!(
            "docker-registry did not say where it listens within 15 s:\n{}",
            std::fs::read_to_string(&log).unwrap_or_default()
        );
    }

    fn wait_ready(&self) {
        let until = Instant::now() + Duration::from_secs(15);
        while Instant::now() < until {
            if let Ok(mut s) = TcpStream::connect(&self.host) {
                if self.ca.is_some() {
                    return;
                }
                let _ = s.set_read_timeout(Some(Duration::from_secs(1)));
                let _ = write!(s, "GET /v2/ HTTP/1.0\r\nHost: {}\r\n\r\n", self.host);
                let mut buf = [0u8; 12];
                if s.read_exact(&mut buf).is_ok()
                    && (buf.ends_with(b"200") || buf.ends_with(b"401"))
                {
                    return;
                }
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let log = std::fs::read_to_string(self.dir.path().join("registry.log")).unwrap_or_default();
        panic!(
            "docker-registry on {} did not answer /v2/ within 15 s:\n{log}",
            self.host
        );
    }

    /// Every request logged so far (`access_log` registries), as `METHOD PATH`, in order.
    pub fn requests(&self) -> Vec<String> {
        let log = std::fs::read(self.dir.path().join("registry.log")).unwrap_or_default();
        String::from_utf8_lossy(&log)
            .lines()
            .filter_map(|l| {
                // Access-log lines: `HOST - - [date] "METHOD PATH HTTP/1.1" ...`.
                let start = l.find(" \"")? + 2;
                let (method, rest) = l[start..].split_once(' ')?;
                let path = rest.split(' ').next()?;
                path.starts_with("/v2/").then(|| format!("{method} {path}"))
            })
            .collect()
    }

    /// [`Registry::requests`] once at least `count` have been logged: the registry logs a
    /// request after answering it, so the last ones may still be on their way (10 s at most).
    pub fn requests_at_least(&self, count: usize) -> Vec<String> {
        let until = Instant::now() + Duration::from_secs(10);
        loop {
            let seen = self.requests();
            if seen.len() >= count || Instant::now() >= until {
                return seen;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// CPU time the registry process has used so far (user + system), from /proc.
    pub fn cpu(&self) -> Duration {
        let stat =
            std::fs::read_to_string(format!("/proc/{}/stat", self.child.id())).unwrap_or_default();
        // Fields after the command name, which is in parentheses: utime and stime are 14 and 15.
        let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
        let ticks: u64 = rest
            .split_whitespace()
            .skip(11)
            .take(2)
            .filter_map(|t| t.parse::<u64>().ok())
            .sum();
        // SAFETY: sysconf has no preconditions.
        let hz = unsafe { libc::sysconf(libc::_SC_CLK_TCK) }.max(1) as u64;
        Duration::from_millis(ticks * 1000 / hz)
    }

    /// `oci://HOST/REPO:TAG`.
    pub fn url(&self, repo_tag: &str) -> String {
        format!("oci://{}/{repo_tag}", self.host)
    }

    /// A docker config dir with this registry's credentials (`pass` as given).
    pub fn docker_config(&self, pass: &str) -> PathBuf {
        use base64::Engine;
        let dir = self.dir.path().join(if pass == PASS {
            "docker-good"
        } else {
            "docker-other"
        });
        std::fs::create_dir_all(&dir).unwrap();
        let auth = base64::engine::general_purpose::STANDARD.encode(format!("{USER}:{pass}"));
        std::fs::write(
            dir.join("config.json"),
            format!(r#"{{"auths":{{"{}":{{"auth":"{auth}"}}}}}}"#, self.host),
        )
        .unwrap();
        dir
    }
}

impl Drop for Registry {
    fn drop(&mut self) {
        // Child::kill signals exactly this PID.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn make_certs(d: &Path) {
    let ossl = |args: &[&str]| {
        run(Command::new("openssl")
            .current_dir(d)
            .args(args)
            .stderr(Stdio::piped()))
    };
    ossl(&[
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "2",
        "-subj",
        "/CN=meshplug test CA",
        "-addext",
        "basicConstraints=critical,CA:TRUE",
        "-addext",
        "keyUsage=critical,keyCertSign,cRLSign",
        "-keyout",
        "ca.key",
        "-out",
        "ca.crt",
    ]);
    ossl(&[
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-subj",
        "/CN=127.0.0.1",
        "-keyout",
        "server.key",
        "-out",
        "server.csr",
    ]);
    std::fs::write(d.join("server.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n").unwrap();
    ossl(&[
        "x509",
        "-req",
        "-in",
        "server.csr",
        "-CA",
        "ca.crt",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-days",
        "2",
        "-extfile",
        "server.ext",
        "-out",
        "server.crt",
    ]);
}

/// A marketplace repository in a temp dir using `urls` (one plugin per url, each bound once).
pub struct Repo {
    /// The directory.
    pub dir: tempfile::TempDir,
}

impl Repo {
    /// A repository with `urls`, extra `meshplug.yaml` spec lines (`registries`).
    pub fn new(urls: &[&str], extra_spec: &str) -> Repo {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::create_dir_all(d.join("catalog")).unwrap();
        std::fs::create_dir_all(d.join("bindings/demo")).unwrap();
        std::fs::write(
            d.join("meshplug.yaml"),
            format!("apiVersion: meshplug.io/v1alpha1\nkind: Marketplace\nmetadata: {{name: test}}\nspec:\n  catalog: [catalog]\n  bindings: [bindings]\n{extra_spec}"),
        )
        .unwrap();
        let mut plugins = String::new();
        for (i, url) in urls.iter().enumerate() {
            std::fs::write(
                d.join(format!("catalog/p{i}.yaml")),
                format!(
                    "apiVersion: meshplug.io/v1alpha1\nkind: Plugin\nmetadata: {{name: p{i}}}\nspec:\n  title: {{en: P{i}}}\n  description: {{en: test plugin}}\n  type: HTTP\n  versions:\n  - version: 1.0.0\n    url: {url}\n"
                ),
            )
            .unwrap();
            plugins.push_str(&format!("  - plugin: p{i}\n    phase: STATS\n    priority: {}\n    failStrategy: FAIL_CLOSE\n    match: [{{mode: SERVER}}]\n", i + 1));
        }
        std::fs::write(
            d.join("bindings/demo/svc.yaml"),
            format!("apiVersion: meshplug.io/v1alpha1\nkind: Binding\nmetadata: {{name: svc, namespace: demo}}\nspec:\n  selector: {{matchLabels: {{app: svc}}}}\n  plugins:\n{plugins}"),
        )
        .unwrap();
        Repo { dir }
    }

    /// The root.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// The lock's bytes, if any.
    pub fn lock_bytes(&self) -> Option<Vec<u8>> {
        std::fs::read(self.path().join("meshplug.lock")).ok()
    }
}

/// `meshplug` with an empty docker config (no stray credentials) and no colour.
pub fn meshplug() -> assert_cmd::Command {
    let mut c = assert_cmd::Command::cargo_bin("meshplug").unwrap();
    // No user cache: a test that needs one sets its own MESHPLUG_CACHE_DIR.
    c.env("DOCKER_CONFIG", "/nonexistent-meshplug-test")
        .env("MESHPLUG_CACHE_DIR", "/nonexistent-meshplug-cache")
        .env("NO_COLOR", "1")
        .timeout(Duration::from_secs(120));
    c
}

/// A tokio runtime for library calls.
pub fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// The committed sample module `name` (`add-header`, `deny-path`).
pub fn sample(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/examples/plugins/{name}.wasm",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

/// The project root.
pub fn project() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Copy a directory tree (files only, no `rendered/`).
pub fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from).sort_by_file_name() {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(from).unwrap();
        if rel.starts_with("rendered") {
            continue;
        }
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(entry.path(), &dest).unwrap();
        }
    }
}

/// A temp copy of `examples/bookinfo`.
pub fn example_copy() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("bookinfo");
    copy_tree(&project().join("examples/bookinfo"), &repo);
    (dir, repo)
}

/// Replace the first `from` in the file at `path` with `to` (a test's deliberate mistake).
pub fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{} has no `{from}`", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

/// Every file under `dir` with its bytes, by relative path.
pub fn snapshot_tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    if !dir.exists() {
        return out;
    }
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let rel = entry
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            out.insert(rel, std::fs::read(entry.path()).unwrap());
        }
    }
    out
}

/// Path of a required tool, or a panic that says how to install it.
pub fn require_tool(name: &str, install: &str) -> PathBuf {
    let path = std::env::var_os("PATH").unwrap_or_default();
    for dir in std::env::split_paths(&path) {
        let candidate = dir.join(name);
        if candidate.is_file() {
            return candidate;
        }
    }
    panic!("this test needs `{name}`, which is not on PATH; install it with: {install}");
}

/// `../shared/conformance` next to the project, when present. With MESHPLUG_REQUIRE_SHARED=1
/// (set by .ci/run) its absence is a failure.
pub fn shared_conformance() -> Option<PathBuf> {
    let dir = project().join("../shared/conformance");
    if dir.is_dir() {
        return Some(dir);
    }
    if std::env::var("MESHPLUG_REQUIRE_SHARED").as_deref() == Ok("1") {
        panic!(
            "MESHPLUG_REQUIRE_SHARED=1 but {} does not exist",
            dir.display()
        );
    }
    eprintln!(
        "note: {} not found; conformance check not run (CI runs it)",
        dir.display()
    );
    None
}

/// Write `files` (relative path, text) under `root`.
pub fn write_files(root: &Path, files: &[(&str, &str)]) {
    for (rel, text) in files {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
}

/// stdout of a finished command as text.
pub fn stdout(a: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&a.get_output().stdout).into_owned()
}

/// stderr of a finished command as text.
pub fn stderr(a: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&a.get_output().stderr).into_owned()
}

/// `text` with `dir` (and its canonical form) replaced by `[DIR]`, for snapshots.
pub fn redact(text: &str, dir: &Path) -> String {
    let mut out = text.to_string();
    if let Ok(canon) = dir.canonicalize() {
        out = out.replace(&canon.display().to_string(), "[DIR]");
    }
    out.replace(&dir.display().to_string(), "[DIR]")
}

/// Render `repo` (unpinned modules allowed) and return the WasmPlugins of `cluster` as one YAML
/// stream, like `kubectl get wasmplugins -A -o yaml` would list them.
pub fn rendered_stream(repo: &Path, cluster: &str) -> String {
    meshplug()
        .args(["render", "--allow-unpinned"])
        .arg(repo)
        .assert()
        .success();
    let mut text = String::new();
    for (path, bytes) in snapshot_tree(&repo.join("rendered").join(cluster)) {
        if !path.ends_with("kustomization.yaml") {
            text.push_str("---\n");
            text.push_str(&String::from_utf8_lossy(&bytes));
        }
    }
    text
}

/// sha256 over every file under `dir` (relative path and bytes); `None` when `dir` does not exist.
pub fn tree_hash(dir: &Path) -> Option<String> {
    use sha2::{Digest, Sha256};
    if !dir.exists() {
        return None;
    }
    let mut h = Sha256::new();
    for (path, bytes) in snapshot_tree(dir) {
        h.update(path.as_bytes());
        h.update([0]);
        h.update((bytes.len() as u64).to_le_bytes());
        h.update(&bytes);
    }
    Some(hex::encode(h.finalize()))
}

/// sha256 of a file's bytes; `None` when it cannot be read.
pub fn file_hash(path: &Path) -> Option<String> {
    use sha2::{Digest, Sha256};
    std::fs::read(path)
        .ok()
        .map(|b| hex::encode(Sha256::digest(&b)))
}

/// What a repository's state is for the "nothing lost" checks: the lock and the rendered tree.
pub fn repo_state(repo: &Path) -> (Option<String>, Option<String>) {
    (
        file_hash(&repo.join("meshplug.lock")),
        tree_hash(&repo.join("rendered")),
    )
}

/// Temporary trees or files of meshplug runs left in `dir`.
pub fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("meshplug-"))
        .collect()
}
