//! The converters against Tachi's own cases (`api/myt-*/converter.test.ts`,
//! spec §4.8) as far as they go without a chart lookup (the lookups are in
//! `tests/sync.rs`, on Tachi's seeds), and the configuration.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use kaiden_core::query::ChartKey;
use serde_json::{Value, json};

use super::proto::{chunithm, maimai, ongeki, wacca};
use super::*;

fn metric(p: &PendingScore, k: &str) -> Value {
    serde_json::to_value(&p.dry.score_data).unwrap()[k].clone()
}

fn invalid(m: &str) -> ConverterFailure {
    ConverterFailure::InvalidScore(m.to_owned())
}

/// What Tachi rejects once the chart is found.
fn once_found(p: &PendingScore) -> Option<String> {
    let nf = p.not_found.as_ref().unwrap();
    // Not before: the song alone is not enough.
    let song_only = kaiden_core::query::ChartResolution::SongNotFound;
    assert_eq!(nf.invalid_for(&song_only), None);
    nf.invalid_message().map(str::to_owned)
}

/// Tachi's CHUNITHM case: 956 MASTER, 1001715, 2024-02-05.
fn chunithm_item(combo: i32, clear: i32) -> chunithm::GetPlaylogStreamItem {
    chunithm::GetPlaylogStreamItem {
        playlog_api_id: "p1".into(),
        info: Some(chunithm::PlaylogInfo {
            music_id: 956,
            level: 4,
            score: 1_001_715,
            combo_status: combo,
            clear_status: clear,
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

#[test]
fn chunithm_converts_tachis_case() {
    let p = Chunithm::convert(ImportType::API_MYT_CHUNITHM, &chunithm_item(1, 2)).unwrap();
    assert_eq!(p.dry.service, "MYT");
    assert_eq!(p.query.key, ChartKey::AnyInGameId(956));
    assert_eq!(p.query.difficulty.as_deref(), Some("MASTER"));
    assert_eq!(p.query.version, None);
    assert_eq!(p.dry.time_achieved, Some(1_707_091_200_000));
    assert_eq!(metric(&p, "score"), 1_001_715.0);
    assert_eq!(metric(&p, "clearLamp"), "CLEAR");
    assert_eq!(metric(&p, "noteLamp"), "NONE");
    assert_eq!(
        metric(&p, "judgements"),
        json!({"jcrit": 1459, "justice": 37, "attack": 4, "miss": 10})
    );
    assert_eq!(metric(&p, "optional"), json!({"maxCombo": 493}));
    assert_eq!(
        p.not_found.as_ref().unwrap().song_message(),
        "Can't find chart with id 956 and difficulty MASTER"
    );
}

#[test]
fn chunithm_lamps_follow_tachis_matrix() {
    // (combo, clear) → (noteLamp, clearLamp), Tachi's test table.
    for (combo, clear, note, lamp) in [
        (4, 1, "ALL JUSTICE CRITICAL", "FAILED"),
        (3, 1, "ALL JUSTICE", "FAILED"),
        (2, 1, "FULL COMBO", "FAILED"),
        (1, 3, "NONE", "HARD"),
        (1, 4, "NONE", "BRAVE"),
        (1, 5, "NONE", "ABSOLUTE"),
        (1, 6, "NONE", "CATASTROPHY"),
        (1, 2, "NONE", "CLEAR"),
        (1, 1, "NONE", "FAILED"),
    ] {
        let p =
            Chunithm::convert(ImportType::API_MYT_CHUNITHM, &chunithm_item(combo, clear)).unwrap();
        assert_eq!(metric(&p, "noteLamp"), note, "{combo} {clear}");
        assert_eq!(metric(&p, "clearLamp"), lamp, "{combo} {clear}");
    }
    let conv = |i: &chunithm::GetPlaylogStreamItem| {
        Chunithm::convert(ImportType::API_MYT_CHUNITHM, i).unwrap_err()
    };
    assert_eq!(
        conv(&chunithm_item(1, 0)),
        invalid("Can't process a score with an invalid clear status")
    );
    assert_eq!(
        conv(&chunithm_item(0, 2)),
        invalid("Can't process a score with an invalid combo status")
    );
    let mut we = chunithm_item(1, 2);
    we.info.as_mut().unwrap().level = 6;
    assert_eq!(
        conv(&we),
        ConverterFailure::Skip("WORLD'S END charts are not supported".into())
    );
    for level in [0, 7, -1] {
        let mut bad = chunithm_item(1, 2);
        bad.info.as_mut().unwrap().level = level;
        assert_eq!(
            conv(&bad),
            invalid("Can't process a score with unspecified difficulty (musicId 956)")
        );
    }
    let mut half = chunithm_item(1, 2);
    half.judge = None;
    assert_eq!(
        conv(&half),
        invalid("Failed to receive score data from MYT API")
    );
}

fn maimai_item(music_id: i32, level: i32, combo: i32, clear: bool) -> maimai::GetPlaylogStreamItem {
    maimai::GetPlaylogStreamItem {
        playlog_api_id: "p".into(),
        info: Some(maimai::PlaylogInfo {
            music_id,
            level,
            achievement: 990_562,
            combo_status: combo,
            is_clear: clear,
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
    }
}

#[test]
fn maimai_converts_tachis_case_and_lamps() {
    let p = Maimaidx::convert(
        ImportType::API_MYT_MAIMAIDX,
        &maimai_item(11294, 3, 1, true),
    )
    .unwrap();
    assert_eq!(p.query.key, ChartKey::AnyInGameId(11294));
    assert_eq!(p.query.difficulty.as_deref(), Some("DX Expert"));
    assert_eq!(metric(&p, "percent"), 99.0562);
    assert_eq!(metric(&p, "lamp"), "CLEAR");
    assert_eq!(p.dry.time_achieved, Some(1_667_416_865_000));
    assert_eq!(
        metric(&p, "judgements"),
        json!({"pcrit": 10, "perfect": 656, "great": 19, "good": 1, "miss": 8})
    );
    assert_eq!(
        metric(&p, "optional"),
        json!({"fast": 5, "maxCombo": 279, "slow": 8})
    );
    for (combo, clear, lamp) in [
        (5, true, "ALL PERFECT+"),
        (4, true, "ALL PERFECT"),
        (3, true, "FULL COMBO+"),
        (2, true, "FULL COMBO"),
        (1, true, "CLEAR"),
        (1, false, "FAILED"),
        (2, false, "FAILED"),
        // An unknown combo status still fails when the play failed.
        (9, false, "FAILED"),
    ] {
        let p = Maimaidx::convert(
            ImportType::API_MYT_MAIMAIDX,
            &maimai_item(844, 4, combo, clear),
        )
        .unwrap();
        assert_eq!(metric(&p, "lamp"), lamp, "{combo} {clear}");
        assert_eq!(p.query.difficulty.as_deref(), Some("Master"));
    }
    let conv = |i| Maimaidx::convert(ImportType::API_MYT_MAIMAIDX, &i).unwrap_err();
    let both = "Can't process a score with an invalid combo status and/or clear status";
    assert_eq!(conv(maimai_item(844, 4, 0, true)), invalid(both));
    assert_eq!(conv(maimai_item(844, 4, 9, true)), invalid(both));
    assert_eq!(
        conv(maimai_item(844, 6, 1, true)),
        ConverterFailure::Skip("Utage charts are not supported".into())
    );
    assert_eq!(
        conv(maimai_item(844, 0, 1, true)),
        invalid("Can't process a score with unspecified difficulty (musicId 844)")
    );
    let p = Maimaidx::convert(
        ImportType::API_MYT_MAIMAIDX,
        &maimai_item(999_999, 4, 1, true),
    )
    .unwrap();
    assert_eq!(
        p.not_found.as_ref().unwrap().song_message(),
        "Can't find chart with id 999999 and difficulty DX Master"
    );
    let p = Maimaidx::convert(ImportType::API_MYT_MAIMAIDX, &maimai_item(844, 5, 1, true)).unwrap();
    assert_eq!(p.query.difficulty.as_deref(), Some("Re:Master"));
}

fn ongeki_item(combo: i32, clear: i32, tech: i32) -> ongeki::GetPlaylogStreamItem {
    ongeki::GetPlaylogStreamItem {
        playlog_api_id: "p".into(),
        info: Some(ongeki::PlaylogInfo {
            music_id: 678,
            level: 4,
            tech_score: tech,
            combo_status: combo,
            clear_status: clear,
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
    }
}

#[test]
fn ongeki_converts_tachis_case_and_lamps() {
    let p = Ongeki::convert(ImportType::API_MYT_ONGEKI, &ongeki_item(1, 3, 1_003_385)).unwrap();
    assert_eq!(p.query.key, ChartKey::AnyInGameId(678));
    assert_eq!(p.query.difficulty.as_deref(), Some("MASTER"));
    assert_eq!(metric(&p, "score"), 1_003_385.0);
    assert_eq!(metric(&p, "noteLamp"), "CLEAR");
    assert_eq!(metric(&p, "bellLamp"), "FULL BELL");
    assert_eq!(metric(&p, "platinumScore"), 893.0);
    assert_eq!(p.dry.time_achieved, Some(1_664_366_661_400));
    assert_eq!(
        metric(&p, "judgements"),
        json!({"cbreak": 967, "break": 19, "hit": 0, "miss": 5})
    );
    assert_eq!(
        metric(&p, "optional"),
        json!({"bellCount": 174, "damage": 0, "totalBellCount": 174})
    );
    for (combo, clear, tech, lamp) in [
        (3, 1, 1_000_000, "ALL BREAK"),
        (2, 1, 1_000_000, "FULL COMBO"),
        (1, 3, 1_000_000, "CLEAR"),
        (1, 2, 1_000_000, "CLEAR"),
        (1, 1, 1_000_000, "LOSS"),
        (3, 2, 1_010_000, "ALL BREAK+"),
        // Tachi checks the technical score before the statuses' values.
        (7, 9, 1_010_000, "ALL BREAK+"),
    ] {
        let p =
            Ongeki::convert(ImportType::API_MYT_ONGEKI, &ongeki_item(combo, clear, tech)).unwrap();
        assert_eq!(metric(&p, "noteLamp"), lamp, "{combo} {clear} {tech}");
    }
    let both = "Can't process a score with an invalid combo status and/or clear status";
    for (combo, clear) in [(1, 0), (0, 2), (7, 9)] {
        assert_eq!(
            Ongeki::convert(ImportType::API_MYT_ONGEKI, &ongeki_item(combo, clear, 1)).unwrap_err(),
            invalid(both),
            "{combo} {clear}"
        );
    }
    let mut bad = ongeki_item(1, 2, 1);
    bad.info.as_mut().unwrap().level = 0;
    assert_eq!(
        Ongeki::convert(ImportType::API_MYT_ONGEKI, &bad).unwrap_err(),
        invalid("Can't process a score with unspecified difficulty (musicId 678)")
    );
    let mut lunatic = ongeki_item(1, 2, 1);
    lunatic.info.as_mut().unwrap().level = 5;
    lunatic.info.as_mut().unwrap().is_full_bell = false;
    let p = Ongeki::convert(ImportType::API_MYT_ONGEKI, &lunatic).unwrap();
    assert_eq!(p.query.difficulty.as_deref(), Some("LUNATIC"));
    assert_eq!(metric(&p, "bellLamp"), "NONE");
}

fn wacca_info(clear: Option<wacca::WaccaClearStatus>) -> wacca::PlaylogInfo {
    wacca::PlaylogInfo {
        music_id: 2085,
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
    }
}

fn clear(c: bool, missless: bool, fc: bool, am: bool) -> Option<wacca::WaccaClearStatus> {
    Some(wacca::WaccaClearStatus {
        is_clear: c,
        is_missless: missless,
        is_full_combo: fc,
        is_all_marvelous: am,
        is_give_up: false,
    })
}

#[test]
fn wacca_converts_tachis_case_and_checks_its_lamp_once_the_chart_is_found() {
    let p = Wacca::convert(
        ImportType::API_MYT_WACCA,
        &wacca_info(clear(true, true, false, false)),
    )
    .unwrap();
    assert_eq!(p.query.key, ChartKey::AnyInGameId(2085));
    assert_eq!(p.query.difficulty.as_deref(), Some("EXPERT"));
    assert_eq!(metric(&p, "lamp"), "MISSLESS");
    assert_eq!(p.dry.time_achieved, Some(1_711_222_450_350));
    assert_eq!(
        metric(&p, "judgements"),
        json!({"marvelous": 909, "great": 4, "good": 1, "miss": 1})
    );
    assert_eq!(
        metric(&p, "optional"),
        json!({"fast": 4, "maxCombo": 408, "slow": 1})
    );
    assert_eq!(once_found(&p), None);
    for (c, lamp) in [
        (clear(true, true, true, true), "ALL MARVELOUS"),
        (clear(true, true, true, false), "FULL COMBO"),
        (clear(true, false, false, false), "CLEAR"),
        (clear(false, false, false, false), "FAILED"),
    ] {
        let p = Wacca::convert(ImportType::API_MYT_WACCA, &wacca_info(c)).unwrap();
        assert_eq!(metric(&p, "lamp"), lamp);
    }
    // No clear status: an orphan if the chart is unknown, else invalid.
    let p = Wacca::convert(ImportType::API_MYT_WACCA, &wacca_info(None)).unwrap();
    assert_eq!(
        once_found(&p).as_deref(),
        Some("Can't process a score without clearStatus")
    );
    let mut no_judge = wacca_info(clear(true, false, false, false));
    no_judge.judge = None;
    let p = Wacca::convert(ImportType::API_MYT_WACCA, &no_judge).unwrap();
    assert_eq!(metric(&p, "judgements"), json!({}));
    let mut bad = wacca_info(clear(true, false, false, false));
    bad.music_difficulty = 0;
    assert_eq!(
        Wacca::convert(ImportType::API_MYT_WACCA, &bad).unwrap_err(),
        invalid("Can't process a score with unspecified difficulty (musicId 2085)")
    );
    let mut late = wacca_info(clear(true, false, false, false));
    late.user_play_date = "not a date".into();
    let p = Wacca::convert(ImportType::API_MYT_WACCA, &late).unwrap();
    assert_eq!(
        once_found(&p).as_deref(),
        Some("Invalid/Unparsable score timestamp of not a date.")
    );
    late.user_play_date = String::new();
    let p = Wacca::convert(ImportType::API_MYT_WACCA, &late).unwrap();
    assert_eq!(p.dry.time_achieved, None);
}

#[test]
fn records_keep_tachis_camel_case_shape() {
    let v = serde_json::to_value(chunithm_item(1, 2)).unwrap();
    assert_eq!(v["playlogApiId"], "p1");
    assert_eq!(v["info"]["musicId"], 956);
    assert_eq!(v["info"]["userPlayDate"], "2024-02-05T00:00:00.000Z");
    assert_eq!(v["judge"]["judgeHeaven"], 300);
    // Orphans come back as they were stored.
    let back: chunithm::GetPlaylogStreamItem = serde_json::from_value(v).unwrap();
    assert_eq!(back, chunithm_item(1, 2));
    let partial: wacca::PlaylogInfo =
        serde_json::from_value(json!({"musicId": 5, "musicDifficulty": 2})).unwrap();
    assert_eq!(partial.music_id, 5);
    assert_eq!(partial.clear_status, None);
}

#[test]
fn stage_ups_name_tachis_classes() {
    assert_eq!(client::stage_up_class(0), None);
    assert_eq!(client::stage_up_class(-1), None);
    assert_eq!(client::stage_up_class(15), None);
    assert_eq!(client::stage_up_class(1).unwrap().class_id, "I");
    let xiv = client::stage_up_class(14).unwrap();
    assert_eq!(
        (xiv.set.as_str(), xiv.class_id.as_str()),
        ("stageUp", "XIV")
    );
}

#[test]
fn config_comes_from_kaiden_myt_variables() {
    let vars = |name: &str| match name {
        "KAIDEN_MYT_URL" => Some("https://myt.example.com:443/".to_owned()),
        "KAIDEN_MYT_TOKEN" => Some(" hunter2 ".to_owned()),
        _ => None,
    };
    let c = MytConfig::from_vars(vars);
    let server = c.server.clone().unwrap();
    assert_eq!(server.url, "https://myt.example.com:443");
    assert_eq!(server.token, "hunter2");
    assert!(!format!("{c:?}").contains("hunter2"));
    assert_eq!(c.deadline, Duration::from_secs(600));
    let only_url = |name: &str| (name == "KAIDEN_MYT_URL").then(|| "myt:443".to_owned());
    assert!(MytConfig::from_vars(only_url).server.is_none());
    let conn = client::Conn::new(&c).unwrap();
    assert!(!format!("{conn:?}").contains("hunter2"));
    let mut tachi_form = c.clone();
    tachi_form.server.as_mut().unwrap().url = "myt.example.com:443".into();
    assert!(format!("{:?}", client::Conn::new(&tachi_form).unwrap()).contains("https://"));
    let mut ftp = c;
    ftp.server.as_mut().unwrap().url = "ftp://myt".into();
    assert!(client::Conn::new(&ftp).is_err());
}
