//! Reports built in the background with visible progress: a researcher
//! starts a job (`POST …/report-jobs`), reads how far it has come
//! (`GET /api/research/report-jobs/{job}`, figure by figure), and fetches
//! the ZIP (`GET …/{job}/report.zip`, which waits for the job). Jobs live
//! in memory; a finished job's ZIP is kept for [`KEEP`] and then dropped.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use api::research::ReportJob;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;

use super::auth::{Authorized, Researcher};
use super::error::ApiQuery;
use super::research::{SampleQuery, sample};
use super::{ApiError, AppState};
use crate::db::accounts;

/// How long a finished report stays to be fetched.
const KEEP: Duration = Duration::from_secs(15 * 60);

/// The report jobs of a server.
#[derive(Default)]
pub struct ReportJobs {
    next: AtomicU64,
    jobs: Mutex<HashMap<u64, Arc<Job>>>,
}

struct Job {
    survey_id: String,
    sample: &'static str,
    done: AtomicU64,
    total: AtomicU64,
    /// `None` while running; the ZIP or the reason it failed.
    result: tokio::sync::watch::Sender<Option<Result<Arc<Vec<u8>>, String>>>,
    finished: Mutex<Option<Instant>>,
}

impl Job {
    fn view(&self, id: u64) -> ReportJob {
        let (done, total) = (
            self.done.load(Ordering::Relaxed),
            self.total.load(Ordering::Relaxed),
        );
        let (state, message) = match &*self.result.borrow() {
            None if total > 0 && done >= total => (
                "running",
                "Tegner figurene og pakker ZIP-filen …".to_owned(),
            ),
            None if total > 0 => (
                "running",
                format!("Beregner figur og tabell {done} av {total} …"),
            ),
            None => ("running", "Henter svarene …".to_owned()),
            Some(Ok(bytes)) => (
                "ready",
                format!(
                    "Rapporten er klar ({} MB).",
                    format!("{:.1}", bytes.len() as f64 / 1e6).replace('.', ",")
                ),
            ),
            Some(Err(e)) => ("failed", format!("Rapporten kunne ikke lages: {e}")),
        };
        ReportJob {
            id,
            survey_id: self.survey_id.clone(),
            state: state.to_owned(),
            done,
            total,
            message,
        }
    }
}

impl ReportJobs {
    fn get(&self, id: u64) -> Result<Arc<Job>, ApiError> {
        self.jobs
            .lock()
            .map_err(|_| ApiError::Internal(crate::Error::Config("report jobs poisoned".into())))?
            .get(&id)
            .cloned()
            .ok_or_else(|| ApiError::NotFound(format!("report job {id} not found")))
    }

    /// Registers a job, dropping finished ones older than [`KEEP`].
    fn add(&self, job: Arc<Job>) -> Result<u64, ApiError> {
        let id = self.next.fetch_add(1, Ordering::Relaxed) + 1;
        let mut jobs = self
            .jobs
            .lock()
            .map_err(|_| ApiError::Internal(crate::Error::Config("report jobs poisoned".into())))?;
        jobs.retain(|_, j| {
            j.finished
                .lock()
                .map(|f| f.is_none_or(|t| t.elapsed() < KEEP))
                .unwrap_or(false)
        });
        jobs.insert(id, job);
        Ok(id)
    }
}

