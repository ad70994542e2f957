use super::*;

fn song(body: &str) -> String {
    format!(
        "<s3data version=\"0.1\"><userdata><id>3</id><login><![CDATA[zkldi]]></login><djname>Z</djname></userdata><scoredata>{body}</scoredata></s3data>"
    )
}

const GAMBOL: &str = "<song><id>187</id><diff>7</diff><songname><![CDATA[GAMBOL]]></songname><styles>3rd</styles><exscore>100</exscore><scorebreakdown><justgreats>25</justgreats><greats>50</greats><good>0</good><bad>0</bad><poor>4</poor></scorebreakdown><mods><hardeasy>H</hardeasy></mods><cleartype>cleared</cleartype><date>2010-10-19 04:54:22</date></song>";

fn parse(xml: &str) -> Result<Vec<S3Song>, ImportError> {
    let input = ImportInput {
        bytes: xml.as_bytes(),
        ..ImportInput::default()
    };
    let p = SolidStateSquad.parse(ImportType::FILE_SOLID_STATE_SQUAD, &input)?;
    assert_eq!(p.game, Game::Iidx);
    p.records.collect()
}

#[test]
fn songs_stream_and_convert() {
    let songs = parse(&song(&format!(
        "{GAMBOL}{}",
        GAMBOL
            .replace("<diff>7</diff>", "<diff>L7</diff>")
            .replace("<hardeasy>H</hardeasy>", "<highspeed>2</highspeed>")
            .replace("cleared", "perfect")
    )))
    .expect("parses");
    assert_eq!(songs.len(), 2);
    assert_eq!(songs[0].diff, "7");
    assert_eq!(songs[0].hardeasy.as_deref(), Some("H"));
    assert_eq!(songs[1].hardeasy, None);
    assert_eq!(songs[0].scorebreakdown, Some([25, 50, 0, 0, 4]));
    let p = SolidStateSquad
        .convert(ImportType::FILE_SOLID_STATE_SQUAD, &songs[0], &S3Context {})
        .expect("converts");
    assert_eq!(p.dry.score_data.string("lamp"), Some("HARD CLEAR"));
    assert_eq!(p.query.gpt, Gpt::IidxSp);
    assert_eq!(p.query.difficulty.as_deref(), Some("HYPER"));
    assert_eq!(p.query.version.as_deref(), Some("3-cs"));
    assert_eq!(p.dry.time_achieved, Some(1_287_464_062_000));
    assert_eq!(p.dry.score_data.judgement("pgreat"), Some(25));
    let p = SolidStateSquad
        .convert(ImportType::FILE_SOLID_STATE_SQUAD, &songs[1], &S3Context {})
        .expect("converts");
    assert_eq!(p.dry.score_data.string("lamp"), Some("FULL COMBO"));
    assert_eq!(p.query.difficulty.as_deref(), Some("NORMAL"));
}

#[test]
fn titles_stay_text_and_entities_stay_literal() {
    let s = parse(&song(
        &GAMBOL.replace("<![CDATA[GAMBOL]]>", "<![CDATA[.59]]>"),
    ))
    .expect("parses");
    assert_eq!(s[0].songname, ".59");
    let doctype = "<!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;\">]>";
    let s = parse(&format!(
        "{doctype}{}",
        song(&GAMBOL.replace("<![CDATA[GAMBOL]]>", "&lol2;"))
    ))
    .expect("parses");
    assert_eq!(s[0].songname, "&lol2;");
    let s = parse(&song(
        &GAMBOL.replace("<![CDATA[GAMBOL]]>", "A &amp; B &#x41;"),
    ))
    .expect("parses");
    assert_eq!(s[0].songname, "A & B A");
}

