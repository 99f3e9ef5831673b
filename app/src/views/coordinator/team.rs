//! A service admin's start: the carers of their service (where each account stands, until
//! when, their devices), inviting a new one with a one-time activation code shown once, a new
//! code for a forgotten password, deactivating and reactivating.

use dioxus::prelude::*;
use kluis_api::people::{AccountState, Invitation, NewPerson, PersonRow};
use kluis_domain::ids::{OrgId, PersonId};
use kluis_domain::model::Role;

use super::token;
use super::widgets::{Failure, Loading};
use crate::components::SessionButtons;
use crate::platform;
use crate::state::AppState;
use crate::state::coordinator::{self as desk, DeskError, Label, expiring_soon, format_time};
use crate::state::flows::open_person;
use crate::state::i18n::{DeskKey, DeskMsg, say, t};

/// The service admin's confirmation list, under the same header as their start.
#[component]
pub fn TeamConfirmation() -> Element {
    rsx! {
        TeamSubpage { super::TeamConfirmationList {} }
    }
}

/// The service admin's requests for new safes, under the same header as their start.
/// The reports of the service's carers, and where each stands.
#[component]
pub fn TeamReports() -> Element {
    rsx! {
        TeamSubpage { super::Inbox { view: super::InboxFor::Service } }
    }
}

/// The reveals of the service's carers.
#[component]
pub fn TeamAudit() -> Element {
    rsx! {
        TeamSubpage { super::AuditTrail { team: true } }
    }
}

/// The codes a carer of the service saw, after they leave.
#[component]
pub fn TeamExposure(id: PersonId) -> Element {
    rsx! {
        TeamSubpage { super::ExposureScreen { id } }
    }
}

#[component]
pub fn TeamRequests() -> Element {
    rsx! {
        TeamSubpage { super::Requests { view: super::RequestsFor::Service } }
    }
}

/// A screen below the service admin's start: their header, a way back, then `children`.
#[component]
fn TeamSubpage(children: Element) -> Element {
    let lang = (use_context::<AppState>().lang)();
    rsx! {
        TeamFrame {
            button { class: "button button-secondary desk-small", r#type: "button",
                onclick: move |_| crate::views::go_back_to(crate::views::Route::Team {}),
                {t(lang, DeskKey::TeamTitle)}
            }
            {children}
        }
    }
}

/// The service admin's screen: header, their carers, the invitation form.
#[component]
pub fn Team() -> Element {
    let lang = (use_context::<AppState>().lang)();
    let attention = super::use_attention(crate::views::Route::Team {});
    rsx! {
        TeamFrame {
            super::AttentionPanel { role: Role::ServiceAdmin, attention: attention.read().clone() }
            div { class: "desk-toolbar",
                button {
                    class: "button button-secondary desk-small",
                    id: "requests-link",
                    r#type: "button",
                    onclick: move |_| crate::views::open(crate::views::Route::TeamRequests {}),
                    {t(lang, crate::state::i18n::ConfirmKey::ReqTitle)}
                }
                button {
                    class: "button button-secondary desk-small",
                    id: "reports-link",
                    r#type: "button",
                    onclick: move |_| crate::views::open(crate::views::Route::TeamReports {}),
                    {t(lang, crate::state::i18n::DoorKey::TeamReportsLink)}
                }
                button {
                    class: "button button-secondary desk-small",
                    id: "audit-link",
                    r#type: "button",
                    onclick: move |_| crate::views::open(crate::views::Route::TeamAudit {}),
                    {t(lang, crate::state::i18n::AuditKey::TeamLink)}
                }
            }
            TeamPeople {}
        }
    }
}

#[component]
fn TeamPeople() -> Element {
    let org = open_person(use_context::<AppState>()).map(|p| p.organisation.id);
    rsx! {
        if let Some(org) = org {
            People { org, role: Role::Carer }
        }
    }
}

