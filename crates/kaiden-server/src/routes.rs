//! The routes and their handlers.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Instant;

use axum::Router;
use axum::body::Bytes;
use axum::extract::multipart::MultipartRejection;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use kaiden::core::format::ImportInput;
use kaiden::core::{ImportKind, ImportType};
use kaiden::pipeline::{self, ImportRequest, NoProgress};
use kaiden::service::{ApiKey, ImportFilter, ImportState, QueuedImport, hash_api_key};
use serde_json::{Map, Value, json};

use crate::api::{ApiError, ok};
use crate::{App, Processor, ServerHost, blocking};

/// Multipart overhead allowed beyond the file limit (boundaries, text fields).
const FORM_SLACK: usize = 64 * 1024;
/// Text fields a multipart upload may carry.
const MAX_FORM_FIELDS: usize = 64;

const TOO_LARGE_FILE: &str =
    "File provided was too large, corrupt, or provided in the wrong field.";

pub(crate) fn router<H: ServerHost>(app: Arc<App<H>>) -> Router {
    let file_limit = app.config.file_limit.saturating_add(FORM_SLACK);
    let json_limit = app.config.json_limit;
    let read_timeout = app.config.read_timeout;
    Router::new()
        .route(
            "/api/v1/import/file",
            post(import_file::<H>).layer(DefaultBodyLimit::max(file_limit)),
        )
        .route(
            "/api/v1/import/from-api",
            post(import_from_api::<H>).layer(DefaultBodyLimit::max(json_limit)),
        )
        .route("/api/v1/import/orphans", post(orphans::<H>))
        .route("/api/v1/imports", get(list_imports::<H>))
        .route("/api/v1/users/{user}/imports", get(user_imports::<H>))
        .route("/api/v1/imports/failed", get(failed_imports::<H>))
        .route(
            "/api/v1/scores/{id}",
            axum::routing::delete(delete_score::<H>),
        )
        .route("/api/v1/imports/{id}/revert", post(revert::<H>))
        .route(
            "/api/v1/users/{user}/imports/failed",
            get(user_failed_imports::<H>),
        )
        .route("/api/v1/users/{user}/export", get(user_export::<H>))
        .route("/api/v1/imports/{id}", get(import_view::<H>))
        .route("/api/v1/imports/{id}/poll-status", get(poll_status::<H>))
        .route(
            "/ir/direct-manual/import",
            post(direct_manual::<H>).layer(DefaultBodyLimit::max(json_limit)),
        )
        .merge(crate::hooks::routes::<H>(json_limit))
        .merge(crate::usc::routes::<H>(json_limit))
        .fallback(|| async {
            ApiError::new(StatusCode::NOT_FOUND, "Endpoint Not Found.").into_response()
        })
        .method_not_allowed_fallback(|| async {
            ApiError::new(
                StatusCode::METHOD_NOT_ALLOWED,
                "This endpoint does not accept this method.",
            )
            .into_response()
        })
        .layer(axum::middleware::map_request(
            move |req: axum::extract::Request| async move {
                req.map(|b| axum::body::Body::new(crate::conn::TimeoutBody::new(b, read_timeout)))
            },
        ))
        .layer(axum::middleware::from_fn(header_limits))
        .layer(axum::middleware::from_fn(crate::log::requests))
        .with_state(app)
}

/// Headers a request may carry, at most: their count and their bytes
/// (names, values and separators). Checked here so that the 431 carries
/// Tachi's envelope; hyper's own limits, set above these in `conn.rs`,
/// answer an empty 431 only for heads far beyond them.
pub(crate) const MAX_HEADERS: usize = 100;
/// See [`MAX_HEADERS`].
pub(crate) const MAX_HEADER_BYTES: usize = 16 * 1024;

async fn header_limits(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let headers = req.headers();
    let bytes: usize = headers
        .iter()
        .map(|(k, v)| k.as_str().len() + v.len() + 4)
        .sum();
    if headers.len() > MAX_HEADERS || bytes > MAX_HEADER_BYTES {
        return ApiError::new(
            StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            format!(
                "Your request's headers were too large. The limit is {MAX_HEADERS} headers and {} KiB.",
                MAX_HEADER_BYTES / 1024
            ),
        )
        .into_response();
    }
    next.run(req).await
}

