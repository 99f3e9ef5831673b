//! Every screen's URL. The [`Shell`] layout draws the top bar and, until the vault is open,
//! the gate (sign-in, PIN, unlock) in place of the route, so a locked app asks for the PIN on
//! the screen's own URL and shows that screen again after it: a reload or an idle lock never
//! loses the person's place. The browser's and Android's back button move between routes.

use dioxus::prelude::*;
use kluis_domain::ids::{BuildingId, CampaignId, PersonId, RoundId, SafeId};
use kluis_domain::model::Role;

use super::coordinator::{self, Section};
use super::{ChoosePin, Home, Login, Rounds, Securing, Unlock};
use crate::components::{Brand, LangSwitch};
use crate::state::AppState;
use crate::state::flows::open_role;
use crate::state::shown::Gate;

#[derive(Clone, Debug, PartialEq, Routable)]
#[rustfmt::skip]
pub enum Route {
    #[layout(Shell)]
        /// The person's start: the search for carers, the rounds for volunteers, the
        /// desktop for the coordinator.
        #[route("/", StartPage)]
        Start {},
        /// The link of an invitation: choose a password with the one-time code.
        #[route("/activate?:code", ActivatePage)]
        Activate { code: String },
        #[route("/safe/:id", SafePage)]
        Safe { id: SafeId },
        /// A service admin's start: their service's carers and invitations.
        #[route("/team", TeamPage)]
        Team {},
        /// A service admin's six-monthly confirmation of their service's addresses.
        #[route("/team/confirmation", TeamConfirmationPage)]
        TeamConfirmation {},
        /// A service admin's requests for new safes.
        #[route("/team/requests", TeamRequestsPage)]
        TeamRequests {},
        /// A service admin's view of their carers' reports from the door.
        #[route("/team/reports", TeamReportsPage)]
        TeamReports {},
        /// A service admin's view of when their carers opened codes.
        #[route("/team/audit", TeamAuditPage)]
        TeamAudit {},
        /// The codes a carer of the service saw, after they leave.
        #[route("/team/people/:id/exposure", TeamExposurePage)]
        TeamExposure { id: PersonId },
        /// Housing-company staff's start: their company's buildings and safes.
        #[route("/company", CompanyPage)]
        Company {},
        #[route("/rounds", RoundsPage)]
        Rounds {},
        #[route("/rounds/:round/:safe", RoundItemPage)]
        RoundItem { round: RoundId, safe: SafeId },
        #[nest("/desk")]
            #[layout(DeskLayout)]
                #[route("/", DeskCampaignsPage)]
                DeskCampaigns {},
                #[route("/campaigns/:id", DeskCampaignPage)]
                DeskCampaign { id: CampaignId },
                #[route("/due", DeskDuePage)]
                DeskDue {},
                #[route("/reports", DeskReportsPage)]
                DeskReports {},
                #[route("/code-space", DeskCodeSpacePage)]
                DeskCodeSpace {},
                #[route("/history", DeskHistoryPage)]
                DeskHistory {},
                #[route("/history/:safe", DeskSafeHistoryPage)]
                DeskSafeHistory { safe: SafeId },
                #[route("/repairs", DeskRepairsPage)]
                DeskRepairs {},
                #[route("/new", DeskNewCampaignPage)]
                DeskNewCampaign {},
                #[route("/buildings", DeskRegistryPage)]
                DeskRegistry {},
                #[route("/buildings/:id", DeskBuildingPage)]
                DeskBuilding { id: BuildingId },
                #[route("/confirmation", DeskConfirmationPage)]
                DeskConfirmation {},
                #[route("/requests", DeskRequestsPage)]
                DeskRequests {},
                #[route("/models", DeskModelsPage)]
                DeskModels {},
                #[route("/import", DeskImportPage)]
                DeskImport {},
                #[route("/people", DeskPeoplePage)]
                DeskPeople {},
                #[route("/people/:id/exposure", DeskExposurePage)]
                DeskExposure { id: PersonId },
                #[route("/audit", DeskAuditPage)]
                DeskAudit {},
                #[route("/evaluation", DeskEvaluationPage)]
                DeskEvaluation {},
                #[route("/settings", DeskSettingsPage)]
                DeskSettings {},
            #[end_layout]
        #[end_nest]
        /// Any other path: the start screen.
        #[route("/:..segments", UnknownPage)]
        Unknown { segments: Vec<String> },
}

