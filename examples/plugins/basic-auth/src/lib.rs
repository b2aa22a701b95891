//! basic-auth: an HTTP filter enforcing HTTP Basic authentication on the requests a rule matches.
//!
//! It takes the configuration of the Istio ecosystem `basic_auth` extension (the module used on
//! Istio's "Distributing WebAssembly Modules" page) and behaves like it, seen from outside:
//!
//! ```json
//! {"basic_auth_rules": [{"prefix": "/productpage", "request_methods": ["GET", "POST"],
//!                        "credentials": ["ok:test", "YWRtaW4zOmFkbWluMw=="]}]}
//! ```
//!
//! A rule applies to a request whose `:method` is one of `request_methods` and whose `:path`
//! (the whole of it, query string included) starts with `prefix`, equals `exact` or ends with
//! `suffix`; optional `hosts` narrow it to some `:authority` values (port removed): `*.example.com`
//! matches by suffix, `example.*` by prefix, anything else exactly. Every rule that applies must be
//! satisfied: the request needs `Authorization: Basic <base64 of user:pass>` with one of the rule's
//! credentials, or it is answered 401 with `WWW-Authenticate: Basic realm=<realm>` (`realm`, a
//! top-level field, defaults to `istio`). Requests no rule applies to continue untouched.

use std::rc::Rc;

use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, STANDARD};
use base64::engine::DecodePaddingMode;
use base64::Engine as _;
use proxy_wasm::traits::{Context, HttpContext, RootContext};
use proxy_wasm::types::{Action, ContextType, LogLevel};
use serde_json::Value;

const NAME: &str = "basic-auth";

/// Body of the 401 when the request has no `Authorization: Basic ...` header.
pub const BODY_NO_CREDENTIALS: &str =
    "Request denied by Basic Auth check. No Basic Authentication information found.";
/// Body of the 401 when the credentials are not among the rule's.
pub const BODY_BAD_CREDENTIALS: &str =
    "Request denied by Basic Auth check. Invalid username and/or password";

proxy_wasm::main! {{
    proxy_wasm::set_log_level(LogLevel::Trace);
    proxy_wasm::set_root_context(|_| Box::new(Root { config: None }));
}}

/// How a rule or a host pattern compares with the request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Match {
    Prefix(Vec<u8>),
    Exact(Vec<u8>),
    Suffix(Vec<u8>),
}

impl Match {
    fn matches(&self, value: &[u8]) -> bool {
        match self {
            Match::Prefix(p) => value.starts_with(p),
            Match::Exact(e) => value == e.as_slice(),
            Match::Suffix(s) => value.ends_with(s),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    pub path: Match,
    /// Empty: every host.
    pub hosts: Vec<Match>,
    pub methods: Vec<String>,
    /// Canonical (padded, standard alphabet) base64 of each `user:pass`, as the header carries it.
    pub credentials: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    pub rules: Vec<Rule>,
    pub realm: String,
}

/// What to do with a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Continue,
    /// Answer 401 with this body.
    Deny(&'static str),
}

/// Base64 of a credential given in the configuration: padding optional.
const LENIENT: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// Parse the plugin configuration; the error is one line naming the offending field.
pub fn parse_config(bytes: &[u8]) -> Result<Config, String> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(r#"empty; expected {"basic_auth_rules": [...]}"#.to_string());
    }
    let root: Value = serde_json::from_slice(bytes).map_err(|e| format!("not JSON: {e}"))?;
    let root = root
        .as_object()
        .ok_or_else(|| format!("expected a JSON object, found {}", kind(&root)))?;
    let rules = match root.get("basic_auth_rules") {
        None => return Err("missing basic_auth_rules".to_string()),
        Some(Value::Array(rules)) => rules,
        Some(other) => {
            return Err(format!(
                "basic_auth_rules: expected an array, found {}",
                kind(other)
            ))
        }
    };
    let realm = match root.get("realm") {
        None => "istio".to_string(),
        Some(Value::String(r)) if header_value_ok(r) => r.clone(),
        Some(Value::String(_)) => return Err("realm: contains control characters".to_string()),
        Some(other) => return Err(format!("realm: expected a string, found {}", kind(other))),
    };
    let rules = rules
        .iter()
        .enumerate()
        .map(|(i, rule)| parse_rule(rule).map_err(|e| format!("basic_auth_rules[{i}]{e}")))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Config { rules, realm })
}

