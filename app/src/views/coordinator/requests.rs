//! Requests for new safes from each side: a service admin asks and follows their requests,
//! the coordinator approves (model, owner of a new address) or declines them, housing-company
//! staff register the safes they hung.

use dioxus::prelude::*;
use kluis_api::registry::{ModelRow, OrganisationRow};
use kluis_api::requests::{
    NewSafeRequest, RequestInstalled, RequestReview, RequestStatus, Review, SafeRequestRow,
};
use kluis_domain::ids::{OrgId, RequestId, SafeModelId};
use kluis_domain::model::OrgKind;

use super::token;
use super::widgets::{Failure, Loading};
use crate::platform;
use crate::state::AppState;
use crate::state::coordinator::{self as desk, format_time};
use crate::state::i18n::{ConfirmKey as K, ConfirmMsg, Lang, say, t};

fn status_text(lang: Lang, r: &SafeRequestRow) -> String {
    match r.status {
        RequestStatus::Requested => t(lang, K::ReqRequested).to_string(),
        RequestStatus::Approved => say(
            lang,
            ConfirmMsg::ReqApprovedWith {
                model: r.model.as_deref().unwrap_or(""),
                owner: r.owner.as_deref().unwrap_or(""),
            },
        ),
        RequestStatus::Declined => say(
            lang,
            ConfirmMsg::ReqDeclinedBecause {
                reason: &r.decline_reason,
            },
        ),
        RequestStatus::Installed | RequestStatus::Unknown => t(lang, K::ReqInstalled).to_string(),
    }
}

fn request_path(template: &str, id: RequestId) -> String {
    template.replacen("{id}", &id.to_string(), 1)
}

/// Who the list is for: it decides the action column.
#[derive(Clone, Copy, PartialEq)]
pub enum RequestsFor {
    Service,
    Coordinator,
    Company,
}

/// The requests the signed-in person sees, with what they can do next, and (for a service
/// admin) the form to ask for a safe.
#[component]
pub fn Requests(view: RequestsFor) -> Element {
    let state = use_context::<AppState>();
    let lang = (state.lang)();
    let mut list = use_resource(move || async move {
        desk::get::<Vec<SafeRequestRow>>(token(state), kluis_api::paths::REQUESTS).await
    });
    let models = use_resource(move || async move {
        desk::get::<Vec<ModelRow>>(token(state), kluis_api::paths::MODELS).await
    });
    let orgs = use_resource(move || async move {
        if view == RequestsFor::Coordinator {
            desk::get::<Vec<OrganisationRow>>(token(state), kluis_api::paths::ORGANISATIONS).await
        } else {
            Ok(Vec::new())
        }
    });
    let answer = list.read().clone();
    let rows = match answer {
        None => return rsx! { Loading {} },
        Some(Err(error)) => return rsx! { Failure { error, onretry: move |_| list.restart() } },
        Some(Ok(rows)) => rows,
    };
    let models: Vec<ModelRow> = models
        .read()
        .clone()
        .and_then(Result::ok)
        .unwrap_or_default();
    let companies: Vec<OrganisationRow> = orgs
        .read()
        .clone()
        .and_then(Result::ok)
        .unwrap_or_default()
        .into_iter()
        .filter(|o| o.kind == OrgKind::HousingCompany && o.active)
        .collect();
    let title = if view == RequestsFor::Company {
        K::ReqToInstall
    } else {
        K::ReqTitle
    };
    rsx! {
        h2 { id: "requests-title", {t(lang, title)} }
        if rows.is_empty() {
            p { class: "notice", id: "no-requests", {t(lang, K::ReqNone)} }
        } else {
            div { class: "table-wrap",
                table { class: "desk-table", id: "requests", aria_labelledby: "requests-title",
                    thead {
                        tr {
                            th { scope: "col", {t(lang, K::ReqColAddress)} }
                            th { scope: "col", {t(lang, K::ReqColReason)} }
                            th { scope: "col", {t(lang, K::ReqColBy)} }
                            th { scope: "col", {t(lang, K::ReqColStatus)} }
                            if view != RequestsFor::Service {
                                th { scope: "col", {t(lang, K::ReqColAction)} }
                            }
                        }
                    }
                    tbody {
                        for r in rows {
                            RequestLine {
                                key: "{r.id}",
                                row: r.clone(),
                                view,
                                models: models.clone(),
                                companies: companies.clone(),
                                ondone: move |_| {
                                    list.restart();
                                    super::attention::changed();
                                },
                            }
                        }
                    }
                }
            }
        }
        if view == RequestsFor::Service {
            NewRequest { onsent: move |_| {
                list.restart();
                super::attention::changed();
            } }
        }
    }
}

