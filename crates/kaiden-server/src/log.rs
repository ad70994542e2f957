//! Structured logs (`tracing`): one event per request and one per import.
//! Never a secret: a request is logged by its method, path (never its query
//! string, where some services put PINs), status and time; keys, headers and
//! bodies never. The embedding program installs a subscriber (the `kaiden`
//! command writes them to stderr; `KAIDEN_LOG` sets the level).

use std::time::Instant;

use kaiden::core::{ImportDocument, ImportError, ImportType};

/// Logs every request once it is answered (`target: kaiden::http`).
pub(crate) async fn requests(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let method = req.method().clone();
    let path = req.uri().path().to_owned();
    let started = Instant::now();
    let response = next.run(req).await;
    tracing::info!(
        target: "kaiden::http",
        method = %method,
        path = %path,
        status = response.status().as_u16(),
        ms = started.elapsed().as_secs_f64() * 1000.0,
        "request"
    );
    response
}

/// Logs an import's end (`target: kaiden::import`): who, what, where it ran,
/// how long, and its outcome.
pub(crate) fn import(
    user: u64,
    import_type: ImportType,
    processor: &'static str,
    started: Instant,
    result: Result<&ImportDocument, &ImportError>,
) {
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    match result {
        Ok(doc) => tracing::info!(
            target: "kaiden::import",
            user,
            import_type = %import_type,
            processor,
            import_id = %doc.import_id,
            scores = doc.score_ids.len(),
            errors = doc.errors.len(),
            ms,
            "import completed"
        ),
        Err(e) => tracing::warn!(
            target: "kaiden::import",
            user,
            import_type = %import_type,
            processor,
            status = e.http_status(),
            error = %e,
            ms,
            "import failed"
        ),
    }
}
