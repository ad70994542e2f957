//! The golden outputs on the memory host: byte-identical to SQLite's.

mod common;

fn main() {
    kaiden_host_suite::golden::main::<common::Memory>("golden-memory");
}
