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

/// A successful answer with `body` serialised straight into the response
/// (no `Value` tree between), sized exactly: a large ImportDocument is held
/// once, as its bytes.
///
/// # Errors
/// When `body` cannot be serialised (500).
pub fn ok_serialized<T: serde::Serialize>(
    status: StatusCode,
    description: &str,
    body: &T,
) -> Result<Response, ApiError> {
    #[derive(serde::Serialize)]
    struct Envelope<'a, T> {
        success: bool,
        description: &'a str,
        body: &'a T,
    }
    let envelope = Envelope {
        success: true,
        description,
        body,
    };
    let mut bytes = Vec::with_capacity(kaiden::core::json_len(&envelope));
    serde_json::to_writer(&mut bytes, &envelope).map_err(|e| ApiError::internal(&e.to_string()))?;
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

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_serialised_answer_is_byte_for_byte_the_value_answer() {
        let body = json!({"importID": "x", "scoreIDs": ["R1", "R2"], "n": 1.5, "e": []});
        let a = ok(StatusCode::OK, "Import successful.", body.clone());
        let b = ok_serialized(StatusCode::OK, "Import successful.", &body).unwrap();
        assert_eq!(a.status(), b.status());
        assert_eq!(
            a.headers().get("content-type"),
            b.headers().get("content-type")
        );
        let a = axum::body::to_bytes(a.into_body(), usize::MAX)
            .await
            .unwrap();
        let b = axum::body::to_bytes(b.into_body(), usize::MAX)
            .await
            .unwrap();
        assert_eq!(a, b);
    }
}
