//! MYT syncs against a fake MYT (a real tonic gRPC server on a loopback
//! port, plaintext HTTP/2), on the memory host with Tachi's own seeds of the
//! game synced: Tachi's converter cases (spec §4.8) end to end, the fatal
//! errors of §4.2 and §4.3 with their statuses, WACCA's stage-up, and the
//! read-ahead of the stream.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use kaiden_core::format::{ImportFormat, ImportInput};
use kaiden_core::{ImportDocument, ImportError, ImportType};
use kaiden_memory::MemoryHost;
use kaiden_myt::fake::FakeMyt;
use kaiden_myt::proto::{chunithm, maimai, ongeki, wacca};
use kaiden_myt::{Chunithm, Maimaidx, Myt, MytConfig, MytServer, Ongeki, Title, Wacca};
use kaiden_pipeline::{ImportRequest, NoProgress, Registry};
use kaiden_service::IntegrationStore;
use kaiden_testkit::{TempDir, tachi_data};
use serde_json::Value;

const CARD: &str = "01234567890123456789";
const TOKEN: &str = "server-token";

struct Env {
    fake: FakeMyt,
    host: Arc<MemoryHost>,
    user: u64,
    config: MytConfig,
    _dir: TempDir,
}

/// A fake MYT knowing `CARD` with a profile in every title, and a memory
/// host with Tachi's seeds of `game`; `None` without Tachi's data.
fn env(label: &str, game: &str) -> Option<Env> {
    let Some(data) = tachi_data() else {
        eprintln!("SKIPPED: no ../shared/tachi-data (set KAIDEN_TACHI_DATA)");
        return None;
    };
    let dir = TempDir::new(label);
    for f in [format!("songs-{game}.json"), format!("charts-{game}.json")] {
        std::fs::copy(data.join("seeds").join(&f), dir.join(&f)).unwrap();
    }
    let host = MemoryHost::new();
    host.load_seeds(dir.path()).unwrap();
    host.ensure_user(1, "alice");
    host.put_myt_card(1, CARD).unwrap();
    let fake = FakeMyt::start(TOKEN);
    fake.with(|s| {
        s.cards.insert(
            CARD.to_owned(),
            ["chunithm", "maimai", "ongeki", "wacca"]
                .iter()
                .map(|t| ((*t).to_owned(), format!("{t}-api-1")))
                .collect(),
        );
    });
    let config = MytConfig {
        server: Some(MytServer {
            url: fake.url(),
            token: TOKEN.into(),
        }),
        ..MytConfig::default()
    };
    Some(Env {
        fake,
        host: Arc::new(host),
        user: 1,
        config,
        _dir: dir,
    })
}

impl Env {
    fn myt(&self) -> Myt {
        Myt::new(
            self.config.clone(),
            Arc::clone(&self.host) as Arc<dyn IntegrationStore>,
        )
    }

    fn sync<T: Title>(&self) -> Result<ImportDocument, ImportError> {
        let registry = Registry::new().with(self.myt().format::<T>());
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(kaiden_pipeline::import(
                &*self.host,
                &registry,
                ImportRequest {
                    import_type: T::IMPORT_TYPE,
                    user: self.user,
                    user_intent: true,
                    input: ImportInput::default(),
                    import_id: None,
                },
                &NoProgress,
            ))
    }

    /// A CHUNITHM sync's records, read by the test itself (no import).
    fn chunithm_records(
        &self,
    ) -> Box<dyn Iterator<Item = Result<<Chunithm as Title>::Record, ImportError>> + Send> {
        self.myt()
            .format::<Chunithm>()
            .parse_for_user(
                ImportType::API_MYT_CHUNITHM,
                &ImportInput::default(),
                self.user,
            )
            .unwrap()
            .records
    }

    fn scores(&self) -> Vec<Value> {
        self.host.documents("scores", self.user).unwrap()
    }

    fn imports(&self) -> Vec<Value> {
        self.host.documents("imports", self.user).unwrap()
    }
}

