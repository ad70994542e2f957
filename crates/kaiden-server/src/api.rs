//! Tachi's response envelope `{success, description, body?}`.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use kaiden::core::ImportError;
use kaiden::core::host::HostError;
use serde_json::{Map, Value, json};

/// A failed request: its status and Tachi's `description`.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    /// The HTTP status.
    pub status: StatusCode,
    /// The `description`.
    pub description: String,
    /// Extra top-level fields (the 429 body carries `status` and `message`).
    pub extra: Map<String, Value>,
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.status.as_u16(), self.description)
    }
}

impl std::error::Error for ApiError {}

impl ApiError {
    /// An error with `status` and `description`.
    pub fn new(status: StatusCode, description: impl Into<String>) -> Self {
        ApiError {
            status,
            description: description.into(),
            extra: Map::new(),
        }
    }

    /// 400.
    pub fn bad_request(description: impl Into<String>) -> Self {
        ApiError::new(StatusCode::BAD_REQUEST, description)
    }

    /// 500 with Tachi's message; the cause goes to the log.
    pub fn internal(cause: &str) -> Self {
        eprintln!("kaiden-server: internal error: {cause}");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "An internal service error has occured. This has been reported!",
        )
    }

    /// From a fatal import error: its status and message (with its position).
    pub fn from_import(e: &ImportError) -> Self {
        let status =
            StatusCode::from_u16(e.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        if status == StatusCode::INTERNAL_SERVER_ERROR {
            return ApiError::internal(&e.to_string());
        }
        ApiError::new(status, e.to_string())
    }

    /// From a host error (a held lock is the 409).
    pub fn from_host(e: &HostError) -> Self {
        ApiError::from_import(&ImportError::from(e.clone()))
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut body = Map::new();
        body.insert("success".into(), Value::Bool(false));
        body.insert("description".into(), Value::String(self.description));
        body.extend(self.extra);
        (self.status, Json(Value::Object(body))).into_response()
    }
}

/// A successful answer with `body`.
pub fn ok(status: StatusCode, description: &str, body: Value) -> Response {
    (
        status,
        Json(json!({"success": true, "description": description, "body": body})),
    )
        .into_response()
}

/// Tachi's success envelope around `body` (borrowed or owned).
#[derive(serde::Serialize)]
struct Envelope<'a, B> {
    success: bool,
    description: &'a str,
    body: B,
}

/// `envelope` written into bytes of its length `len`, as the answer.
fn whole<E: serde::Serialize>(
    status: StatusCode,
    envelope: &E,
    len: usize,
) -> Result<Response, ApiError> {
    let mut bytes = Vec::with_capacity(len);
    serde_json::to_writer(&mut bytes, envelope).map_err(|e| ApiError::internal(&e.to_string()))?;
    Ok((
        status,
        [(
            axum::http::header::CONTENT_TYPE,
            axum::http::HeaderValue::from_static("application/json"),
        )],
        bytes,
    )
        .into_response())
}

/// Answers longer than this are streamed by [`ok_streamed`] (an ImportDocument
/// of about 7,500 scoreIDs).
const STREAM_PAST: usize = 512 * 1024;

/// Bytes of a streamed answer per piece.
const PIECE: usize = 64 * 1024;

/// A successful answer with `body` serialised straight from it, with no
/// `Value` tree between; `body` may be large (an ImportDocument of 125,000
/// scoreIDs is 8.5 MB of JSON). An answer up to 512 KiB is written into bytes
/// of its exact size; a longer one is written piece by piece on a blocking
/// thread while the client reads it, at most a few 64 KiB pieces ahead, never
/// whole in memory. Either way its length is known before the first byte. If
/// the client goes away the writing stops and `body` is dropped.
///
/// # Errors
/// When a short `body` cannot be serialised (500).
pub fn ok_streamed<T: serde::Serialize + Send + 'static>(
    status: StatusCode,
    description: &'static str,
    body: T,
) -> Result<Response, ApiError> {
    let envelope = Envelope {
        success: true,
        description,
        body,
    };
    let len = kaiden::core::json_len(&envelope);
    if len <= STREAM_PAST {
        return whole(status, &envelope, len);
    }
    let (tx, rx) = tokio::sync::mpsc::channel::<axum::body::Bytes>(4);
    tokio::task::spawn_blocking(move || {
        let mut out = Pieces {
            tx,
            buf: Vec::with_capacity(PIECE),
        };
        // An error here is the client gone (or a body that cannot be
        // written, which the short body then shows): nothing more to do.
        if serde_json::to_writer(&mut out, &envelope).is_ok() {
            let _ = std::io::Write::flush(&mut out);
        }
    });
    axum::http::Response::builder()
        .status(status)
        .header(axum::http::header::CONTENT_TYPE, "application/json")
        .header(axum::http::header::CONTENT_LENGTH, len)
        .body(axum::body::Body::new(Streamed {
            rx,
            left: len as u64,
        }))
        .map_err(|e| ApiError::internal(&e.to_string()))
}