/// The caller's key, which must carry `permission`.
async fn authorise<H: ServerHost>(
    app: &Arc<App<H>>,
    headers: &HeaderMap,
    permission: &'static str,
) -> Result<(ApiKey, String), ApiError> {
    let unauthorised = || {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "You are not authorised to perform this action.",
        )
    };
    let token = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            let (scheme, token) = v.trim().split_once(' ')?;
            scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
        })
        .filter(|t| !t.is_empty())
        .ok_or_else(unauthorised)?;
    let hash = hash_api_key(token);
    let lookup = hash.clone();
    let key = blocking(&app.host, move |h| async move { h.api_key(&lookup).await })
        .await?
        .map_err(|e| ApiError::from_host(&e))?
        .ok_or_else(|| {
            ApiError::new(
                StatusCode::UNAUTHORIZED,
                "The provided API token does not correspond with any key in the database.",
            )
        })?;
    if !key.allows(permission) {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            format!(
                "You are missing the following permissions necessary for this request: {permission}"
            ),
        ));
    }
    Ok((key, hash))
}

/// Tachi's score-import rate limit, per key.
fn rate_limit<H>(app: &App<H>, key_hash: &str) -> Result<(), ApiError> {
    if app.limiter.allow(key_hash, Instant::now()) {
        return Ok(());
    }
    let mut e = ApiError::new(
        StatusCode::TOO_MANY_REQUESTS,
        format!(
            "You have exceeded {} requests per {} seconds. Please wait.",
            app.limiter.limit(),
            app.limiter.window().as_secs()
        ),
    );
    e.extra.insert("status".into(), json!(429));
    e.extra
        .insert("message".into(), json!("You're being rate limited."));
    Err(e)
}

fn user_intent(headers: &HeaderMap) -> bool {
    headers
        .get("x-user-intent")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
}

/// The `x-...` headers, lowercased, for formats that read them
/// (`x-infer-score-timeachieved`).
fn import_headers(headers: &HeaderMap) -> BTreeMap<String, String> {
    headers
        .iter()
        .filter(|(k, _)| k.as_str().starts_with("x-"))
        .filter_map(|(k, v)| Some((k.as_str().to_owned(), v.to_str().ok()?.to_owned())))
        .collect()
}

