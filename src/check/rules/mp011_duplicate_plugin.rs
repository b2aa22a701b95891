//! MP011 duplicate-plugin (check): Every catalog entry name is unique across all catalog dirs
//! (including builtin), and an entry lists each version once.
//!
//! **Severity:** error
//!
//! A plugin name identifies one catalog entry across every catalog directory, the builtin catalog
//! included; a binding that says `plugin: key-auth` must mean exactly one thing. The entry found later
//! (in the order of `spec.catalog`, then by path) is reported. Within one entry, each version may be
//! listed only once.
//!
//! ```yaml bad file=catalog/platform/key-auth.yaml
//! apiVersion: meshplug.io/v1alpha1
//! kind: Plugin
//! metadata:
//!   name: key-auth          # MP011
//! spec:
//!   title: {en: Key Auth (platform build)}
//!   description: {en: Our build of key-auth with audit logging.}
//!   versions:
//!   - version: 2.1.0
//!     url: oci://registry.example.com/platform/key-auth:2.1.0
//!     sha256: 6084d6e48d2388276a1492ab8c680b4b170c7f7adc2299b480af58cf1fd82f32
//! ```
//!
//! ```yaml good file=catalog/platform/key-auth.yaml
//! apiVersion: meshplug.io/v1alpha1
//! kind: Plugin
//! metadata:
//!   name: platform-key-auth
//! spec:
//!   title: {en: Key Auth (platform build)}
//!   description: {en: Our build of key-auth with audit logging.}
//!   versions:
//!   - version: 2.1.0
//!     url: oci://registry.example.com/platform/key-auth:2.1.0
//!     sha256: 6084d6e48d2388276a1492ab8c680b4b170c7f7adc2299b480af58cf1fd82f32
//! ```
