//! The streaming reader: `<song>` by `<song>`, entities never expanded.

use std::borrow::Cow;

use kaiden_core::error::{ImportError, Position};
use quick_xml::Reader;
use quick_xml::events::Event;
use serde::{Deserialize, Serialize};

/// Deeper XML than this is refused.
const MAX_DEPTH: usize = 64;

/// One `<song>`, checked against Tachi's schema.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct S3Song {
    /// S3's song id.
    pub id: i64,
    /// The chart code (`L7`, `7`, `A`, `B`, `5`, `L14`, `14`, `A14`, `B14`).
    pub diff: String,
    /// The title, always text.
    pub songname: String,
    /// Comma-separated styles; the last picks the version.
    pub styles: String,
    /// EX score.
    pub exscore: i64,
    /// justgreats, greats, good, bad, poor.
    pub scorebreakdown: Option<[i64; 5]>,
    /// `mods.hardeasy` (`H` or `E`).
    pub hardeasy: Option<String>,
    /// The clear type.
    pub cleartype: String,
    /// `YYYY-MM-DD HH:MM:SS`, or empty.
    pub date: String,
    /// The comment.
    pub comment: Option<String>,
    /// 0-based index among the songs (not stored).
    #[serde(skip)]
    pub index: u64,
    /// Byte offset of the `<song>` (not stored).
    #[serde(skip)]
    pub byte: u64,
}

/// A small element tree: text, or children. Only elements the schema reads are
/// kept; others are skipped unread. Text borrows the input unless it had to be
/// joined or unescaped.
#[derive(Debug, Default)]
struct Node<'a> {
    text: Cow<'a, str>,
    children: Vec<(&'static str, Node<'a>)>,
    /// Whether it had any child element (kept or not): an object, not text.
    object: bool,
}

impl<'a> Node<'a> {
    /// Appends a piece of text (the first piece is kept borrowed).
    fn push_text(&mut self, piece: Cow<'a, str>) {
        if self.text.is_empty() {
            self.text = piece;
        } else {
            self.text.to_mut().push_str(&piece);
        }
    }

    /// Trims the text without copying it.
    fn trim(&mut self) {
        match &mut self.text {
            Cow::Borrowed(s) => *s = s.trim(),
            Cow::Owned(s) => {
                let t = s.trim();
                if t.len() != s.len() {
                    *s = t.to_owned();
                }
            }
        }
    }
}

/// The elements of `<userdata>` and `<song>` the schema reads.
const KEPT: [&str; 18] = [
    "id",
    "login",
    "djname",
    "diff",
    "songname",
    "styles",
    "exscore",
    "scorebreakdown",
    "justgreats",
    "greats",
    "good",
    "bad",
    "poor",
    "mods",
    "hardeasy",
    "cleartype",
    "date",
    "comment",
];

fn kept(name: &str) -> Option<&'static str> {
    KEPT.iter().find(|k| **k == name).copied()
}

impl<'a> Node<'a> {
    fn child(&self, name: &str) -> Option<&Node<'a>> {
        self.children
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, c)| c)
    }
}

fn not_xml(at: u64) -> ImportError {
    ImportError::invalid_at(Position::default().with_byte(at), "Could not parse XML.")
}

fn no_songs(at: u64) -> ImportError {
    ImportError::invalid_at(
        Position::default().with_byte(at),
        "Invalid S3 XML, no s3data -> scoredata -> song?",
    )
}

/// An entity reference: characters and the five XML entities are resolved; any
/// other (a DTD's) stays literal text, never expanded.
fn entity(name: &str) -> String {
    let resolved = match name {
        "lt" => Some('<'),
        "gt" => Some('>'),
        "amp" => Some('&'),
        "apos" => Some('\''),
        "quot" => Some('"'),
        _ => name
            .strip_prefix("#x")
            .and_then(|h| u32::from_str_radix(h, 16).ok())
            .or_else(|| name.strip_prefix('#').and_then(|d| d.parse().ok()))
            .and_then(char::from_u32),
    };
    resolved.map_or_else(|| format!("&{name};"), String::from)
}

