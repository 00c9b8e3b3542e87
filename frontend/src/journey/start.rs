//! The start page of a personal link: the introduction, the answering
//! window, and the responses (services) answered from the link, each to
//! continue, see or (when empty) delete.

use leptos::prelude::*;
use leptos::task::spawn_local;
use survey_definitions::{Answer, AnswerSet, SurveyDefinition};

use super::{Loaded, page_route};
use crate::api::{self, ResponseSummary};
use crate::chrome::survey_text;
use crate::format::date_time;
use crate::route::{Resp, Route, Router, focus_later, set_title};

/// The key under which the page last edited of a response is remembered.
pub(crate) fn last_page_key(id: i32) -> String {
    format!("omfang:side:{id}")
}

/// Where "Fortsett" goes: the page last edited on this device, else the
/// page of the last answered question (another device), else the first.
fn resume_section(def: &SurveyDefinition, id: i32, answers: Option<&AnswerSet>) -> String {
    let stored = window()
        .local_storage()
        .ok()
        .flatten()
        .and_then(|s| s.get_item(&last_page_key(id)).ok().flatten())
        .filter(|s| def.section(s).is_some());
    let first = def
        .sections
        .first()
        .map(|s| s.id.clone())
        .unwrap_or_default();
    stored
        .or_else(|| {
            let answers = answers?;
            def.items
                .iter()
                .rev()
                .find(|i| {
                    answers
                        .values
                        .get(&i.id)
                        .is_some_and(|a| *a != Answer::Null)
                })
                .map(|i| i.section.clone())
        })
        .unwrap_or(first)
}

/// The start page.
#[component]
pub(crate) fn StartPage(
    /// Loaded data.
    l: Loaded,
) -> impl IntoView {
    set_title("Start", &l.def.survey.title);
    focus_later("page-heading".into());
    let router = Router::get();
    let error = RwSignal::new(None::<String>);
    let view = l.view;
    {
        let token = l.token.clone();
        spawn_local(async move {
            if let Ok(v) = api::invitation(&token).await {
                view.set(v);
            }
        });
    }
    let first = l
        .def
        .sections
        .first()
        .map(|s| s.id.clone())
        .unwrap_or_default();
    let has_any = move || view.with(|v| !v.responses.is_empty());
    // A survey answered once per link (a district's report) offers no second start.
    let once = l.def.survey.responses_per_link == Some(1);
    let list = {
        let l = l.clone();
        move || {
            view.get()
                .responses
                .into_iter()
                .enumerate()
                .map(|(n, r)| view! { <ServiceRow l=l.clone() n=n r=r error=error /> })
                .collect_view()
        }
    };
    let window_text = move || view.with(|v| v.window.clone());
    let closed = move || view.with(|v| v.closed.clone());
    let (l2, first2) = (l.clone(), first.clone());
    let start_new = move |_| {
        super::forget_open();
        router.go(page_route(&l2, Resp::New, &first2));
    };
    view! {
        <h1 id="page-heading" tabindex="-1">{l.def.survey.title.clone()}</h1>
        {move || window_text().map(|t| view! { <p class="notice">{t}</p> })}
        {l.def.survey.period.as_ref().map(|p| view! { <p class="notice" id="period">{p.describe()}</p> })}
        {move || closed().map(|t| view! { <p class="notice warning" role="status">{t}</p> })}
        <section class="intro" aria-label="Innledning">{survey_text(&l.def, &l.def.survey.introduction)}</section>
        <section aria-labelledby="services-heading">
            <h2 id="services-heading">"Dine svar"</h2>
            <p hidden=has_any>"Du har ikke begynt ennå."</p>
            <ul class="services" hidden=move || !has_any()>{list}</ul>
            <button type="button" class="primary" hidden=move || closed().is_some() || (once && has_any()) on:click=start_new>
                {move || if has_any() { "Start et nytt svar (for en annen enhet eller tjeneste)" } else { "Start undersøkelsen" }}
            </button>
            {move || error.get().map(|e| view! { <p class="load-error" role="alert">{e}</p> })}
        </section>
    }
}

/// One response in the list, with what can be done with it.
#[component]
fn ServiceRow(
    /// Loaded data.
    l: Loaded,
    /// Its place in the list.
    n: usize,
    /// The response.
    r: ResponseSummary,
    /// Where errors are shown.
    error: RwSignal<Option<String>>,
) -> impl IntoView {
    let router = Router::get();
    let submitted = r.status == "submitted";
    let name = r.label.clone().unwrap_or_else(|| format!("Svar {}", n + 1));
    let status = if submitted {
        format!(
            "Sendt inn {}",
            date_time(r.submitted_at.as_deref().unwrap_or(&r.updated_at))
        )
    } else if r.submitted_at.is_some() {
        format!(
            "Åpnet for endring, ikke sendt inn på nytt – sist lagret {}",
            date_time(&r.updated_at)
        )
    } else {
        format!(
            "Påbegynt, ikke sendt inn – sist lagret {}",
            date_time(&r.updated_at)
        )
    };
    let (id, version) = (r.id, r.version);
    let confirming = RwSignal::new(false);
    let l2 = l.clone();
    let open = move |_| {
        let l = l2.clone();
        if submitted {
            router.go(Route::Receipt(l.token.clone(), id));
            return;
        }
        let token = l.token.clone();
        spawn_local(async move {
            let answers = api::response(&token, id).await.ok().map(|s| s.answers);
            let section = resume_section(&l.def, id, answers.as_ref());
            router.go(page_route(&l, Resp::Id(id), &section));
        });
    };
    let l3 = l.clone();
    let delete = move |_| {
        let l = l3.clone();
        spawn_local(async move {
            match api::discard(&l.token, id, version).await {
                Ok(()) => {
                    if let Ok(v) = api::invitation(&l.token).await {
                        l.view.set(v);
                    }
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <li class="service">
            <span>
                <strong>{name}</strong>
                <br /><small>{status}</small>
            </span>
            <span class="service-actions">
                <button type="button" class=if submitted { "" } else { "primary" } on:click=open>
                    {if submitted { "Se kvittering" } else { "Fortsett" }}
                </button>
                {r.deletable.then(|| view! {
                    <button type="button" class="danger" on:click=move |_| { confirming.set(true); focus_later(format!("delete-{id}")); }>"Slett utkastet"</button>
                })}
            </span>
                <div class="confirm" role="alertdialog" aria-label="Slette utkastet?" hidden=move || !confirming.get()>
                    <p>"Utkastet er ikke sendt inn. Vil du slette det? Svarene i det blir ikke med i undersøkelsen."</p>
                    <button type="button" class="danger" id=format!("delete-{id}") on:click=delete>"Ja, slett utkastet"</button>
                    " "
                    <button type="button" on:click=move |_| confirming.set(false)>"Avbryt"</button>
                </div>
        </li>
    }
}
