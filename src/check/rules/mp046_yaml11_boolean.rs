//! MP046 yaml11-boolean (load): A string written as an unquoted YAML 1.1 boolean word (`yes`, `no`,
//! `on`, `off`, `y`, `n` and their capitalized and upper-case forms) is quoted: kubectl and other
//! YAML 1.1 readers see a boolean.
//!
//! **Severity:** warning
//!
//! meshplug reads its own files as YAML 1.2, where only `true` and `false` are booleans: an unquoted
//! `no` in a string field is the string `no`. kubectl (sigs.k8s.io/yaml over go-yaml v2), Helm,
//! Ansible and PyYAML read YAML 1.1, where `y`, `Y`, `yes`, `Yes`, `YES`, `on`, `On`, `ON` are `true`
//! and `n`, `N`, `no`, `No`, `NO`, `off`, `Off`, `OFF` are `false` (other case mixes, `yEs`, are
//! strings everywhere). A value that means a word should not depend on which tool reads the file:
//! quote it. The warning names the boolean the other readers would see.
//!
//! ```yaml bad file=catalog/cart-audit.yaml
//! apiVersion: meshplug.io/v1alpha1
//! kind: Plugin
//! metadata:
//!   name: cart-audit
//! spec:
//!   title: {en: Cart Audit}
//!   description:
//!     en: no  # MP046
//!   versions:
//!   - version: 1.4.2
//!     url: oci://registry.example.com/wasm/cart-audit:1.4.2
//! ```
//!
//! ```yaml good file=catalog/cart-audit.yaml
//! apiVersion: meshplug.io/v1alpha1
//! kind: Plugin
//! metadata:
//!   name: cart-audit
//! spec:
//!   title: {en: Cart Audit}
//!   description:
//!     en: "no"
//!   versions:
//!   - version: 1.4.2
//!     url: oci://registry.example.com/wasm/cart-audit:1.4.2
//! ```

// Found by the loader (`src/load/`), which reports it as `rule::YAML11_BOOLEAN`.