/// An `importType` that must be of `kind` and served here.
fn import_type_of<H>(
    app: &App<H>,
    value: Option<&str>,
    kind: ImportKind,
) -> Result<ImportType, ApiError> {
    let enabled = app.registry.import_types_of(kind);
    let list = enabled
        .iter()
        .map(|t| t.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let received = value.map_or_else(|| "nothing".to_owned(), |v| format!("'{v}'"));
    if enabled.is_empty() {
        // Tachi's text would read "Expected any of ." here.
        return Err(ApiError::bad_request(format!(
            "[importType] This server has no {} import types configured. (Received {received})",
            kind.prefix().trim_end_matches('/')
        )));
    }
    value
        .and_then(|v| ImportType::find_in(v, &enabled).ok())
        .ok_or_else(|| {
            ApiError::bad_request(format!(
                "[importType] Expected any of {list}. (Received {received})"
            ))
        })
}

/// Keeps an import that failed in a request (`ServiceStore::record_failed_import`)
/// with the status and description its client was answered. A held lock is
/// not kept: that import never began. A failure to keep it is logged only.
pub(crate) async fn keep_failure<H: ServerHost>(
    app: &Arc<App<H>>,
    job: QueuedImport,
    e: &kaiden::core::ImportError,
    answer: &ApiError,
) {
    if e.kind() == kaiden::core::ImportErrorKind::LockHeld {
        return;
    }
    let (status, message) = (answer.status.as_u16(), answer.description.clone());
    let kept = blocking(&app.host, move |h| async move {
        h.record_failed_import(&job, status, &message).await
    })
    .await;
    let why = match kept {
        Ok(Ok(())) => return,
        Ok(Err(e)) => e.to_string(),
        Err(a) => a.description,
    };
    tracing::warn!(error = %why, "a failed import could not be kept");
}

/// One import to run, in the request or through the queue.
struct Submission {
    user: u64,
    user_intent: bool,
    import_type: ImportType,
    input: crate::spool::Upload,
    filename: Option<String>,
    fields: BTreeMap<String, String>,
    headers: BTreeMap<String, String>,
}

async fn dispatch<H: ServerHost>(app: &Arc<App<H>>, s: Submission) -> Result<Response, ApiError> {
    match app.config.processor {
        Processor::Internal => {
            let app2 = Arc::clone(app);
            let (user, import_type, started) = (s.user, s.import_type, std::time::Instant::now());
            let import_id =
                pipeline::ids::new_import_id().map_err(|e| ApiError::from_import(&e))?;
            let failed = QueuedImport {
                import_id: import_id.clone(),
                user: s.user,
                user_intent: s.user_intent,
                import_type: s.import_type,
                input: Vec::new(),
                filename: s.filename.clone(),
                fields: s.fields.clone(),
                headers: s.headers.clone(),
                runs: 1,
                lock_retries: 0,
            };
            let result = blocking(&app.host, move |host| async move {
                let (bytes, stream) = s.input.as_input();
                let request = ImportRequest {
                    import_type: s.import_type,
                    user: s.user,
                    user_intent: s.user_intent,
                    input: ImportInput {
                        bytes,
                        stream,
                        filename: s.filename,
                        fields: s.fields,
                        headers: s.headers,
                    },
                    import_id: Some(import_id),
                };
                pipeline::import_observed(
                    &*host,
                    &app2.registry,
                    request,
                    &NoProgress,
                    &app2.webhooks,
                )
                .await
            })
            .await?;
            crate::log::import(user, import_type, "internal", started, result.as_ref());
            match result {
                Ok(doc) => crate::api::ok_streamed(StatusCode::OK, "Import successful.", doc),
                Err(e) => {
                    let answer = ApiError::from_import(&e);
                    keep_failure(app, failed, &e, &answer).await;
                    Err(answer)
                }
            }
        }
        Processor::External => {
            let import_id =
                pipeline::ids::new_import_id().map_err(|e| ApiError::from_import(&e))?;
            // A spooled upload is copied into the queue in pieces.
            let (input, spooled) = match s.input {
                crate::spool::Upload::Memory(b) => (b, None),
                crate::spool::Upload::File(f) => (Vec::new(), Some(f)),
            };
            let job = QueuedImport {
                import_id: import_id.clone(),
                user: s.user,
                user_intent: s.user_intent,
                import_type: s.import_type,
                input,
                filename: s.filename,
                fields: s.fields,
                headers: s.headers,
                runs: 0,
                lock_retries: 0,
            };
            blocking(&app.host, move |h| async move {
                match spooled {
                    None => h.enqueue_import(&job).await,
                    Some(f) => {
                        let (mut reader, len) = f.reader();
                        h.enqueue_import_from(&job, &mut reader, len).await
                    }
                }
            })
            .await?
            .map_err(|e| ApiError::from_host(&e))?;
            app.queued.notify_one();
            // Never the request's Host header: a forged one would send the
            // client (and its key, if it follows) elsewhere.
            let base = app
                .config
                .public_url
                .as_deref()
                .unwrap_or("http://localhost")
                .trim_end_matches('/')
                .to_owned();
            Ok(ok(
                StatusCode::ACCEPTED,
                "Import loaded into queue. You can poll the provided URL for information on when its complete.",
                json!({
                    "url": format!("{base}/api/v1/imports/{import_id}/poll-status"),
                    "importID": import_id,
                }),
            ))
        }
    }
}

fn respond(r: Result<Response, ApiError>) -> Response {
    r.unwrap_or_else(IntoResponse::into_response)
}

/// `POST /api/v1/import/file`.
async fn import_file<H: ServerHost>(
    State(app): State<Arc<App<H>>>,
    headers: HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
) -> Response {
    respond(
        async {
            let (key, hash) = authorise(&app, &headers, "submit_score").await?;
            rate_limit(&app, &hash)?;
            let mut form = multipart
                .map_err(|_| ApiError::bad_request("Expected a file for field scoreData."))?;
            let mut file: Option<(crate::spool::Upload, Option<String>)> = None;
            let mut fields = BTreeMap::new();
            loop {
                let field = match form.next_field().await {
                    Ok(Some(f)) => f,
                    Ok(None) => break,
                    Err(_) => return Err(ApiError::bad_request(TOO_LARGE_FILE)),
                };
                let name = field.name().unwrap_or_default().to_owned();
                if field.file_name().is_some() {
                    if name != "scoreData" || file.is_some() {
                        return Err(ApiError::bad_request(TOO_LARGE_FILE));
                    }
                    let filename = field.file_name().map(str::to_owned);
                    let mut field = field;
                    // Past 1 MiB the file goes to a temporary file as it comes
                    // (writes to the page cache: short enough for this thread).
                    let mut taken = crate::spool::Writer::default();
                    loop {
                        match field.chunk().await {
                            Ok(Some(c)) => {
                                if taken.len() + c.len() as u64 > app.config.file_limit as u64 {
                                    return Err(ApiError::bad_request(TOO_LARGE_FILE));
                                }
                                taken.push(&c).map_err(|e| {
                                    ApiError::internal(&format!(
                                        "the upload could not be kept: {e}"
                                    ))
                                })?;
                            }
                            Ok(None) => break,
                            Err(_) => return Err(ApiError::bad_request(TOO_LARGE_FILE)),
                        }
                    }
                    let upload = taken.finish().map_err(|e| {
                        ApiError::internal(&format!("the upload could not be kept: {e}"))
                    })?;
                    file = Some((upload, filename));
                } else {
                    if fields.len() >= MAX_FORM_FIELDS {
                        return Err(ApiError::bad_request(format!(
                            "Too many form fields (at most {MAX_FORM_FIELDS})."
                        )));
                    }
                    let text = field
                        .text()
                        .await
                        .map_err(|_| ApiError::bad_request(TOO_LARGE_FILE))?;
                    fields.insert(name, text);
                }
            }
            let (input, filename) =
                file.ok_or_else(|| ApiError::bad_request("Expected a file for field scoreData."))?;
            let import_type = import_type_of(
                &app,
                fields.get("importType").map(String::as_str),
                ImportKind::File,
            )?;
            let submission = Submission {
                user: key.user,
                user_intent: user_intent(&headers),
                import_type,
                input,
                filename,
                fields,
                headers: import_headers(&headers),
            };
            dispatch(&app, submission).await
        }
        .await,
    )
}

/// `POST /ir/direct-manual/import`: the body is BATCH-MANUAL.
async fn direct_manual<H: ServerHost>(
    State(app): State<Arc<App<H>>>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    respond(
        async {
            let (key, hash) = authorise(&app, &headers, "submit_score").await?;
            rate_limit(&app, &hash)?;
            let body = body.map_err(|e| json_body_error(&app, &e))?;
            let import_type = import_type_of(&app, Some("ir/direct-manual"), ImportKind::Ir)?;
            let submission = Submission {
                user: key.user,
                user_intent: user_intent(&headers),
                import_type,
                input: crate::spool::Upload::Memory(body.to_vec()),
                filename: None,
                fields: BTreeMap::new(),
                headers: import_headers(&headers),
            };
            dispatch(&app, submission).await
        }
        .await,
    )
}

fn json_body_error<H>(app: &App<H>, e: &BytesRejection) -> ApiError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!(
                "Your request body was too large. The limit is {}MB.",
                app.config.json_limit / (1024 * 1024)
            ),
        )
    } else {
        ApiError::bad_request(e.body_text())
    }
}