fn chunithm_item(music_id: i32, level: i32) -> chunithm::GetPlaylogStreamItem {
    chunithm::GetPlaylogStreamItem {
        playlog_api_id: format!("chu-{music_id}-{level}"),
        info: Some(chunithm::PlaylogInfo {
            music_id,
            level,
            score: 1_001_715,
            combo_status: 1,
            clear_status: 2,
            user_play_date: "2024-02-05T00:00:00.000Z".into(),
            ..Default::default()
        }),
        judge: Some(chunithm::PlaylogJudge {
            judge_heaven: 300,
            judge_critical: 1159,
            judge_justice: 37,
            judge_attack: 4,
            judge_miss: 10,
            max_combo: 493,
        }),
    }
}

fn status(e: &ImportError) -> u16 {
    e.kind().http_status()
}

#[test]
fn chunithm_imports_tachis_case_and_keeps_an_unknown_chart_as_an_orphan() {
    let Some(e) = env("myt-chunithm", "chunithm") else {
        return;
    };
    e.fake.with(|s| {
        s.chunithm.insert(
            "chunithm-api-1".into(),
            vec![
                chunithm_item(956, 4),
                chunithm_item(999_999, 4),
                chunithm_item(956, 6),
                chunithm_item(956, 0),
            ],
        );
    });
    let doc = e.sync::<Chunithm>().unwrap();
    assert_eq!(doc.import_type, ImportType::API_MYT_CHUNITHM);
    assert_eq!(doc.score_ids.len(), 1, "{:?}", doc.errors);
    let errors: Vec<(String, String)> = doc
        .errors
        .iter()
        .map(|x| {
            (
                serde_json::to_value(x.error_type)
                    .unwrap()
                    .as_str()
                    .unwrap()
                    .to_owned(),
                x.message.clone(),
            )
        })
        .collect();
    assert_eq!(
        errors,
        [
            (
                "SongOrChartNotFound".to_owned(),
                "Can't find chart with id 999999 and difficulty MASTER".to_owned()
            ),
            (
                "InvalidDatapoint".to_owned(),
                "Can't process a score with unspecified difficulty (musicId 956)".to_owned()
            ),
        ]
    );
    let scores = e.scores();
    assert_eq!(scores.len(), 1);
    let s = &scores[0];
    assert_eq!(s["chartID"], "fbba26a6a223b1dd0bf8ef139cfee83114b91086");
    assert_eq!(s["songID"], 956);
    assert_eq!(s["service"], "MYT");
    assert_eq!(s["importType"], "api/myt-chunithm");
    assert_eq!(s["timeAchieved"], 1_707_091_200_000_i64);
    assert_eq!(s["scoreData"]["judgements"]["jcrit"], 1459);
    assert_eq!(s["scoreData"]["clearLamp"], "CLEAR");
    assert_eq!(s["scoreData"]["noteLamp"], "NONE");
    assert_eq!(e.host.documents("orphans", e.user).unwrap().len(), 1);
    assert_eq!(
        e.fake.with(|s| s.calls.clone()),
        [
            format!("Lookup {CARD}"),
            "GetPlaylog chunithm chunithm-api-1".to_owned()
        ]
    );
}

