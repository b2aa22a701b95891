//! meshplug: a git repository as a marketplace of Istio WebAssembly plugins.
//!
//! One downward pipeline ([`layers::LAYERS`] is the table, and a test enforces it):
//!
//! - base: [`diag`] (sources, spans, diagnostics, the rule table), [`model`] (the typed file
//!   formats), [`text`] (terminal text), [`atomic`] (atomic file and tree writes);
//! - [`artifact`]: registry client, image layouts, static Wasm check;
//! - [`load`]: discover files, parse with spans, schema gate, kinds;
//! - [`check`]: the semantic rules, one file each in `src/check/rules/` (the rule table is
//!   generated from those files by `build.rs`; see `docs/contributing.md`);
//! - [`lock`]: resolve and pin modules;
//! - [`run`]: the embedded proxy-wasm host that runs the pinned bytes;
//! - [`render`]: WasmPlugin manifests and kustomizations;
//! - [`manifests`] (hand-written WasmPlugins: read, lint, import) and [`edit`] (changing files);
//! - [`views`]: explain, status, browse, site;
//! - [`present`]: diagnostics and data for people and machines;
//! - [`cli`]: the commands.

#![forbid(unsafe_op_in_unsafe_fn)]

pub mod artifact;
pub mod atomic;
pub mod check;
pub mod cli;
pub mod diag;
pub mod edit;
pub mod layers;
pub mod load;
pub mod lock;
pub mod manifests;
pub mod model;
pub mod present;
pub mod render;
pub mod run;
pub mod synth;
pub mod text;
pub mod views;