#[component]
fn RequestLine(
    row: SafeRequestRow,
    view: RequestsFor,
    models: Vec<ModelRow>,
    companies: Vec<OrganisationRow>,
    ondone: EventHandler<()>,
) -> Element {
    let state = use_context::<AppState>();
    let lang = (state.lang)();
    let id = row.id;
    let mut model = use_signal(|| None::<SafeModelId>);
    let mut owner = use_signal(|| None::<OrgId>);
    let mut reason = use_signal(String::new);
    let mut placement = use_signal(String::new);
    let today = kluis_domain::time::Timestamp::from_millis(platform::now_millis()).date_utc();
    let mut day = use_signal(move || today.to_string());
    let mut error = use_signal(|| None::<String>);
    let chosen_model = model().or(models.first().map(|m| m.id));
    let chosen_owner = owner().or(companies.first().map(|c| c.id));
    let new_address = row.building_id.is_none();
    let send = move |path: String, body: String| {
        spawn(async move {
            match desk::post::<SafeRequestRow>(token(state), &path, &body).await {
                Ok(_) => {
                    error.set(None);
                    ondone.call(());
                }
                Err(e) => error.set(Some(e.message(lang))),
            }
        });
    };
    let who = match &row.service {
        Some(s) => format!(
            "{} ({s}), {}",
            row.requested_by,
            format_time(row.requested_at)
        ),
        None => format!("{}, {}", row.requested_by, format_time(row.requested_at)),
    };
    rsx! {
        tr {
            th { scope: "row", "{row.address}" div { class: "hint", "{row.contact}" } }
            td { "{row.reason}" }
            td { "{who}" }
            td { {status_text(lang, &row)} }
            if view == RequestsFor::Coordinator {
                td {
                    if row.status == RequestStatus::Requested {
                        div { class: "desk-toolbar",
                            select {
                                class: "input",
                                aria_label: "{t(lang, K::ReqModel)}: {row.address}",
                                onchange: move |e: FormEvent| model.set(e.value().parse().ok()),
                                for m in models.iter() {
                                    option { key: "{m.id}", value: "{m.id}", selected: Some(m.id) == chosen_model, "{m.name}" }
                                }
                            }
                            if new_address {
                                select {
                                    class: "input",
                                    aria_label: "{t(lang, K::ReqOwner)}: {row.address}",
                                    onchange: move |e: FormEvent| owner.set(e.value().parse().ok()),
                                    for c in companies.iter() {
                                        option { key: "{c.id}", value: "{c.id}", selected: Some(c.id) == chosen_owner, "{c.name}" }
                                    }
                                }
                            }
                            button {
                                class: "button button-primary desk-small",
                                r#type: "button",
                                aria_label: "{t(lang, K::ReqApprove)}: {row.address}",
                                onclick: move |_| {
                                    let body = serde_json::to_string(&RequestReview {
                                        review: Review::Approve,
                                        model_id: chosen_model,
                                        owner_id: if new_address { chosen_owner } else { None },
                                        reason: String::new(),
                                    }).unwrap_or_default();
                                    send(request_path(kluis_api::paths::REQUEST_REVIEW, id), body);
                                },
                                {t(lang, K::ReqApprove)}
                            }
                        }
                        div { class: "desk-toolbar",
                            input {
                                class: "input",
                                aria_label: "{t(lang, K::ReqDeclineReason)}: {row.address}",
                                placeholder: "{t(lang, K::ReqDeclineReason)}",
                                value: "{reason}",
                                oninput: move |e: FormEvent| reason.set(e.value()),
                            }
                            button {
                                class: "button button-secondary desk-small",
                                r#type: "button",
                                aria_label: "{t(lang, K::ReqDecline)}: {row.address}",
                                onclick: move |_| {
                                    let body = serde_json::to_string(&RequestReview {
                                        review: Review::Decline,
                                        model_id: None,
                                        owner_id: None,
                                        reason: reason(),
                                    }).unwrap_or_default();
                                    send(request_path(kluis_api::paths::REQUEST_REVIEW, id), body);
                                },
                                {t(lang, K::ReqDecline)}
                            }
                        }
                    }
                    if let Some(message) = error() {
                        p { class: "alert", role: "alert", "{message}" }
                    }
                }
            }
            if view == RequestsFor::Company {
                td {
                    if row.status == RequestStatus::Approved {
                        div { class: "desk-toolbar",
                            input {
                                class: "input",
                                aria_label: "{t(lang, K::ReqPlacement)}: {row.address}",
                                placeholder: "{t(lang, K::ReqPlacement)}",
                                value: "{placement}",
                                oninput: move |e: FormEvent| placement.set(e.value()),
                            }
                            input {
                                class: "input",
                                r#type: "date",
                                aria_label: "{t(lang, K::ReqInstalledOn)}: {row.address}",
                                value: "{day}",
                                oninput: move |e: FormEvent| day.set(e.value()),
                            }
                            button {
                                class: "button button-primary desk-small",
                                r#type: "button",
                                aria_label: "{t(lang, K::ReqMarkInstalled)}: {row.address}",
                                onclick: move |_| {
                                    let Ok(installed_on) = day().parse() else {
                                        error.set(Some(t(lang, K::ErrDateInFuture).to_string()));
                                        return;
                                    };
                                    let body = serde_json::to_string(&RequestInstalled {
                                        placement: placement(),
                                        installed_on,
                                    }).unwrap_or_default();
                                    send(request_path(kluis_api::paths::REQUEST_INSTALLED, id), body);
                                },
                                {t(lang, K::ReqMarkInstalled)}
                            }
                        }
                    }
                    if let Some(message) = error() {
                        p { class: "alert", role: "alert", "{message}" }
                    }
                }
            }
        }
    }
}

