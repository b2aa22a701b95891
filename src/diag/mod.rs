//! The base layer, which depends on nothing else in meshplug: source files and spans, the
//! [`Places`] trait that points a finding at a node, [`Diagnostic`] and [`Severity`], the rule
//! table ([`rule`]), did-you-mean suggestions and JSON-pointer helpers.

mod diagnostic;
mod error;
mod places;
pub mod pointer;
pub mod rule;
pub mod shown;
mod source;
mod suggest;

pub use diagnostic::{Diagnostic, Severity, sort_and_dedup};
pub use error::Error;
pub use places::Places;
pub use rule::Rule;
pub use source::{Children, Located, SourceFile, Span, SpanTree};
pub use suggest::did_you_mean;
