use super::*;

const HEADER: &str = "music_id,music_title,music_artist,music_genre,music_levels,music_play_counts,music_scores,music_achieves";

fn records(text: &str) -> Result<Vec<WaccaRecord>, ImportError> {
    let input = ImportInput {
        bytes: text.as_bytes(),
        ..ImportInput::default()
    };
    let p = MyPageScraper.parse(ImportType::FILE_MYPAGESCRAPER_RECORDS_CSV, &input)?;
    assert_eq!(p.game, Game::Wacca);
    p.records.collect()
}

fn player(text: &str) -> Result<Vec<ProvidedClass>, ImportError> {
    let input = ImportInput {
        bytes: text.as_bytes(),
        ..ImportInput::default()
    };
    let p = MyPageScraper.parse(ImportType::FILE_MYPAGESCRAPER_PLAYER_CSV, &input)?;
    assert_eq!(p.records.count(), 0);
    Ok(p.classes.get())
}

#[test]
fn records_give_one_item_per_played_chart() {
    let r = records(&format!(
        "{HEADER}\n3080,Avenue,aran,6,\"[3,7+,12+,0]\",\"[0,0,12]\",\"[0,0,996952]\",\"[0,0,3]\"\n"
    ))
    .expect("parses");
    assert_eq!(
        r,
        vec![WaccaRecord {
            song_id: 3080.0,
            song_title: "Avenue".into(),
            diff_index: 2,
            level: "12+".into(),
            score: "996952".into(),
            lamp: "3".into(),
            line: 2
        }]
    );
    assert!(records(HEADER).expect("header only").is_empty());
    // A BOM is tolerated; CRLF too.
    let r = records(&format!("\u{feff}{HEADER}\r\n1,X,a,0,\"[1,2,3,4]\",\"[1,1,1,1]\",\"[10,20,30,40]\",\"[0,1,2,3]\"\r\n")).expect("parses");
    assert_eq!(r.len(), 4);
    assert_eq!(r[3].level, "4");
}

#[test]
fn records_fatal_errors() {
    let e = records(&format!(
        "{HEADER}\n3080,Avenue,aran,6,\"[3,7+,12+,0]\",\"[0,0,12]\",\"[0,0,996952]\"\n"
    ))
    .expect_err("short");
    assert_eq!(
        e.message(),
        "Failed to parse CSV: Invalid Record Length: columns length is 8, got 7 on line 2"
    );
    let renamed = HEADER.replace("music_title", "not_music_title");
    let e = records(&format!(
        "{renamed}\n1,X,a,0,\"[1,2,3]\",\"[1,1,1]\",\"[1,1,1]\",\"[1,1,1]\""
    ))
    .expect_err("renamed");
    assert_eq!(
        e.message(),
        "Malformed CSV, invalid column(s) (music_title: undefined): Expected string."
    );
    let no_achieves = HEADER.replace(",music_achieves", "");
    let e = records(&format!("{no_achieves}\n")).expect_err("missing column");
    assert_eq!(
        e.message(),
        "Malformed CSV, invalid column(s) (music_achieves: undefined): Expected string."
    );
}

#[test]
fn array_cells_follow_tachis_regex() {
    assert_eq!(array_cell("[2,7,12,13+]"), vec!["2", "7", "12", "13+"]);
    assert_eq!(array_cell("[0,0,3]"), vec!["0", "0", "3"]);
    assert_eq!(array_cell("[1,2,3,4,5]"), vec!["1", "2", "3", "4,5"]);
    assert!(array_cell("[1,2]").is_empty());
    assert!(array_cell("nope").is_empty());
}

#[test]
fn player_csv_gives_the_stage_up_class() {
    let header = "player_name,player_level,player_rate,player_stage,player_play_count,player_play_count_versus,player_play_count_coop,player_total_rp_earned,player_total_rp_spent";
    let classes = player(&format!(
        "{header}\ncg505,120,2704,\"[12,ステージXII,2]\",1274,57,0,2088515,531325\n"
    ))
    .expect("parses");
    assert_eq!(
        classes,
        vec![ProvidedClass {
            gpt: Gpt::WaccaSingle,
            set: "stageUp".into(),
            class_id: "XII".into()
        }]
    );
    let e = player(&format!(
        "{header}\ncg505,2704,\"[12,ステージXII,2]\",1274,57,0,2088515,531325\n"
    ))
    .expect_err("short");
    assert_eq!(
        e.message(),
        "Failed to parse CSV: Invalid Record Length: columns length is 9, got 8 on line 2"
    );
    let e = player("player_name\ncg505\n").expect_err("no stage");
    assert_eq!(e.message(), "Malformed CSV: no player_stage column.");
    let e = player(&format!(
        "{header}\ncg505,120,2704,\"[12,ステージXII]\",1274,57,0,2088515,531325\n"
    ))
    .expect_err("malformed");
    assert_eq!(e.message(), "Malformed player_stage entry.");
    let e = player(&format!(
        "{header}\ncg505,120,2704,\"[15,ステージXV,2]\",1274,57,0,2088515,531325\n"
    ))
    .expect_err("unknown");
    assert_eq!(e.message(), "Unknown stage up id 15.");
    let e = player(header).expect_err("no rows");
    assert_eq!(
        e.message(),
        "Found 0 records instead of exactly 1 in the player CSV."
    );
}

#[test]
fn converts_as_tachi_does() {
    let r = WaccaRecord {
        song_id: 2085.0,
        song_title: "PUPA".into(),
        diff_index: 2,
        level: "13+".into(),
        score: "996827".into(),
        lamp: "2".into(),
        line: 2,
    };
    let p = MyPageScraper
        .convert(
            ImportType::FILE_MYPAGESCRAPER_RECORDS_CSV,
            &r,
            &WaccaContext {},
        )
        .expect("converts");
    assert_eq!(p.dry.service, "mypage-scraper");
    assert_eq!(p.dry.score_data.string("lamp"), Some("MISSLESS"));
    assert_eq!(p.dry.score_data.number("score"), Some(996_827.0));
    assert_eq!(p.query.difficulty.as_deref(), Some("EXPERT"));
    assert_eq!(p.expected_level.as_deref(), Some("13+"));
    let bad = WaccaRecord {
        diff_index: 4,
        ..r.clone()
    };
    assert!(
        matches!(MyPageScraper.convert(ImportType::FILE_MYPAGESCRAPER_RECORDS_CSV, &bad, &WaccaContext {}),
        Err(ConverterFailure::InvalidScore(m)) if m.starts_with("Invalid difficulty index of 4."))
    );
    let bad = WaccaRecord {
        lamp: "7".into(),
        ..r
    };
    assert!(
        matches!(MyPageScraper.convert(ImportType::FILE_MYPAGESCRAPER_RECORDS_CSV, &bad, &WaccaContext {}),
        Err(ConverterFailure::InvalidScore(m)) if m.contains("Invalid lamp of 7."))
    );
}
