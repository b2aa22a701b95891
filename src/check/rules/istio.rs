//! The per-entry checks of a binding that are still grouped here: MP022-MP024 on each entry's
//! `vmConfig.env` and MP033 on its `pluginConfig`. The other Istio rules are in their rule files.

use super::catalog::check_env;
use super::secrets;
use crate::check::Effective;
use crate::diag::Diagnostic;
use crate::load::Loaded;
use crate::model::Binding;

/// The env (MP022-MP024) and secrets (MP033) rules on every resolved entry of one binding.
pub fn check_binding_env_and_secrets(
    b: &Loaded<Binding>,
    effective: &[Effective<'_>],
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let doc = &b.doc;
    let spec = &b.item.spec;
    for e in effective {
        let at = e.pointer();
        let u = &spec.plugins[e.index];
        if let Some(vm) = &u.vm_config {
            out.extend(check_env(doc, &format!("{at}/vmConfig/env"), &vm.env));
        }
        let cfg_ptr = format!("{at}/pluginConfig");
        if let Some(cfg) = &u.plugin_config {
            out.extend(secrets::check(
                doc,
                &cfg_ptr,
                &serde_json::Value::Object(cfg.clone()),
            ));
        }
    }
    out
}
