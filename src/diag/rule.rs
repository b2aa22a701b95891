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
    /// Where in the pipeline it runs, and so which command reports it.
    pub stage: Stage,
    /// One line: what the rule checks.
    pub summary: &'static str,
    /// The long documentation (Markdown): why, with a bad and a good example
    /// (`src/diag/rule/CODE.md`, tested by `tests/rules.rs`).
    pub doc: &'static str,
}

/// The pipeline stage a rule runs in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Stage {
    /// Reading files: syntax, schema, kinds, paths (`validate`).
    Load,
    /// The semantic rules over the whole repository (`validate`).
    Check,
    /// Pinning modules (`render`, which refuses what is not pinned).
    Render,
    /// Running the pinned modules in the embedded host (`validate --run`, `test`).
    Run,
}

impl Stage {
    /// The command that reports findings of this stage.
    pub fn command(self) -> &'static str {
        match self {
            Stage::Load | Stage::Check => "validate",
            Stage::Render => "render",
            Stage::Run => "validate --run",
        }
    }
}

macro_rules! rules {
    ($($id:ident = $code:literal $name:literal $sev:ident $stage:ident $summary:literal;)*) => {
        $(
            #[doc = $summary]
            pub static $id: Rule = Rule {
                code: $code,
                name: $name,
                severity: Severity::$sev,
                stage: Stage::$stage,
                summary: $summary,
                doc: include_str!(concat!("rule/", $code, ".md")),
            };
        )*
        /// Every rule, in code order.
        pub static ALL: &[&Rule] = &[$(&$id),*];
    };
}

