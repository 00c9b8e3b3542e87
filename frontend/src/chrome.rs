//! What frames every page: the header with the survey's owner and who one
//! answers for, the footer with contact points and links, the texts with
//! their contact list, the privacy notice and the accessibility statement.
//! Every survey-specific word comes from the definition.
//!
//! Static text is built as escaped HTML strings: each distinct view tree
//! costs wasm code, and respondents download it on phones.

use std::fmt::Write;

use leptos::prelude::*;
use survey_definitions::{ContactPoint, SurveyDefinition};

use crate::format::esc;
use crate::route::{Route, follow_link};

/// The header band: owner, survey title and "Du svarer for: …".
#[component]
pub fn SiteHeader(
    /// The survey.
    def: std::sync::Arc<SurveyDefinition>,
    /// Who the respondent answers for (empty in the preview).
    #[prop(into)]
    answering_for: Signal<String>,
) -> impl IntoView {
    let mut top = String::new();
    if let Some(o) = &def.survey.owner {
        let _ = write!(top, "<p class=\"site-owner\">{}</p>", esc(o));
    }
    let _ = write!(
        top,
        "<p class=\"site-title\">{}</p>",
        esc(&def.survey.title)
    );
    view! {
        <a class="skip-link" href="#main">"Hopp til hovedinnhold"</a>
        <header class="site-header">
            <div class="site-header-inner">
                <div inner_html=top></div>
                <p class="answering-for" hidden=move || answering_for.get().is_empty()>"Du svarer for: "<strong>{move || answering_for.get()}</strong></p>
            </div>
        </header>
    }
}

/// The footer: contact points, owner, privacy notice and accessibility statement.
#[component]
pub fn SiteFooter(
    /// The survey.
    def: std::sync::Arc<SurveyDefinition>,
    /// The personal link's token (its pages keep the link), if any.
    token: Option<String>,
) -> impl IntoView {
    let mut html = String::new();
    if !def.survey.contacts.is_empty() {
        html.push_str("<h2>Spørsmål om undersøkelsen</h2>");
        html.push_str(&contacts_html(&def.survey.contacts));
    }
    if let Some(o) = &def.survey.owner {
        let _ = write!(html, "<p>Undersøkelsen eies av {}.</p>", esc(o));
    }
    let _ = write!(
        html,
        "<nav class=\"footer-links\" aria-label=\"Om tjenesten\"><a href=\"{}\">Personvernerklæring</a> <a href=\"{}\">Tilgjengelighetserklæring</a></nav>",
        esc(&Route::Privacy(token.clone()).path()),
        esc(&Route::Accessibility(token).path()),
    );
    view! {
        <footer class="site-footer">
            <div class="site-footer-inner" inner_html=html on:click=|ev| follow_link(&ev, |_| ())></div>
        </footer>
    }
}

/// A list of contact points with e-mail and telephone links.
pub fn contacts_html(contacts: &[ContactPoint]) -> String {
    let mut out = String::from("<ul class=\"contacts\">");
    for c in contacts {
        let _ = write!(out, "<li><strong>{}</strong>", esc(&c.name));
        if let Some(x) = &c.covers {
            let _ = write!(out, " ({})", esc(x));
        }
        if let Some(e) = &c.email {
            let _ = write!(out, ", <a href=\"mailto:{0}\">{0}</a>", esc(e));
        }
        if let Some(p) = &c.phone {
            let tel: String = p
                .chars()
                .filter(|ch| ch.is_ascii_digit() || *ch == '+')
                .collect();
            let _ = write!(out, ", <a href=\"tel:{}\">{}</a>", esc(&tel), esc(p));
        }
        out.push_str("</li>");
    }
    out.push_str("</ul>");
    out
}

/// A definition text (introduction, closing) as HTML paragraphs, with the
/// contact prompt and list where the text has `{kontakter}`; blank lines
/// separate paragraphs and single line breaks are kept.
pub fn survey_text_html(def: &SurveyDefinition, text: &str) -> String {
    let (text, with_list) = def.survey.with_contacts(text);
    let prompt = def.survey.contact_prompt.as_deref().unwrap_or("\u{0}");
    let mut out = String::new();
    for p in text.split("\n\n").map(str::trim).filter(|p| !p.is_empty()) {
        let lines: Vec<String> = p.lines().map(esc).collect();
        let _ = write!(out, "<p>{}</p>", lines.join("<br>"));
        if with_list && p.contains(prompt) {
            out.push_str(&contacts_html(&def.survey.contacts));
        }
    }
    out
}

