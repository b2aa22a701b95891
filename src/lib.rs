//! meshplug: a git repository as a marketplace of Istio WebAssembly plugins.
//!
//! The pipeline, one module per stage: [`load`] (discover files, parse with spans) →
//! [`check`] (JSON Schema + named rules) → [`render`] (WasmPlugin manifests and kustomizations) →
//! [`present`] (diagnostics and output); [`site`] publishes the marketplace as a static website. [`model`] holds the typed file formats; [`cli`] wires the
//! commands.

#![forbid(unsafe_op_in_unsafe_fn)]

pub mod check;
pub mod cli;
pub mod load;
pub mod model;
pub mod present;
pub mod render;
pub mod site;
