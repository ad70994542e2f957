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
#[derive(Debug, Clone, Default)]
pub(crate) struct Node<'a> {
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

/// The S3 XML's fatal errors; each displays as Tachi's message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum S3Error {
    /// The bytes are not well-formed XML.
    #[error("Could not parse XML.")]
    NotXml,
    /// There is no `s3data > scoredata > song`.
    #[error("Invalid S3 XML, no s3data -> scoredata -> song?")]
    NoSongs,
    /// Elements nest deeper than the format ever does.
    #[error("Invalid S3 XML: nesting deeper than {0}.")]
    TooDeep(usize),
    /// A song breaks the schema (Tachi's prudence message).
    #[error("Invalid S3 XML.: {keychain} | {message}{received}.")]
    Schema {
        /// Where in the song, e.g. `scores.exscore`.
        keychain: String,
        /// The rule broken.
        message: String,
        /// What was found, as Tachi words it (may be empty).
        received: String,
    },
}

impl kaiden_core::error::FormatError for S3Error {}

fn not_xml(at: u64) -> ImportError {
    ImportError::from(S3Error::NotXml).at(Position::default().with_byte(at))
}

fn no_songs(at: u64) -> ImportError {
    ImportError::from(S3Error::NoSongs).at(Position::default().with_byte(at))
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

/// quick-xml over the input, with the bytes the song fast path consumed
/// behind its back counted back into every position.
struct Xml<'a> {
    reader: Reader<&'a [u8]>,
    /// Bytes taken out of the reader's input by [`fast_song`].
    skipped: u64,
}

impl<'a> Xml<'a> {
    /// The next event; an error names the byte where the markup began, or,
    /// for errors quick-xml gives no position of (invalid UTF-8), where the
    /// event that failed began.
    fn next(&mut self) -> Result<Event<'a>, ImportError> {
        let before = self.pos();
        let skipped = self.skipped;
        self.reader
            .read_event()
            .map_err(|_| not_xml(before.max(skipped + self.reader.error_position())))
    }

    /// The byte just after the last event.
    fn pos(&self) -> u64 {
        self.skipped + self.reader.buffer_position()
    }

    /// The input not yet read.
    fn rest(&self) -> &'a [u8] {
        self.reader.get_ref()
    }

    /// Drops the first `n` bytes of the unread input (read by the fast path).
    /// Only called right after a start or end tag, where the reader expects
    /// text next and the bytes dropped are whole elements and the text between.
    fn consume(&mut self, n: usize) {
        let rest = self.rest();
        *self.reader.get_mut() = rest.get(n..).unwrap_or_default();
        self.skipped += n as u64;
    }
}

/// Reads past the element whose start was just read, keeping nothing (the
/// reader still checks that every end tag matches its start). Iterative: a
/// deep skipped subtree costs no stack.
fn skip_element(xml: &mut Xml<'_>) -> Result<(), ImportError> {
    let mut depth = 1usize;
    while depth > 0 {
        match xml.next()? {
            Event::Start(_) => depth += 1,
            Event::End(_) => depth -= 1,
            Event::Eof => return Err(not_xml(xml.pos())),
            _ => {}
        }
    }
    Ok(())
}

/// Reads the children and text of an element whose start was just read.
fn read_node<'a>(xml: &mut Xml<'a>, depth: usize) -> Result<Node<'a>, ImportError> {
    if depth > MAX_DEPTH {
        return Err(ImportError::from(S3Error::TooDeep(MAX_DEPTH))
            .at(Position::default().with_byte(xml.pos())));
    }
    let mut node = Node::default();
    loop {
        match xml.next()? {
            Event::Start(e) => {
                node.object = true;
                match kept(e.local_name().as_ref()) {
                    Some(name) => {
                        let child = read_node(xml, depth + 1)?;
                        if node.children.is_empty() {
                            node.children.reserve(16);
                        }
                        node.children.push((name, child));
                    }
                    None => skip_element(xml)?,
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
            Event::Eof => return Err(not_xml(xml.pos())),
            _ => {}
        }
    }
}

/// Reports a schema violation as Tachi's prudence message does.
/// What the schema checks of an element: its text, or that it is an object.
#[derive(Debug, Clone, Copy)]
struct Field<'b> {
    text: &'b str,
    object: bool,
}

