//! Embedding kaiden: open the SQLite host, load seeds, import a BATCH-MANUAL
//! document, read the ImportDocument. `cargo run -p kaiden --example embed`.

use std::path::Path;

use kaiden::core::ImportType;
use kaiden::core::format::ImportInput;
use kaiden::pipeline::{self, ImportRequest, NoProgress};
use kaiden_sqlite::SqliteHost;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let db = std::env::temp_dir().join(format!("kaiden-embed-{}.db", std::process::id()));
    let host = SqliteHost::open(&db)?;
    host.load_seeds(root.join("examples/seeds"))?;
    host.ensure_user(1, "player")?;

    let body = br#"{"meta": {"game": "iidx", "playtype": "SP", "service": "my server"},
        "scores": [{"score": 2400, "lamp": "HARD CLEAR", "matchType": "songTitle",
                    "identifier": "Lantern Festival", "difficulty": "ANOTHER"}]}"#;
    let request = ImportRequest {
        import_type: ImportType::IR_DIRECT_MANUAL,
        user: 1,
        user_intent: true,
        input: ImportInput {
            bytes: body,
            ..ImportInput::default()
        },
        import_id: None,
    };
    let runtime = tokio::runtime::Builder::new_current_thread().build()?;
    let doc = runtime.block_on(pipeline::import(
        &host,
        &kaiden::registry(),
        request,
        &NoProgress,
    ))?;
    assert_eq!(doc.score_ids.len(), 1);
    println!("{}", serde_json::to_string_pretty(&doc)?);
    for f in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{f}", db.display()));
    }
    Ok(())
}
