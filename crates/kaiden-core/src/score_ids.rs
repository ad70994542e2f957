//! [`ScoreIds`]: the scoreID list of a session or an ImportDocument, held
//! compactly.
//!
//! Tachi's scoreIDs are a letter (`T`; `R` in older data) and 64 lowercase hex
//! digits (a SHA-256). Held as `String`s, each is a 65-byte heap block and a
//! 24-byte handle, about 104 bytes with the allocator's rounding, where a
//! BATCH-MANUAL upload spends about 128 bytes of file on a score: a list of
//! every new score was most of an import's memory. A list whose ids all have
//! that form keeps each as its letter and 32-byte digest, 33 bytes side by side,
//! instead; any other id (tests, hand-written data) turns the list into plain
//! text, so every id reads back exactly as it was given.

use std::fmt;

use serde::de::{DeserializeSeed, SeqAccess, Visitor};
use serde::ser::SerializeSeq;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The length of a scoreID in digest form: a letter and 64 hex digits.
const DIGEST_ID_LEN: usize = 65;

/// An ordered list of scoreIDs, compact when every id is Tachi's form (an
/// ASCII letter and 64 lowercase hex digits), as text otherwise. Reads as a list of `&str`-like
/// [`ScoreIdStr`]s; serialises as a JSON array of strings, exactly as a
/// `Vec<String>` of the same ids would.
#[derive(Clone, Default)]
pub struct ScoreIds {
    repr: Repr,
}

#[derive(Clone)]
enum Repr {
    /// Every id is a letter (the first byte) and the lowercase hex of its
    /// digest (the other 32).
    Digests(Vec<[u8; 33]>),
    /// Ids as text.
    Text(Vec<String>),
}

impl Default for Repr {
    fn default() -> Self {
        Repr::Digests(Vec::new())
    }
}

/// The letter and digest of `id` (33 bytes) when it is an ASCII letter and 64
/// lowercase hex digits, Tachi's form; `None` for any other text.
/// [`ScoreIdStr::from_digest`] renders it back.
#[must_use]
pub fn parse_digest(id: &str) -> Option<[u8; 33]> {
    let b = id.as_bytes();
    if b.len() != DIGEST_ID_LEN || !b[0].is_ascii_alphabetic() {
        return None;
    }
    let hex = |c: u8| match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        _ => None,
    };
    let mut out = [0u8; 33];
    out[0] = b[0];
    for (o, pair) in out[1..].iter_mut().zip(b[1..].chunks_exact(2)) {
        *o = hex(pair[0])? << 4 | hex(pair[1])?;
    }
    Some(out)
}

/// The letter, then the lowercase hex of the digest.
fn render(d: &[u8; 33]) -> [u8; DIGEST_ID_LEN] {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = [0u8; DIGEST_ID_LEN];
    out[0] = d[0];
    for (pair, b) in out[1..].chunks_exact_mut(2).zip(&d[1..]) {
        pair[0] = HEX[usize::from(b >> 4)];
        pair[1] = HEX[usize::from(b & 15)];
    }
    out
}

/// One id of a [`ScoreIds`]: its text, rendered on the stack for a digest.
/// Derefs to `str`.
#[derive(Clone, Copy)]
pub enum ScoreIdStr<'a> {
    /// A letter and 64 hex digits, rendered.
    Digest([u8; DIGEST_ID_LEN]),
    /// Any other id.
    Text(&'a str),
}

impl ScoreIdStr<'_> {
    /// The text of an id held as its letter and digest ([`parse_digest`]).
    #[must_use]
    pub fn from_digest(d: &[u8; 33]) -> ScoreIdStr<'static> {
        ScoreIdStr::Digest(render(d))
    }

    /// The id's text.
    #[must_use]
    pub fn as_str(&self) -> &str {
        match self {
            // An ASCII letter and hex digits: always UTF-8.
            ScoreIdStr::Digest(b) => std::str::from_utf8(b).unwrap_or_default(),
            ScoreIdStr::Text(t) => t,
        }
    }
}

