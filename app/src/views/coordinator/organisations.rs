//! The parties of the agreement: home-care services and housing companies (added, edited,
//! deactivated), and the people of each with their invitations. The coordinator picks an
//! organisation and a role; the same people table as a service admin's serves below.

use dioxus::prelude::*;
use kluis_api::registry::{NewOrganisation, OrganisationEdit, OrganisationRow};
use kluis_domain::ids::OrgId;
use kluis_domain::model::{OrgKind, Role};

use super::team::People;
use super::token;
use super::widgets::{Failure, Loading};
use crate::state::AppState;
use crate::state::coordinator::{self as desk};
use crate::state::i18n::{DeskKey, Lang, t};

fn kind_label(lang: Lang, kind: OrgKind) -> &'static str {
    t(
        lang,
        match kind {
            OrgKind::CoordinatorOffice => DeskKey::KindOffice,
            OrgKind::CareService => DeskKey::KindService,
            OrgKind::HousingCompany => DeskKey::KindCompany,
        },
    )
}

fn role_label(lang: Lang, role: Role) -> &'static str {
    t(
        lang,
        match role {
            Role::Coordinator => DeskKey::RoleCoordinator,
            Role::ServiceAdmin => DeskKey::RoleServiceAdmin,
            Role::Carer => DeskKey::RoleCarer,
            Role::Volunteer => DeskKey::RoleVolunteer,
            Role::HousingStaff => DeskKey::RoleHousingStaff,
        },
    )
}

const ROLES: [Role; 5] = [
    Role::Coordinator,
    Role::Volunteer,
    Role::ServiceAdmin,
    Role::Carer,
    Role::HousingStaff,
];

