//! The coordinator's desktop: campaigns with their progress, what is due, the code space per
//! model, a safe's history, repairs, planning a new campaign, and the settings. Online-only: each section
//! asks the server when it opens and says in words when it cannot (offline, signed out, ...).
//!
//! Sections switch inside this screen (tabs with their own signals), so the app's `Screen`
//! stays one variant and locking works as on every other unlocked screen.

mod campaign_detail;
mod campaigns;
mod code_space;
mod due;
mod history;
mod new_campaign;
mod repairs;
mod settings;
mod widgets;

use dioxus::prelude::*;

use crate::components::SessionButtons;
use crate::platform;
use crate::state::AppState;
use crate::state::i18n::{DeskKey, t};

/// The parts of the desktop, in tab order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Section {
    Campaigns,
    Due,
    CodeSpace,
    History,
    Repairs,
    NewCampaign,
    Settings,
}

impl Section {
    const ALL: [Section; 7] = [
        Section::Campaigns,
        Section::Due,
        Section::CodeSpace,
        Section::History,
        Section::Repairs,
        Section::NewCampaign,
        Section::Settings,
    ];

    fn id(self) -> &'static str {
        match self {
            Section::Campaigns => "campaigns",
            Section::Due => "due",
            Section::CodeSpace => "code-space",
            Section::History => "history",
            Section::Repairs => "repairs",
            Section::NewCampaign => "new-campaign",
            Section::Settings => "settings",
        }
    }

    fn key(self) -> DeskKey {
        match self {
            Section::Campaigns => DeskKey::NavCampaigns,
            Section::Due => DeskKey::NavDue,
            Section::CodeSpace => DeskKey::NavCodeSpace,
            Section::History => DeskKey::NavHistory,
            Section::Repairs => DeskKey::NavRepairs,
            Section::NewCampaign => DeskKey::NavNew,
            Section::Settings => DeskKey::NavSettings,
        }
    }
}

/// The desktop's own navigation state, shared by its sections.
#[derive(Clone, Copy)]
pub struct Desk {
    pub section: Signal<Section>,
    /// The campaign shown under the overview (`None`: the first running one).
    pub campaign: Signal<Option<String>>,
    /// The safe whose history is shown.
    pub history: Signal<Option<String>>,
}

impl Desk {
    pub fn open_history(mut self, safe_id: &str) {
        self.history.set(Some(safe_id.to_string()));
        self.section.set(Section::History);
    }

    pub fn open_campaign(mut self, campaign_id: &str) {
        self.campaign.set(Some(campaign_id.to_string()));
        self.section.set(Section::Campaigns);
    }
}

/// The coordinator's bearer token, from the unlocked vault (it lives nowhere else).
pub fn token(state: AppState) -> Option<String> {
    let guard = state.local.peek();
    let session = guard.as_ref()?.vault.session()?;
    Some(session.token.expose().to_string())
}

#[component]
pub fn Coordinator() -> Element {
    let state = use_context::<AppState>();
    let lang = (state.lang)();
    let desk = use_context_provider(|| Desk {
        section: Signal::new(Section::Campaigns),
        campaign: Signal::new(None),
        history: Signal::new(None),
    });
    let current = (desk.section)();
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
                                    let mut s = desk.section;
                                    s.set(section);
                                },
                                {t(lang, section.key())}
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
                match current {
                    Section::Campaigns => rsx! { campaigns::Campaigns {} },
                    Section::Due => rsx! { due::Due {} },
                    Section::CodeSpace => rsx! { code_space::CodeSpace {} },
                    Section::History => rsx! { history::History {} },
                    Section::Repairs => rsx! { repairs::Repairs {} },
                    Section::NewCampaign => rsx! { new_campaign::NewCampaign {} },
                    Section::Settings => rsx! { settings::Settings {} },
                }
            }
        }
    }
}
