//! MP028 config-schema-invalid (check): A catalog entry's configSchema is itself a valid JSON
//! Schema.
//!
//! **Severity:** error
//!
//! A catalog entry's `configSchema` must itself be a valid JSON Schema (draft 2020-12), or MP027 could
//! not check anything against it. The usual mistakes are YAML-isms such as `type: list` or
//! `type: map` instead of `array` and `object`.
//!
//! ```yaml bad file=catalog/cart-audit.yaml
//! apiVersion: meshplug.io/v1alpha1
//! kind: Plugin
//! metadata:
//!   name: cart-audit
//! spec:
//!   title: {en: Cart Audit}
//!   description: {en: Logs every change to a shopping cart.}
//!   versions:
//!   - version: 1.4.2
//!     url: oci://registry.example.com/wasm/cart-audit:1.4.2
//!     sha256: 50c0953ce16434ca546048838fc065c9decc5bdf497d1cc6d635e7897f78df44
//!   configSchema:
//!     type: object
//!     properties:
//!       fields:
//!         type: list        # MP028
//!         items: {type: string}
//! ```
//!
//! ```yaml good file=catalog/cart-audit.yaml
//! apiVersion: meshplug.io/v1alpha1
//! kind: Plugin
//! metadata:
//!   name: cart-audit
//! spec:
//!   title: {en: Cart Audit}
//!   description: {en: Logs every change to a shopping cart.}
//!   versions:
//!   - version: 1.4.2
//!     url: oci://registry.example.com/wasm/cart-audit:1.4.2
//!     sha256: 50c0953ce16434ca546048838fc065c9decc5bdf497d1cc6d635e7897f78df44
//!   configSchema:
//!     type: object
//!     properties:
//!       fields:
//!         type: array
//!         items: {type: string}
//! ```

use crate::check::Context;
use crate::diag::rule::CONFIG_SCHEMA_INVALID;
use crate::diag::{Diagnostic, Places as _};

/// Every catalog entry whose `configSchema` is not a mapping or not a valid JSON Schema.
pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for p in cx.catalog.entries() {
        let Some(schema) = &p.item.spec.config_schema else {
            continue;
        };
        if !schema.is_object() {
            out.push(
                p.doc
                    .diag(
                        &CONFIG_SCHEMA_INVALID,
                        "/spec/configSchema",
                        "configSchema must be a mapping (a JSON Schema object)",
                    )
                    .help("write e.g. `configSchema: {type: object, properties: {...}}`"),
            );
            continue;
        }
        if cx.catalog.config_validator(&p.item.metadata.name).is_some() {
            continue;
        }
        // Compiled again only for a schema that failed, to say why.
        let Err(e) = jsonschema::validator_for(schema) else {
            continue;
        };
        let inner = e.instance_path().as_str().to_string();
        // The meta-schema's own wording for a bad `type` ("not valid under any of the schemas
        // listed in the 'anyOf' keyword") does not say what is wrong.
        let (message, help) = match (inner.rsplit('/').next(), e.instance().as_str()) {
            (Some("type"), Some(t)) => (
                format!("`type: {t}` is not a JSON Schema type"),
                "use one of array, boolean, integer, null, number, object, string (a YAML list is an `array`, a mapping an `object`)",
            ),
            _ => (
                format!("configSchema is not a valid JSON Schema: {}", e.masked()),
                "fix the schema (draft 2020-12; `type`, `properties`, `required`, ...)",
            ),
        };
        out.push(
            p.doc
                .diag(
                    &CONFIG_SCHEMA_INVALID,
                    &format!("/spec/configSchema{inner}"),
                    message,
                )
                .label("invalid schema")
                .help(help),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::check::testkit::{entry, findings};

    fn schema(s: &str) -> Vec<(&'static str, String)> {
        let one = "  - {version: 1.0.0, url: \"file:///a.wasm\"}\n";
        let p = entry(one, &format!("  configSchema: {s}\n"));
        findings(&[("catalog/x.yaml", &p)])
            .into_iter()
            .map(|(c, _, m)| (c, m))
            .collect()
    }

    #[test]
    fn schemas_that_are_not_json_schemas() {
        assert_eq!(
            schema("{type: object, properties: {a: {type: map}}}"),
            [("MP028", "`type: map` is not a JSON Schema type".into())]
        );
        // A property that happens to be called `type` is not mistaken for the keyword.
        assert_eq!(
            schema("{type: object, properties: {type: {type: string}}}"),
            []
        );
        let other = schema("{type: object, required: keys}");
        assert_eq!(other.len(), 1);
        assert!(
            other[0]
                .1
                .starts_with("configSchema is not a valid JSON Schema: "),
            "{other:?}"
        );
        assert_eq!(
            schema("[a, b]"),
            [(
                "MP028",
                "configSchema must be a mapping (a JSON Schema object)".into()
            )]
        );
    }
}
