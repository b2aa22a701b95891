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

use crate::check::Context;
use crate::diag::rule::DOCKER_HUB_DEFAULT;
use crate::diag::{Diagnostic, Places};
use crate::model::url::{ModuleUrl, OciRef, redact};

/// Every catalog OCI url whose first segment is not a registry host, so Docker Hub is meant.
pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (doc, at, v) in cx.versions() {
        let parsed = ModuleUrl::parse(&v.url);
        if parsed.scheme != Some("oci") {
            continue;
        }
        if let Ok(r) = OciRef::parse(parsed.rest)
            && r.docker_hub_by_default()
        {
            let ptr = format!("{at}/url");
            out.push(finding(doc, &ptr, &redact(&v.url), parsed.rest, &r));
        }
    }
}

/// The finding for the reference `rest` (parsed as `r`, shown as `shown`) at `ptr`, which
/// names no registry. Shared with `lint`.
pub fn finding(doc: &impl Places, ptr: &str, shown: &str, rest: &str, r: &OciRef) -> Diagnostic {
    let (private, port) = match rest.split_once('/') {
        Some((first, tail)) => (
            format!("{first}.example.com/{tail}"),
            format!("{first}:5000/{tail}"),
        ),
        None => (
            format!("registry.example.com/{rest}"),
            format!("registry:5000/{rest}"),
        ),
    };
    let looks_like_host = if !rest.contains('/')
        && rest
            .split(['@', ':'])
            .next()
            .is_some_and(|n| n.contains('.'))
    {
        " (a host alone names no repository)"
    } else {
        ""
    };
    doc.diag(
        &DOCKER_HUB_DEFAULT,
        ptr,
        format!(
            "`{shown}` names no registry host, so it resolves to Docker Hub: {}{looks_like_host}",
            r.canonical()
        ),
    )
    .label("Docker Hub by default")
    .help(format!(
        "if you meant a private registry, write its host with a `.` or port, e.g. `oci://{private}` or `oci://{port}`; for Docker Hub write `oci://docker.io/{r}`"
    ))
}

#[cfg(test)]
mod tests {
    use crate::check::testkit::url_findings;

    #[test]
    fn docker_hub_by_default_is_pointed_out() {
        let c = url_findings("oci://acme/hello:1.0", None);
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].0, "MP038");
        assert!(
            c[0].1.contains("index.docker.io/acme/hello:1.0"),
            "{}",
            c[0].1
        );
        for quiet in [
            "docker.io/acme/hello:1.0",
            "index.docker.io/library/nginx:1",
            "localhost/x:1",
            "acme:5000/hello:1.0",
            "acme.example.com/hello:1.0",
        ] {
            assert!(
                url_findings(&format!("oci://{quiet}"), None).is_empty(),
                "{quiet}"
            );
        }
    }
}