/// `POST /api/v1/import/from-api`: `{"importType": "api/..."}`.
async fn import_from_api<H: ServerHost>(
    State(app): State<Arc<App<H>>>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    respond(
        async {
            let (key, _) = authorise(&app, &headers, "submit_score").await?;
            let body = body.map_err(|e| json_body_error(&app, &e))?;
            let value: Value = serde_json::from_slice(&body).map_err(|e| {
                ApiError::bad_request(format!(
                    "Invalid JSON. ({})",
                    kaiden::core::error::plain_json_message(&e.to_string())
                ))
            })?;
            let import_type = import_type_of(
                &app,
                value.get("importType").and_then(Value::as_str),
                ImportKind::Api,
            )?;
            let submission = Submission {
                user: key.user,
                user_intent: user_intent(&headers),
                import_type,
                input: crate::spool::Upload::default(),
                filename: None,
                fields: BTreeMap::new(),
                headers: import_headers(&headers),
            };
            dispatch(&app, submission).await
        }
        .await,
    )
}

/// `POST /api/v1/import/orphans`.
async fn orphans<H: ServerHost>(State(app): State<Arc<App<H>>>, headers: HeaderMap) -> Response {
    respond(
        async {
            let (key, _) = authorise(&app, &headers, "submit_score").await?;
            let app2 = Arc::clone(&app);
            let report = blocking(&app.host, move |host| async move {
                pipeline::reprocess_orphans_observed(
                    &*host,
                    &app2.registry,
                    key.user,
                    &NoProgress,
                    &app2.webhooks,
                )
                .await
            })
            .await?
            .map_err(|e| ApiError::from_import(&e))?;
            Ok(ok(
                StatusCode::OK,
                &format!("Reprocessed {} orphan scores.", report.processed),
                serde_json::to_value(report).map_err(|e| ApiError::internal(&e.to_string()))?,
            ))
        }
        .await,
    )
}

