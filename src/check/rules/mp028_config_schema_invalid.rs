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
