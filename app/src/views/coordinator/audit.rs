//! The audit trail on screen: the coordinator's every event, a service admin's view of their
//! own carers' reveals. Filtered by kind, organisation, person, safe and period, paged by the
//! server's cursor (newer / older), exported as CSV with the same filter.

use dioxus::prelude::*;
use kluis_api::audit::{AuditCursor, AuditPage, AuditRow, MAX_EXPORT};
use kluis_api::people::PersonRow;
use kluis_api::registry::OrganisationRow;
use kluis_domain::model::AuditGroup;

use super::token;
use super::widgets::{Failure, Loading};
use crate::platform;
use crate::state::AppState;
use crate::state::coordinator::{
    self as desk, AuditFilter, DeskError, FilterError, audit_csv, audit_export_path, audit_path,
    detail_words, file_name, format_time, local_today, rows_text, who_words,
};
use crate::state::i18n::{AuditKey, AuditMsg, DeskKey, group_label, kind_label, say, t};

const PAGE: u32 = 50;

/// The trail with its filter; `team`: a service admin's reveals of their own carers.
#[component]
pub fn AuditTrail(team: bool) -> Element {
    let state = use_context::<AppState>();
    let lang = (state.lang)();
    // The form as typed, and the filter of the rows shown (set by "Toon").
    let mut form = use_signal(AuditFilter::default);
    let mut applied = use_signal(AuditFilter::default);
    // The cursors of the pages above this one: "Nieuwer" pops, "Ouder" pushes.
    let mut above = use_signal(Vec::<Option<AuditCursor>>::new);
    let mut before = use_signal(|| None::<AuditCursor>);
    let mut bad_period = use_signal(|| false);
    let mut exporting = use_signal(|| None::<Result<String, DeskError>>);

    let mut page = use_resource(move || async move {
        let query = applied()
            .query(before(), PAGE)
            .map_err(|_| DeskError::Unexpected { status: 400 })?;
        desk::get::<AuditPage>(token(state), &audit_path(&query)).await
    });
    let people = use_resource(move || async move {
        desk::get::<Vec<PersonRow>>(token(state), kluis_api::paths::PEOPLE).await
    });
    let orgs = use_resource(move || async move {
        if team {
            return Ok(Vec::new());
        }
        desk::get::<Vec<OrganisationRow>>(token(state), kluis_api::paths::ORGANISATIONS).await
    });
    let mut people_list: Vec<PersonRow> = people
        .read()
        .clone()
        .and_then(Result::ok)
        .unwrap_or_default();
    people_list.sort_by(|a, b| a.name.cmp(&b.name));
    let org_list: Vec<OrganisationRow> =
        orgs.read().clone().and_then(Result::ok).unwrap_or_default();

    let mut show = move |filter: AuditFilter| {
        if filter.query(None, PAGE) == Err(FilterError::Period) {
            bad_period.set(true);
            return;
        }
        bad_period.set(false);
        above.set(Vec::new());
        before.set(None);
        applied.set(filter);
    };
    let export = move |_| {
        let Ok(query) = applied().query(None, PAGE) else {
            return;
        };
        spawn(async move {
            let result = desk::get::<AuditPage>(token(state), &audit_export_path(&query)).await;
            let outcome = result.map(|all| {
                let name = file_name("logboek", &local_today(platform::now_millis()).to_string());
                let csv = audit_csv(lang, &all.rows);
                if let Err(refused) =
                    platform::download::download_text(&name, "text/csv;charset=utf-8", &csv)
                {
                    refused
                } else if all.next.is_some() {
                    say(
                        lang,
                        AuditMsg::ExportCapped {
                            n: MAX_EXPORT.into(),
                        },
                    )
                } else {
                    String::new()
                }
            });
            exporting.set(Some(outcome));
        });
    };

    let f = form();
    let kinds = f.kinds();
    let (title, explain) = if team {
        (AuditKey::TeamTitle, AuditKey::TeamExplain)
    } else {
        (AuditKey::Title, AuditKey::Explain)
    };
    rsx! {
        div { class: "desk-toolbar",
            h2 { id: "audit-title", {t(lang, title)} }
        }
        p { class: "hint", {t(lang, explain)} }
        form { class: "desk-toolbar audit-filter", id: "audit-filter",
            onsubmit: move |e: FormEvent| { e.prevent_default(); show(form()); },
            if !team {
                div { class: "field",
                    label { r#for: "audit-group", {t(lang, AuditKey::FilterGroup)} }
                    select { class: "input", id: "audit-group",
                        onchange: move |e: FormEvent| form.write().group = e.value(),
                        option { value: "", selected: f.group.is_empty(), {t(lang, AuditKey::Everything)} }
                        for g in AuditGroup::VARIANTS {
                            option { key: "{g}", value: "{g}", selected: f.group == g.as_str(), {group_label(lang, *g)} }
                        }
                    }
                }
                div { class: "field",
                    label { r#for: "audit-kind", {t(lang, AuditKey::FilterKind)} }
                    select { class: "input", id: "audit-kind",
                        onchange: move |e: FormEvent| form.write().kind = e.value(),
                        option { value: "", selected: f.kind.is_empty(), {t(lang, AuditKey::Everything)} }
                        for k in kinds {
                            option { key: "{k}", value: "{k}", selected: f.kind == k.as_str(), {kind_label(lang, k)} }
                        }
                    }
                }
                div { class: "field",
                    label { r#for: "audit-org", {t(lang, AuditKey::FilterOrg)} }
                    select { class: "input", id: "audit-org",
                        onchange: move |e: FormEvent| form.write().org = e.value(),
                        option { value: "", selected: f.org.is_empty(), {t(lang, AuditKey::Everyone)} }
                        for o in org_list {
                            option { key: "{o.id}", value: "{o.id}", selected: f.org == o.id.to_string(), "{o.name}" }
                        }
                    }
                }
            }
            div { class: "field",
                label { r#for: "audit-person", {t(lang, AuditKey::FilterPerson)} }
                select { class: "input", id: "audit-person",
                    onchange: move |e: FormEvent| form.write().person = e.value(),
                    option { value: "", selected: f.person.is_empty(), {t(lang, AuditKey::Everyone)} }
                    for p in people_list {
                        option { key: "{p.id}", value: "{p.id}", selected: f.person == p.id.to_string(),
                            "{p.name} ({p.organisation})"
                        }
                    }
                }
            }
            div { class: "field",
                label { r#for: "audit-from", {t(lang, AuditKey::FilterFrom)} }
                input { class: "input", id: "audit-from", r#type: "date", value: "{f.from}",
                    oninput: move |e: FormEvent| form.write().from = e.value() }
            }
            div { class: "field",
                label { r#for: "audit-to", {t(lang, AuditKey::FilterTo)} }
                input { class: "input", id: "audit-to", r#type: "date", value: "{f.to}",
                    oninput: move |e: FormEvent| form.write().to = e.value() }
            }
            button { class: "button button-primary desk-small", r#type: "submit", {t(lang, AuditKey::Apply)} }
            button { class: "button button-secondary desk-small", r#type: "button",
                onclick: move |_| { form.set(AuditFilter::default()); show(AuditFilter::default()); },
                {t(lang, AuditKey::Clear)}
            }
            button { class: "button button-secondary desk-small", r#type: "button", id: "audit-csv",
                onclick: export,
                {t(lang, DeskKey::ExportCsv)}
            }
        }
        if bad_period() {
            p { class: "alert", role: "alert", {t(lang, AuditKey::ErrPeriod)} }
        }
        match exporting() {
            Some(Err(e)) => rsx! { p { class: "alert", role: "alert", {e.message(lang)} } },
            Some(Ok(note)) if !note.is_empty() => rsx! { p { class: "notice notice-warning", role: "status", "{note}" } },
            _ => rsx! {},
        }
        if let Some((_, address)) = applied().safe {
            p { class: "notice", id: "audit-safe",
                {say(lang, AuditMsg::OnlySafe { address: &address })} " "
                button { class: "link", r#type: "button",
                    onclick: move |_| {
                        form.write().safe = None;
                        let mut next = applied();
                        next.safe = None;
                        show(next);
                    },
                    {t(lang, AuditKey::AllSafes)}
                }
            }
        }
        match page.read().clone() {
            None => rsx! { Loading {} },
            Some(Err(error)) => rsx! { Failure { error, onretry: move |_| page.restart() } },
            Some(Ok(found)) => {
                let first = u64::try_from(above().len()).unwrap_or(0) * u64::from(PAGE);
                let next = found.next;
                rsx! {
                    p { class: "hint", id: "audit-count", role: "status",
                        {rows_text(lang, first, found.rows.len(), found.total)}
                    }
                    if found.rows.is_empty() {
                        p { class: "notice", id: "no-audit", {t(lang, AuditKey::NoRows)} }
                    } else {
                        AuditTable {
                            rows: found.rows.clone(),
                            onsafe: move |(safe, address): (kluis_domain::ids::SafeId, String)| {
                                form.write().safe = Some((safe, address.clone()));
                                let mut next = applied();
                                next.safe = Some((safe, address));
                                show(next);
                            },
                        }
                    }
                    div { class: "desk-toolbar pager",
                        button { class: "button button-secondary desk-small", r#type: "button",
                            disabled: above().is_empty(),
                            onclick: move |_| {
                                let mut stack = above();
                                if let Some(cursor) = stack.pop() {
                                    above.set(stack);
                                    before.set(cursor);
                                }
                            },
                            {t(lang, AuditKey::Newer)}
                        }
                        button { class: "button button-secondary desk-small", r#type: "button",
                            disabled: next.is_none(),
                            onclick: move |_| {
                                if let Some(cursor) = next {
                                    above.write().push(before());
                                    before.set(Some(cursor));
                                }
                            },
                            {t(lang, AuditKey::Older)}
                        }
                    }
                }
            }
        }
    }
}

#[component]
fn AuditTable(
    rows: Vec<AuditRow>,
    onsafe: EventHandler<(kluis_domain::ids::SafeId, String)>,
) -> Element {
    let lang = (use_context::<AppState>().lang)();
    rsx! {
        div { class: "table-wrap",
            table { class: "desk-table", id: "audit-table", aria_labelledby: "audit-title",
                thead {
                    tr {
                        th { scope: "col", {t(lang, AuditKey::ColWhen)} }
                        th { scope: "col", {t(lang, AuditKey::ColWhat)} }
                        th { scope: "col", {t(lang, AuditKey::ColWho)} }
                        th { scope: "col", {t(lang, AuditKey::ColWhere)} }
                        th { scope: "col", {t(lang, AuditKey::ColDetail)} }
                    }
                }
                tbody {
                    for row in rows {
                        tr { key: "{row.id}", "data-kind": "{row.kind}",
                            td { class: "nowrap", {format_time(row.recorded_at)} }
                            td { {kind_label(lang, row.kind)} }
                            td { {who_words(lang, &row)} }
                            td {
                                match (row.safe_id, row.address.clone()) {
                                    (Some(safe), Some(address)) => rsx! {
                                        button { class: "link", r#type: "button",
                                            title: t(lang, AuditKey::OnlyThisSafe),
                                            onclick: move |_| onsafe.call((safe, address.clone())),
                                            "{address}"
                                        }
                                    },
                                    (None, Some(address)) => rsx! { "{address}" },
                                    _ => rsx! { "—" },
                                }
                            }
                            td {
                                if let Some(subject) = &row.subject {
                                    span { {say(lang, AuditMsg::About { name: subject })} " " }
                                }
                                {detail_words(&row)}
                                if row.at != row.recorded_at {
                                    span { class: "hint", " (" {say(lang, AuditMsg::DeviceSaid { time: &format_time(row.at) })} ")" }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
