//! Timestamps as Tachi's converters read them.

/// The milliseconds since the epoch of an ISO-8601 date, as JavaScript's
/// `Date.parse` reads the forms score APIs send: with a zone (`Z`, `+09:00`),
/// or without one (`2024-02-05T00:00:00`, `2024-02-05 00:00:00.5`), which a
/// Tachi server running on UTC reads as UTC. `None` when it is none of them
/// (Tachi's `ParseDateFromString` calls such a timestamp unparsable).
#[must_use]
pub fn parse_js_date(s: &str) -> Option<i64> {
    chrono::DateTime::parse_from_rfc3339(s)
        .map(|t| t.timestamp_millis())
        .or_else(|_| {
            chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f")
                .or_else(|_| chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S%.f"))
                .map(|t| t.and_utc().timestamp_millis())
        })
        .ok()
}

#[cfg(test)]
mod tests {
    use super::parse_js_date;

    #[test]
    fn zoned_and_zoneless_iso_dates() {
        assert_eq!(
            parse_js_date("2024-02-05T00:00:00.000Z"),
            Some(1_707_091_200_000)
        );
        assert_eq!(
            parse_js_date("2022-11-03T04:21:05.000+09:00"),
            Some(1_667_416_865_000)
        );
        assert_eq!(
            parse_js_date("2024-03-23T19:34:10.350+00:00"),
            Some(1_711_222_450_350)
        );
        assert_eq!(
            parse_js_date("2022-05-01T12:00:00"),
            Some(1_651_406_400_000)
        );
        assert_eq!(
            parse_js_date("2022-05-01 12:00:00.5"),
            Some(1_651_406_400_500)
        );
        assert_eq!(parse_js_date("yesterday"), None);
        assert_eq!(parse_js_date(""), None);
    }
}
