//! One building of the registry: its address (edited in place), its safe along the life
//! cycle (or a new one), which services are active there, and who changed what.

use dioxus::prelude::*;
use kluis_api::registry::{
    BuildingInput, BuildingRow, BuildingServices, ModelRow, NewSafe, OrganisationRow,
    RegistryChange, SafeEdit, SafeRow,
};
use kluis_domain::ids::{BuildingId, OrgId, SafeModelId};
use kluis_domain::model::{OrgKind, SafeStatus};

use super::registry::BuildingFields;
use super::token;
use super::widgets::{Failure, Loading};
use crate::state::AppState;
use crate::state::coordinator::{self as desk, Label, building_label, format_time};
use crate::state::i18n::{ConfirmKey, ConfirmMsg, DeskKey, say, t};
use crate::views::{Route, go_back_to};

#[component]
pub fn Building(id: BuildingId) -> Element {
    let state = use_context::<AppState>();
    let lang = (state.lang)();
    let mut building = use_resource(move || async move {
        desk::get::<BuildingRow>(token(state), &kluis_api::paths::building(id)).await
    });
    let orgs = use_resource(move || async move {
        desk::get::<Vec<OrganisationRow>>(token(state), kluis_api::paths::ORGANISATIONS).await
    });
    let models = use_resource(move || async move {
        desk::get::<Vec<ModelRow>>(token(state), kluis_api::paths::MODELS).await
    });
    let mut history = use_resource(move || async move {
        desk::get::<Vec<RegistryChange>>(token(state), &kluis_api::paths::building_history(id))
            .await
    });

    let answer = building.read().clone();
    let b = match answer {
        None => return rsx! { Loading {} },
        Some(Err(error)) => {
            return rsx! { Failure { error, onretry: move |_| building.restart() } };
        }
        Some(Ok(b)) => b,
    };
    let orgs = orgs.read().clone().and_then(Result::ok).unwrap_or_default();
    let models = models
        .read()
        .clone()
        .and_then(Result::ok)
        .unwrap_or_default();
    let companies: Vec<OrganisationRow> = orgs
        .iter()
        .filter(|o| o.kind == OrgKind::HousingCompany)
        .cloned()
        .collect();
    let services: Vec<OrganisationRow> = orgs
        .iter()
        .filter(|o| o.kind == OrgKind::CareService)
        .cloned()
        .collect();
    let hanging = b
        .safes
        .iter()
        .find(|s| s.status != SafeStatus::Removed)
        .cloned();
    let changed = move |_| {
        building.restart();
        history.restart();
    };

    rsx! {
        div { class: "desk-toolbar",
            button { class: "button button-secondary desk-small", r#type: "button",
                onclick: move |_| go_back_to(Route::DeskRegistry {}),
                {t(lang, DeskKey::BackToRegistry)}
            }
            h2 { id: "building-title", {building_label(&b)} }
        }
        div { class: "desk-columns",
            EditBuilding { key: "{b.id}-edit", building: b.clone(), companies, onsaved: changed }
            div {
                match hanging {
                    Some(safe) => rsx! { EditSafe { key: "{safe.id}", safe, models: models.clone(), onsaved: changed } },
                    None => rsx! { AddSafe { building: b.id, models: models.clone(), onsaved: changed } },
                }
                Services { key: "{b.id}-services", building: b.clone(), services, onsaved: changed }
            }
        }
        History { changes: history.read().clone().and_then(Result::ok).unwrap_or_default() }
    }
}

