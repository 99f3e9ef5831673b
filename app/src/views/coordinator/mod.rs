//! The coordinator's desktop: campaigns with their progress, what is due, the code space per
//! model, a safe's history, repairs, planning a new campaign, and the settings. Online-only: each section
//! asks the server when it opens and says in words when it cannot (offline, signed out, ...).
//!
//! Each section and detail has its own URL (`views::Route`'s `/desk/...`); [`Coordinator`] is
//! their layout: the header, the tabs and the section below.

mod attention;
mod audit;
mod building;
mod bulk;
mod campaign_detail;
mod campaigns;
mod code_space;
mod company;
mod confirmation;
mod due;
mod evaluation;
mod exposure;
mod history;
mod import;
mod inbox;
mod models;
mod new_campaign;
mod organisations;
mod registry;
mod repairs;
mod requests;
mod settings;
mod team;
mod widgets;

use dioxus::prelude::*;
use kluis_domain::ids::{BuildingId, CampaignId, SafeId};

pub use attention::{AttentionPanel, use_attention};
pub use audit::AuditTrail;
pub use building::Building;
pub use campaigns::Campaigns;
pub use code_space::CodeSpace;
pub use company::Company;
pub use confirmation::{ConfirmationDesk, TeamConfirmationList};
pub use due::Due;
pub use evaluation::EvaluationScreen;
pub use exposure::ExposureScreen;
pub use history::History;
pub use import::Import;
pub use inbox::{Inbox, InboxFor};
pub use models::Models;
pub use new_campaign::NewCampaign;
pub use organisations::Organisations;
pub use registry::Registry;
pub use repairs::Repairs;
pub use requests::{Requests, RequestsFor};
pub use settings::Settings;
pub use team::{Team, TeamAudit, TeamConfirmation, TeamExposure, TeamReports, TeamRequests};

use super::{Route, open, section_route};

use crate::components::SessionButtons;
use crate::platform;
use crate::state::AppState;
use crate::state::i18n::{DeskKey, t};
use crate::state::store::session_token;

/// The parts of the desktop, in tab order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Section {
    Campaigns,
    Due,
    Reports,
    CodeSpace,
    History,
    Repairs,
    NewCampaign,
    Registry,
    People,
    Audit,
    Evaluation,
    Settings,
}

impl Section {
    const ALL: [Section; 12] = [
        Section::Campaigns,
        Section::Due,
        Section::Reports,
        Section::CodeSpace,
        Section::History,
        Section::Repairs,
        Section::NewCampaign,
        Section::Registry,
        Section::People,
        Section::Audit,
        Section::Evaluation,
        Section::Settings,
    ];

    fn id(self) -> &'static str {
        match self {
            Section::Campaigns => "campaigns",
            Section::Due => "due",
            Section::Reports => "reports",
            Section::CodeSpace => "code-space",
            Section::History => "history",
            Section::Repairs => "repairs",
            Section::NewCampaign => "new-campaign",
            Section::Registry => "registry",
            Section::People => "people",
            Section::Audit => "audit",
            Section::Evaluation => "evaluation",
            Section::Settings => "settings",
        }
    }

    fn label(self, lang: crate::state::i18n::Lang) -> &'static str {
        match self {
            Section::Evaluation => t(lang, crate::state::i18n::EvalKey::Tab),
            Section::Campaigns => t(lang, DeskKey::NavCampaigns),
            Section::Due => t(lang, DeskKey::NavDue),
            Section::Reports => t(lang, DeskKey::NavReports),
            Section::CodeSpace => t(lang, DeskKey::NavCodeSpace),
            Section::History => t(lang, DeskKey::NavHistory),
            Section::Repairs => t(lang, DeskKey::NavRepairs),
            Section::NewCampaign => t(lang, DeskKey::NavNew),
            Section::Registry => t(lang, DeskKey::NavRegistry),
            Section::People => t(lang, DeskKey::NavPeople),
            Section::Audit => t(lang, DeskKey::NavAudit),
            Section::Settings => t(lang, DeskKey::NavSettings),
        }
    }
}

/// Opens a safe's history (from the due list, the repairs, the history's own picker).
pub fn open_history(safe: SafeId) {
    open(Route::DeskSafeHistory { safe });
}

/// Opens a building of the registry.
pub fn open_building(id: BuildingId) {
    open(Route::DeskBuilding { id });
}

/// Opens a campaign under the overview.
pub fn open_campaign(id: CampaignId) {
    open(Route::DeskCampaign { id });
}

/// The coordinator's bearer token, from the unlocked vault (it lives nowhere else).
pub fn token(state: AppState) -> Option<String> {
    session_token(state).ok()
}

/// The desktop's layout: `children` is the section the route shows.
#[component]
pub fn Coordinator(children: Element) -> Element {
    let state = use_context::<AppState>();
    let lang = (state.lang)();
    let route = use_route::<Route>();
    let current = route.section().unwrap_or(Section::Campaigns);
    let start = route == Route::DeskCampaigns {};
    let attention = use_attention(route);
    let counts = attention.read().clone().and_then(Result::ok);
    let name = (state.home)().name;

    use_effect(move || platform::set_title("Kluis — coördinatie"));

    rsx! {
        div { class: "desk",
            widgets::ChartDefs {}
            header { class: "desk-head",
                div {
                    h1 { class: "desk-title", {t(lang, DeskKey::Title)} }
                    if !name.is_empty() {
                        p { class: "hint", id: "signed-in-as", "{name}" }
                    }
                }
                div { class: "desk-session", SessionButtons {} }
            }
            nav { class: "desk-nav", aria_label: t(lang, DeskKey::NavLabel),
                ul { role: "tablist",
                    for section in Section::ALL {
                        li { key: "{section.id()}", role: "presentation",
                            button {
                                r#type: "button",
                                role: "tab",
                                id: "tab-{section.id()}",
                                class: "desk-tab",
                                aria_selected: if section == current { "true" } else { "false" },
                                aria_controls: "panel",
                                onclick: move |_| {
                                    open(section_route(section));
                                },
                                {section.label(lang)}
                                attention::TabCount {
                                    n: counts.as_ref().map_or(0, |a| attention::section_count(a, section)),
                                }
                            }
                        }
                    }
                }
            }
            if !platform::is_online() {
                p { class: "notice notice-warning", id: "desk-offline", role: "status",
                    {t(lang, DeskKey::ErrOffline)}
                }
            }
            section {
                class: "desk-panel",
                id: "panel",
                role: "tabpanel",
                aria_labelledby: "tab-{current.id()}",
                if start {
                    AttentionPanel {
                        role: kluis_domain::model::Role::Coordinator,
                        attention: attention.read().clone(),
                    }
                }
                {children}
            }
        }
    }
}
