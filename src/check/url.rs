//! The OCI reference rules shared by catalog urls (`validate`) and WasmPlugin urls (`lint`):
//! the reference must parse as Istio's agent parses it (MP016), its digest must be one the agent
//! can verify (MP017), and a registry left to the Docker Hub default is pointed out (MP038).
//! What differs between the two (tags, schemes) stays with each caller.

use crate::diag::rule::{DOCKER_HUB_DEFAULT, SHA256_FORMAT, URL_SCHEME};
use crate::diag::{Diagnostic, Places};
use crate::model::url::{OciRef, RefPart};

/// Check the reference `rest` (an OCI url after `oci://`) of the url `shown` (as messages show
/// it) at `ptr`; returns the parsed reference when it is valid.
pub fn check_oci(
    doc: &impl Places,
    ptr: &str,
    shown: &str,
    rest: &str,
) -> (Option<OciRef>, Vec<Diagnostic>) {
    let r = match OciRef::parse(rest) {
        Ok(r) => r,
        Err(e) if e.part == RefPart::Digest => {
            let d = rest.split_once('@').map_or(rest, |(_, d)| d);
            return (
                None,
                vec![
                    doc.diag(
                        &SHA256_FORMAT,
                        ptr,
                        format!("digest `{d}` in the url is not sha256:<64 lowercase hex>"),
                    )
                    .label("bad digest")
                    .help("use the image manifest digest, as printed by `meshplug lock`"),
                ],
            );
        }
        Err(e) => {
            return (
                None,
                vec![
                    doc.diag(&URL_SCHEME, ptr, format!("invalid OCI reference: {e}"))
                        .label("invalid reference")
                        .help("write oci://registry/repository:tag (registry `host.domain`, `host:port` or `localhost`; repository lowercase)"),
                ],
            );
        }
    };
    let mut out = Vec::new();
    if r.docker_hub_by_default() {
        out.push(docker_hub_default(doc, ptr, shown, rest, &r));
    }
    (Some(r), out)
}

/// MP038 for `r`, which names no registry.
fn docker_hub_default(
    doc: &impl Places,
    ptr: &str,
    shown: &str,
    rest: &str,
    r: &OciRef,
) -> Diagnostic {
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
    use super::*;
    use crate::diag::SourceFile;
    use crate::load;

    fn codes(rest: &str) -> Vec<(&'static str, String)> {
        let src = SourceFile::new("t.yaml", format!("url: \"oci://{rest}\"\n"));
        let doc = load::parse(&src).unwrap();
        check_oci(&doc, "/url", &format!("oci://{rest}"), rest)
            .1
            .into_iter()
            .map(|d| (d.rule.code, d.message))
            .collect()
    }

    #[test]
    fn docker_hub_by_default_is_pointed_out() {
        let c = codes("acme/hello:1.0");
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
            assert!(codes(quiet).is_empty(), "{quiet}");
        }
    }

    #[test]
    fn invalid_references() {
        assert_eq!(codes("UPPER/x:1")[0].0, "MP016");
        assert_eq!(codes("ghcr.io/x/:1")[0].0, "MP016");
        assert_eq!(codes("ghcr.io/x@sha256:abc")[0].0, "MP017");
    }
}
