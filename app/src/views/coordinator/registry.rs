//! The registry's buildings: a dense table with the phones' forgiving search, CSV export,
//! and a form for a new building (its owner one of the housing companies).

use dioxus::prelude::*;
use kluis_api::registry::{BuildingInput, BuildingRow, OrganisationRow};
use kluis_domain::model::{OrgKind, SafeStatus};

use super::widgets::{CsvButton, Failure, Loading, SortHeader};
use super::{open_building, token};
use crate::state::AppState;
use crate::state::coordinator::{
    self as desk, BuildingColumn, Label, building_label, buildings_csv, file_name,
    filter_buildings, sort_buildings,
};
use crate::state::i18n::{DeskKey, DeskMsg, ImportKey, ImportMsg, say, t};

#[component]
pub fn Registry() -> Element {
    let state = use_context::<AppState>();
    let lang = (state.lang)();
    let mut list = use_resource(move || async move {
        desk::get::<Vec<BuildingRow>>(token(state), kluis_api::paths::BUILDINGS).await
    });
    let orgs = use_resource(move || async move {
        desk::get::<Vec<OrganisationRow>>(token(state), kluis_api::paths::ORGANISATIONS).await
    });
    let mut query = use_signal(String::new);
    let mut selected = use_signal(Vec::<kluis_domain::ids::BuildingId>::new);
    let mut column = use_signal(|| BuildingColumn::Address);
    let mut ascending = use_signal(|| true);
    let mut sort_by = move |c: BuildingColumn| {
        if column() == c {
            ascending.set(!ascending());
        } else {
            column.set(c);
            ascending.set(true);
        }
    };

    let answer = list.read().clone();
    let all = match answer {
        None => return rsx! { Loading {} },
        Some(Err(error)) => return rsx! { Failure { error, onretry: move |_| list.restart() } },
        Some(Ok(rows)) => rows,
    };
    let organisations: Vec<OrganisationRow> =
        orgs.read().clone().and_then(Result::ok).unwrap_or_default();
    let companies: Vec<OrganisationRow> = organisations
        .clone()
        .into_iter()
        .filter(|o| o.kind == OrgKind::HousingCompany && o.active)
        .collect();
    let q = query();
    let mut rows: Vec<BuildingRow> = filter_buildings(&all, &q).into_iter().cloned().collect();
    sort_buildings(&mut rows, column(), ascending());
    let export = rows.clone();
    let shown_ids: Vec<kluis_domain::ids::BuildingId> = rows.iter().map(|b| b.id).collect();
    let all_chosen = !shown_ids.is_empty() && shown_ids.iter().all(|id| selected().contains(id));
    let today = crate::platform::now_millis();
    let csv_name = file_name(
        "kluis-register",
        &kluis_domain::time::Timestamp::from_millis(today)
            .date_utc()
            .to_string(),
    );

    rsx! {
        div { class: "desk-toolbar",
            h2 { id: "registry-title", {t(lang, DeskKey::RegistryTitle)} }
            p { class: "hint", id: "registry-count",
                {say(lang, DeskMsg::BuildingsShown { n: rows.len().into(), total: all.len().into() })}
            }
        }
        div { class: "desk-toolbar",
            div { class: "field desk-filter",
                label { r#for: "registry-filter", {t(lang, DeskKey::RegistrySearch)} }
                input {
                    class: "input",
                    id: "registry-filter",
                    r#type: "search",
                    value: "{q}",
                    oninput: move |e: FormEvent| query.set(e.value()),
                }
            }
            button {
                class: "button button-secondary desk-small",
                id: "registry-requests-link",
                r#type: "button",
                onclick: move |_| crate::views::open(crate::views::Route::DeskRequests {}),
                {t(lang, crate::state::i18n::ConfirmKey::ReqTitle)}
            }
            button {
                class: "button button-secondary desk-small",
                id: "registry-models-link",
                r#type: "button",
                onclick: move |_| crate::views::open(crate::views::Route::DeskModels {}),
                {t(lang, ImportKey::ModelsTitle)}
            }
            button {
                class: "button button-secondary desk-small",
                id: "registry-import-link",
                r#type: "button",
                onclick: move |_| crate::views::open(crate::views::Route::DeskImport {}),
                {t(lang, ImportKey::OpenLink)}
            }
            CsvButton {
                id: "registry-csv",
                name: csv_name,
                contents: move |_| buildings_csv(lang, &export.iter().collect::<Vec<_>>()),
            }
        }
        super::bulk::BulkServices { organisations, selected, onchanged: move |_| list.restart() }
        if rows.is_empty() {
            p { class: "notice", id: "no-buildings", {t(lang, DeskKey::NoBuildings)} }
        } else {
            div { class: "table-wrap",
                table { class: "desk-table", id: "building-table", aria_labelledby: "registry-title",
                    thead {
                        tr {
                            th { scope: "col",
                                input {
                                    r#type: "checkbox",
                                    aria_label: "{t(lang, ImportKey::ChooseAllShown)}",
                                    checked: all_chosen,
                                    onchange: move |e: FormEvent| {
                                        let mut list = selected.write();
                                        list.retain(|id| !shown_ids.contains(id));
                                        if e.checked() {
                                            list.extend(shown_ids.iter().copied());
                                        }
                                    },
                                }
                            }
                            SortHeader { label: t(lang, DeskKey::ColAddress), active: column() == BuildingColumn::Address, ascending: ascending(), onsort: move |_| sort_by(BuildingColumn::Address) }
                            SortHeader { label: t(lang, DeskKey::ColDistrict), active: column() == BuildingColumn::District, ascending: ascending(), onsort: move |_| sort_by(BuildingColumn::District) }
                            SortHeader { label: t(lang, DeskKey::FieldApartments), active: column() == BuildingColumn::Apartments, ascending: ascending(), onsort: move |_| sort_by(BuildingColumn::Apartments) }
                            SortHeader { label: t(lang, DeskKey::ColOwner), active: column() == BuildingColumn::Owner, ascending: ascending(), onsort: move |_| sort_by(BuildingColumn::Owner) }
                            th { scope: "col", {t(lang, DeskKey::ColSafe)} }
                            th { scope: "col", {t(lang, DeskKey::FieldServices)} }
                        }
                    }
                    tbody {
                        for b in rows {
                            BuildingLine { key: "{b.id}", building: b.clone(), selected }
                        }
                    }
                }
            }
        }
        NewBuilding { companies, onadded: move |_| list.restart() }
    }
}

#[component]
fn BuildingLine(
    building: BuildingRow,
    selected: Signal<Vec<kluis_domain::ids::BuildingId>>,
) -> Element {
    let lang = (use_context::<AppState>().lang)();
    let b = building;
    let id = b.id;
    let safe = b
        .safes
        .iter()
        .find(|s| s.status != SafeStatus::Removed)
        .map(|s| format!("{} · {}", s.model, s.status.label(lang)))
        .unwrap_or_else(|| t(lang, DeskKey::NoSafe).to_string());
    let services = b
        .services
        .iter()
        .map(|s| s.service.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let choose_label = say(
        lang,
        ImportMsg::ChooseOne {
            address: &building_label(&b),
        },
    );
    rsx! {
        tr { "data-building": "{b.id}",
            td {
                input {
                    r#type: "checkbox",
                    aria_label: "{choose_label}",
                    checked: selected().contains(&id),
                    onchange: move |e: FormEvent| {
                        let mut list = selected.write();
                        list.retain(|x| *x != id);
                        if e.checked() {
                            list.push(id);
                        }
                    },
                }
            }
            th { scope: "row",
                button { class: "link", r#type: "button", onclick: move |_| open_building(id),
                    {building_label(&b)}
                }
            }
            td { "{b.district}" }
            td { "{b.apartments}" }
            td { "{b.owner}" }
            td { "{safe}" }
            td { "{services}" }
        }
    }
}

/// The fields of a building, shared by the new-building form and the building's edit form.
#[component]
pub fn BuildingFields(
    prefix: String,
    input: Signal<BuildingInput>,
    companies: Vec<OrganisationRow>,
) -> Element {
    let lang = (use_context::<AppState>().lang)();
    let mut input = input;
    let value = input();
    let apartments = if value.apartments == 0 {
        String::new()
    } else {
        value.apartments.to_string()
    };
    let owner = value.owner_id.to_string();
    rsx! {
        div { class: "form-grid",
            div { class: "field",
                label { r#for: "{prefix}-street", {t(lang, DeskKey::FieldStreet)} }
                input { class: "input", id: "{prefix}-street", value: "{value.street}",
                    oninput: move |e: FormEvent| input.write().street = e.value() }
            }
            div { class: "field",
                label { r#for: "{prefix}-numbers", {t(lang, DeskKey::FieldNumbers)} }
                input { class: "input", id: "{prefix}-numbers", value: "{value.numbers}",
                    placeholder: "12 · 10-16 · 11-17 oneven",
                    oninput: move |e: FormEvent| input.write().numbers = e.value() }
            }
            div { class: "field",
                label { r#for: "{prefix}-postcode", {t(lang, DeskKey::FieldPostcode)} }
                input { class: "input", id: "{prefix}-postcode", value: "{value.postcode}", inputmode: "numeric",
                    oninput: move |e: FormEvent| input.write().postcode = e.value() }
            }
            div { class: "field",
                label { r#for: "{prefix}-city", {t(lang, DeskKey::FieldCity)} }
                input { class: "input", id: "{prefix}-city", value: "{value.city}",
                    oninput: move |e: FormEvent| input.write().city = e.value() }
            }
            div { class: "field",
                label { r#for: "{prefix}-district", {t(lang, DeskKey::ColDistrict)} }
                input { class: "input", id: "{prefix}-district", value: "{value.district}",
                    oninput: move |e: FormEvent| input.write().district = e.value() }
            }
            div { class: "field",
                label { r#for: "{prefix}-apartments", {t(lang, DeskKey::FieldApartments)} }
                input { class: "input", id: "{prefix}-apartments", r#type: "number", min: "1", value: "{apartments}",
                    oninput: move |e: FormEvent| input.write().apartments = e.value().trim().parse().unwrap_or(0) }
            }
            div { class: "field",
                label { r#for: "{prefix}-owner", {t(lang, DeskKey::ColOwner)} }
                select { class: "input", id: "{prefix}-owner",
                    onchange: move |e: FormEvent| {
                        if let Ok(id) = e.value().parse() {
                            input.write().owner_id = id;
                        }
                    },
                    option { value: "", selected: !companies.iter().any(|c| c.id.to_string() == owner), {t(lang, DeskKey::ChooseOwner)} }
                    for c in companies.iter() {
                        option { key: "{c.id}", value: "{c.id}", selected: c.id.to_string() == owner, "{c.name}" }
                    }
                }
            }
        }
    }
}

/// An empty building form's value (no owner chosen yet).
pub fn empty_building() -> BuildingInput {
    BuildingInput {
        street: String::new(),
        numbers: String::new(),
        postcode: "9000".into(),
        city: "Gent".into(),
        district: String::new(),
        apartments: 0,
        owner_id: kluis_domain::ids::OrgId::from_bytes([0; 16]),
    }
}

#[component]
fn NewBuilding(companies: Vec<OrganisationRow>, onadded: EventHandler<()>) -> Element {
    let state = use_context::<AppState>();
    let lang = (state.lang)();
    let mut input = use_signal(empty_building);
    let mut error = use_signal(|| None::<String>);
    let mut busy = use_signal(|| false);
    let submit = move |event: FormEvent| {
        event.prevent_default();
        if busy() {
            return;
        }
        let value = input();
        if let Err(problem) = kluis_api::check::building(&value) {
            error.set(Some(desk::problem_text(lang, &problem)));
            return;
        }
        let Ok(body) = serde_json::to_string(&value) else {
            return;
        };
        busy.set(true);
        spawn(async move {
            let answer =
                desk::post::<BuildingRow>(token(state), kluis_api::paths::BUILDINGS, &body).await;
            busy.set(false);
            match answer {
                Ok(b) => {
                    error.set(None);
                    input.set(BuildingInput {
                        owner_id: b.owner_id,
                        ..empty_building()
                    });
                    onadded.call(());
                    open_building(b.id);
                }
                Err(e) => error.set(Some(e.message(lang))),
            }
        });
    };
    rsx! {
        form { class: "card desk-form", id: "new-building", novalidate: true, onsubmit: submit,
            h2 { {t(lang, DeskKey::NewBuilding)} }
            BuildingFields { prefix: "nb", input, companies }
            if let Some(message) = error() {
                p { class: "alert", role: "alert", "{message}" }
            }
            button { class: "button button-primary", r#type: "submit", aria_busy: if busy() { "true" } else { "false" },
                {t(lang, DeskKey::AddBuilding)}
            }
        }
    }
}
