//! Issue 25's lost score, on Tachi's own WACCA seeds: two scores of one play
//! on song 335 EXPERT share a scoreID (it ignores judgements); the first's
//! judgements cannot be an ALL MARVELOUS, the second has none. Tachi rejects
//! the first and imports the second (a scoreID is taken only once its score
//! passed validation); kaiden once dropped the second as a duplicate while
//! `kaiden check` said it would import it. Both now agree with Tachi.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use kaiden::core::ImportType;
use kaiden::core::format::ImportInput;
use kaiden::pipeline::{ImportRequest, NoProgress};
use kaiden_memory::MemoryHost;
use kaiden_testkit::{TempDir, tachi_data};
use serde_json::json;

#[test]
fn a_valid_score_after_an_invalid_one_with_its_scoreid_is_imported() {
    let Some(data) = tachi_data() else {
        eprintln!("SKIPPED: no ../shared/tachi-data (set KAIDEN_TACHI_DATA)");
        return;
    };
    // Only WACCA's seeds, read where they are.
    let seeds = TempDir::new("wacca-repeat");
    for f in ["songs-wacca.json", "charts-wacca.json"] {
        std::fs::copy(data.join("seeds").join(f), seeds.join(f)).unwrap();
    }
    let host = MemoryHost::new();
    host.load_seeds(seeds.path()).unwrap();
    host.ensure_user(1, "player");
    let score = |judgements: Option<serde_json::Value>| {
        let mut s = json!({"matchType": "tachiSongID", "identifier": "335", "difficulty": "EXPERT",
                           "score": 1_000_000, "lamp": "ALL MARVELOUS", "timeAchieved": 1_700_000_000_000_i64});
        if let Some(j) = judgements {
            s["judgements"] = j;
        }
        s
    };
    let doc = json!({"meta": {"game": "wacca", "playtype": "Single", "service": "test"},
        "scores": [score(Some(json!({"marvelous": 766, "great": 2, "good": 9, "miss": 1}))), score(None)]});
    let bytes = serde_json::to_vec(&doc).unwrap();
    let input = ImportInput {
        bytes: &bytes,
        ..ImportInput::default()
    };
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let report = rt
        .block_on(kaiden::pipeline::check(
            &host,
            &kaiden::registry(),
            ImportType::FILE_BATCH_MANUAL,
            &input,
            1,
        ))
        .unwrap();
    let outcomes: Vec<&str> = report.records.iter().map(|r| r.outcome).collect();
    assert_eq!(outcomes, ["reject", "import"]);
    let imported = rt
        .block_on(kaiden::pipeline::import(
            &host,
            &kaiden::registry(),
            ImportRequest {
                import_type: ImportType::FILE_BATCH_MANUAL,
                user: 1,
                user_intent: false,
                input,
                import_id: None,
            },
            &NoProgress,
        ))
        .unwrap();
    assert_eq!(imported.score_ids.len(), 1);
    assert_eq!(imported.errors.len(), 1);
    assert!(
        imported.errors[0]
            .message
            .starts_with("Got 1 error when validating score:"),
        "{:?}",
        imported.errors[0]
    );
    let stored = host.documents("scores", 1).unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0]["scoreID"], json!(imported.score_ids.to_vec()[0]));
    assert_eq!(stored[0]["scoreData"]["judgements"], json!({}));
    assert_eq!(
        stored[0]["chartID"],
        json!("0edcc3b7d1662ad67cb49a38a509ce05e89290c1")
    );
}