rules! {
    YAML = "MP001" "yaml-syntax" Error Load "The file is readable, UTF-8, at most 16 MiB, and holds exactly one well-formed YAML document without duplicate keys.";
    SCHEMA = "MP002" "schema" Error Load "The document matches the JSON Schema of its kind: known fields, right types, required fields present.";
    KIND = "MP003" "wrong-kind" Error Load "apiVersion is meshplug.io/v1alpha1 and the kind fits the directory (Plugin in catalog dirs, Binding in binding dirs).";
    PATH = "MP004" "unsafe-path" Error Load "Repository paths stay inside the repository: configured dirs are relative without `..`, no symlink leaves the repository, and configured dirs exist (warning).";
    NAME = "MP010" "invalid-name" Error Check "Names that become Kubernetes names are DNS-1123 labels and the rendered WasmPlugin name is unique in its namespace.";
    DUPLICATE_PLUGIN = "MP011" "duplicate-plugin" Error Check "Every catalog entry name is unique across all catalog dirs (including builtin), and an entry lists each version once.";
    UNKNOWN_PLUGIN = "MP012" "unknown-plugin" Error Check "A binding refers only to plugins in the catalog.";
    UNKNOWN_VERSION = "MP013" "unknown-version" Error Check "A binding refers only to versions its catalog entry lists.";
    PRIORITY_RANGE = "MP014" "priority-range" Error Check "priority is between 1 and 1000.";
    BAD_ENUM = "MP015" "bad-enum" Error Check "phase, failStrategy, imagePullPolicy, type, match mode and env valueFrom use one of the CRD's values.";
    URL_SCHEME = "MP016" "url-scheme" Error Check "Module urls use oci://, https://, http:// or file:// explicitly.";
    SHA256_FORMAT = "MP017" "sha256-format" Error Check "sha256 is 64 lowercase hex characters without a sha256: prefix.";
    DIGEST_MISMATCH = "MP018" "digest-mismatch" Error Check "An @sha256: digest in the url agrees with the sha256 field.";
    MUTABLE_TAG = "MP019" "mutable-tag" Warning Check "OCI urls name an explicit, non-latest tag or a digest (a warning: Istio accepts a moving tag; `meshplug lock` pins it).";
    SELECTOR_ONE_OF = "MP020" "selector-one-of" Error Check "A binding sets at most one of selector and targetRefs.";
    LABELS = "MP021" "label-syntax" Error Check "Selector labels: no empty key, no '*' in keys or values, valid Kubernetes label syntax, values at most 63 characters.";
    ENV_VALUE_FROM_HOST = "MP022" "env-value-with-host" Error Check "An env var with valueFrom: HOST has no value.";
    DUPLICATE_ENV = "MP023" "duplicate-env" Error Check "Env var names are unique within a plugin's vmConfig.";
    ISTIO_META_ENV = "MP024" "istio-meta-env" Error Check "Env var names do not start with ISTIO_META_ (Istio strips them silently) and are C identifiers.";
    PORTS = "MP025" "match-ports" Error Check "match ports are between 1 and 65535 and unique within an entry.";
    TARGET_REFS = "MP026" "target-refs" Error Check "targetRefs: at most 16, no namespace, kinds Gateway, GatewayClass (root namespace only), Service or ServiceEntry with their groups.";
    CONFIG_SCHEMA = "MP027" "plugin-config" Error Check "The effective pluginConfig (catalog defaults merged with the binding) satisfies the plugin's configSchema.";
    BAD_CONFIG_SCHEMA = "MP028" "config-schema-invalid" Error Check "A catalog entry's configSchema is itself a valid JSON Schema.";
    PRIORITY_CONFLICT = "MP029" "priority-conflict" Error Check "No two plugins with the same phase and priority can reach the same traffic of a workload (Istio would break the tie by creation time or namespace order).";
    SERVER_ON_GATEWAY = "MP030" "server-mode-on-gateway" Error Check "match mode SERVER is not used on gateways, which Istio treats as CLIENT (the plugin would never run).";
    FAIL_OPEN_AUTH = "MP031" "fail-open-auth" Warning Check "AUTHN and AUTHZ plugins fail closed: FAIL_OPEN would let requests through unauthenticated while the plugin is broken.";
    ISTIO_VERSION = "MP032" "istio-version" Error Check "Features match the clusters' Istio version: FAIL_RELOAD needs 1.27, targetRefs needs 1.22.";
    PLAINTEXT_SECRET = "MP033" "plaintext-secret" Warning Check "pluginConfig holds no plaintext credentials (passwords, tokens, keys, logins, passwords in urls, base64 of logins, Authorization values, JWTs, private keys), and module urls hold no password (error).";
    UNKNOWN_CLUSTER = "MP034" "unknown-cluster" Error Check "A binding names only clusters declared in meshplug.yaml.";
    DUPLICATE_BINDING = "MP035" "duplicate-binding" Error Check "One binding per namespace/service, and a plugin at most once per binding.";
    UNPINNED = "MP036" "unpinned-module" Error Render "Every remote module rendered is pinned by sha256 (from the catalog, the url digest or meshplug.lock).";
    FILE_SHA_IGNORED = "MP037" "file-url-sha256" Warning Check "sha256 on a file:// url has no effect: Istio never checks it.";
    DOCKER_HUB_DEFAULT = "MP038" "docker-hub-default" Warning Check "An OCI url names its registry: a first segment without `.` or `:` that is not `localhost` (`oci://acme/hello:1.0`) is part of a Docker Hub repository, not a host.";
    HIGRESS_ABI = "MP039" "higress-abi" Warning Check "A catalog version recorded as built for Higress's proxy-wasm ABI 0.2.100, which stock Istio does not load, is not bound on an Istio cluster.";
    MODULE_START = "MP040" "module-start" Error Run "The pinned module loads and starts in the cluster's Istio: every import exists there, the ABI is one Istio knows, nothing traps in start-up, proxy_on_vm_start accepts.";
    CONFIG_REJECTED = "MP041" "config-rejected" Error Run "The plugin accepts the binding's exact pluginConfig and env in proxy_on_configure (Envoy refuses the whole listener update otherwise).";
    NOT_HTTP_FILTER = "MP042" "not-http-filter" Error Run "A plugin bound as an HTTP filter serves a first request without crashing.";
    OVER_BUDGET = "MP043" "over-budget" Error Run "Start-up, configuration and the first request stay within the dry run's CPU budget per callback and memory cap.";
    REQUEST_TEST = "MP044" "request-test" Error Run "Every request test of a binding (spec.tests) gets the expected status, headers and body through the workload's real chain.";
    MODULE_UNAVAILABLE = "MP045" "module-unavailable" Warning Run "The dry run could run every bound module: its digest is locked and its bytes are in the cache or a module dir, and HOST env vars have values.";
    YAML11_BOOLEAN = "MP046" "yaml11-boolean" Warning Load "A string written as an unquoted YAML 1.1 boolean word (`yes`, `no`, `on`, `off`, `y`, `n` and their capitalized and upper-case forms) is quoted: kubectl and other YAML 1.1 readers see a boolean.";
}

/// Look up a rule by code (`MP012`) or name (`unknown-plugin`).
pub fn find(code_or_name: &str) -> Option<&'static Rule> {
    ALL.iter()
        .copied()
        .find(|r| r.code.eq_ignore_ascii_case(code_or_name) || r.name == code_or_name)
}

/// `docs/rules.md`: the introduction, then every rule's section in code order.
pub fn markdown() -> String {
    let mut out = String::from(include_str!("rule/intro.md"));
    for rule in ALL {
        out.push_str(&format!(
            "\n<a id=\"{}\"></a>\n## {} {}\n\n{}",
            rule.code.to_lowercase(),
            rule.code,
            rule.name,
            rule.doc
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_doc_states_the_rule_severity_and_has_both_examples() {
        for rule in ALL {
            let first = rule.doc.lines().next().unwrap_or_default();
            let severity = format!("{:?}", rule.severity).to_lowercase();
            assert!(
                first.starts_with(&format!("**Severity:** {severity}")),
                "{}: the doc starts with `{first}`, not its severity `{severity}`",
                rule.code
            );
            assert!(
                rule.doc.contains("```yaml bad "),
                "{}: no bad example",
                rule.code
            );
            assert!(
                rule.doc.contains("```yaml good "),
                "{}: no good example",
                rule.code
            );
        }
    }

    #[test]
    fn codes_are_unique_and_sorted() {
        let codes: Vec<&str> = ALL.iter().map(|r| r.code).collect();
        let mut sorted = codes.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(codes, sorted);
    }
}
