//! The omfang server and command-line tool: the only crate that speaks HTTP and SQL.

pub mod cli;
pub mod config;
pub mod db;
pub mod domain;
mod error;
pub mod http;
pub mod mail;
pub mod registry;
pub mod reports;
pub mod secret;
pub mod serve;
pub mod startup;
pub mod telemetry;

pub use error::Error;