/// `DELETE /api/v1/scores/{id}[?blacklist=true]`: the key's user deletes one
/// of their scores (`delete_score`); with `blacklist`, it is never imported
/// again. PBs, sessions, ratings, goals follow (`pipeline::delete_scores`).
async fn delete_score<H: ServerHost>(
    State(app): State<Arc<App<H>>>,
    Path(id): Path<String>,
    headers: HeaderMap,
    uri: axum::http::Uri,
) -> Response {
    respond(
        async {
            let (key, _) = authorise(&app, &headers, "delete_score").await?;
            let mut blacklist = false;
            for (k, v) in query_pairs(&uri) {
                if k == "blacklist" {
                    blacklist = match v.as_str() {
                        "true" => true,
                        "false" => false,
                        other => {
                            return Err(ApiError::bad_request(format!(
                                "[blacklist] Expected true or false. (Received '{other}')"
                            )));
                        }
                    };
                }
            }
            let report = blocking(&app.host, move |host| async move {
                pipeline::delete_scores(&*host, key.user, &[id], blacklist).await
            })
            .await?
            .map_err(|e| ApiError::from_import(&e))?;
            if report.deleted.is_empty() {
                return Err(ApiError::new(
                    StatusCode::NOT_FOUND,
                    "This score does not exist.",
                ));
            }
            Ok(ok(
                StatusCode::OK,
                "Successfully deleted score.",
                serde_json::to_value(report).map_err(|e| ApiError::internal(&e.to_string()))?,
            ))
        }
        .await,
    )
}

/// `POST /api/v1/imports/{id}/revert`: the import's owner (`delete_score`)
/// reverts it (`pipeline::revert_import`).
async fn revert<H: ServerHost>(
    State(app): State<Arc<App<H>>>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    respond(
        async {
            let (key, _) = authorise(&app, &headers, "delete_score").await?;
            let report = blocking(&app.host, move |host| async move {
                pipeline::revert_import(&*host, key.user, &id).await
            })
            .await?
            .map_err(|e| match e {
                pipeline::RevertError::Import(e) => ApiError::from_import(&e),
                other => ApiError::new(
                    StatusCode::from_u16(other.http_status())
                        .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
                    other.to_string(),
                ),
            })?;
            Ok(ok(
                StatusCode::OK,
                &format!("Reverted import, deleting {} scores.", report.deleted.len()),
                serde_json::to_value(report).map_err(|e| ApiError::internal(&e.to_string()))?,
            ))
        }
        .await,
    )
}

/// How many imports a listing returns at most (Tachi: 500).
const LIST_LIMIT: usize = 500;

/// `%XX` and `+` decoded; invalid escapes stay as written.
pub(crate) fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = bytes
                    .get(i + 1..i + 3)
                    .and_then(|h| std::str::from_utf8(h).ok())
                    .and_then(|h| u8::from_str_radix(h, 16).ok());
                if let Some(b) = hex {
                    out.push(b);
                    i += 2;
                } else {
                    out.push(b'%');
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The most bytes of import documents one listing answers with; a page that
/// would be larger ends early, and its cursor says where the next begins.
const LIST_BYTES: usize = 8 * 1024 * 1024;

/// The request's query parameters, names and values percent-decoded, in order.
fn query_pairs(uri: &axum::http::Uri) -> Vec<(String, String)> {
    uri.query()
        .unwrap_or_default()
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (percent_decode(k), percent_decode(v))
        })
        .collect()
}

/// A `?limit=` value: an integer from 1 to `max`.
fn limit_param(v: &str, max: usize) -> Result<usize, ApiError> {
    v.parse::<usize>()
        .ok()
        .filter(|n| (1..=max).contains(n))
        .ok_or_else(|| {
            ApiError::bad_request(format!(
                "[limit] Expected an integer between 1 and {max}. (Received '{v}')"
            ))
        })
}

