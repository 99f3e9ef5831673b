//! The registry's bulk toggle: one home-care service made active at, or taken away from, the
//! buildings chosen in the list.

use dioxus::prelude::*;
use kluis_api::registry::{OrganisationRow, ServiceBuildings, ServiceBuildingsDone};
use kluis_domain::ids::{BuildingId, OrgId};
use kluis_domain::model::OrgKind;

use super::token;
use crate::state::AppState;
use crate::state::coordinator as desk;
use crate::state::i18n::{ImportKey, ImportMsg, say, t};

#[component]
pub fn BulkServices(
    organisations: Vec<OrganisationRow>,
    selected: Signal<Vec<BuildingId>>,
    onchanged: EventHandler<()>,
) -> Element {
    let state = use_context::<AppState>();
    let lang = (state.lang)();
    let services: Vec<OrganisationRow> = organisations
        .into_iter()
        .filter(|o| o.kind == OrgKind::CareService && o.active)
        .collect();
    let mut service = use_signal(|| None::<OrgId>);
    let mut message = use_signal(|| None::<(bool, String)>);
    let chosen = service().or(services.first().map(|s| s.id));
    let n = selected().len();
    let run = move |adding: bool| {
        let Some(org) = chosen else { return };
        let ids = selected();
        spawn(async move {
            let body = serde_json::to_string(&if adding {
                ServiceBuildings {
                    add: ids,
                    remove: Vec::new(),
                }
            } else {
                ServiceBuildings {
                    add: Vec::new(),
                    remove: ids,
                }
            })
            .unwrap_or_default();
            let path = kluis_api::paths::organisation_buildings(org);
            match desk::send::<ServiceBuildingsDone>(token(state), "PUT", &path, &body).await {
                Ok(done) => {
                    message.set(Some((
                        true,
                        say(
                            lang,
                            ImportMsg::BulkDone {
                                added: done.added.into(),
                                removed: done.removed.into(),
                            },
                        ),
                    )));
                    selected.set(Vec::new());
                    onchanged.call(());
                }
                Err(e) => message.set(Some((false, e.message(lang)))),
            }
        });
    };
    rsx! {
        div { class: "desk-toolbar", id: "bulk-services",
            div { class: "field",
                label { r#for: "bulk-service", {t(lang, ImportKey::BulkService)} }
                select {
                    class: "input",
                    id: "bulk-service",
                    onchange: move |e: FormEvent| service.set(e.value().parse().ok()),
                    for s in services.iter() {
                        option { key: "{s.id}", value: "{s.id}", selected: Some(s.id) == chosen, "{s.name}" }
                    }
                }
            }
            span { class: "hint", id: "bulk-count", {say(lang, ImportMsg::BulkChosen { n: n.into() })} }
            button {
                class: "button button-secondary desk-small",
                r#type: "button",
                disabled: n == 0 || chosen.is_none(),
                onclick: move |_| run(true),
                {t(lang, ImportKey::BulkAdd)}
            }
            button {
                class: "button button-secondary desk-small",
                r#type: "button",
                disabled: n == 0 || chosen.is_none(),
                onclick: move |_| run(false),
                {t(lang, ImportKey::BulkRemove)}
            }
            if let Some((ok, text)) = message() {
                span { class: if ok { "hint" } else { "alert" }, role: if ok { "status" } else { "alert" }, "{text}" }
            }
        }
    }
}