#[component]
pub fn Organisations() -> Element {
    let state = use_context::<AppState>();
    let lang = (state.lang)();
    let mut list = use_resource(move || async move {
        desk::get::<Vec<OrganisationRow>>(token(state), kluis_api::paths::ORGANISATIONS).await
    });
    let mut chosen = use_signal(|| None::<OrgId>);
    let mut role = use_signal(|| None::<Role>);

    let answer = list.read().clone();
    let orgs = match answer {
        None => return rsx! { Loading {} },
        Some(Err(error)) => return rsx! { Failure { error, onretry: move |_| list.restart() } },
        Some(Ok(rows)) => rows,
    };
    let picked = chosen().and_then(|id| orgs.iter().find(|o| o.id == id).cloned());
    let roles: Vec<Role> = picked
        .as_ref()
        .map(|o| ROLES.into_iter().filter(|r| r.allowed_in(o.kind)).collect())
        .unwrap_or_default();
    let role_now = role()
        .filter(|r| roles.contains(r))
        .or(roles.first().copied());

    rsx! {
        div { class: "desk-toolbar",
            h2 { id: "orgs-title", {t(lang, DeskKey::NavPeople)} }
            button {
                class: "button button-secondary desk-small",
                id: "confirmation-link",
                r#type: "button",
                onclick: move |_| crate::views::open(crate::views::Route::DeskConfirmation {}),
                {t(lang, crate::state::i18n::ConfirmKey::OpenLink)}
            }
        }
        div { class: "table-wrap",
            table { class: "desk-table", id: "org-table", aria_labelledby: "orgs-title",
                thead {
                    tr {
                        th { scope: "col", {t(lang, DeskKey::ColName)} }
                        th { scope: "col", {t(lang, DeskKey::ColKind)} }
                        th { scope: "col", {t(lang, DeskKey::FieldContact)} }
                        th { scope: "col", {t(lang, DeskKey::FieldPhone)} }
                        th { scope: "col", {t(lang, DeskKey::FieldEmail)} }
                        th { scope: "col", {t(lang, DeskKey::ColBuildings)} }
                        th { scope: "col", {t(lang, DeskKey::ColPeople)} }
                        th { scope: "col", {t(lang, DeskKey::ColActions)} }
                    }
                }
                tbody {
                    for o in orgs.clone() {
                        OrgLine {
                            key: "{o.id}",
                            org: o.clone(),
                            onpeople: move |id| {
                                chosen.set(Some(id));
                                role.set(None);
                            },
                            onchanged: move |_| list.restart(),
                        }
                    }
                }
            }
        }
        NewOrg { onadded: move |_| list.restart() }
        if let Some(org) = picked {
            section { class: "card", id: "org-people",
                h2 { {t(lang, DeskKey::PeopleOf)} " {org.name}" }
                div { class: "field desk-filter",
                    label { r#for: "people-role", {t(lang, DeskKey::Role)} }
                    select { class: "input", id: "people-role",
                        onchange: move |e: FormEvent| role.set(e.value().parse().ok()),
                        for r in roles {
                            option { key: "{r}", value: "{r}", selected: Some(r) == role_now, {role_label(lang, r)} }
                        }
                    }
                }
                if let Some(r) = role_now {
                    People { key: "{org.id}-{r}", org: org.id, role: r }
                }
            }
        }
    }
}

#[component]
fn OrgLine(
    org: OrganisationRow,
    onpeople: EventHandler<OrgId>,
    onchanged: EventHandler<()>,
) -> Element {
    let state = use_context::<AppState>();
    let lang = (state.lang)();
    let o = org;
    let id = o.id;
    let edit = OrganisationEdit {
        name: o.name.clone(),
        contact_person: o.contact_person.clone(),
        phone: o.phone.clone(),
        email: o.email.clone(),
        active: !o.active,
    };
    let mut error = use_signal(|| None::<String>);
    let toggle = move |_| {
        let Ok(body) = serde_json::to_string(&edit) else {
            return;
        };
        spawn(async move {
            let path = kluis_api::paths::organisation(id);
            match desk::send::<OrganisationRow>(token(state), "PUT", &path, &body).await {
                Ok(_) => onchanged.call(()),
                Err(e) => error.set(Some(e.message(lang))),
            }
        });
    };
    rsx! {
        tr { "data-org": "{o.name}", class: if o.active { "" } else { "row-muted" },
            th { scope: "row", "{o.name}" }
            td { {kind_label(lang, o.kind)} if !o.active { " · " {t(lang, DeskKey::Inactive)} } }
            td { "{o.contact_person}" }
            td { "{o.phone}" }
            td { "{o.email}" }
            td { "{o.buildings}" }
            td { "{o.people}" }
            td { class: "actions",
                button { class: "link", r#type: "button", onclick: move |_| onpeople.call(id), {t(lang, DeskKey::ShowPeople)} }
                if o.kind != OrgKind::CoordinatorOffice {
                    button { class: "link", r#type: "button", onclick: toggle,
                        if o.active { {t(lang, DeskKey::Deactivate)} } else { {t(lang, DeskKey::Reactivate)} }
                    }
                }
                if let Some(message) = error() {
                    span { class: "alert", role: "alert", "{message}" }
                }
            }
        }
    }
}

#[component]
fn NewOrg(onadded: EventHandler<()>) -> Element {
    let state = use_context::<AppState>();
    let lang = (state.lang)();
    let mut kind = use_signal(|| OrgKind::CareService);
    let mut name = use_signal(String::new);
    let mut contact = use_signal(String::new);
    let mut phone = use_signal(String::new);
    let mut email = use_signal(String::new);
    let mut error = use_signal(|| None::<String>);
    let submit = move |event: FormEvent| {
        event.prevent_default();
        let request = NewOrganisation {
            kind: kind(),
            name: name(),
            contact_person: contact(),
            phone: phone(),
            email: email(),
        };
        let Ok(body) = serde_json::to_string(&request) else {
            return;
        };
        spawn(async move {
            match desk::post::<OrganisationRow>(
                token(state),
                kluis_api::paths::ORGANISATIONS,
                &body,
            )
            .await
            {
                Ok(_) => {
                    error.set(None);
                    name.set(String::new());
                    contact.set(String::new());
                    phone.set(String::new());
                    email.set(String::new());
                    onadded.call(());
                }
                Err(e) => error.set(Some(e.message(lang))),
            }
        });
    };
    rsx! {
        form { class: "card desk-form", id: "new-org", novalidate: true, onsubmit: submit,
            h2 { {t(lang, DeskKey::NewOrganisation)} }
            div { class: "form-grid",
                div { class: "field",
                    label { r#for: "org-kind", {t(lang, DeskKey::ColKind)} }
                    select { class: "input", id: "org-kind",
                        onchange: move |e: FormEvent| kind.set(if e.value() == "housing_company" { OrgKind::HousingCompany } else { OrgKind::CareService }),
                        option { value: "care_service", selected: kind() == OrgKind::CareService, {kind_label(lang, OrgKind::CareService)} }
                        option { value: "housing_company", selected: kind() == OrgKind::HousingCompany, {kind_label(lang, OrgKind::HousingCompany)} }
                    }
                }
                div { class: "field",
                    label { r#for: "org-name", {t(lang, DeskKey::ColName)} }
                    input { class: "input", id: "org-name", value: "{name}", oninput: move |e: FormEvent| name.set(e.value()) }
                }
                div { class: "field",
                    label { r#for: "org-contact", {t(lang, DeskKey::FieldContact)} }
                    input { class: "input", id: "org-contact", value: "{contact}", oninput: move |e: FormEvent| contact.set(e.value()) }
                }
                div { class: "field",
                    label { r#for: "org-phone", {t(lang, DeskKey::FieldPhone)} }
                    input { class: "input", id: "org-phone", r#type: "tel", value: "{phone}", oninput: move |e: FormEvent| phone.set(e.value()) }
                }
                div { class: "field",
                    label { r#for: "org-email", {t(lang, DeskKey::FieldEmail)} }
                    input { class: "input", id: "org-email", r#type: "email", value: "{email}", oninput: move |e: FormEvent| email.set(e.value()) }
                }
            }
            if let Some(message) = error() {
                p { class: "alert", role: "alert", "{message}" }
            }
            button { class: "button button-primary", r#type: "submit", {t(lang, DeskKey::AddOrganisation)} }
        }
    }
}