/// Reads the children and text of an element whose start was just read.
fn read_node<'a>(reader: &mut Reader<&'a [u8]>, depth: usize) -> Result<Node<'a>, ImportError> {
    if depth > MAX_DEPTH {
        return Err(ImportError::invalid_at(
            Position::default().with_byte(reader.buffer_position()),
            format!("Invalid S3 XML: nesting deeper than {MAX_DEPTH}."),
        ));
    }
    let mut node = Node::default();
    // Depth inside an element that is skipped (its events are read, not kept;
    // the reader still checks that every end tag matches its start).
    let mut skipping = 0usize;
    loop {
        let event = reader
            .read_event()
            .map_err(|_| not_xml(reader.error_position()))?;
        if skipping > 0 {
            match event {
                // Iterative: a deep skipped subtree costs no stack.
                Event::Start(_) => skipping += 1,
                Event::End(_) => skipping -= 1,
                Event::Eof => return Err(not_xml(reader.buffer_position())),
                _ => {}
            }
            continue;
        }
        match event {
            Event::Start(e) => {
                node.object = true;
                match kept(e.local_name().as_ref()) {
                    Some(name) => {
                        let child = read_node(reader, depth + 1)?;
                        if node.children.is_empty() {
                            node.children.reserve(16);
                        }
                        node.children.push((name, child));
                    }
                    None => skipping = 1,
                }
            }
            Event::Empty(e) => {
                node.object = true;
                if let Some(name) = kept(e.local_name().as_ref()) {
                    node.children.push((name, Node::default()));
                }
            }
            Event::Text(t) => {
                // Leading whitespace and the text of objects are never used
                // (values are trimmed; objects are read by their children).
                if node.object
                    || (node.text.is_empty() && t.bytes().all(|b| b.is_ascii_whitespace()))
                {
                    continue;
                }
                node.push_text(t.xml_content(quick_xml::XmlVersion::Implicit1_0));
            }
            Event::CData(t) => node.push_text(t.into_inner()),
            Event::GeneralRef(r) => node.push_text(Cow::Owned(entity(&r.into_inner()))),
            Event::End(_) => {
                node.trim();
                return Ok(node);
            }
            Event::Eof => return Err(not_xml(reader.buffer_position())),
            _ => {}
        }
    }
}

/// Reports a schema violation as Tachi's prudence message does.
fn schema(at: u64, keychain: &str, message: &str, value: Option<&Node<'_>>) -> ImportError {
    let received = match value {
        None => " | Received undefined [type: undefined]".to_owned(),
        Some(n) if n.object => String::new(),
        Some(n) => {
            let t = if n.text.parse::<f64>().is_ok() {
                "number"
            } else {
                "string"
            };
            format!(" | Received {} [type: {t}]", n.text)
        }
    };
    ImportError::invalid_at(
        Position::default().with_byte(at).with_field(keychain),
        format!("Invalid S3 XML.: {keychain} | {message}{received}."),
    )
}

fn positive_int(n: Option<&Node<'_>>) -> Option<i64> {
    let n = n?;
    if n.object {
        return None;
    }
    let t: &str = &n.text;
    if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    t.parse::<i64>()
        .ok()
        .filter(|v| *v <= 9_007_199_254_740_991)
}

fn text<'n>(n: Option<&'n Node<'_>>) -> Option<&'n str> {
    n.filter(|n| !n.object).map(|n| &*n.text)
}

const DIFFS: [&str; 9] = ["L7", "7", "A", "B", "5", "L14", "14", "A14", "B14"];
const CLEARTYPES: [&str; 6] = [
    "played",
    "cleared",
    "combo",
    "comboed",
    "perfect",
    "perfected",
];

fn check_userdata(node: &Node<'_>, at: u64) -> Result<(), ImportError> {
    let k = "s3data.userdata";
    if positive_int(node.child("id")).is_none() {
        return Err(schema(
            at,
            &format!("{k}.id"),
            "Expected a positive integer.",
            node.child("id"),
        ));
    }
    for key in ["login", "djname"] {
        if text(node.child(key)).is_none() {
            return Err(schema(
                at,
                &format!("{k}.{key}"),
                "Expected a string.",
                node.child(key),
            ));
        }
    }
    Ok(())
}

