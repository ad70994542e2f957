//! The host suite on the memory host.

mod common;

kaiden_host_suite::host_suite!(common::Memory);
kaiden_host_suite::service_suite!(common::Memory);