/// `POST /api/research/rounds/{survey}/report-jobs`: starts building the
/// round's report (as `report.zip`) in the background.
#[utoipa::path(post, path = "/api/research/rounds/{survey}/report-jobs", tag = "research", params(("survey" = String, Path), SampleQuery), responses((status = 202, body = ReportJob), (status = 401, body = crate::http::openapi::ErrorResponse), (status = 403, body = crate::http::openapi::ErrorResponse), (status = 404, body = crate::http::openapi::ErrorResponse)))]
pub async fn start(
    State(state): State<AppState>,
    _: Researcher,
    Path(survey): Path<String>,
    ApiQuery(query): ApiQuery<SampleQuery>,
) -> Result<(StatusCode, Json<ReportJob>), ApiError> {
    let s = sample(query.sample.as_deref())?;
    // The round must exist before a job is made for it.
    crate::db::round::find(&state.db, &survey).await?;
    let (tx, _) = tokio::sync::watch::channel(None);
    let job = Arc::new(Job {
        survey_id: survey.clone(),
        sample: s.name(),
        done: AtomicU64::new(0),
        total: AtomicU64::new(0),
        result: tx,
        finished: Mutex::new(None),
    });
    let id = state.report_jobs.add(job.clone())?;
    let db = state.db.clone();
    let worker = job.clone();
    tokio::spawn(async move {
        let built = async {
            let c = crate::db::analysis::cleaned(&db, &survey, s).await?;
            let progress_job = worker.clone();
            tokio::task::spawn_blocking(move || {
                crate::reports::build(&c, &mut |done, total| {
                    progress_job.done.store(done as u64, Ordering::Relaxed);
                    progress_job.total.store(total as u64, Ordering::Relaxed);
                })
            })
            .await
            .map_err(|e| crate::Error::Config(format!("building the report: {e}")))?
        }
        .await;
        if let Err(e) = &built {
            tracing::error!(error = %e, "report job failed");
        }
        if let Ok(mut f) = worker.finished.lock() {
            *f = Some(Instant::now());
        }
        worker
            .result
            .send_replace(Some(built.map(Arc::new).map_err(|e| e.to_string())));
    });
    Ok((StatusCode::ACCEPTED, Json(job.view(id))))
}

/// `GET /api/research/report-jobs/{job}`: how far a report has come.
#[utoipa::path(get, path = "/api/research/report-jobs/{job}", tag = "research", params(("job" = u64, Path)), responses((status = 200, body = ReportJob), (status = 401, body = crate::http::openapi::ErrorResponse), (status = 403, body = crate::http::openapi::ErrorResponse), (status = 404, body = crate::http::openapi::ErrorResponse)))]
pub async fn progress(
    State(state): State<AppState>,
    _: Researcher,
    Path(id): Path<u64>,
) -> Result<Json<ReportJob>, ApiError> {
    Ok(Json(state.report_jobs.get(id)?.view(id)))
}

/// `GET /api/research/report-jobs/{job}/report.zip`: the finished report
/// (waits for the job if it is still running). Audited.
#[utoipa::path(get, path = "/api/research/report-jobs/{job}/report.zip", tag = "research", params(("job" = u64, Path)), responses((status = 200, description = "ZIP", content_type = "application/zip"), (status = 401, body = crate::http::openapi::ErrorResponse), (status = 403, body = crate::http::openapi::ErrorResponse), (status = 404, body = crate::http::openapi::ErrorResponse)))]
pub async fn zip(
    State(state): State<AppState>,
    Authorized(user): Researcher,
    Path(id): Path<u64>,
) -> Result<Response, ApiError> {
    let job = state.report_jobs.get(id)?;
    let mut rx = job.result.subscribe();
    let result = rx
        .wait_for(Option::is_some)
        .await
        .map_err(|e| ApiError::Internal(crate::Error::Config(e.to_string())))?
        .clone();
    let bytes = match result {
        Some(Ok(bytes)) => bytes,
        Some(Err(e)) => return Err(ApiError::BadRequest(e)),
        None => {
            return Err(ApiError::Internal(crate::Error::Config(
                "a report job ended without a result".into(),
            )));
        }
    };
    accounts::audit(
        &state.db,
        &user.user.email,
        "export",
        &format!("report {} (sample {}) as zip", job.survey_id, job.sample),
    )
    .await?;
    Ok(super::research_files::file(
        "application/zip",
        format!("rapport-{}.zip", job.survey_id),
        bytes.to_vec(),
    ))
}
