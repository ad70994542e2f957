//! The external processor's workers: take a job from the host's queue, run it,
//! record how it ended.

use std::sync::Arc;
use std::time::Duration;

use kaiden::core::ImportErrorKind;
use kaiden::core::format::ImportInput;
use kaiden::pipeline::{self, ImportProgress, ImportRequest};
use kaiden::service::QueuedImport;

use crate::{App, ServerHost, blocking};

/// Tachi's answer when an import never got the user's lock.
const GAVE_UP: &str = "Couldn't get an import through in the past 6 hours, at all.";
const CRASHED: &str =
    "An internal service error has occured with this import. This has been reported!";

/// One worker: forever, claim a job and run it; sleep when the queue is empty.
pub(crate) async fn run<H: ServerHost>(app: Arc<App<H>>, n: usize) {
    let lease_ms = i64::try_from(app.config.lease.as_millis()).unwrap_or(i64::MAX);
    loop {
        // A job's bytes go straight to a temporary file when large (the
        // import streams them from there), never whole in memory.
        let claimed = blocking(&app.host, move |h| async move {
            let mut taken = crate::spool::Writer::default();
            let job = h.claim_import_into(lease_ms, &mut taken).await?;
            Ok::<_, kaiden::core::host::HostError>(job.map(|j| (j, taken)))
        })
        .await;
        match claimed {
            Ok(Ok(Some((job, taken)))) => match taken.finish() {
                Ok(upload) => process(&app, job, upload).await,
                // Its lease runs out and it is claimed again.
                Err(e) => eprintln!(
                    "kaiden-server: worker {n}: cannot keep the upload of {}: {e}",
                    job.import_id
                ),
            },
            Ok(Ok(None)) => {
                tokio::select! {
                    () = app.queued.notified() => {}
                    () = app.host.jobs_queued_elsewhere() => {}
                    () = tokio::time::sleep(app.config.poll_interval) => {}
                }
            }
            Ok(Err(e)) => {
                eprintln!("kaiden-server: worker {n}: cannot claim a job: {e}");
                tokio::time::sleep(app.config.poll_interval).await;
            }
            Err(e) => {
                eprintln!("kaiden-server: worker {n}: {e}");
                tokio::time::sleep(app.config.poll_interval).await;
            }
        }
    }
}

/// How a job ended.
enum Outcome {
    Completed,
    /// The user's import lock was held: try again later (Tachi's backoff).
    LockHeld,
    /// The store was busy (503): nothing was written; try again later, as
    /// for a held lock, and fail with the store's answer when tries run out.
    Busy(String),
    Failed(u16, String),
}

async fn process<H: ServerHost>(
    app: &Arc<App<H>>,
    job: QueuedImport,
    upload: crate::spool::Upload,
) {
    let id = job.import_id.clone();
    let (runs, lock_retries) = (job.runs, job.lock_retries);
    app.set_progress(&id, Some("Importing Scores.".to_owned()));
    let worker_app = Arc::clone(app);
    let outcome = blocking(&app.host, move |host| async move {
        if runs > worker_app.config.max_runs {
            return Outcome::Failed(500, CRASHED.to_owned());
        }
        // An earlier run committed the import but died before marking the job.
        match host.import_document(&job.import_id).await {
            Ok(Some(_)) => return Outcome::Completed,
            Ok(None) => {}
            // The store is unavailable for now (restarting): tried again later.
            Err(e @ kaiden::core::host::HostError::Busy(_)) => {
                return Outcome::Busy(e.to_string());
            }
            Err(e) => return Outcome::Failed(500, e.to_string()),
        }
        let progress_app = Arc::clone(&worker_app);
        let progress_id = job.import_id.clone();
        let progress = move |p: &ImportProgress| {
            progress_app.set_progress(&progress_id, Some(p.description()));
        };
        let (bytes, stream) = upload.as_input();
        let request = ImportRequest {
            import_type: job.import_type,
            user: job.user,
            user_intent: job.user_intent,
            input: ImportInput {
                bytes,
                stream,
                filename: job.filename,
                fields: job.fields,
                headers: job.headers,
            },
            import_id: Some(job.import_id.clone()),
        };
        let (user, import_type, started) = (job.user, job.import_type, std::time::Instant::now());
        let result = pipeline::import_observed(
            &*host,
            &worker_app.registry,
            request,
            &progress,
            &worker_app.webhooks,
        )
        .await;
        crate::log::import(user, import_type, "external", started, result.as_ref());
        match result {
            Ok(_) => Outcome::Completed,
            Err(e) if e.kind() == ImportErrorKind::LockHeld => Outcome::LockHeld,
            Err(e) if e.kind() == ImportErrorKind::Unavailable => Outcome::Busy(e.to_string()),
            Err(e) => Outcome::Failed(e.http_status(), e.to_string()),
        }
    })
    .await
    .unwrap_or_else(|e| Outcome::Failed(500, e.to_string()));
    let mark = match outcome {
        Outcome::Completed => {
            let id = id.clone();
            blocking(
                &app.host,
                move |h| async move { h.complete_import(&id).await },
            )
            .await
        }
        Outcome::LockHeld | Outcome::Busy(_) if lock_retries + 1 < app.config.lock_tries => {
            let delay = backoff(app.config.lock_backoff, lock_retries + 1);
            let id = id.clone();
            blocking(&app.host, move |h| async move {
                h.requeue_import(&id, delay).await
            })
            .await
        }
        Outcome::LockHeld => {
            let id = id.clone();
            blocking(&app.host, move |h| async move {
                h.fail_import(&id, 409, GAVE_UP).await
            })
            .await
        }
        Outcome::Busy(message) => {
            let id = id.clone();
            blocking(&app.host, move |h| async move {
                h.fail_import(&id, 503, &message).await
            })
            .await
        }
        Outcome::Failed(status, message) => {
            let id = id.clone();
            blocking(&app.host, move |h| async move {
                h.fail_import(&id, status, &message).await
            })
            .await
        }
    };
    match mark {
        Ok(Ok(())) => {}
        Ok(Err(e)) => eprintln!("kaiden-server: cannot record the end of import {id}: {e}"),
        Err(e) => eprintln!("kaiden-server: cannot record the end of import {id}: {e}"),
    }
    app.set_progress(&id, None);
}

/// Tachi's wait after try `n` found the user locked: `random() × base × 4^n`, in ms.
fn backoff(base: Duration, n: u32) -> i64 {
    let mut r = [0u8; 4];
    let unit = if getrandom::fill(&mut r).is_ok() {
        f64::from(u32::from_le_bytes(r)) / f64::from(u32::MAX)
    } else {
        0.5
    };
    let max = base.as_millis() as f64 * 4f64.powi(i32::try_from(n).unwrap_or(i32::MAX));
    (unit * max) as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_by_four_per_try_and_stays_under_its_ceiling() {
        let base = Duration::from_secs(1);
        for n in 1..=7 {
            let ceiling = 1000.0 * 4f64.powi(n as i32);
            for _ in 0..50 {
                let d = backoff(base, n) as f64;
                assert!((0.0..=ceiling).contains(&d), "try {n}: {d} > {ceiling}");
            }
        }
        assert_eq!(backoff(Duration::ZERO, 3), 0);
    }
}
