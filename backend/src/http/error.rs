//! `ApiError`: every HTTP error response, mapped from the backend error in one place.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::Error;

/// An error answered over HTTP. Each variant documents its status.
#[derive(Debug)]
pub enum ApiError {
    /// 404: the thing asked for does not exist.
    NotFound(String),
    /// 500: anything unexpected; the cause is logged, the answer is opaque.
    Internal(Error),
}

#[derive(Serialize)]
struct Body {
    error: &'static str,
    message: String,
}

impl From<Error> for ApiError {
    fn from(e: Error) -> Self {
        match e {
            Error::NotFound(what) => ApiError::NotFound(what),
            other => ApiError::Internal(other),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, body) = match self {
            ApiError::NotFound(what) => (
                StatusCode::NOT_FOUND,
                Body {
                    error: "not_found",
                    message: format!("{what} not found"),
                },
            ),
            ApiError::Internal(cause) => {
                tracing::error!(error = %cause, details = ?cause, "internal error");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    Body {
                        error: "internal",
                        message: "internal server error".into(),
                    },
                )
            }
        };
        (status, Json(body)).into_response()
    }
}

/// Unknown `/api/...` paths answer a JSON 404 rather than the app's HTML.
pub async fn api_not_found() -> ApiError {
    ApiError::NotFound("API endpoint".into())
}