#[test]
fn rejections_say_why() {
    let cases = [
        ("<s3data><userdata><id>1</id><login>a</login><djname>b</djname></userdata><scoredata></scoredata></s3data>".to_owned(), "no s3data -> scoredata -> song"),
        ("<lolz>&lol9;</lolz>".to_owned(), "no s3data -> scoredata -> song"),
        ("<s3data><scoredata><song>".to_owned(), "Could not parse XML."),
        (song(&GAMBOL.replace("cleared", "BAD LAMP")), "cleartype | Expected any of played, cleared, combo, comboed, perfect, perfected. | Received BAD LAMP [type: string]."),
        (song(&GAMBOL.replace("<exscore>100</exscore>", "<exscore>-1</exscore>")), "exscore | Expected a positive integer. | Received -1 [type: number]."),
        (song(&GAMBOL.replace("<mods><hardeasy>H</hardeasy></mods>", "<mods>1</mods>")), "mods | Expected an object. | Received 1 [type: number]."),
        (song(&GAMBOL.replace("<mods><hardeasy>H</hardeasy></mods>", "<mods/>")), "mods | Expected an object."),
        (song(&GAMBOL.replace("<hardeasy>H</hardeasy>", "<hardeasy/>")), "mods.hardeasy | Expected any of H, E."),
        (song(&GAMBOL.replace(r"<scorebreakdown><justgreats>25</justgreats><greats>50</greats><good>0</good><bad>0</bad><poor>4</poor></scorebreakdown>", "<scorebreakdown>1</scorebreakdown>")), "scorebreakdown | Expected an object"),
        (song(&GAMBOL.replace("<diff>7</diff>", "<diff>9</diff>")), "diff | Expected any of"),
    ];
    for (xml, want) in cases {
        let e = parse(&xml).expect_err(want);
        assert!(e.message().contains(want), "{want}: {}", e.message());
        assert_eq!(e.http_status(), 400);
    }
}

