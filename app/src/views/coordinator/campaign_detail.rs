//! One campaign: totals, a stacked bar per round (done / failed / open, with the numbers
//! written beside each bar), the waves, the rounds with their volunteers, the next wave and a
//! CSV export of the progress.

use dioxus::prelude::*;

use super::token;
use super::widgets::{BarSegments, CsvButton, Failure, Legend, Loading, counts_text};
use crate::state::AppState;
use crate::state::coordinator::{
    self as desk, CampaignDetail, DeskError, Part, Planned, RoundSummary, campaign_csv,
    campaign_parts, file_name, progress_parts, stacked_bar,
};
use crate::state::i18n::Lang;
use crate::state::i18n::{DeskKey, DeskMsg, say, t};

/// Chart layout, in the SVG's own units (it scales to the panel's width).
const CHART_WIDTH: f64 = 1000.0;
const LABEL_WIDTH: f64 = 250.0;
const BAR_WIDTH: f64 = 420.0;
const ROW_HEIGHT: f64 = 34.0;
const BAR_HEIGHT: f64 = 20.0;

#[component]
pub fn CampaignView(id: String, onchange: EventHandler<()>) -> Element {
    let state = use_context::<AppState>();
    let lang = (state.lang)();
    let path = desk::id_segment(&id).map(|id| format!("/api/admin/campaigns/{id}"));
    let mut detail = use_resource(move || {
        let path = path.clone();
        async move {
            let path = path.ok_or(DeskError::Unexpected { status: 404 })?;
            desk::get::<CampaignDetail>(token(state), &path).await
        }
    });
    let mut wave_busy = use_signal(|| false);
    let mut wave_result = use_signal(|| None::<Result<Planned, DeskError>>);

    let answer = detail.read().clone();
    let d = match answer {
        None => return rsx! { Loading {} },
        Some(Err(error)) => return rsx! { Failure { error, onretry: move |_| detail.restart() } },
        Some(Ok(d)) => d,
    };
    let c = d.campaign.clone();
    let totals = campaign_parts(&d);
    let total_segments = stacked_bar(&totals, CHART_WIDTH);
    let csv_detail = d.clone();
    let csv_name = file_name(
        &format!("campagne-{}", c.name),
        &c.due_on.map(|d| d.to_string()).unwrap_or_default(),
    );
    let next_wave = {
        let id = c.id;
        move |_| {
            if wave_busy() {
                return;
            }
            wave_busy.set(true);
            spawn(async move {
                let path = kluis_api::paths::campaign_next_wave(id);
                let result = desk::post::<Planned>(token(state), &path, "{}").await;
                wave_busy.set(false);
                let ok = result.is_ok();
                wave_result.set(Some(result));
                if ok {
                    detail.restart();
                    onchange.call(());
                }
            });
        }
    };

    rsx! {
        article { class: "desk-card", id: "campaign-detail", "data-campaign": "{c.id}", aria_labelledby: "campaign-name",
            div { class: "desk-toolbar",
                h2 { id: "campaign-name", "{c.name}" }
                CsvButton {
                    id: "campaign-csv",
                    name: csv_name,
                    contents: move |_| campaign_csv(lang, &csv_detail),
                }
            }
            p { class: "hint",
                {c.selection.clone()}
                if let Some(due) = c.due_on.as_ref() {
                    " · "
                    {say(lang, DeskMsg::DueOn { date: &due.to_string() })}
                }
                " · "
                {say(lang, DeskMsg::CreatedBy { name: &c.created_by })}
            }
            p { class: "campaign-totals", id: "campaign-totals",
                "data-done": "{c.done}", "data-failed": "{c.failed}", "data-open": "{c.open}", "data-waiting": "{c.waiting}",
                strong { {say(lang, DeskMsg::SafesCount { n: (c.safes).into() })} }
                ": "
                {counts_text(lang, &totals)}
            }
            svg { class: "total-bar", "viewBox": "0 0 1000 18", "preserveAspectRatio": "none", "aria-hidden": "true",
                rect { class: "bar-track", width: "1000", height: "18" }
                BarSegments { segments: total_segments, x0: 0.0, y: 0.0, height: 18.0 }
            }
            if c.waiting > 0 {
                div { class: "desk-note",
                    p { {say(lang, DeskMsg::WaitingExplain { n: (c.waiting).into() })} }
                    button {
                        class: "button button-primary desk-small",
                        id: "next-wave",
                        r#type: "button",
                        aria_disabled: if wave_busy() { "true" } else { "false" },
                        onclick: next_wave,
                        {t(lang, DeskKey::NextWave)}
                    }
                }
            }
            match wave_result() {
                Some(Ok(planned)) => rsx! { p { class: "notice", role: "status", id: "wave-result", {desk::planned_text(lang, &planned)} } },
                Some(Err(e)) => rsx! { p { class: "alert", role: "alert", id: "wave-result", {e.message(lang)} } },
                None => rsx! {},
            }
            RoundChart { rounds: d.rounds.clone() }
            if d.waves.len() > 1 {
                WaveTable { detail: d.clone() }
            }
            RoundTable { rounds: d.rounds.clone() }
        }
    }
}

fn shorten(name: &str, max: usize) -> String {
    if name.chars().count() <= max {
        name.to_string()
    } else {
        let cut: String = name.chars().take(max.saturating_sub(1)).collect();
        format!("{cut}…")
    }
}

