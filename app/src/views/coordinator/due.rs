//! What is due: safes whose new code is overdue, due this week or this month, in one
//! sortable, filterable table with the counts per term, a CSV export of what is shown, the
//! history of each safe, and "code leaked" (after a confirmation).

use dioxus::prelude::*;

use super::widgets::{CsvButton, Failure, LeakConfirm, Loading, SortHeader, leak_done_text};
use super::{open_history, token};
use crate::state::AppState;
use crate::state::coordinator::{
    self as desk, Bucket, DueColumn, DueList, DueRow, DueTable, Label, due_csv, file_name,
    filter_due, sort_due,
};
use crate::state::i18n::{DeskKey, DeskMsg, say, t};

fn bucket_key(bucket: Bucket) -> DeskKey {
    match bucket {
        Bucket::Overdue => DeskKey::Overdue,
        Bucket::ThisWeek => DeskKey::ThisWeek,
        Bucket::ThisMonth => DeskKey::ThisMonth,
    }
}

#[component]
pub fn Due() -> Element {
    let state = use_context::<AppState>();
    let lang = (state.lang)();
    let mut list =
        use_resource(
            move || async move { desk::get::<DueList>(token(state), "/api/admin/due").await },
        );
    let mut query = use_signal(String::new);
    let mut bucket = use_signal(|| None::<Bucket>);
    let mut column = use_signal(|| DueColumn::Due);
    let mut ascending = use_signal(|| true);
    // The row whose leak is being confirmed: (safe id, address).
    let mut leaking = use_signal(|| None::<(String, String)>);
    let mut done = use_signal(|| None::<String>);

    let answer = list.read().clone();
    let due = match answer {
        None => return rsx! { Loading {} },
        Some(Err(error)) => return rsx! { Failure { error, onretry: move |_| list.restart() } },
        Some(Ok(due)) => due,
    };
    let mut rows = filter_due(due.rows(), &query(), bucket());
    sort_due(&mut rows, column(), ascending());
    let csv_rows = rows.clone();
    let csv_name = file_name("te-doen", &due.today.to_string());
    let total = due.rows().len();
    let mut sort_by = move |c: DueColumn| {
        if column() == c {
            ascending.set(!ascending());
        } else {
            column.set(c);
            ascending.set(true);
        }
    };

    rsx! {
        div { class: "desk-toolbar",
            h2 { id: "due-title", {t(lang, DeskKey::DueTitle)} }
            p { class: "hint", {say(lang, DeskMsg::Today { date: &due.today.to_string() })} }
        }
        p { class: "hint", {t(lang, DeskKey::DueExplain)} }
        div { class: "desk-toolbar",
            div { class: "chips", role: "group", aria_label: t(lang, DeskKey::ColUrgency),
                button {
                    class: "chip",
                    r#type: "button",
                    id: "bucket-all",
                    aria_pressed: if bucket().is_none() { "true" } else { "false" },
                    onclick: move |_| bucket.set(None),
                    {t(lang, DeskKey::All)}
                    " "
                    span { class: "chip-count", "{total}" }
                }
                for b in Bucket::ALL {
                    button {
                        key: "{b.code()}",
                        class: "chip chip-{b.code()}",
                        r#type: "button",
                        id: "bucket-{b.code()}",
                        "data-count": "{due.count(b)}",
                        aria_pressed: if bucket() == Some(b) { "true" } else { "false" },
                        onclick: move |_| bucket.set(Some(b)),
                        {t(lang, bucket_key(b))}
                        " "
                        span { class: "chip-count", "{due.count(b)}" }
                    }
                }
            }
            div { class: "field desk-filter",
                label { r#for: "due-filter", {t(lang, DeskKey::FilterDue)} }
                input {
                    class: "input",
                    id: "due-filter",
                    r#type: "search",
                    value: "{query}",
                    oninput: move |e: FormEvent| query.set(e.value()),
                }
            }
            CsvButton { id: "due-csv", name: csv_name, contents: move |_| due_csv(lang, &csv_rows) }
            button {
                class: "button button-secondary desk-small",
                r#type: "button",
                onclick: move |_| list.restart(),
                {t(lang, DeskKey::Refresh)}
            }
        }
        p { class: "visually-hidden", role: "status", aria_live: "polite", id: "due-count",
            {say(lang, DeskMsg::RowsShown { n: rows.len().into() })}
        }
        if let Some(message) = done() {
            p { class: "notice", role: "status", id: "leak-done", "{message}" }
        }
        if let Some((id, address)) = leaking() {
            LeakConfirm {
                key: "{id}",
                safe_id: id.clone(),
                address: address.clone(),
                oncancel: move |_| leaking.set(None),
                ondone: move |reply| {
                    done.set(Some(leak_done_text(lang, &reply, &address)));
                    leaking.set(None);
                    list.restart();
                },
            }
        }
        if rows.is_empty() {
            p { class: "notice", id: "due-empty", {t(lang, DeskKey::NothingDue)} }
        } else {
            div { class: "table-wrap",
                table { class: "desk-table", id: "due-table", aria_labelledby: "due-title",
                    thead {
                        tr {
                            SortHeader { label: t(lang, DeskKey::ColDue), active: column() == DueColumn::Due, ascending: ascending(), onsort: move |_| sort_by(DueColumn::Due) }
                            SortHeader { label: t(lang, DeskKey::ColAddress), active: column() == DueColumn::Address, ascending: ascending(), onsort: move |_| sort_by(DueColumn::Address) }
                            SortHeader { label: t(lang, DeskKey::ColDistrict), active: column() == DueColumn::District, ascending: ascending(), onsort: move |_| sort_by(DueColumn::District) }
                            SortHeader { label: t(lang, DeskKey::ColOwner), active: column() == DueColumn::Owner, ascending: ascending(), onsort: move |_| sort_by(DueColumn::Owner) }
                            SortHeader { label: t(lang, DeskKey::ColReason), active: column() == DueColumn::Reason, ascending: ascending(), onsort: move |_| sort_by(DueColumn::Reason) }
                            th { scope: "col", {t(lang, DeskKey::ColStatus)} }
                            th { scope: "col", {t(lang, DeskKey::ColActions)} }
                        }
                    }
                    tbody {
                        for row in rows {
                            DueLine {
                                key: "{row.safe.safe_id}",
                                row: row.clone(),
                                onleak: move |pair| {
                                    done.set(None);
                                    leaking.set(Some(pair));
                                },
                            }
                        }
                    }
                }
            }
        }
    }
}

#[component]
fn DueLine(row: DueRow, onleak: EventHandler<(String, String)>) -> Element {
    let lang = (use_context::<AppState>().lang)();
    let s = row.safe.clone();
    let (id, id2, address) = (s.safe_id, s.safe_id.to_string(), s.address.clone());
    let in_campaign = s.campaign_id.is_some();
    rsx! {
        tr { class: "due-{row.bucket.code()}", "data-safe": "{s.safe_id}",
            td { class: "nowrap",
                span { class: "badge badge-{row.bucket.code()}", {t(lang, bucket_key(row.bucket))} }
                " "
                time { datetime: "{s.due_on}", "{s.due_on}" }
            }
            th { scope: "row", "{s.address}" }
            td { "{s.district}" }
            td { "{s.owner}" }
            td { {s.reason.label(lang)} }
            td {
                {s.status.label(lang)}
                if in_campaign {
                    br {}
                    span { class: "hint", {t(lang, DeskKey::InCampaign)} }
                }
            }
            td { class: "actions",
                button {
                    class: "link",
                    r#type: "button",
                    "data-action": "history",
                    aria_label: format!("{} — {}", t(lang, DeskKey::NavHistory), s.address),
                    onclick: move |_| open_history(id),
                    {t(lang, DeskKey::NavHistory)}
                }
                button {
                    class: "link link-danger",
                    r#type: "button",
                    "data-action": "leak",
                    aria_label: format!("{} — {}", t(lang, DeskKey::MarkLeaked), s.address),
                    onclick: move |_| onleak.call((id2.clone(), address.clone())),
                    {t(lang, DeskKey::MarkLeaked)}
                }
            }
        }
    }
}