/// A definition text as a block of paragraphs.
pub fn survey_text(def: &SurveyDefinition, text: &str) -> impl IntoView + use<> {
    view! { <div class="survey-text" inner_html=survey_text_html(def, text)></div> }
}

/// The privacy notice: what is collected, why, for how long, the
/// respondent's rights and whom to contact; facts from the definition.
pub fn privacy_html(def: &SurveyDefinition, retention_until: Option<&str>) -> String {
    let s = &def.survey;
    let owner = s
        .owner
        .clone()
        .unwrap_or_else(|| "eieren av undersøkelsen".into());
    let personal: Vec<String> = def
        .items
        .iter()
        .filter(|i| i.personal)
        .map(|i| {
            // "Ditt fornavn og etternavn" → "ditt fornavn og etternavn" inside a sentence.
            let t = i.text.trim().trim_end_matches(':');
            let mut c = t.chars();
            c.next().map_or_else(String::new, |f| {
                f.to_ascii_lowercase().to_string() + c.as_str()
            })
        })
        .collect();
    let p = s.privacy.as_ref();
    let mut h = String::from("<h1 id=\"page-heading\" tabindex=\"-1\">Personvernerklæring</h1>");
    let _ = write!(h, "<p>Denne erklæringen gjelder «{}».</p>", esc(&s.title));
    let controller = p.map_or(owner.clone(), |p| p.controller.clone());
    let _ = write!(
        h,
        "<h2>Behandlingsansvarlig</h2><p>{}</p>",
        esc(&controller)
    );
    h.push_str("<h2>Hva vi samler inn</h2><ul><li>Svarene du gir i skjemaet. De handler om virksomheten du svarer for, ikke om deg.</li>");
    if !personal.is_empty() {
        let _ = write!(
            h,
            "<li>Om deg som svarer: {}. Dette lagres atskilt fra svarene og tas bare med i datafiler når en forsker ber særskilt om det (det blir logget).</li>",
            esc(&personal.join(", "))
        );
    }
    h.push_str("<li>E-postadressen invitasjonen ble sendt til, og når den ble sendt.</li><li>Svar som ikke er lagret ennå, holdes en kort stund i nettleseren på enheten din (lokal lagring), til de er lagret. Vi bruker ingen informasjonskapsler til sporing eller statistikk.</li></ul>");
    if let Some(p) = p {
        let _ = write!(
            h,
            "<h2>Hvorfor vi samler inn opplysningene</h2><p>{}</p>",
            esc(&p.purpose)
        );
        if let Some(b) = &p.legal_basis {
            let _ = write!(h, "<h2>Rettslig grunnlag</h2><p>{}</p>", esc(b));
        }
    }
    // What identifies the respondent: the items marked personal, and the
    // invitation's e-mail address.
    let about_you = if personal.is_empty() {
        "E-postadressen".to_owned()
    } else {
        let mut t = format!("Opplysningene om deg ({})", personal.join(", "));
        t.push_str(" og e-postadressen");
        t
    };
    let retention = match retention_until {
        Some(t) => format!(
            "{about_you} slettes senest {}. Svarene beholdes uten disse opplysningene.",
            crate::format::date(t)
        ),
        None => format!(
            "{about_you} slettes når undersøkelsen er ferdig analysert. {owner} fastsetter datoen for slettingen, og erklæringen viser den når den er satt."
        ),
    };
    let _ = write!(h, "<h2>Hvor lenge vi lagrer</h2><p>{}</p>", esc(&retention));
    h.push_str("<h2>Dine rettigheter</h2><p>Du har rett til innsyn i opplysningene om deg, til å få dem rettet eller slettet, til å begrense behandlingen og til å protestere mot den. Du kan også klage til Datatilsynet (<a href=\"https://www.datatilsynet.no/\">datatilsynet.no</a>).</p><h2>Kontakt</h2>");
    if let Some(c) = p.and_then(|p| p.contact.as_ref()) {
        let _ = write!(
            h,
            "<p>Spørsmål om personvern: <a href=\"mailto:{0}\">{0}</a></p>",
            esc(c)
        );
    }
    if let Some(c) = p.and_then(|p| p.data_protection_officer.as_ref()) {
        let _ = write!(h, "<p>Personvernombud: {}</p>", esc(c));
    }
    if !s.contacts.is_empty() {
        h.push_str(&contacts_html(&s.contacts));
    }
    let also = if s.contacts.is_empty() { "" } else { "også " };
    let _ = write!(
        h,
        "<p>Du kan {also}svare på e-posten med invitasjonen for å nå {}.</p>",
        esc(&owner)
    );
    h
}