/// `?importType=&userIntent=&limit=&cursor=` of a listing: the filter and
/// the page size (1..=500, 500 by default).
fn import_filter(uri: &axum::http::Uri) -> Result<(ImportFilter, usize), ApiError> {
    let mut filter = ImportFilter::default();
    let mut limit = LIST_LIMIT;
    for (k, v) in query_pairs(uri) {
        match k.as_str() {
            "importType" => {
                filter.import_type = Some(v.parse().map_err(|e| {
                    ApiError::bad_request(format!("[importType] {e} (Received '{v}')"))
                })?);
            }
            "limit" => limit = limit_param(&v, LIST_LIMIT)?,
            "cursor" => filter.after = Some(v),
            "userIntent" => {
                filter.user_intent = Some(match v.as_str() {
                    "true" => true,
                    "false" => false,
                    _ => {
                        return Err(ApiError::bad_request(format!(
                            "[userIntent] Expected any of true, false. (Received '{v}')"
                        )));
                    }
                });
            }
            _ => {}
        }
    }
    Ok((filter, limit))
}

/// The documents of a page that fit in [`LIST_BYTES`] (at least one), and
/// the cursor of the next page when there may be one (`fetched` holds one
/// more than the page when more exist).
fn page(mut fetched: Vec<Value>, limit: usize) -> (Vec<Value>, Option<String>) {
    let more = fetched.len() > limit;
    fetched.truncate(limit);
    let mut bytes = 0;
    let mut keep = fetched.len();
    for (i, d) in fetched.iter().enumerate() {
        bytes += serde_json::to_string(d).map_or(0, |s| s.len());
        if bytes > LIST_BYTES && i > 0 {
            keep = i;
            break;
        }
    }
    let cut = keep < fetched.len();
    fetched.truncate(keep);
    let next = (more || cut)
        .then(|| {
            fetched
                .last()
                .and_then(|d| d["importID"].as_str().map(str::to_owned))
        })
        .flatten();
    (fetched, next)
}

/// An answer with the next page's cursor in `X-Next-Cursor` (the body keeps
/// Tachi's shape).
fn with_cursor(mut r: Response, next: Option<String>) -> Response {
    if let Some(v) = next.and_then(|n| axum::http::HeaderValue::from_str(&n).ok()) {
        r.headers_mut().insert("x-next-cursor", v);
    }
    r
}

/// `GET /api/v1/imports`: the newest imports, `{imports, users}`; public.
async fn list_imports<H: ServerHost>(
    State(app): State<Arc<App<H>>>,
    uri: axum::http::Uri,
) -> Response {
    respond(
        async {
            let (filter, limit) = import_filter(&uri)?;
            let (imports, users, next) = blocking(&app.host, move |h| async move {
                let (imports, next) = page(h.imports(&filter, limit + 1).await?, limit);
                let mut ids: Vec<u64> = imports
                    .iter()
                    .filter_map(|d| d["userID"].as_u64())
                    .collect();
                ids.sort_unstable();
                ids.dedup();
                let users = h.users(&ids).await?;
                Ok::<_, kaiden::core::host::HostError>((imports, users, next))
            })
            .await?
            .map_err(|e| ApiError::from_host(&e))?;
            Ok(with_cursor(
                ok(
                    StatusCode::OK,
                    &format!("Returned {} imports.", imports.len()),
                    json!({"imports": imports, "users": users}),
                ),
                next,
            ))
        }
        .await,
    )
}

/// `GET /api/v1/users/{user}/imports`: a user's newest imports, as an array.
async fn user_imports<H: ServerHost>(
    State(app): State<Arc<App<H>>>,
    Path(user): Path<String>,
    uri: axum::http::Uri,
) -> Response {
    respond(
        async {
            let (mut filter, limit) = import_filter(&uri)?;
            let missing = || {
                ApiError::new(
                    StatusCode::NOT_FOUND,
                    format!("The user {user} does not exist."),
                )
            };
            let id: u64 = user.parse().map_err(|_| missing())?;
            filter.user = Some(id);
            let (exists, (imports, next)) = blocking(&app.host, move |h| async move {
                let exists = !h.users(&[id]).await?.is_empty();
                let imports = page(h.imports(&filter, limit + 1).await?, limit);
                Ok::<_, kaiden::core::host::HostError>((exists, imports))
            })
            .await?
            .map_err(|e| ApiError::from_host(&e))?;
            if !exists {
                return Err(missing());
            }
            Ok(with_cursor(
                ok(
                    StatusCode::OK,
                    &format!("Returned {} imports.", imports.len()),
                    Value::Array(imports),
                ),
                next,
            ))
        }
        .await,
    )
}

/// `?limit=` of a failed-imports listing (1 to 500, 500 by default).
fn failed_limit(uri: &axum::http::Uri) -> Result<usize, ApiError> {
    let mut limit = kaiden::service::FAILED_LIST_LIMIT;
    for (k, v) in query_pairs(uri) {
        if k == "limit" {
            limit = limit_param(&v, kaiden::service::FAILED_LIST_LIMIT)?;
        }
    }
    Ok(limit)
}

