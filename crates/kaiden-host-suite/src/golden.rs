//! Golden outputs, on any host: for every Tachi fixture kaiden imports and for `examples/`,
//! the ImportDocuments and every stored document (scores, orphans, sessions,
//! PBs, game stats, goal and quest subscriptions) are byte-identical to what
//! kaiden produced when the digests in `golden/digests.txt` were
//! recorded. A refactoring must not change them; a deliberate behaviour change
//! re-records them (and says why in its commit).
//!
//! What varies from run to run is normalised first: the importID is fixed,
//! wall-clock times (`timeAdded`, `timeStarted`/`timeFinished` of an
//! ImportDocument, `timeInserted`, `timeSet`, `lastInteraction`, a goal's
//! `timeAchieved`) become 0, and random sessionIDs and names are replaced by
//! their order of appearance.
//!
//! `KAIDEN_GOLDEN=record` rewrites the digests; `KAIDEN_GOLDEN_DUMP=DIR`
//! writes each case's normalised output to `DIR/<case>.json`, to diff two
//! commits' outputs when a digest differs. The outputs are not kept in the
//! repository: they are made of Tachi's data.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use kaiden::core::format::ImportInput;
use kaiden::core::{ImportDocument, ImportType};
use kaiden::pipeline::{ImportRequest, NoProgress};
use kaiden_testkit::{Conformance, TempDir, workspace_root};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::TestHost;

const USER: u64 = 1;
const TABLES: [&str; 7] = [
    "scores",
    "orphans",
    "sessions",
    "pbs",
    "game_stats",
    "goal_subs",
    "quest_subs",
];

/// One golden case: seeds, then imports in order.
struct Case {
    name: &'static str,
    /// Seed files, relative to the Tachi data folder (or `examples/` when
    /// `examples` is set).
    seeds: Vec<&'static str>,
    examples: bool,
    /// (import type, file relative to the data folder, playtype field).
    imports: Vec<(ImportType, &'static str, Option<&'static str>)>,
    /// Re-process orphans after the imports.
    orphans: bool,
}

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap()
}

fn run_case<H: TestHost>(case: &Case, data: &Path) -> String {
    let base: PathBuf = if case.examples {
        workspace_root().join("examples")
    } else {
        data.to_path_buf()
    };
    let tmp = TempDir::new("golden");
    let seeds = tmp.join("seeds");
    std::fs::create_dir_all(&seeds).unwrap();
    for f in &case.seeds {
        std::os::unix::fs::symlink(base.join(f), seeds.join(Path::new(f).file_name().unwrap()))
            .unwrap();
    }
    let host = H::open(tmp.path());
    host.load_seeds(&seeds).unwrap();
    host.ensure_user(USER, "golden").unwrap();
    if case.examples {
        host.subscribe_quest(USER, "Qexample").unwrap();
        host.subscribe_goal(USER, "Gexample-hc-lantern").unwrap();
    }
    let registry = kaiden::registry();
    let mut out = serde_json::Map::new();
    let mut docs = Vec::new();
    for (n, (import_type, file, playtype)) in case.imports.iter().enumerate() {
        let bytes = std::fs::read(base.join(file)).unwrap();
        let fields: BTreeMap<String, String> = playtype
            .map(|p| [("playtype".to_owned(), p.to_owned())].into())
            .unwrap_or_default();
        let request = ImportRequest {
            import_type: *import_type,
            user: USER,
            user_intent: false,
            input: ImportInput {
                bytes: &bytes,
                stream: None,
                filename: None,
                fields,
                headers: BTreeMap::new(),
            },
            import_id: Some(format!("golden-import-{n}")),
        };
        let doc: ImportDocument = rt()
            .block_on(kaiden::pipeline::import(
                host.host(),
                &registry,
                request,
                &NoProgress,
            ))
            .unwrap_or_else(|e| panic!("{}: {file}: {e}", case.name));
        docs.push(serde_json::to_value(&doc).unwrap());
    }
    out.insert("imports".into(), Value::Array(docs));
    if case.orphans {
        let report = rt()
            .block_on(kaiden::pipeline::reprocess_orphans(
                host.host(),
                &registry,
                USER,
                &NoProgress,
            ))
            .unwrap();
        out.insert(
            "orphans reprocessed".into(),
            json!([
                report.processed,
                report.failed,
                report.success,
                report.removed
            ]),
        );
    }
    for t in TABLES {
        out.insert(t.into(), Value::Array(host.documents(t, USER).unwrap()));
    }
    normalise(Value::Object(out))
}