#[test]
fn maimai_and_ongeki_import_tachis_cases() {
    let Some(e) = env("myt-maimai", "maimaidx") else {
        return;
    };
    e.fake.with(|s| {
        s.maimai.insert(
            "maimai-api-1".into(),
            vec![maimai::GetPlaylogStreamItem {
                playlog_api_id: "m1".into(),
                info: Some(maimai::PlaylogInfo {
                    music_id: 11294,
                    level: 3,
                    achievement: 990_562,
                    combo_status: 1,
                    is_clear: true,
                    user_play_date: "2022-11-03T04:21:05.000+09:00".into(),
                    ..Default::default()
                }),
                judge: Some(maimai::PlaylogJudge {
                    judge_critical_perfect: 10,
                    judge_perfect: 656,
                    judge_great: 19,
                    judge_good: 1,
                    judge_miss: 8,
                    max_combo: 279,
                    fast_count: 5,
                    late_count: 8,
                }),
            }],
        );
    });
    let doc = e.sync::<Maimaidx>().unwrap();
    assert_eq!(doc.score_ids.len(), 1, "{:?}", doc.errors);
    let s = &e.scores()[0];
    assert_eq!(s["chartID"], "fab3d632610b9b98ee1e4f68e9ecf0161f9cb8cd");
    assert_eq!(s["songID"], 844);
    assert_eq!(s["scoreData"]["percent"], 99.0562);
    assert_eq!(s["scoreData"]["lamp"], "CLEAR");
    assert_eq!(s["timeAchieved"], 1_667_416_865_000_i64);

    let Some(e) = env("myt-ongeki", "ongeki") else {
        return;
    };
    e.fake.with(|s| {
        s.ongeki.insert(
            "ongeki-api-1".into(),
            vec![ongeki::GetPlaylogStreamItem {
                playlog_api_id: "o1".into(),
                info: Some(ongeki::PlaylogInfo {
                    music_id: 678,
                    level: 4,
                    tech_score: 1_003_385,
                    combo_status: 1,
                    clear_status: 3,
                    is_full_bell: true,
                    platinum_score: 893,
                    user_play_date: "2022-09-28T12:04:21.400Z".into(),
                    ..Default::default()
                }),
                judge: Some(ongeki::PlaylogJudge {
                    judge_critical_break: 967,
                    judge_break: 19,
                    judge_hit: 0,
                    judge_miss: 5,
                    max_combo: 0,
                    bell_count: 174,
                    total_bell_count: 174,
                    damage_count: 0,
                }),
            }],
        );
    });
    let doc = e.sync::<Ongeki>().unwrap();
    assert_eq!(doc.score_ids.len(), 1, "{:?}", doc.errors);
    let s = &e.scores()[0];
    assert_eq!(s["chartID"], "e5e4ee3d4feb233c399751b3ba3daf8ba149c9e6");
    assert_eq!(s["songID"], 683);
    assert_eq!(s["scoreData"]["noteLamp"], "CLEAR");
    assert_eq!(s["scoreData"]["bellLamp"], "FULL BELL");
    assert_eq!(s["timeAchieved"], 1_664_366_661_400_i64);
}

fn wacca_item(music_id: i32, clear: Option<wacca::WaccaClearStatus>) -> wacca::PlaylogStreamItem {
    wacca::PlaylogStreamItem {
        playlog_api_id: format!("w-{music_id}"),
        info: Some(wacca::PlaylogInfo {
            music_id,
            music_difficulty: 3,
            score: 996_827,
            judge: Some(wacca::WaccaJudge {
                marvelous: 909,
                great: 4,
                good: 1,
                miss: 1,
            }),
            clear_status: clear,
            combo: 408,
            fast: 4,
            late: 1,
            user_play_date: "2024-03-23T19:34:10.350+00:00".into(),
            ..Default::default()
        }),
    }
}

/// A clear play that was no FULL COMBO (a different score than Tachi's case).
fn missless_clear() -> Option<wacca::WaccaClearStatus> {
    Some(wacca::WaccaClearStatus {
        is_clear: true,
        ..Default::default()
    })
}

fn wacca_data(versions: &[(i32, i32)]) -> wacca::DataResponse {
    wacca::DataResponse {
        user_name: "ALICE".into(),
        version_data: versions
            .iter()
            .map(|(v, rank)| {
                (
                    *v,
                    wacca::VersionData {
                        rank: *rank,
                        ..Default::default()
                    },
                )
            })
            .collect(),
        ..Default::default()
    }
}

fn stage_up(doc: &ImportDocument) -> Vec<&kaiden_core::documents::ClassDelta> {
    doc.class_deltas
        .iter()
        .filter(|d| d.set == "stageUp")
        .collect()
}