impl Route {
    /// The desktop's section this route shows, if it is one of the desktop's.
    pub fn section(&self) -> Option<Section> {
        Some(match self {
            Route::DeskCampaigns {} | Route::DeskCampaign { .. } => Section::Campaigns,
            Route::DeskDue {} => Section::Due,
            Route::DeskReports {} => Section::Reports,
            Route::DeskCodeSpace {} => Section::CodeSpace,
            Route::DeskHistory {} | Route::DeskSafeHistory { .. } => Section::History,
            Route::DeskRepairs {} => Section::Repairs,
            Route::DeskNewCampaign {} => Section::NewCampaign,
            Route::DeskRegistry {}
            | Route::DeskBuilding { .. }
            | Route::DeskImport {}
            | Route::DeskModels {}
            | Route::DeskRequests {} => Section::Registry,
            Route::DeskPeople {} | Route::DeskConfirmation {} | Route::DeskExposure { .. } => {
                Section::People
            }
            Route::DeskAudit {} => Section::Audit,
            Route::DeskEvaluation {} => Section::Evaluation,
            Route::DeskSettings {} => Section::Settings,
            _ => return None,
        })
    }

    /// Whether `role` has this screen; any other sends the person to their start.
    pub fn allows(&self, role: Role) -> bool {
        match self {
            Route::Start {} | Route::Unknown { .. } | Route::Activate { .. } => true,
            Route::Safe { .. } => !matches!(role, Role::Coordinator),
            Route::Rounds {} | Route::RoundItem { .. } => role == Role::Volunteer,
            Route::Team {}
            | Route::TeamConfirmation {}
            | Route::TeamRequests {}
            | Route::TeamReports {}
            | Route::TeamAudit {}
            | Route::TeamExposure { .. } => role == Role::ServiceAdmin,
            Route::Company {} => role == Role::HousingStaff,
            _ => self.section().is_none() || role == Role::Coordinator,
        }
    }
}

/// The desktop's route for `section` (its overview).
pub fn section_route(section: Section) -> Route {
    match section {
        Section::Campaigns => Route::DeskCampaigns {},
        Section::Due => Route::DeskDue {},
        Section::Reports => Route::DeskReports {},
        Section::CodeSpace => Route::DeskCodeSpace {},
        Section::History => Route::DeskHistory {},
        Section::Repairs => Route::DeskRepairs {},
        Section::NewCampaign => Route::DeskNewCampaign {},
        Section::Registry => Route::DeskRegistry {},
        Section::People => Route::DeskPeople {},
        Section::Audit => Route::DeskAudit {},
        Section::Evaluation => Route::DeskEvaluation {},
        Section::Settings => Route::DeskSettings {},
    }
}

/// How many screens the app itself opened on top of the first one it showed. The browser's
/// history says `can_go_back` even on a freshly loaded page (the previous site), so a screen's
/// own back button asks this instead: a screen opened from a link or a reload goes to its
/// parent rather than out of the app.
#[derive(Clone, Copy)]
pub struct Opened(CopyValue<u32>);

/// Opens `route` on top of the current screen (the back button returns here).
pub fn open(route: Route) {
    if let Some(Opened(mut depth)) = try_consume_context::<Opened>() {
        *depth.write() += 1;
    }
    navigator().push(route);
}

/// A screen's own back button: back in the history when the app opened this screen, else
/// straight to `parent`.
pub fn go_back_to(parent: Route) {
    let nav = navigator();
    match try_consume_context::<Opened>() {
        Some(Opened(mut depth)) if *depth.peek() > 0 => {
            *depth.write() -= 1;
            nav.go_back();
        }
        _ => {
            nav.replace(parent);
        }
    }
}

/// True while the component that made it is on screen: work that outlives a tap (recording a
/// change, taking a round) only touches the screen's signals when it is still there. The value
/// is owned by the component's scope, so it reads as gone once the screen is.
#[derive(Clone, Copy)]
pub struct Alive(CopyValue<()>);

impl Alive {
    pub fn get(self) -> bool {
        self.0.try_read().is_ok()
    }
}

pub fn use_alive() -> Alive {
    use_hook(|| Alive(CopyValue::new(())))
}

#[component]
fn Shell() -> Element {
    let state = use_context::<AppState>();
    use_context_provider(|| Opened(CopyValue::new(0)));
    let gate = (state.gate)();
    let route = use_route::<Route>();
    let role = if gate.is_open() {
        open_role(state)
    } else {
        None
    };
    let desk_wide =
        route.section().is_some() || matches!(route, Route::Team {} | Route::Company {});
    let class = match (gate, desk_wide) {
        (Gate::Open, true) => "screen screen-desk",
        (Gate::Open, false) => "screen screen-top",
        _ => "screen",
    };
    rsx! {
        div { class: "app",
            header { class: "topbar",
                Brand {}
                LangSwitch {}
            }
            main { class, id: "content",
                match gate {
                    Gate::Starting => rsx! {},
                    Gate::Login => match route {
                        Route::Activate { code } => rsx! { super::Activate { code } },
                        _ => rsx! { Login {} },
                    },
                    Gate::ChoosePin => rsx! { ChoosePin {} },
                    Gate::Securing => rsx! { Securing {} },
                    Gate::Unlock => rsx! { Unlock {} },
                    Gate::Open => match role {
                        Some(role) if route.allows(role) => rsx! { Outlet::<Route> {} },
                        Some(_) => rsx! { Redirect { to: Route::Start {} } },
                        None => rsx! {},
                    },
                }
            }
        }
    }
}

