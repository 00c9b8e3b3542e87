//! `ApiError`: every HTTP error response, mapped from the backend error in one place.

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;

use crate::Error;
use crate::db::journey::ResponseState;
use api::respondent::ErrorResponse;

/// An error answered over HTTP. Each variant documents its status.
#[derive(Debug)]
pub enum ApiError {
    /// 404: the thing asked for does not exist (or is not yours).
    NotFound(String),
    /// 401: not logged in (or the session expired).
    Unauthorized,
    /// 403: logged in, but the role does not allow this.
    Forbidden,
    /// 429: too many attempts; wait and try again.
    TooManyRequests(String),
    /// 403: the round does not accept answers now (Norwegian message).
    Closed(String),
    /// 400/413/415/422 as axum decided: the body could not be read as the expected JSON.
    Rejected(StatusCode, String),
    /// 400: a parameter or body is wrong.
    BadRequest(String),
    /// 409: the write was based on an old version; the body carries the current state.
    Conflict(String, Box<ResponseState>),
    /// 422: answers do not validate; the body carries every item's problems.
    Invalid(String, Box<survey_definitions::ValidationReport>),
    /// 500: anything unexpected; the cause is logged, the answer is opaque.
    Internal(Error),
}

impl From<Error> for ApiError {
    fn from(e: Error) -> Self {
        match e {
            Error::NotFound(what) => ApiError::NotFound(format!("{what} not found")),
            Error::BadRequest(m) => ApiError::BadRequest(m),
            Error::Definition(e) => ApiError::BadRequest(e.to_string()),
            Error::Import(rows) => ApiError::BadRequest(rows.join("\n")),
            Error::Analysis(
                e @ (analysis::AnalysisError::Input(_)
                | analysis::AnalysisError::UnknownColumn(_)
                | analysis::AnalysisError::Rows(_)),
            ) => ApiError::BadRequest(e.to_string()),
            Error::Conflict { message, current } => ApiError::Conflict(message, current),
            Error::Invalid { message, report } => ApiError::Invalid(message, report),
            other => ApiError::Internal(other),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        fn body(error: &str, message: &str) -> ErrorResponse {
            ErrorResponse {
                error: error.to_owned(),
                message: message.to_owned(),
                current: None,
                report: None,
            }
        }
        match self {
            ApiError::NotFound(m) => {
                (StatusCode::NOT_FOUND, Json(body("not_found", &m))).into_response()
            }
            ApiError::Unauthorized => (
                StatusCode::UNAUTHORIZED,
                Json(body("unauthorized", "log in first")),
            )
                .into_response(),
            ApiError::Forbidden => (
                StatusCode::FORBIDDEN,
                Json(body("forbidden", "your role does not allow this")),
            )
                .into_response(),
            ApiError::Closed(m) => {
                (StatusCode::FORBIDDEN, Json(body("closed", &m))).into_response()
            }
            ApiError::TooManyRequests(m) => (
                StatusCode::TOO_MANY_REQUESTS,
                Json(body("too_many_requests", &m)),
            )
                .into_response(),
            ApiError::Rejected(status, m) => {
                (status, Json(body("bad_request", &m))).into_response()
            }
            ApiError::BadRequest(m) => {
                (StatusCode::BAD_REQUEST, Json(body("bad_request", &m))).into_response()
            }
            ApiError::Conflict(m, current) => (
                StatusCode::CONFLICT,
                Json(ErrorResponse {
                    error: "conflict".into(),
                    message: m,
                    current: Some(*current),
                    report: None,
                }),
            )
                .into_response(),
            ApiError::Invalid(m, report) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                Json(ErrorResponse {
                    error: "invalid".into(),
                    message: m,
                    current: None,
                    report: Some(*report),
                }),
            )
                .into_response(),
            ApiError::Internal(cause) => {
                tracing::error!(error = %cause, details = ?cause, "internal error");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    Json(body("internal", "internal server error")),
                )
                    .into_response()
            }
        }
    }
}

/// Unknown `/api/...` paths answer a JSON 404 rather than the app's HTML.
pub async fn api_not_found() -> ApiError {
    ApiError::NotFound("API endpoint not found".into())
}

/// A JSON body whose rejections (malformed JSON, wrong types, unknown
/// fields, too large) become [`ApiError::Rejected`] with axum's status.
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match Json::<T>::from_request(req, state).await {
            Ok(Json(v)) => Ok(ApiJson(v)),
            Err(rejection) => Err(rejected(rejection)),
        }
    }
}

/// Every error answers the one JSON error body: what axum answers by
/// itself before a handler runs (a path parameter that does not parse, a
/// body that is not JSON, a method a path does not take) is rewritten.
pub async fn json_errors(response: Response) -> Response {
    use axum::http::header::{CONTENT_LENGTH, CONTENT_TYPE};
    let status = response.status();
    let is_json = response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !(status.is_client_error() || status.is_server_error()) || is_json {
        return response;
    }
    let (parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, 64 * 1024)
        .await
        .unwrap_or_default();
    let text = String::from_utf8_lossy(&bytes).trim().to_owned();
    let message = if text.is_empty() {
        status.canonical_reason().unwrap_or("error").to_owned()
    } else {
        text
    };
    let code = match status.as_u16() {
        404 => "not_found",
        405 => "method_not_allowed",
        408 => "timeout",
        413 => "too_large",
        415 => "unsupported_media_type",
        s if s >= 500 => "internal",
        _ => "bad_request",
    };
    let mut out = (
        status,
        Json(ErrorResponse {
            error: code.to_owned(),
            message,
            current: None,
            report: None,
        }),
    )
        .into_response();
    for (name, value) in &parts.headers {
        if name != CONTENT_TYPE && name != CONTENT_LENGTH {
            out.headers_mut().insert(name.clone(), value.clone());
        }
    }
    out
}

/// Query parameters whose rejections become the one JSON error body.
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> axum::extract::FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(v)) => Ok(ApiQuery(v)),
            Err(r) => Err(ApiError::Rejected(r.status(), r.body_text())),
        }
    }
}

fn rejected(r: JsonRejection) -> ApiError {
    ApiError::Rejected(r.status(), r.body_text())
}
