//! A housing company's start: its buildings and their safes, as the registry holds them
//! (the server sends only the company's own), with the phones' search and a CSV export.

use dioxus::prelude::*;
use kluis_api::registry::BuildingRow;
use kluis_domain::model::SafeStatus;

use super::token;
use super::widgets::{CsvButton, Failure, Loading};
use crate::components::SessionButtons;
use crate::platform;
use crate::state::AppState;
use crate::state::coordinator::{
    self as desk, Label, building_label, buildings_csv, file_name, filter_buildings,
};
use crate::state::flows::open_person;
use crate::state::i18n::{DeskKey, DeskMsg, say, t};

#[component]
pub fn Company() -> Element {
    let state = use_context::<AppState>();
    let lang = (state.lang)();
    let person = open_person(state);
    let (name, org_name) = person
        .map(|p| (p.name, p.organisation.name))
        .unwrap_or_default();
    let mut list = use_resource(move || async move {
        desk::get::<Vec<BuildingRow>>(token(state), kluis_api::paths::BUILDINGS).await
    });
    let mut query = use_signal(String::new);
    let attention = super::use_attention(crate::views::Route::Company {});
    use_effect(move || platform::set_title("Kluis — maatschappij"));

    let body = match list.read().clone() {
        None => rsx! { Loading {} },
        Some(Err(error)) => rsx! { Failure { error, onretry: move |_| list.restart() } },
        Some(Ok(all)) => {
            let q = query();
            let rows: Vec<BuildingRow> = filter_buildings(&all, &q).into_iter().cloned().collect();
            let export = rows.clone();
            let day = kluis_domain::time::Timestamp::from_millis(platform::now_millis())
                .date_utc()
                .to_string();
            rsx! {
                super::AttentionPanel {
                    role: kluis_domain::model::Role::HousingStaff,
                    attention: attention.read().clone(),
                }
                super::Repairs { company: true }
                super::Requests { view: super::RequestsFor::Company }
                div { class: "desk-toolbar",
                    h2 { id: "company-title", {t(lang, DeskKey::RegistryTitle)} }
                    p { class: "hint", {say(lang, DeskMsg::BuildingsShown { n: rows.len().into(), total: all.len().into() })} }
                }
                div { class: "desk-toolbar",
                    div { class: "field desk-filter",
                        label { r#for: "company-filter", {t(lang, DeskKey::RegistrySearch)} }
                        input { class: "input", id: "company-filter", r#type: "search", value: "{q}",
                            oninput: move |e: FormEvent| query.set(e.value()) }
                    }
                    CsvButton {
                        id: "company-csv",
                        name: file_name("kluis-gebouwen", &day),
                        contents: move |_| buildings_csv(lang, &export.iter().collect::<Vec<_>>()),
                    }
                }
                if rows.is_empty() {
                    p { class: "notice", id: "no-buildings", {t(lang, DeskKey::NoBuildings)} }
                } else {
                    div { class: "table-wrap",
                        table { class: "desk-table", id: "company-table", aria_labelledby: "company-title",
                            thead {
                                tr {
                                    th { scope: "col", {t(lang, DeskKey::ColAddress)} }
                                    th { scope: "col", {t(lang, DeskKey::ColDistrict)} }
                                    th { scope: "col", {t(lang, DeskKey::FieldApartments)} }
                                    th { scope: "col", {t(lang, DeskKey::ColSafe)} }
                                    th { scope: "col", {t(lang, DeskKey::FieldPlacement)} }
                                    th { scope: "col", {t(lang, DeskKey::InstalledOn)} }
                                }
                            }
                            tbody {
                                for b in rows {
                                    {
                                        let safe = b.safes.iter().find(|s| s.status != SafeStatus::Removed).cloned();
                                        rsx! {
                                            tr { key: "{b.id}",
                                                th { scope: "row", {building_label(&b)} }
                                                td { "{b.district}" }
                                                td { "{b.apartments}" }
                                                td {
                                                    {safe.as_ref().map(|s| format!("{} · {}", s.model, s.status.label(lang))).unwrap_or_else(|| t(lang, DeskKey::NoSafe).to_string())}
                                                }
                                                td { {safe.as_ref().map(|s| s.placement.clone()).unwrap_or_default()} }
                                                td { class: "nowrap", {safe.and_then(|s| s.installed_on).map(|d| d.to_string()).unwrap_or_default()} }
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
    };

    rsx! {
        div { class: "desk",
            header { class: "desk-head",
                div {
                    h1 { class: "desk-title", "{org_name}" }
                    p { class: "hint", id: "signed-in-as", "{name}" }
                }
                div { class: "desk-session", SessionButtons {} }
            }
            if !platform::is_online() {
                p { class: "notice notice-warning", id: "desk-offline", role: "status",
                    {t(lang, DeskKey::ErrOffline)}
                }
            }
            {body}
        }
    }
}
