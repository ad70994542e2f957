//! Request-body schemas checked as Tachi checks them with `prudence` 0.10.0, and
//! its error texts: the score hooks answer a malformed body with these messages,
//! so clients (and Tachi's tests) see the same words.
//!
//! A [`Schema`] is checked against a `serde_json::Value` key by key in schema
//! order; the first failure is returned as a [`PrudenceError`] (message, key
//! chain, the value found). [`PrudenceError::format`] is Tachi's `FormatPrError`
//! and [`PrudenceError::route_format`] its route formatter.
//!
//! Numbers follow JavaScript: an integer is any finite number without a
//! fraction up to 2^53 − 1 (`1.0` is one), as `Number.isSafeInteger` says.

use serde_json::{Map, Value};

use crate::stable_json::write_js_number;

/// How one value is checked.
#[derive(Debug, Clone)]
pub enum Schema {
    /// prudence's `typeof` strings: `"string"`, `"boolean"`, `"number"`,
    /// `"object"`, with `*` (may be absent) and `?` (may be null) prefixes.
    Type(&'static str),
    /// `p.isPositiveInteger`: an integer ≥ 0.
    PositiveInteger,
    /// `p.isInteger`.
    Integer,
    /// `p.isBoundedInteger(lo, hi)`.
    BoundedInteger(i64, i64),
    /// `p.isPositive`: a number ≥ 0.
    Positive,
    /// `p.isBetween(lo, hi)`: any number in the range.
    Between(f64, f64),
    /// `p.isIn(...)` over strings.
    InStr(&'static [&'static str]),
    /// `p.isIn(...)` over numbers.
    InNum(&'static [i64]),
    /// `p.is(n)` (no message of its own).
    IsNum(f64),
    /// `p.any`.
    Any,
    /// `p.optional(s)`: absent, or `s`.
    Optional(Box<Schema>),
    /// `p.nullable(s)`: null, or `s`.
    Nullable(Box<Schema>),
    /// `p.or(a, b, ...)`.
    AnyOf(Vec<Schema>),
    /// `[s]`: an array whose every element is `s`.
    Array(Box<Schema>),
    /// A nested object; excess keys follow the options of the whole check.
    Object(Vec<Field>),
    /// A custom check: `Err(message)` on failure.
    Custom(fn(Option<&Value>) -> Result<(), &'static str>),
}

/// One key of an object schema, with an optional custom message.
#[derive(Debug, Clone)]
pub struct Field {
    /// The key.
    pub key: &'static str,
    /// Its schema.
    pub schema: Schema,
    /// A message replacing the schema's own when it fails.
    pub message: Option<&'static str>,
}

impl Schema {
    /// `p.optional(p.nullable(s))` (Tachi's `optNull`).
    #[must_use]
    pub fn opt_null(s: Schema) -> Schema {
        Schema::Optional(Box::new(Schema::Nullable(Box::new(s))))
    }

    /// `p.optional(s)`.
    #[must_use]
    pub fn optional(s: Schema) -> Schema {
        Schema::Optional(Box::new(s))
    }

    /// `[s]`.
    #[must_use]
    pub fn array(s: Schema) -> Schema {
        Schema::Array(Box::new(s))
    }
}

/// A field of an object schema.
#[must_use]
pub fn field(key: &'static str, schema: Schema) -> Field {
    Field {
        key,
        schema,
        message: None,
    }
}

/// A field with a custom failure message.
#[must_use]
pub fn field_msg(key: &'static str, schema: Schema, message: &'static str) -> Field {
    Field {
        key,
        schema,
        message: Some(message),
    }
}

/// The first failure of a check.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{}", self.format("Error"))]
pub struct PrudenceError {
    /// prudence's message, e.g. `Expected a positive integer.`.
    pub message: String,
    /// Where: `scores[0].clear`, `["2dx-gsm"].EASY[3]`; `None` for the root.
    pub keychain: Option<String>,
    /// The value found there; `None` when it is absent (`undefined`).
    pub value: Option<Value>,
}

/// JavaScript's `String(v)` of a primitive.
fn js_string(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => {
            let mut out = String::new();
            write_js_number(&mut out, n.as_f64().unwrap_or(f64::NAN));
            out
        }
        Value::Bool(b) => b.to_string(),
        Value::Null => "null".to_owned(),
        Value::Array(_) | Value::Object(_) => "[object Object]".to_owned(),
    }
}

impl PrudenceError {
    /// Tachi's `FormatPrError(err, foreword)` (the server's):
    /// `{foreword}: {keychain} | {message} | Received {value} [type: {type}].`
    /// (objects and arrays are not shown).
    #[must_use]
    pub fn format(&self, foreword: &str) -> String {
        self.format_with(foreword, "type: ")
    }