impl std::ops::Deref for ScoreIdStr<'_> {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for ScoreIdStr<'_> {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl fmt::Display for ScoreIdStr<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for ScoreIdStr<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl PartialEq for ScoreIdStr<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for ScoreIdStr<'_> {}

impl PartialEq<str> for ScoreIdStr<'_> {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for ScoreIdStr<'_> {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for ScoreIdStr<'_> {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other
    }
}

impl From<ScoreIdStr<'_>> for String {
    fn from(id: ScoreIdStr<'_>) -> String {
        id.as_str().to_owned()
    }
}

impl Serialize for ScoreIdStr<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl ScoreIds {
    /// An empty list.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty list with room for `n` ids in digest form.
    #[must_use]
    pub fn with_capacity(n: usize) -> Self {
        ScoreIds {
            repr: Repr::Digests(Vec::with_capacity(n)),
        }
    }

    /// How many ids.
    #[must_use]
    pub fn len(&self) -> usize {
        match &self.repr {
            Repr::Digests(d) => d.len(),
            Repr::Text(t) => t.len(),
        }
    }

    /// Whether there are none.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether the ids are held as digests (every one has Tachi's form).
    #[must_use]
    pub fn is_compact(&self) -> bool {
        matches!(self.repr, Repr::Digests(_))
    }

    /// Appends `id`.
    pub fn push(&mut self, id: impl AsRef<str>) {
        let id = id.as_ref();
        match &mut self.repr {
            Repr::Digests(d) => {
                if let Some(digest) = parse_digest(id) {
                    d.push(digest);
                    return;
                }
                // An id of another form: the list is text from now on.
                let mut text: Vec<String> = Vec::with_capacity(d.len() + 1);
                text.extend(d.iter().map(|d| String::from(ScoreIdStr::from_digest(d))));
                text.push(id.to_owned());
                self.repr = Repr::Text(text);
            }
            Repr::Text(t) => t.push(id.to_owned()),
        }
    }

    /// Appends an id held as its letter and digest ([`parse_digest`]), without
    /// rendering and parsing its text.
    pub fn push_digest(&mut self, d: &[u8; 33]) {
        match &mut self.repr {
            Repr::Digests(v) if d[0].is_ascii_alphabetic() => v.push(*d),
            _ => self.push(ScoreIdStr::from_digest(d)),
        }
    }

    /// Moves every id of `other` to the end of this list.
    pub fn append(&mut self, other: ScoreIds) {
        match (&mut self.repr, other.repr) {
            (Repr::Digests(a), Repr::Digests(mut b)) => a.append(&mut b),
            (Repr::Text(a), Repr::Text(mut b)) => a.append(&mut b),
            (_, repr) => self.extend(ScoreIds { repr }.iter()),
        }
    }

    /// Makes room for `n` more ids.
    pub fn reserve(&mut self, n: usize) {
        match &mut self.repr {
            Repr::Digests(d) => d.reserve(n),
            Repr::Text(t) => t.reserve(n),
        }
    }

    /// The id at `i`.
    #[must_use]
    pub fn get(&self, i: usize) -> Option<ScoreIdStr<'_>> {
        match &self.repr {
            Repr::Digests(d) => d.get(i).map(|d| ScoreIdStr::from_digest(d)),
            Repr::Text(t) => t.get(i).map(|t| ScoreIdStr::Text(t)),
        }
    }

    /// The letter and digest of the id at `i`, while the list is compact
    /// ([`is_compact`](Self::is_compact)); `None` past the end or once the
    /// list holds text.
    #[must_use]
    pub fn digest(&self, i: usize) -> Option<&[u8; 33]> {
        match &self.repr {
            Repr::Digests(d) => d.get(i),
            Repr::Text(_) => None,
        }
    }

    /// Appends the id at `i` of `other` (a digest copied as it is held);
    /// nothing when `other` has no id there.
    pub fn push_from(&mut self, other: &ScoreIds, i: usize) {
        match &other.repr {
            Repr::Digests(d) => {
                if let Some(d) = d.get(i) {
                    self.push_digest(d);
                }
            }
            Repr::Text(t) => {
                if let Some(t) = t.get(i) {
                    self.push(t);
                }
            }
        }
    }

    /// The first id.
    #[must_use]
    pub fn first(&self) -> Option<ScoreIdStr<'_>> {
        self.get(0)
    }

    /// The ids in order.
    #[must_use]
    pub fn iter(&self) -> Iter<'_> {
        Iter {
            ids: self,
            front: 0,
            back: self.len(),
        }
    }

    /// Whether `id` is in the list (a scan).
    #[must_use]
    pub fn contains(&self, id: &str) -> bool {
        match &self.repr {
            Repr::Digests(d) => parse_digest(id).is_some_and(|x| d.contains(&x)),
            Repr::Text(t) => t.iter().any(|t| t == id),
        }
    }

    /// Keeps the ids `keep` is true of, in order.
    pub fn retain(&mut self, mut keep: impl FnMut(&str) -> bool) {
        match &mut self.repr {
            Repr::Digests(d) => d.retain(|d| keep(ScoreIdStr::from_digest(d).as_str())),
            Repr::Text(t) => t.retain(|t| keep(t)),
        }
    }

    /// The ids as `String`s.
    #[must_use]
    pub fn to_vec(&self) -> Vec<String> {
        self.iter().map(String::from).collect()
    }
}

