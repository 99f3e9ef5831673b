//! "Nu te doen": the top of every desk start screen, one line per kind of work waiting with
//! the way to it, and the counts the coordinator's tabs carry. Asked again on every screen
//! change, so a count drops as soon as the work behind it is done.

use dioxus::prelude::*;
use kluis_api::attention::{Attention, AttentionKind};
use kluis_domain::model::Role;

use super::{Section, token};
use crate::platform;
use crate::state::AppState;
use crate::state::coordinator::{self as desk, DeskError};
use crate::state::i18n::{AttentionKey, AttentionMsg, attention_line, say, t};
use crate::views::{Route, open};

/// Bumped by a screen that did work "Nu te doen" counts (a repair done, a report dealt with),
/// so the counts follow at once rather than at the next screen change.
static CHANGED: GlobalSignal<u32> = Signal::global(|| 0);

/// Says that work "Nu te doen" counts was done.
pub fn changed() {
    *CHANGED.write() += 1;
}

/// The attention of the signed-in person, asked again when `route` changes or work is done.
pub fn use_attention(route: Route) -> Resource<Result<Attention, DeskError>> {
    let state = use_context::<AppState>();
    use_resource(use_reactive!(|route| async move {
        let _ = (route, CHANGED());
        desk::get::<Attention>(token(state), kluis_api::paths::ATTENTION).await
    }))
}

/// Where a line leads: a screen of its own, or a part of the start screen itself.
enum Target {
    Screen(Route),
    Here(&'static str),
}

fn target(role: Role, kind: AttentionKind) -> Target {
    match (role, kind) {
        (_, AttentionKind::CodesOverdue | AttentionKind::CodesDueThisWeek) => {
            Target::Screen(Route::DeskDue {})
        }
        (_, AttentionKind::ReportsNew) => Target::Screen(Route::DeskReports {}),
        (_, AttentionKind::RequestsWaiting) => Target::Screen(Route::DeskRequests {}),
        (_, AttentionKind::ServicesUnconfirmed) => Target::Screen(Route::DeskConfirmation {}),
        (Role::HousingStaff, AttentionKind::RepairsOpen) => Target::Here("repairs-title"),
        (_, AttentionKind::RepairsOpen) => Target::Screen(Route::DeskRepairs {}),
        (_, AttentionKind::RequestsToInstall) => Target::Here("requests-title"),
        (_, AttentionKind::ConfirmationOpen) => Target::Screen(Route::TeamConfirmation {}),
        (Role::ServiceAdmin, AttentionKind::AccountsExpiring) => Target::Here("people-title"),
        (_, AttentionKind::AccountsExpiring) => Target::Screen(Route::DeskPeople {}),
    }
}

/// The count a coordinator's tab carries: the work that section is where to do.
pub fn section_count(attention: &Attention, section: Section) -> u32 {
    let kinds: &[AttentionKind] = match section {
        Section::Due => &[AttentionKind::CodesOverdue],
        Section::Reports => &[AttentionKind::ReportsNew],
        Section::Registry => &[AttentionKind::RequestsWaiting],
        Section::People => &[
            AttentionKind::ServicesUnconfirmed,
            AttentionKind::AccountsExpiring,
        ],
        Section::Repairs => &[AttentionKind::RepairsOpen],
        _ => &[],
    };
    kinds.iter().map(|&k| attention.count(k)).sum()
}

/// A tab's count, said in full to screen readers.
#[component]
pub fn TabCount(n: u32) -> Element {
    let lang = (use_context::<AppState>().lang)();
    let words = say(lang, AttentionMsg::Badge { n: n.into() });
    rsx! {
        if n > 0 {
            span { class: "tab-count", title: "{words}",
                span { aria_hidden: "true", "{n}" }
                span { class: "visually-hidden", " {words}" }
            }
        }
    }
}

/// The list itself, for `role`'s start screen. Says so when nothing waits; stays quiet when
/// the server cannot be asked (the screen below says why).
#[component]
pub fn AttentionPanel(role: Role, attention: Option<Result<Attention, DeskError>>) -> Element {
    let lang = (use_context::<AppState>().lang)();
    let Some(Ok(attention)) = attention else {
        return rsx! {};
    };
    rsx! {
        section { class: "card attention", id: "attention", aria_labelledby: "attention-title",
            h2 { id: "attention-title", {t(lang, AttentionKey::Title)} }
            if attention.items.is_empty() {
                p { class: "hint", id: "attention-nothing", {t(lang, AttentionKey::Nothing)} }
            } else {
                ul { class: "attention-list",
                    for item in attention.items.clone() {
                        {
                            let line = attention_line(lang, role, &item);
                            let urgent = item.kind == AttentionKind::CodesOverdue;
                            let go = target(role, item.kind);
                            rsx! {
                                li { key: "{item.kind:?}", class: if urgent { "attention-item attention-urgent" } else { "attention-item" },
                                    if urgent {
                                        span { class: "alert-icon", aria_hidden: "true", "!" }
                                    }
                                    span { class: "attention-text", "{line}" }
                                    button {
                                        class: "button button-secondary desk-small",
                                        r#type: "button",
                                        aria_label: "{t(lang, AttentionKey::Open)}: {line}",
                                        onclick: move |_| match &go {
                                            Target::Screen(route) => open(route.clone()),
                                            Target::Here(id) => platform::scroll_to(id),
                                        },
                                        {t(lang, AttentionKey::Open)}
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
