//! The host suite on a real PostgreSQL server (SKIPPED without one).

mod common;

kaiden_host_suite::host_suite!(common::Pg);
kaiden_host_suite::service_suite!(common::Pg);