#[component]
fn EditBuilding(
    building: BuildingRow,
    companies: Vec<OrganisationRow>,
    onsaved: EventHandler<()>,
) -> Element {
    let state = use_context::<AppState>();
    let lang = (state.lang)();
    let id = building.id;
    let b = building;
    let input = use_signal(move || BuildingInput {
        street: b.street,
        numbers: b.numbers,
        postcode: b.postcode,
        city: b.city,
        district: b.district,
        apartments: b.apartments,
        owner_id: b.owner_id,
    });
    let mut message = use_signal(|| None::<(bool, String)>);
    let submit = move |event: FormEvent| {
        event.prevent_default();
        let value = input();
        if let Err(problem) = kluis_api::check::building(&value) {
            message.set(Some((false, desk::problem_text(lang, &problem))));
            return;
        }
        let Ok(body) = serde_json::to_string(&value) else {
            return;
        };
        put_and_say(
            state,
            kluis_api::paths::building(id),
            body,
            message,
            onsaved,
        );
    };
    rsx! {
        form { class: "card desk-form", id: "edit-building", novalidate: true, onsubmit: submit,
            h3 { {t(lang, DeskKey::BuildingData)} }
            BuildingFields { prefix: "eb", input, companies }
            Outcome { message: message() }
            button { class: "button button-primary", r#type: "submit", {t(lang, DeskKey::Save)} }
        }
    }
}

/// PUTs `body` to `path`; says "Saved." and calls `onsaved`, or says what went wrong.
fn put_and_say(
    state: AppState,
    path: String,
    body: String,
    mut message: Signal<Option<(bool, String)>>,
    onsaved: EventHandler<()>,
) {
    let lang = (state.lang)();
    spawn(async move {
        match desk::send::<BuildingRow>(token(state), "PUT", &path, &body).await {
            Ok(_) => {
                message.set(Some((true, t(lang, DeskKey::Saved).into())));
                onsaved.call(());
            }
            Err(e) => message.set(Some((false, e.message(lang)))),
        }
    });
}

/// The words after a save: a status line, or an alert.
#[component]
fn Outcome(message: Option<(bool, String)>) -> Element {
    match message {
        Some((true, text)) => rsx! { p { class: "notice", role: "status", "{text}" } },
        Some((false, text)) => rsx! { p { class: "alert", role: "alert", "{text}" } },
        None => rsx! {},
    }
}

fn model_select(
    lang: crate::state::i18n::Lang,
    models: &[ModelRow],
    chosen: Option<SafeModelId>,
    mut on: Signal<Option<SafeModelId>>,
) -> Element {
    let models = models.to_vec();
    rsx! {
        div { class: "field",
            label { r#for: "safe-model", {t(lang, DeskKey::ColModel)} }
            select { class: "input", id: "safe-model",
                onchange: move |e: FormEvent| on.set(e.value().parse().ok()),
                option { value: "", selected: chosen.is_none(), {t(lang, DeskKey::ChooseModel)} }
                for m in models {
                    option { key: "{m.id}", value: "{m.id}", selected: chosen == Some(m.id), "{m.name}" }
                }
            }
        }
    }
}

#[component]
fn AddSafe(building: BuildingId, models: Vec<ModelRow>, onsaved: EventHandler<()>) -> Element {
    let state = use_context::<AppState>();
    let lang = (state.lang)();
    let model = use_signal(|| None::<SafeModelId>);
    let mut placement = use_signal(String::new);
    let mut installed = use_signal(|| true);
    let mut day = use_signal(String::new);
    let mut message = use_signal(|| None::<(bool, String)>);
    let submit = move |event: FormEvent| {
        event.prevent_default();
        let Some(model_id) = model() else {
            message.set(Some((false, t(lang, DeskKey::ChooseModel).into())));
            return;
        };
        let request = NewSafe {
            model_id,
            placement: placement(),
            status: if installed() {
                SafeStatus::Installed
            } else {
                SafeStatus::Requested
            },
            installed_on: day().trim().parse().ok(),
        };
        let Ok(body) = serde_json::to_string(&request) else {
            return;
        };
        spawn(async move {
            let path = kluis_api::paths::building_safes(building);
            match desk::post::<BuildingRow>(token(state), &path, &body).await {
                Ok(_) => {
                    message.set(None);
                    onsaved.call(());
                }
                Err(e) => message.set(Some((false, e.message(lang)))),
            }
        });
    };
    rsx! {
        form { class: "card desk-form", id: "add-safe", novalidate: true, onsubmit: submit,
            h3 { {t(lang, DeskKey::AddSafeTitle)} }
            {model_select(lang, &models, model(), model)}
            div { class: "field",
                label { r#for: "safe-placement", {t(lang, DeskKey::FieldPlacement)} }
                input { class: "input", id: "safe-placement", value: "{placement}",
                    oninput: move |e: FormEvent| placement.set(e.value()) }
            }
            label { class: "check",
                input { r#type: "checkbox", id: "safe-installed", checked: installed(),
                    onchange: move |e: FormEvent| installed.set(e.checked()) }
                {t(lang, DeskKey::SafeHangs)}
            }
            if installed() {
                div { class: "field",
                    label { r#for: "safe-installed-on", {t(lang, DeskKey::InstalledOn)} }
                    input { class: "input", id: "safe-installed-on", r#type: "date", value: "{day}",
                        oninput: move |e: FormEvent| day.set(e.value()) }
                }
                p { class: "hint", {t(lang, DeskKey::FirstCodeRule)} }
            }
            Outcome { message: message() }
            button { class: "button button-primary", r#type: "submit", {t(lang, DeskKey::AddSafe)} }
        }
    }
}

#[component]
fn EditSafe(safe: SafeRow, models: Vec<ModelRow>, onsaved: EventHandler<()>) -> Element {
    let state = use_context::<AppState>();
    let lang = (state.lang)();
    let id = safe.id;
    let current = safe.status;
    let model = use_signal(|| Some(safe.model_id));
    let mut placement = use_signal(|| safe.placement.clone());
    let mut status = use_signal(|| safe.status);
    let message = use_signal(|| None::<(bool, String)>);
    let choices: Vec<SafeStatus> = [
        SafeStatus::Requested,
        SafeStatus::Installed,
        SafeStatus::Active,
        SafeStatus::Defect,
        SafeStatus::Removed,
    ]
    .into_iter()
    .filter(|s| *s == current || current.can_transition_to(*s))
    // A safe on its factory code becomes active with its first confirmed code, not by hand.
    .filter(|s| *s == current || *s != SafeStatus::Active || safe.has_code)
    .collect();
    let submit = move |event: FormEvent| {
        event.prevent_default();
        let Some(model_id) = model() else {
            return;
        };
        let request = SafeEdit {
            model_id,
            placement: placement(),
            status: status(),
            installed_on: None,
        };
        let Ok(body) = serde_json::to_string(&request) else {
            return;
        };
        put_and_say(state, kluis_api::paths::safe(id), body, message, onsaved);
    };
    let installed_on = safe
        .installed_on
        .map(|d| d.to_string())
        .unwrap_or_else(|| "—".into());
    rsx! {
        form { class: "card desk-form", id: "edit-safe", novalidate: true, onsubmit: submit,
            h3 { {t(lang, DeskKey::ColSafe)} }
            p { class: "hint", id: "safe-facts",
                {t(lang, DeskKey::InstalledOn)} ": {installed_on} · "
                if safe.has_code { {t(lang, DeskKey::HasKluisCode)} } else { {t(lang, DeskKey::StillFactoryCode)} }
            }
            {model_select(lang, &models, model(), model)}
            div { class: "field",
                label { r#for: "safe-placement", {t(lang, DeskKey::FieldPlacement)} }
                input { class: "input", id: "safe-placement", value: "{placement}",
                    oninput: move |e: FormEvent| placement.set(e.value()) }
            }
            div { class: "field",
                label { r#for: "safe-status", {t(lang, DeskKey::ColState)} }
                select { class: "input", id: "safe-status",
                    onchange: move |e: FormEvent| {
                        if let Ok(s) = e.value().parse() {
                            status.set(s);
                        }
                    },
                    for s in choices {
                        option { key: "{s}", value: "{s}", selected: s == status(), {s.label(lang)} }
                    }
                }
            }
            Outcome { message: message() }
            button { class: "button button-primary", r#type: "submit", {t(lang, DeskKey::Save)} }
        }
    }
}

#[component]
fn Services(
    building: BuildingRow,
    services: Vec<OrganisationRow>,
    onsaved: EventHandler<()>,
) -> Element {
    let state = use_context::<AppState>();
    let lang = (state.lang)();
    let id = building.id;
    let initial: Vec<OrgId> = building.services.iter().map(|s| s.service_id).collect();
    let mut chosen = use_signal(move || initial);
    let message = use_signal(|| None::<(bool, String)>);
    // Since when, and when last confirmed in a six-monthly round ("nooit bevestigd": a
    // warning, the address may no longer be served).
    let since: Vec<(OrgId, String, String)> = building
        .services
        .iter()
        .map(|s| {
            let confirmed = match s.confirmed_on {
                Some(d) => say(
                    lang,
                    ConfirmMsg::ConfirmedOn {
                        date: &kluis_api::import::day_text(d),
                    },
                ),
                None => t(lang, ConfirmKey::NeverConfirmed).to_string(),
            };
            (s.service_id, s.since.to_string(), confirmed)
        })
        .collect();
    let submit = move |event: FormEvent| {
        event.prevent_default();
        let Ok(body) = serde_json::to_string(&BuildingServices { services: chosen() }) else {
            return;
        };
        put_and_say(
            state,
            kluis_api::paths::building_services(id),
            body,
            message,
            onsaved,
        );
    };
    rsx! {
        form { class: "card desk-form", id: "building-services", novalidate: true, onsubmit: submit,
            h3 { {t(lang, DeskKey::ActiveServices)} }
            p { class: "hint", {t(lang, DeskKey::ActiveServicesHint)} }
            fieldset { class: "checks",
                legend { class: "visually-hidden", {t(lang, DeskKey::ActiveServices)} }
                for s in services {
                    label { key: "{s.id}", class: "check",
                        input {
                            r#type: "checkbox",
                            checked: chosen().contains(&s.id),
                            onchange: move |e: FormEvent| {
                                let mut list = chosen.write();
                                list.retain(|x| *x != s.id);
                                if e.checked() {
                                    list.push(s.id);
                                }
                            },
                        }
                        "{s.name}"
                        if let Some((_, day, confirmed)) = since.iter().find(|(o, _, _)| *o == s.id) {
                            span { class: "hint", " · " {t(lang, DeskKey::Since)} " {day} · {confirmed}" }
                        }
                    }
                }
            }
            Outcome { message: message() }
            button { class: "button button-primary", r#type: "submit", {t(lang, DeskKey::Save)} }
        }
    }
}

#[component]
fn History(changes: Vec<RegistryChange>) -> Element {
    let lang = (use_context::<AppState>().lang)();
    rsx! {
        h3 { id: "building-history", {t(lang, DeskKey::BuildingHistory)} }
        if changes.is_empty() {
            p { class: "notice", {t(lang, DeskKey::NoChanges)} }
        } else {
            div { class: "table-wrap",
                table { class: "desk-table", aria_labelledby: "building-history",
                    thead {
                        tr {
                            th { scope: "col", {t(lang, DeskKey::ColWhen)} }
                            th { scope: "col", {t(lang, DeskKey::ColWho)} }
                            th { scope: "col", {t(lang, DeskKey::ColWhat)} }
                            th { scope: "col", {t(lang, DeskKey::ColChange)} }
                        }
                    }
                    tbody {
                        for (i, c) in changes.into_iter().enumerate() {
                            tr { key: "{i}",
                                td { class: "nowrap", {format_time(c.at)} }
                                td { {c.person.clone().unwrap_or_else(|| "sync-server admin".into())} }
                                td { {edit_label(lang, c.kind)} }
                                td {
                                    for (j, f) in c.changes.iter().enumerate() {
                                        div { key: "{j}",
                                            {field_words(lang, &f.field)} ": "
                                            if !f.before.is_empty() { s { {value_words(lang, &f.field, &f.before)} } " → " }
                                            {value_words(lang, &f.field, &f.after)}
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// A registry field's name as the forms call it (the server records the request's names).
pub(super) fn field_words(lang: crate::state::i18n::Lang, field: &str) -> String {
    let key = match field {
        "street" => DeskKey::FieldStreet,
        "numbers" => DeskKey::FieldNumbers,
        "postcode" => DeskKey::FieldPostcode,
        "city" => DeskKey::FieldCity,
        "district" => DeskKey::ColDistrict,
        "apartments" => DeskKey::FieldApartments,
        "owner" => DeskKey::ColOwner,
        "model" => DeskKey::ColModel,
        "placement" => DeskKey::FieldPlacement,
        "status" => DeskKey::ColState,
        "installed_on" => DeskKey::InstalledOn,
        "services" => DeskKey::FieldServices,
        other => return other.to_string(),
    };
    t(lang, key).to_string()
}

/// A recorded value in words: a safe's status by its label, anything else as recorded.
pub(super) fn value_words(lang: crate::state::i18n::Lang, field: &str, value: &str) -> String {
    match (field, value.parse::<SafeStatus>()) {
        ("status", Ok(status)) => status.label(lang).to_string(),
        _ => value.to_string(),
    }
}

fn edit_label(
    lang: crate::state::i18n::Lang,
    kind: kluis_domain::model::AuditKind,
) -> &'static str {
    use kluis_domain::model::AuditKind as K;
    t(
        lang,
        match kind {
            K::BuildingAdded => DeskKey::EditBuildingAdded,
            K::BuildingChanged => DeskKey::EditBuildingChanged,
            K::SafeAdded => DeskKey::EditSafeAdded,
            K::SafeChanged => DeskKey::EditSafeChanged,
            K::ActivityChanged => DeskKey::EditActivity,
            _ => DeskKey::FieldOther,
        },
    )
}
