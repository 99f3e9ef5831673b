//! Planning a rotation campaign over all safes, one housing company, one district or a list
//! of safes (one safe for a single change). The server answers with the waves and why (a
//! model's code space cannot hold old and new codes of every safe at once), the rounds and
//! the safes it skipped; all of that is shown as it came.

use dioxus::prelude::*;

use super::widgets::Loading;
use super::{open_campaign, token};
use crate::state::AppState;
use crate::state::coordinator::{
    self as desk, CampaignCreated, DeskError, DueList, DueTable, Label, RepairRow, SelectionChoice,
    campaign_request, split_ids,
};
use crate::state::i18n::Lang;
use crate::state::i18n::{DeskKey, DeskMsg, say, t};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    All,
    Company,
    District,
    List,
}

impl Kind {
    const ALL: [Kind; 4] = [Kind::All, Kind::Company, Kind::District, Kind::List];

    fn code(self) -> &'static str {
        match self {
            Kind::All => "all",
            Kind::Company => "housing_company",
            Kind::District => "district",
            Kind::List => "safes",
        }
    }

    fn key(self) -> DeskKey {
        match self {
            Kind::All => DeskKey::SelectAll,
            Kind::Company => DeskKey::SelectCompany,
            Kind::District => DeskKey::SelectDistrict,
            Kind::List => DeskKey::SelectList,
        }
    }
}

/// Districts and housing companies the app can offer as choices. The API has no list of
/// either, so they are gathered from the due list and the repairs.
async fn choices(token: Option<String>) -> (Vec<String>, Vec<(String, String)>) {
    let districts = desk::get::<DueList>(token.clone(), "/api/admin/due")
        .await
        .map(|d| d.districts())
        .unwrap_or_default();
    let mut companies: Vec<(String, String)> =
        desk::get::<Vec<RepairRow>>(token, "/api/admin/repairs")
            .await
            .unwrap_or_default()
            .into_iter()
            .map(|r| (r.owner_id.to_string(), r.owner))
            .collect();
    companies.sort_by(|a, b| a.1.cmp(&b.1));
    companies.dedup();
    (districts, companies)
}

