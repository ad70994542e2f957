//! The golden outputs on PostgreSQL: byte-identical to SQLite's.

mod common;

fn main() {
    kaiden_host_suite::golden::main::<common::Pg>("golden-postgres");
}