fn failed_answer(failed: &[kaiden::service::FailedImport]) -> Response {
    ok(
        StatusCode::OK,
        &format!("Returned {} failed imports.", failed.len()),
        serde_json::to_value(failed).unwrap_or(Value::Array(Vec::new())),
    )
}

/// `GET /api/v1/imports/failed`: the newest imports that failed, of everyone.
async fn failed_imports<H: ServerHost>(
    State(app): State<Arc<App<H>>>,
    uri: axum::http::Uri,
) -> Response {
    respond(
        async {
            let limit = failed_limit(&uri)?;
            let failed = blocking(&app.host, move |h| async move {
                h.failed_imports(None, limit).await
            })
            .await?
            .map_err(|e| ApiError::from_host(&e))?;
            Ok(failed_answer(&failed))
        }
        .await,
    )
}

/// `GET /api/v1/users/{user}/imports/failed`: a user's imports that failed.
async fn user_failed_imports<H: ServerHost>(
    State(app): State<Arc<App<H>>>,
    Path(user): Path<String>,
    uri: axum::http::Uri,
) -> Response {
    respond(
        async {
            let limit = failed_limit(&uri)?;
            let missing = || {
                ApiError::new(
                    StatusCode::NOT_FOUND,
                    format!("The user {user} does not exist."),
                )
            };
            let id: u64 = user.parse().map_err(|_| missing())?;
            let (exists, failed) = blocking(&app.host, move |h| async move {
                let exists = !h.users(&[id]).await?.is_empty();
                let failed = h.failed_imports(Some(id), limit).await?;
                Ok::<_, kaiden::core::host::HostError>((exists, failed))
            })
            .await?
            .map_err(|e| ApiError::from_host(&e))?;
            if !exists {
                return Err(missing());
            }
            Ok(failed_answer(&failed))
        }
        .await,
    )
}

/// `GET /api/v1/users/{user}/export?game=G&playtype=P`: the user's scores of
/// one game+playtype as BATCH-MANUAL documents (see
/// `kaiden_batch_manual::export`), and the scores that could not be written.
async fn user_export<H: ServerHost>(
    State(app): State<Arc<App<H>>>,
    Path(user): Path<String>,
    uri: axum::http::Uri,
) -> Response {
    respond(
        async {
            let (mut game, mut playtype) = (None, None);
            for (k, v) in query_pairs(&uri) {
                match k.as_str() {
                    "game" => game = Some(v),
                    "playtype" => playtype = Some(v),
                    other => {
                        return Err(ApiError::bad_request(format!(
                            "Unexpected query parameter '{other}' (expected game and playtype)."
                        )));
                    }
                }
            }
            let game: kaiden::core::Game = game
                .as_deref()
                .ok_or_else(|| ApiError::bad_request("[game] Expected a game."))?
                .parse()
                .map_err(|e| ApiError::bad_request(format!("[game] {e}")))?;
            let playtype: kaiden::core::game::Playtype = playtype
                .as_deref()
                .ok_or_else(|| ApiError::bad_request("[playtype] Expected a playtype."))?
                .parse()
                .map_err(|e| ApiError::bad_request(format!("[playtype] {e}")))?;
            let gpt = game.with_playtype(playtype).ok_or_else(|| {
                ApiError::bad_request(format!("[playtype] {game} has no playtype {playtype}."))
            })?;
            let missing = || {
                ApiError::new(
                    StatusCode::NOT_FOUND,
                    format!("The user {user} does not exist."),
                )
            };
            let id: u64 = user.parse().map_err(|_| missing())?;
            let (exists, export) = blocking(&app.host, move |h| async move {
                if h.users(&[id]).await?.is_empty() {
                    return Ok((false, None));
                }
                let export = kaiden::batch_manual::export::export(&*h, id, Some(gpt)).await?;
                Ok::<_, kaiden::core::host::HostError>((true, Some(export)))
            })
            .await?
            .map_err(|e| ApiError::from_host(&e))?;
            let export = match (exists, export) {
                (true, Some(e)) => e,
                _ => return Err(missing()),
            };
            let n: usize = export.documents.iter().map(|d| d.len()).sum();
            Ok(ok(
                StatusCode::OK,
                &format!("Exported {n} scores."),
                json!({
                    "documents": export.documents.iter().map(|d| &d.document).collect::<Vec<_>>(),
                    "unexported": export.unexported,
                }),
            ))
        }
        .await,
    )
}