#[component]
pub fn NewCampaign() -> Element {
    let state = use_context::<AppState>();
    let lang = (state.lang)();
    let known = use_resource(move || async move { choices(token(state)).await });
    let mut name = use_signal(String::new);
    let mut kind = use_signal(|| Kind::District);
    let mut company = use_signal(String::new);
    let mut district = use_signal(String::new);
    let mut safes = use_signal(String::new);
    let mut due_on = use_signal(String::new);
    let mut busy = use_signal(|| false);
    let mut missing = use_signal(|| None::<DeskKey>);
    let mut result = use_signal(|| None::<Result<CampaignCreated, DeskError>>);

    let (districts, companies) = known.read().clone().unwrap_or_default();
    let submit = move |event: FormEvent| {
        event.prevent_default();
        if busy() {
            return;
        }
        let selection = match kind() {
            Kind::All => SelectionChoice::All,
            Kind::Company => SelectionChoice::HousingCompany(company()),
            Kind::District => SelectionChoice::District(district()),
            Kind::List => SelectionChoice::Safes(split_ids(&safes())),
        };
        let body = match campaign_request(&name(), &selection, &due_on()) {
            Ok(body) => body,
            Err(key) => {
                missing.set(Some(key));
                return;
            }
        };
        missing.set(None);
        busy.set(true);
        spawn(async move {
            let answer =
                desk::post::<CampaignCreated>(token(state), "/api/admin/campaigns", &body).await;
            busy.set(false);
            result.set(Some(answer));
        });
    };

    rsx! {
        h2 { id: "new-title", {t(lang, DeskKey::NewTitle)} }
        p { class: "hint", {t(lang, DeskKey::NewExplain)} }
        form { class: "desk-form", id: "new-campaign", aria_labelledby: "new-title", onsubmit: submit, novalidate: true,
            div { class: "field",
                label { r#for: "campaign-name-input", {t(lang, DeskKey::CampaignName)} }
                input { class: "input", id: "campaign-name-input", r#type: "text", value: "{name}",
                    placeholder: t(lang, DeskKey::CampaignNameExample),
                    oninput: move |e: FormEvent| name.set(e.value()) }
            }
            fieldset { class: "desk-fieldset",
                legend { {t(lang, DeskKey::WhichSafes)} }
                for k in Kind::ALL {
                    label { key: "{k.code()}", class: "check",
                        input { r#type: "radio", name: "selection", value: k.code(), id: "sel-{k.code()}",
                            checked: kind() == k, onchange: move |_| kind.set(k) }
                        {t(lang, k.key())}
                    }
                }
            }
            match kind() {
                Kind::All => rsx! {},
                Kind::Company => rsx! {
                    div { class: "field",
                        label { r#for: "company-input", {t(lang, DeskKey::CompanyId)} }
                        input { class: "input", id: "company-input", r#type: "text", list: "company-list",
                            aria_describedby: "company-hint", value: "{company}",
                            oninput: move |e: FormEvent| company.set(e.value()) }
                        datalist { id: "company-list",
                            for (id, owner) in companies {
                                option { key: "{id}", value: "{id}", "{owner}" }
                            }
                        }
                        p { class: "hint", id: "company-hint", {t(lang, DeskKey::CompanyHint)} }
                    }
                },
                Kind::District => rsx! {
                    div { class: "field",
                        label { r#for: "district-input", {t(lang, DeskKey::ColDistrict)} }
                        input { class: "input", id: "district-input", r#type: "text", list: "district-list",
                            value: "{district}", oninput: move |e: FormEvent| district.set(e.value()) }
                        datalist { id: "district-list",
                            for d in districts {
                                option { key: "{d}", value: "{d}" }
                            }
                        }
                    }
                },
                Kind::List => rsx! {
                    div { class: "field",
                        label { r#for: "safes-input", {t(lang, DeskKey::SafeIds)} }
                        textarea { class: "input", id: "safes-input", rows: "4", aria_describedby: "safes-hint",
                            value: "{safes}", oninput: move |e: FormEvent| safes.set(e.value()) }
                        p { class: "hint", id: "safes-hint", {t(lang, DeskKey::SafeIdsHint)} }
                    }
                },
            }
            div { class: "field",
                label { r#for: "due-input", {t(lang, DeskKey::DueDate)} }
                input { class: "input desk-date", id: "due-input", r#type: "date", value: "{due_on}",
                    oninput: move |e: FormEvent| due_on.set(e.value()) }
            }
            if let Some(key) = missing() {
                p { class: "alert", role: "alert", id: "new-missing", {t(lang, key)} }
            }
            button { class: "button button-primary desk-small", r#type: "submit", id: "plan",
                aria_disabled: if busy() { "true" } else { "false" },
                {t(lang, if busy() { DeskKey::Planning } else { DeskKey::Plan })}
            }
        }
        if busy() {
            Loading {}
        }
        match result() {
            Some(Ok(created)) => rsx! { Created { created } },
            Some(Err(e)) => rsx! { p { class: "alert", role: "alert", id: "new-error", {e.message(lang)} } },
            None => rsx! {},
        }
    }
}

fn yes_no(lang: Lang, yes: bool) -> &'static str {
    t(lang, if yes { DeskKey::Yes } else { DeskKey::No })
}

/// The server's answer: how many safes, the waves and why, the rounds, what was skipped.
#[component]
fn Created(created: CampaignCreated) -> Element {
    let lang = (use_context::<AppState>().lang)();
    let c = created;
    let id = c.id;
    let summary = say(
        lang,
        DeskMsg::CreatedSummary {
            included: (c.included).into(),
            selected: (c.selected).into(),
        },
    );
    rsx! {
        article { class: "desk-card", id: "created", role: "status", "data-campaign": "{c.id}",
            div { class: "desk-toolbar",
                h3 { "{c.name}" }
                button { class: "button button-secondary desk-small", r#type: "button", id: "open-created",
                    onclick: move |_| open_campaign(id), {t(lang, DeskKey::OpenCampaign)} }
            }
            p { strong { "{summary}" } " · " {c.kind.label(lang)} }
            p { class: "notice", id: "created-message", {desk::planned_text(lang, &c.planned)} }
            for (i, w) in c.planned.code_space.iter().enumerate() {
                p { key: "{i}", class: "notice notice-warning", {desk::space_warning_text(lang, w)} }
            }
            div { class: "table-wrap",
                table { class: "desk-table", id: "created-waves",
                    caption { {t(lang, DeskKey::WavesTitle)} }
                    thead {
                        tr {
                            th { scope: "col", {t(lang, DeskKey::ColWave)} }
                            th { scope: "col", class: "num", {t(lang, DeskKey::ColSafes)} }
                            th { scope: "col", class: "num", {t(lang, DeskKey::ColWithCodes)} }
                            th { scope: "col", {t(lang, DeskKey::ColAfterQuarantine)} }
                        }
                    }
                    tbody {
                        for w in c.planned.waves.iter() {
                            tr { key: "{w.wave}",
                                th { scope: "row", "{w.wave}" }
                                td { class: "num", "{w.safes}" }
                                td { class: "num", "{w.with_codes}" }
                                td { {yes_no(lang, w.after_quarantine)} }
                            }
                        }
                    }
                }
            }
            p { {say(lang, DeskMsg::RoundsPlanned { n: c.planned.rounds.len().into() })} }
            if !c.skipped.is_empty() {
                details {
                    summary { {say(lang, DeskMsg::Skipped { n: c.skipped.len().into() })} }
                    ul {
                        for s in c.skipped.iter() {
                            li { key: "{s.safe_id}", "{s.safe_id}: " {desk::skipped_text(lang, s)} }
                        }
                    }
                }
            }
        }
    }
}
