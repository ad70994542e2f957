//! Tachi's S3 fixtures: every outcome its parser tests expect.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::time::{Duration, Instant};

use kaiden_core::ImportType;
use kaiden_core::format::{ImportFormat, ImportInput};
use kaiden_solid_state_squad::{S3Error, S3Song, SolidStateSquad};
use kaiden_testkit::Conformance;

fn parse(dir: &Path, file: &str) -> Result<Vec<S3Song>, String> {
    parse_err(dir, file).map_err(|e| e.message().to_owned())
}

fn parse_err(dir: &Path, file: &str) -> Result<Vec<S3Song>, kaiden_core::ImportError> {
    let bytes = std::fs::read(dir.join("fixtures/s3").join(file)).unwrap();
    let input = ImportInput {
        bytes: &bytes,
        ..ImportInput::default()
    };
    let p = SolidStateSquad.parse(ImportType::FILE_SOLID_STATE_SQUAD, &input)?;
    p.records.collect::<Result<Vec<_>, _>>()
}

/// The schema rule a rejection names: its keychain, or the whole error.
fn rule(e: &S3Error) -> String {
    match e {
        S3Error::Schema { keychain, .. } => keychain.clone(),
        other => format!("{other:?}"),
    }
}

fn main() {
    let mut suite = Conformance::new("kaiden-solid-state-squad");
    suite.case(
        "valid.xml: 2 songs, HARD CLEAR SP HYPER and FULL COMBO SP NORMAL",
        |d| {
            let s = parse(d, "valid.xml").unwrap();
            assert_eq!(s.len(), 2);
            assert_eq!(
                (
                    s[0].diff.as_str(),
                    s[0].hardeasy.as_deref(),
                    s[0].cleartype.as_str()
                ),
                ("7", Some("H"), "cleared")
            );
            assert_eq!(
                (
                    s[1].diff.as_str(),
                    s[1].hardeasy.as_deref(),
                    s[1].cleartype.as_str()
                ),
                ("L7", None, "perfect")
            );
            assert!(
                s.iter()
                    .all(|x| x.scorebreakdown == Some([25, 50, 0, 0, 4]))
            );
        },
    );
    suite.case("one-score.xml: 1 song", |d| {
        assert_eq!(parse(d, "one-score.xml").unwrap().len(), 1)
    });
    suite.case("point-five-nine.xml: the title is the text .59", |d| {
        assert_eq!(parse(d, "point-five-nine.xml").unwrap()[0].songname, ".59");
    });
    suite.case(
        "danger/specific-blaugh.xml: parses, the title stays &lol9;",
        |d| {
            assert_eq!(
                parse(d, "danger/specific-blaugh.xml").unwrap()[0].songname,
                "&lol9;"
            );
        },
    );
    for (file, variant, pattern) in [
        (
            "no-score-data.xml",
            "NoSongs",
            "Invalid S3 XML, no s3data -> scoredata -> song?",
        ),
        (
            "invalid-lamp.xml",
            "s3data.scoredata.song[0].cleartype",
            "cleartype | Expected any of played, cleared, combo, comboed, perfect, perfected. | Received BAD LAMP",
        ),
        (
            "invalid-exscore.xml",
            "s3data.scoredata.song[0].exscore",
            "exscore | Expected a positive integer. | Received -1",
        ),
        (
            "malicious-mods.xml",
            "s3data.scoredata.song[0].mods",
            "mods | Expected an object. | Received 1",
        ),
        (
            "malicious-scorebreakdown.xml",
            "s3data.scoredata.song[0].scorebreakdown",
            "scorebreakdown | Expected an object",
        ),
        ("danger/billion-laughs.xml", "NoSongs", "Invalid S3 XML"),
    ] {
        suite.case(format!("{file}: rejected ({pattern})"), move |d| {
            let t = Instant::now();
            let err = parse_err(d, file).expect_err("rejected");
            let found = err.format_error::<S3Error>().expect("an S3 error");
            assert_eq!(rule(found), variant, "{file}: {found:?}");
            // The message is Tachi's.
            let e = err.message();
            assert!(e.contains(pattern), "{file}: {e}");
            assert!(e.starts_with("Invalid S3 XML"), "{file}: {e}");
            assert!(t.elapsed() < Duration::from_secs(5));
        });
    }
    suite.case("large-example.xml: 2091 songs, 28 five-key skips", |d| {
        let s = parse(d, "large-example.xml").unwrap();
        assert_eq!(s.len(), 2091);
        assert_eq!(s.iter().filter(|x| x.diff == "5").count(), 28);
        assert_eq!(s.iter().filter(|x| x.comment.is_some()).count(), 260);
        assert_eq!(s.iter().filter(|x| x.songname == ".59").count(), 3);
        let skips = s
            .iter()
            .filter(|x| {
                matches!(
                    SolidStateSquad.convert(
                        ImportType::FILE_SOLID_STATE_SQUAD,
                        x,
                        &Default::default()
                    ),
                    Err(kaiden_core::ConverterFailure::Skip(_))
                )
            })
            .count();
        assert_eq!(skips, 28);
    });
    suite.case(
        "every fixture reads the same with and without the plain-song fast path",
        |d| {
            let mut dirs = vec![d.join("fixtures/s3")];
            let mut files = Vec::new();
            while let Some(dir) = dirs.pop() {
                for entry in std::fs::read_dir(dir).unwrap() {
                    let path = entry.unwrap().path();
                    if path.is_dir() {
                        dirs.push(path);
                    } else {
                        files.push(path);
                    }
                }
            }
            assert!(files.len() >= 10, "{files:?}");
            for path in files {
                let bytes = std::fs::read(&path).unwrap();
                let (fast, fast_err) = kaiden_solid_state_squad::read_songs(&bytes, true);
                let (slow, slow_err) = kaiden_solid_state_squad::read_songs(&bytes, false);
                assert_eq!(fast, slow, "{}", path.display());
                let bytes_of = |s: &[S3Song]| s.iter().map(|x| x.byte).collect::<Vec<_>>();
                assert_eq!(bytes_of(&fast), bytes_of(&slow), "{}", path.display());
                assert_eq!(
                    fast_err.map(|e| e.to_string()),
                    slow_err.map(|e| e.to_string()),
                    "{}",
                    path.display()
                );
            }
        },
    );
    suite.run();
}
