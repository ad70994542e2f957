use super::*;

fn input<'a>(bytes: &'a [u8], playtype: Option<&str>, filename: Option<&str>) -> ImportInput<'a> {
    let mut i = ImportInput {
        bytes,
        filename: filename.map(str::to_owned),
        ..ImportInput::default()
    };
    if let Some(p) = playtype {
        i.fields.insert("playtype".into(), p.into());
    }
    i
}

fn pre_hv_header() -> String {
    csv_header(false)
}

fn pre_hv_row(version: &str, title: &str, another: [&str; 6], ts: &str) -> String {
    let mut c = vec![
        version.to_owned(),
        title.to_owned(),
        "G".into(),
        "A".into(),
        "3".into(),
    ];
    for _ in 0..2 {
        c.extend(["0", "0", "0", "0", "---", "NO PLAY", "---"].map(str::to_owned));
    }
    c.extend(another.iter().map(|s| (*s).to_owned()));
    c.push("A".into());
    c.push(ts.to_owned());
    c.join(",")
}

fn parse_all(
    text: &str,
    t: ImportType,
    playtype: &str,
) -> Result<(IidxContext, Vec<IidxRecord>), ImportError> {
    let p = EamusementIidx.parse(t, &input(text.as_bytes(), Some(playtype), None))?;
    let records: Result<Vec<_>, _> = p.records.collect();
    Ok((p.context, records?))
}

#[test]
fn layouts_versions_and_records() {
    let text = format!(
        "{}\r\n{}\r\n{}\r\n",
        pre_hv_header(),
        pre_hv_row(
            "Rootage",
            "Wanna Party?†",
            ["12", "2000", "900", "200", "10", "HARD CLEAR"],
            "2019-10-28 14:05"
        ),
        pre_hv_row("SPADA", "A", ["10", "0", "0", "0", "---", "NO PLAY"], "")
    );
    let (ctx, records) =
        parse_all(&text, ImportType::FILE_EAMUSEMENT_IIDX_CSV, "SP").expect("parses");
    assert_eq!(ctx.import_version, "26");
    assert!(!ctx.has_beginner_and_legg);
    assert_eq!(ctx.service, "e-amusement");
    assert_eq!(records.len(), 6);
    assert_eq!(records[2].difficulty, "ANOTHER");
    assert_eq!(records[2].timestamp(), "2019-10-28 14:05");
    let (ctx, _) = parse_all(&text, ImportType::FILE_PLI_IIDX_CSV, "DP").expect("parses");
    assert_eq!(ctx.service, "PLI");
    assert_eq!(ctx.playtype, Playtype::Dp);
}

#[test]
fn fatal_errors() {
    let header = pre_hv_header();
    let e = EamusementIidx
        .parse(
            ImportType::FILE_EAMUSEMENT_IIDX_CSV,
            &input(header.as_bytes(), None, None),
        )
        .expect_err("no playtype");
    assert_eq!(kind(&e), Some(IidxCsvError::Playtype("undefined".into())));
    assert_eq!(e.message(), "Invalid playtype of undefined given.");
    let e = EamusementIidx
        .parse(
            ImportType::FILE_EAMUSEMENT_IIDX_CSV,
            &input(header.as_bytes(), Some("SP"), Some("my_DP_scores.csv")),
        )
        .expect_err("safety");
    assert_eq!(
        kind(&e),
        Some(IidxCsvError::PlaytypeClash {
            named: "DP".into(),
            marked: "SP".into()
        })
    );
    assert_eq!(
        e.message(),
        "Safety Triggered: Filename contained 'DP', but was marked as a SP import. Are you *absolutely* sure this is right?"
    );
    let mut i = input(header.as_bytes(), Some("SP"), Some("dp.csv"));
    i.fields
        .insert("assertPlaytypeCorrect".into(), String::new());
    let e = EamusementIidx
        .parse(ImportType::FILE_EAMUSEMENT_IIDX_CSV, &i)
        .expect_err("header only is version 0");
    assert_eq!(kind(&e), Some(IidxCsvError::Version("0".into())));
    let e =
        parse_all("a,b,c\n1,2,3", ImportType::FILE_EAMUSEMENT_IIDX_CSV, "SP").expect_err("layout");
    assert_eq!(kind(&e), Some(IidxCsvError::Headers(3)));
    let text = format!(
        "{header}\n{}",
        pre_hv_row("constructor", "A", ["1", "2", "1", "0", "0", "CLEAR"], "")
    );
    let e = parse_all(&text, ImportType::FILE_EAMUSEMENT_IIDX_CSV, "SP").expect_err("version name");
    assert_eq!(
        kind(&e),
        Some(IidxCsvError::VersionName("constructor".into()))
    );
    assert_eq!(e.position().and_then(|p| p.line), Some(2));
    let text = format!(
        "{header}\n{}",
        pre_hv_row("GOLD", "A", ["1", "2", "1", "0", "0", "CLEAR"], "")
    );
    let e = parse_all(&text, ImportType::FILE_EAMUSEMENT_IIDX_CSV, "SP").expect_err("too old");
    assert_eq!(kind(&e), Some(IidxCsvError::Version("14".into())));
}

