//! Long scoreID lists kept in rows of their own.
//!
//! A session or an ImportDocument lists every scoreID it holds; stored as one
//! JSON value, a 125,000-score upload's list is 8.5 MB that SQLite copies
//! twice more while writing it (the bound text, the record), and once more
//! on every read. A list longer than [`INLINE_IDS`] is therefore stored in
//! `id_chunks` rows of [`CHUNK`] ids each (a JSON array per row, keyed by the
//! owner's sessionID or importID and the chunk's number), and the document
//! itself with an empty list. Reads put the list back together, so every
//! reader sees the documents as before; shorter lists stay inline as they
//! always were (a database written before this is read unchanged).

use kaiden_core::ScoreIds;
use kaiden_core::documents::{ImportDocument, SessionDocument};
use kaiden_core::host::HostError;
use rusqlite::{Connection, params};
use serde_json::Value;

/// Lists up to this long stay in their document.
pub(crate) const INLINE_IDS: usize = 4096;

/// Ids per `id_chunks` row.
const CHUNK: usize = 4096;

/// Whether a list of `n` ids goes to `id_chunks`.
pub(crate) fn chunked(n: usize) -> bool {
    n > INLINE_IDS
}

/// Replaces `owner`'s chunks with `ids` (none when the list stays inline).
pub(crate) fn write(c: &Connection, owner: &str, ids: &ScoreIds) -> rusqlite::Result<()> {
    remove(c, owner)?;
    write_new(c, owner, ids)
}

/// [`write`] for an owner just created, which has no chunks yet (a new
/// import: no statement at all when its list stays inline).
pub(crate) fn write_new(c: &Connection, owner: &str, ids: &ScoreIds) -> rusqlite::Result<()> {
    if !chunked(ids.len()) {
        return Ok(());
    }
    let mut st = c.prepare_cached("INSERT INTO id_chunks (owner, n, ids) VALUES (?1, ?2, ?3)")?;
    let mut text: Vec<u8> = Vec::with_capacity(CHUNK * 68 + 2);
    let mut rest = ids.iter();
    for n in 0..ids.len().div_ceil(CHUNK) {
        text.clear();
        let chunk = Chunk(std::cell::RefCell::new(rest.by_ref().take(CHUNK)));
        serde_json::to_writer(&mut text, &chunk).map_err(conversion)?;
        let text = std::str::from_utf8(&text).map_err(conversion)?;
        st.execute(params![owner, n as i64, text])?;
    }
    Ok(())
}

/// The next ids of a list, serialised as a JSON array as they are read.
struct Chunk<I>(std::cell::RefCell<I>);

impl<'a, I: Iterator<Item = kaiden_core::ScoreIdStr<'a>>> serde::Serialize for Chunk<I> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(&mut *self.0.borrow_mut())
    }
}

/// A value that could not be encoded or decoded, as rusqlite's error.
pub(crate) fn conversion(e: impl std::error::Error + Send + Sync + 'static) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
}

/// Removes `owner`'s chunks.
pub(crate) fn remove(c: &Connection, owner: &str) -> rusqlite::Result<()> {
    c.prepare_cached("DELETE FROM id_chunks WHERE owner = ?1")?
        .execute([owner])
        .map(|_| ())
}

/// Appends `owner`'s chunked ids, in order, to `ids`.
pub(crate) fn read_into(c: &Connection, owner: &str, ids: &mut ScoreIds) -> rusqlite::Result<()> {
    // Room for every chunk at once: the list is not grown by doubling (a
    // 125,000-id list would pass through 2 + 4 MB to end in 4).
    let chunks: i64 = c
        .prepare_cached("SELECT COUNT(*) FROM id_chunks WHERE owner = ?1")?
        .query_row([owner], |r| r.get(0))?;
    ids.reserve(usize::try_from(chunks).unwrap_or(0).saturating_mul(CHUNK));
    let mut st = c.prepare_cached("SELECT ids FROM id_chunks WHERE owner = ?1 ORDER BY n")?;
    let mut rows = st.query([owner])?;
    while let Some(row) = rows.next()? {
        let text = row.get_ref(0)?.as_str()?;
        let chunk: ScoreIds = serde_json::from_str(text).map_err(conversion)?;
        ids.append(chunk);
    }
    Ok(())
}

