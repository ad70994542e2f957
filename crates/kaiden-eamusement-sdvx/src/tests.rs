use super::*;

const HEADER: &str = "\u{feff}          楽曲名,難易度,楽曲レベル,クリアランク,スコアグレード,ハイスコア,EXスコア,プレー回数,クリア回数,ULTIMATE CHAIN,PERFECT";

fn parse(text: &str) -> Result<Vec<SdvxRow>, ImportError> {
    let input = ImportInput {
        bytes: text.as_bytes(),
        ..ImportInput::default()
    };
    let p = EamusementSdvx.parse(ImportType::FILE_EAMUSEMENT_SDVX_CSV, &input)?;
    assert_eq!(p.game, Game::Sdvx);
    p.records.collect()
}

fn row() -> SdvxRow {
    SdvxRow {
        title: "ALBIDA Powerless Mix".into(),
        difficulty: "ADVANCED".into(),
        level: "10".into(),
        lamp: "EXCESSIVE COMPLETE".into(),
        score: "9310699".into(),
        exscore: "0".into(),
        line: 2,
    }
}

fn convert(r: &SdvxRow) -> Result<PendingScore, ConverterFailure> {
    EamusementSdvx.convert(ImportType::FILE_EAMUSEMENT_SDVX_CSV, r, &SdvxContext {})
}

fn invalid_message(r: &SdvxRow) -> String {
    match convert(r) {
        Err(ConverterFailure::InvalidScore(m)) => m,
        other => panic!("expected InvalidScore, got {other:?}"),
    }
}

#[test]
fn rows_stream_with_bom_padding_crlf_and_blank_lines() {
    let text = format!(
        "{HEADER}\r\n竹,EXHAUST,17,EXCESSIVE COMPLETE,AAA+,9866844,0,4,4,0,0\r\n  \nA\u{a0}B,MAXIMUM,18,PLAYED,A,8000000,2000,1,0,0,0\n\n"
    );
    let rows = parse(&text).expect("parses");
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].title, "竹");
    assert_eq!(rows[0].line, 2);
    assert_eq!(rows[1].title, "A\u{a0}B");
    assert_eq!(rows[1].exscore, "2000");
    assert!(parse(HEADER).expect("header only").is_empty());
}

#[test]
fn fatal_layout_errors() {
    let sixteen = format!("{}a", "a,".repeat(15));
    let e = parse(&format!("{sixteen}\n{sixteen}")).expect_err("16 columns");
    assert_eq!(
        e.format_error::<SdvxCsvError>(),
        Some(&SdvxCsvError::Headers(16))
    );
    let text = format!("{}a\n{}a", "a,".repeat(10), "a,".repeat(3));
    let e = parse(&text).expect_err("short row");
    assert_eq!(
        e.format_error::<kaiden_konami_csv::KonamiCsvError>(),
        Some(&kaiden_konami_csv::KonamiCsvError::CellCount {
            row: 1,
            found: 4,
            expected: 11
        })
    );
    let e = EamusementSdvx
        .parse(
            ImportType::FILE_EAMUSEMENT_SDVX_CSV,
            &ImportInput {
                bytes: b"\xff\xfe",
                ..ImportInput::default()
            },
        )
        .expect_err("not UTF-8");
    assert_eq!(e.http_status(), 400);
}

#[test]
fn converts_as_tachi_does() {
    let p = convert(&row()).expect("converts");
    assert_eq!(p.dry.service, "e-amusement");
    assert_eq!(p.dry.time_achieved, None);
    assert_eq!(p.dry.score_data.number("score"), Some(9_310_699.0));
    assert_eq!(p.dry.score_data.string("lamp"), Some("EXCESSIVE CLEAR"));
    assert_eq!(
        p.dry.score_data.optional.get("exScore"),
        Some(&MetricValue::Null)
    );
    assert_eq!(p.query.difficulty.as_deref(), Some("ADV"));
    assert_eq!(p.expected_level.as_deref(), Some("10"));
    let mut ex = row();
    ex.exscore = "5730".into();
    assert_eq!(
        convert(&ex)
            .expect("converts")
            .dry
            .score_data
            .optional_number("exScore"),
        Some(5730.0)
    );
}

#[test]
fn per_row_failures() {
    let mut r = row();
    r.difficulty = "INVALID".into();
    assert!(invalid_message(&r).contains("Invalid difficulty of INVALID."));
    let mut r = row();
    r.score = "not a number".into();
    assert!(invalid_message(&r).contains("Invalid score of not a number."));
    let mut r = row();
    r.score = "10000001".into();
    assert!(
        invalid_message(&r).contains("Invalid score of 10000001 (was greater than 10,000,000).")
    );
    let mut r = row();
    r.lamp = "INVALID".into();
    assert!(invalid_message(&r).contains("Invalid lamp of INVALID."));
    let mut r = row();
    r.exscore = "-1".into();
    assert!(invalid_message(&r).contains("Invalid EX score of 9310699."));
}

#[test]
fn stored_rows_round_trip_without_their_line() {
    let r = row();
    let v = serde_json::to_value(&r).expect("serialises");
    assert!(v.get("line").is_none());
    let back: SdvxRow = serde_json::from_value(v).expect("reads back");
    assert_eq!(back, SdvxRow { line: 0, ..r });
}

