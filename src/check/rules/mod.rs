//! The semantic rules (codes and docs in [`crate::diag::rule`]).

mod catalog;
mod conflicts;
mod higress_abi;
mod istio;
mod references;
mod secrets;

pub use catalog::{check_env, check_plugin, check_sha256, check_url};
pub use conflicts::check_priority_conflicts;
pub use higress_abi::{HIGRESS_ONLY_ABI, check_higress_abi};
pub use istio::{
    check_binding_istio, check_fail_open, check_match, check_selector, check_target_refs,
    gateway_name, labels_mark_gateway, selects_gateway, targets_gateway,
};
pub use references::check_binding_references;
pub use secrets::{check as check_secrets, has_url_password, looks_like_secret};

pub use crate::diag::rule::*;
