//! The yearly evaluation (rule 10): a chosen year or period, computed by the server, in
//! sentences a council member reads, with charts (safes over time, reveals per month, the
//! deadlines met) and the tables behind them; printable on A4 and exported as CSV.

use dioxus::prelude::*;
use kluis_api::evaluation::{Deadlines, Evaluation, EvaluationExport, EvaluationQuery};
use kluis_api::import::day_text;
use kluis_domain::time::Date;

use super::token;
use super::widgets::{BarSegments, Failure, Loading};
use crate::platform;
use crate::state::AppState;
use crate::state::coordinator::{
    self as desk, Part, deadline_words, evaluation_export_path, evaluation_path, heading,
    line_points, local_today, month_bars, month_label, reveals_per_month, stacked_bar, summary,
};
use crate::state::door::problem_text;
use crate::state::i18n::{EvalKey, EvalMsg, Lang, say, t};

/// The drawing area of a month chart, in SVG units; the axis labels sit around it.
const PLOT_W: f64 = 640.0;
const PLOT_H: f64 = 160.0;
const LEFT: f64 = 44.0;
const TOP: f64 = 12.0;

#[component]
pub fn EvaluationScreen() -> Element {
    let state = use_context::<AppState>();
    let lang = (state.lang)();
    let this_year = local_today(platform::now_millis()).year;
    let mut query = use_signal(|| EvaluationQuery::year(this_year));
    let mut from = use_signal(|| day_iso(query().from));
    let mut to = use_signal(|| day_iso(query().to));
    let mut period_error = use_signal(|| false);
    let mut export_error = use_signal(|| None::<String>);
    let mut report = use_resource(move || async move {
        let q = query();
        desk::get::<Evaluation>(token(state), &evaluation_path(&q)).await
    });

    let pick_year = move |e: FormEvent| {
        if let Ok(year) = e.value().parse::<i32>() {
            let q = EvaluationQuery::year(year);
            from.set(day_iso(q.from));
            to.set(day_iso(q.to));
            period_error.set(false);
            query.set(q);
        }
    };
    let show_period = move |e: FormEvent| {
        e.prevent_default();
        let parsed = (from().parse::<Date>(), to().parse::<Date>());
        match parsed {
            (Ok(f), Ok(t)) if (EvaluationQuery { from: f, to: t }).check().is_ok() => {
                period_error.set(false);
                query.set(EvaluationQuery { from: f, to: t });
            }
            _ => period_error.set(true),
        }
    };
    let export =
        move |_| {
            spawn(async move {
                let q = query();
                let outcome =
                    match desk::get::<EvaluationExport>(token(state), &evaluation_export_path(&q))
                        .await
                    {
                        Ok(file) => platform::download::download_text(
                            &file.file_name,
                            "text/csv;charset=utf-8",
                            &file.csv,
                        ),
                        Err(e) => Err(e.message(lang)),
                    };
                export_error.set(outcome.err());
            });
        };

    let years: Vec<i32> = (this_year - 4..=this_year).rev().collect();
    let q = query();
    let chosen_year = (q == EvaluationQuery::year(q.from.year)).then_some(q.from.year);
    rsx! {
        div { class: "eval",
            div { class: "desk-toolbar eval-controls",
                div { class: "field",
                    label { r#for: "eval-year", {t(lang, EvalKey::Year)} }
                    select { class: "input", id: "eval-year", onchange: pick_year,
                        if chosen_year.is_none() {
                            option { value: "", selected: true, {t(lang, EvalKey::OtherPeriod)} }
                        }
                        for y in years {
                            option { key: "{y}", value: "{y}", selected: chosen_year == Some(y), "{y}" }
                        }
                    }
                }
                form { class: "eval-period", onsubmit: show_period, novalidate: true,
                    div { class: "field",
                        label { r#for: "eval-from", {t(lang, EvalKey::From)} }
                        input { class: "input", id: "eval-from", r#type: "date", value: "{from}",
                            oninput: move |e: FormEvent| from.set(e.value()) }
                    }
                    div { class: "field",
                        label { r#for: "eval-to", {t(lang, EvalKey::To)} }
                        input { class: "input", id: "eval-to", r#type: "date", value: "{to}",
                            oninput: move |e: FormEvent| to.set(e.value()) }
                    }
                    button { class: "button button-secondary desk-small", r#type: "submit", {t(lang, EvalKey::Show)} }
                }
                div { class: "eval-actions",
                    button { class: "button button-secondary desk-small", r#type: "button", id: "eval-print",
                        onclick: move |_| platform::print(), {t(lang, EvalKey::Print)} }
                    button { class: "button button-secondary desk-small", r#type: "button", id: "eval-csv",
                        onclick: export, {t(lang, EvalKey::Export)} }
                }
            }
            if period_error() {
                p { class: "alert desk-error", role: "alert", {t(lang, EvalKey::ErrPeriod)} }
            }
            if let Some(e) = export_error() {
                p { class: "alert desk-error", role: "alert", "{e}" }
            }
            match report.read().clone() {
                None => rsx! { Loading {} },
                Some(Err(error)) => rsx! { Failure { error, onretry: move |_| report.restart() } },
                Some(Ok(e)) => rsx! { Report { e } },
            }
        }
    }
}

fn day_iso(d: Date) -> String {
    d.to_string()
}

#[component]
fn Report(e: Evaluation) -> Element {
    let lang = (use_context::<AppState>().lang)();
    let q = EvaluationQuery {
        from: e.from,
        to: e.to,
    };
    let title = heading(lang, &q);
    let many_years = e.from.year != e.to.year;
    let reveal_months = reveals_per_month(&q, &e.reveals);
    let reveal_total: u32 = e.reveals.iter().map(|s| s.total).sum();
    let months = q.months();
    rsx! {
        article { class: "eval-report", aria_labelledby: "eval-title",
            header { class: "eval-head",
                h2 { id: "eval-title", "{title}" }
                p { class: "hint", {t(lang, EvalKey::Explain)} }
                div { class: "eval-summary", id: "eval-summary",
                    for (i, line) in summary(lang, &e).into_iter().enumerate() {
                        p { key: "{i}", "{line}" }
                    }
                }
            }

            section { class: "card eval-card", aria_labelledby: "eval-safes",
                h3 { id: "eval-safes", {t(lang, EvalKey::SafesTitle)} }
                LineChart { series: e.safes.by_month.clone(), label: t(lang, EvalKey::SafesChart).to_string(), many_years }
                FigureTable {
                    id: "eval-safes-table",
                    rows: vec![
                        (day_text(e.from), e.safes.at_start.to_string()),
                        (day_text(e.to.min(e.today)), e.safes.at_end.to_string()),
                        (t(lang, EvalKey::Apartments).to_string(), e.safes.apartments_at_end.to_string()),
                    ],
                }
            }

            section { class: "card eval-card", aria_labelledby: "eval-requests",
                h3 { id: "eval-requests", {t(lang, EvalKey::RequestsTitle)} }
                p { {say(lang, EvalMsg::Requests { made: e.requests.made.into(), installed: e.requests.installed.into() })} }
                if let (Some(median), Some(p90)) = (e.requests.days_to_install.median, e.requests.days_to_install.p90) {
                    p { {say(lang, EvalMsg::InstallSpeed { median: median.into(), p90: p90.into() })} }
                }
                FigureTable {
                    id: "eval-requests-table",
                    rows: vec![
                        (t(lang, EvalKey::Made).to_string(), e.requests.made.to_string()),
                        (t(lang, EvalKey::Approved).to_string(), e.requests.approved.to_string()),
                        (t(lang, EvalKey::Declined).to_string(), e.requests.declined.to_string()),
                        (t(lang, EvalKey::Installed).to_string(), e.requests.installed.to_string()),
                        (t(lang, EvalKey::DaysMedian).to_string(), days(lang, e.requests.days_to_install.median)),
                        (t(lang, EvalKey::DaysP90).to_string(), days(lang, e.requests.days_to_install.p90)),
                    ],
                }
            }

            section { class: "card eval-card", aria_labelledby: "eval-codes",
                h3 { id: "eval-codes", {t(lang, EvalKey::CodesTitle)} }
                DeadlineBars {
                    rows: vec![
                        (t(lang, EvalKey::Rotations).to_string(), e.codes.rotations),
                        (t(lang, EvalKey::FirstCodes).to_string(), e.codes.first_codes),
                        (t(lang, EvalKey::Leaks).to_string(), e.codes.leaks),
                    ],
                }
            }

            section { class: "card eval-card", aria_labelledby: "eval-reports",
                h3 { id: "eval-reports", {t(lang, EvalKey::ReportsTitle)} }
                p { {say(lang, EvalMsg::Reports { n: e.reports.total.into(), handled: e.reports.handled.into() })} }
                p {
                    {say(lang, EvalMsg::Repairs { opened: e.repairs.opened.into(), done: e.repairs.done.into() })}
                    if let Some(median) = e.repairs.days_to_fix.median {
                        " "
                        {say(lang, EvalMsg::FixSpeed { median: median.into() })}
                    }
                }
                FigureTable {
                    id: "eval-reports-table",
                    rows: e.reports.by_problem.iter()
                        .map(|p| (problem_text(p.problem, lang).to_string(), p.count.to_string()))
                        .chain([
                            (t(lang, EvalKey::ReportsHandled).to_string(), e.reports.handled.to_string()),
                            (t(lang, EvalKey::RepairsOpened).to_string(), e.repairs.opened.to_string()),
                            (t(lang, EvalKey::RepairsDone).to_string(), e.repairs.done.to_string()),
                            (t(lang, EvalKey::FixMedian).to_string(), days(lang, e.repairs.days_to_fix.median)),
                        ])
                        .collect::<Vec<_>>(),
                }
            }

            section { class: "card eval-card eval-wide", aria_labelledby: "eval-reveals",
                h3 { id: "eval-reveals", {t(lang, EvalKey::RevealsTitle)} }
                p { {say(lang, EvalMsg::Reveals { n: reveal_total.into() })} }
                BarChart { series: reveal_months, label: t(lang, EvalKey::RevealsChart).to_string(), many_years }
                if e.reveals.is_empty() {
                    p { class: "hint", {t(lang, EvalKey::NoReveals)} }
                } else {
                    div { class: "table-wrap",
                        table { class: "desk-table eval-months", id: "eval-reveals-table", aria_labelledby: "eval-reveals",
                            thead {
                                tr {
                                    th { scope: "col", {t(lang, EvalKey::ColService)} }
                                    for m in months.iter() {
                                        th { key: "{m}", scope: "col", class: "num", {month_label(lang, *m, many_years)} }
                                    }
                                    th { scope: "col", class: "num", {t(lang, EvalKey::ColTotal)} }
                                }
                            }
                            tbody {
                                for s in e.reveals.iter() {
                                    tr { key: "{s.service_id}",
                                        th { scope: "row", "{s.service}" }
                                        for m in s.months.iter() {
                                            td { key: "{m.month}", class: "num", "{m.count}" }
                                        }
                                        td { class: "num", strong { "{s.total}" } }
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

fn days(lang: Lang, n: Option<u32>) -> String {
    match n {
        Some(n) => say(lang, EvalMsg::Days { n: n.into() }),
        None => t(lang, EvalKey::NotMeasured).to_string(),
    }
}

/// A two-column table of figures: what, how many.
#[component]
fn FigureTable(id: String, rows: Vec<(String, String)>) -> Element {
    let lang = (use_context::<AppState>().lang)();
    rsx! {
        table { class: "desk-table eval-figures", id: "{id}",
            thead {
                tr {
                    th { scope: "col", {t(lang, EvalKey::ColFigure)} }
                    th { scope: "col", class: "num", {t(lang, EvalKey::ColCount)} }
                }
            }
            tbody {
                for (i, (what, n)) in rows.into_iter().enumerate() {
                    tr { key: "{i}",
                        th { scope: "row", "{what}" }
                        td { class: "num", "{n}" }
                    }
                }
            }
        }
    }
}

/// The month labels under a month chart, one per slot (every other when there are many).
#[component]
fn MonthAxis(months: Vec<Date>, many_years: bool) -> Element {
    let lang = (use_context::<AppState>().lang)();
    let slot = PLOT_W / months.len().max(1) as f64;
    let every = if months.len() > 12 { 2 } else { 1 };
    rsx! {
        for (i, m) in months.into_iter().enumerate().filter(|(i, _)| i % every == 0) {
            text { key: "{i}", class: "chart-label", x: "{LEFT + slot * (i as f64 + 0.5):.1}", y: "{TOP + PLOT_H + 18.0}",
                "text-anchor": "middle", {month_label(lang, m, many_years)} }
        }
    }
}

/// The frame of a month chart: the base line and the scale's top and zero.
#[component]
fn Scale(top: u32) -> Element {
    rsx! {
        line { class: "chart-grid", x1: "{LEFT}", y1: "{TOP}", x2: "{LEFT + PLOT_W}", y2: "{TOP}" }
        line { class: "chart-axis", x1: "{LEFT}", y1: "{TOP + PLOT_H}", x2: "{LEFT + PLOT_W}", y2: "{TOP + PLOT_H}" }
        text { class: "chart-label", x: "{LEFT - 6.0}", y: "{TOP + 4.0}", "text-anchor": "end", "{top}" }
        text { class: "chart-label", x: "{LEFT - 6.0}", y: "{TOP + PLOT_H + 4.0}", "text-anchor": "end", "0" }
    }
}

#[component]
fn LineChart(
    series: Vec<kluis_api::evaluation::MonthCount>,
    label: String,
    many_years: bool,
) -> Element {
    let (points, top) = line_points(&series, PLOT_W, PLOT_H);
    let path: String = points
        .iter()
        .map(|(x, y)| format!("{:.1},{:.1}", LEFT + x, TOP + y))
        .collect::<Vec<_>>()
        .join(" ");
    let months: Vec<Date> = series.iter().map(|m| m.month).collect();
    rsx! {
        figure { class: "chart eval-chart",
            svg { class: "eval-svg", role: "img", "aria-label": "{label}", "viewBox": "0 0 {LEFT + PLOT_W + 8.0} {TOP + PLOT_H + 28.0}",
                Scale { top }
                polyline { class: "chart-line", points: "{path}" }
                for (i, ((x, y), m)) in points.iter().zip(series.iter()).enumerate() {
                    circle { key: "{i}", class: "chart-dot", cx: "{LEFT + x:.1}", cy: "{TOP + y:.1}", r: "3.5",
                        title { "{m.count}" }
                    }
                }
                MonthAxis { months, many_years }
            }
            figcaption { class: "hint", "{label}" }
        }
    }
}

#[component]
fn BarChart(
    series: Vec<kluis_api::evaluation::MonthCount>,
    label: String,
    many_years: bool,
) -> Element {
    let (bars, top) = month_bars(&series, PLOT_W, PLOT_H);
    let months: Vec<Date> = series.iter().map(|m| m.month).collect();
    rsx! {
        figure { class: "chart eval-chart",
            svg { class: "eval-svg", role: "img", "aria-label": "{label}", "viewBox": "0 0 {LEFT + PLOT_W + 8.0} {TOP + PLOT_H + 28.0}",
                Scale { top }
                for (i, b) in bars.into_iter().enumerate() {
                    rect { key: "{i}", class: "chart-bar", x: "{LEFT + b.x:.1}", y: "{TOP + b.y:.1}",
                        width: "{b.width:.1}", height: "{b.height:.1}",
                        title { "{b.count}" }
                    }
                }
                MonthAxis { months, many_years }
            }
            figcaption { class: "hint", "{label}" }
        }
    }
}

/// One stacked bar per kind of deadline (on time, late, still running), with the words.
#[component]
fn DeadlineBars(rows: Vec<(String, Deadlines)>) -> Element {
    let lang = (use_context::<AppState>().lang)();
    const W: f64 = 360.0;
    let legend = [
        (Part::Done, EvalKey::OnTime),
        (Part::Failed, EvalKey::Late),
        (Part::Open, EvalKey::Pending),
    ];
    rsx! {
        table { class: "desk-table eval-deadlines", id: "eval-codes-table",
            thead {
                tr {
                    th { scope: "col", {t(lang, EvalKey::ColFigure)} }
                    th { scope: "col", {t(lang, EvalKey::ColShare)} }
                    th { scope: "col", span { class: "visually-hidden", {t(lang, EvalKey::CodesChart)} } }
                }
            }
            tbody {
                for (i, (what, d)) in rows.into_iter().enumerate() {
                    tr { key: "{i}",
                        th { scope: "row", "{what}" }
                        td { {deadline_words(lang, &d)} }
                        td {
                            svg { class: "bar", width: "{W}", height: "18", "viewBox": "0 0 {W} 18", "aria-hidden": "true",
                                rect { class: "bar-track", x: "0", y: "0", width: "{W}", height: "18" }
                                BarSegments {
                                    segments: stacked_bar(&[(Part::Done, d.on_time), (Part::Failed, d.late), (Part::Open, d.pending)], W),
                                    x0: 0.0, y: 0.0, height: 18.0,
                                }
                            }
                        }
                    }
                }
            }
        }
        ul { class: "chart-legend",
            for (part, key) in legend {
                li { key: "{part.class()}",
                    svg { class: "swatch", width: "16", height: "16", "viewBox": "0 0 16 16", "aria-hidden": "true",
                        BarSegments { segments: stacked_bar(&[(part, 1)], 16.0), x0: 0.0, y: 0.0, height: 16.0 }
                    }
                    {t(lang, key)}
                }
            }
        }
    }
}