/// Replaces the current URL with `to` (a screen this person does not have, or the
/// coordinator's start).
#[component]
fn Redirect(to: Route) -> Element {
    let nav = navigator();
    use_hook(move || {
        nav.replace(to);
    });
    rsx! {}
}

#[component]
fn StartPage() -> Element {
    let state = use_context::<AppState>();
    match open_role(state) {
        Some(Role::Coordinator) => rsx! { Redirect { to: Route::DeskCampaigns {} } },
        Some(Role::Volunteer) => rsx! { Rounds {} },
        Some(Role::ServiceAdmin) => rsx! { Redirect { to: Route::Team {} } },
        Some(Role::HousingStaff) => rsx! { Redirect { to: Route::Company {} } },
        _ => rsx! { Home {} },
    }
}

/// Signed in already: this device is someone's, an invitation is not for it.
#[component]
fn ActivatePage(code: String) -> Element {
    rsx! { Redirect { to: Route::Start {} } }
}

#[component]
fn UnknownPage(segments: Vec<String>) -> Element {
    rsx! { Redirect { to: Route::Start {} } }
}

#[component]
fn SafePage(id: SafeId) -> Element {
    rsx! { super::Safe { key: "{id}", id } }
}

#[component]
fn CompanyPage() -> Element {
    rsx! { coordinator::Company {} }
}

#[component]
fn TeamPage() -> Element {
    rsx! { coordinator::Team {} }
}

#[component]
fn TeamConfirmationPage() -> Element {
    rsx! { coordinator::TeamConfirmation {} }
}

#[component]
fn TeamRequestsPage() -> Element {
    rsx! { coordinator::TeamRequests {} }
}

#[component]
fn TeamReportsPage() -> Element {
    rsx! { coordinator::TeamReports {} }
}

#[component]
fn TeamAuditPage() -> Element {
    rsx! { coordinator::TeamAudit {} }
}

#[component]
fn TeamExposurePage(id: PersonId) -> Element {
    rsx! { coordinator::TeamExposure { id } }
}

#[component]
fn DeskAuditPage() -> Element {
    rsx! { coordinator::AuditTrail { team: false } }
}

#[component]
fn DeskEvaluationPage() -> Element {
    rsx! { coordinator::EvaluationScreen {} }
}

#[component]
fn DeskExposurePage(id: PersonId) -> Element {
    rsx! { coordinator::ExposureScreen { id } }
}

#[component]
fn DeskReportsPage() -> Element {
    rsx! { coordinator::Inbox { view: coordinator::InboxFor::Coordinator } }
}

#[component]
fn DeskRequestsPage() -> Element {
    rsx! { coordinator::Requests { view: coordinator::RequestsFor::Coordinator } }
}

#[component]
fn DeskConfirmationPage() -> Element {
    rsx! { coordinator::ConfirmationDesk {} }
}

#[component]
fn RoundsPage() -> Element {
    rsx! { Rounds {} }
}

#[component]
fn RoundItemPage(round: RoundId, safe: SafeId) -> Element {
    rsx! { super::RoundItem { key: "{round}-{safe}", round, safe } }
}

#[component]
fn DeskLayout() -> Element {
    rsx! {
        coordinator::Coordinator { Outlet::<Route> {} }
    }
}

#[component]
fn DeskCampaignsPage() -> Element {
    rsx! { coordinator::Campaigns { chosen: None } }
}

#[component]
fn DeskCampaignPage(id: CampaignId) -> Element {
    rsx! { coordinator::Campaigns { key: "{id}", chosen: Some(id) } }
}

#[component]
fn DeskDuePage() -> Element {
    rsx! { coordinator::Due {} }
}

#[component]
fn DeskCodeSpacePage() -> Element {
    rsx! { coordinator::CodeSpace {} }
}

#[component]
fn DeskHistoryPage() -> Element {
    rsx! { coordinator::History { safe: None } }
}

#[component]
fn DeskSafeHistoryPage(safe: SafeId) -> Element {
    rsx! { coordinator::History { key: "{safe}", safe: Some(safe) } }
}