#[test]
fn exports_without_the_ex_score_column_read_as_unknown_ex() {
    let header = HEADER.replace(",EXスコア", "");
    let rows = parse(&format!(
        "{header}\n竹,EXHAUST,17,EXCESSIVE COMPLETE,AAA+,9866844,4,4,0,0\n"
    ))
    .expect("parses");
    assert_eq!(rows[0].score, "9866844");
    assert_eq!(rows[0].exscore, "0");
    assert_eq!(
        convert(&rows[0])
            .expect("converts")
            .dry
            .score_data
            .optional
            .get("exScore"),
        Some(&MetricValue::Null)
    );
    // Ten columns that include an EX score column are some other layout.
    let odd = HEADER.replace(",PERFECT", "");
    let e = parse(&odd).expect_err("unknown layout");
    assert_eq!(
        e.format_error::<SdvxCsvError>(),
        Some(&SdvxCsvError::Headers(10)),
        "{e}"
    );
}

proptest::proptest! {
    /// Any rows written in the export's layout (BOM or not, LF or CRLF) read
    /// back as written.
    #[test]
    fn written_rows_read_back(
        rows in proptest::collection::vec((
            "[^,\r\n\"]{1,24}",
            proptest::sample::select(vec!["NOVICE", "ADVANCED", "EXHAUST", "MAXIMUM", "VIVID"]),
            1u32..21,
            proptest::sample::select(vec!["PLAYED", "COMPLETE", "EXCESSIVE COMPLETE", "ULTIMATE CHAIN", "PERFECT"]),
            0u32..10_000_001,
            0u32..5000,
        ), 0..40),
        crlf in proptest::bool::ANY,
        bom in proptest::bool::ANY,
    ) {
        let nl = if crlf { "\r\n" } else { "\n" };
        let header = if bom { HEADER.to_owned() } else { HEADER.trim_start_matches('\u{feff}').to_owned() };
        let mut text = format!("{header}{nl}");
        for (t, d, l, m, s, e) in &rows {
            text.push_str(&format!("{t},{d},{l},{m},A,{s},{e},1,1,0,0{nl}"));
        }
        let parsed = parse(&text).expect("parses");
        // Lines of only blanks are skipped by the reader, as in Tachi; titles here
        // always hold a comma-free non-empty cell, so every row is kept.
        proptest::prop_assert_eq!(parsed.len(), rows.len());
        for (p, (t, d, l, m, s, e)) in parsed.iter().zip(&rows) {
            proptest::prop_assert_eq!(&p.title, t);
            proptest::prop_assert_eq!(&p.difficulty, d);
            proptest::prop_assert_eq!(&p.level, &l.to_string());
            proptest::prop_assert_eq!(&p.lamp, m);
            proptest::prop_assert_eq!(&p.score, &s.to_string());
            // The last cell keeps a CR (Tachi trims only the IIDX timestamp); EX is column 6.
            proptest::prop_assert_eq!(&p.exscore, &e.to_string());
        }
    }
}

/// Reads `text` through the reader path and through an [`ImportInput`] stream.
use proptest::strategy::Strategy as _;

fn parse_streamed(text: &str) -> Result<Vec<SdvxRow>, ImportError> {
    let p = EamusementSdvx.parse_reader(std::io::Cursor::new(text.as_bytes().to_vec()))?;
    p.records.collect()
}

proptest::proptest! {
    /// The reader path (one line at a time) gives the rows the whole-file path
    /// gives, or the same fatal error, on any text in the export's alphabet.
    #[test]
    fn parse_reader_matches_parse(
        lines in proptest::collection::vec(proptest::prop_oneof![
            "[a-c,\"\r \u{e9}\u{feff}0-9]{0,40}",
            proptest::collection::vec("[a-c\"\r \u{e9}0-9]{0,6}", 11).prop_map(|c| c.join(",")),
        ], 0..12),
        header in proptest::sample::select(vec![HEADER, "a,b,c,d,e,f,g,h,i,j", "x"]),
    ) {
        let mut text = header.to_owned();
        for l in &lines {
            text.push('\n');
            text.push_str(l);
        }
        match (parse(&text), parse_streamed(&text)) {
            (Ok(a), Ok(b)) => proptest::prop_assert_eq!(a, b),
            (Err(a), Err(b)) => proptest::prop_assert_eq!(a.message(), b.message()),
            (a, b) => proptest::prop_assert!(false, "paths disagree: {a:?} / {b:?}"),
        }
    }
}

#[test]
fn a_stream_input_is_read_by_the_reader_path() {
    let path = std::env::temp_dir().join(format!("kaiden-sdvx-stream-{}.csv", std::process::id()));
    let text = format!(
        "{HEADER}\nALBIDA Powerless Mix,ADVANCED,10,EXCESSIVE COMPLETE,AA,9310699,0,1,1,0,0\n"
    );
    std::fs::write(&path, &text).expect("write");
    let stream = kaiden_core::format::FileStream::new(&path).expect("stat");
    let input = ImportInput {
        stream: Some(std::sync::Arc::new(stream)),
        ..ImportInput::default()
    };
    assert!(EamusementSdvx.reads_streams(ImportType::FILE_EAMUSEMENT_SDVX_CSV));
    let rows: Vec<SdvxRow> = EamusementSdvx
        .parse(ImportType::FILE_EAMUSEMENT_SDVX_CSV, &input)
        .expect("parses")
        .records
        .collect::<Result<_, _>>()
        .expect("rows");
    std::fs::remove_file(&path).ok();
    assert_eq!(rows, parse(&text).expect("parses"));
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].score, "9310699");
}
