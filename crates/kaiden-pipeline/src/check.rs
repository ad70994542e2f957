//! Dry runs: every step up to storing, writing nothing.

use super::*;

/// What a dry run found for one record.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CheckOutcome {
    /// 1-based record number.
    pub record: u64,
    /// Where it is in the file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub position: Option<Position>,
    /// `import`, `orphan`, `reject` or `skip`.
    pub outcome: &'static str,
    /// The chart it resolved to.
    #[serde(rename = "chartID", skip_serializing_if = "Option::is_none")]
    pub chart_id: Option<String>,
    /// Why it is not imported.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// A dry run's findings.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct CheckReport {
    /// One entry per record.
    pub records: Vec<CheckOutcome>,
    /// Records that would be imported.
    pub import: u64,
    /// Records that would become orphans.
    pub orphan: u64,
    /// Records that would be rejected.
    pub reject: u64,
    /// Records skipped (nothing to import).
    pub skip: u64,
}

/// Parses, converts, resolves, hydrates and validates without writing anything.
/// A record repeating a scoreID this file already imports is a `skip`, as the
/// import drops it; duplicates of stored scores are not detected (that needs
/// the user's store).
pub async fn check<L: ChartLookup>(
    lookup: &L,
    registry: &Registry,
    import_type: ImportType,
    input: &ImportInput<'_>,
    user: UserId,
) -> Result<CheckReport, ImportError> {
    let mut records = Vec::new();
    let mut report = check_each(lookup, registry, import_type, input, user, &mut |o| {
        records.push(o);
        Ok(())
    })
    .await?;
    report.records = records;
    Ok(report)
}

/// [`check`], handing each record's outcome to `each` as it is decided
/// instead of keeping them: memory stays flat in the file's size (what
/// `kaiden check` prints from). The report it returns has the counts and no
/// records. An error from `each` (a closed output, say) ends the run.
pub async fn check_each<L: ChartLookup>(
    lookup: &L,
    registry: &Registry,
    import_type: ImportType,
    input: &ImportInput<'_>,
    user: UserId,
    each: &mut dyn FnMut(CheckOutcome) -> Result<(), ImportError>,
) -> Result<CheckReport, ImportError> {
    let format = registry.require(import_type)?;
    let whole = crate::registry::whole_stream(&**format, import_type, input, WHOLE_INPUT_LIMIT)?;
    let input = crate::registry::with_bytes(input, whole.as_deref());
    let mut source = format.open(import_type, &input, user)?;
    let mut report = CheckReport::default();
    let mut batch = Vec::new();
    let now = now_ms();
    // The scoreIDs this file would import (as 64-bit digests: a 50 MB file
    // has a million), with their record numbers.
    let mut taken: HashMap<u64, u64> = HashMap::new();
    let digest = |id: &str| {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        id.hash(&mut h);
        h.finish()
    };
    while source.next_batch(BATCH_SIZE, &mut batch)? {
        let resolutions = resolve_batch(lookup, &batch).await?;
        for (i, (conv, res)) in batch.drain(..).zip(resolutions).enumerate() {
            let position = source.position(i);
            let outcome = conv.outcome.map(|p| {
                let settled = settle(&p, res);
                (p, settled)
            });
            let (outcome, chart_id, reason) = match outcome {
                Err(ConverterFailure::Skip(r)) => ("skip", None, Some(r)),
                Err(f @ ConverterFailure::SongOrChartNotFound(_)) => {
                    ("orphan", None, Some(f.to_string()))
                }
                Err(f) => ("reject", None, Some(f.to_string())),
                Ok((p, Ok((chart, song)))) => {
                    let id = chart.chart_id.clone();
                    let record = conv.index + 1;
                    // The import's order: a scoreID already taken from this
                    // file is a duplicate before it is validated; a score is
                    // taken once it passes validation.
                    let finished =
                        prepare(&**format, user, p, chart, song).and_then(|p| {
                            match taken.get(&digest(&p.score_id)) {
                                Some(first) => Ok(Err(*first)),
                                None => {
                                    let score_id = digest(&p.score_id);
                                    finish(p, user, now).map(|_| Ok(score_id))
                                }
                            }
                        });
                    match finished {
                        Ok(Ok(score_id)) => {
                            taken.insert(score_id, record);
                            ("import", Some(id), None)
                        }
                        Ok(Err(first)) => (
                            "skip",
                            Some(id),
                            Some(format!(
                                "a duplicate of record {first} (the same scoreID): not imported"
                            )),
                        ),
                        Err(ConverterFailure::Skip(r)) => ("skip", Some(id), Some(r)),
                        Err(f) => ("reject", Some(id), Some(f.to_string())),
                    }
                }
                Ok((_, Err(f))) => {
                    let kind = if matches!(f, ConverterFailure::SongOrChartNotFound(_)) {
                        "orphan"
                    } else {
                        "reject"
                    };
                    (kind, None, Some(f.to_string()))
                }
            };
            match outcome {
                "import" => report.import += 1,
                "orphan" => report.orphan += 1,
                "skip" => report.skip += 1,
                _ => report.reject += 1,
            }
            each(CheckOutcome {
                record: conv.index + 1,
                position,
                outcome,
                chart_id,
                reason,
            })?;
        }
    }
    Ok(report)
}
