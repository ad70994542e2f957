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

/// A record as far as it got before its score is hydrated.
enum Settled {
    /// Decided: outcome, chart and reason.
    Done(&'static str, Option<String>, Option<String>),
    /// A chart was found: the next hydrated score is its.
    Found,
}

/// A score found, to hydrate.
type Found = (Box<PendingScore>, Arc<ChartDocument>, Arc<SongDocument>);

/// A found score's chart, and the score hydrated with its scoreID's digest.
type Hydrated = (String, Result<(u64, Prepared), ConverterFailure>);

/// A hydrated score: its scoreID's digest, its chart, and its validation
/// (not run for a scoreID an earlier batch took).
enum Validated {
    Failed(String, ConverterFailure),
    Taken(u64, String),
    Checked(u64, String, Result<(), ConverterFailure>),
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
    // Per batch, in record order: what each record settled to before its
    // score is hydrated; then, on every core, hydration and the scoreID of
    // each score found, and validation of those this file has not taken
    // yet; then, in record order again, the duplicates and the outcomes.
    let mut settled: Vec<(u64, Option<Position>, Settled)> = Vec::new();
    let mut found: Vec<Found> = Vec::new();
    let mut hydrated: Vec<Hydrated> = Vec::new();
    let mut validated: Vec<Validated> = Vec::new();
    let mut outcomes: Vec<CheckOutcome> = Vec::new();
    // The next batch is parsed and converted (one core) while this one is
    // hydrated and validated (the other, and the first once it is done).
    let mut more = source.next_batch(BATCH_SIZE, &mut batch)?;
    while more {
        let resolutions = resolve_batch(lookup, &batch).await?;
        settled.clear();
        found.clear();
        for (i, (conv, res)) in batch.drain(..).zip(resolutions).enumerate() {
            let position = source.position(i);
            let record = conv.index + 1;
            let outcome = match conv.outcome {
                Err(ConverterFailure::Skip(r)) => Settled::Done("skip", None, Some(r)),
                Err(f @ ConverterFailure::SongOrChartNotFound(_)) => {
                    Settled::Done("orphan", None, Some(f.to_string()))
                }
                Err(f) => Settled::Done("reject", None, Some(f.to_string())),
                Ok(p) => match settle(&p, res) {
                    Ok((chart, song)) => {
                        found.push((p, chart, song));
                        Settled::Found
                    }
                    Err(f) => {
                        let kind = if matches!(f, ConverterFailure::SongOrChartNotFound(_)) {
                            "orphan"
                        } else {
                            "reject"
                        };
                        Settled::Done(kind, None, Some(f.to_string()))
                    }
                },
            };
            settled.push((record, position, outcome));
        }
        // Hydration, validation and the outcomes in record order run beside
        // the next batch's parsing; the outcomes are handed over after.
        let (next, decided) = {
            let (taken, source, batch) = (&mut taken, &mut source, &mut batch);
            let (found, hydrated, validated) = (&mut found, &mut hydrated, &mut validated);
            let (settled, outcomes, report) = (&mut settled, &mut outcomes, &mut report);
            par::join(
                move || source.next_batch(BATCH_SIZE, batch),
                move || {
                    par::map_into(found, hydrated, |(p, chart, song)| {
                        let id = chart.chart_id.clone();
                        let h = prepare(&**format, user, *p, chart, song)
                            .map(|p| (digest(&p.score_id), p));
                        (id, h)
                    });
                    {
                        let taken = &*taken;
                        par::map_into(hydrated, validated, |(id, h)| match h {
                            Err(f) => Validated::Failed(id, f),
                            Ok((d, p)) => {
                                if taken.contains_key(&d) {
                                    Validated::Taken(d, id)
                                } else {
                                    Validated::Checked(d, id, finish(p, user, now).map(|_| ()))
                                }
                            }
                        });
                    }
                    decide(settled, validated, taken, report, outcomes)
                },
            )
        };
        decided?;
        for o in outcomes.drain(..) {
            each(o)?;
        }
        // A fatal error in the next batch comes after this batch's records.
        more = next?;
    }
    Ok(report)
}

/// A batch's outcomes in record order, counted into `report`: records
/// settled before hydration, and the found scores' validations in their
/// order. A scoreID already taken from this file is a duplicate before it is
/// validated (the import's order); a score is taken once it passes.
fn decide(
    settled: &mut Vec<(u64, Option<Position>, Settled)>,
    validated: &mut Vec<Validated>,
    taken: &mut HashMap<u64, u64>,
    report: &mut CheckReport,
    outcomes: &mut Vec<CheckOutcome>,
) -> Result<(), ImportError> {
    let mut results = validated.drain(..);
    for (record, position, outcome) in settled.drain(..) {
        let (outcome, chart_id, reason) = match outcome {
            Settled::Done(kind, chart, reason) => (kind, chart, reason),
            Settled::Found => match results.next() {
                None => {
                    return Err(ImportError::internal("check lost a hydrated score"));
                }
                Some(Validated::Failed(id, ConverterFailure::Skip(r))) => {
                    ("skip", Some(id), Some(r))
                }
                Some(Validated::Failed(id, f)) => ("reject", Some(id), Some(f.to_string())),
                Some(Validated::Taken(d, id) | Validated::Checked(d, id, _))
                    if taken.contains_key(&d) =>
                {
                    let first = taken.get(&d).copied().unwrap_or_default();
                    (
                        "skip",
                        Some(id),
                        Some(format!(
                            "a duplicate of record {first} (the same scoreID): not imported"
                        )),
                    )
                }
                Some(Validated::Taken(_, id)) => {
                    return Err(ImportError::internal(format!(
                        "check lost the first score on {id}"
                    )));
                }
                Some(Validated::Checked(d, id, Ok(()))) => {
                    taken.insert(d, record);
                    ("import", Some(id), None)
                }
                Some(Validated::Checked(_, id, Err(ConverterFailure::Skip(r)))) => {
                    ("skip", Some(id), Some(r))
                }
                Some(Validated::Checked(_, id, Err(f))) => {
                    ("reject", Some(id), Some(f.to_string()))
                }
            },
        };
        match outcome {
            "import" => report.import += 1,
            "orphan" => report.orphan += 1,
            "skip" => report.skip += 1,
            _ => report.reject += 1,
        }
        outcomes.push(CheckOutcome {
            record,
            position,
            outcome,
            chart_id,
            reason,
        });
    }
    Ok(())
}
