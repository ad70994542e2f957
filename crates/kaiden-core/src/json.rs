//! Compact JSON encoding, byte for byte what `serde_json::to_string` writes,
//! for the documents a host stores by the hundred thousand (scores, PBs,
//! sessions).
//!
//! `serde_json` checks every byte of every string (keys included) against its
//! escape table one at a time; this encoder checks a string in one pass that
//! vectorises and copies it whole when nothing needs escaping, which is nearly
//! always. Everything else it hands to `serde_json` (escaped strings, floats),
//! so the two cannot drift apart: the tests compare them on documents and on
//! generated values.

use serde::ser::{self, Serialize};

/// The error type: `serde_json`'s.
pub type Error = serde_json::Error;

/// `v` as compact JSON, exactly as `serde_json::to_string(v)` writes it.
///
/// # Errors
/// What `serde_json` would give: a map key that is not a string, number,
/// bool or char, or a `Serialize` implementation's own error.
pub fn to_string<T: Serialize + ?Sized>(v: &T) -> Result<String, Error> {
    let mut out = Vec::with_capacity(256);
    to_writer(&mut out, v)?;
    // Every byte written is a copy of a `str` or ASCII.
    String::from_utf8(out).map_err(ser::Error::custom)
}

/// Appends `v` as compact JSON to `out` (see [`to_string`]).
///
/// # Errors
/// As [`to_string`].
pub fn to_writer<T: Serialize + ?Sized>(out: &mut Vec<u8>, v: &T) -> Result<(), Error> {
    v.serialize(&mut Writer { out })
}

/// Whether `s` holds a byte JSON must escape (a control character, `"` or
/// `\`). One pass without an early exit per byte, so it vectorises.
fn needs_escape(s: &[u8]) -> bool {
    let mut chunks = s.chunks_exact(32);
    for chunk in &mut chunks {
        let hit = chunk.iter().fold(false, |hit, &b| {
            hit | (b < 0x20) | (b == b'"') | (b == b'\\')
        });
        if hit {
            return true;
        }
    }
    chunks.remainder().iter().fold(false, |hit, &b| {
        hit | (b < 0x20) | (b == b'"') | (b == b'\\')
    })
}

fn write_str(out: &mut Vec<u8>, s: &str) -> Result<(), Error> {
    if needs_escape(s.as_bytes()) {
        return serde_json::to_writer(out, s);
    }
    out.reserve(s.len() + 2);
    out.push(b'"');
    out.extend_from_slice(s.as_bytes());
    out.push(b'"');
    Ok(())
}

fn write_int(out: &mut Vec<u8>, v: impl itoa::Integer) {
    out.extend_from_slice(itoa::Buffer::new().format(v).as_bytes());
}

/// The serializer: appends to `out`.
struct Writer<'a> {
    out: &'a mut Vec<u8>,
}

/// A sequence, map or struct being written; `close` is what ends it (`]`,
/// `}`, or `]}` / `}}` inside an enum variant's object).
struct Compound<'w, 'a> {
    w: &'w mut Writer<'a>,
    first: bool,
    close: &'static [u8],
}

impl Compound<'_, '_> {
    fn comma(&mut self) {
        if self.first {
            self.first = false;
        } else {
            self.w.out.push(b',');
        }
    }

    fn key(&mut self, key: &str) -> Result<(), Error> {
        self.comma();
        write_str(self.w.out, key)?;
        self.w.out.push(b':');
        Ok(())
    }

    fn end(self) {
        self.w.out.extend_from_slice(self.close);
    }
}

