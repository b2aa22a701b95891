//! Istio's own rules on a binding: the CRD's CEL and list-map rules, istiod's validation, and the
//! semantics that make a valid WasmPlugin silently useless (SERVER on gateways, stripped env vars,
//! FAIL_OPEN authn, features the cluster's Istio lacks), plus the plugin's config schema.

use super::*;
use crate::check::{Catalog, Effective};
use crate::diag::Diagnostic;
use crate::diag::Places;
use crate::load::schema;
use crate::load::{Loaded, Repo};
use crate::model::{Binding, FailStrategy, Phase, TargetRef, TrafficSelector, WorkloadMode};
use std::collections::BTreeMap;

pub use crate::model::attach::{
    gateway_name, labels_mark_gateway, selects_gateway, targets_gateway,
};

/// Every Istio rule on one binding and its resolved entries.
pub fn check_binding_istio(
    repo: &Repo,
    b: &Loaded<Binding>,
    effective: &[Effective<'_>],
    catalog: &Catalog<'_>,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let doc = &b.doc;
    let spec = &b.item.spec;
    let root_ns = repo.config.item.spec.root_namespace.as_str();

    if spec.selector.is_some() && spec.target_refs.is_some() {
        out.push(
            doc.diag_key(&SELECTOR_ONE_OF, "/spec/targetRefs", "selector and targetRefs are both set")
                .label("second workload selection")
                .help("keep one: `selector` for sidecars and gateways by label, `targetRefs` for Gateway API gateways and waypoints"),
        );
    }
    if let Some(sel) = &spec.selector {
        out.extend(check_selector(doc, &sel.match_labels));
    }
    if let Some(refs) = &spec.target_refs {
        out.extend(check_target_refs(
            doc,
            refs,
            &b.item.metadata.namespace,
            root_ns,
        ));
    }

    let gateway = targets_gateway(&b.item);
    let clusters = &repo.config.item.spec.clusters;
    for e in effective {
        let at = e.pointer();
        let u = &spec.plugins[e.index];
        out.extend(check_match(doc, &at, e.r#match, gateway));
        if let Some(d) = check_fail_open(
            doc,
            &at,
            u.fail_strategy.is_some(),
            e.plugin_name(),
            e.phase,
            e.fail_strategy,
        ) {
            out.push(d);
        }
        for c in clusters
            .iter()
            .filter(|c| e.clusters.contains(&c.name.as_str()))
        {
            let Some(minor) = c.istio_version.as_deref().and_then(istio_minor) else {
                continue;
            };
            if e.fail_strategy == Some(FailStrategy::FailReload) && minor < 27 {
                let ptr = if u.fail_strategy.is_some() {
                    format!("{at}/failStrategy")
                } else {
                    at.clone()
                };
                out.push(doc.diag(&ISTIO_VERSION, &ptr, format!("FAIL_RELOAD needs Istio 1.27; cluster `{}` runs 1.{minor}", c.name)).label("too new for the cluster").help("use FAIL_CLOSE, or limit the binding with `clusters:` to clusters on 1.27+".to_string()));
            }
            if spec.target_refs.is_some() && minor < 22 {
                out.push(doc.diag_key(&ISTIO_VERSION, "/spec/targetRefs", format!("targetRefs needs Istio 1.22; cluster `{}` runs 1.{minor}", c.name)).help("use `selector`, or limit the binding with `clusters:` to clusters on 1.22+"));
            }
        }
        let cfg_ptr = format!("{at}/pluginConfig");
        if let Some(validator) = catalog.config_validator(e.plugin_name()) {
            let value = serde_json::Value::Object(e.plugin_config().unwrap_or_default());
            schema::check_config(validator, &value, |inner, msg| {
                let where_ = if inner.is_empty() {
                    String::new()
                } else {
                    format!(" at {inner}")
                };
                out.push(
                    doc.diag(
                        &PLUGIN_CONFIG,
                        &format!("{cfg_ptr}{inner}"),
                        format!("pluginConfig of `{}`{where_}: {msg}", e.plugin_name()),
                    )
                    .label("does not match the plugin's configSchema")
                    .help(format!(
                        "see the configSchema in {} (or `meshplug catalog show {}`)",
                        e.plugin.doc.source.path,
                        e.plugin_name()
                    )),
                );
            });
        }
    }
    out
}

/// MP021: selector labels (no wildcard, no empty key, Kubernetes label syntax); a warning for an
/// empty selector. Pointers are under `/spec/selector/matchLabels`.
pub fn check_selector(doc: &impl Places, labels: &BTreeMap<String, String>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if labels.is_empty() {
        out.push(
            doc.diag(
                &LABEL_SYNTAX,
                "/spec/selector/matchLabels",
                "selector has no labels: it selects every workload in the namespace",
            )
            .severity(crate::diag::Severity::Warning)
            .help("remove `selector` to mean the whole namespace, or add labels"),
        );
    }
    for (k, v) in labels {
        let ptr = format!(
            "/spec/selector/matchLabels/{}",
            crate::diag::pointer::escape(k)
        );
        if let Some(why) = label_key_problem(k) {
            out.push(doc.diag_key(&LABEL_SYNTAX, &ptr, format!("label key `{k}` {why}")).label("invalid label key").help("label keys are `[prefix/]name`: name up to 63 of [A-Za-z0-9-_.], prefix a DNS subdomain; no `*`"));
        }
        if let Some(why) = label_value_problem(v) {
            out.push(doc.diag(&LABEL_SYNTAX, &ptr, format!("label value `{v}` {why}")).label("invalid label value").help("label values are up to 63 of [A-Za-z0-9-_.], starting and ending alphanumeric; no `*` (Istio has no wildcards)"));
        }
    }
    out
}

/// MP026: targetRefs (at most 16, no namespace, supported kinds with their groups, GatewayClass
/// only from the root namespace). Pointers are under `/spec/targetRefs`.
pub fn check_target_refs(
    doc: &impl Places,
    refs: &[TargetRef],
    namespace: &str,
    root_ns: &str,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if refs.len() > 16 {
        out.push(
            doc.diag(
                &TARGET_REFS,
                "/spec/targetRefs",
                format!("{} targetRefs; Istio allows at most 16", refs.len()),
            )
            .help("split the binding"),
        );
    }
    for (i, r) in refs.iter().enumerate() {
        let ptr = format!("/spec/targetRefs/{i}");
        if r.namespace.as_deref().is_some_and(|n| !n.is_empty()) {
            out.push(doc.diag(&TARGET_REFS, &format!("{ptr}/namespace"), "targetRef namespace must be empty").label("cross-namespace reference").help("Istio does not support cross-namespace targets; put the binding in the target's namespace and drop `namespace`"));
        }
        let group = r.group.as_deref().unwrap_or("");
        let expected: Option<&[&str]> = match r.kind.as_str() {
            "Gateway" | "GatewayClass" => Some(&["gateway.networking.k8s.io"]),
            "Service" => Some(&["", "core"]),
            "ServiceEntry" => Some(&["networking.istio.io"]),
            _ => None,
        };
        match expected {
            None => out.push(
                doc.diag(
                    &TARGET_REFS,
                    &format!("{ptr}/kind"),
                    format!("targetRef kind `{}` is not supported", r.kind),
                )
                .label("unsupported kind")
                .help("use Gateway, GatewayClass, Service or ServiceEntry"),
            ),
            Some(groups) if !groups.contains(&group) => out.push(
                doc.diag(
                    &TARGET_REFS,
                    &format!("{ptr}/group"),
                    format!("kind {} needs group `{}`, not `{group}`", r.kind, groups[0]),
                )
                .help(format!(
                    "set `group: {}`",
                    if groups[0].is_empty() {
                        "\"\""
                    } else {
                        groups[0]
                    }
                )),
            ),
            Some(_) => {}
        }
        if r.kind == "GatewayClass" && namespace != root_ns {
            out.push(
                doc.diag(
                    &TARGET_REFS,
                    &format!("{ptr}/kind"),
                    format!("GatewayClass targets work only from the root namespace `{root_ns}`"),
                )
                .help(format!("move the binding to namespace {root_ns}")),
            );
        }
    }
    out
}

/// MP025 and MP030 on one entry's `match` list at `at`: duplicate ports, SERVER on a gateway.
pub fn check_match(
    doc: &impl Places,
    at: &str,
    matches: &[TrafficSelector],
    gateway: bool,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (m, sel) in matches.iter().enumerate() {
        let mut ports = std::collections::BTreeMap::new();
        for (p, port) in sel.ports.iter().enumerate() {
            if let Some(first) = ports.insert(port.number, p) {
                out.push(
                    doc.diag(
                        &MATCH_PORTS,
                        &format!("{at}/match/{m}/ports/{p}/number"),
                        format!(
                            "port {} is listed twice (also on line {})",
                            port.number,
                            doc.line(&format!("{at}/match/{m}/ports/{first}/number"))
                        ),
                    )
                    .label("duplicate port")
                    .help("list each port once"),
                );
            }
        }
        if gateway && sel.mode == Some(WorkloadMode::Server) {
            out.push(
                doc.diag(
                    &SERVER_MODE_ON_GATEWAY,
                    &format!("{at}/match/{m}/mode"),
                    "mode SERVER on a gateway: the plugin would never run",
                )
                .label("gateways are CLIENT")
                .help("Istio treats gateway traffic as CLIENT; use CLIENT or drop `mode`"),
            );
        }
    }
    out
}

/// MP031: FAIL_OPEN in an AUTHN or AUTHZ phase. `explicit` says whether the entry at `at` sets
/// `failStrategy` itself (the diagnostic then points at it).
pub fn check_fail_open(
    doc: &impl Places,
    at: &str,
    explicit: bool,
    plugin: &str,
    phase: Phase,
    fail_strategy: Option<FailStrategy>,
) -> Option<Diagnostic> {
    if !matches!(phase, Phase::Authn | Phase::Authz)
        || fail_strategy != Some(FailStrategy::FailOpen)
    {
        return None;
    }
    let ptr = if explicit {
        format!("{at}/failStrategy")
    } else {
        at.to_string()
    };
    Some(
        doc.diag(
            &FAIL_OPEN_AUTH,
            &ptr,
            format!("`{plugin}` runs in phase {} with FAIL_OPEN", phase.as_str()),
        )
        .label("fails open")
        .help("a broken auth plugin would let every request through; use FAIL_CLOSE"),
    )
}

/// The minor version of an Istio version string like `1.27` or `1.27.3`.
pub fn istio_minor(v: &str) -> Option<u32> {
    v.strip_prefix("1.")?.split('.').next()?.parse().ok()
}

fn is_label_name(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 63
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
        && s.as_bytes()[0].is_ascii_alphanumeric()
        && s.as_bytes()[s.len() - 1].is_ascii_alphanumeric()
}

fn label_key_problem(k: &str) -> Option<&'static str> {
    if k.is_empty() {
        return Some("is empty");
    }
    if k.contains('*') {
        return Some("contains a wildcard `*`");
    }
    let (prefix, name) = match k.rsplit_once('/') {
        Some((p, n)) => (Some(p), n),
        None => (None, k),
    };
    if let Some(p) = prefix {
        let ok = !p.is_empty()
            && p.len() <= 253
            && p.split('.').all(|part| {
                is_label_name(part)
                    && !part.contains('_')
                    && part.bytes().all(|b| !b.is_ascii_uppercase())
            });
        if !ok {
            return Some("has an invalid prefix (must be a DNS subdomain)");
        }
    }
    (!is_label_name(name)).then_some("is not a valid label name")
}

fn label_value_problem(v: &str) -> Option<&'static str> {
    if v.contains('*') {
        return Some("contains a wildcard `*`");
    }
    if v.len() > 63 {
        return Some("is longer than 63 characters");
    }
    (!v.is_empty() && !is_label_name(v)).then_some("is not a valid label value")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::testkit::{binding, findings, plugin};

    #[test]
    fn label_keys() {
        for ok in [
            "app",
            "app_name",
            "App.Name-2",
            "app.kubernetes.io/name",
            "gateway.networking.k8s.io/gateway-name",
            &format!("{}/x", ["a".repeat(63).as_str(); 3].join(".")),
            &"a".repeat(63),
        ] {
            assert_eq!(label_key_problem(ok), None, "{ok}");
        }
        for (bad, why) in [
            ("", "is empty"),
            ("*", "contains a wildcard `*`"),
            ("app.kubernetes.io/*", "contains a wildcard `*`"),
            (
                "Example.com/app",
                "has an invalid prefix (must be a DNS subdomain)",
            ),
            (
                "my_team.io/app",
                "has an invalid prefix (must be a DNS subdomain)",
            ),
            ("/app", "has an invalid prefix (must be a DNS subdomain)"),
            ("a/b/c", "has an invalid prefix (must be a DNS subdomain)"),
            (
                &format!("{}/x", ["a".repeat(63).as_str(); 4].join(".")),
                "has an invalid prefix (must be a DNS subdomain)",
            ),
            ("example.com/", "is not a valid label name"),
            ("-app", "is not a valid label name"),
            ("app.", "is not a valid label name"),
            ("app name", "is not a valid label name"),
            (&"a".repeat(64), "is not a valid label name"),
        ] {
            assert_eq!(label_key_problem(bad), Some(why), "{bad}");
        }
    }

    #[test]
    fn label_values() {
        for ok in ["", "v1", "v1.2_3-rc", "ingressgateway", &"a".repeat(63)] {
            assert_eq!(label_value_problem(ok), None, "{ok}");
        }
        for (bad, why) in [
            ("cart-*", "contains a wildcard `*`"),
            ("*", "contains a wildcard `*`"),
            (&"a".repeat(64), "is longer than 63 characters"),
            ("-v1", "is not a valid label value"),
            ("v1 ", "is not a valid label value"),
            ("a/b", "is not a valid label value"),
        ] {
            assert_eq!(label_value_problem(bad), Some(why), "{bad}");
        }
    }

    #[test]
    fn istio_versions() {
        assert_eq!(istio_minor("1.27"), Some(27));
        assert_eq!(istio_minor("1.22.3"), Some(22));
        assert_eq!(istio_minor("2.0"), None);
        assert_eq!(istio_minor("1"), None);
    }

    /// (code, path:line, message) of every finding for one binding of `shop/cart` or, with a
    /// namespace prefix (`istio-system/...`), of that namespace, over a catalog entry `a`.
    fn check_binding(namespace: &str, spec: &str) -> Vec<(&'static str, String, String)> {
        let a = plugin("a", "{phase: AUTHN, priority: 300}");
        let b = binding(namespace, "cart", spec);
        findings(&[("catalog/a.yaml", &a), ("bindings/cart.yaml", &b)])
    }

    fn refs(list: &str) -> String {
        format!("  targetRefs: {list}\n  plugins:\n  - plugin: a\n")
    }

    #[test]
    fn target_ref_rules() {
        let gw = "{group: gateway.networking.k8s.io, kind: Gateway, name: shop}";
        assert_eq!(check_binding("shop", &refs(&format!("[{gw}]"))), []);
        let svc = "{group: \"\", kind: Service, name: cart-waypoint}";
        assert_eq!(check_binding("shop", &refs(&format!("[{svc}]"))), []);
        let one = |list: &str| {
            let f = check_binding("shop", &refs(list));
            assert_eq!(f.len(), 1, "{list}: {f:?}");
            (f[0].0, f[0].2.clone())
        };
        assert_eq!(
            one("[{group: gateway.networking.k8s.io, kind: Gateway, name: shop, namespace: web}]"),
            ("MP026", "targetRef namespace must be empty".into())
        );
        assert_eq!(
            one("[{group: networking.istio.io, kind: Gateway, name: shop}]"),
            (
                "MP026",
                "kind Gateway needs group `gateway.networking.k8s.io`, not `networking.istio.io`"
                    .into()
            )
        );
        assert_eq!(
            one("[{kind: ServiceEntry, name: payments}]"),
            (
                "MP026",
                "kind ServiceEntry needs group `networking.istio.io`, not ``".into()
            )
        );
        assert_eq!(
            one("[{group: gateway.networking.k8s.io, kind: GatewayClass, name: istio}]"),
            (
                "MP026",
                "GatewayClass targets work only from the root namespace `istio-system`".into()
            )
        );
        let class = refs("[{group: gateway.networking.k8s.io, kind: GatewayClass, name: istio}]");
        assert_eq!(check_binding("istio-system", &class), []);
        let many = format!("[{}]", vec![gw; 17].join(", "));
        assert_eq!(
            one(&many),
            ("MP026", "17 targetRefs; Istio allows at most 16".into())
        );
        assert_eq!(
            check_binding("shop", &refs(&format!("[{}]", vec![gw; 16].join(", ")))),
            []
        );
    }

    #[test]
    fn version_gates_follow_each_cluster() {
        let old = "apiVersion: meshplug.io/v1alpha1\nkind: Marketplace\nmetadata: {name: t}\nspec:\n  clusters:\n  - {name: prod, istioVersion: \"1.27.1\"}\n  - {name: legacy, istioVersion: \"1.21\"}\n  - {name: unknown}\n";
        let a = plugin("a", "{phase: AUTHN, priority: 300}");
        let run = |spec: &str| {
            let b = binding("shop", "cart", spec);
            findings(&[
                ("meshplug.yaml", old),
                ("catalog/a.yaml", &a),
                ("bindings/cart.yaml", &b),
            ])
            .into_iter()
            .map(|(c, _, m)| (c, m))
            .collect::<Vec<_>>()
        };
        let gw = "[{group: gateway.networking.k8s.io, kind: Gateway, name: shop}]";
        assert_eq!(
            run(&refs(gw)),
            [(
                "MP032",
                "targetRefs needs Istio 1.22; cluster `legacy` runs 1.21".to_string()
            )]
        );
        assert_eq!(
            run(&format!("  clusters: [prod, unknown]\n{}", refs(gw))),
            []
        );
        assert_eq!(
            run("  plugins:\n  - plugin: a\n    failStrategy: FAIL_RELOAD\n"),
            [(
                "MP032",
                "FAIL_RELOAD needs Istio 1.27; cluster `legacy` runs 1.21".to_string()
            )]
        );
    }

    #[test]
    fn server_mode_only_matters_on_gateways() {
        let server = "  plugins:\n  - plugin: a\n    match: [{mode: SERVER}]\n";
        assert_eq!(check_binding("shop", server), []);
        let by_label = format!("  selector:\n    matchLabels: {{istio: egressgateway}}\n{server}");
        assert_eq!(check_binding("shop", &by_label)[0].0, "MP030");
        let by_ref = format!(
            "  targetRefs: [{{group: gateway.networking.k8s.io, kind: Gateway, name: shop}}]\n{server}"
        );
        assert_eq!(check_binding("shop", &by_ref)[0].0, "MP030");
    }

    #[test]
    fn empty_selector_is_a_warning() {
        let repo = crate::check::testkit::repo(&[
            ("catalog/a.yaml", &plugin("a", "{}")),
            (
                "bindings/cart.yaml",
                &binding(
                    "shop",
                    "cart",
                    "  selector: {matchLabels: {}}\n  plugins:\n  - plugin: a\n",
                ),
            ),
        ]);
        let checked = crate::check::check(&repo);
        let d = &checked.diagnostics;
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(
            (d[0].rule.code, d[0].severity),
            ("MP021", crate::diag::Severity::Warning)
        );
    }
}