#[test]
fn converter_rules() {
    let base = parse(&song(GAMBOL)).expect("parses").remove(0);
    let conv =
        |s: &S3Song| SolidStateSquad.convert(ImportType::FILE_SOLID_STATE_SQUAD, s, &S3Context {});
    let invalid = |s: S3Song, want: &str| match conv(&s) {
        Err(ConverterFailure::InvalidScore(m)) => assert!(m.contains(want), "{m}"),
        other => panic!("{other:?}"),
    };
    assert!(matches!(
        conv(&S3Song {
            diff: "5".into(),
            ..base.clone()
        }),
        Err(ConverterFailure::Skip(_))
    ));
    invalid(
        S3Song {
            styles: "3rd,4th,INVALID".into(),
            ..base.clone()
        },
        "Song has invalid style INVALID.",
    );
    invalid(
        S3Song {
            styles: "3rd,".into(),
            ..base.clone()
        },
        "Score has no styles?",
    );
    invalid(
        S3Song {
            hardeasy: Some("X".into()),
            ..base.clone()
        },
        "Invalid hardeasy of X while evaluating a 'cleared' score?",
    );
    invalid(
        S3Song {
            date: "INVALID".into(),
            ..base.clone()
        },
        "Invalid/Unparsable score timestamp of INVALID",
    );
    let p = conv(&S3Song {
        diff: "B14".into(),
        styles: "9th,pb".into(),
        comment: Some("FOO BAR".into()),
        date: String::new(),
        ..base
    })
    .expect("converts");
    assert_eq!(
        (
            p.query.gpt,
            p.query.difficulty.as_deref(),
            p.query.version.as_deref()
        ),
        (Gpt::IidxDp, Some("LEGGENDARIA"), Some("16-cs"))
    );
    assert_eq!(p.dry.comment.as_deref(), Some("FOO BAR"));
    assert_eq!(p.dry.time_achieved, None);
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

proptest::proptest! {
    /// Songs written as S3 XML (titles escaped or in CDATA) read back with the
    /// same fields; titles are trimmed, as the site's parser does.
    #[test]
    fn written_songs_read_back(
        songs in proptest::collection::vec((
            "[a-zA-Z0-9&<>'\" .†]{1,20}",
            proptest::bool::ANY,
            proptest::sample::select(vec!["L7", "7", "A", "B", "5", "L14", "14", "A14", "B14"]),
            proptest::sample::select(vec!["played", "cleared", "combo", "comboed", "perfect", "perfected"]),
            0i64..5000,
            proptest::option::of(proptest::sample::select(vec!["H", "E"])),
            proptest::option::of([0i64..2000, 0i64..2000, 0i64..100, 0i64..100, 0i64..100]),
        ), 1..20),
    ) {
        let mut body = String::new();
        for (i, (name, cdata, diff, clear, ex, he, bd)) in songs.iter().enumerate() {
            let title = if *cdata { format!("<![CDATA[{name}]]>") } else { escape(name) };
            let he = he.map(|h| format!("<hardeasy>{h}</hardeasy>")).unwrap_or_default();
            let bd = bd.map(|b| format!("<scorebreakdown><justgreats>{}</justgreats><greats>{}</greats><good>{}</good><bad>{}</bad><poor>{}</poor></scorebreakdown>", b[0], b[1], b[2], b[3], b[4])).unwrap_or_default();
            body.push_str(&format!("<song>\n\t<id>{i}</id><diff>{diff}</diff><songname>\n\t{title}\n</songname><artist>x</artist><styles>3rd,pb</styles><exscore>{ex}</exscore>{bd}<mods><highspeed>1</highspeed>{he}</mods><cleartype>{clear}</cleartype><date>2010-10-19 04:54:22</date></song>\n"));
        }
        let parsed = parse(&song(&body)).expect("parses");
        proptest::prop_assert_eq!(parsed.len(), songs.len());
        for (p, (name, _, diff, clear, ex, he, bd)) in parsed.iter().zip(&songs) {
            proptest::prop_assert_eq!(p.songname.as_str(), name.trim());
            proptest::prop_assert_eq!(p.diff.as_str(), *diff);
            proptest::prop_assert_eq!(p.cleartype.as_str(), *clear);
            proptest::prop_assert_eq!(p.exscore, *ex);
            proptest::prop_assert_eq!(p.hardeasy.as_deref(), *he);
            proptest::prop_assert_eq!(p.scorebreakdown, *bd);
        }
    }
}

/// Pieces a generated `<song>` is made of: every slot, duplicates, unknown
/// elements, slots holding elements, objects holding text, CDATA, entities.
fn song_pieces() -> Vec<&'static str> {
    vec![
        "<id>187</id>",
        "<id> 12 </id>",
        "<id>1<x/>2</id>",
        "<diff>7</diff>",
        "<diff>L14</diff>",
        "<diff><![CDATA[A]]></diff>",
        "<songname><![CDATA[GAMBOL]]></songname>",
        "<songname> a &amp; b &lol9; </songname>",
        "<songname><songname>nested</songname></songname>",
        "<styles>3rd,djt</styles>",
        "<exscore>100</exscore>",
        "<exscore>-1</exscore>",
        "<scorebreakdown><justgreats>25</justgreats><greats>50</greats><good>0</good><bad>0</bad><poor>4</poor></scorebreakdown>",
        "<scorebreakdown><justgreats>1</justgreats><justgreats>2</justgreats><greats>3</greats><good>4</good><bad>5</bad><poor>6</poor><id>9</id></scorebreakdown>",
        "<scorebreakdown>12</scorebreakdown>",
        "<scorebreakdown>text<good>1</good></scorebreakdown>",
        "<mods><hardeasy>H</hardeasy></mods>",
        "<mods><highspeed>2</highspeed><hardeasy>E</hardeasy><hardeasy>X</hardeasy></mods>",
        "<mods><hardeasy><b/></hardeasy></mods>",
        "<mods>1</mods>",
        "<mods/>",
        "<cleartype>cleared</cleartype>",
        "<cleartype>BAD</cleartype>",
        "<date>2010-10-19 04:54:22</date>",
        "<date/>",
        "<comment><![CDATA[nice]]></comment>",
        "<comment></comment>",
        "<artist><id>1</id><x><y>deep</y></x></artist>",
        "<justgreats>7</justgreats>",
        "<hardeasy>H</hardeasy>",
        "\n\t\t",
        // Shapes the fast path leaves to quick-xml, or reads at its edges.
        "<!-- c -->",
        "<songname>a\r\nb</songname>",
        "<x a=\"1\">t</x>",
        "<comment><![CDATA[</song>]]></comment>",
        "<p:id>5</p:id>",
        "<artist><song><id>1</id></song></artist>",
        "<a><b><c><d><e><f><g><h><i><j><k><l><m><n><o><p><q>deep</q></p></o></n></m></l></k></j></i></h></g></f></e></d></c></b></a>",
        "<id >3</id >",
        "<?pi x?>",
        "<styles>\u{3000}3rd\u{3000}</styles>",
    ]
}