impl<'w, 'a> ser::Serializer for &'w mut Writer<'a> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Compound<'w, 'a>;
    type SerializeTuple = Compound<'w, 'a>;
    type SerializeTupleStruct = Compound<'w, 'a>;
    type SerializeTupleVariant = Compound<'w, 'a>;
    type SerializeMap = Compound<'w, 'a>;
    type SerializeStruct = Compound<'w, 'a>;
    type SerializeStructVariant = Compound<'w, 'a>;

    fn serialize_bool(self, v: bool) -> Result<(), Error> {
        self.out
            .extend_from_slice(if v { b"true" } else { b"false" });
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> Result<(), Error> {
        write_int(self.out, v);
        Ok(())
    }
    fn serialize_i16(self, v: i16) -> Result<(), Error> {
        write_int(self.out, v);
        Ok(())
    }
    fn serialize_i32(self, v: i32) -> Result<(), Error> {
        write_int(self.out, v);
        Ok(())
    }
    fn serialize_i64(self, v: i64) -> Result<(), Error> {
        write_int(self.out, v);
        Ok(())
    }
    fn serialize_i128(self, v: i128) -> Result<(), Error> {
        write_int(self.out, v);
        Ok(())
    }
    fn serialize_u8(self, v: u8) -> Result<(), Error> {
        write_int(self.out, v);
        Ok(())
    }
    fn serialize_u16(self, v: u16) -> Result<(), Error> {
        write_int(self.out, v);
        Ok(())
    }
    fn serialize_u32(self, v: u32) -> Result<(), Error> {
        write_int(self.out, v);
        Ok(())
    }
    fn serialize_u64(self, v: u64) -> Result<(), Error> {
        write_int(self.out, v);
        Ok(())
    }
    fn serialize_u128(self, v: u128) -> Result<(), Error> {
        write_int(self.out, v);
        Ok(())
    }
    fn serialize_f32(self, v: f32) -> Result<(), Error> {
        serde_json::to_writer(&mut *self.out, &v)
    }
    fn serialize_f64(self, v: f64) -> Result<(), Error> {
        serde_json::to_writer(&mut *self.out, &v)
    }
    fn serialize_char(self, v: char) -> Result<(), Error> {
        write_str(self.out, v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_str(self, v: &str) -> Result<(), Error> {
        write_str(self.out, v)
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<(), Error> {
        self.out.push(b'[');
        for (i, b) in v.iter().enumerate() {
            if i > 0 {
                self.out.push(b',');
            }
            write_int(self.out, *b);
        }
        self.out.push(b']');
        Ok(())
    }
    fn serialize_none(self) -> Result<(), Error> {
        self.serialize_unit()
    }
    fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> Result<(), Error> {
        v.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Error> {
        self.out.extend_from_slice(b"null");
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Error> {
        self.serialize_unit()
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), Error> {
        write_str(self.out, variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        v: &T,
    ) -> Result<(), Error> {
        v.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        v: &T,
    ) -> Result<(), Error> {
        self.out.push(b'{');
        write_str(self.out, variant)?;
        self.out.push(b':');
        v.serialize(&mut *self)?;
        self.out.push(b'}');
        Ok(())
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Compound<'w, 'a>, Error> {
        self.out.push(b'[');
        Ok(Compound {
            w: self,
            first: true,
            close: b"]",
        })
    }
    fn serialize_tuple(self, len: usize) -> Result<Compound<'w, 'a>, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        len: usize,
    ) -> Result<Compound<'w, 'a>, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Compound<'w, 'a>, Error> {
        self.out.push(b'{');
        write_str(self.out, variant)?;
        self.out.extend_from_slice(b":[");
        Ok(Compound {
            w: self,
            first: true,
            close: b"]}",
        })
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Compound<'w, 'a>, Error> {
        self.out.push(b'{');
        Ok(Compound {
            w: self,
            first: true,
            close: b"}",
        })
    }
    fn serialize_struct(self, _: &'static str, len: usize) -> Result<Compound<'w, 'a>, Error> {
        self.serialize_map(Some(len))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Compound<'w, 'a>, Error> {
        self.out.push(b'{');
        write_str(self.out, variant)?;
        self.out.extend_from_slice(b":{");
        Ok(Compound {
            w: self,
            first: true,
            close: b"}}",
        })
    }
}

impl ser::SerializeSeq for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Error> {
        self.comma();
        v.serialize(&mut *self.w)
    }
    fn end(self) -> Result<(), Error> {
        Compound::end(self);
        Ok(())
    }
}

impl ser::SerializeTuple for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Error> {
        ser::SerializeSeq::serialize_element(self, v)
    }
    fn end(self) -> Result<(), Error> {
        Compound::end(self);
        Ok(())
    }
}

impl ser::SerializeTupleStruct for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Error> {
        ser::SerializeSeq::serialize_element(self, v)
    }
    fn end(self) -> Result<(), Error> {
        Compound::end(self);
        Ok(())
    }
}

impl ser::SerializeTupleVariant for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Error> {
        ser::SerializeSeq::serialize_element(self, v)
    }
    fn end(self) -> Result<(), Error> {
        Compound::end(self);
        Ok(())
    }
}

impl ser::SerializeMap for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        self.comma();
        key.serialize(KeyWriter { out: self.w.out })?;
        self.w.out.push(b':');
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Error> {
        v.serialize(&mut *self.w)
    }
    fn end(self) -> Result<(), Error> {
        Compound::end(self);
        Ok(())
    }
}

impl ser::SerializeStruct for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        v: &T,
    ) -> Result<(), Error> {
        self.key(key)?;
        v.serialize(&mut *self.w)
    }
    fn end(self) -> Result<(), Error> {
        Compound::end(self);
        Ok(())
    }
}

impl ser::SerializeStructVariant for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        v: &T,
    ) -> Result<(), Error> {
        ser::SerializeStruct::serialize_field(self, key, v)
    }
    fn end(self) -> Result<(), Error> {
        Compound::end(self);
        Ok(())
    }
}

