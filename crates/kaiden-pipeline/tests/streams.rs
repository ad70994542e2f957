//! Inputs given as streams (`ImportInput::stream`): a format that reads
//! streams reads it as it goes, the others get it read whole first; either
//! way the import is the one the same bytes give. A stream too large to read
//! whole is refused before a byte is read, and one that cannot be opened
//! fails the import with the reason. Memory host, no database.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::io::Cursor;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use kaiden_core::ImportType;
use kaiden_core::error::ImportErrorKind;
use kaiden_core::format::{BufReadSeek, ImportInput, InputStream};
use kaiden_host_suite::{USER, batch, block_on, score, write_seeds};
use kaiden_memory::MemoryHost;
use kaiden_pipeline::{ImportRequest, NoProgress, WHOLE_INPUT_LIMIT};
use kaiden_testkit::TempDir;

/// Bytes in memory as a stream, counting how often it is opened; `claimed`
/// overrides the length it reports.
#[derive(Debug)]
struct Mem {
    bytes: Vec<u8>,
    claimed: Option<u64>,
    opened: AtomicU32,
    broken: bool,
}

impl Mem {
    fn new(bytes: Vec<u8>) -> Arc<Mem> {
        Arc::new(Mem {
            bytes,
            claimed: None,
            opened: AtomicU32::new(0),
            broken: false,
        })
    }
}

impl InputStream for Mem {
    fn open(&self) -> std::io::Result<Box<dyn BufReadSeek>> {
        self.opened.fetch_add(1, Ordering::SeqCst);
        if self.broken {
            return Err(std::io::Error::new(
                std::io::ErrorKind::PermissionDenied,
                "no access",
            ));
        }
        Ok(Box::new(Cursor::new(self.bytes.clone())))
    }

    fn len(&self) -> u64 {
        self.claimed.unwrap_or(self.bytes.len() as u64)
    }
}

fn host() -> (TempDir, MemoryHost) {
    let dir = TempDir::new("pipeline-streams");
    write_seeds(dir.path(), true);
    let host = MemoryHost::new();
    host.load_seeds(dir.path()).unwrap();
    host.ensure_user(USER, "tester");
    (dir, host)
}

fn import(
    host: &MemoryHost,
    import_type: ImportType,
    input: ImportInput<'_>,
) -> Result<kaiden_core::ImportDocument, kaiden_core::ImportError> {
    let request = ImportRequest {
        import_type,
        user: USER,
        user_intent: false,
        input,
        import_id: None,
    };
    block_on(kaiden_pipeline::import(
        host,
        &kaiden::registry(),
        request,
        &NoProgress,
    ))
}

fn iidx_fields() -> BTreeMap<String, String> {
    BTreeMap::from([("playtype".to_owned(), "SP".to_owned())])
}

/// An HV-layout e-amusement CSV of the suite's songs Alpha and Beta.
fn iidx_csv() -> Vec<u8> {
    let mut text = kaiden::eamusement_iidx::csv_header(true);
    for (title, ex) in [("Alpha", 1500), ("Beta", 800)] {
        let pg = ex / 2 - 20;
        let gr = ex - pg * 2;
        text.push_str(&format!(
            "\nHEROIC VERSE,{title},TEST,kaiden tests,1,0,0,0,0,---,NO PLAY,---,0,0,0,0,---,NO PLAY,---,\
             0,0,0,0,---,NO PLAY,---,12,{ex},{pg},{gr},5,HARD CLEAR,AA,0,0,0,0,---,NO PLAY,---,2021-01-02 03:04"
        ));
    }
    text.into_bytes()
}

fn stored_score_ids(host: &MemoryHost) -> Vec<String> {
    let mut ids: Vec<String> = host
        .documents("scores", USER)
        .unwrap()
        .iter()
        .map(|d| d["scoreID"].as_str().unwrap().to_owned())
        .collect();
    ids.sort();
    ids
}

