//! A headless Chromium driven over the DevTools protocol (one WebSocket, one page session).
//! Every wait is bounded; the browser is killed by PID when the handle is dropped.

use serde_json::{Value, json};
use std::net::TcpStream;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use tungstenite::{Message, WebSocket};

/// How long one protocol call or one condition may take.
const WAIT: Duration = Duration::from_secs(20);

/// A running Chromium with one page attached.
pub struct Browser {
    child: Child,
    _profile: tempfile::TempDir,
    ws: WebSocket<TcpStream>,
    session: String,
    next_id: u64,
    /// Events received so far (`Runtime.exceptionThrown`, `Network.requestWillBeSent`, ...).
    pub events: Vec<Value>,
}

impl Drop for Browser {
    fn drop(&mut self) {
        kill(&mut self.child);
    }
}

/// Kill the browser and its helper processes (its own process group, led by its PID), then reap it.
fn kill(child: &mut Child) {
    if let Ok(pid) = i32::try_from(child.id()) {
        // SAFETY: kill(2) with the negated PID of a child we started in its own process group.
        unsafe {
            libc::kill(-pid, libc::SIGKILL);
        }
    }
    let _ = child.kill();
    let _ = child.wait();
}

/// The flags of a quiet, isolated headless browser.
fn flags(profile: &Path) -> Vec<String> {
    [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--hide-scrollbars",
        "--remote-debugging-port=0",
        "--window-size=1440,900",
    ]
    .iter()
    .map(|s| s.to_string())
    .chain([
        format!("--user-data-dir={}", profile.display()),
        "about:blank".to_string(),
    ])
    .collect()
}

impl Browser {
    /// Start `chromium` with a fresh profile and attach to a new page.
    pub fn launch(chromium: &Path) -> Browser {
        let profile = tempfile::tempdir().expect("temp dir for the browser profile");
        let log = std::fs::File::create(profile.path().join("chromium.log")).expect("log file");
        let child = Command::new(chromium)
            .args(flags(profile.path()))
            .process_group(0)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", chromium.display()));
        let mut guard = Launching {
            child: Some(child),
            profile: Some(profile),
        };
        let (port, path) = guard.wait_for_port();
        let stream = TcpStream::connect(("127.0.0.1", port)).expect("connect to DevTools");
        stream.set_read_timeout(Some(WAIT)).expect("read timeout");
        let (ws, _) = tungstenite::client(format!("ws://127.0.0.1:{port}{path}"), stream)
            .unwrap_or_else(|e| panic!("DevTools WebSocket handshake failed: {e}"));
        // Short reads from here on, so that each call checks its own deadline.
        ws.get_ref()
            .set_read_timeout(Some(Duration::from_millis(250)))
            .expect("read timeout");
        let (child, profile) = guard.done();
        let mut browser = Browser {
            child,
            _profile: profile,
            ws,
            session: String::new(),
            next_id: 0,
            events: Vec::new(),
        };
        let target = browser.call("Target.createTarget", json!({"url": "about:blank"}));
        let attached = browser.call(
            "Target.attachToTarget",
            json!({"targetId": target["targetId"], "flatten": true}),
        );
        browser.session = attached["sessionId"]
            .as_str()
            .expect("a session id")
            .to_string();
        for domain in ["Page.enable", "Runtime.enable", "Network.enable"] {
            browser.call(domain, json!({}));
        }
        browser
    }

    /// Send one command (to the page session once attached) and return its result.
    pub fn call(&mut self, method: &str, params: Value) -> Value {
        self.request(method, params)
            .unwrap_or_else(|err| panic!("{method} failed: {err}"))
    }

    /// Send one command; `Err` carries the protocol's error.
    fn request(&mut self, method: &str, params: Value) -> Result<Value, String> {
        self.next_id += 1;
        let id = self.next_id;
        let mut msg = json!({"id": id, "method": method, "params": params});
        if !self.session.is_empty() {
            msg["sessionId"] = Value::from(self.session.clone());
        }
        self.ws
            .send(Message::text(msg.to_string()))
            .unwrap_or_else(|e| panic!("cannot send {method}: {e}"));
        let deadline = Instant::now() + WAIT;
        while Instant::now() < deadline {
            match self.ws.read() {
                Ok(Message::Text(text)) => {
                    let v: Value = serde_json::from_str(text.as_str()).expect("JSON from DevTools");
                    if v["id"] == id {
                        return match v.get("error") {
                            Some(err) => Err(err.to_string()),
                            None => Ok(v["result"].clone()),
                        };
                    }
                    self.events.push(v);
                }
                Ok(_) => {}
                Err(tungstenite::Error::Io(e))
                    if matches!(
                        e.kind(),
                        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                    ) => {}
                Err(e) => panic!("DevTools connection lost during {method}: {e}"),
            }
        }
        panic!("no answer to {method} within {WAIT:?}");
    }

    /// Evaluate `expr` in the page (promises awaited) and return its JSON value.
    pub fn eval(&mut self, expr: &str) -> Value {
        let r = self.call(
            "Runtime.evaluate",
            json!({"expression": expr, "returnByValue": true, "awaitPromise": true}),
        );
        if let Some(ex) = r.get("exceptionDetails") {
            panic!("`{expr}` threw: {ex}");
        }
        r["result"]["value"].clone()
    }