/// Fixes what varies between runs; see the module's documentation.
fn normalise(mut v: Value) -> String {
    let mut sessions: HashMap<String, String> = HashMap::new();
    if let Some(Value::Array(ss)) = v.get_mut("sessions") {
        for s in ss {
            if let Some(Value::String(id)) = s.get("sessionID") {
                let n = sessions.len();
                sessions
                    .entry(id.clone())
                    .or_insert_with(|| format!("SESSION-{n}"));
            }
            if let Some(name) = s.get_mut("name") {
                *name = json!("SESSION-NAME");
            }
        }
    }
    if let Some(Value::Array(docs)) = v.get_mut("imports") {
        for d in docs {
            for k in ["timeStarted", "timeFinished"] {
                if let Some(t) = d.get_mut(k) {
                    *t = json!(0);
                }
            }
        }
    }
    for t in ["goal_subs", "quest_subs"] {
        if let Some(Value::Array(subs)) = v.get_mut(t) {
            for s in subs {
                if let Some(x) = s.get_mut("timeAchieved").filter(|x| !x.is_null()) {
                    *x = json!(0);
                }
            }
        }
    }
    walk(&mut v, &sessions);
    serde_json::to_string_pretty(&v).unwrap()
}

fn walk(v: &mut Value, sessions: &HashMap<String, String>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m.iter_mut() {
                match k.as_str() {
                    "timeAdded" | "timeInserted" | "timeSet" | "lastInteraction"
                        if !x.is_null() =>
                    {
                        *x = json!(0);
                    }
                    _ => walk(x, sessions),
                }
            }
        }
        Value::Array(a) => a.iter_mut().for_each(|x| walk(x, sessions)),
        Value::String(s) => {
            if let Some(r) = sessions.get(s.as_str()) {
                *s = r.clone();
            }
        }
        _ => {}
    }
}