/// Errors start with `: ` or `.field` so that they read after `basic_auth_rules[i]`.
fn parse_rule(rule: &Value) -> Result<Rule, String> {
    let rule = rule
        .as_object()
        .ok_or_else(|| format!(": expected an object, found {}", kind(rule)))?;
    let mut patterns = Vec::new();
    for field in ["prefix", "exact", "suffix"] {
        let Some(value) = rule.get(field) else {
            continue;
        };
        let value = match value {
            Value::String(s) if !s.is_empty() => s.as_bytes().to_vec(),
            Value::String(_) => return Err(format!(".{field}: must not be empty")),
            other => {
                return Err(format!(
                    ".{field}: expected a string, found {}",
                    kind(other)
                ))
            }
        };
        patterns.push(match field {
            "prefix" => Match::Prefix(value),
            "exact" => Match::Exact(value),
            _ => Match::Suffix(value),
        });
    }
    if patterns.len() != 1 {
        return Err(if patterns.is_empty() {
            ": needs one of prefix, exact, suffix".to_string()
        } else {
            ": give only one of prefix, exact, suffix".to_string()
        });
    }
    let path = patterns.pop().unwrap_or(Match::Prefix(Vec::new()));

    let hosts = strings(rule.get("hosts"), "hosts")?
        .into_iter()
        .map(|h| {
            if let Some(rest) = h.strip_prefix('*') {
                Match::Suffix(rest.as_bytes().to_vec())
            } else if let Some(rest) = h.strip_suffix('*') {
                Match::Prefix(rest.as_bytes().to_vec())
            } else {
                Match::Exact(h.as_bytes().to_vec())
            }
        })
        .collect();

    let methods = strings(rule.get("request_methods"), "request_methods")?;
    if methods.is_empty() {
        return Err(".request_methods: needs at least one method".to_string());
    }

    let given = strings(rule.get("credentials"), "credentials")?;
    if given.is_empty() {
        return Err(".credentials: needs at least one credential".to_string());
    }
    let mut credentials = Vec::with_capacity(given.len());
    for (j, credential) in given.iter().enumerate() {
        let pair = if credential.contains(':') {
            credential.as_bytes().to_vec()
        } else {
            match LENIENT.decode(credential.trim()) {
                Ok(pair) if pair.contains(&b':') => pair,
                // The value is a secret: do not log it.
                _ => {
                    return Err(format!(
                        ".credentials[{j}]: neither user:pass nor the base64 of user:pass"
                    ));
                }
            }
        };
        credentials.push(STANDARD.encode(pair));
    }
    Ok(Rule {
        path,
        hosts,
        methods,
        credentials,
    })
}

