//! `GET /api/attention`: what the signed-in person must do now, as counts the start screen
//! lists and the tabs show. The server decides which kinds a role gets; a kind it leaves out
//! has nothing waiting.

use kluis_domain::time::Date;
use serde::{Deserialize, Serialize};

/// One kind of work waiting.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AttentionKind {
    /// Coordinator: safes whose new code is past its deadline.
    CodesOverdue,
    /// Coordinator: safes whose new code falls due this week.
    CodesDueThisWeek,
    /// Coordinator: reports from the door nobody has dealt with yet.
    ReportsNew,
    /// Coordinator: requests for a new safe waiting for a review.
    RequestsWaiting,
    /// Coordinator: services that have not answered the open address confirmation.
    ServicesUnconfirmed,
    /// Coordinator: repair orders the housing companies have not finished. Housing staff:
    /// their own company's.
    RepairsOpen,
    /// Housing staff: approved requests at their buildings still to be installed.
    RequestsToInstall,
    /// Service admin: addresses of the open confirmation still to answer.
    ConfirmationOpen,
    /// Service admin (and coordinator): accounts whose access ends soon
    /// (`kluis_domain::accounts::access_ending_soon`).
    AccountsExpiring,
}

/// How much of one kind is waiting.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttentionItem {
    pub kind: AttentionKind,
    /// Always at least 1: a kind with nothing waiting is left out.
    pub count: u32,
    /// The earliest date that matters: the oldest deadline passed, the confirmation's
    /// deadline, the first account to expire. `None` where no date applies.
    pub due: Option<Date>,
}

/// The answer, in the order the start screen lists it (most urgent first).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attention {
    pub today: Date,
    pub items: Vec<AttentionItem>,
}

impl Attention {
    /// How many of `kind` are waiting (0 when it is not listed).
    pub fn count(&self, kind: AttentionKind) -> u32 {
        self.items
            .iter()
            .find(|i| i.kind == kind)
            .map_or(0, |i| i.count)
    }

    /// Keeps only the kinds with something waiting, in the order given.
    pub fn new(today: Date, items: impl IntoIterator<Item = AttentionItem>) -> Self {
        Attention {
            today,
            items: items.into_iter().filter(|i| i.count > 0).collect(),
        }
    }
}
