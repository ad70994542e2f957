//! The SQLite host and the import types against Tachi's own data: its seed files
//! load as they are, and its fixtures import as Tachi's tests expect.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::path::Path;

use kaiden::core::format::ImportInput;
use kaiden::core::{ImportDocument, ImportError, ImportType};
use kaiden::pipeline::{ImportRequest, NoProgress};
use kaiden_sqlite::SqliteHost;
use kaiden_testkit::{Conformance, TempDir};

/// A host with only the named seed files of `dir` loaded.
fn host_with(data: &Path, label: &str, files: &[&str]) -> (TempDir, SqliteHost) {
    let tmp = TempDir::new(label);
    let seeds = tmp.join("seeds");
    std::fs::create_dir_all(&seeds).unwrap();
    for f in files {
        std::os::unix::fs::symlink(data.join(f), seeds.join(Path::new(f).file_name().unwrap()))
            .unwrap();
    }
    let host = SqliteHost::open(tmp.join("kaiden.db")).unwrap();
    host.load_seeds(&seeds).unwrap();
    host.ensure_user(1, "conformance").unwrap();
    (tmp, host)
}

fn import(host: &SqliteHost, bytes: &[u8]) -> Result<ImportDocument, ImportError> {
    import_as(host, ImportType::FILE_BATCH_MANUAL, bytes)
}

fn import_as(
    host: &SqliteHost,
    import_type: ImportType,
    bytes: &[u8],
) -> Result<ImportDocument, ImportError> {
    import_with(host, import_type, bytes, BTreeMap::new())
}

fn import_with(
    host: &SqliteHost,
    import_type: ImportType,
    bytes: &[u8],
    fields: BTreeMap<String, String>,
) -> Result<ImportDocument, ImportError> {
    let request = ImportRequest {
        import_type,
        user: 1,
        user_intent: false,
        input: ImportInput {
            bytes,
            stream: None,
            filename: None,
            fields,
            headers: BTreeMap::new(),
        },
        import_id: None,
    };
    tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap()
        .block_on(kaiden::pipeline::import(
            host,
            &kaiden::registry(),
            request,
            &NoProgress,
        ))
}

/// A dry run (`kaiden check`) then the import, of one file: the report, the
/// ImportDocument, and the check that no record failed for an internal reason.
fn check_then_import(
    host: &SqliteHost,
    import_type: ImportType,
    bytes: &[u8],
    fields: BTreeMap<String, String>,
) -> (kaiden::pipeline::CheckReport, ImportDocument) {
    let input = ImportInput {
        bytes,
        fields: fields.clone(),
        ..ImportInput::default()
    };
    let report = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap()
        .block_on(kaiden::pipeline::check(
            host,
            &kaiden::registry(),
            import_type,
            &input,
            1,
        ))
        .unwrap();
    let doc = import_with(host, import_type, bytes, fields).unwrap();
    let internal = doc
        .errors
        .iter()
        .filter(|e| e.error_type == kaiden::core::ImportErrorType::InternalError)
        .count();
    assert_eq!(internal, 0, "{import_type}: {:?}", doc.errors);
    (report, doc)
}

fn fixture(data: &Path, name: &str) -> Vec<u8> {
    std::fs::read(data.join("fixtures/batch-manual").join(name)).unwrap()
}