proptest::proptest! {
    /// The flat song reader reads exactly what a tree of the song gives
    /// (every song: the same record or the same error).
    #[test]
    fn flat_song_reader_matches_the_tree(
        songs in proptest::collection::vec((proptest::collection::vec(0usize..41, 0..24), proptest::bool::ANY), 1..4),
    ) {
        let pieces = song_pieces();
        // A complete song after the picks: the picks come first, so they win
        // where they name the same slot, and the song is often valid.
        let base = GAMBOL.trim_start_matches("<song>").trim_end_matches("</song>");
        let body: String = songs
            .iter()
            .map(|(picks, complete)| {
                let picked: String = picks.iter().map(|p| pieces[*p]).collect();
                format!("<song>{picked}{}</song>", if *complete { base } else { "" })
            })
            .collect();
        let xml = song(&body);
        let run = |tree: bool, fast: bool| -> Vec<Result<S3Song, String>> {
            let mut songs = match xml::Songs::open_with(xml.as_bytes(), fast) {
                Ok(s) => s,
                Err(e) => return vec![Err(e.to_string())],
            };
            let mut out = Vec::new();
            loop {
                let next = if tree { songs.step_by_tree() } else { songs.step() };
                match next {
                    Ok(Some(s)) => out.push(Ok(s)),
                    Ok(None) => break,
                    Err(e) => {
                        out.push(Err(e.to_string()));
                        break;
                    }
                }
            }
            out
        };
        let flat = run(false, false);
        proptest::prop_assert_eq!(&flat, &run(true, false));
        // The plain-song fast path reads what quick-xml's events give.
        proptest::prop_assert_eq!(&flat, &run(false, true));
    }
}

#[test]
fn the_generated_songs_are_often_valid() {
    // The property above compares real records, not only errors: a complete
    // song with a few leading pieces parses.
    let base = GAMBOL
        .trim_start_matches("<song>")
        .trim_end_matches("</song>");
    let xml = song(&format!(
        "<song><artist>x</artist><id> 12 </id><songname> a &amp; b &lol9; </songname>{base}</song>"
    ));
    let songs = parse(&xml).expect("valid");
    assert_eq!(songs[0].id, 12);
    assert_eq!(songs[0].songname, "a & b &lol9;");
}

#[test]
fn plain_songs_take_the_fast_path_and_odd_ones_do_not() {
    let plain = format!(
        "\n\t\t{}\n\t</scoredata>",
        GAMBOL.replace("><", ">\n\t\t\t<")
    );
    let mut slots: xml::SongSlots<'_> = Default::default();
    let (ws, len) = xml::fast_song(plain.as_bytes(), &mut slots).expect("a plain song");
    assert_eq!(ws, 3);
    assert!(plain[..len].ends_with("</song>"));
    assert_eq!(&plain[len..], "\n\t</scoredata>");
    // The whole document reads the same either way, fast path or not.
    let doc = song(&format!("{GAMBOL}{GAMBOL}\n{GAMBOL}"));
    let (fast, e1) = crate::read_songs(doc.as_bytes(), true);
    let (slow, e2) = crate::read_songs(doc.as_bytes(), false);
    assert!(e1.is_none() && e2.is_none());
    assert_eq!(fast.len(), 3);
    assert_eq!(fast, slow);
    assert_eq!(fast[2].byte, slow[2].byte);
    for odd in [
        "<song><!-- c --></song>",
        "<song><id a=\"1\">1</id></song>",
        "<song><id>&amp;</id></song>",
        "<song><id>1</di></song>",
        "<song><id>1\r\n2</id></song>",
        "<song><comment><![CDATA[</song>]]></comment></song>",
        "<song ><id>1</id></song>",
        "x<song></song>",
    ] {
        let mut slots: xml::SongSlots<'_> = Default::default();
        assert!(
            xml::fast_song(odd.as_bytes(), &mut slots).is_none(),
            "{odd}"
        );
    }
    let mut slots: xml::SongSlots<'_> = Default::default();
    assert!(xml::fast_song(b"<song><id>\xff</id></song>", &mut slots).is_none());
    // Songs after an empty `<scoredata/>` are outside it, whichever path
    // reads the one before (found by fuzzing: the fast path once started
    // right after a start tag, before quick-xml's end of the empty element).
    let doc = format!(
        "<s3data><userdata><id>3</id><login>a</login><djname>b</djname></userdata><scoredata>{GAMBOL}</scoredata><scoredata/>{GAMBOL}{GAMBOL}</s3data>"
    );
    let (fast, e1) = crate::read_songs(doc.as_bytes(), true);
    let (slow, e2) = crate::read_songs(doc.as_bytes(), false);
    assert_eq!(fast.len(), 1);
    assert_eq!(fast, slow);
    assert_eq!(e1.map(|e| e.to_string()), e2.map(|e| e.to_string()));
}

