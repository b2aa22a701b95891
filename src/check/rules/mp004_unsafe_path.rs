//! MP004 unsafe-path (load): Repository paths stay inside the repository: configured dirs are
//! relative without `..`, no symlink leaves the repository, and configured dirs exist (warning).
//!
//! **Severity:** error
//!
//! Everything meshplug reads must stay inside the repository: catalog and bindings directories are
//! relative paths without `..`, and a symlink in them may not lead outside the repository (nothing
//! under a symlinked directory outside it is read); `meshplug.yaml` and `meshplug.lock` may not be
//! symlinks that lead outside it either. A repository that reads files from elsewhere on the machine
//! is neither reviewable nor reproducible in CI, and the file's text would end up in diagnostics. A
//! configured directory that does not exist is reported as a warning under the same code.
//! (`meshplug render` separately refuses an output directory that is the repository root, a parent
//! of it, overlaps an input directory, or, for `spec.output`, resolves outside the repository through
//! a symlink; that is a usage error, exit code 2.)
//!
//! ```yaml bad file=meshplug.yaml
//! apiVersion: meshplug.io/v1alpha1
//! kind: Marketplace
//! metadata:
//!   name: shop
//! spec:
//!   catalog: [catalog]
//!   bindings:
//!   - ../platform/bindings  # MP004
//!   clusters:
//!   - {name: prod, istioVersion: "1.27"}
//!   - {name: staging, istioVersion: "1.24"}
//! ```
//!
//! ```yaml good file=meshplug.yaml
//! apiVersion: meshplug.io/v1alpha1
//! kind: Marketplace
//! metadata:
//!   name: shop
//! spec:
//!   catalog: [catalog]
//!   bindings:
//!   - bindings
//!   clusters:
//!   - {name: prod, istioVersion: "1.27"}
//!   - {name: staging, istioVersion: "1.24"}
//! ```

// Found by the loader (`src/load/`), which reports it as `rule::UNSAFE_PATH`.