fn digest(s: &str) -> String {
    Sha256::digest(s.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn cases() -> Vec<Case> {
    use ImportType as T;
    let iidx = vec!["iidx/songs-iidx.json", "iidx/charts-iidx.json"];
    let seeds = |g: &'static str| -> Vec<&'static str> {
        match g {
            "sdvx" => vec!["seeds/songs-sdvx.json", "seeds/charts-sdvx.json"],
            "chunithm" => vec!["seeds/songs-chunithm.json", "seeds/charts-chunithm.json"],
            _ => vec!["seeds/songs-wacca.json", "seeds/charts-wacca.json"],
        }
    };
    let one = |name, seeds, t, file, pt| Case {
        name,
        seeds,
        examples: false,
        imports: vec![(t, file, pt)],
        orphans: false,
    };
    let mut v = vec![
        Case {
            name: "examples-iidx-batch-manual",
            seeds: vec![
                "seeds/songs-iidx.json",
                "seeds/charts-iidx.json",
                "seeds/folders.json",
                "seeds/goals.json",
                "seeds/quests.json",
            ],
            examples: true,
            imports: vec![
                (T::FILE_BATCH_MANUAL, "iidx-batch-manual.json", None),
                (T::FILE_BATCH_MANUAL, "iidx-batch-manual.json", None),
            ],
            orphans: true,
        },
        one(
            "batch-manual-small-file",
            iidx.clone(),
            T::FILE_BATCH_MANUAL,
            "fixtures/batch-manual/small-file.json",
            None,
        ),
        one(
            "batch-manual-empty-file",
            iidx.clone(),
            T::FILE_BATCH_MANUAL,
            "fixtures/batch-manual/empty-file.json",
            None,
        ),
        one(
            "batch-manual-sdvx-in-game-id",
            seeds("sdvx"),
            T::FILE_BATCH_MANUAL,
            "fixtures/batch-manual/sdvx-in-game-id.json",
            None,
        ),
        one(
            "batch-manual-chunitachi",
            seeds("chunithm"),
            T::FILE_BATCH_MANUAL,
            "fixtures/batch-manual/chunitachi.json",
            None,
        ),
        Case {
            name: "eamusement-sdvx-csv-exceed-gear",
            seeds: seeds("sdvx"),
            examples: false,
            imports: vec![(
                T::FILE_EAMUSEMENT_SDVX_CSV,
                "fixtures/eamusement-sdvx-csv/exceed-gear-score.csv",
                None,
            )],
            orphans: true,
        },
        one(
            "mypagescraper-records",
            seeds("wacca"),
            T::FILE_MYPAGESCRAPER_RECORDS_CSV,
            "fixtures/wacca-mypage-scraper/records.csv",
            None,
        ),
    ];
    for (name, file) in [
        ("s3-valid", "fixtures/s3/valid.xml"),
        ("s3-one-score", "fixtures/s3/one-score.xml"),
        ("s3-point-five-nine", "fixtures/s3/point-five-nine.xml"),
        ("s3-large-example", "fixtures/s3/large-example.xml"),
    ] {
        v.push(one(
            name,
            iidx.clone(),
            T::FILE_SOLID_STATE_SQUAD,
            file,
            None,
        ));
    }
    for (name, file) in [
        (
            "iidx-csv-small-hv",
            "fixtures/eamusement-iidx-csv/small-hv-file.csv",
        ),
        (
            "iidx-csv-pre-leggendaria",
            "fixtures/eamusement-iidx-csv/pre-leggendaria.csv",
        ),
        (
            "iidx-csv-post-leggendaria",
            "fixtures/eamusement-iidx-csv/post-leggendaria.csv",
        ),
    ] {
        v.push(Case {
            name,
            seeds: iidx.clone(),
            examples: false,
            imports: vec![
                (T::FILE_EAMUSEMENT_IIDX_CSV, file, Some("SP")),
                (T::FILE_PLI_IIDX_CSV, file, Some("DP")),
            ],
            orphans: false,
        });
    }
    v
}

fn digests_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("golden/digests.txt")
}

/// Runs every golden case on the host `H` (a `harness = false` test's
/// `main`), printing one line per case; exits with status 1 if any differs.
/// `suite` names the run in its output.
pub fn main<H: TestHost>(suite: &'static str) {
    if let Err(why) = H::available() {
        println!("SKIPPED: {suite}: {why}");
        return;
    }
    let recorded: BTreeMap<String, String> = std::fs::read_to_string(digests_path())
        .unwrap_or_default()
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| l.split_once(' '))
        .map(|(a, b)| (a.to_owned(), b.trim().to_owned()))
        .collect();
    let record = std::env::var("KAIDEN_GOLDEN").is_ok_and(|v| v == "record");
    let dump = std::env::var_os("KAIDEN_GOLDEN_DUMP").map(PathBuf::from);
    let fresh: &'static Mutex<BTreeMap<String, String>> =
        Box::leak(Box::new(Mutex::new(if record {
            BTreeMap::new()
        } else {
            recorded.clone()
        })));
    let mut runner = Conformance::new(suite);
    for case in cases() {
        let expected = recorded.get(case.name).cloned();
        let dump = dump.clone();
        runner.case(
            format!("{}: output identical to the recorded digest", case.name),
            move |data| {
                let out = run_case::<H>(&case, data);
                let got = digest(&out);
                if let Some(dir) = &dump {
                    std::fs::create_dir_all(dir).unwrap();
                    std::fs::write(dir.join(format!("{}.json", case.name)), &out).unwrap();
                }
                if record {
                    let mut all = fresh.lock().unwrap();
                    all.insert(case.name.to_owned(), got.clone());
                    let mut text = String::from(
                        "# Golden digests (crates/kaiden-host-suite/src/golden.rs): case, sha256 of its normalised output.\n",
                    );
                    for (k, v) in all.iter() {
                        text.push_str(&format!("{k} {v}\n"));
                    }
                    std::fs::create_dir_all(digests_path().parent().unwrap()).unwrap();
                    std::fs::write(digests_path(), text).unwrap();
                } else {
                    assert_eq!(
                        expected.as_deref(),
                        Some(got.as_str()),
                        "{}: the output changed (KAIDEN_GOLDEN_DUMP=DIR writes it, to diff with the previous commit's)",
                        case.name
                    );
                }
            },
        );
    }
    runner.run();
}