/// The writer of a streamed answer: full pieces go to the body.
struct Pieces {
    tx: tokio::sync::mpsc::Sender<axum::body::Bytes>,
    buf: Vec<u8>,
}

impl Pieces {
    fn send(&mut self) -> std::io::Result<()> {
        let piece = std::mem::replace(&mut self.buf, Vec::with_capacity(PIECE));
        self.tx.blocking_send(piece.into()).map_err(|_| {
            std::io::Error::new(std::io::ErrorKind::BrokenPipe, "the client went away")
        })
    }
}

impl std::io::Write for Pieces {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.buf.extend_from_slice(data);
        if self.buf.len() >= PIECE {
            self.send()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        self.send()
    }
}

/// The body of a streamed answer: the pieces as they are written.
struct Streamed {
    rx: tokio::sync::mpsc::Receiver<axum::body::Bytes>,
    left: u64,
}

impl http_body::Body for Streamed {
    type Data = axum::body::Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<Self::Data>, Self::Error>>> {
        self.rx.poll_recv(cx).map(|piece| {
            piece.map(|p| {
                self.left = self.left.saturating_sub(p.len() as u64);
                Ok(http_body::Frame::data(p))
            })
        })
    }

    fn is_end_stream(&self) -> bool {
        self.left == 0
    }

    fn size_hint(&self) -> http_body::SizeHint {
        http_body::SizeHint::with_exact(self.left)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// The bytes of `b`, after checking its status and content type are `a`'s
    /// and its length was known before its first byte; `a`'s bytes too.
    async fn same_answer(a: Response, b: Response) -> (axum::body::Bytes, axum::body::Bytes) {
        assert_eq!(a.status(), b.status());
        assert_eq!(
            a.headers().get("content-type"),
            b.headers().get("content-type")
        );
        let exact = http_body::Body::size_hint(b.body()).exact();
        let a = axum::body::to_bytes(a.into_body(), usize::MAX)
            .await
            .unwrap();
        assert_eq!(exact, Some(a.len() as u64));
        if let Some(h) = b.headers().get("content-length") {
            assert_eq!(h.to_str().unwrap(), a.len().to_string());
        }
        let b = axum::body::to_bytes(b.into_body(), usize::MAX)
            .await
            .unwrap();
        (a, b)
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_serialised_answer_is_byte_for_byte_the_value_answer() {
        // Small (written whole) and past the streaming threshold.
        for n in [3usize, 40_000] {
            let body = json!({
                "importID": "x",
                "scoreIDs": (0..n).map(|i| format!("T{i:064x}")).collect::<Vec<_>>(),
                "n": 1.5,
                "e": [],
            });
            let a = ok(StatusCode::OK, "Import successful.", body.clone());
            let b = ok_streamed(StatusCode::OK, "Import successful.", body).unwrap();
            // A streamed answer names its length in the header.
            assert_eq!(b.headers().contains_key("content-length"), n > 10_000);
            let (a, b) = same_answer(a, b).await;
            assert_eq!(a, b, "{n} ids");
            assert_eq!(n > 10_000, a.len() > STREAM_PAST);
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_streamed_answer_nobody_reads_stops_and_drops_its_body() {
        use http_body::Body as _;
        use std::sync::Arc;
        use std::sync::atomic::{AtomicBool, Ordering};
        struct Big(Vec<String>, Arc<AtomicBool>);
        impl serde::Serialize for Big {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                self.0.serialize(s)
            }
        }
        impl Drop for Big {
            fn drop(&mut self) {
                self.1.store(true, Ordering::SeqCst);
            }
        }
        let dropped = Arc::new(AtomicBool::new(false));
        let big = Big(vec!["x".repeat(1000); 10_000], Arc::clone(&dropped));
        let answer = ok_streamed(StatusCode::OK, "Import successful.", big).unwrap();
        // The client reads one piece and goes away.
        let mut body = answer.into_body();
        let first = std::future::poll_fn(|cx| std::pin::Pin::new(&mut body).poll_frame(cx)).await;
        assert!(first.is_some());
        drop(body);
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while !dropped.load(Ordering::SeqCst) {
            assert!(
                std::time::Instant::now() < deadline,
                "the writer never stopped"
            );
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
    }
}
