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