#[test]
fn wacca_imports_tachis_case_with_the_stage_up_of_plus_or_reverse() {
    let Some(e) = env("myt-wacca", "wacca") else {
        return;
    };
    let missless = Some(wacca::WaccaClearStatus {
        is_clear: true,
        is_missless: true,
        ..Default::default()
    });
    e.fake.with(|s| {
        s.wacca.insert(
            "wacca-api-1".into(),
            vec![
                wacca_item(2085, missless),
                // The chart exists: no clear status is invalid, not an orphan.
                wacca_item(2085, None),
                wacca_item(999_999, None),
            ],
        );
        // REVERSE rank 5 and PLUS rank 3: PLUS wins.
        s.wacca_data
            .insert("wacca-api-1".into(), wacca_data(&[(300, 5), (400, 3)]));
    });
    let doc = e.sync::<Wacca>().unwrap();
    assert_eq!(doc.score_ids.len(), 1, "{:?}", doc.errors);
    let messages: Vec<&str> = doc.errors.iter().map(|x| x.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "Can't process a score without clearStatus",
            "Can't find chart with id 999999 and difficulty EXPERT"
        ]
    );
    let s = &e.scores()[0];
    assert_eq!(s["chartID"], "2abcf2da86f3d968dbe07695ab7ebf6b79cb0841");
    assert_eq!(s["songID"], 77);
    assert_eq!(s["scoreData"]["lamp"], "MISSLESS");
    assert_eq!(s["timeAchieved"], 1_711_222_450_350_i64);
    // The colour class comes from the ratings, the stage-up from MYT.
    let stage = stage_up(&doc);
    assert_eq!(
        (stage.len(), stage[0].new.as_str()),
        (1, "III"),
        "{:?}",
        doc.class_deltas
    );
    // The orphan keeps the play's info, as Tachi's parser hands it on.
    let orphans = e.host.documents("orphans", e.user).unwrap();
    assert_eq!(orphans.len(), 1);
    assert!(
        orphans[0].to_string().contains("\"musicId\":999999"),
        "{}",
        orphans[0]
    );

    // REVERSE alone; then a rank past XIV gives no class and fails nothing.
    e.fake.with(|s| {
        s.wacca.insert("wacca-api-1".into(), vec![]);
        s.wacca_data
            .insert("wacca-api-1".into(), wacca_data(&[(300, 6)]));
    });
    let doc = e.sync::<Wacca>().unwrap();
    let stage = stage_up(&doc);
    assert_eq!(stage[0].old.as_deref(), Some("III"));
    assert_eq!(stage[0].new, "VI");
    e.fake.with(|s| {
        s.wacca_data
            .insert("wacca-api-1".into(), wacca_data(&[(400, 15)]));
    });
    assert!(stage_up(&e.sync::<Wacca>().unwrap()).is_empty());
    // A play without its info (Tachi's parser crashes there) fails the sync
    // and stores nothing, even after a good play.
    let before = e.scores().len();
    e.fake.with(|s| {
        let missing = wacca::PlaylogStreamItem {
            playlog_api_id: "w-none".into(),
            info: None,
        };
        s.wacca.insert(
            "wacca-api-1".into(),
            vec![wacca_item(2085, missless_clear()), missing],
        );
    });
    let err = e.sync::<Wacca>().unwrap_err();
    assert_eq!(
        (status(&err), err.message()),
        (500, "MYT sent a WACCA play without its info.")
    );
    assert_eq!(e.scores().len(), before);
    // GetData failing fails the sync.
    e.fake.with(|s| {
        s.wacca_data.clear();
    });
    let err = e.sync::<Wacca>().unwrap_err();
    assert_eq!(
        (status(&err), err.message()),
        (500, "Failed to fetch player data from MYT.")
    );
}