/// `GET /api/v1/imports/{id}`.
async fn import_view<H: ServerHost>(
    State(app): State<Arc<App<H>>>,
    Path(id): Path<String>,
) -> Response {
    respond(
        async {
            let view = blocking(&app.host, move |h| async move { h.import_view(&id).await })
                .await?
                .map_err(|e| ApiError::from_host(&e))?
                .ok_or_else(|| {
                    ApiError::new(StatusCode::NOT_FOUND, "This import does not exist.")
                })?;
            Ok(ok(StatusCode::OK, "Returned info about this import.", view))
        }
        .await,
    )
}

/// `GET /api/v1/imports/{id}/poll-status`: no authentication, as in Tachi.
async fn poll_status<H: ServerHost>(
    State(app): State<Arc<App<H>>>,
    Path(id): Path<String>,
) -> Response {
    respond(
        async {
            if app.config.processor != Processor::External {
                return Err(ApiError::new(
                    StatusCode::NOT_IMPLEMENTED,
                    format!(
                        "{} does not use an external score import worker. Polling imports is not possible. This import may be ongoing, or it may have never occurred.",
                        app.config.name
                    ),
                ));
            }
            let lookup = id.clone();
            let (doc, state) = blocking(&app.host, move |h| async move {
                // The state first: a worker commits the ImportDocument before
                // it marks the job completed, so a job seen completed here has
                // its document visible to the read after. (The other order
                // raced: no document yet, then "completed" a moment later.)
                let state = h.import_state(&lookup).await?;
                let doc = h.import_document(&lookup).await?;
                Ok::<_, kaiden::core::host::HostError>((doc, state))
            })
            .await?
            .map_err(|e| ApiError::from_host(&e))?;
            if let Some(doc) = doc {
                #[derive(serde::Serialize)]
                struct Completed {
                    #[serde(rename = "importStatus")]
                    status: &'static str,
                    import: kaiden::core::documents::ImportDocument,
                }
                let body = Completed {
                    status: "completed",
                    import: doc,
                };
                return crate::api::ok_streamed(StatusCode::OK, "Import was completed!", body);
            }
            let ongoing = |description: String| {
                let mut progress = Map::new();
                progress.insert("description".into(), Value::String(description));
                ok(
                    StatusCode::OK,
                    "Import is ongoing.",
                    json!({"importStatus": "ongoing", "progress": progress}),
                )
            };
            match state {
                None => Err(ApiError::new(StatusCode::NOT_FOUND, "There is no ongoing import here.")),
                Some(ImportState::Failed { status, message }) => Err(ApiError::new(
                    StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
                    message,
                )),
                Some(ImportState::Running) => Ok(ongoing(
                    app.progress_of(&id)
                        .unwrap_or_else(|| "Starting up import.".to_owned()),
                )),
                Some(ImportState::Queued) => Ok(ongoing("Starting up import.".to_owned())),
                Some(ImportState::Completed) => Err(ApiError::internal(&format!(
                    "import {id} is marked completed but has no ImportDocument"
                ))),
            }
        }
        .await,
    )
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn doc(id: &str, pad: usize) -> Value {
        json!({"importID": id, "pad": "x".repeat(pad)})
    }

    #[test]
    fn a_page_stops_at_its_limit_or_its_bytes_and_names_the_next() {
        let ids = |p: &[Value]| -> Vec<String> {
            p.iter()
                .map(|d| d["importID"].as_str().unwrap().to_owned())
                .collect()
        };
        // One more was fetched than the page holds: there is a next page.
        let (p, next) = page(vec![doc("a", 0), doc("b", 0), doc("c", 0)], 2);
        assert_eq!(
            (ids(&p), next.as_deref()),
            (vec!["a".into(), "b".into()], Some("b"))
        );
        // All of it fits: no cursor.
        let (p, next) = page(vec![doc("a", 0), doc("b", 0)], 2);
        assert_eq!((p.len(), next), (2, None));
        // Too many bytes: the page ends early, at least one document in it.
        let big = LIST_BYTES / 2 + 1;
        let (p, next) = page(vec![doc("a", big), doc("b", big), doc("c", 0)], 5);
        assert_eq!((ids(&p), next.as_deref()), (vec!["a".into()], Some("a")));
        let (p, next) = page(vec![doc("a", LIST_BYTES * 2)], 5);
        assert_eq!((p.len(), next), (1, None));
    }
}
