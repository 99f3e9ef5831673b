//! Every campaign with its progress, newest first; the chosen one (by default the first that
//! still has work) is shown in full below the table.

use dioxus::prelude::*;
use kluis_domain::ids::CampaignId;

use super::campaign_detail::CampaignView;
use super::widgets::{BarSegments, Failure, Loading};
use super::{open_campaign, token};
use crate::state::AppState;
use crate::state::coordinator::{self as desk, CampaignRow, Label, Part, fold, format_time};
use crate::state::i18n::{DeskKey, t};

/// The campaign to show when none was chosen: the newest with work left, else the newest.
fn default_campaign(rows: &[CampaignRow]) -> Option<CampaignId> {
    rows.iter()
        .find(|c| c.open + c.waiting + c.failed > 0)
        .or_else(|| rows.first())
        .map(|c| c.id)
}

#[component]
pub fn Campaigns(chosen: Option<CampaignId>) -> Element {
    let state = use_context::<AppState>();
    let lang = (state.lang)();
    let mut filter = use_signal(String::new);
    let mut list = use_resource(move || async move {
        desk::get::<Vec<CampaignRow>>(token(state), "/api/admin/campaigns").await
    });

    let answer = list.read().clone();
    let rows = match answer {
        None => return rsx! { Loading {} },
        Some(Err(error)) => return rsx! { Failure { error, onretry: move |_| list.restart() } },
        Some(Ok(rows)) => rows,
    };
    let chosen = chosen.or_else(|| default_campaign(&rows));
    let words = fold(&filter());
    let shown: Vec<CampaignRow> = rows
        .iter()
        .filter(|c| {
            let hay = fold(&format!(
                "{} {} {} {}",
                c.name,
                c.selection,
                c.kind,
                c.kind.label(lang)
            ));
            words.split_whitespace().all(|w| hay.contains(w))
        })
        .cloned()
        .collect();

    rsx! {
        div { class: "desk-toolbar",
            h2 { id: "campaigns-title", {t(lang, DeskKey::CampaignsTitle)} }
            div { class: "field desk-filter",
                label { r#for: "campaign-filter", {t(lang, DeskKey::Filter)} }
                input {
                    class: "input",
                    id: "campaign-filter",
                    r#type: "search",
                    value: "{filter}",
                    oninput: move |e: FormEvent| filter.set(e.value()),
                }
            }
            button {
                class: "button button-secondary desk-small",
                r#type: "button",
                onclick: move |_| list.restart(),
                {t(lang, DeskKey::Refresh)}
            }
        }
        if rows.is_empty() {
            p { class: "notice", id: "no-campaigns", {t(lang, DeskKey::NoCampaigns)} }
        } else {
            div { class: "table-wrap",
                table { class: "desk-table", id: "campaign-table", aria_labelledby: "campaigns-title",
                    thead {
                        tr {
                            th { scope: "col", {t(lang, DeskKey::ColCampaign)} }
                            th { scope: "col", {t(lang, DeskKey::ColKind)} }
                            th { scope: "col", {t(lang, DeskKey::ColSelection)} }
                            th { scope: "col", {t(lang, DeskKey::ColCreated)} }
                            th { scope: "col", {t(lang, DeskKey::ColDue)} }
                            th { scope: "col", class: "num", {t(lang, DeskKey::ColSafes)} }
                            th { scope: "col", class: "num", {t(lang, DeskKey::ColDone)} }
                            th { scope: "col", class: "num", {t(lang, DeskKey::ColFailed)} }
                            th { scope: "col", class: "num", {t(lang, DeskKey::ColOpen)} }
                            th { scope: "col", class: "num", {t(lang, DeskKey::ColWaiting)} }
                            th { scope: "col", {t(lang, DeskKey::ColProgress)} }
                        }
                    }
                    tbody {
                        for c in shown {
                            CampaignLine { key: "{c.id}", selected: chosen == Some(c.id), campaign: c.clone() }
                        }
                    }
                }
            }
        }
        if let Some(id) = chosen {
            CampaignView { key: "{id}", id: id.to_string(), onchange: move |_| list.restart() }
        }
    }
}

#[component]
fn CampaignLine(campaign: CampaignRow, selected: bool) -> Element {
    let lang = (use_context::<AppState>().lang)();
    let c = campaign;
    let parts = [
        (Part::Done, c.done),
        (Part::Failed, c.failed),
        (Part::Open, c.open),
        (Part::Waiting, c.waiting),
    ];
    let segments = desk::stacked_bar(&parts, 120.0);
    let id = c.id;
    rsx! {
        tr { class: if selected { "selected" } else { "" }, "data-campaign": "{c.id}",
            th { scope: "row",
                button {
                    class: "link",
                    r#type: "button",
                    aria_current: if selected { "true" } else { "false" },
                    onclick: move |_| open_campaign(id),
                    "{c.name}"
                }
            }
            td { {c.kind.label(lang)} }
            td { "{c.selection}" }
            td { class: "nowrap", {format_time(c.created_at)} }
            td { class: "nowrap", {c.due_on.map_or_else(|| "—".to_string(), |d| d.to_string())} }
            td { class: "num", "{c.safes}" }
            td { class: "num", "{c.done}" }
            td { class: "num", "{c.failed}" }
            td { class: "num", "{c.open}" }
            td { class: "num", "{c.waiting}" }
            td {
                svg { class: "mini-bar", width: "120", height: "14", "viewBox": "0 0 120 14", "aria-hidden": "true",
                    rect { class: "bar-track", width: "120", height: "14" }
                    BarSegments { segments, x0: 0.0, y: 0.0, height: 14.0 }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_campaign_with_work_is_shown() {
        let row = |n: u8, open| CampaignRow {
            id: kluis_domain::ids::CampaignId::from_bytes([n; 16]),
            open,
            ..crate::state::coordinator::fixtures::campaign("Voorjaar")
        };
        assert_eq!(
            default_campaign(&[row(0xa, 0), row(0xb, 3)]),
            Some(CampaignId::from_bytes([0xb; 16]))
        );
        assert_eq!(
            default_campaign(&[row(0xa, 0)]),
            Some(CampaignId::from_bytes([0xa; 16]))
        );
        assert_eq!(default_campaign(&[]), None);
    }
}