#[test]
fn lookups_fail_as_tachis_do() {
    let Some(e) = env("myt-lookup", "chunithm") else {
        return;
    };
    // No card stored.
    e.host.ensure_user(2, "bob");
    let bob = Env { user: 2, ..e };
    let err = bob.sync::<Chunithm>().unwrap_err();
    assert_eq!(
        (status(&err), err.message()),
        (401, "This user has no card info set up for this service.")
    );
    let e = Env { user: 1, ..bob };
    // A card MYT does not know: NOT_FOUND.
    e.host.put_myt_card(1, "99999999999999999999").unwrap();
    let err = e.sync::<Chunithm>().unwrap_err();
    assert_eq!(
        (status(&err), err.message()),
        (401, "Card not found on MYT: no such card")
    );
    // A card without the game's profile.
    e.host.put_myt_card(1, CARD).unwrap();
    e.fake.with(|s| {
        s.cards
            .insert(CARD.to_owned(), vec![("wacca".into(), "w".into())]);
    });
    let err = e.sync::<Chunithm>().unwrap_err();
    assert_eq!(
        (status(&err), err.message()),
        (400, "Couldn't find CHUNITHM profile on MYT.")
    );
    // Another status: the wrong token is UNAUTHENTICATED (16).
    let wrong = Env {
        config: MytConfig {
            server: Some(MytServer {
                url: e.fake.url(),
                token: "stolen".into(),
            }),
            ..MytConfig::default()
        },
        ..e
    };
    let err = wrong.sync::<Chunithm>().unwrap_err();
    assert_eq!(
        (status(&err), err.message()),
        (500, "Unexpected response from MYT - 16")
    );
    // Nobody listening: UNAVAILABLE (14), as grpc-js says it.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let down = Env {
        config: MytConfig {
            server: Some(MytServer {
                url: format!("http://127.0.0.1:{port}"),
                token: TOKEN.into(),
            }),
            ..MytConfig::default()
        },
        ..wrong
    };
    let err = down.sync::<Chunithm>().unwrap_err();
    assert_eq!(
        (status(&err), err.message()),
        (500, "Unexpected response from MYT - 14")
    );
    // Not configured.
    let none = Env {
        config: MytConfig::default(),
        ..down
    };
    let err = none.sync::<Chunithm>().unwrap_err();
    assert_eq!(status(&err), 500);
    assert!(
        err.message().contains("KAIDEN_MYT_URL"),
        "{}",
        err.message()
    );
    assert!(none.scores().is_empty());
    assert!(none.imports().is_empty());
}

#[test]
fn a_stream_that_fails_midway_or_outlives_its_deadline_stores_nothing() {
    let Some(e) = env("myt-midway", "chunithm") else {
        return;
    };
    e.fake.with(|s| {
        s.chunithm.insert(
            "chunithm-api-1".into(),
            (0..50).map(|_| chunithm_item(956, 4)).collect(),
        );
        s.fail_after = Some((20, tonic::Status::internal("upstream 10.0.0.5 fell over")));
    });
    let err = e.sync::<Chunithm>().unwrap_err();
    assert_eq!(
        (status(&err), err.message()),
        (500, "Error while streaming score data from MYT")
    );
    // The upstream's words stay out of the message.
    assert!(!err.to_string().contains("10.0.0.5"));
    assert!(e.scores().is_empty());
    assert!(e.imports().is_empty());
    assert!(e.host.documents("orphans", e.user).unwrap().is_empty());

    // A stream that never ends fails at the deadline.
    e.fake.with(|s| {
        s.fail_after = None;
        s.stall = true;
    });
    let short = Env {
        config: MytConfig {
            deadline: Duration::from_millis(300),
            ..e.config.clone()
        },
        ..e
    };
    let started = Instant::now();
    let err = short.sync::<Chunithm>().unwrap_err();
    assert_eq!(
        (status(&err), err.message()),
        (500, "Error while streaming score data from MYT")
    );
    assert!(started.elapsed() < Duration::from_secs(30));
    assert!(short.scores().is_empty());
}