#[component]
fn NewRequest(onsent: EventHandler<()>) -> Element {
    let state = use_context::<AppState>();
    let lang = (state.lang)();
    let mut street = use_signal(String::new);
    let mut numbers = use_signal(String::new);
    let postcode = use_signal(|| "9000".to_string());
    let city = use_signal(|| "Gent".to_string());
    let mut apartments = use_signal(String::new);
    let mut reason = use_signal(String::new);
    let mut contact = use_signal(String::new);
    let mut message = use_signal(|| None::<(bool, String)>);
    let submit = move |e: FormEvent| async move {
        e.prevent_default();
        let body = serde_json::to_string(&NewSafeRequest {
            building_id: None,
            street: street(),
            numbers: numbers(),
            postcode: postcode(),
            city: city(),
            apartments: apartments().trim().parse().unwrap_or(0),
            reason: reason(),
            contact: contact(),
        })
        .unwrap_or_default();
        match desk::post::<SafeRequestRow>(token(state), kluis_api::paths::REQUESTS, &body).await {
            Ok(_) => {
                message.set(Some((true, t(lang, K::ReqSent).to_string())));
                street.set(String::new());
                numbers.set(String::new());
                apartments.set(String::new());
                reason.set(String::new());
                contact.set(String::new());
                onsent.call(());
            }
            Err(e) => message.set(Some((false, e.message(lang)))),
        }
    };
    let field = |id: &'static str, label: K, value: Signal<String>| {
        let mut value = value;
        rsx! {
            div { class: "field",
                label { r#for: "{id}", {t(lang, label)} }
                input { class: "input", id: "{id}", value: "{value}", oninput: move |e: FormEvent| value.set(e.value()) }
            }
        }
    };
    rsx! {
        form { class: "card desk-form", id: "new-request", novalidate: true, onsubmit: submit,
            h3 { {t(lang, K::ReqNew)} }
            p { class: "hint", {t(lang, K::ReqExplain)} }
            {field("req-street", K::ReqStreet, street)}
            {field("req-numbers", K::ReqNumbers, numbers)}
            {field("req-postcode", K::ReqPostcode, postcode)}
            {field("req-city", K::ReqCity, city)}
            {field("req-apartments", K::ReqApartments, apartments)}
            {field("req-reason", K::ReqReason, reason)}
            {field("req-contact", K::ReqContact, contact)}
            if let Some((ok, text)) = message() {
                p { class: if ok { "hint" } else { "alert" }, role: if ok { "status" } else { "alert" }, "{text}" }
            }
            button { class: "button button-primary desk-small", r#type: "submit", {t(lang, K::ReqSend)} }
        }
    }
}