fn kind(e: &ImportError) -> Option<IidxCsvError> {
    e.format_error::<IidxCsvError>().cloned()
}

fn ctx(has_legg: bool) -> IidxContext {
    IidxContext {
        playtype: Playtype::Sp,
        import_version: "26".into(),
        has_beginner_and_legg: has_legg,
        service: "e-amusement".into(),
    }
}

fn rec(title: &str, ex: &str, pg: &str, gr: &str, bp: &str, lamp: &str, ts: &str) -> IidxRecord {
    IidxRecord::new(title, ts, "ANOTHER", ["12", ex, pg, gr, bp, lamp], 2)
}

#[test]
fn converts_as_tachi_does() {
    let t = ImportType::FILE_EAMUSEMENT_IIDX_CSV;
    let p = EamusementIidx
        .convert(
            t,
            &rec(
                "Wanna Party?†",
                "2000",
                "900",
                "200",
                "10",
                "FULLCOMBO CLEAR",
                "2019-10-28 14:05",
            ),
            &ctx(false),
        )
        .expect("converts");
    assert_eq!(
        p.query.key,
        ChartKey::SongTitle {
            title: "Wanna Party?".into(),
            artist: None,
            exact_first: true,
            level: Some("12".into()),
        }
    );
    assert_eq!(p.query.difficulty.as_deref(), Some("LEGGENDARIA"));
    assert_eq!(p.query.version.as_deref(), Some("26"));
    assert_eq!(p.dry.time_achieved, Some(1_572_239_100_000));
    assert_eq!(p.dry.score_data.string("lamp"), Some("FULL COMBO"));
    assert_eq!(p.dry.score_data.optional_number("bp"), Some(10.0));
    assert_eq!(p.dry.score_data.judgement("pgreat"), Some(900));
    // In the HV layout a † title is just a title.
    let p = EamusementIidx
        .convert(t, &rec("X†", "3", "1", "1", "---", "CLEAR", ""), &ctx(true))
        .expect("converts");
    assert_eq!(p.query.difficulty.as_deref(), Some("ANOTHER"));
    assert_eq!(p.dry.time_achieved, None);
    assert!(!p.dry.score_data.optional.contains_key("bp"));
    assert_eq!(japan_time_ms("2020-12-19 03:28"), Some(1_608_316_080_000));
    assert_eq!(japan_time_ms("2021-03-14 01:59"), Some(1_615_654_740_000));
}

#[test]
fn skips_and_failures() {
    let t = ImportType::FILE_EAMUSEMENT_IIDX_CSV;
    let c = ctx(false);
    assert!(matches!(
        EamusementIidx.convert(t, &rec("A", "0", "0", "0", "---", "NO PLAY", ""), &c),
        Err(ConverterFailure::Skip(_))
    ));
    let r = IidxRecord::new("A", "", "ANOTHER", ["0", "3", "1", "1", "0", "CLEAR"], 2);
    assert!(matches!(
        EamusementIidx.convert(t, &r, &c),
        Err(ConverterFailure::Skip(_))
    ));
    let bad = |r: IidxRecord, want: &str| match EamusementIidx.convert(t, &r, &c) {
        Err(ConverterFailure::InvalidScore(m)) => assert!(m.contains(want), "{m}"),
        other => panic!("{other:?}"),
    };
    bad(
        rec("A", "x", "1", "1", "0", "CLEAR", ""),
        "Invalid EX score of x",
    );
    bad(
        rec("A", "4", "1", "1", "0", "CLEAR", ""),
        "PGreats * 2 + Greats did not equal EXScore (1 * 2 + 1 != 4).",
    );
    // Counts near i64's limit: no overflow (a fuzz-found panic), no match.
    bad(
        rec("A", "4", "9223372036854775807", "1", "0", "CLEAR", ""),
        "PGreats * 2 + Greats did not equal EXScore (9223372036854775807 * 2 + 1 != 4).",
    );
    bad(
        rec("A", "3", "1", "1", "0", "HARD CLAER", ""),
        "Invalid Lamp of HARD CLAER.",
    );
    bad(
        rec("A", "3", "1", "1", "10000", "CLEAR", ""),
        "Invalid BP of 10000.",
    );
    bad(
        rec("A", "3", "1", "1", "0", "CLEAR", "yesterday"),
        "Invalid timestamp of yesterday.",
    );
    // An empty BP is 0; a non-number is ignored.
    let p = EamusementIidx
        .convert(t, &rec("A", "3", "1", "1", "", "CLEAR", ""), &c)
        .expect("converts");
    assert_eq!(p.dry.score_data.optional_number("bp"), Some(0.0));
    let p = EamusementIidx
        .convert(t, &rec("A", "3", "1", "1", "n/a", "CLEAR", ""), &c)
        .expect("converts");
    assert!(!p.dry.score_data.optional.contains_key("bp"));
}