/// A map key: strings as they are; integers, bools and chars quoted, as
/// `serde_json` writes them; anything else is `serde_json`'s own business
/// (it decides what it accepts and what error it gives).
struct KeyWriter<'a> {
    out: &'a mut Vec<u8>,
}

impl KeyWriter<'_> {
    fn quoted(self, digits: &[u8]) -> Result<(), Error> {
        self.out.push(b'"');
        self.out.extend_from_slice(digits);
        self.out.push(b'"');
        Ok(())
    }

    /// A key this writer does not spell itself: `serde_json` writes it (or
    /// refuses it) through a one-entry map, whose braces are cut off.
    fn by_serde_json<T: Serialize + ?Sized>(self, key: &T) -> Result<(), Error> {
        let probe = serde_json::to_vec(&SingleKey(key))?;
        // `{"k":null}` → `"k"`.
        let inner = probe
            .strip_prefix(b"{")
            .and_then(|s| s.strip_suffix(b":null}"))
            .ok_or_else(|| ser::Error::custom("unexpected map key encoding"))?;
        self.out.extend_from_slice(inner);
        Ok(())
    }
}

/// A one-entry map `{key: null}`, to have `serde_json` encode a key.
struct SingleKey<'k, T: ?Sized>(&'k T);

impl<T: Serialize + ?Sized> Serialize for SingleKey<'_, T> {
    fn serialize<S: ser::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use ser::SerializeMap;
        let mut m = s.serialize_map(Some(1))?;
        m.serialize_entry(self.0, &())?;
        m.end()
    }
}

macro_rules! quoted_int_keys {
    ($($name:ident: $t:ty),*) => {$(
        fn $name(self, v: $t) -> Result<(), Error> {
            self.quoted(itoa::Buffer::new().format(v).as_bytes())
        }
    )*};
}

macro_rules! delegated_keys {
    ($($name:ident: $t:ty),*) => {$(
        fn $name(self, v: $t) -> Result<(), Error> {
            self.by_serde_json(&v)
        }
    )*};
}

