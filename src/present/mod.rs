//! Present: diagnostics for people (miette snippets) and for machines (JSON, SARIF), and small
//! text helpers.

mod data;
pub mod fatal;
mod report;
pub mod sarif;

pub use data::{DataFormat, Style, format_data};
pub use report::{ColorChoice, Format, Reporter, counts};
