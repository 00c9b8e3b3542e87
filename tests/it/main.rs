//! omfang's one integration-test binary: the real server on SQLite and
//! PostgreSQL, its CLI, and the browser app in headless Chromium.

mod browser;
mod helpers;

mod access;
mod admin_browser;
mod api;
mod cli;
mod coding;
mod contract;
mod durability;
mod faithful;
mod journey;
mod logs;
mod oslo;
mod oslo_report;
mod preview;
mod privacy;
mod report_file;
mod research;
mod research_browser;
mod respondent;
mod respondent_edges;
mod scale_out;
mod scipy;
mod spreadsheet;
mod storage;
mod transport;
mod walk;
mod waves;
mod wording;
