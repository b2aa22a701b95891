//! deny-path (SDK build): the Rust version of `deny-path.wat`. Requests whose `:path` starts with
//! the configured prefix (default `/admin`; a plain byte prefix, so `/administrator` and
//! `/admin?x` match too) are answered 403 with the body `forbidden by deny-path`; everything else
//! continues. Configuration: nothing, or `{"prefix": "/admin"}`.

use std::rc::Rc;

use proxy_wasm::traits::{Context, HttpContext, RootContext};
use proxy_wasm::types::{Action, ContextType, LogLevel};
use serde::Deserialize;

const NAME: &str = "deny-path";
pub const BODY: &str = "forbidden by deny-path";

proxy_wasm::main! {{
    proxy_wasm::set_log_level(LogLevel::Trace);
    proxy_wasm::set_root_context(|_| Box::new(Root { prefix: Rc::from(&b"/admin"[..]) }));
}}

#[derive(Deserialize)]
struct Config {
    prefix: Option<String>,
}

/// The prefix to deny, from the plugin configuration.
pub fn parse_prefix(config: &[u8]) -> Result<Vec<u8>, String> {
    if config.iter().all(u8::is_ascii_whitespace) {
        return Ok(b"/admin".to_vec());
    }
    let config: Config = serde_json::from_slice(config)
        .map_err(|e| format!(r#"expected {{"prefix": "/..."}} or nothing: {e}"#))?;
    match config.prefix {
        None => Ok(b"/admin".to_vec()),
        Some(p) if p.is_empty() => Err("prefix: must not be empty".to_string()),
        Some(p) => Ok(p.into_bytes()),
    }
}

pub fn denied(prefix: &[u8], path: Option<&[u8]>) -> bool {
    path.is_some_and(|p| p.starts_with(prefix))
}

struct Root {
    prefix: Rc<[u8]>,
}

impl Context for Root {}

impl RootContext for Root {
    fn on_configure(&mut self, _size: usize) -> bool {
        let config = self.get_plugin_configuration().unwrap_or_default();
        match parse_prefix(&config) {
            Ok(prefix) => {
                self.prefix = Rc::from(prefix);
                true
            }
            Err(e) => {
                let _ = proxy_wasm::hostcalls::log(
                    LogLevel::Error,
                    &format!("{NAME}: invalid configuration: {e}"),
                );
                false
            }
        }
    }

    fn create_http_context(&self, _context_id: u32) -> Option<Box<dyn HttpContext>> {
        Some(Box::new(Filter {
            prefix: self.prefix.clone(),
        }))
    }

    fn get_type(&self) -> Option<ContextType> {
        Some(ContextType::HttpContext)
    }
}

struct Filter {
    prefix: Rc<[u8]>,
}

impl Context for Filter {}

impl HttpContext for Filter {
    fn on_http_request_headers(&mut self, _num_headers: usize, _end_of_stream: bool) -> Action {
        let path = self.get_http_request_header_bytes(":path");
        if denied(&self.prefix, path.as_deref()) {
            self.send_http_response(403, vec![], Some(BODY.as_bytes()));
            return Action::Pause;
        }
        Action::Continue
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefix() {
        assert_eq!(parse_prefix(b"").unwrap(), b"/admin");
        assert_eq!(parse_prefix(b"{}").unwrap(), b"/admin");
        assert_eq!(
            parse_prefix(br#"{"prefix":"/private"}"#).unwrap(),
            b"/private"
        );
        assert_eq!(
            parse_prefix(br#"{"prefix":""}"#).unwrap_err(),
            "prefix: must not be empty"
        );
        assert!(parse_prefix(b"/admin").unwrap_err().starts_with("expected"));
    }

    #[test]
    fn matching() {
        assert!(denied(b"/admin", Some(b"/admin")));
        assert!(denied(b"/admin", Some(b"/administrator")));
        assert!(denied(b"/admin", Some(b"/admin?x=1")));
        assert!(!denied(b"/admin", Some(b"/adm")));
        assert!(!denied(b"/admin", Some(b"/x/admin")));
        assert!(!denied(b"/admin", None));
    }
}