fn main() {
    let mut suite = Conformance::new("kaiden-sqlite");
    suite.case("every seed file loads as it is", |data| {
        let (_t, host) = host_with(data, "seeds-all", &[]);
        let report = host.load_seeds(data.join("seeds")).unwrap();
        assert!(report.games.len() >= 10, "{report:?}");
        let (songs, charts) = report.games[&kaiden::core::Game::Sdvx];
        assert!(songs > 1000 && charts > 4000, "sdvx {songs} {charts}");
        assert!(
            report.goals > 200 && report.quests > 10 && report.folders > 3000,
            "{report:?}"
        );
        // Reloading replaces; nothing is duplicated.
        let again = host.load_seeds(data.join("seeds")).unwrap();
        assert_eq!(again, report);
        let report = host.load_seeds(data.join("iidx")).unwrap();
        assert_eq!(report.games[&kaiden::core::Game::Iidx], (1890, 11_419));
    });
    for (file, seeds, scores) in [
        (
            "empty-file.json",
            ["iidx/songs-iidx.json", "iidx/charts-iidx.json"],
            0,
        ),
        (
            "small-file.json",
            ["iidx/songs-iidx.json", "iidx/charts-iidx.json"],
            1,
        ),
        (
            "sdvx-in-game-id.json",
            ["seeds/songs-sdvx.json", "seeds/charts-sdvx.json"],
            1,
        ),
        (
            "chunitachi.json",
            ["seeds/songs-chunithm.json", "seeds/charts-chunithm.json"],
            1,
        ),
    ] {
        suite.case(
            format!(
                "batch-manual {file}: {scores} score(s), 0 errors ({})",
                seeds[1]
            ),
            move |data| {
                let (_t, host) = host_with(data, "bm", &seeds);
                let doc = import(&host, &fixture(data, file)).unwrap();
                assert_eq!(
                    (doc.score_ids.len(), doc.errors.len()),
                    (scores, 0),
                    "{:?}",
                    doc.errors
                );
            },
        );
    }
    suite.case(
        "batch-manual invalid JSON is a fatal 400 with a position",
        |data| {
            let (_t, host) = host_with(
                data,
                "bm-invalid",
                &["iidx/songs-iidx.json", "iidx/charts-iidx.json"],
            );
            let mut bytes = fixture(data, "small-file.json");
            bytes.truncate(bytes.len() / 2);
            let before = host.dump().unwrap();
            let err = import(&host, &bytes).expect_err("truncated JSON is fatal");
            assert_eq!(err.http_status(), 400);
            assert!(err.position().is_some_and(|p| p.line.is_some()), "{err}");
            assert_eq!(host.dump().unwrap(), before);
        },
    );
    suite.case(
        "eamusement-sdvx-csv exceed-gear-score.csv: all 204 rows imported (real SDVX seeds)",
        |data| {
            let bytes =
                std::fs::read(data.join("fixtures/eamusement-sdvx-csv/exceed-gear-score.csv"))
                    .unwrap();
            let (_t, host) = host_with(
                data,
                "sdvx-csv",
                &["seeds/songs-sdvx.json", "seeds/charts-sdvx.json"],
            );
            let (report, doc) = check_then_import(
                &host,
                ImportType::FILE_EAMUSEMENT_SDVX_CSV,
                &bytes,
                BTreeMap::new(),
            );
            assert_eq!(report.records.len(), 204);
            // Every row imports: "Life is beautiful" by its exact title (the seeds
            // also hold "Life is Beautiful"), and the two songs titled
            // "カジノファイヤーことみちゃん" told apart by the row's EXHAUST 16.
            assert_eq!(
                (doc.score_ids.len(), doc.errors.len()),
                (204, 0),
                "{:?}",
                doc.errors
            );
            // No timestamps: no sessions.
            assert!(doc.created_sessions.is_empty());
            // Every EX score is 0 in this export: stored as null.
            let scores = host.documents("scores", 1).unwrap();
            assert!(
                scores
                    .iter()
                    .all(|s| s["scoreData"]["optional"]["exScore"].is_null())
            );
            let orphans = host.documents("orphans", 1).unwrap().len();
            let not_found = doc
                .errors
                .iter()
                .filter(|e| e.error_type == kaiden::core::ImportErrorType::SongOrChartNotFound)
                .count();
            assert_eq!(
                orphans, not_found,
                "every unknown chart is kept as an orphan"
            );
        },
    );
    suite.case(
        "mypagescraper records.csv: 280 scores (real WACCA seeds)",
        |data| {
            let bytes =
                std::fs::read(data.join("fixtures/wacca-mypage-scraper/records.csv")).unwrap();
            let (_t, host) = host_with(
                data,
                "wacca-csv",
                &["seeds/songs-wacca.json", "seeds/charts-wacca.json"],
            );
            let (report, doc) = check_then_import(
                &host,
                ImportType::FILE_MYPAGESCRAPER_RECORDS_CSV,
                &bytes,
                BTreeMap::new(),
            );
            assert_eq!(report.records.len(), 280);
            assert_eq!(
                doc.score_ids.len() + doc.errors.len(),
                280,
                "{:?}",
                doc.errors
            );
            assert!(
                doc.score_ids.len() > 250,
                "{} imported, errors {:?}",
                doc.score_ids.len(),
                doc.errors
            );
        },
    );
    for (file, datapoints) in [
        ("small-hv-file.csv", None),
        ("pre-leggendaria.csv", Some(456)),
        ("post-leggendaria.csv", Some(6285)),
    ] {
        suite.case(
            format!("eamusement-iidx-csv {file}: 0 errors (Tachi's IIDX test database)"),
            move |data| {
                let bytes =
                    std::fs::read(data.join("fixtures/eamusement-iidx-csv").join(file)).unwrap();
                let fields: BTreeMap<String, String> =
                    [("playtype".to_owned(), "SP".to_owned())].into();
                for import_type in [
                    ImportType::FILE_EAMUSEMENT_IIDX_CSV,
                    ImportType::FILE_PLI_IIDX_CSV,
                ] {
                    let (_t, host) = host_with(
                        data,
                        "iidx-csv",
                        &["iidx/songs-iidx.json", "iidx/charts-iidx.json"],
                    );
                    let (report, doc) =
                        check_then_import(&host, import_type, &bytes, fields.clone());
                    if let Some(n) = datapoints {
                        assert_eq!(report.records.len(), n, "{file} datapoints");
                    }
                    assert!(
                        doc.errors.is_empty(),
                        "{file} as {import_type}: {:?}",
                        &doc.errors[..doc.errors.len().min(5)]
                    );
                    if file == "small-hv-file.csv" {
                        assert_eq!(doc.score_ids.len(), 2);
                    }
                    assert_eq!(doc.score_ids.len() as u64, report.import, "{file}");
                }
            },
        );
    }
    suite.run();
}