    /// Poll `expr` until it is `true` (a page that is navigating away counts as not yet).
    pub fn wait_for(&mut self, expr: &str) {
        let deadline = Instant::now() + WAIT;
        let params = json!({"expression": expr, "returnByValue": true});
        while Instant::now() < deadline {
            if let Ok(r) = self.request("Runtime.evaluate", params.clone())
                && r["result"]["value"] == Value::Bool(true)
            {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("`{expr}` did not become true within {WAIT:?}");
    }

    /// Load `url` and wait until the document is complete.
    pub fn open(&mut self, url: &str) {
        self.call("Page.navigate", json!({"url": url}));
        self.wait_for(&format!(
            "location.href === {} && document.readyState === 'complete'",
            json!(url)
        ));
    }

    /// Click the centre of the first element matching `selector` with the mouse.
    pub fn click(&mut self, selector: &str) {
        let rect = self.eval(&format!(
            "(() => {{ const e = document.querySelector({sel}); if (!e) return null; e.scrollIntoView({{block: 'center'}}); const r = e.getBoundingClientRect(); return {{x: r.x + r.width / 2, y: r.y + r.height / 2}}; }})()",
            sel = json!(selector)
        ));
        assert!(rect.is_object(), "nothing matches `{selector}` to click");
        for kind in ["mousePressed", "mouseReleased"] {
            self.call(
                "Input.dispatchMouseEvent",
                json!({"type": kind, "x": rect["x"], "y": rect["y"], "button": "left", "clickCount": 1}),
            );
        }
    }

    /// Press and release one key (`Tab`, `Enter`), as a keyboard would send it.
    pub fn key(&mut self, key: &str, code: u32) {
        let text = if key == "Enter" { "\r" } else { "" };
        self.call(
            "Input.dispatchKeyEvent",
            json!({"type": "keyDown", "key": key, "code": key, "windowsVirtualKeyCode": code, "text": text}),
        );
        self.call(
            "Input.dispatchKeyEvent",
            json!({"type": "keyUp", "key": key, "code": key, "windowsVirtualKeyCode": code}),
        );
    }

    /// Type `text` into the focused element.
    pub fn type_text(&mut self, text: &str) {
        self.call("Input.insertText", json!({"text": text}));
    }

    /// Lay the page out `width` CSS pixels wide (a phone below 600) and save a PNG of the page,
    /// at most 4000 pixels tall.
    pub fn screenshot(&mut self, width: u32, path: &Path) -> PathBuf {
        self.call(
            "Emulation.setDeviceMetricsOverride",
            json!({"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 600}),
        );
        self.eval("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))");
        let metrics = self.call("Page.getLayoutMetrics", json!({}));
        let height = metrics["cssContentSize"]["height"]
            .as_f64()
            .unwrap_or(900.0)
            .clamp(100.0, 4000.0);
        let shot = self.call(
            "Page.captureScreenshot",
            json!({"format": "png", "captureBeyondViewport": true,
                   "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": 1}}),
        );
        let data = shot["data"].as_str().expect("screenshot data");
        let png = data_encoding::BASE64
            .decode(data.as_bytes())
            .expect("base64 screenshot");
        std::fs::write(path, png).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        self.call("Emulation.clearDeviceMetricsOverride", json!({}));
        path.to_path_buf()
    }

    /// Events of `method` received so far.
    pub fn events_of(&self, method: &str) -> Vec<&Value> {
        self.events
            .iter()
            .filter(|e| e["method"] == method)
            .collect()
    }
}

/// The browser while it starts: killed if anything fails before the handle exists.
struct Launching {
    child: Option<Child>,
    profile: Option<tempfile::TempDir>,
}

impl Launching {
    /// The DevTools port and browser path from `DevToolsActivePort` in the profile.
    fn wait_for_port(&mut self) -> (u16, String) {
        let profile = self.profile.as_ref().expect("profile").path().to_path_buf();
        let file = profile.join("DevToolsActivePort");
        let deadline = Instant::now() + WAIT;
        while Instant::now() < deadline {
            if let Ok(text) = std::fs::read_to_string(&file)
                && let Some((port, path)) = text.split_once('\n')
                && let Ok(port) = port.trim().parse::<u16>()
                && path.trim().starts_with("/devtools/browser/")
            {
                return (port, path.trim().to_string());
            }
            if let Some(Ok(Some(status))) = self.child.as_mut().map(Child::try_wait) {
                let log = std::fs::read_to_string(profile.join("chromium.log")).unwrap_or_default();
                panic!("chromium exited with {status} before DevTools was up:\n{log}");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("chromium did not write {} within {WAIT:?}", file.display());
    }

    fn done(mut self) -> (Child, tempfile::TempDir) {
        (
            self.child.take().expect("child"),
            self.profile.take().expect("profile"),
        )
    }
}

impl Drop for Launching {
    fn drop(&mut self) {
        if let Some(child) = self.child.as_mut() {
            kill(child);
        }
    }
}