    /// `tachi-common`'s `FormatPrError` (API parsers use it): as
    /// [`format`](Self::format) with `[{type}]` instead of `[type: {type}]`.
    #[must_use]
    pub fn format_common(&self, foreword: &str) -> String {
        self.format_with(foreword, "")
    }

    fn format_with(&self, foreword: &str, type_label: &str) -> String {
        let received = match &self.value {
            None => format!(" | Received undefined [{type_label}undefined]"),
            Some(Value::Array(_) | Value::Object(_)) => String::new(),
            Some(v) => {
                let ty = match v {
                    Value::Null => "null",
                    Value::String(_) => "string",
                    Value::Number(_) => "number",
                    _ => "boolean",
                };
                format!(" | Received {} [{type_label}{ty}]", js_string(v))
            }
        };
        format!(
            "{foreword}: {} | {}{received}.",
            self.keychain.as_deref().unwrap_or("null"),
            self.message
        )
    }

    /// Tachi's route formatter (`PrudenceErrorFormatter(message,
    /// String(userVal), keychain)`): `[{keychain}] {message} (Received {value})`,
    /// the value cut to 100 characters.
    #[must_use]
    pub fn route_format(&self) -> String {
        let shown = self
            .value
            .as_ref()
            .map_or_else(|| "undefined".to_owned(), js_string);
        let shown = if shown.chars().count() < 100 {
            shown
        } else {
            let cut: String = shown.chars().take(97).collect();
            format!("{cut}...")
        };
        format!(
            "[{}] {} (Received {shown})",
            self.keychain.as_deref().unwrap_or("null"),
            self.message
        )
    }
}

impl PrudenceError {
    /// Tachi's validation middleware (`prValidate`'s error handler): like
    /// [`route_format`](Self::route_format), but an absent value reads
    /// `nothing (undefined)` and an object or array is not shown.
    #[must_use]
    pub fn middleware_format(&self) -> String {
        let shown = match &self.value {
            None => Some("nothing (undefined)".to_owned()),
            Some(Value::Array(_) | Value::Object(_)) => None,
            Some(v) => Some(js_string(v)),
        };
        let keychain = self.keychain.as_deref().unwrap_or("null");
        match shown.filter(|s| !s.is_empty()) {
            None => format!("[{keychain}] {}", self.message),
            Some(s) => {
                let s = if s.chars().count() < 100 {
                    s
                } else {
                    format!("{}...", s.chars().take(97).collect::<String>())
                };
                format!("[{keychain}] {} (Received {s})", self.message)
            }
        }
    }
}

/// Checks `value` against an object schema (prudence's `p(value, schema, {},
/// {allowExcessKeys})`).
///
/// # Errors
/// The first rule broken.
pub fn check(value: &Value, fields: &[Field], allow_excess: bool) -> Result<(), PrudenceError> {
    check_opt(Some(value), fields, allow_excess)
}

/// [`check`] of a value that may be absent (`undefined`), as Tachi checks a
/// body's sub-object (`p(body.score, ...)`).
///
/// # Errors
/// The first rule broken.
pub fn check_opt(
    value: Option<&Value>,
    fields: &[Field],
    allow_excess: bool,
) -> Result<(), PrudenceError> {
    let mut chain = Vec::new();
    match check_object(value, fields, allow_excess, &mut chain, true) {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

/// The safe integer at `key` of a record its schema already checked; an
/// invalid-score failure naming the key otherwise (a converter's guard).
///
/// # Errors
/// The key is absent or not a safe integer.
pub fn int_field(v: &Value, key: &str) -> Result<i64, crate::failure::ConverterFailure> {
    v.get(key)
        .and_then(safe_integer)
        .ok_or_else(|| crate::failure::ConverterFailure::InvalidScore(format!("Invalid {key}.")))
}

/// A JavaScript safe integer.
#[must_use]
pub fn safe_integer(v: &Value) -> Option<i64> {
    if let Some(i) = v.as_i64() {
        return (i.unsigned_abs() < (1 << 53)).then_some(i);
    }
    let f = v.as_f64()?;
    (f.is_finite() && f.fract() == 0.0 && f.abs() <= 9_007_199_254_740_991.0).then_some(f as i64)
}

fn keychain(chain: &[String]) -> Option<String> {
    let (first, rest) = chain.split_first()?;
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let starts_digit = |s: &str| s.bytes().next().is_some_and(|b| b.is_ascii_digit());
    let mut out = if first.contains('.') {
        format!("[\"{first}\"]")
    } else if digits(first) {
        format!("[{first}]")
    } else if starts_digit(first) {
        format!("[\"{first}\"]")
    } else {
        first.clone()
    };
    for k in rest {
        if k.contains('.') {
            out.push_str(&format!("[\"{k}\"]"));
        } else if starts_digit(k) {
            out.push_str(&format!("[{k}]"));
        } else {
            out.push('.');
            out.push_str(k);
        }
    }
    Some(out)
}

fn error(message: impl Into<String>, chain: &[String], value: Option<&Value>) -> PrudenceError {
    PrudenceError {
        message: message.into(),
        keychain: keychain(chain),
        value: value.cloned(),
    }
}

fn check_object(
    value: Option<&Value>,
    fields: &[Field],
    allow_excess: bool,
    chain: &mut Vec<String>,
    root: bool,
) -> Option<PrudenceError> {
    let Some(Value::Object(map)) = value else {
        let message = if root {
            "Non-object provided for validation."
        } else {
            "Object does not match structure of schema, expected this location to have an object."
        };
        return Some(error(message, chain, value));
    };
    for f in fields {
        chain.push(f.key.to_owned());
        let e = check_value(map.get(f.key), &f.schema, f.message, allow_excess, chain);
        chain.pop();
        if e.is_some() {
            return e;
        }
    }
    if allow_excess {
        return None;
    }
    excess_keys(map, fields, chain)
}

fn excess_keys(
    map: &Map<String, Value>,
    fields: &[Field],
    chain: &[String],
) -> Option<PrudenceError> {
    let extra: Vec<&str> = map
        .keys()
        .filter(|k| !fields.iter().any(|f| f.key == k.as_str()))
        .map(String::as_str)
        .collect();
    (!extra.is_empty()).then(|| {
        error(
            format!("Unexpected properties inside object: {}.", extra.join(", ")),
            chain,
            Some(&Value::Object(map.clone())),
        )
    })
}

/// One value: prudence's `ValidateObjectValue`.
fn check_value(
    value: Option<&Value>,
    schema: &Schema,
    message: Option<&'static str>,
    allow_excess: bool,
    chain: &mut Vec<String>,
) -> Option<PrudenceError> {
    match schema {
        Schema::Array(inner) => {
            let Some(Value::Array(items)) = value else {
                return Some(error("Value was not an array.", chain, value));
            };
            for (i, item) in items.iter().enumerate() {
                chain.push(i.to_string());
                let e = check_value(Some(item), inner, message, allow_excess, chain);
                chain.pop();
                if e.is_some() {
                    return e;
                }
            }
            None
        }
        Schema::Object(fields) => check_object(value, fields, allow_excess, chain, false),
        _ => match validate(value, schema, allow_excess, chain) {
            Outcome::Ok => None,
            Outcome::Nested(e) => Some(e),
            Outcome::Failed(own) => {
                let text = match (message, own) {
                    (Some(m), _) => m.to_owned(),
                    (None, Some(m)) => m,
                    (None, None) => match schema {
                        Schema::Type(t) => type_message(t),
                        _ => "Invalid Input, but no error message is available.".to_owned(),
                    },
                };
                Some(error(text, chain, value))
            }
        },
    }
}

fn type_message(t: &str) -> String {
    if t.starts_with("*?") {
        format!("Expected {t}, null or no value.")
    } else if t.starts_with('*') {
        format!("Expected {t} or no value.")
    } else if t.starts_with('?') {
        format!("Expected {t} or null.")
    } else {
        format!("Expected {t}.")
    }
}

enum Outcome {
    Ok,
    /// Failed, with the validator's own message (or none).
    Failed(Option<String>),
    /// A nested schema failed with its own error.
    Nested(PrudenceError),
}

fn bool_outcome(ok: bool, message: impl FnOnce() -> String) -> Outcome {
    if ok {
        Outcome::Ok
    } else {
        Outcome::Failed(Some(message()))
    }
}

fn nested(
    value: Option<&Value>,
    schema: &Schema,
    allow_excess: bool,
    chain: &mut Vec<String>,
) -> Outcome {
    match check_value(value, schema, None, allow_excess, chain) {
        None => Outcome::Ok,
        Some(e) => Outcome::Nested(e),
    }
}

fn validate(
    value: Option<&Value>,
    schema: &Schema,
    allow_excess: bool,
    chain: &mut Vec<String>,
) -> Outcome {
    let number = value.and_then(Value::as_f64);
    let int = value.and_then(safe_integer);
    match schema {
        Schema::Type(t) => {
            let mut t = *t;
            if let Some(rest) = t.strip_prefix('*') {
                if value.is_none() {
                    return Outcome::Ok;
                }
                t = rest;
            }
            if let Some(rest) = t.strip_prefix('?') {
                if matches!(value, Some(Value::Null)) {
                    return Outcome::Ok;
                }
                t = rest;
            }
            let ok = match (t, value) {
                ("null", v) => matches!(v, Some(Value::Null)),
                ("object", v) => matches!(v, Some(Value::Object(_) | Value::Array(_))),
                ("string", v) => matches!(v, Some(Value::String(_))),
                ("number", v) => matches!(v, Some(Value::Number(_))),
                ("boolean", v) => matches!(v, Some(Value::Bool(_))),
                ("undefined", v) => v.is_none(),
                _ => false,
            };
            if ok {
                Outcome::Ok
            } else {
                Outcome::Failed(None)
            }
        }
        Schema::PositiveInteger => bool_outcome(int.is_some_and(|i| i >= 0), || {
            "Expected a positive integer.".to_owned()
        }),
        Schema::Integer => bool_outcome(int.is_some(), || "Expected an integer.".to_owned()),
        Schema::BoundedInteger(lo, hi) => {
            bool_outcome(int.is_some_and(|i| (*lo..=*hi).contains(&i)), || {
                format!("Expected an integer between {lo} and {hi}.")
            })
        }
        Schema::Between(lo, hi) => {
            bool_outcome(number.is_some_and(|n| n >= *lo && n <= *hi), || {
                let mut l = String::new();
                let mut h = String::new();
                write_js_number(&mut l, *lo);
                write_js_number(&mut h, *hi);
                format!("Expected a number between {l} and {h}.")
            })
        }
        Schema::Positive => bool_outcome(number.is_some_and(|n| n >= 0.0), || {
            "Expected a positive number.".to_owned()
        }),
        Schema::InStr(values) => bool_outcome(
            value
                .and_then(Value::as_str)
                .is_some_and(|s| values.contains(&s)),
            || format!("Expected any of {}.", values.join(", ")),
        ),
        #[allow(clippy::cast_precision_loss)]
        Schema::InNum(values) => bool_outcome(
            number.is_some_and(|n| values.iter().any(|v| *v as f64 == n)),
            || {
                let list: Vec<String> = values.iter().map(ToString::to_string).collect();
                format!("Expected any of {}.", list.join(", "))
            },
        ),
        Schema::IsNum(n) => {
            if number.is_some_and(|x| {
                x == *n && (x != 0.0 || x.is_sign_positive() == n.is_sign_positive())
            }) {
                Outcome::Ok
            } else {
                Outcome::Failed(None)
            }
        }
        Schema::Any => Outcome::Ok,
        Schema::Optional(inner) => match value {
            None => Outcome::Ok,
            Some(_) => nested(value, inner, allow_excess, chain),
        },
        Schema::Nullable(inner) => match value {
            Some(Value::Null) => Outcome::Ok,
            _ => nested(value, inner, allow_excess, chain),
        },
        Schema::AnyOf(options) => {
            for o in options {
                if check_value(value, o, None, allow_excess, chain).is_none() {
                    return Outcome::Ok;
                }
            }
            Outcome::Failed(Some(
                "The input was invalid, but no error message is available.".to_owned(),
            ))
        }
        Schema::Custom(f) => match f(value) {
            Ok(()) => Outcome::Ok,
            Err(m) => Outcome::Failed(Some(m.to_owned())),
        },
        Schema::Array(_) | Schema::Object(_) => nested(value, schema, allow_excess, chain),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use serde_json::json;

    fn schema() -> Vec<Field> {
        vec![
            field("chart", Schema::InStr(&["spa", "spn"])),
            field("ex_score", Schema::PositiveInteger),
            field("gauge", Schema::array(Schema::BoundedInteger(0, 255))),
            field("custom", Schema::Type("*boolean")),
            field(
                "2dx-gsm",
                Schema::optional(Schema::Object(vec![field(
                    "EASY",
                    Schema::array(Schema::BoundedInteger(0, 255)),
                )])),
            ),
            field(
                "miss",
                Schema::opt_null(Schema::AnyOf(vec![
                    Schema::PositiveInteger,
                    Schema::IsNum(-1.0),
                ])),
            ),
            field_msg("autoScr", Schema::IsNum(0.0), "No auto scratch."),
            // A custom message does not reach inside `optional` (prudence).
            field_msg("rseed", Schema::optional(Schema::IsNum(0.0)), "unused"),
        ]
    }

    fn err(v: Value, excess: bool) -> String {
        check(&v, &schema(), excess).map_or_else(|e| e.format("Invalid"), |()| "ok".to_owned())
    }

    #[test]
    fn messages_are_prudences() {
        let ok = json!({"chart": "spa", "ex_score": 1.0, "gauge": [1, 2], "autoScr": 0});
        assert_eq!(err(ok.clone(), true), "ok");
        assert_eq!(
            err(json!({"chart": "x"}), true),
            "Invalid: chart | Expected any of spa, spn. | Received x [type: string]."
        );
        assert_eq!(
            err(json!({"chart": "spa", "ex_score": -1}), true),
            "Invalid: ex_score | Expected a positive integer. | Received -1 [type: number]."
        );
        assert_eq!(
            err(json!({"chart": "spa", "ex_score": 0.5}), true),
            "Invalid: ex_score | Expected a positive integer. | Received 0.5 [type: number]."
        );
        assert_eq!(
            err(json!({"chart": "spa"}), true),
            "Invalid: ex_score | Expected a positive integer. | Received undefined [type: undefined]."
        );
        assert_eq!(
            err(
                json!({"chart": "spa", "ex_score": 1, "gauge": [1, 256]}),
                true
            ),
            "Invalid: gauge[1] | Expected an integer between 0 and 255. | Received 256 [type: number]."
        );
        assert_eq!(
            err(json!({"chart": "spa", "ex_score": 1, "gauge": {}}), true),
            "Invalid: gauge | Value was not an array.."
        );
        assert_eq!(
            err(
                json!({"chart": "spa", "ex_score": 1, "gauge": [], "custom": "x"}),
                true
            ),
            "Invalid: custom | Expected *boolean or no value. | Received x [type: string]."
        );
        assert_eq!(
            err(
                json!({"chart": "spa", "ex_score": 1, "gauge": [], "2dx-gsm": {"EASY": [300]}}),
                true
            ),
            "Invalid: [\"2dx-gsm\"].EASY[0] | Expected an integer between 0 and 255. | Received 300 [type: number]."
        );
        assert_eq!(
            err(
                json!({"chart": "spa", "ex_score": 1, "gauge": [], "miss": "foo"}),
                true
            ),
            "Invalid: miss | The input was invalid, but no error message is available. | Received foo [type: string]."
        );
        assert_eq!(
            err(
                json!({"chart": "spa", "ex_score": 1, "gauge": [], "miss": -1, "autoScr": 0}),
                true
            ),
            "ok"
        );
        assert_eq!(
            err(
                json!({"chart": "spa", "ex_score": 1, "gauge": [], "miss": null, "autoScr": 0}),
                true
            ),
            "ok"
        );
        assert_eq!(
            err(
                json!({"chart": "spa", "ex_score": 1, "gauge": [], "autoScr": 1}),
                true
            ),
            "Invalid: autoScr | No auto scratch. | Received 1 [type: number]."
        );
        assert_eq!(
            err(
                json!({"chart": "spa", "ex_score": 1, "gauge": [], "autoScr": 0, "rseed": 1}),
                true
            ),
            "Invalid: rseed | Invalid Input, but no error message is available. | Received 1 [type: number]."
        );
        let mut extra = ok;
        extra["autoScr"] = json!(0);
        extra["foo"] = json!(1);
        extra["bar"] = json!(2);
        assert_eq!(err(extra.clone(), true), "ok");
        assert_eq!(
            err(extra, false),
            "Invalid: null | Unexpected properties inside object: foo, bar.."
        );
        assert_eq!(
            err(json!([1]), true),
            "Invalid: null | Non-object provided for validation.."
        );
    }

    #[test]
    fn the_route_formatter_shows_the_value_as_a_string() {
        let e = check(
            &json!({"course_id": 20}),
            &[field("course_id", Schema::BoundedInteger(0, 18))],
            true,
        )
        .unwrap_err();
        assert_eq!(
            e.route_format(),
            "[course_id] Expected an integer between 0 and 18. (Received 20)"
        );
        let e = check(&json!({}), &[field("c", Schema::Type("boolean"))], true).unwrap_err();
        assert_eq!(
            e.route_format(),
            "[c] Expected boolean. (Received undefined)"
        );
    }

    #[test]
    fn integers_are_javascripts_safe_integers() {
        assert_eq!(safe_integer(&json!(3.0)), Some(3));
        assert_eq!(safe_integer(&json!(9_007_199_254_740_992_u64)), None);
        assert_eq!(safe_integer(&json!(-5)), Some(-5));
        assert_eq!(safe_integer(&json!("5")), None);
        assert_eq!(safe_integer(&json!(1e300)), None);
    }
}