proptest::proptest! {
    /// Rows written in the 41-column layout read back as one record per
    /// difficulty with the cells as written, and the file's newest version wins.
    #[test]
    fn written_rows_read_back(
        rows in proptest::collection::vec((
            proptest::sample::select(vec!["HEROIC VERSE", "BISTROVER", "CastHour", "RESIDENT"]),
            "[^,\r\n\"]{1,20}",
            proptest::collection::vec((0u32..13, 0u32..1500, 0u32..400, proptest::option::of(0u32..100)), 5),
        ), 1..15),
        crlf in proptest::bool::ANY,
    ) {
        let nl = if crlf { "\r\n" } else { "\n" };
        let mut text = format!("{}{nl}", csv_header(true));
        for (version, title, charts) in &rows {
            let mut cells = vec![(*version).to_owned(), title.clone(), "G".into(), "A".into(), "1".into()];
            for (level, pg, gr, bp) in charts {
                cells.extend([level.to_string(), (pg * 2 + gr).to_string(), pg.to_string(), gr.to_string(),
                    bp.map_or_else(|| "---".to_owned(), |b| b.to_string()), "CLEAR".into(), "A".into()]);
            }
            cells.push("2021-03-14 01:59".into());
            text.push_str(&cells.join(","));
            text.push_str(nl);
        }
        let (ctx, records) = parse_all(&text, ImportType::FILE_EAMUSEMENT_IIDX_CSV, "SP").expect("parses");
        let newest = rows.iter().map(|r| version_of(r.0).unwrap_or(0)).max().unwrap_or(0);
        proptest::prop_assert_eq!(ctx.import_version, newest.to_string());
        proptest::prop_assert!(ctx.has_beginner_and_legg);
        proptest::prop_assert_eq!(records.len(), rows.len() * 5);
        for (chunk, (_, title, charts)) in records.chunks(5).zip(&rows) {
            for (r, (level, pg, gr, bp)) in chunk.iter().zip(charts) {
                proptest::prop_assert_eq!(r.title(), title.trim());
                proptest::prop_assert_eq!(r.level(), &level.to_string());
                proptest::prop_assert_eq!(r.exscore(), &(pg * 2 + gr).to_string());
                proptest::prop_assert_eq!(r.bp(), &bp.map_or_else(|| "---".to_owned(), |b| b.to_string()));
                proptest::prop_assert_eq!(r.timestamp(), "2021-03-14 01:59");
            }
        }
    }
}

/// Lines a generated file is made of: valid rows of both layouts, a wrong cell
/// count, blank and single-cell lines, an unknown version, CRLF endings.
fn line_pool() -> Vec<String> {
    let mut hv41 = vec![
        "HEROIC VERSE".to_owned(),
        "Title, with \"quotes\"".replace(',', ""),
        "G".into(),
        "A".into(),
        "1".into(),
    ];
    for _ in 0..5 {
        hv41.extend(["10", "1500", "700", "100", "12", "CLEAR", "A"].map(str::to_owned));
    }
    hv41.push("2021-03-14 01:59".into());
    vec![
        hv41.join(","),
        format!("{}\r", hv41.join(",")),
        pre_hv_row(
            "RESIDENT",
            "Old Song",
            ["11", "1800", "800", "200", "---", "HARD CLEAR"],
            "2020-01-01 10:00",
        ),
        pre_hv_row(
            "Nope Version",
            "Bad",
            ["11", "1800", "800", "200", "3", "CLEAR"],
            "2020-01-01 10:00",
        ),
        "a,b,c".to_owned(),
        String::new(),
        "   ".to_owned(),
        "lonely".to_owned(),
    ]
}

