//! MP034 unknown-cluster (check): A binding names only clusters declared in meshplug.yaml.
//!
//! **Severity:** error
//!
//! `spec.clusters` of a binding limits it to some of the clusters declared in `meshplug.yaml`. A name
//! that is not declared would silently render nothing for the cluster that was meant; the hint
//! suggests the closest declared name.
//!
//! ```yaml bad file=bindings/shop/cart.yaml
//! apiVersion: meshplug.io/v1alpha1
//! kind: Binding
//! metadata:
//!   name: cart
//!   namespace: shop
//! spec:
//!   clusters:
//!   - prod
//!   - stagin                # MP034
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
//!   clusters:
//!   - prod
//!   - staging
//!   plugins:
//!   - plugin: key-auth
//!     pluginConfig:
//!       keys: [x-api-key]
//! ```

use crate::check::Context;
use crate::diag::rule::UNKNOWN_CLUSTER;
use crate::diag::{Diagnostic, Places as _, did_you_mean};

/// Every cluster named in a binding's `spec.clusters` that meshplug.yaml does not declare.
pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let declared = cx.repo.config.item.spec.cluster_names();
    for b in &cx.repo.bindings {
        for (i, c) in b.item.spec.clusters.iter().flatten().enumerate() {
            if declared.contains(&c.as_str()) {
                continue;
            }
            let d = b
                .doc
                .diag(
                    &UNKNOWN_CLUSTER,
                    &format!("/spec/clusters/{i}"),
                    format!("cluster `{c}` is not declared in meshplug.yaml"),
                )
                .label("unknown cluster");
            out.push(match did_you_mean(c, declared.iter().copied()) {
                Some(s) => d.help(format!(
                    "did you mean `{s}`? declared: {}",
                    declared.join(", ")
                )),
                None => d.help(format!(
                    "declared clusters: {}; add it under spec.clusters in meshplug.yaml",
                    declared.join(", ")
                )),
            });
        }
    }
}