impl Node<'_> {
    fn field(&self) -> Field<'_> {
        Field {
            text: &self.text,
            object: self.object,
        }
    }
}

fn schema(at: u64, keychain: &str, message: &str, value: Option<Field<'_>>) -> ImportError {
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
    ImportError::from(S3Error::Schema {
        keychain: keychain.to_owned(),
        message: message.to_owned(),
        received,
    })
    .at(Position::default().with_byte(at).with_field(keychain))
}

fn positive_int(n: Option<Field<'_>>) -> Option<i64> {
    let n = n?;
    if n.object {
        return None;
    }
    let t = n.text;
    if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    t.parse::<i64>()
        .ok()
        .filter(|v| *v <= 9_007_199_254_740_991)
}

fn text(n: Option<Field<'_>>) -> Option<&str> {
    n.filter(|n| !n.object).map(|n| n.text)
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
    if positive_int(node.child("id").map(Node::field)).is_none() {
        return Err(schema(
            at,
            &format!("{k}.id"),
            "Expected a positive integer.",
            node.child("id").map(Node::field),
        ));
    }
    for key in ["login", "djname"] {
        if text(node.child(key).map(Node::field)).is_none() {
            return Err(schema(
                at,
                &format!("{k}.{key}"),
                "Expected a string.",
                node.child(key).map(Node::field),
            ));
        }
    }
    Ok(())
}

/// The elements of a `<song>` the schema reads, `scorebreakdown`'s and
/// `mods`' children included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot {
    Id,
    Diff,
    Songname,
    Styles,
    Exscore,
    Scorebreakdown,
    Justgreats,
    Greats,
    Good,
    Bad,
    Poor,
    Mods,
    Hardeasy,
    Cleartype,
    Date,
    Comment,
}

const SLOTS: usize = 16;

impl Slot {
    /// A child of `<song>`.
    fn in_song(name: &str) -> Option<Slot> {
        Some(match name {
            "id" => Slot::Id,
            "diff" => Slot::Diff,
            "songname" => Slot::Songname,
            "styles" => Slot::Styles,
            "exscore" => Slot::Exscore,
            "scorebreakdown" => Slot::Scorebreakdown,
            "mods" => Slot::Mods,
            "cleartype" => Slot::Cleartype,
            "date" => Slot::Date,
            "comment" => Slot::Comment,
            _ => return None,
        })
    }

    /// A child of `parent`, when `parent` is an object the schema reads into.
    fn in_object(parent: Slot, name: &str) -> Option<Slot> {
        Some(match (parent, name) {
            (Slot::Scorebreakdown, "justgreats") => Slot::Justgreats,
            (Slot::Scorebreakdown, "greats") => Slot::Greats,
            (Slot::Scorebreakdown, "good") => Slot::Good,
            (Slot::Scorebreakdown, "bad") => Slot::Bad,
            (Slot::Scorebreakdown, "poor") => Slot::Poor,
            (Slot::Mods, "hardeasy") => Slot::Hardeasy,
            _ => return None,
        })
    }
}

/// One `<song>` as the schema reads it: the first element of each slot's name
/// (later ones are skipped, as the first is the one looked at).
pub(crate) type SongSlots<'a> = [Option<Node<'a>>; SLOTS];

/// The innermost kept element open at `depth`.
fn open_node<'s, 'a>(
    slots: &'s mut SongSlots<'a>,
    depth: usize,
    open: &[Slot; 2],
) -> Option<&'s mut Node<'a>> {
    let d = depth.checked_sub(1)?;
    slots[open[d] as usize].as_mut()
}