impl ser::Serializer for KeyWriter<'_> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = ser::Impossible<(), Error>;
    type SerializeTuple = ser::Impossible<(), Error>;
    type SerializeTupleStruct = ser::Impossible<(), Error>;
    type SerializeTupleVariant = ser::Impossible<(), Error>;
    type SerializeMap = ser::Impossible<(), Error>;
    type SerializeStruct = ser::Impossible<(), Error>;
    type SerializeStructVariant = ser::Impossible<(), Error>;

    fn serialize_str(self, v: &str) -> Result<(), Error> {
        write_str(self.out, v)
    }
    fn serialize_char(self, v: char) -> Result<(), Error> {
        write_str(self.out, v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_bool(self, v: bool) -> Result<(), Error> {
        self.quoted(if v { b"true" } else { b"false" })
    }
    quoted_int_keys!(serialize_i8: i8, serialize_i16: i16, serialize_i32: i32,
        serialize_i64: i64, serialize_i128: i128, serialize_u8: u8, serialize_u16: u16,
        serialize_u32: u32, serialize_u64: u64, serialize_u128: u128);
    delegated_keys!(serialize_f32: f32, serialize_f64: f64);
    fn serialize_bytes(self, v: &[u8]) -> Result<(), Error> {
        self.by_serde_json(&serde_bytes_like(v))
    }
    fn serialize_none(self) -> Result<(), Error> {
        self.by_serde_json(&Option::<()>::None)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> Result<(), Error> {
        self.by_serde_json(&Some(v))
    }
    fn serialize_unit(self) -> Result<(), Error> {
        self.by_serde_json(&())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Error> {
        self.by_serde_json(&())
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), Error> {
        write_str(self.out, variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        v: &T,
    ) -> Result<(), Error> {
        v.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<(), Error> {
        Err(key_must_be_a_string())
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Error> {
        Err(key_must_be_a_string())
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Error> {
        Err(key_must_be_a_string())
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, Error> {
        Err(key_must_be_a_string())
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Error> {
        Err(key_must_be_a_string())
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Error> {
        Err(key_must_be_a_string())
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, Error> {
        Err(key_must_be_a_string())
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Error> {
        Err(key_must_be_a_string())
    }
}

fn key_must_be_a_string() -> Error {
    ser::Error::custom("key must be a string")
}

/// Bytes as `serde_json` sees them when a key is made of bytes.
fn serde_bytes_like(v: &[u8]) -> BytesKey<'_> {
    BytesKey(v)
}

struct BytesKey<'b>(&'b [u8]);

impl Serialize for BytesKey<'_> {
    fn serialize<S: ser::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(self.0)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use proptest::prelude::*;
    use serde::Serialize;
    use serde_json::{Value, json};

    use super::to_string;

    fn same<T: Serialize>(v: &T) {
        let want = serde_json::to_string(v);
        let got = to_string(v);
        match (want, got) {
            (Ok(w), Ok(g)) => assert_eq!(g, w),
            (Err(_), Err(_)) => {}
            (w, g) => panic!("serde_json {w:?}, kaiden {g:?}"),
        }
    }

    #[derive(Serialize)]
    struct Unit;

    #[derive(Serialize)]
    struct Tuple(i8, &'static str, Option<u8>);

    #[derive(Serialize)]
    struct Newtype(f32);

    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    enum Kinds {
        Plain,
        Wrapped(Vec<u16>),
        Pair(i128, u128),
        Named {
            a_b: char,
            #[serde(skip_serializing_if = "Option::is_none")]
            gone: Option<i32>,
        },
    }

    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Everything {
        unit: Unit,
        tuple: Tuple,
        newtype: Newtype,
        kinds: Vec<Kinds>,
        bytes: serde_json::Value,
        int_keys: BTreeMap<i64, bool>,
        bool_keys: BTreeMap<bool, ()>,
        char_keys: BTreeMap<char, f64>,
        #[serde(with = "as_bytes")]
        raw: Vec<u8>,
        #[serde(flatten)]
        extra: BTreeMap<String, Value>,
    }

    mod as_bytes {
        pub fn serialize<S: serde::Serializer>(v: &[u8], s: S) -> Result<S::Ok, S::Error> {
            s.serialize_bytes(v)
        }
    }

    #[test]
    fn every_serde_shape_encodes_as_serde_json_encodes_it() {
        same(&Everything {
            unit: Unit,
            tuple: Tuple(-128, "t\u{1}ab\"\\", None),
            newtype: Newtype(0.1),
            kinds: vec![
                Kinds::Plain,
                Kinds::Wrapped(vec![0, 65535]),
                Kinds::Pair(i128::MIN, u128::MAX),
                Kinds::Named {
                    a_b: '\n',
                    gone: None,
                },
                Kinds::Named {
                    a_b: 'é',
                    gone: Some(-1),
                },
            ],
            bytes: json!([1, -2, 3.5, f64::MAX, 1e-300, "x"]),
            int_keys: BTreeMap::from([(-5, true), (i64::MAX, false)]),
            bool_keys: BTreeMap::from([(true, ()), (false, ())]),
            char_keys: BTreeMap::from([('"', f64::NAN), ('k', 2.0), ('\u{7f}', -0.0)]),
            raw: vec![0, 255, 7],
            extra: BTreeMap::from([("x\u{1f}y".to_owned(), json!({"a": [null, {}, []]}))]),
        });
        same(&f64::INFINITY);
        same(&Some(1.5f32));
        same(&"\u{2028}\u{fffd}😀");
        // Keys serde_json refuses are refused.
        same(&BTreeMap::from([(vec![1], 1)]));
        same(&BTreeMap::from([(Some(1), 1)]));
    }

    #[test]
    fn score_documents_encode_as_serde_json_encodes_them() {
        let doc: crate::ScoreDocument = serde_json::from_value(json!({
            "scoreID": "T63ea4c172ec09efc5c9f54a66bd2731d20fce09a26eb5d060666cdd5c2bbb798",
            "userID": 1, "chartID": "00000000000000000000000000000000000e0005", "songID": 1,
            "game": "iidx", "playtype": "SP", "isPrimary": true,
            "service": "kaiden \"example\"\n(BATCH-MANUAL)", "importType": "file/batch-manual",
            "timeAchieved": 1795800000000i64, "timeAdded": 1795859127538i64, "comment": null,
            "highlight": false,
            "scoreData": {"grade": "AA", "lamp": "HARD CLEAR", "percent": 85.71428571428571,
                "score": 2400, "judgements": {"bad": 6, "good": 40, "great": 300, "pgreat": 1050,
                "poor": null}, "optional": {"bp": 16, "gsmEasy": [1.5, null, 2], "enumIndexes": {}},
                "enumIndexes": {"grade": 6, "lamp": 5}},
            "scoreMeta": {"random": "RANDOM", "assist": null},
            "calculatedData": {"BPI": null, "ktLampRating": 11.0}
        }))
        .expect("a score document");
        same(&doc);
    }

    fn values() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            any::<u64>().prop_map(Value::from),
            any::<f64>().prop_map(Value::from),
            (-1e6f64..1e6).prop_map(Value::from),
            ".*".prop_map(Value::from),
            "[a-z\"\\\\\u{0}-\u{1f}\u{7f}é😀]{0,40}".prop_map(Value::from),
        ];
        leaf.prop_recursive(4, 64, 8, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
                prop::collection::vec((".*", inner), 0..8)
                    .prop_map(|kv| Value::Object(kv.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #[test]
        fn any_json_value_encodes_as_serde_json_encodes_it(v in values()) {
            prop_assert_eq!(to_string(&v).ok(), serde_json::to_string(&v).ok());
        }
    }
}
