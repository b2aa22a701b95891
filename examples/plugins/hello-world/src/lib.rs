//! hello-world: adds `x-greeting: <greeting>` and `x-trust-domain: <TRUST_DOMAIN>` to every
//! response.
//!
//! It mirrors the WasmPlugin example of Istio's API reference: `pluginConfig: {greeting: ...}`
//! (default `hello` when the configuration is empty) and `vmConfig.env: [{name: TRUST_DOMAIN,
//! value: cluster.local}]`, which Istio hands the module as its WASI environment (`unset` when the
//! variable is absent).

use std::rc::Rc;

use proxy_wasm::traits::{Context, HttpContext, RootContext};
use proxy_wasm::types::{Action, ContextType, LogLevel};
use serde::Deserialize;

const NAME: &str = "hello-world";

proxy_wasm::main! {{
    proxy_wasm::set_log_level(LogLevel::Trace);
    proxy_wasm::set_root_context(|_| Box::new(Root { headers: None }));
}}

#[derive(Deserialize)]
struct Config {
    greeting: Option<String>,
}

/// The two response header values.
#[derive(Debug, PartialEq, Eq)]
pub struct Headers {
    pub greeting: String,
    pub trust_domain: String,
}

/// Build the header values from the plugin configuration and the `TRUST_DOMAIN` variable.
pub fn configure(
    config: &[u8],
    trust_domain: Option<Result<String, String>>,
) -> Result<Headers, String> {
    let greeting = if config.iter().all(u8::is_ascii_whitespace) {
        None
    } else {
        let config: Config = serde_json::from_slice(config)
            .map_err(|e| format!(r#"expected {{"greeting": "..."}} or nothing: {e}"#))?;
        config.greeting
    };
    let greeting = greeting.unwrap_or_else(|| "hello".to_string());
    if !header_value_ok(&greeting) {
        return Err("greeting: not a valid header value (control characters)".to_string());
    }
    let trust_domain = match trust_domain {
        None => "unset".to_string(),
        Some(Ok(v)) if header_value_ok(&v) => v,
        Some(Ok(_)) => {
            return Err("TRUST_DOMAIN: not a valid header value (control characters)".to_string());
        }
        Some(Err(e)) => return Err(format!("TRUST_DOMAIN: {e}")),
    };
    Ok(Headers {
        greeting,
        trust_domain,
    })
}

fn header_value_ok(s: &str) -> bool {
    !s.bytes().any(|b| (b < 0x20 && b != b'\t') || b == 0x7f)
}

fn trust_domain_from_env() -> Option<Result<String, String>> {
    match std::env::var("TRUST_DOMAIN") {
        Ok(v) => Some(Ok(v)),
        Err(std::env::VarError::NotPresent) => None,
        Err(std::env::VarError::NotUnicode(_)) => Some(Err("not UTF-8".to_string())),
    }
}

struct Root {
    headers: Option<Rc<Headers>>,
}

impl Context for Root {}

impl RootContext for Root {
    fn on_configure(&mut self, _size: usize) -> bool {
        let config = self.get_plugin_configuration().unwrap_or_default();
        match configure(&config, trust_domain_from_env()) {
            Ok(headers) => {
                let _ = proxy_wasm::hostcalls::log(
                    LogLevel::Info,
                    &format!(
                        "{NAME}: configured: x-greeting: {:?}, x-trust-domain: {:?}",
                        headers.greeting, headers.trust_domain
                    ),
                );
                self.headers = Some(Rc::new(headers));
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
            headers: self.headers.clone(),
        }))
    }

    fn get_type(&self) -> Option<ContextType> {
        Some(ContextType::HttpContext)
    }
}

struct Filter {
    headers: Option<Rc<Headers>>,
}

impl Context for Filter {}

impl HttpContext for Filter {
    fn on_http_response_headers(&mut self, _num_headers: usize, _end_of_stream: bool) -> Action {
        if let Some(h) = &self.headers {
            self.add_http_response_header("x-greeting", &h.greeting);
            self.add_http_response_header("x-trust-domain", &h.trust_domain);
        }
        Action::Continue
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(config: &str, td: Option<&str>) -> Headers {
        configure(config.as_bytes(), td.map(|v| Ok(v.to_string()))).unwrap()
    }

    #[test]
    fn defaults_and_values() {
        assert_eq!(
            ok("", None),
            Headers {
                greeting: "hello".into(),
                trust_domain: "unset".into()
            }
        );
        assert_eq!(
            ok("{}", Some("cluster.local")).trust_domain,
            "cluster.local"
        );
        assert_eq!(ok(r#"{"greeting":"hi there"}"#, None).greeting, "hi there");
        assert_eq!(ok(r#"{"greeting":null,"other":1}"#, None).greeting, "hello");
    }

    #[test]
    fn errors() {
        let e = configure(b"greeting: hi", None).unwrap_err();
        assert!(
            e.starts_with(r#"expected {"greeting": "..."} or nothing: "#),
            "{e}"
        );
        let e = configure(br#"{"greeting":5}"#, None).unwrap_err();
        assert!(e.contains("invalid type"), "{e}");
        let e = configure(br#"{"greeting":"a\nb"}"#, None).unwrap_err();
        assert_eq!(e, "greeting: not a valid header value (control characters)");
        let e = configure(b"", Some(Err("not UTF-8".into()))).unwrap_err();
        assert_eq!(e, "TRUST_DOMAIN: not UTF-8");
    }
}