/// A session's whole list back in place (only an empty inline list can have
/// chunks).
pub(crate) fn complete_session(c: &Connection, s: &mut SessionDocument) -> rusqlite::Result<()> {
    if s.score_ids.is_empty() {
        read_into(c, &s.session_id, &mut s.score_ids)?;
    }
    Ok(())
}

/// An ImportDocument's whole list back in place.
pub(crate) fn complete_import(c: &Connection, d: &mut ImportDocument) -> rusqlite::Result<()> {
    if d.score_ids.is_empty() {
        read_into(c, &d.import_id, &mut d.score_ids)?;
    }
    Ok(())
}

/// A stored document as JSON (`owner_key` names its id: `sessionID` or
/// `importID`), with its whole `scoreIDs` list back in place.
pub(crate) fn complete_value(
    c: &Connection,
    owner_key: &str,
    doc: &mut Value,
) -> rusqlite::Result<()> {
    let empty = doc
        .get("scoreIDs")
        .and_then(Value::as_array)
        .is_some_and(Vec::is_empty);
    let Some(owner) = doc
        .get(owner_key)
        .and_then(Value::as_str)
        .map(str::to_owned)
    else {
        return Ok(());
    };
    if !empty {
        return Ok(());
    }
    let mut ids = ScoreIds::new();
    read_into(c, &owner, &mut ids)?;
    if !ids.is_empty() {
        doc["scoreIDs"] = Value::Array(ids.iter().map(|i| Value::String(i.into())).collect());
    }
    Ok(())
}

/// A stored session or ImportDocument (`owner_key` as for
/// [`complete_value`]) parsed from its row, with its whole list.
pub(crate) fn parse_value(c: &Connection, owner_key: &str, text: &str) -> rusqlite::Result<Value> {
    let mut v: Value = serde_json::from_str(text).map_err(conversion)?;
    complete_value(c, owner_key, &mut v)?;
    Ok(v)
}

/// A session as stored: its document without the list when the list is long.
pub(crate) fn session_row(s: &SessionDocument) -> Result<String, HostError> {
    if !chunked(s.score_ids.len()) {
        return crate::tx::json_sized(s, 1024 + s.score_ids.len() * 72);
    }
    let shell = SessionDocument {
        session_id: s.session_id.clone(),
        user_id: s.user_id,
        game: s.game,
        playtype: s.playtype,
        name: s.name.clone(),
        desc: s.desc.clone(),
        highlight: s.highlight,
        score_ids: ScoreIds::new(),
        time_inserted: s.time_inserted,
        time_started: s.time_started,
        time_ended: s.time_ended,
        calculated_data: s.calculated_data.clone(),
    };
    crate::tx::json_sized(&shell, 1024)
}

/// An ImportDocument as stored: without its list when the list is long.
pub(crate) fn import_row(d: &ImportDocument) -> Result<String, HostError> {
    if !chunked(d.score_ids.len()) {
        return crate::tx::json_sized(d, 1024 + d.score_ids.len() * 72 + d.errors.len() * 256);
    }
    let shell = ImportDocument {
        import_id: d.import_id.clone(),
        user_id: d.user_id,
        import_type: d.import_type,
        game: d.game,
        gpts: d.gpts.clone(),
        score_ids: ScoreIds::new(),
        errors: d.errors.clone(),
        time_started: d.time_started,
        time_finished: d.time_finished,
        created_sessions: d.created_sessions.clone(),
        class_deltas: d.class_deltas.clone(),
        goal_info: d.goal_info.clone(),
        quest_info: d.quest_info.clone(),
        user_intent: d.user_intent,
    };
    crate::tx::json_sized(&shell, 1024 + d.errors.len() * 256)
}

/// The SQL condition "the row's list (inline or chunked) holds one of the
/// ids `marks`" for a table whose owner column is `owner_col`. `marks` is
/// used twice: its arguments are bound twice, in order.
pub(crate) fn holds_any(owner_col: &str, marks: &str) -> String {
    format!(
        "(EXISTS (SELECT 1 FROM json_each(doc, '$.scoreIDs') j WHERE j.value IN ({marks})) \
         OR EXISTS (SELECT 1 FROM id_chunks k, json_each(k.ids) j WHERE k.owner = {owner_col} AND j.value IN ({marks})))"
    )
}
