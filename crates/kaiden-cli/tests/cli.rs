//! The `kaiden` binary, run as a user runs it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use kaiden_testkit::{TempDir, workspace_root};
use serde_json::Value;

fn kaiden(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kaiden"))
        .arg("--db")
        .arg(db)
        .args(args)
        .current_dir(workspace_root())
        .output()
        .expect("kaiden runs")
}

fn stdout_json(o: &Output) -> Value {
    assert!(
        o.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    serde_json::from_slice(&o.stdout).expect("stdout is JSON")
}

fn examples() -> PathBuf {
    workspace_root().join("examples")
}

fn load_example_seeds(db: &Path) {
    let out = kaiden(db, &["seeds", "load", s(&examples().join("seeds"))]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn the_readme_main_job_imports_the_sample_and_a_second_run_imports_nothing() {
    let tmp = TempDir::new("cli-readme");
    let db = tmp.join("demo.db");
    let seeds = examples().join("seeds");
    let file = examples().join("iidx-batch-manual.json");
    let args = [
        "import",
        "--seeds",
        s(&seeds),
        "--type",
        "file/batch-manual",
        s(&file),
    ];
    let doc = stdout_json(&kaiden(&db, &args));
    assert_eq!(doc["scoreIDs"].as_array().unwrap().len(), 4);
    assert_eq!(doc["createdSessions"].as_array().unwrap().len(), 2);
    assert_eq!(doc["classDeltas"][0]["new"], "DAN_9");
    let errors: Vec<&str> = doc["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["type"].as_str().unwrap())
        .collect();
    assert_eq!(errors, vec!["SongOrChartNotFound", "InvalidDatapoint"]);
    let again = stdout_json(&kaiden(&db, &args));
    assert!(again["scoreIDs"].as_array().unwrap().is_empty());
    assert_eq!(again["errors"][0]["type"], "OrphanExists");
    // The stored document is the one printed.
    let id = doc["importID"].as_str().unwrap();
    let shown = stdout_json(&kaiden(&db, &["imports", "show", id]));
    assert_eq!(shown, doc);
    let missing = kaiden(&db, &["imports", "show", "nope"]);
    assert_eq!(missing.status.code(), Some(1));
}

#[test]
fn seeds_load_prints_counts_per_game() {
    let tmp = TempDir::new("cli-seeds");
    let out = kaiden(
        &tmp.join("k.db"),
        &["seeds", "load", s(&examples().join("seeds"))],
    );
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("iidx: 3 songs, 18 charts"), "{text}");
    assert!(text.contains("folders: 1, goals: 2, quests: 1"), "{text}");
    assert!(
        text.contains("orphans: 0 imported, 0 still orphaned"),
        "{text}"
    );
}

#[test]
fn a_fatal_error_names_file_and_position_exits_1_and_writes_nothing() {
    let tmp = TempDir::new("cli-fatal");
    let db = tmp.join("k.db");
    load_example_seeds(&db);
    let bad = tmp.join("bad.json");
    std::fs::write(
        &bad,
        "{\"meta\": {\"game\": \"iidx\", \"playtype\": \"SP\", \"service\": \"cli test\"},\n \"scores\": [\n  {\"score\": 1, \"lamp\": \"HARD CLAER\", \"matchType\": \"songTitle\", \"identifier\": \"Paper Comet\", \"difficulty\": \"ANOTHER\"}\n ]}",
    )
    .unwrap();
    let before = kaiden_sqlite::SqliteHost::open(&db)
        .unwrap()
        .dump()
        .unwrap();
    let out = kaiden(&db, &["import", "--type", "file/batch-manual", s(&bad)]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bad.json: line 3, column 3"), "{err}");
    assert!(err.contains("scores[0].lamp"), "{err}");
    assert!(err.contains("HARD CLAER"), "{err}");
    assert!(out.stdout.is_empty());
    let after = kaiden_sqlite::SqliteHost::open(&db)
        .unwrap()
        .dump()
        .unwrap();
    // Nothing is kept: not the import, not the user it created.
    assert_eq!(after, before);
    assert!(!err.contains("(status"), "no HTTP leftovers: {err}");
    let other_user = kaiden(
        &db,
        &[
            "import",
            "--user",
            "99",
            "--type",
            "file/batch-manual",
            s(&bad),
        ],
    );
    assert_eq!(other_user.status.code(), Some(1));
    assert_eq!(
        kaiden_sqlite::SqliteHost::open(&db)
            .unwrap()
            .dump()
            .unwrap(),
        before,
        "user 99 is not left behind"
    );
    // A failed import into a database that did not exist leaves none.
    let fresh = tmp.join("fresh.db");
    let out = kaiden(&fresh, &["import", "--type", "file/batch-manual", s(&bad)]);
    assert_eq!(out.status.code(), Some(1));
    let left: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.starts_with("fresh.db"))
        .collect();
    assert!(left.is_empty(), "{left:?}");

    let unknown = kaiden(&db, &["import", "--type", "file/nope", s(&bad)]);
    assert_eq!(unknown.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("file/batch-manual"));

    // None of those was kept: each import's user was created for it and
    // removed again. An existing user's failure is kept (in the server's
    // store, beside the imports), listed with its error.
    let failed = stdout_json(&kaiden(&db, &["imports", "list", "--failed"]));
    assert_eq!(failed, serde_json::json!([]));
    let added = kaiden(&db, &["users", "add", "alice"]);
    assert!(added.status.success());
    let id = String::from_utf8_lossy(&added.stdout).trim().to_owned();
    let out = kaiden(
        &db,
        &[
            "import",
            "--user",
            &id,
            "--type",
            "file/batch-manual",
            s(&bad),
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    let failed = stdout_json(&kaiden(
        &db,
        &["imports", "list", "--failed", "--user", &id],
    ));
    let failed = failed.as_array().unwrap();
    assert_eq!(failed.len(), 1, "{failed:?}");
    assert_eq!(failed[0]["type"], "FAILED");
    assert_eq!(failed[0]["importType"], "file/batch-manual");
    assert_eq!(failed[0]["error"]["statusCode"], 400);
    assert!(
        failed[0]["error"]["message"]
            .as_str()
            .unwrap()
            .contains("HARD CLAER"),
        "{failed:?}"
    );
    let none = stdout_json(&kaiden(
        &db,
        &["imports", "list", "--failed", "--user", "99"],
    ));
    assert_eq!(none, serde_json::json!([]));
}

#[test]
fn check_reports_each_record_and_writes_nothing() {
    let tmp = TempDir::new("cli-check");
    let db = tmp.join("k.db");
    load_example_seeds(&db);
    let file = examples().join("iidx-batch-manual.json");
    let out = kaiden(&db, &["check", "--type", "file/batch-manual", s(&file)]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("4 would be imported, 1 orphaned, 1 rejected, 0 skipped"),
        "{text}"
    );
    assert!(text.contains("record 5, field scores[4]: orphan"), "{text}");
    let json = stdout_json(&kaiden(
        &db,
        &["check", "--json", "--type", "file/batch-manual", s(&file)],
    ));
    assert_eq!(json["records"].as_array().unwrap().len(), 6);
    assert_eq!(json["records"][5]["outcome"], "reject");
    // The streamed JSON has the library's report shape, totals included.
    assert_eq!(
        (
            json["import"].clone(),
            json["orphan"].clone(),
            json["reject"].clone(),
            json["skip"].clone()
        ),
        (
            serde_json::json!(4),
            serde_json::json!(1),
            serde_json::json!(1),
            serde_json::json!(0)
        )
    );
    let summary = kaiden(
        &db,
        &[
            "check",
            "--summary",
            "--type",
            "file/batch-manual",
            s(&file),
        ],
    );
    assert_eq!(
        String::from_utf8_lossy(&summary.stdout),
        "4 would be imported, 1 orphaned, 1 rejected, 0 skipped\n"
    );
    let json = stdout_json(&kaiden(
        &db,
        &[
            "check",
            "--json",
            "--summary",
            "--type",
            "file/batch-manual",
            s(&file),
        ],
    ));
    assert_eq!(json["records"], serde_json::json!([]));
    assert_eq!(json["import"], 4);
    let host = kaiden_sqlite::SqliteHost::open(&db).unwrap();
    assert!(host.documents("scores", 1).unwrap().is_empty());
}

#[test]
fn orphans_are_reprocessed_after_seeds_arrive() {
    let tmp = TempDir::new("cli-orphans");
    let db = tmp.join("k.db");
    // Import before any seeds: every score is an orphan.
    let file = examples().join("iidx-batch-manual.json");
    let doc = stdout_json(&kaiden(
        &db,
        &["import", "--type", "file/batch-manual", s(&file)],
    ));
    assert!(doc["scoreIDs"].as_array().unwrap().is_empty());
    assert_eq!(doc["errors"].as_array().unwrap().len(), 6);
    // Loading the seeds imports every orphan whose chart they hold (one
    // more is rejected for good, one song is still missing).
    let out = kaiden(&db, &["seeds", "load", s(&examples().join("seeds"))]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("orphans: 4 imported, 1 still orphaned"),
        "{text}"
    );
    let scores = kaiden_sqlite::SqliteHost::open(&db)
        .unwrap()
        .documents("scores", 1)
        .unwrap();
    assert_eq!(scores.len(), 4);
    let report = stdout_json(&kaiden(&db, &["orphans"]));
    assert_eq!(
        report,
        serde_json::json!({"processed": 1, "failed": 1, "success": 0, "removed": 0})
    );
    // Seeds whose charts are no longer primary: the scores on them follow.
    let changed = tmp.join("seeds-changed");
    std::fs::create_dir_all(&changed).unwrap();
    for f in std::fs::read_dir(examples().join("seeds")).unwrap() {
        let f = f.unwrap().path();
        std::fs::copy(&f, changed.join(f.file_name().unwrap())).unwrap();
    }
    let path = changed.join("charts-iidx.json");
    let mut charts: Vec<serde_json::Value> =
        serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    for c in &mut charts {
        c["isPrimary"] = serde_json::json!(false);
    }
    std::fs::write(&path, serde_json::to_vec(&charts).unwrap()).unwrap();
    let out = kaiden(&db, &["seeds", "load", s(&changed)]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains(&format!(
            "changed charts: {}; recalculated 4 scores of 1 users",
            charts.len()
        )),
        "{text}"
    );
    let host = kaiden_sqlite::SqliteHost::open(&db).unwrap();
    for doc in host
        .documents("scores", 1)
        .unwrap()
        .into_iter()
        .chain(host.documents("pbs", 1).unwrap())
    {
        assert_eq!(doc["isPrimary"], false, "{doc}");
    }
}

#[test]
fn type_options_reach_the_import_type_as_form_fields() {
    let tmp = TempDir::new("cli-fields");
    let db = tmp.join("k.db");
    let header = kaiden::eamusement_iidx::csv_header(false);
    let row = "Rootage,Lantern Festival,G,A,1,0,0,0,0,---,NO PLAY,---,0,0,0,0,---,NO PLAY,---,12,2400,1050,300,16,HARD CLEAR,AA,2019-10-28 14:05";
    let file = tmp.join("scores_sp.csv");
    std::fs::write(&file, format!("{header}\n{row}\n")).unwrap();
    let missing = kaiden(
        &db,
        &["check", "--type", "file/eamusement-iidx-csv", s(&file)],
    );
    assert_eq!(missing.status.code(), Some(1));
    // The CLI names its flag (the parser's own text is Tachi's, for forms).
    assert!(String::from_utf8_lossy(&missing.stderr).contains("--playtype must be SP or DP"));
    let clash = kaiden(
        &db,
        &[
            "check",
            "--type",
            "file/eamusement-iidx-csv",
            "--playtype",
            "DP",
            s(&file),
        ],
    );
    assert!(String::from_utf8_lossy(&clash.stderr).contains("Safety Triggered"));
    let forced = kaiden(
        &db,
        &[
            "check",
            "--type",
            "file/eamusement-iidx-csv",
            "--playtype",
            "DP",
            "--field",
            "assertPlaytypeCorrect=true",
            s(&file),
        ],
    );
    assert!(
        forced.status.success(),
        "{}",
        String::from_utf8_lossy(&forced.stderr)
    );
    let ok = kaiden(
        &db,
        &[
            "check",
            "--type",
            "file/eamusement-iidx-csv",
            "--playtype",
            "SP",
            s(&file),
        ],
    );
    let text = String::from_utf8_lossy(&ok.stdout);
    // No seeds loaded: the played chart would be an orphan, the unplayed ones skipped.
    assert!(
        text.contains("0 would be imported, 1 orphaned, 0 rejected, 2 skipped"),
        "{text}"
    );
}

#[test]
fn subscribed_goals_and_quests_progress_on_import() {
    let tmp = TempDir::new("cli-goals");
    let db = tmp.join("k.db");
    load_example_seeds(&db);
    let out = kaiden(&db, &["quests", "subscribe", "Qexample"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("user 1 subscribed to quest Qexample"));
    let missing = kaiden(&db, &["goals", "subscribe", "Gnope"]);
    assert_eq!(missing.status.code(), Some(1));
    let file = examples().join("iidx-batch-manual.json");
    let doc = stdout_json(&kaiden(
        &db,
        &["import", "--type", "file/batch-manual", s(&file)],
    ));
    let goals: Vec<&str> = doc["goalInfo"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["goalID"].as_str().unwrap())
        .collect();
    assert!(goals.contains(&"Gexample-hc-lantern"), "{goals:?}");
    let hc = doc["goalInfo"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["goalID"] == "Gexample-hc-lantern")
        .unwrap();
    assert_eq!(hc["new"]["achieved"], true);
    assert_eq!(hc["new"]["outOfHuman"], "HARD CLEAR");
    assert_eq!(doc["questInfo"][0]["questID"], "Qexample");
    assert_eq!(doc["milestoneInfo"], doc["questInfo"]);
}

#[test]
fn types_lists_the_registry_and_an_unknown_type_names_those_of_its_kind() {
    let dir = TempDir::new("cli-types");
    let db = dir.join("kaiden.db");
    let out = kaiden(&db, &["types"]);
    assert!(out.status.success());
    let listed: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_owned)
        .collect();
    assert!(
        listed.contains(&"file/batch-manual".to_owned()),
        "{listed:?}"
    );
    assert!(
        listed.contains(&"ir/direct-manual".to_owned()),
        "{listed:?}"
    );
    // No KAI service is configured here: no API type is served.
    assert!(!listed.iter().any(|t| t.starts_with("api/")), "{listed:?}");
    let file = examples().join("iidx-batch-manual.json");
    let out = kaiden(&db, &["import", "--type", "file/batch-manul", s(&file)]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("--type") && err.contains("file/batch-manual"),
        "{err}"
    );
    assert!(!err.contains("ir/direct-manual"), "{err}");
}

#[test]
fn stored_imports_of_a_type_this_build_lacks_still_list_and_show() {
    let tmp = TempDir::new("cli-foreign-type");
    let db = tmp.join("kaiden.db");
    let file = examples().join("iidx-batch-manual.json");
    let seeds = examples().join("seeds");
    let args = [
        "import",
        "--seeds",
        s(&seeds),
        "--type",
        "file/batch-manual",
        s(&file),
    ];
    let mut doc = stdout_json(&kaiden(&db, &args));
    // An embedding server with an import type of its own stored this one.
    doc["importID"] = Value::from("f".repeat(40));
    doc["importType"] = Value::from("file/an-embedders-own-csv");
    doc["scoreIDs"] = Value::Array(vec![]);
    {
        use kaiden::core::host::{Host as _, ImportStore as _, ImportTransaction as _};
        let host = kaiden_sqlite::SqliteHost::open(&db).unwrap();
        let stored: kaiden::core::ImportDocument = serde_json::from_value(doc.clone()).unwrap();
        let timings = kaiden::core::documents::ImportTimings {
            import_id: stored.import_id.clone(),
            timestamp: 0,
            total: 0.0,
            abs: std::collections::BTreeMap::new(),
            rel: std::collections::BTreeMap::new(),
        };
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        rt.block_on(async {
            let mut tx = host.begin_import(1).await.unwrap();
            tx.save_import(&stored, &timings).await.unwrap();
            tx.commit().await.unwrap();
        });
    }
    // This `kaiden` knows nothing of that type, and reads it back anyway.
    let listed = stdout_json(&kaiden(&db, &["imports", "list"]));
    let types: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["importType"].as_str().unwrap())
        .collect();
    assert!(types.contains(&"file/an-embedders-own-csv"), "{types:?}");
    let shown = stdout_json(&kaiden(&db, &["imports", "show", &"f".repeat(40)]));
    assert_eq!(shown["importType"], "file/an-embedders-own-csv");
    // But it does not accept the type from a user.
    let out = kaiden(
        &db,
        &["import", "--type", "file/an-embedders-own-csv", s(&file)],
    );
    assert!(!out.status.success());
}

#[test]
fn loading_a_folder_without_seed_files_is_an_error() {
    let tmp = TempDir::new("cli-no-seeds");
    let empty = tmp.join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    std::fs::write(empty.join("notes.txt"), "not a seed").unwrap();
    let db = tmp.join("k.db");
    let out = kaiden(&db, &["seeds", "load", s(&empty)]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("no Tachi seed files here"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!db.exists(), "nothing was created");
}

#[test]
fn bad_arguments_say_which_and_not_found_ids_say_so() {
    let tmp = TempDir::new("cli-args");
    let db = tmp.join("k.db");
    load_example_seeds(&db);
    let err = |args: &[&str]| {
        let out = kaiden(&db, args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    assert!(err(&["goals", "subscribe", "nope"]).contains("no goal nope"));
    assert!(err(&["quests", "subscribe", "nope"]).contains("no quest nope"));
    let e = err(&["keys", "create", "--user", "1", "--permission", "bogus"]);
    assert!(
        e.contains("--permission: unknown permission \"bogus\""),
        "{e}"
    );
    assert!(!e.contains("storage"), "{e}");
    assert!(err(&["users", "add", "  "]).contains("a user needs a name"));
    let first = kaiden(&db, &["users", "add", "carol"]);
    assert!(first.status.success());
    assert!(err(&["users", "add", "carol"]).contains("a user named carol exists already"));
}

#[test]
fn an_iidx_csv_without_a_playtype_names_the_flag() {
    let tmp = TempDir::new("cli-playtype");
    let csv = tmp.join("x.csv");
    std::fs::write(&csv, "a,b\n").unwrap();
    for (i, args) in [
        vec!["import", "--type", "file/eamusement-iidx-csv", s(&csv)],
        vec![
            "check",
            "--type",
            "file/pli-iidx-csv",
            "--playtype",
            "XP",
            s(&csv),
        ],
    ]
    .into_iter()
    .enumerate()
    {
        let db = tmp.join(&format!("k{i}.db"));
        let out = kaiden(&db, &args);
        assert_eq!(out.status.code(), Some(1));
        let e = String::from_utf8_lossy(&out.stderr);
        assert!(e.contains("--playtype must be SP or DP"), "{e}");
        assert!(!db.exists(), "a failed command leaves no database");
    }
}

#[test]
fn export_writes_batch_manual_that_imports_back_to_the_same_scores() {
    let tmp = TempDir::new("cli-export");
    let db = tmp.join("k.db");
    let seeds = examples().join("seeds");
    let file = examples().join("iidx-batch-manual.json");
    let doc = stdout_json(&kaiden(
        &db,
        &[
            "import",
            "--seeds",
            s(&seeds),
            "--type",
            "file/batch-manual",
            s(&file),
        ],
    ));
    let mut ids: Vec<String> = doc["scoreIDs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect();
    ids.sort();
    assert!(!ids.is_empty());

    // One document: printed.
    let out = kaiden(&db, &["export", "--user", "1"]);
    let exported = stdout_json(&out);
    assert_eq!(exported["meta"]["game"], "iidx");
    assert_eq!(exported["meta"]["service"], "kaiden export");
    let path = tmp.join("export.json");
    std::fs::write(&path, serde_json::to_vec(&exported).unwrap()).unwrap();

    let fresh = tmp.join("fresh.db");
    let again = stdout_json(&kaiden(
        &fresh,
        &[
            "import",
            "--seeds",
            s(&seeds),
            "--type",
            "file/batch-manual",
            s(&path),
        ],
    ));
    let mut again_ids: Vec<String> = again["scoreIDs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect();
    again_ids.sort();
    assert_eq!(again_ids, ids);
    assert_eq!(again["errors"], serde_json::json!([]));

    // --out writes files; a game with no scores writes none.
    let dir = tmp.join("out");
    let out = kaiden(&db, &["export", "--user", "1", "--out", s(&dir)]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(dir.join("iidx-SP.json").is_file());
    let none = kaiden(&db, &["export", "--user", "1", "--game", "sdvx"]);
    assert!(none.status.success());
    assert!(none.stdout.is_empty());
    assert!(String::from_utf8_lossy(&none.stderr).contains("no scores to export"));

    // Bad arguments and unknown users say so; a missing database is not created.
    let bad = kaiden(
        &db,
        &[
            "export",
            "--user",
            "1",
            "--game",
            "iidx",
            "--playtype",
            "Single",
        ],
    );
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--playtype"));
    let nobody = kaiden(&db, &["export", "--user", "99"]);
    assert!(String::from_utf8_lossy(&nobody.stderr).contains("no user 99"));
    let missing = tmp.join("missing.db");
    let out = kaiden(&missing, &["export", "--user", "1"]);
    assert!(!out.status.success());
    assert!(!missing.exists());
}

#[test]
fn scores_delete_and_imports_revert_change_the_store_and_say_what_changed() {
    let tmp = TempDir::new("cli-delete");
    let db = tmp.join("k.db");
    let seeds = examples().join("seeds");
    let file = examples().join("iidx-batch-manual.json");
    let args = [
        "import",
        "--seeds",
        s(&seeds),
        "--type",
        "file/batch-manual",
        s(&file),
    ];
    let doc = stdout_json(&kaiden(&db, &args));
    let ids: Vec<String> = doc["scoreIDs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect();
    assert!(ids.len() >= 2);

    // Delete one, blacklisted: a re-import does not bring it back.
    let report = stdout_json(&kaiden(&db, &["scores", "delete", &ids[0], "--blacklist"]));
    assert_eq!(report["deletedScoreIDs"], serde_json::json!([ids[0]]));
    assert_eq!(report["blacklisted"], true);
    let again = stdout_json(&kaiden(&db, &args));
    assert_eq!(again["scoreIDs"], serde_json::json!([]));

    // Revert the first import: its other scores go, and so does it.
    let id = doc["importID"].as_str().unwrap();
    let report = stdout_json(&kaiden(&db, &["imports", "revert", id]));
    assert_eq!(report["revertedImportID"], id);
    assert_eq!(
        report["deletedScoreIDs"].as_array().map(Vec::len),
        Some(ids.len() - 1)
    );
    let show = kaiden(&db, &["imports", "show", id]);
    assert!(!show.status.success());
    let scores = kaiden_sqlite::SqliteHost::open(&db)
        .unwrap()
        .documents("scores", 1)
        .unwrap();
    assert!(scores.is_empty(), "{scores:?}");

    // Unknown ids and imports say so and exit 1.
    let out = kaiden(&db, &["scores", "delete", "Tnope"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("Tnope"));
    let out = kaiden(&db, &["imports", "revert", "nope"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no import nope"));
}

#[test]
fn serve_refuses_a_webhook_without_a_secret() {
    let tmp = TempDir::new("cli-webhook");
    let out = Command::new(env!("CARGO_BIN_EXE_kaiden"))
        .arg("--db")
        .arg(tmp.join("k.db"))
        .args([
            "serve",
            "--bind",
            "127.0.0.1:0",
            "--webhook",
            "http://127.0.0.1:9/hook",
        ])
        .env_remove("KAIDEN_WEBHOOK_SECRET")
        .output()
        .expect("kaiden runs");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("--webhook-secret"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