/// The ids of a [`ScoreIds`], in order.
#[derive(Clone, Debug)]
pub struct Iter<'a> {
    ids: &'a ScoreIds,
    front: usize,
    back: usize,
}

impl<'a> Iterator for Iter<'a> {
    type Item = ScoreIdStr<'a>;

    fn next(&mut self) -> Option<ScoreIdStr<'a>> {
        if self.front >= self.back {
            return None;
        }
        let id = self.ids.get(self.front);
        self.front += 1;
        id
    }

    fn nth(&mut self, n: usize) -> Option<ScoreIdStr<'a>> {
        self.front = self.front.saturating_add(n).min(self.back);
        self.next()
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.back - self.front;
        (n, Some(n))
    }
}

impl DoubleEndedIterator for Iter<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        if self.front >= self.back {
            return None;
        }
        self.back -= 1;
        self.ids.get(self.back)
    }
}

impl ExactSizeIterator for Iter<'_> {}

impl<'a> IntoIterator for &'a ScoreIds {
    type Item = ScoreIdStr<'a>;
    type IntoIter = Iter<'a>;
    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

impl<S: AsRef<str>> Extend<S> for ScoreIds {
    fn extend<I: IntoIterator<Item = S>>(&mut self, iter: I) {
        let iter = iter.into_iter();
        self.reserve(iter.size_hint().0);
        for id in iter {
            self.push(id);
        }
    }
}

impl<S: AsRef<str>> FromIterator<S> for ScoreIds {
    fn from_iter<I: IntoIterator<Item = S>>(iter: I) -> Self {
        let mut ids = ScoreIds::new();
        ids.extend(iter);
        ids
    }
}

impl From<Vec<String>> for ScoreIds {
    fn from(v: Vec<String>) -> Self {
        if v.iter().all(|id| parse_digest(id).is_some()) {
            v.iter().collect()
        } else {
            ScoreIds {
                repr: Repr::Text(v),
            }
        }
    }
}

impl From<Vec<&str>> for ScoreIds {
    fn from(v: Vec<&str>) -> Self {
        v.into_iter().collect()
    }
}

impl From<&[String]> for ScoreIds {
    fn from(v: &[String]) -> Self {
        v.iter().collect()
    }
}

impl From<ScoreIds> for Vec<String> {
    fn from(ids: ScoreIds) -> Self {
        match ids.repr {
            Repr::Text(t) => t,
            Repr::Digests(_) => ids.to_vec(),
        }
    }
}

impl PartialEq for ScoreIds {
    fn eq(&self, other: &Self) -> bool {
        match (&self.repr, &other.repr) {
            (Repr::Digests(a), Repr::Digests(b)) => a == b,
            _ => self.len() == other.len() && self.iter().eq(other.iter()),
        }
    }
}

impl Eq for ScoreIds {}

impl<S: AsRef<str>> PartialEq<[S]> for ScoreIds {
    fn eq(&self, other: &[S]) -> bool {
        self.len() == other.len() && self.iter().zip(other).all(|(a, b)| a == b.as_ref())
    }
}

impl<S: AsRef<str>> PartialEq<Vec<S>> for ScoreIds {
    fn eq(&self, other: &Vec<S>) -> bool {
        *self == other[..]
    }
}

impl<S: AsRef<str>, const N: usize> PartialEq<[S; N]> for ScoreIds {
    fn eq(&self, other: &[S; N]) -> bool {
        *self == other[..]
    }
}

impl<S: AsRef<str>> PartialEq<ScoreIds> for Vec<S> {
    fn eq(&self, other: &ScoreIds) -> bool {
        *other == self[..]
    }
}

impl<S: AsRef<str>> PartialEq<ScoreIds> for [S] {
    fn eq(&self, other: &ScoreIds) -> bool {
        *other == *self
    }
}

impl fmt::Debug for ScoreIds {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl Serialize for ScoreIds {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.len()))?;
        for id in self {
            seq.serialize_element(&id)?;
        }
        seq.end()
    }
}