proptest::proptest! {
    /// The reader path (one line at a time, two passes over a `Seek`) gives
    /// exactly what the whole-file path gives: records, context and errors.
    #[test]
    fn parse_reader_matches_parse(
        header in proptest::sample::select(vec![csv_header(true), pre_hv_header(), "a,b".to_owned(), String::new()]),
        picks in proptest::collection::vec(0usize..8, 0..40),
        final_newline in proptest::bool::ANY,
    ) {
        let pool = line_pool();
        let mut text = header;
        for p in &picks {
            text.push('\n');
            text.push_str(&pool[*p]);
        }
        if final_newline {
            text.push('\n');
        }
        let t = ImportType::FILE_PLI_IIDX_CSV;
        let whole = parse_all(&text, t, "SP");
        let meta = input(b"", Some("SP"), None);
        let streamed = EamusementIidx
            .parse_reader(t, &meta, std::io::Cursor::new(text.clone().into_bytes()))
            .and_then(|p| {
                let ctx = p.context;
                p.records.collect::<Result<Vec<_>, _>>().map(|r| (ctx, r))
            });
        match (whole, streamed) {
            (Ok(a), Ok(b)) => proptest::prop_assert_eq!(a, b),
            (Err(a), Err(b)) => {
                proptest::prop_assert_eq!(a.message(), b.message());
                proptest::prop_assert_eq!(a.position().and_then(|p| p.line), b.position().and_then(|p| p.line));
            }
            (a, b) => proptest::prop_assert!(false, "whole {:?} vs streamed {:?}", a.map(|x| x.1.len()), b.map(|x| x.1.len())),
        }
    }
}

#[test]
fn parse_reader_reports_invalid_utf8_at_its_line_and_byte() {
    let mut bytes = format!("{}\n", csv_header(false)).into_bytes();
    let row_start = bytes.len();
    bytes.extend_from_slice(b"RESIDENT,\xff\xfe,x\n");
    let e = EamusementIidx
        .parse_reader(
            ImportType::FILE_EAMUSEMENT_IIDX_CSV,
            &input(b"", Some("SP"), None),
            std::io::Cursor::new(bytes),
        )
        .expect_err("not UTF-8");
    assert_eq!(
        e.format_error::<kaiden_konami_csv::KonamiCsvError>(),
        Some(&kaiden_konami_csv::KonamiCsvError::NotUtf8)
    );
    let pos = e.position().expect("position");
    assert_eq!(pos.line, Some(2));
    assert_eq!(pos.byte, Some(row_start as u64 + 9));
}

#[test]
fn records_are_stored_cell_by_cell_and_read_back_equal() {
    let text = format!(
        "{}\n{}\n",
        pre_hv_header(),
        pre_hv_row(
            "RESIDENT",
            "  Spaced Title ",
            ["11", "1800", "800", "200", "---", "HARD CLEAR"],
            " 2020-01-01 10:00 "
        )
    );
    let (_, records) =
        parse_all(&text, ImportType::FILE_EAMUSEMENT_IIDX_CSV, "SP").expect("parses");
    let r = &records[2];
    let json = serde_json::to_value(r).expect("serialises");
    assert_eq!(
        json,
        serde_json::json!({
            "title": "Spaced Title", "timestamp": "2020-01-01 10:00", "difficulty": "ANOTHER",
            "level": "11", "exscore": "1800", "pgreat": "800", "great": "200", "bp": "---", "lamp": "HARD CLEAR"
        })
    );
    let back: IidxRecord = serde_json::from_value(json).expect("reads back");
    assert_eq!(back.line, 0);
    assert_eq!(
        format!("{back:?}").replace("line: 0", "line: 2"),
        format!("{r:?}")
    );
    let c = ctx(false);
    assert_eq!(
        EamusementIidx.convert(ImportType::FILE_EAMUSEMENT_IIDX_CSV, &back, &c),
        EamusementIidx.convert(ImportType::FILE_EAMUSEMENT_IIDX_CSV, r, &c)
    );
}
