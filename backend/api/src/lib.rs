//! omfang's HTTP contract: the request and response bodies of every JSON
//! route, in one serde-only crate that the server (`backend`) and the
//! browser app (`frontend`) both compile, so neither keeps a hand-made
//! mirror of the other's shapes.
//!
//! - [`respondent`]: the personal link's API (`/api/r/{token}/…`) and the
//!   error body every route answers with;
//! - [`registry`]: the municipality registry and SSB's size classes;
//! - [`rounds`]: the public, read-only round list;
//! - [`account`]: login, the logged-in account, users and the audit trail;
//! - [`admin`]: rounds, contacts, waves and the response-rate dashboard;
//! - [`research`]: cross-tabs, response rates, cleaning and the variables
//!   of analysis (the analysis crate produces these types);
//! - [`coding`]: coding frames of free text.
//!
//! With the `openapi` feature every type also derives `utoipa::ToSchema`,
//! which the server's OpenAPI document is generated from. No type here
//! holds survey-specific wording: labels come from the definition or the
//! registry at run time.

pub mod account;
pub mod admin;
pub mod coding;
mod float;
pub mod registry;
pub mod research;
pub mod respondent;
pub mod rounds;

pub use registry::SizeClass;
