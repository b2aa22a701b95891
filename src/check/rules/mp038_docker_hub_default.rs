//! MP038 docker-hub-default (check): An OCI url names its registry: a first segment without `.` or
//! `:` that is not `localhost` (`oci://acme/hello:1.0`) is part of a Docker Hub repository, not a
//! host.
//!
//! **Severity:** warning
//!
//! Istio's agent reads an OCI url with the Docker reference grammar: the first path segment is a
//! registry host only when it contains a `.` or a `:` or is `localhost`. Anything else is the start of
//! a repository on Docker Hub, so `oci://acme/hello:1.0` is Docker Hub's `index.docker.io/acme/hello:1.0`,
//! and `oci://my-registry/wasm/hello:1.0` is Docker Hub's `my-registry/wasm/hello`, not a registry
//! called `my-registry`. meshplug resolves such urls the same way (it talks to `registry-1.docker.io`),
//! and warns because a short private host name is the likelier intent. Write the host with its domain
//! or port (`acme.example.com/hello:1.0`, `acme:5000/hello:1.0`); to mean Docker Hub, say so with
//! `docker.io/acme/hello:1.0`.
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
//!     url: oci://acme/cart-audit:1.4.2  # MP038
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
//!     url: oci://registry.acme.example/cart-audit:1.4.2
//! ```