/// Pushes one deserialised string onto a list without an owned copy.
struct Push<'a>(&'a mut ScoreIds);

impl<'de> DeserializeSeed<'de> for Push<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_str(self)
    }
}

impl Visitor<'_> for Push<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a scoreID")
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<(), E> {
        self.0.push(v);
        Ok(())
    }
}

impl<'de> Deserialize<'de> for ScoreIds {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Seq;
        impl<'de> Visitor<'de> for Seq {
            type Value = ScoreIds;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an array of scoreIDs")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<ScoreIds, A::Error> {
                // A hint from the input is not trusted beyond a modest size.
                let mut ids = ScoreIds::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
                while seq.next_element_seed(Push(&mut ids))?.is_some() {}
                Ok(ids)
            }
        }
        d.deserialize_seq(Seq)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn digest_id(i: u32) -> String {
        // Tachi's `T` and the older `R`, both in one list.
        let letter = if i % 3 == 0 { 'R' } else { 'T' };
        format!("{letter}{:064x}", u128::from(i) * 0x9e37_79b9_7f4a_7c15)
    }

    #[test]
    fn digest_ids_are_held_compactly_and_read_back_as_given() {
        let ids: Vec<String> = (0..100).map(digest_id).collect();
        let list: ScoreIds = ids.iter().collect();
        assert!(list.is_compact());
        assert_eq!(list.len(), 100);
        assert_eq!(list, ids);
        assert_eq!(list.to_vec(), ids);
        assert_eq!(list.get(7).unwrap(), ids[7]);
        assert_eq!(list.iter().next_back().unwrap(), ids[99]);
        assert_eq!(list.iter().nth(42).unwrap(), ids[42]);
        assert_eq!(list.iter().skip(98).count(), 2);
        assert!(list.contains(&ids[50]));
        assert!(!list.contains(&digest_id(1000)));
        assert!(!list.contains("R"));
        assert_eq!(
            serde_json::to_string(&list).unwrap(),
            serde_json::to_string(&ids).unwrap()
        );
        let back: ScoreIds = serde_json::from_str(&serde_json::to_string(&ids).unwrap()).unwrap();
        assert!(back.is_compact());
        assert_eq!(back, list);
    }

    #[test]
    fn any_other_id_turns_the_list_into_text_keeping_every_id_exact() {
        let mut list: ScoreIds = [digest_id(1), digest_id(2)].iter().collect();
        for odd in [
            digest_id(3).to_uppercase(),
            format!("1{}", &digest_id(4)[1..]),
            format!("é{}", &digest_id(4)[2..]),
            digest_id(5)[..64].to_owned(),
            "a".to_owned(),
            String::new(),
            "é".to_owned(),
        ] {
            list.push(&odd);
            assert!(!list.is_compact());
            assert_eq!(list.iter().next_back().unwrap(), odd);
        }
        assert_eq!(list.get(0).unwrap(), digest_id(1));
        let text = serde_json::to_string(&list).unwrap();
        let back: ScoreIds = serde_json::from_str(&text).unwrap();
        assert_eq!(back, list);
        assert_eq!(serde_json::to_string(&back).unwrap(), text);
        // A compact list and a text list of the same ids are equal.
        let compact: ScoreIds = [digest_id(1)].iter().collect();
        let mut text = ScoreIds::from(vec!["x".to_owned(), digest_id(1)]);
        text.retain(|id| id != "x");
        assert!(!text.is_compact());
        assert_eq!(compact, text);
        assert_eq!(text, compact);
    }

    #[test]
    fn ids_are_copied_by_position_from_either_form() {
        let ids: Vec<String> = (0..5).map(digest_id).collect();
        let compact = ScoreIds::from(ids.clone());
        assert_eq!(compact.digest(2), parse_digest(&ids[2]).as_ref());
        assert_eq!(compact.digest(5), None);
        let mut text = compact.clone();
        text.push("odd");
        assert!(!text.is_compact());
        assert_eq!(text.digest(0), None, "a text list has no digests to lend");
        let mut out = ScoreIds::new();
        for i in [4, 0, 9] {
            out.push_from(&compact, i);
        }
        assert!(out.is_compact());
        assert_eq!(out, vec![ids[4].clone(), ids[0].clone()]);
        out.push_from(&text, 5);
        out.push_from(&text, 1);
        assert!(!out.is_compact());
        assert_eq!(
            out,
            vec![
                ids[4].clone(),
                ids[0].clone(),
                "odd".to_owned(),
                ids[1].clone()
            ]
        );
    }

    #[test]
    fn retain_and_extend_keep_order() {
        let ids: Vec<String> = (0..10).map(digest_id).collect();
        let mut list = ScoreIds::from(ids.clone());
        list.retain(|id| id != ids[3] && id != ids[8]);
        let want: Vec<&String> = ids
            .iter()
            .filter(|i| **i != ids[3] && **i != ids[8])
            .collect();
        assert_eq!(list, want.iter().map(|s| s.as_str()).collect::<Vec<_>>());
        list.extend(["z"]);
        let mut pushed = ScoreIds::new();
        pushed.push_digest(&parse_digest(&digest_id(7)).unwrap());
        assert!(pushed.is_compact());
        pushed.push("q");
        pushed.push_digest(&parse_digest(&digest_id(8)).unwrap());
        assert_eq!(pushed, [digest_id(7), "q".into(), digest_id(8)]);
        let mut joined = ScoreIds::from(vec![digest_id(1)]);
        joined.append(ScoreIds::from(vec![digest_id(2)]));
        assert!(joined.is_compact());
        joined.append(ScoreIds::from(vec!["q"]));
        joined.append(ScoreIds::from(vec![digest_id(3)]));
        assert_eq!(
            joined,
            [digest_id(1), digest_id(2), "q".into(), digest_id(3)]
        );
        assert_eq!(list.len(), 9);
        assert_eq!(list.iter().next_back().unwrap(), "z");
        assert_eq!(
            format!("{:?}", ScoreIds::from(vec!["a", "b"])),
            r#"["a", "b"]"#
        );
        assert!(serde_json::from_str::<ScoreIds>("[1]").is_err());
        assert!(serde_json::from_str::<ScoreIds>(r#"{"a":1}"#).is_err());
    }

    proptest::proptest! {
        /// Whatever ids a list is given, it reads, compares and serialises
        /// them exactly as a `Vec<String>` of them.
        #[test]
        fn a_list_is_its_ids(picks in proptest::collection::vec((0u32..50, proptest::option::of("[a-zA-Z0-9]{0,70}")), 0..40)) {
            let ids: Vec<String> = picks.into_iter().map(|(i, odd)| odd.unwrap_or_else(|| digest_id(i))).collect();
            let list: ScoreIds = ids.iter().collect();
            proptest::prop_assert_eq!(list.is_compact(), ids.iter().all(|i| parse_digest(i).is_some()));
            proptest::prop_assert_eq!(&list.to_vec(), &ids);
            proptest::prop_assert_eq!(serde_json::to_string(&list).unwrap(), serde_json::to_string(&ids).unwrap());
            let back: ScoreIds = serde_json::from_str(&serde_json::to_string(&ids).unwrap()).unwrap();
            proptest::prop_assert_eq!(&back, &list);
            for id in &ids {
                proptest::prop_assert!(list.contains(id));
            }
        }
    }
}
