//! The integration tests, one binary: each module tests one area through the real binary
//! and the real components it talks to (see support/ for the harness).

mod support;

mod bounded_output;
mod browse;
mod corpus;
mod determinism;
mod docker_hub;
mod edit;
mod faults;
mod gitops;
mod inspect;
mod interrupt;
mod lint;
mod misc;
mod precommit;
mod registry;
mod render;
mod rules;
mod run;
mod sarif;
mod schema;
mod security;
mod site;
mod site_browser;
mod traffic;
mod yaml11;