/// The header of a service admin's screens, with `children` below.
#[component]
fn TeamFrame(children: Element) -> Element {
    let state = use_context::<AppState>();
    let lang = (state.lang)();
    let person = open_person(state);
    let (name, org_name) = match &person {
        Some(p) => (p.name.clone(), p.organisation.name.clone()),
        None => (String::new(), String::new()),
    };
    use_effect(move || platform::set_title("Kluis — mijn dienst"));
    rsx! {
        div { class: "desk",
            header { class: "desk-head",
                div {
                    h1 { class: "desk-title", {t(lang, DeskKey::TeamTitle)} " — {org_name}" }
                    p { class: "hint", id: "signed-in-as", "{name}" }
                }
                div { class: "desk-session", SessionButtons {} }
            }
            if !platform::is_online() {
                p { class: "notice notice-warning", id: "desk-offline", role: "status",
                    {t(lang, DeskKey::ErrOffline)}
                }
            }
            {children}
        }
    }
}

/// The people of `org` with `role` the signed-in admin manages, and the invitation form.
#[component]
pub fn People(org: OrgId, role: Role) -> Element {
    let state = use_context::<AppState>();
    let lang = (state.lang)();
    let mut list = use_resource(move || async move {
        desk::get::<Vec<PersonRow>>(token(state), kluis_api::paths::PEOPLE).await
    });
    let mut devices = use_resource(move || async move {
        desk::get::<Vec<kluis_api::admin::DeviceRow>>(token(state), kluis_api::paths::DEVICES).await
    });
    let mut shown = use_signal(|| None::<Invitation>);
    let mut error = use_signal(|| None::<DeskError>);

    let act = move |path: String| {
        spawn(async move {
            match desk::post::<serde_json::Value>(token(state), &path, "{}").await {
                Ok(value) => {
                    error.set(None);
                    if let Ok(inv) = serde_json::from_value::<Invitation>(value) {
                        shown.set(Some(inv));
                    }
                    list.restart();
                    devices.restart();
                    super::attention::changed();
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };

    let answer = list.read().clone();
    let rows = match answer {
        None => return rsx! { Loading {} },
        Some(Err(error)) => return rsx! { Failure { error, onretry: move |_| list.restart() } },
        Some(Ok(rows)) => rows,
    };
    let rows: Vec<PersonRow> = rows
        .into_iter()
        .filter(|p| p.org_id == org && p.role == role)
        .collect();
    let today = kluis_domain::time::Timestamp::from_millis(platform::now_millis()).date_utc();
    let soon = expiring_soon(&rows, today, 14);
    let soon_text = (!soon.is_empty()).then(|| {
        let names: Vec<String> = soon
            .iter()
            .map(|p| {
                format!(
                    "{} ({})",
                    p.name,
                    p.valid_until.map(|d| d.to_string()).unwrap_or_default()
                )
            })
            .collect();
        say(
            lang,
            DeskMsg::ExpiringSoon {
                n: soon.len().into(),
                names: &names.join(", "),
            },
        )
    });
    let theirs: Vec<kluis_api::admin::DeviceRow> = devices
        .read()
        .clone()
        .and_then(Result::ok)
        .unwrap_or_default()
        .into_iter()
        .filter(|d| rows.iter().any(|p| p.id == d.person_id))
        .collect();

    rsx! {
        if let Some(inv) = shown() {
            InvitationCard { invitation: inv, ondone: move |_| shown.set(None) }
        }
        if let Some(text) = soon_text {
            p { class: "notice notice-warning", id: "expiring-soon", role: "status", "{text}" }
        }
        h2 { id: "people-title",
            {t(lang, if role == Role::Carer { DeskKey::TeamPeople } else { DeskKey::PeopleTitle })}
        }
        if let Some(e) = error() {
            p { class: "alert", role: "alert", {e.message(lang)} }
        }
        if rows.is_empty() {
            p { class: "notice", id: "no-people", {t(lang, DeskKey::TeamNone)} }
        } else {
            div { class: "table-wrap",
                table { class: "desk-table", id: "people-table", aria_labelledby: "people-title",
                    thead {
                        tr {
                            th { scope: "col", {t(lang, DeskKey::ColName)} }
                            th { scope: "col", {t(lang, DeskKey::ColLogin)} }
                            th { scope: "col", {t(lang, DeskKey::ColState)} }
                            th { scope: "col", {t(lang, DeskKey::ColValidUntil)} }
                            th { scope: "col", {t(lang, DeskKey::ColDevices)} }
                            th { scope: "col", {t(lang, DeskKey::ColLastSeen)} }
                            th { scope: "col", {t(lang, DeskKey::ColActions)} }
                        }
                    }
                    tbody {
                        for p in rows {
                            PersonLine { key: "{p.id}", person: p.clone(), onact: act }
                        }
                    }
                }
            }
        }
        Devices { devices: theirs, onact: act }
        InviteForm {
            org,
            role,
            oninvited: move |inv| {
                shown.set(Some(inv));
                list.restart();
            },
        }
    }
}

#[component]
fn PersonLine(person: PersonRow, onact: EventHandler<String>) -> Element {
    let state = use_context::<AppState>();
    let lang = (state.lang)();
    let p = person;
    let id: PersonId = p.id;
    let revoked = matches!(p.state, AccountState::Revoked);
    let mut asking = use_signal(|| false);
    rsx! {
        tr { "data-person": "{p.login}",
            th { scope: "row", "{p.name}" }
            td { "{p.login}" }
            td { {p.state.label(lang)} }
            td { class: "nowrap",
                {p.valid_until.map(|d| d.to_string()).unwrap_or_else(|| t(lang, DeskKey::NoEnd).to_string())}
            }
            td { "{p.devices}" }
            td { class: "nowrap",
                {p.last_seen_at.map(format_time).unwrap_or_else(|| t(lang, DeskKey::Never).to_string())}
            }
            td { class: "actions",
                if revoked {
                    button { class: "link", r#type: "button",
                        onclick: move |_| crate::views::open(exposure_route(state, id)),
                        {t(lang, crate::state::i18n::AuditKey::ExposureLink)}
                    }
                    button { class: "link", r#type: "button",
                        onclick: move |_| onact.call(kluis_api::paths::person_reactivate(id)),
                        {t(lang, DeskKey::Reactivate)}
                    }
                } else {
                    button { class: "link", r#type: "button",
                        onclick: move |_| onact.call(kluis_api::paths::person_invite(id)),
                        {t(lang, DeskKey::NewCode)}
                    }
                    if asking() {
                        button { class: "link link-danger", r#type: "button",
                            onclick: move |_| {
                                asking.set(false);
                                onact.call(kluis_api::paths::person_revoke(id));
                            },
                            {t(lang, DeskKey::DeactivateConfirm)}
                        }
                        button { class: "link", r#type: "button", onclick: move |_| asking.set(false),
                            {t(lang, DeskKey::Cancel)}
                        }
                    } else {
                        button { class: "link link-danger", r#type: "button",
                            onclick: move |_| asking.set(true),
                            {t(lang, DeskKey::Deactivate)}
                        }
                    }
                }
            }
        }
    }
}

/// Where a revoked person's exposure is: under the desktop's people for the coordinator,
/// under the service's screens for a service admin.
fn exposure_route(state: AppState, id: PersonId) -> crate::views::Route {
    match crate::state::flows::open_role(state) {
        Some(Role::Coordinator) => crate::views::Route::DeskExposure { id },
        _ => crate::views::Route::TeamExposure { id },
    }
}

/// The devices of the people shown: when each signed in and last synced; revoking one
/// (asked twice) wipes it at its next contact.
#[component]
fn Devices(devices: Vec<kluis_api::admin::DeviceRow>, onact: EventHandler<String>) -> Element {
    let lang = (use_context::<AppState>().lang)();
    rsx! {
        h2 { id: "devices-title", {t(lang, DeskKey::DevicesTitle)} }
        if devices.is_empty() {
            p { class: "notice", {t(lang, DeskKey::NoDevices)} }
        } else {
            div { class: "table-wrap",
                table { class: "desk-table", id: "device-table", aria_labelledby: "devices-title",
                    thead {
                        tr {
                            th { scope: "col", {t(lang, DeskKey::ColName)} }
                            th { scope: "col", {t(lang, DeskKey::ColDevice)} }
                            th { scope: "col", {t(lang, DeskKey::ColEnrolled)} }
                            th { scope: "col", {t(lang, DeskKey::ColLastSeen)} }
                            th { scope: "col", {t(lang, crate::state::i18n::ImportKey::ColAppVersion)} }
                            th { scope: "col", {t(lang, DeskKey::ColState)} }
                            th { scope: "col", {t(lang, DeskKey::ColActions)} }
                        }
                    }
                    tbody {
                        for d in devices {
                            DeviceLine { key: "{d.id}", device: d.clone(), onact }
                        }
                    }
                }
            }
        }
    }
}

#[component]
fn DeviceLine(device: kluis_api::admin::DeviceRow, onact: EventHandler<String>) -> Element {
    let lang = (use_context::<AppState>().lang)();
    let d = device;
    let id = d.id;
    let mut asking = use_signal(|| false);
    let active = d.revoked_at.is_none();
    rsx! {
        tr { "data-device": "{d.id}",
            th { scope: "row", "{d.person_name}" }
            td { "{d.name}" }
            td { class: "nowrap", {format_time(d.enrolled_at)} }
            td { class: "nowrap",
                {d.last_seen_at.map(format_time).unwrap_or_else(|| t(lang, DeskKey::Never).to_string())}
            }
            td { {d.app_version.clone().unwrap_or_else(|| "—".into())} }
            td { {t(lang, if active { DeskKey::DeviceActive } else { DeskKey::DeviceRevokedState })} }
            td { class: "actions",
                if active {
                    if asking() {
                        button { class: "link link-danger", r#type: "button",
                            onclick: move |_| {
                                asking.set(false);
                                onact.call(kluis_api::paths::device_revoke(id));
                            },
                            {t(lang, DeskKey::RevokeDeviceConfirm)}
                        }
                        button { class: "link", r#type: "button", onclick: move |_| asking.set(false),
                            {t(lang, DeskKey::Cancel)}
                        }
                    } else {
                        button { class: "link link-danger", r#type: "button", onclick: move |_| asking.set(true),
                            {t(lang, DeskKey::RevokeDevice)}
                        }
                    }
                }
            }
        }
    }
}

#[component]
fn InviteForm(org: OrgId, role: Role, oninvited: EventHandler<Invitation>) -> Element {
    let state = use_context::<AppState>();
    let lang = (state.lang)();
    let mut name = use_signal(String::new);
    let mut login = use_signal(String::new);
    let mut email = use_signal(String::new);
    let mut until = use_signal(String::new);
    let mut busy = use_signal(|| false);
    let mut error = use_signal(|| None::<String>);

    let submit = move |event: FormEvent| {
        event.prevent_default();
        if busy() {
            return;
        }
        if name().trim().is_empty() || login().trim().is_empty() {
            error.set(Some(t(lang, DeskKey::ErrNameMissing).into()));
            return;
        }
        let valid_until = match until().trim() {
            "" => None,
            day => match day.parse() {
                Ok(d) => Some(d),
                Err(_) => {
                    error.set(Some(desk::problem_text(
                        lang,
                        &kluis_api::error::Problem::NotADate {
                            field: kluis_api::error::Field::Day,
                        },
                    )));
                    return;
                }
            },
        };
        let request = NewPerson {
            org_id: org,
            name: name(),
            login: login(),
            email: email(),
            role,
            valid_until,
        };
        let Ok(body) = serde_json::to_string(&request) else {
            return;
        };
        busy.set(true);
        spawn(async move {
            let answer =
                desk::post::<Invitation>(token(state), kluis_api::paths::PEOPLE, &body).await;
            busy.set(false);
            match answer {
                Ok(inv) => {
                    error.set(None);
                    name.set(String::new());
                    login.set(String::new());
                    email.set(String::new());
                    until.set(String::new());
                    oninvited.call(inv);
                }
                Err(e) => error.set(Some(e.message(lang))),
            }
        });
    };

    rsx! {
        form { class: "card desk-form", id: "invite-form", novalidate: true, onsubmit: submit,
            h2 { {t(lang, if role == Role::Carer { DeskKey::InviteTitle } else { DeskKey::InvitePerson })} }
            p { class: "hint", {t(lang, DeskKey::InviteIntro)} }
            div { class: "form-grid",
                div { class: "field",
                    label { r#for: "invite-name", {t(lang, DeskKey::FieldName)} }
                    input { class: "input", id: "invite-name", value: "{name}", autocomplete: "off",
                        oninput: move |e: FormEvent| name.set(e.value()) }
                }
                div { class: "field",
                    label { r#for: "invite-login", {t(lang, DeskKey::FieldLogin)} }
                    input { class: "input", id: "invite-login", value: "{login}", autocomplete: "off",
                        autocapitalize: "none", spellcheck: "false",
                        oninput: move |e: FormEvent| login.set(e.value()) }
                }
                div { class: "field",
                    label { r#for: "invite-email", {t(lang, DeskKey::FieldEmail)} }
                    input { class: "input", id: "invite-email", r#type: "email", value: "{email}",
                        oninput: move |e: FormEvent| email.set(e.value()) }
                }
                div { class: "field",
                    label { r#for: "invite-until", {t(lang, DeskKey::FieldValidUntil)} }
                    input { class: "input", id: "invite-until", r#type: "date", value: "{until}",
                        oninput: move |e: FormEvent| until.set(e.value()) }
                }
            }
            if let Some(message) = error() {
                p { class: "alert", role: "alert", id: "invite-error", "{message}" }
            }
            button { class: "button button-primary", r#type: "submit", id: "invite",
                aria_busy: if busy() { "true" } else { "false" },
                {t(lang, DeskKey::InviteButton)}
            }
        }
    }
}

/// The activation code, shown once, with the link to open on the person's phone.
#[component]
fn InvitationCard(invitation: Invitation, ondone: EventHandler<()>) -> Element {
    let lang = (use_context::<AppState>().lang)();
    let inv = invitation;
    let link = format!("{}/activate?code={}", platform::origin(), inv.code);
    let until = format_time(inv.expires_at);
    let qr = desk::qr_svg(&link);
    rsx! {
        section { class: "card invitation", id: "invitation", role: "status", aria_live: "polite",
            h2 { {t(lang, DeskKey::InvitationTitle)} }
            p { {say(lang, DeskMsg::InvitationFor { name: &inv.name, login: &inv.login, until: &until })} }
            p { class: "invitation-code", id: "invitation-code", "{inv.code}" }
            if let Some(svg) = qr {
                div { class: "invitation-qr", id: "invitation-qr", role: "img",
                    aria_label: t(lang, DeskKey::InvitationQr),
                    dangerous_inner_html: svg,
                }
            }
            p { class: "hint", {t(lang, DeskKey::InvitationLink)} ": "
                a { id: "invitation-link", href: "{link}", "{link}" }
            }
            p { class: "hint", {t(lang, DeskKey::InvitationOnce)} }
            match &inv.email {
                kluis_api::people::InvitationEmail::Sent { to } => rsx! {
                    p { class: "hint", id: "invitation-email", role: "status",
                        {say(lang, crate::state::i18n::ImportMsg::EmailSent { to })}
                    }
                },
                kluis_api::people::InvitationEmail::Failed { to } => rsx! {
                    p { class: "alert", id: "invitation-email", role: "alert",
                        {say(lang, crate::state::i18n::ImportMsg::EmailFailed { to })}
                    }
                },
                _ => rsx! {},
            }
            button { class: "button button-secondary", r#type: "button", onclick: move |_| ondone.call(()),
                {t(lang, DeskKey::InvitationDone)}
            }
        }
    }
}