/// One `<song>` read from its events into slots, without building a tree: a
/// slot's element nested in another kept element two deep at most; every other
/// element is to be skipped. Both song readers (quick-xml's events and the fast
/// path's) drive the same builder, so they cannot disagree on what a song says.
struct SongBuilder<'s, 'a> {
    slots: &'s mut SongSlots<'a>,
    /// The slots open, outermost first.
    open: [Slot; 2],
    depth: usize,
}

impl<'s, 'a> SongBuilder<'s, 'a> {
    fn new(slots: &'s mut SongSlots<'a>) -> Self {
        for slot in slots.iter_mut() {
            *slot = None;
        }
        SongBuilder {
            slots,
            open: [Slot::Id; 2],
            depth: 0,
        }
    }

    /// A start tag inside the song: `true` when it opens a slot, `false` when
    /// the element is to be skipped (its events are not given here).
    fn start(&mut self, name: &str) -> bool {
        // The element open here becomes an object.
        if let Some(parent) = open_node(self.slots, self.depth, &self.open) {
            parent.object = true;
        }
        let slot = match self.depth {
            0 => Slot::in_song(name),
            1 => Slot::in_object(self.open[0], name),
            _ => None,
        };
        match slot {
            Some(s) if self.slots[s as usize].is_none() => {
                self.slots[s as usize] = Some(Node::default());
                self.open[self.depth] = s;
                self.depth += 1;
                true
            }
            _ => false,
        }
    }

    /// Whether a text event (as written, before line ends are normalised) is
    /// kept: leading whitespace and the text of objects are never used (values
    /// are trimmed; objects are read by their children).
    fn wants_text(&self, raw: &str) -> bool {
        let open = self.depth.checked_sub(1).map(|d| self.open[d]);
        open.and_then(|s| self.slots[s as usize].as_ref())
            .is_some_and(|node| {
                !(node.object
                    || (node.text.is_empty() && raw.bytes().all(|b| b.is_ascii_whitespace())))
            })
    }

    /// Appends text, CDATA or a resolved reference to the open slot.
    fn push(&mut self, piece: Cow<'a, str>) {
        if let Some(node) = open_node(self.slots, self.depth, &self.open) {
            node.push_text(piece);
        }
    }

    /// An end tag that was not a skipped element's: `true` when it closes the song.
    fn end(&mut self) -> bool {
        let Some(d) = self.depth.checked_sub(1) else {
            return true;
        };
        if let Some(node) = self.slots[self.open[d] as usize].as_mut() {
            node.trim();
        }
        self.depth = d;
        false
    }
}

/// Reads a `<song>` whose start was just read into `slots`, from quick-xml's
/// events; skipped elements still have their end tags checked by the reader.
fn read_song<'a>(xml: &mut Xml<'a>, slots: &mut SongSlots<'a>) -> Result<(), ImportError> {
    let mut song = SongBuilder::new(slots);
    loop {
        match xml.next()? {
            Event::Start(e) => {
                let kept = song.start(e.local_name().as_ref());
                if !kept {
                    skip_element(xml)?;
                }
            }
            Event::Text(t) if song.wants_text(&t) => {
                song.push(t.xml_content(quick_xml::XmlVersion::Implicit1_0));
            }
            Event::CData(t) => song.push(t.into_inner()),
            Event::GeneralRef(r) => song.push(Cow::Owned(entity(&r.into_inner()))),
            Event::End(_) => {
                let closed_song = song.end();
                if closed_song {
                    return Ok(());
                }
            }
            Event::Eof => return Err(not_xml(xml.pos())),
            _ => {}
        }
    }
}

/// The deepest element nesting (the song counted) the fast path reads.
const FAST_DEPTH: usize = 16;

/// The name of a start or end tag the fast path reads: an ASCII letter or `_`,
/// then letters, digits, `_`, `-` or `.` (no prefix, no attributes).
fn plain_name(b: &[u8]) -> usize {
    match b.first() {
        Some(c) if c.is_ascii_alphabetic() || *c == b'_' => {}
        _ => return 0,
    }
    b.iter()
        .position(|c| !(c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b'.')))
        .unwrap_or(b.len())
}

