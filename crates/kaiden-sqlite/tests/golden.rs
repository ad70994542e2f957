//! The golden outputs on a real SQLite file.

mod common;

fn main() {
    kaiden_host_suite::golden::main::<common::Sqlite>("golden");
}
