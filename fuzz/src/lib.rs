//! What every fuzz target shares: loading one document the way `meshplug` does, and printing
//! diagnostics in both output formats (a span or message that cannot be shown is a crash too).

use meshplug::diag::Diagnostic;
use meshplug::load::{Loaded, load_document};
use meshplug::model::{Kind, Marketplace};
use meshplug::present::{Format, Reporter};

/// Print `diags` for people and as JSON, into memory.
pub fn present(diags: &[Diagnostic]) {
    let reporter = Reporter {
        format: Format::Human,
        color: false,
    };
    for d in diags {
        let _ = reporter.human(d);
        let _ = d.location();
    }
    let _ = serde_json::to_string(&reporter.json(diags));
}

/// Load `data` as the document `name` of `kind`, printing whatever it reports.
pub fn load<T: serde::de::DeserializeOwned>(
    name: &str,
    data: &[u8],
    kind: Kind,
) -> Option<Loaded<T>> {
    let mut diags = Vec::new();
    let loaded = load_document::<T>(name, data.to_vec(), kind, &mut diags);
    present(&diags);
    loaded
}

/// A marketplace with two clusters on different Istio versions.
pub fn default_marketplace() -> Loaded<Marketplace> {
    const TEXT: &str = "apiVersion: meshplug.io/v1alpha1\nkind: Marketplace\nmetadata: {name: fuzz}\nspec:\n  clusters:\n  - {name: prod, istioVersion: \"1.27\"}\n  - {name: old, istioVersion: \"1.20\"}\n";
    load("meshplug.yaml", TEXT.as_bytes(), Kind::Marketplace)
        .expect("the default marketplace loads")
}
