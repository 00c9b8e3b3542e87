//! The opt-out link in every invitation mail: public, signed per contact.

use axum::extract::{Path, State};
use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;

use super::{ApiError, AppState};

/// Routes under `/api`.
pub fn router() -> Router<AppState> {
    Router::new().route("/optout/{contact}/{signature}", get(opt_out))
}

/// What the opt-out link answers.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct OptedOut {
    /// A Norwegian confirmation.
    pub message: String,
}

/// `GET /api/optout/{contact}/{signature}`: the contact gets no more mail from omfang.
#[utoipa::path(get, path = "/api/optout/{contact}/{signature}", tag = "outreach", params(("contact" = i32, Path), ("signature" = String, Path)), responses((status = 200, body = OptedOut), (status = 404, description = "Unknown or forged link", body = crate::http::openapi::ErrorResponse)))]
pub async fn opt_out(
    State(state): State<AppState>,
    Path((contact, signature)): Path<(i32, String)>,
) -> Result<Json<OptedOut>, ApiError> {
    let secret = crate::mail::secret()?;
    let expected = crate::mail::opt_out_signature(&secret, contact);
    // Compare without an early exit, so timing does not reveal a prefix.
    let same = expected.len() == signature.len()
        && expected
            .bytes()
            .zip(signature.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0;
    if !same {
        return Err(ApiError::NotFound("opt-out link not found".into()));
    }
    let c = crate::db::contacts::opt_out(&state.db, contact).await?;
    Ok(Json(OptedOut {
        message: format!(
            "{} får ikke flere e-poster om omfangsundersøkelsen fra oss.",
            c.email
        ),
    }))
}