/// Reads the `<song>` at the head of `rest` (after whitespace) without
/// quick-xml, when it is written the plain way real exports are: valid UTF-8,
/// tags without attributes or prefixes, text without references or carriage
/// returns where it is kept, CDATA sections, no comments or processing
/// instructions, at most [`FAST_DEPTH`] deep, end tags matching. On any of that
/// it gives up (`None`, `slots` to be discarded) and the song is read by
/// quick-xml instead, which reports what is wrong. Otherwise it returns the
/// whitespace before `<song>` and the bytes consumed through `</song>`, and the
/// slots hold exactly what [`read_song`] would have read (property-tested and
/// fuzzed against it).
pub(crate) fn fast_song<'a>(rest: &'a [u8], slots: &mut SongSlots<'a>) -> Option<(usize, usize)> {
    const SONG: &[u8] = b"<song>";
    const CLOSE: &[u8] = b"</song>";
    const CDATA: &[u8] = b"<![CDATA[";
    let ws = rest.iter().position(|b| !b.is_ascii_whitespace())?;
    if !rest[ws..].starts_with(SONG) {
        return None;
    }
    // Everything up to the first `</song>` is checked as UTF-8 once; a song
    // that does not end there (a `</song>` in CDATA or in a nested element) is
    // left to quick-xml.
    let body = ws + SONG.len();
    let close = body + memchr::memmem::find(rest.get(body..)?, CLOSE)? + CLOSE.len();
    let text = std::str::from_utf8(rest.get(..close)?).ok()?;
    let b = text.as_bytes();
    let mut song = SongBuilder::new(slots);
    let mut stack: [&'a str; FAST_DEPTH] = [""; FAST_DEPTH];
    stack[0] = "song";
    let mut open = 1usize;
    // The stack height at which a skipped element was opened.
    let mut skip: Option<usize> = None;
    let mut i = body;
    loop {
        // Text up to the next markup.
        let lt = i + memchr::memchr2(b'<', b'&', b.get(i..)?)?;
        if b[lt] == b'&' {
            return None;
        }
        if lt > i && skip.is_none() {
            let raw = text.get(i..lt)?;
            if song.wants_text(raw) {
                if raw.contains('\r') {
                    return None;
                }
                song.push(Cow::Borrowed(raw));
            }
        }
        i = lt + 1;
        match *b.get(i)? {
            b'/' => {
                let n = plain_name(b.get(i + 1..)?);
                let name = text.get(i + 1..i + 1 + n)?;
                if n == 0 || b.get(i + 1 + n) != Some(&b'>') || stack[open - 1] != name {
                    return None;
                }
                i += n + 2;
                open -= 1;
                match skip {
                    Some(at) if at == open + 1 => skip = None,
                    Some(_) => {}
                    None => {
                        if song.end() {
                            return (open == 0).then_some((ws, i));
                        }
                    }
                }
            }
            b'!' => {
                if !b.get(lt..)?.starts_with(CDATA) {
                    return None;
                }
                let start = lt + CDATA.len();
                let len = memchr::memmem::find(b.get(start..)?, b"]]>")?;
                if skip.is_none() {
                    song.push(Cow::Borrowed(text.get(start..start + len)?));
                }
                i = start + len + 3;
            }
            _ => {
                let n = plain_name(b.get(i..)?);
                let name = text.get(i..i + n)?;
                let empty = match b.get(i + n..i + n + 2)? {
                    [b'>', _] => false,
                    b"/>" => true,
                    _ => return None,
                };
                if n == 0 || open == FAST_DEPTH {
                    return None;
                }
                i += n + if empty { 2 } else { 1 };
                if skip.is_some() {
                    // Inside a skipped element: an empty one opens and closes.
                    if !empty {
                        stack[open] = name;
                        open += 1;
                    }
                } else if song.start(name) {
                    if empty {
                        song.end();
                    } else {
                        stack[open] = name;
                        open += 1;
                    }
                } else if !empty {
                    stack[open] = name;
                    open += 1;
                    skip = Some(open);
                }
            }
        }
    }
}