/// The accessibility statement, in the parts Norway's supervisory authority
/// for universal design (uutilsynet) asks for: scope, status, known
/// deviations, how it was checked, feedback and complaints.
pub fn accessibility_html(def: &SurveyDefinition) -> String {
    let s = &def.survey;
    let owner = s
        .owner
        .clone()
        .unwrap_or_else(|| "eieren av undersøkelsen".into());
    let mut h =
        String::from("<h1 id=\"page-heading\" tabindex=\"-1\">Tilgjengelighetserklæring</h1>");
    let _ = write!(
        h,
        "<p>Erklæringen gjelder nettskjemaet «{}», som {} er ansvarlig for.</p>",
        esc(&s.title),
        esc(&owner)
    );
    h.push_str("<h2>Status</h2><p>Skjemaet skal oppfylle kravene i WCAG 2.1 på nivå A og AA, slik forskrift om universell utforming av IKT-løsninger krever. Vi kjenner ikke til brudd på kravene.</p>");
    h.push_str("<h2>Slik har vi kontrollert</h2><ul><li>Hver sidetype (start, spørsmål, oppsummering, kvittering, kopi av svarene, denne siden og personvernerklæringen) kontrolleres automatisk med axe-core mot WCAG 2.1 A og AA for hver ny versjon. Siste kontroll fant 0 brudd.</li><li>Hele utfyllingen testes i nettleseren Chromium, på skjermbredde for PC (1280 piksler) og mobil (375 piksler).</li><li>Test med skjermleser er ikke gjennomført ennå.</li></ul>");
    h.push_str("<h2>Tilbakemelding</h2><p>Opplever du at noe ikke fungerer for deg, eller finner du feil? Gi oss beskjed, så hjelper vi deg med å svare på en annen måte.</p>");
    if !s.contacts.is_empty() {
        h.push_str(&contacts_html(&s.contacts));
    }
    h.push_str(if s.contacts.is_empty() {
        "<p>Du kan svare på e-posten med invitasjonen.</p>"
    } else {
        "<p>Du kan også svare på e-posten med invitasjonen.</p>"
    });
    h.push_str("<h2>Klage</h2><p>Får du ikke svar, eller er du ikke fornøyd med svaret, kan du klage til Tilsynet for universell utforming av ikt (uutilsynet): <a href=\"https://www.uutilsynet.no/\">uutilsynet.no</a>.</p>");
    h
}

/// The privacy notice as a page.
#[component]
pub fn PrivacyPage(
    /// The survey.
    def: std::sync::Arc<SurveyDefinition>,
    /// When personal data is deleted (RFC 3339), if the round says.
    retention_until: Option<String>,
    /// Where «Tilbake til undersøkelsen» leads.
    back: Route,
) -> impl IntoView {
    crate::route::set_title("Personvernerklæring", &def.survey.title);
    crate::route::focus_later("page-heading".into());
    let html = privacy_html(&def, retention_until.as_deref()) + &back_link(&back);
    view! { <article class="prose" inner_html=html on:click=|ev| follow_link(&ev, |_| ())></article> }
}

/// «Tilbake til undersøkelsen» as HTML.
fn back_link(to: &Route) -> String {
    format!(
        "<p><a href=\"{}\">Tilbake til undersøkelsen</a></p>",
        esc(&to.path())
    )
}

/// The accessibility statement as a page.
#[component]
pub fn AccessibilityPage(
    /// The survey.
    def: std::sync::Arc<SurveyDefinition>,
    /// Where «Tilbake til undersøkelsen» leads.
    back: Route,
) -> impl IntoView {
    crate::route::set_title("Tilgjengelighetserklæring", &def.survey.title);
    crate::route::focus_later("page-heading".into());
    let html = accessibility_html(&def) + &back_link(&back);
    view! { <article class="prose" inner_html=html on:click=|ev| follow_link(&ev, |_| ())></article> }
}
