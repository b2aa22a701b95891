//! MP018 digest-mismatch (check): An @sha256: digest in the url agrees with the sha256 field.
//!
//! **Severity:** error
//!
//! An OCI url may carry its digest (`oci://host/repo@sha256:...`). When the `sha256` field is set as
//! well, the Istio agent expects the field's value while the registry serves the image the url names,
//! so two different digests make every fetch fail, inside the proxies, long after the manifest was
//! applied. Keep one of them, or make them the same.
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
//!     url: oci://registry.example.com/wasm/cart-audit@sha256:50c0953ce16434ca546048838fc065c9decc5bdf497d1cc6d635e7897f78df44
//!     sha256: 6084d6e48d2388276a1492ab8c680b4b170c7f7adc2299b480af58cf1fd82f32  # MP018
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
//!     url: oci://registry.example.com/wasm/cart-audit@sha256:50c0953ce16434ca546048838fc065c9decc5bdf497d1cc6d635e7897f78df44
//! ```
