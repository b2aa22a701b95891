//! Views of a checked repository: a workload's filter chain ([`explain`]), what runs where and
//! drift against a cluster ([`status`]), the catalog for the terminal ([`browse`]) and the static
//! website ([`site`]).

pub mod browse;
pub mod explain;
pub mod replay;
pub mod site;
pub mod status;