fn check_song(node: &Node<'_>, index: u64, at: u64) -> Result<S3Song, ImportError> {
    let k = |key: &str| format!("s3data.scoredata.song[{index}].{key}");
    let err = |key: &str, msg: &str| schema(at, &k(key), msg, node.child(key));
    let id =
        positive_int(node.child("id")).ok_or_else(|| err("id", "Expected a positive integer."))?;
    let diff = text(node.child("diff"))
        .filter(|d| DIFFS.contains(d))
        .ok_or_else(|| err("diff", &format!("Expected any of {}.", DIFFS.join(", "))))?;
    let songname = text(node.child("songname"))
        .ok_or_else(|| err("songname", "Expected a string or number."))?;
    let styles = text(node.child("styles")).ok_or_else(|| err("styles", "Expected a string."))?;
    let exscore = positive_int(node.child("exscore"))
        .ok_or_else(|| err("exscore", "Expected a positive integer."))?;
    let scorebreakdown = match node.child("scorebreakdown") {
        None => None,
        Some(b) if !b.object => {
            return Err(err(
                "scorebreakdown",
                "Expected an object with justgreats, greats, good, bad and poor.",
            ));
        }
        Some(b) => {
            let mut out = [0i64; 5];
            for (i, key) in ["justgreats", "greats", "good", "bad", "poor"]
                .iter()
                .enumerate()
            {
                out[i] = positive_int(b.child(key)).ok_or_else(|| {
                    schema(
                        at,
                        &k(&format!("scorebreakdown.{key}")),
                        "Expected a positive integer.",
                        b.child(key),
                    )
                })?;
            }
            Some(out)
        }
    };
    let mods = node
        .child("mods")
        .filter(|m| m.object)
        .ok_or_else(|| err("mods", "Expected an object."))?;
    let hardeasy = match mods.child("hardeasy") {
        None => None,
        Some(h) => match text(Some(h)) {
            Some(v @ ("H" | "E")) => Some(v.to_owned()),
            _ => {
                return Err(schema(
                    at,
                    &k("mods.hardeasy"),
                    "Expected any of H, E.",
                    Some(h),
                ));
            }
        },
    };
    let cleartype = text(node.child("cleartype"))
        .filter(|c| CLEARTYPES.contains(c))
        .ok_or_else(|| {
            err(
                "cleartype",
                &format!("Expected any of {}.", CLEARTYPES.join(", ")),
            )
        })?;
    let date = text(node.child("date")).ok_or_else(|| err("date", "Expected a string."))?;
    let comment = text(node.child("comment"))
        .filter(|c| !c.is_empty())
        .map(str::to_owned);
    Ok(S3Song {
        id,
        diff: diff.to_owned(),
        songname: songname.to_owned(),
        styles: styles.to_owned(),
        exscore,
        scorebreakdown,
        hardeasy,
        cleartype: cleartype.to_owned(),
        date: date.to_owned(),
        comment,
        index,
        byte: at,
    })
}

/// The song stream.
pub(crate) struct Songs<'a> {
    reader: Reader<&'a [u8]>,
    /// Element names from the root to the current element.
    path: Vec<String>,
    /// Set when the start of a `<song>` has just been read.
    at_song: Option<u64>,
    userdata_seen: bool,
    index: u64,
}

impl<'a> Songs<'a> {
    /// Reads up to the first `<song>`; the document is refused if there is none.
    pub(crate) fn open(bytes: &'a [u8]) -> Result<Self, ImportError> {
        let mut reader = Reader::from_reader(bytes);
        let config = reader.config_mut();
        // Text is trimmed once per element, after text, CDATA and references merge.
        config.trim_text(false);
        config.expand_empty_elements = true;
        let mut songs = Songs {
            reader,
            path: Vec::new(),
            at_song: None,
            userdata_seen: false,
            index: 0,
        };
        songs.advance()?;
        if songs.at_song.is_none() {
            return Err(no_songs(songs.reader.buffer_position()));
        }
        Ok(songs)
    }

    /// Reads events until the start of the next `<song>` of `s3data/scoredata`
    /// (sets `at_song`) or the end of the document (checking it is well formed).
    fn advance(&mut self) -> Result<(), ImportError> {
        loop {
            let pos = self.reader.buffer_position();
            let event = self
                .reader
                .read_event()
                .map_err(|_| not_xml(self.reader.error_position()))?;
            match event {
                Event::Start(e) => {
                    let name = e.local_name().as_ref().to_owned();
                    if self.path.is_empty() && name != "s3data" {
                        return Err(no_songs(pos));
                    }
                    if self.path.len() > MAX_DEPTH {
                        return Err(not_xml(pos));
                    }
                    let depth = self.path.len();
                    if depth == 1 && name == "userdata" {
                        let node = read_node(&mut self.reader, 2)?;
                        check_userdata(&node, pos)?;
                        self.userdata_seen = true;
                        continue;
                    }
                    if depth == 2 && name == "song" && self.path[1] == "scoredata" {
                        self.at_song = Some(pos);
                        return Ok(());
                    }
                    self.path.push(name);
                }
                Event::End(_) => {
                    self.path.pop();
                }
                Event::Eof => {
                    if !self.path.is_empty() {
                        return Err(not_xml(pos));
                    }
                    return Ok(());
                }
                // A DOCTYPE is read past, never used: no entity is ever defined.
                _ => {}
            }
        }
    }

    /// The next song, or `None` at the end.
    pub(crate) fn step(&mut self) -> Result<Option<S3Song>, ImportError> {
        if self.at_song.is_none() {
            self.advance()?;
        }
        let Some(at) = self.at_song.take() else {
            return Ok(None);
        };
        let node = read_node(&mut self.reader, 3)?;
        if !self.userdata_seen {
            return Err(schema(at, "s3data.userdata", "Expected an object.", None));
        }
        let song = check_song(&node, self.index, at)?;
        self.index += 1;
        Ok(Some(song))
    }
}