/// An import that stops early (it drops its records) ends the sync at once:
/// MYT sees the stream cancelled while it has nothing to send, instead of
/// at its next message or at the sync's 10-minute deadline.
#[test]
fn an_import_that_stops_early_cancels_the_stream_at_once() {
    let Some(e) = env("myt-early-stop", "chunithm") else {
        return;
    };
    e.fake.with(|s| {
        s.chunithm.insert(
            "chunithm-api-1".into(),
            (0..5).map(|i| chunithm_item(i, 4)).collect(),
        );
        s.stall_after = Some(2);
    });
    let mut records = e.chunithm_records();
    // Both messages MYT sends taken: the sync now waits for a third.
    assert!(records.next().unwrap().is_ok());
    assert!(records.next().unwrap().is_ok());
    drop(records);
    let started = Instant::now();
    while e.fake.with(|s| s.streams_cancelled) == 0 {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "the sync still holds MYT's stream after the import stopped"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn the_stream_is_read_ahead_of_a_slow_import() {
    let Some(e) = env("myt-read-ahead", "chunithm") else {
        return;
    };
    // About 3 MB of messages: more than the HTTP/2 windows of the stream
    // and connection (2 MiB), so MYT can only finish sending while the
    // import stalls if the client reads ahead.
    let n = 3_000;
    e.fake.with(|s| {
        s.chunithm.insert(
            "chunithm-api-1".into(),
            (0..n)
                .map(|i| chunithm::GetPlaylogStreamItem {
                    playlog_api_id: format!("{i:01000}"),
                    ..chunithm_item(i, 4)
                })
                .collect(),
        );
    });
    let mut records = e.chunithm_records();
    // The import takes one record, then stalls...
    assert!(records.next().unwrap().is_ok());
    // ...while MYT finishes sending the whole stream.
    let started = Instant::now();
    while e.fake.with(|s| s.streams_sent) == 0 {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "MYT could not finish sending while the import was slow"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let rest: Vec<_> = records.collect();
    assert_eq!(rest.len(), n as usize - 1);
    assert!(rest.iter().all(Result::is_ok));
}

#[test]
fn every_myt_types_orphans_are_imported_once_their_charts_exist() {
    let Some(data) = tachi_data() else {
        eprintln!("SKIPPED: no ../shared/tachi-data (set KAIDEN_TACHI_DATA)");
        return;
    };
    // An empty host: every play is an orphan.
    let Some(mut e) = env("myt-orphans", "wacca") else {
        return;
    };
    e.host = Arc::new(MemoryHost::new());
    e.host.ensure_user(1, "alice");
    e.host.put_myt_card(1, CARD).unwrap();
    let mut mai = maimai::GetPlaylogStreamItem {
        playlog_api_id: "m".into(),
        info: Some(maimai::PlaylogInfo {
            music_id: 11294,
            level: 3,
            achievement: 990_562,
            combo_status: 1,
            is_clear: true,
            ..Default::default()
        }),
        judge: Some(maimai::PlaylogJudge::default()),
    };
    mai.judge.as_mut().unwrap().judge_critical_perfect = 10;
    let ong = ongeki::GetPlaylogStreamItem {
        playlog_api_id: "o".into(),
        info: Some(ongeki::PlaylogInfo {
            music_id: 678,
            level: 4,
            tech_score: 1_003_385,
            combo_status: 1,
            clear_status: 3,
            ..Default::default()
        }),
        judge: Some(ongeki::PlaylogJudge::default()),
    };
    let missless = Some(wacca::WaccaClearStatus {
        is_clear: true,
        is_missless: true,
        ..Default::default()
    });
    e.fake.with(|s| {
        s.chunithm
            .insert("chunithm-api-1".into(), vec![chunithm_item(956, 4)]);
        s.maimai.insert("maimai-api-1".into(), vec![mai]);
        s.ongeki.insert("ongeki-api-1".into(), vec![ong]);
        s.wacca
            .insert("wacca-api-1".into(), vec![wacca_item(2085, missless)]);
        s.wacca_data.insert("wacca-api-1".into(), wacca_data(&[]));
    });
    for doc in [
        e.sync::<Chunithm>(),
        e.sync::<Maimaidx>(),
        e.sync::<Ongeki>(),
        e.sync::<Wacca>(),
    ] {
        let doc = doc.unwrap();
        assert_eq!(doc.score_ids.len(), 0);
        assert_eq!(doc.errors.len(), 1, "{:?}", doc.errors);
    }
    assert_eq!(e.host.documents("orphans", e.user).unwrap().len(), 4);
    let seeds = TempDir::new("myt-orphan-seeds");
    for game in ["chunithm", "maimaidx", "ongeki", "wacca"] {
        for f in [format!("songs-{game}.json"), format!("charts-{game}.json")] {
            std::fs::copy(data.join("seeds").join(&f), seeds.join(&f)).unwrap();
        }
    }
    e.host.load_seeds(seeds.path()).unwrap();
    let myt = e.myt();
    let registry = Registry::new()
        .with(myt.format::<Chunithm>())
        .with(myt.format::<Maimaidx>())
        .with(myt.format::<Ongeki>())
        .with(myt.format::<Wacca>());
    let report = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap()
        .block_on(kaiden_pipeline::reprocess_orphans(
            &*e.host,
            &registry,
            e.user,
            &NoProgress,
        ))
        .unwrap();
    assert_eq!((report.processed, report.success), (4, 4), "{report:?}");
    let mut charts: Vec<String> = e
        .scores()
        .iter()
        .map(|s| s["chartID"].as_str().unwrap().to_owned())
        .collect();
    charts.sort();
    assert_eq!(
        charts,
        [
            "2abcf2da86f3d968dbe07695ab7ebf6b79cb0841",
            "e5e4ee3d4feb233c399751b3ba3daf8ba149c9e6",
            "fab3d632610b9b98ee1e4f68e9ecf0161f9cb8cd",
            "fbba26a6a223b1dd0bf8ef139cfee83114b91086",
        ]
    );
}

#[test]
fn eight_users_sync_at_once_each_with_their_own_card_and_plays() {
    let Some(e) = env("myt-many", "chunithm") else {
        return;
    };
    let users: Vec<u64> = (10..18).collect();
    // Each user a card of their own, a profile, and 40 plays on song 956
    // (scores differing by user and play: every scoreID distinct).
    e.fake.with(|s| {
        for u in &users {
            let code = format!("{u:020}");
            s.cards
                .insert(code.clone(), vec![("chunithm".into(), format!("chu-{u}"))]);
            let plays = (0..40)
                .map(|i| {
                    let mut item = chunithm_item(956, 4);
                    let info = item.info.as_mut().unwrap();
                    info.score = 900_000 + i32::try_from(*u).unwrap() * 1_000 + i;
                    info.user_play_date = format!("2024-02-05T{:02}:{:02}:00.000Z", i / 60, i % 60);
                    item
                })
                .collect();
            s.chunithm.insert(format!("chu-{u}"), plays);
        }
    });
    for u in &users {
        e.host.ensure_user(*u, &format!("user{u}"));
        e.host.put_myt_card(*u, &format!("{u:020}")).unwrap();
    }
    let e = Arc::new(e);
    let started = Instant::now();
    let handles: Vec<_> = users
        .iter()
        .map(|u| {
            let e = Arc::clone(&e);
            let u = *u;
            std::thread::spawn(move || {
                let registry = Registry::new().with(e.myt().format::<Chunithm>());
                tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .unwrap()
                    .block_on(kaiden_pipeline::import(
                        &*e.host,
                        &registry,
                        ImportRequest {
                            import_type: ImportType::API_MYT_CHUNITHM,
                            user: u,
                            user_intent: true,
                            input: ImportInput::default(),
                            import_id: None,
                        },
                        &NoProgress,
                    ))
            })
        })
        .collect();
    for (u, h) in users.iter().zip(handles) {
        let doc = h.join().unwrap().unwrap();
        assert_eq!(doc.score_ids.len(), 40, "user {u}: {:?}", doc.errors);
        let stored = e.host.documents("scores", *u).unwrap();
        assert_eq!(stored.len(), 40);
        // Only this user's plays.
        let base = 900_000 + u * 1_000;
        assert!(stored.iter().all(|s| {
            let score = s["scoreData"]["score"].as_u64().unwrap();
            (base..base + 40).contains(&score)
        }));
    }
    assert!(started.elapsed() < Duration::from_secs(60));
}