#[component]
fn DeskRepairsPage() -> Element {
    rsx! { coordinator::Repairs {} }
}

#[component]
fn DeskNewCampaignPage() -> Element {
    rsx! { coordinator::NewCampaign {} }
}

#[component]
fn DeskRegistryPage() -> Element {
    rsx! { coordinator::Registry {} }
}

#[component]
fn DeskBuildingPage(id: BuildingId) -> Element {
    rsx! { coordinator::Building { key: "{id}", id } }
}

#[component]
fn DeskModelsPage() -> Element {
    rsx! { coordinator::Models {} }
}

#[component]
fn DeskImportPage() -> Element {
    rsx! { coordinator::Import {} }
}

#[component]
fn DeskPeoplePage() -> Element {
    rsx! { coordinator::Organisations {} }
}

#[component]
fn DeskSettingsPage() -> Element {
    rsx! { coordinator::Settings {} }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_screen_has_a_url_that_reads_back() {
        let (safe, round, campaign) = (
            SafeId::from_bytes([1; 16]),
            RoundId::from_bytes([2; 16]),
            CampaignId::from_bytes([3; 16]),
        );
        let routes = [
            Route::Start {},
            Route::Safe { id: safe },
            Route::Rounds {},
            Route::Team {},
            Route::Company {},
            Route::RoundItem { round, safe },
            Route::DeskCampaigns {},
            Route::DeskCampaign { id: campaign },
            Route::DeskDue {},
            Route::DeskCodeSpace {},
            Route::DeskHistory {},
            Route::DeskSafeHistory { safe },
            Route::DeskRepairs {},
            Route::DeskNewCampaign {},
            Route::DeskSettings {},
            Route::DeskRegistry {},
            Route::DeskPeople {},
            Route::DeskBuilding {
                id: BuildingId::from_bytes([4; 16]),
            },
            Route::DeskImport {},
            Route::DeskModels {},
            Route::DeskRequests {},
            Route::DeskConfirmation {},
            Route::TeamConfirmation {},
            Route::TeamRequests {},
            Route::TeamReports {},
            Route::DeskReports {},
            Route::Activate {
                code: "7KQM-3XWD-PT9A".into(),
            },
        ];
        for route in routes {
            let url = route.to_string();
            // Every desktop screen is in a section, so only the coordinator has it.
            if url.starts_with("/desk") {
                assert!(route.section().is_some(), "{url} has no section");
                for role in [
                    Role::Carer,
                    Role::Volunteer,
                    Role::ServiceAdmin,
                    Role::HousingStaff,
                ] {
                    assert!(!route.allows(role), "{url} is the coordinator's only");
                }
            }
            let back: Route = url
                .parse()
                .unwrap_or_else(|_| panic!("{url} does not parse"));
            assert_eq!(back, route, "{url}");
        }
        assert_eq!(
            Route::Safe { id: safe }.to_string(),
            format!("/safe/{safe}")
        );
        assert_eq!(Route::DeskDue {}.to_string(), "/desk/due");
        // A mistyped id is no screen: it falls to the start.
        assert!(matches!(
            "/safe/not-an-id".parse::<Route>(),
            Ok(Route::Unknown { .. })
        ));
    }

    #[test]
    fn each_role_has_its_own_screens() {
        let safe = SafeId::from_bytes([1; 16]);
        assert!(Route::Safe { id: safe }.allows(Role::Carer));
        assert!(!Route::Safe { id: safe }.allows(Role::Coordinator));
        assert!(!Route::DeskDue {}.allows(Role::Carer));
        assert!(!Route::DeskSettings {}.allows(Role::Volunteer));
        assert!(Route::DeskSettings {}.allows(Role::Coordinator));
        assert!(!Route::Rounds {}.allows(Role::Carer));
        assert!(Route::Rounds {}.allows(Role::Volunteer));
        assert!(Route::Team {}.allows(Role::ServiceAdmin));
        assert!(Route::TeamRequests {}.allows(Role::ServiceAdmin));
        assert!(!Route::TeamRequests {}.allows(Role::HousingStaff));
        assert!(Route::TeamReports {}.allows(Role::ServiceAdmin));
        assert!(!Route::TeamReports {}.allows(Role::Carer));
        assert!(!Route::Team {}.allows(Role::Carer));
        assert!(Route::Company {}.allows(Role::HousingStaff));
        assert!(!Route::Company {}.allows(Role::ServiceAdmin));
        for role in [Role::Carer, Role::Volunteer, Role::Coordinator] {
            assert!(Route::Start {}.allows(role));
        }
    }
}