fn check_song(slots: &SongSlots<'_>, index: u64, at: u64) -> Result<S3Song, ImportError> {
    let get = |s: Slot| slots[s as usize].as_ref().map(Node::field);
    let k = |key: &str| format!("s3data.scoredata.song[{index}].{key}");
    let err = |key: &str, slot: Slot, msg: &str| schema(at, &k(key), msg, get(slot));
    let id = positive_int(get(Slot::Id))
        .ok_or_else(|| err("id", Slot::Id, "Expected a positive integer."))?;
    let diff = text(get(Slot::Diff))
        .filter(|d| DIFFS.contains(d))
        .ok_or_else(|| {
            err(
                "diff",
                Slot::Diff,
                &format!("Expected any of {}.", DIFFS.join(", ")),
            )
        })?;
    let songname = text(get(Slot::Songname))
        .ok_or_else(|| err("songname", Slot::Songname, "Expected a string or number."))?;
    let styles =
        text(get(Slot::Styles)).ok_or_else(|| err("styles", Slot::Styles, "Expected a string."))?;
    let exscore = positive_int(get(Slot::Exscore))
        .ok_or_else(|| err("exscore", Slot::Exscore, "Expected a positive integer."))?;
    let scorebreakdown = match get(Slot::Scorebreakdown) {
        None => None,
        Some(b) if !b.object => {
            return Err(err(
                "scorebreakdown",
                Slot::Scorebreakdown,
                "Expected an object with justgreats, greats, good, bad and poor.",
            ));
        }
        Some(_) => {
            let mut out = [0i64; 5];
            for (i, (key, slot)) in [
                ("justgreats", Slot::Justgreats),
                ("greats", Slot::Greats),
                ("good", Slot::Good),
                ("bad", Slot::Bad),
                ("poor", Slot::Poor),
            ]
            .into_iter()
            .enumerate()
            {
                out[i] = positive_int(get(slot)).ok_or_else(|| {
                    schema(
                        at,
                        &k(&format!("scorebreakdown.{key}")),
                        "Expected a positive integer.",
                        get(slot),
                    )
                })?;
            }
            Some(out)
        }
    };
    if !get(Slot::Mods).is_some_and(|m| m.object) {
        return Err(err("mods", Slot::Mods, "Expected an object."));
    }
    let hardeasy = match get(Slot::Hardeasy) {
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
    let cleartype = text(get(Slot::Cleartype))
        .filter(|c| CLEARTYPES.contains(c))
        .ok_or_else(|| {
            err(
                "cleartype",
                Slot::Cleartype,
                &format!("Expected any of {}.", CLEARTYPES.join(", ")),
            )
        })?;
    let date =
        text(get(Slot::Date)).ok_or_else(|| err("date", Slot::Date, "Expected a string."))?;
    let comment = text(get(Slot::Comment))
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
    xml: Xml<'a>,
    /// Element names from the root to the current element.
    path: Vec<String>,
    /// Set when the start of a `<song>` has just been read.
    at_song: Option<u64>,
    userdata_seen: bool,
    index: u64,
    /// The song being read (reused).
    slots: SongSlots<'a>,
    /// Whether the fast path may be tried: quick-xml has just read the end of
    /// a song of `s3data/scoredata` (so text is next; not after a start tag,
    /// which may be an empty element whose end is still to come).
    fast_ok: bool,
    /// Whether the fast path is used at all (turned off to test it).
    fast: bool,
}

impl<'a> Songs<'a> {
    /// Reads up to the first `<song>`; the document is refused if there is none.
    pub(crate) fn open(bytes: &'a [u8]) -> Result<Self, ImportError> {
        Self::open_with(bytes, true)
    }

    /// [`Songs::open`], with the fast path on or off.
    pub(crate) fn open_with(bytes: &'a [u8], fast: bool) -> Result<Self, ImportError> {
        let mut reader = Reader::from_reader(bytes);
        let config = reader.config_mut();
        // Text is trimmed once per element, after text, CDATA and references merge.
        config.trim_text(false);
        config.expand_empty_elements = true;
        let mut songs = Songs {
            xml: Xml { reader, skipped: 0 },
            path: Vec::new(),
            at_song: None,
            userdata_seen: false,
            index: 0,
            slots: Default::default(),
            fast_ok: false,
            fast,
        };
        songs.advance()?;
        if songs.at_song.is_none() {
            return Err(no_songs(songs.xml.pos()));
        }
        Ok(songs)
    }

    /// [`Songs::open`], numbering songs from `first_index` (a later window
    /// of a streamed file).
    pub(crate) fn open_at(bytes: &'a [u8], first_index: u64) -> Result<Self, ImportError> {
        let mut songs = Self::open_with(bytes, true)?;
        songs.index = first_index;
        Ok(songs)
    }

    /// The index the next song will have.
    pub(crate) fn next_index(&self) -> u64 {
        self.index
    }

    /// Reads events until the start of the next `<song>` of `s3data/scoredata`
    /// (sets `at_song`) or the end of the document (checking it is well formed).
    fn advance(&mut self) -> Result<(), ImportError> {
        loop {
            let pos = self.xml.pos();
            match self.xml.next()? {
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
                        let node = read_node(&mut self.xml, 2)?;
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
            if self.fast_ok {
                let rest = self.xml.rest();
                if let Some((ws, len)) = fast_song(rest, &mut self.slots) {
                    let at = self.xml.pos() + ws as u64;
                    self.xml.consume(len);
                    return self.finish(at).map(Some);
                }
            }
            self.fast_ok = false;
            self.advance()?;
        }
        let Some(at) = self.at_song.take() else {
            return Ok(None);
        };
        read_song(&mut self.xml, &mut self.slots)?;
        if !self.userdata_seen {
            return Err(schema(at, "s3data.userdata", "Expected an object.", None));
        }
        // Right after `</song>` inside `s3data/scoredata`: text is next.
        self.fast_ok = self.fast && self.userdata_seen;
        self.finish(at).map(Some)
    }

    /// Checks the song just read into the slots.
    fn finish(&mut self, at: u64) -> Result<S3Song, ImportError> {
        let song = check_song(&self.slots, self.index, at)?;
        self.index += 1;
        Ok(song)
    }
}

/// The reference the flat song reader is tested against: the whole `<song>`
/// as a tree (as `<userdata>` is read), then each slot taken from the first
/// child of its name.
#[cfg(test)]
impl Songs<'_> {
    pub(crate) fn step_by_tree(&mut self) -> Result<Option<S3Song>, ImportError> {
        if self.at_song.is_none() {
            self.advance()?;
        }
        let Some(at) = self.at_song.take() else {
            return Ok(None);
        };
        let node = read_node(&mut self.xml, 3)?;
        if !self.userdata_seen {
            return Err(schema(at, "s3data.userdata", "Expected an object.", None));
        }
        let mut slots: SongSlots<'_> = Default::default();
        let top = [
            ("id", Slot::Id),
            ("diff", Slot::Diff),
            ("songname", Slot::Songname),
            ("styles", Slot::Styles),
            ("exscore", Slot::Exscore),
            ("scorebreakdown", Slot::Scorebreakdown),
            ("mods", Slot::Mods),
            ("cleartype", Slot::Cleartype),
            ("date", Slot::Date),
            ("comment", Slot::Comment),
        ];
        for (name, slot) in top {
            slots[slot as usize] = node.child(name).cloned();
        }
        let inner = [
            ("scorebreakdown", "justgreats", Slot::Justgreats),
            ("scorebreakdown", "greats", Slot::Greats),
            ("scorebreakdown", "good", Slot::Good),
            ("scorebreakdown", "bad", Slot::Bad),
            ("scorebreakdown", "poor", Slot::Poor),
            ("mods", "hardeasy", Slot::Hardeasy),
        ];
        for (parent, name, slot) in inner {
            slots[slot as usize] = node.child(parent).and_then(|p| p.child(name)).cloned();
        }
        let song = check_song(&slots, self.index, at)?;
        self.index += 1;
        Ok(Some(song))
    }
}
