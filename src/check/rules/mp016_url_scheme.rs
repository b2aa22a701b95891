//! MP016 url-scheme (check): Module urls use oci://, https://, http:// or file:// explicitly.
//!
//! **Severity:** error
//!
//! Istio fetches modules from `oci://` (an image in a registry, recommended), `https://`, `http://`
//! and `file://` (a path inside the proxy container). A url without a scheme is treated as OCI only
//! when it parses that way: `registry.example.com:5000/wasm/x:1.0` reads as the scheme
//! `registry.example.com` and is rejected by the API server. meshplug therefore requires the scheme to
//! be written out, and checks that an OCI reference has a registry host and a lowercase repository.
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
//!     url: registry.example.com:5000/wasm/cart-audit:1.4.2  # MP016
//!     sha256: 50c0953ce16434ca546048838fc065c9decc5bdf497d1cc6d635e7897f78df44
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
//!     url: oci://registry.example.com:5000/wasm/cart-audit:1.4.2
//!     sha256: 50c0953ce16434ca546048838fc065c9decc5bdf497d1cc6d635e7897f78df44
//! ```
