//! The rule catalogue: every check has a stable code, a name and a default severity.
//! This table is the only list of codes; `docs/rules.md` is generated from it.

use super::Severity;

/// A named check with a stable code.
#[derive(Debug, PartialEq, Eq)]
pub struct Rule {
    /// Stable code, e.g. `MP012`.
    pub code: &'static str,
    /// Short kebab-case name.
    pub name: &'static str,
    /// Default severity.
    pub severity: Severity,
    /// One line: what the rule checks.
    pub summary: &'static str,
}

macro_rules! rules {
    ($($id:ident = $code:literal $name:literal $sev:ident $summary:literal;)*) => {
        $(
            #[doc = $summary]
            pub static $id: Rule = Rule { code: $code, name: $name, severity: Severity::$sev, summary: $summary };
        )*
        /// Every rule, in code order.
        pub static ALL: &[&Rule] = &[$(&$id),*];
    };
}

rules! {
    YAML = "MP001" "yaml-syntax" Error "The file is readable, UTF-8, at most 16 MiB, and holds exactly one well-formed YAML document without duplicate keys.";
    SCHEMA = "MP002" "schema" Error "The document matches the JSON Schema of its kind: known fields, right types, required fields present.";
    KIND = "MP003" "wrong-kind" Error "apiVersion is meshplug.io/v1alpha1 and the kind fits the directory (Plugin in catalog dirs, Binding in binding dirs).";
    PATH = "MP004" "unsafe-path" Error "Repository paths stay inside the repository: configured dirs are relative without `..`, no symlink leaves the repository, and configured dirs exist (warning).";
    NAME = "MP010" "invalid-name" Error "Names that become Kubernetes names are DNS-1123 labels and the rendered WasmPlugin name is unique in its namespace.";
    DUPLICATE_PLUGIN = "MP011" "duplicate-plugin" Error "Every catalog entry name is unique across all catalog dirs (including builtin), and an entry lists each version once.";
    UNKNOWN_PLUGIN = "MP012" "unknown-plugin" Error "A binding refers only to plugins in the catalog.";
    UNKNOWN_VERSION = "MP013" "unknown-version" Error "A binding refers only to versions its catalog entry lists.";
    PRIORITY_RANGE = "MP014" "priority-range" Error "priority is between 1 and 1000.";
    BAD_ENUM = "MP015" "bad-enum" Error "phase, failStrategy, imagePullPolicy, type, match mode and env valueFrom use one of the CRD's values.";
    URL_SCHEME = "MP016" "url-scheme" Error "Module urls use oci://, https://, http:// or file:// explicitly.";
    SHA256_FORMAT = "MP017" "sha256-format" Error "sha256 is 64 lowercase hex characters without a sha256: prefix.";
    DIGEST_MISMATCH = "MP018" "digest-mismatch" Error "An @sha256: digest in the url agrees with the sha256 field.";
    MUTABLE_TAG = "MP019" "mutable-tag" Error "OCI urls name an explicit, non-latest tag or a digest.";
    SELECTOR_ONE_OF = "MP020" "selector-one-of" Error "A binding sets at most one of selector and targetRefs.";
    LABELS = "MP021" "label-syntax" Error "Selector labels: no empty key, no '*' in keys or values, valid Kubernetes label syntax, values at most 63 characters.";
    ENV_VALUE_FROM_HOST = "MP022" "env-value-with-host" Error "An env var with valueFrom: HOST has no value.";
    DUPLICATE_ENV = "MP023" "duplicate-env" Error "Env var names are unique within a plugin's vmConfig.";
    ISTIO_META_ENV = "MP024" "istio-meta-env" Error "Env var names do not start with ISTIO_META_ (Istio strips them silently) and are C identifiers.";
    PORTS = "MP025" "match-ports" Error "match ports are between 1 and 65535 and unique within an entry.";
    TARGET_REFS = "MP026" "target-refs" Error "targetRefs: at most 16, no namespace, kinds Gateway, GatewayClass (root namespace only), Service or ServiceEntry with their groups.";
    CONFIG_SCHEMA = "MP027" "plugin-config" Error "The effective pluginConfig (catalog defaults merged with the binding) satisfies the plugin's configSchema.";
    BAD_CONFIG_SCHEMA = "MP028" "config-schema-invalid" Error "A catalog entry's configSchema is itself a valid JSON Schema.";
    PRIORITY_CONFLICT = "MP029" "priority-conflict" Error "No two plugins with the same phase and priority can reach the same traffic of a workload (Istio would break the tie by creation time or namespace order).";
    SERVER_ON_GATEWAY = "MP030" "server-mode-on-gateway" Error "match mode SERVER is not used on gateways, which Istio treats as CLIENT (the plugin would never run).";
    FAIL_OPEN_AUTH = "MP031" "fail-open-auth" Warning "AUTHN and AUTHZ plugins fail closed: FAIL_OPEN would let requests through unauthenticated while the plugin is broken.";
    ISTIO_VERSION = "MP032" "istio-version" Error "Features match the clusters' Istio version: FAIL_RELOAD needs 1.27, targetRefs needs 1.22.";
    PLAINTEXT_SECRET = "MP033" "plaintext-secret" Warning "pluginConfig holds no plaintext credentials (passwords, tokens, keys, logins, passwords in urls, base64 of logins, Authorization values, JWTs, private keys), and module urls hold no password (error).";
    UNKNOWN_CLUSTER = "MP034" "unknown-cluster" Error "A binding names only clusters declared in meshplug.yaml.";
    DUPLICATE_BINDING = "MP035" "duplicate-binding" Error "One binding per namespace/service, and a plugin at most once per binding.";
    UNPINNED = "MP036" "unpinned-module" Error "Every remote module rendered is pinned by sha256 (from the catalog, the url digest or meshplug.lock).";
    FILE_SHA_IGNORED = "MP037" "file-url-sha256" Warning "sha256 on a file:// url has no effect: Istio never checks it.";
}

/// Look up a rule by code (`MP012`) or name (`unknown-plugin`).
pub fn find(code_or_name: &str) -> Option<&'static Rule> {
    ALL.iter()
        .copied()
        .find(|r| r.code.eq_ignore_ascii_case(code_or_name) || r.name == code_or_name)
}