#[test]
fn a_streamed_input_imports_what_its_bytes_import() {
    let body = batch(vec![
        score("Alpha", 1500, "HARD CLEAR", Some(1_700_000_000_000)),
        score("Beta", 700, "CLEAR", None),
        score("Nobody", 10, "FAILED", None),
    ]);
    for (import_type, bytes, fields, reads_streams) in [
        (
            ImportType::FILE_BATCH_MANUAL,
            body.clone(),
            BTreeMap::new(),
            true,
        ),
        (ImportType::IR_DIRECT_MANUAL, body, BTreeMap::new(), false),
        (
            ImportType::FILE_EAMUSEMENT_IIDX_CSV,
            iidx_csv(),
            iidx_fields(),
            true,
        ),
    ] {
        let (_d1, by_bytes) = host();
        let whole = import(
            &by_bytes,
            import_type,
            ImportInput {
                bytes: &bytes,
                fields: fields.clone(),
                ..ImportInput::default()
            },
        )
        .unwrap();
        let (_d2, by_stream) = host();
        let stream = Mem::new(bytes.clone());
        let streamed = import(
            &by_stream,
            import_type,
            ImportInput {
                stream: Some(Arc::clone(&stream) as Arc<dyn InputStream>),
                fields,
                ..ImportInput::default()
            },
        )
        .unwrap();
        assert!(!whole.score_ids.is_empty(), "{import_type}");
        assert_eq!(streamed.score_ids, whole.score_ids, "{import_type}");
        assert_eq!(streamed.errors, whole.errors, "{import_type}");
        assert_eq!(stored_score_ids(&by_stream), stored_score_ids(&by_bytes));
        // The IIDX CSV reads it itself (two passes, seeking back), and
        // BATCH-MANUAL in windows; a hook's body is read whole by the
        // pipeline, once.
        let registry = kaiden::registry();
        let format = registry.get(import_type).unwrap();
        assert_eq!(format.reads_streams(import_type), reads_streams);
        let openings = stream.opened.load(Ordering::SeqCst);
        assert_eq!(openings, 1, "{import_type}: opened {openings} times");
    }
}

#[test]
fn a_stream_too_large_to_read_whole_is_refused_unread() {
    let (_d, host) = host();
    let stream = Arc::new(Mem {
        bytes: batch(vec![score("Alpha", 1500, "HARD CLEAR", None)]),
        claimed: Some(WHOLE_INPUT_LIMIT + 1),
        opened: AtomicU32::new(0),
        broken: false,
    });
    let e = import(
        &host,
        ImportType::IR_DIRECT_MANUAL,
        ImportInput {
            stream: Some(Arc::clone(&stream) as Arc<dyn InputStream>),
            ..ImportInput::default()
        },
    )
    .unwrap_err();
    assert_eq!(e.kind(), ImportErrorKind::InvalidInput);
    assert!(e.message().contains("reads its input whole"), "{e}");
    assert_eq!(stream.opened.load(Ordering::SeqCst), 0);
    // A format reading streams keeps its own limit, also unread.
    let e = import(
        &host,
        ImportType::FILE_BATCH_MANUAL,
        ImportInput {
            stream: Some(Arc::clone(&stream) as Arc<dyn InputStream>),
            ..ImportInput::default()
        },
    )
    .unwrap_err();
    assert_eq!(e.kind(), ImportErrorKind::InvalidInput);
    assert!(e.message().contains("the limit is 16777216 bytes"), "{e}");
    assert_eq!(stream.opened.load(Ordering::SeqCst), 0);
    assert!(stored_score_ids(&host).is_empty());
}

#[test]
fn a_stream_that_cannot_be_opened_fails_the_import_with_why() {
    for (import_type, fields) in [
        (ImportType::FILE_BATCH_MANUAL, BTreeMap::new()),
        (ImportType::FILE_EAMUSEMENT_IIDX_CSV, iidx_fields()),
        (ImportType::FILE_EAMUSEMENT_SDVX_CSV, BTreeMap::new()),
    ] {
        let (_d, host) = host();
        let stream = Arc::new(Mem {
            bytes: Vec::new(),
            claimed: None,
            opened: AtomicU32::new(0),
            broken: true,
        });
        let e = import(
            &host,
            import_type,
            ImportInput {
                stream: Some(stream as Arc<dyn InputStream>),
                fields,
                ..ImportInput::default()
            },
        )
        .unwrap_err();
        assert_eq!(e.kind(), ImportErrorKind::Internal, "{import_type}");
        assert!(
            e.message().contains("could not be read: no access"),
            "{import_type}: {e}"
        );
    }
}
