//! The host suite on a real SQLite file.

mod common;

kaiden_host_suite::host_suite!(common::Sqlite);
kaiden_host_suite::service_suite!(common::Sqlite);
