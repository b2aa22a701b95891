//! MP021 label-syntax (check): Selector labels: no empty key, no '*' in keys or values, valid
//! Kubernetes label syntax, values at most 63 characters.
//!
//! **Severity:** error
//!
//! Selector labels follow Kubernetes label syntax: a key is an optional DNS-subdomain prefix and `/`,
//! then a name of at most 63 letters, digits, `-`, `_` and `.` that starts and ends with a letter or
//! digit; a value is empty or such a name. Istio's CRD adds that neither may contain `*` and a key may
//! not be empty: there are no wildcards, and a pattern would match no pod at all. An empty
//! `matchLabels` is a warning under the same code, since it selects the whole namespace.
//!
//! ```yaml bad file=bindings/shop/cart.yaml
//! apiVersion: meshplug.io/v1alpha1
//! kind: Binding
//! metadata:
//!   name: cart
//!   namespace: shop
//! spec:
//!   selector:
//!     matchLabels:
//!       app: cart-*         # MP021
//!   plugins:
//!   - plugin: key-auth
//!     pluginConfig:
//!       keys: [x-api-key]
//! ```
//!
//! ```yaml good file=bindings/shop/cart.yaml
//! apiVersion: meshplug.io/v1alpha1
//! kind: Binding
//! metadata:
//!   name: cart
//!   namespace: shop
//! spec:
//!   selector:
//!     matchLabels:
//!       app.kubernetes.io/part-of: cart
//!   plugins:
//!   - plugin: key-auth
//!     pluginConfig:
//!       keys: [x-api-key]
//! ```

use crate::check::Context;
use crate::diag::rule::LABEL_SYNTAX;
use crate::diag::{Diagnostic, Places};
use std::collections::BTreeMap;

/// The selector labels of every binding that has a selector.
pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for b in &cx.repo.bindings {
        if let Some(sel) = &b.item.spec.selector {
            out.extend(selector(&b.doc, &sel.match_labels));
        }
    }
}

/// Selector labels (no wildcard, no empty key, Kubernetes label syntax); a warning for an empty
/// selector. Pointers are under `/spec/selector/matchLabels`. Also used by `meshplug lint`.
pub fn selector(doc: &impl Places, labels: &BTreeMap<String, String>) -> Vec<Diagnostic> {
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
    use crate::check::testkit::{binding, plugin};

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
