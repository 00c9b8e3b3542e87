//! Opting out of mail: the link in every invitation opens a page that asks
//! (`GET /avmelding/{contact}/{signature}`), and only its button — a POST —
//! opts the contact out. Mail link scanners (Safe Links and the like) fetch
//! every link in a mail; a GET or HEAD must never unsubscribe anyone. Mail
//! programs use the RFC 8058 one-click address, `POST /api/optout/…`.

use axum::extract::{Path, State};
use axum::response::Html;
use axum::routing::{get, post};
use axum::{Json, Router};

use super::{ApiError, AppState};
pub use api::respondent::OptedOut;

/// Routes under `/api`.
pub fn router() -> Router<AppState> {
    Router::new().route("/optout/{contact}/{signature}", post(one_click))
}

/// The pages the mail's opt-out link opens (outside `/api`).
pub fn pages() -> Router<AppState> {
    Router::new().route("/avmelding/{contact}/{signature}", get(ask).post(confirm))
}

/// Whether `signature` is the server's signature for `contact`, compared
/// without an early exit so timing does not reveal a prefix.
fn signed(state: &AppState, contact: i32, signature: &str) -> Result<(), ApiError> {
    let expected = crate::secret::opt_out_signature(&state.secret, contact);
    let same = expected.len() == signature.len()
        && expected
            .bytes()
            .zip(signature.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0;
    if same {
        Ok(())
    } else {
        Err(ApiError::NotFound("opt-out link not found".into()))
    }
}

fn page(title: &str, body: &str) -> Html<String> {
    Html(format!(
        "<!doctype html><html lang=\"nb\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta name=\"referrer\" content=\"no-referrer\">\
         <title>{title}</title><link rel=\"stylesheet\" href=\"/style.css\"></head>\
         <body><main class=\"app\" id=\"main\"><h1>{title}</h1>{body}</main></body></html>"
    ))
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// `POST /api/optout/{contact}/{signature}`: RFC 8058 one-click opt-out.
#[utoipa::path(post, path = "/api/optout/{contact}/{signature}", tag = "outreach", params(("contact" = i32, Path), ("signature" = String, Path)), responses((status = 200, body = OptedOut), (status = 404, description = "Unknown or forged link", body = crate::http::openapi::ErrorResponse)))]
pub async fn one_click(
    State(state): State<AppState>,
    Path((contact, signature)): Path<(i32, String)>,
) -> Result<Json<OptedOut>, ApiError> {
    signed(&state, contact, &signature)?;
    let c = crate::db::contacts::opt_out(&state.db, contact).await?;
    Ok(Json(OptedOut {
        message: format!(
            "{} får ikke flere e-poster om undersøkelsen fra oss.",
            c.email
        ),
    }))
}

/// The page the mail's link opens: it asks, and changes nothing.
pub async fn ask(
    State(state): State<AppState>,
    Path((contact, signature)): Path<(i32, String)>,
) -> Result<Html<String>, ApiError> {
    signed(&state, contact, &signature)?;
    let c = crate::db::contacts::find(&state.db, contact).await?;
    if c.opted_out {
        return Ok(page(
            "Du er meldt av",
            &format!(
                "<p>{} får ikke flere e-poster om undersøkelsen fra oss.</p>",
                escape(&c.email)
            ),
        ));
    }
    Ok(page(
        "Vil du melde deg av?",
        &format!(
            "<p>Meld deg av hvis {} ikke lenger skal få e-poster om undersøkelsen \
             (invitasjoner og påminnelser). Svar som er gitt, beholdes.</p>\
             <form method=\"post\"><button type=\"submit\" class=\"primary\">Meld meg av</button></form>",
            escape(&c.email)
        ),
    ))
}

/// The page's button: opts out and confirms.
pub async fn confirm(
    State(state): State<AppState>,
    Path((contact, signature)): Path<(i32, String)>,
) -> Result<Html<String>, ApiError> {
    signed(&state, contact, &signature)?;
    let c = crate::db::contacts::opt_out(&state.db, contact).await?;
    Ok(page(
        "Du er meldt av",
        &format!(
            "<p>{} får ikke flere e-poster om undersøkelsen fra oss.</p>",
            escape(&c.email)
        ),
    ))
}