#[test]
fn invalid_utf8_is_placed_where_its_text_begins_on_both_paths() {
    // quick-xml gives no position of an encoding error; the reader names the
    // start of the text that failed (found by fuzzing the fast path against
    // quick-xml: the old answer was byte 0).
    let mut doc = song(&format!("{GAMBOL}{GAMBOL}")).into_bytes();
    let end = doc.len() - "</scoredata></s3data>".len();
    doc.splice(end..end, *b"\n\xff");
    for fast in [true, false] {
        let (songs, err) = crate::read_songs(&doc, fast);
        assert_eq!(songs.len(), 2);
        let err = err.expect("invalid UTF-8 fails").to_string();
        assert_eq!(
            err,
            format!("byte {end}: Could not parse XML."),
            "fast path {fast}"
        );
    }
}

/// A document in memory as a stream, read through a tiny buffer.
#[derive(Debug)]
struct MemStream(Vec<u8>);

impl kaiden_core::format::InputStream for MemStream {
    fn open(&self) -> std::io::Result<Box<dyn kaiden_core::format::BufReadSeek>> {
        Ok(Box::new(std::io::BufReader::with_capacity(
            5,
            std::io::Cursor::new(self.0.clone()),
        )))
    }

    fn len(&self) -> u64 {
        self.0.len() as u64
    }
}

/// Reads `doc` whole and as a stream in windows of each size: the same
/// songs (byte positions included) and the same error.
fn assert_streams_alike(doc: &[u8]) {
    let whole = read_songs(doc, true);
    let stream = MemStream(doc.to_vec());
    for window in [1, 100, 700, stream::WINDOW] {
        assert_eq!(
            whole,
            read_songs_stream(&stream, window),
            "window {window}, document {:?}",
            String::from_utf8_lossy(doc)
        );
    }
}

#[test]
fn a_streamed_file_reads_as_the_file_in_memory() {
    assert!(SolidStateSquad.reads_streams(ImportType::FILE_SOLID_STATE_SQUAD));
    let many: String = (0..20)
        .map(|i| GAMBOL.replace("<exscore>100", &format!("<exscore>{}", 100 + i)))
        .collect::<Vec<_>>()
        .join("\n  ");
    let cases = [
        song(&many),
        song(""),
        song(&format!(
            "{GAMBOL}<!-- a </song> comment -->{GAMBOL}<?pi ?>\n{GAMBOL}"
        )),
        song(&format!(
            "{GAMBOL}<other a='x>y'>text<song>not one</song></other>{GAMBOL}"
        )),
        song(&format!("{GAMBOL}<song/>{GAMBOL}")),
        song(&format!(
            "{GAMBOL}{}",
            GAMBOL.replace("<exscore>100", "<exscore>-1")
        )),
        song(&format!("{GAMBOL}{GAMBOL}</song>")),
        format!("{}{}", song(&many), "<trailing/>"),
        // Userdata after the songs; two score sections; a prefix; a DOCTYPE.
        format!("<s3data><scoredata>{GAMBOL}</scoredata><userdata><id>3</id></userdata></s3data>"),
        format!(
            "<s3data><userdata><id>3</id></userdata><scoredata>{GAMBOL}{GAMBOL}</scoredata><scoredata>{GAMBOL}</scoredata></s3data>"
        ),
        format!(
            "<x:s3data xmlns:x='u'><x:userdata><x:id>3</x:id></x:userdata><x:scoredata>{}</x:scoredata></x:s3data>",
            GAMBOL
                .replace("<song>", "<x:song>")
                .replace("</song>", "</x:song>")
        ),
        format!("<!DOCTYPE s3data><s3data><userdata/><scoredata>{GAMBOL}</scoredata></s3data>"),
        "<s3data><userdata/><scoredata/></s3data>".to_owned(),
        "<notes/>".to_owned(),
        String::new(),
    ];
    for doc in &cases {
        assert_streams_alike(doc.as_bytes());
    }
    let big = song(&many);
    for cut in (0..big.len()).step_by(29) {
        assert_streams_alike(&big.as_bytes()[..cut]);
    }
}

#[test]
fn tachis_fixtures_stream_as_they_read() {
    let Some(data) = kaiden_testkit::tachi_data() else {
        eprintln!("SKIPPED: no ../shared/tachi-data");
        return;
    };
    let mut n = 0;
    for entry in std::fs::read_dir(data.join("fixtures").join("s3")).expect("fixtures") {
        let path = entry.expect("entry").path();
        if path.is_file() {
            assert_streams_alike(&std::fs::read(&path).expect("read"));
            n += 1;
        }
    }
    assert!(n >= 9);
}