/// Progress per round as horizontal stacked bars, the numbers written beside each.
#[component]
fn RoundChart(rounds: Vec<RoundSummary>) -> Element {
    let lang = (use_context::<AppState>().lang)();
    if rounds.is_empty() {
        return rsx! { p { class: "hint", {t(lang, DeskKey::NoRounds)} } };
    }
    #[allow(clippy::cast_precision_loss)]
    let height = ROW_HEIGHT * rounds.len() as f64 + 8.0;
    rsx! {
        figure { class: "chart", id: "round-chart",
            figcaption { id: "round-chart-title", {t(lang, DeskKey::ChartTitle)} }
            svg {
                "viewBox": "0 0 {CHART_WIDTH} {height}",
                role: "img",
                "aria-labelledby": "round-chart-title round-chart-desc",
                desc { id: "round-chart-desc", {chart_summary(lang, &rounds)} }
                for (i, round) in rounds.iter().enumerate() {
                    ChartRow { key: "{round.id}", index: i, round: round.clone() }
                }
            }
            Legend { parts: vec![Part::Done, Part::Failed, Part::Open] }
        }
    }
}

#[component]
fn ChartRow(index: usize, round: RoundSummary) -> Element {
    let lang = (use_context::<AppState>().lang)();
    let parts = progress_parts(round.done, round.failed, round.open);
    #[allow(clippy::cast_precision_loss)]
    let y = ROW_HEIGHT * index as f64 + 4.0;
    let text_y = y + BAR_HEIGHT / 2.0 + 5.0;
    let bar_x = LABEL_WIDTH + 10.0;
    rsx! {
        g { class: "chart-row", "data-round": "{round.id}", "data-done": "{round.done}", "data-failed": "{round.failed}", "data-open": "{round.open}",
            text { class: "chart-label", x: "0", y: "{text_y}", {shorten(&round.name, 30)} }
            rect { class: "bar-track", x: "{bar_x}", y: "{y}", width: "{BAR_WIDTH}", height: "{BAR_HEIGHT}" }
            BarSegments { segments: stacked_bar(&parts, BAR_WIDTH), x0: bar_x, y, height: BAR_HEIGHT }
            text { class: "chart-counts", x: "{bar_x + BAR_WIDTH + 12.0}", y: "{text_y}", {counts_text(lang, &parts)} }
        }
    }
}

/// The chart in one sentence for screen readers.
fn chart_summary(lang: Lang, rounds: &[RoundSummary]) -> String {
    rounds
        .iter()
        .map(|r| {
            format!(
                "{}: {}",
                r.name,
                counts_text(lang, &progress_parts(r.done, r.failed, r.open))
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

#[component]
fn WaveTable(detail: CampaignDetail) -> Element {
    let lang = (use_context::<AppState>().lang)();
    rsx! {
        div { class: "table-wrap",
            table { class: "desk-table", id: "wave-table",
                caption { {t(lang, DeskKey::WavesTitle)} }
                thead {
                    tr {
                        th { scope: "col", {t(lang, DeskKey::ColWave)} }
                        th { scope: "col", class: "num", {t(lang, DeskKey::ColSafes)} }
                        th { scope: "col", class: "num", {t(lang, DeskKey::ColDone)} }
                        th { scope: "col", class: "num", {t(lang, DeskKey::ColFailed)} }
                        th { scope: "col", class: "num", {t(lang, DeskKey::ColOpen)} }
                        th { scope: "col", class: "num", {t(lang, DeskKey::ColWaiting)} }
                    }
                }
                tbody {
                    for w in detail.waves {
                        tr { key: "{w.wave}",
                            th { scope: "row", "{w.wave}" }
                            td { class: "num", "{w.safes}" }
                            td { class: "num", "{w.done}" }
                            td { class: "num", "{w.failed}" }
                            td { class: "num", "{w.open}" }
                            td { class: "num", "{w.waiting}" }
                        }
                    }
                }
            }
        }
    }
}

#[component]
fn RoundTable(rounds: Vec<RoundSummary>) -> Element {
    let lang = (use_context::<AppState>().lang)();
    if rounds.is_empty() {
        return rsx! {};
    }
    rsx! {
        div { class: "table-wrap",
            table { class: "desk-table", id: "round-table",
                caption { {t(lang, DeskKey::RoundsTitle)} }
                thead {
                    tr {
                        th { scope: "col", {t(lang, DeskKey::ColRound)} }
                        th { scope: "col", {t(lang, DeskKey::ColDistrict)} }
                        th { scope: "col", class: "num", {t(lang, DeskKey::ColWave)} }
                        th { scope: "col", {t(lang, DeskKey::ColVolunteer)} }
                        th { scope: "col", {t(lang, DeskKey::ColStreets)} }
                        th { scope: "col", class: "num", {t(lang, DeskKey::ColSafes)} }
                        th { scope: "col", class: "num", {t(lang, DeskKey::ColDone)} }
                        th { scope: "col", class: "num", {t(lang, DeskKey::ColFailed)} }
                        th { scope: "col", class: "num", {t(lang, DeskKey::ColOpen)} }
                    }
                }
                tbody {
                    for r in rounds {
                        tr { key: "{r.id}", "data-round": "{r.id}",
                            th { scope: "row", "{r.name}" }
                            td { "{r.district}" }
                            td { class: "num", "{r.wave}" }
                            td { {r.volunteer_name.clone().unwrap_or_else(|| t(lang, DeskKey::Unassigned).to_string())} }
                            td { class: "streets", {r.streets.join(", ")} }
                            td { class: "num", "{r.safes}" }
                            td { class: "num", "{r.done}" }
                            td { class: "num", "{r.failed}" }
                            td { class: "num", "{r.open}" }
                        }
                    }
                }
            }
        }
    }
}