/// An optional array of strings (absent: empty).
fn strings(value: Option<&Value>, field: &str) -> Result<Vec<String>, String> {
    match value {
        None => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .iter()
            .enumerate()
            .map(|(j, item)| match item {
                Value::String(s) => Ok(s.clone()),
                other => Err(format!(
                    ".{field}[{j}]: expected a string, found {}",
                    kind(other)
                )),
            })
            .collect(),
        Some(other) => Err(format!(
            ".{field}: expected an array of strings, found {}",
            kind(other)
        )),
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn header_value_ok(s: &str) -> bool {
    !s.bytes().any(|b| (b < 0x20 && b != b'\t') || b == 0x7f)
}

/// `:authority` without its port (`[v6]:port` keeps the brackets).
fn strip_port(authority: &[u8]) -> &[u8] {
    match authority.iter().rposition(|&b| b == b':') {
        Some(colon) => match authority.iter().rposition(|&b| b == b']') {
            Some(bracket) if bracket > colon => authority,
            _ => &authority[..colon],
        },
        None => authority,
    }
}

impl Config {
    /// The verdict for a request; absent headers are passed as empty.
    pub fn check(
        &self,
        method: &[u8],
        path: &[u8],
        authority: &[u8],
        authorization: &[u8],
    ) -> Verdict {
        let host = strip_port(authority);
        for rule in &self.rules {
            let applies = rule.methods.iter().any(|m| m.as_bytes() == method)
                && (rule.hosts.is_empty() || rule.hosts.iter().any(|h| h.matches(host)))
                && rule.path.matches(path);
            if !applies {
                continue;
            }
            let Some(token) = authorization.strip_prefix(b"Basic ") else {
                return Verdict::Deny(BODY_NO_CREDENTIALS);
            };
            if !rule.credentials.iter().any(|c| c.as_bytes() == token) {
                return Verdict::Deny(BODY_BAD_CREDENTIALS);
            }
        }
        Verdict::Continue
    }
}

struct Root {
    /// The last configuration accepted; `None` until one is.
    config: Option<Rc<Config>>,
}

impl Context for Root {}

impl RootContext for Root {
    fn on_configure(&mut self, _size: usize) -> bool {
        let bytes = self.get_plugin_configuration().unwrap_or_default();
        match parse_config(&bytes) {
            Ok(config) => {
                self.config = Some(Rc::new(config));
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
            config: self.config.clone(),
        }))
    }

    fn get_type(&self) -> Option<ContextType> {
        Some(ContextType::HttpContext)
    }
}

struct Filter {
    config: Option<Rc<Config>>,
}

impl Context for Filter {}

impl HttpContext for Filter {
    fn on_http_request_headers(&mut self, _num_headers: usize, _end_of_stream: bool) -> Action {
        let Some(config) = &self.config else {
            // Hosts do not send traffic to a plugin whose configuration failed; should one, fail
            // closed rather than let unauthenticated requests through.
            self.send_http_response(500, vec![], Some(b"basic-auth: no valid configuration"));
            return Action::Pause;
        };
        let header = |name: &str| self.get_http_request_header_bytes(name).unwrap_or_default();
        let verdict = config.check(
            &header(":method"),
            &header(":path"),
            &header(":authority"),
            &header("authorization"),
        );
        match verdict {
            Verdict::Continue => Action::Continue,
            Verdict::Deny(body) => {
                let challenge = format!("Basic realm={}", config.realm);
                self.send_http_response(
                    401,
                    vec![("WWW-Authenticate", challenge.as_str())],
                    Some(body.as_bytes()),
                );
                Action::Pause
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOCS: &str = r#"{"basic_auth_rules":[{"prefix":"/productpage","request_methods":["GET","POST"],"credentials":["ok:test","YWRtaW4zOmFkbWluMw=="]}]}"#;

    fn err(config: &str) -> String {
        parse_config(config.as_bytes()).unwrap_err()
    }

    #[test]
    fn the_istio_docs_configuration() {
        let c = parse_config(DOCS.as_bytes()).unwrap();
        assert_eq!(c.realm, "istio");
        assert_eq!(c.rules.len(), 1);
        assert_eq!(c.rules[0].path, Match::Prefix(b"/productpage".to_vec()));
        assert_eq!(
            c.rules[0].credentials,
            ["b2s6dGVzdA==", "YWRtaW4zOmFkbWluMw=="]
        );

        let ok = b"Basic b2s6dGVzdA==";
        let admin3 = b"Basic YWRtaW4zOmFkbWluMw==";
        assert_eq!(
            c.check(b"GET", b"/productpage", b"h", ok),
            Verdict::Continue
        );
        assert_eq!(
            c.check(b"POST", b"/productpage?u=1", b"h", admin3),
            Verdict::Continue
        );
        assert_eq!(
            c.check(b"GET", b"/productpage", b"h", b""),
            Verdict::Deny(BODY_NO_CREDENTIALS)
        );
        assert_eq!(
            c.check(b"GET", b"/productpage", b"h", b"Bearer x"),
            Verdict::Deny(BODY_NO_CREDENTIALS)
        );
        assert_eq!(
            c.check(b"GET", b"/productpage/x", b"h", b"Basic b2s6d3Jvbmc="),
            Verdict::Deny(BODY_BAD_CREDENTIALS)
        );
        // Unpadded is not the canonical form the original compares against.
        assert_eq!(
            c.check(b"GET", b"/productpage", b"h", b"Basic b2s6dGVzdA"),
            Verdict::Deny(BODY_BAD_CREDENTIALS)
        );
        // Other methods and paths are not this rule's business.
        assert_eq!(
            c.check(b"PUT", b"/productpage", b"h", b""),
            Verdict::Continue
        );
        assert_eq!(c.check(b"GET", b"/static/x", b"h", b""), Verdict::Continue);
    }

    #[test]
    fn exact_and_suffix_see_the_query_string() {
        let c = parse_config(
            br#"{"realm":"shop","basic_auth_rules":[
                {"exact":"/api","request_methods":["GET"],"credentials":["a:b"]},
                {"suffix":".json","request_methods":["GET"],"credentials":["c:d"]}]}"#,
        )
        .unwrap();
        assert_eq!(c.realm, "shop");
        assert_eq!(
            c.check(b"GET", b"/api", b"", b""),
            Verdict::Deny(BODY_NO_CREDENTIALS)
        );
        assert_eq!(c.check(b"GET", b"/api?x", b"", b""), Verdict::Continue);
        assert_eq!(c.check(b"GET", b"/api/", b"", b""), Verdict::Continue);
        assert_eq!(
            c.check(b"GET", b"/x.json", b"", b""),
            Verdict::Deny(BODY_NO_CREDENTIALS)
        );
        assert_eq!(c.check(b"GET", b"/x.json?y", b"", b""), Verdict::Continue);
    }

    #[test]
    fn every_applicable_rule_must_pass() {
        let c = parse_config(
            br#"{"basic_auth_rules":[
                {"prefix":"/","request_methods":["GET"],"credentials":["a:b","c:d"]},
                {"prefix":"/admin","request_methods":["GET"],"credentials":["c:d"]}]}"#,
        )
        .unwrap();
        let ab = format!("Basic {}", STANDARD.encode("a:b"));
        let cd = format!("Basic {}", STANDARD.encode("c:d"));
        assert_eq!(
            c.check(b"GET", b"/x", b"", ab.as_bytes()),
            Verdict::Continue
        );
        assert_eq!(
            c.check(b"GET", b"/admin", b"", ab.as_bytes()),
            Verdict::Deny(BODY_BAD_CREDENTIALS)
        );
        assert_eq!(
            c.check(b"GET", b"/admin", b"", cd.as_bytes()),
            Verdict::Continue
        );
    }

    #[test]
    fn hosts() {
        let c = parse_config(
            br#"{"basic_auth_rules":[{"prefix":"/","hosts":["*.example.com","api.*","exact.org"],
                "request_methods":["GET"],"credentials":["a:b"]}]}"#,
        )
        .unwrap();
        let denied = Verdict::Deny(BODY_NO_CREDENTIALS);
        assert_eq!(c.check(b"GET", b"/", b"www.example.com:8080", b""), denied);
        assert_eq!(c.check(b"GET", b"/", b"api.local", b""), denied);
        assert_eq!(c.check(b"GET", b"/", b"exact.org:443", b""), denied);
        assert_eq!(
            c.check(b"GET", b"/", b"exact.org.evil", b""),
            Verdict::Continue
        );
        assert_eq!(c.check(b"GET", b"/", b"other.net", b""), Verdict::Continue);
        assert_eq!(strip_port(b"[::1]:80"), b"[::1]");
        assert_eq!(strip_port(b"[::1]"), b"[::1]");
    }

    #[test]
    fn configuration_errors() {
        assert_eq!(err(""), r#"empty; expected {"basic_auth_rules": [...]}"#);
        assert!(err("{").starts_with("not JSON: "), "{}", err("{"));
        assert_eq!(err("[]"), "expected a JSON object, found an array");
        assert_eq!(err("{}"), "missing basic_auth_rules");
        assert_eq!(
            err(r#"{"basic_auth_rules":{}}"#),
            "basic_auth_rules: expected an array, found an object"
        );
        assert_eq!(
            err(r#"{"basic_auth_rules":[{"request_methods":["GET"],"credentials":["a:b"]}]}"#),
            "basic_auth_rules[0]: needs one of prefix, exact, suffix"
        );
        assert_eq!(
            err(
                r#"{"basic_auth_rules":[{"prefix":"/","exact":"/","request_methods":["GET"],"credentials":["a:b"]}]}"#
            ),
            "basic_auth_rules[0]: give only one of prefix, exact, suffix"
        );
        assert_eq!(
            err(
                r#"{"basic_auth_rules":[{"prefix":"","request_methods":["GET"],"credentials":["a:b"]}]}"#
            ),
            "basic_auth_rules[0].prefix: must not be empty"
        );
        assert_eq!(
            err(r#"{"basic_auth_rules":[{"prefix":"/","credentials":["a:b"]}]}"#),
            "basic_auth_rules[0].request_methods: needs at least one method"
        );
        assert_eq!(
            err(r#"{"basic_auth_rules":[{"prefix":"/","request_methods":["GET"]}]}"#),
            "basic_auth_rules[0].credentials: needs at least one credential"
        );
        assert_eq!(
            err(
                r#"{"basic_auth_rules":[{"prefix":"/","request_methods":["GET"],"credentials":["a:b"]},
                {"prefix":"/","request_methods":["GET"],"credentials":["a:b","!!!"]}]}"#
            ),
            "basic_auth_rules[1].credentials[1]: neither user:pass nor the base64 of user:pass"
        );
        // Valid base64, but of something without a colon.
        assert_eq!(
            err(
                r#"{"basic_auth_rules":[{"prefix":"/","request_methods":["GET"],"credentials":["YWRtaW4="]}]}"#
            ),
            "basic_auth_rules[0].credentials[0]: neither user:pass nor the base64 of user:pass"
        );
        assert_eq!(
            err(
                r#"{"basic_auth_rules":[{"prefix":"/","request_methods":["GET",1],"credentials":["a:b"]}]}"#
            ),
            "basic_auth_rules[0].request_methods[1]: expected a string, found a number"
        );
        assert_eq!(
            err(r#"{"realm":7,"basic_auth_rules":[]}"#),
            "realm: expected a string, found a number"
        );
    }

    #[test]
    fn base64_credentials_without_padding_are_accepted_in_the_configuration() {
        let c = parse_config(
            br#"{"basic_auth_rules":[{"prefix":"/","request_methods":["GET"],"credentials":["YWRtaW4zOmFkbWluMw"]}]}"#,
        )
        .unwrap();
        assert_eq!(c.rules[0].credentials, ["YWRtaW4zOmFkbWluMw=="]);
    }
}
