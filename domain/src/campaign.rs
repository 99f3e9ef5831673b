//! Rotation campaigns: new codes for many safes at once, planned in waves and split into rounds.
//!
//! # Why waves
//!
//! While a volunteer has not yet been on site, a safe still opens with its old code, so its new
//! (pending) code must keep 2 buttons away from the old one as well as from every other code in
//! use. A full rotation therefore needs room for two codes per safe: 220 Supra safes need 440,
//! while a 10-button model offers at most 420 codes that are pairwise 2 apart (408 once the
//! factory default and runs like 1234 are left out). Kluis then rotates in waves.
//!
//! # The wave model
//!
//! * Every model is planned on its own; codes of different models never collide on a lock.
//! * Blocked for a wave: codes of safes outside the campaign (current and pending), the
//!   quarantined codes the caller passes (already filtered by the coordinator's quarantine
//!   setting), the code every campaign safe holds at that moment, and the other new codes of
//!   the wave.
//! * When a wave is confirmed, its safes' old codes retire into quarantine and stay blocked.
//!   Nothing is freed during the quarantine, so a next wave started straight away would find
//!   the same full space. The plan therefore assumes that wave k+1 starts only once the codes
//!   wave k retired have left quarantine ([`Wave::after_quarantine`] says when a wave depends on
//!   that). The quarantined codes passed in are conservatively kept blocked for every wave.
//! * The size of a wave is not a formula: it is a greedy generation attempt with the real code
//!   generator ([`crate::codegen`]) on the real codes in use, because codes imported in the
//!   "wrong" parity class block more than their count suggests. Later waves are sized by a dry
//!   run of the same draws; those codes are thrown away.
//! * Only wave 1 gets codes now ([`Wave::assignments`]). Later waves list their safes only
//!   ([`Wave::deferred`]): by the time they start, quarantines, leaks and new safes have changed
//!   the space. To start one, call [`plan_campaign`] again with its safes; its wave 1 is that
//!   wave with fresh codes.
//! * If not even one safe can get a code, planning fails with
//!   [`DomainError::CodeSpaceExhausted`](crate::DomainError::CodeSpaceExhausted) and the numbers;
//!   it never falls back to a weaker code.
//!
//! Safes enter waves in street order (district, street, house number), so a wave covers whole
//! neighbourhoods; safes without any code yet (a factory default still set) go first, because
//! rule 2 of the brief gives them 5 working days.

mod plan;
mod rounds;

pub use plan::plan_campaign;
pub use rounds::{Round, split_into_rounds};

use std::collections::BTreeMap;

use crate::address::normalize;
use crate::codegen::CodeRules;
use crate::ids::{SafeId, SafeModelId};
use crate::safe_model::{ButtonSet, SafeModel};

/// A safe that takes part in a campaign (a full rotation, a selection, or one urgent change).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CampaignSafe {
    /// The safe.
    pub safe: SafeId,
    /// Its model.
    pub model: SafeModelId,
    /// The code the safe opens with now; `None` while it still has its factory default.
    pub current: Option<ButtonSet>,
    /// Earlier codes of the safe, oldest first; the last `CodeRules::history_to_avoid` of them
    /// do not come back.
    pub history: Vec<ButtonSet>,
    /// Street of the entrance, as entered.
    pub street: String,
    /// First house number of the entrance, for ordering within the street.
    pub numbers_first: u32,
    /// District (wijk), the first level of the route order.
    pub district: String,
}

impl CampaignSafe {
    /// The route order: district, street (normalized, so "Sleepstr." sorts with
    /// "Sleepstraat"), house number; the id only makes the order total.
    pub(crate) fn route_key(&self) -> (String, String, u32, SafeId) {
        (
            normalize(&self.district),
            normalize(&self.street),
            self.numbers_first,
            self.safe,
        )
    }
}

/// How big a wave may get besides what the code space allows.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WavePolicy {
    /// Most safes in one wave over all models, e.g. what the volunteers can do in the weeks
    /// before the wave's deadline; `None` for no limit.
    pub max_wave_size: Option<usize>,
    /// Codes per model kept free during a wave for urgent changes (a leaked code, a newly
    /// installed safe) that cannot wait for the campaign to end.
    pub reserve_per_model: usize,
}

/// Everything [`plan_campaign`] needs; borrowed, because the caller already holds the registry.
#[derive(Clone, Copy, Debug)]
pub struct CampaignInput<'a> {
    /// The safes to give new codes.
    pub safes: &'a [CampaignSafe],
    /// All models the safes use.
    pub models: &'a BTreeMap<SafeModelId, SafeModel>,
    /// Codes of safes outside the campaign, current and pending, per model.
    pub outside_in_use: &'a BTreeMap<SafeModelId, Vec<ButtonSet>>,
    /// Retired codes still in quarantine; the caller applies the coordinator's setting.
    pub quarantined: &'a [(SafeModelId, ButtonSet)],
    /// Rules for new codes.
    pub rules: &'a CodeRules,
    /// Limits on wave size.
    pub policy: &'a WavePolicy,
}

/// A new code for one safe.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Assignment {
    /// The safe.
    pub safe: SafeId,
    /// Its model.
    pub model: SafeModelId,
    /// The pending code the volunteer sets.
    pub new_code: ButtonSet,
}

/// One wave of a campaign.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Wave {
    /// 1 for the first wave.
    pub index: u32,
    /// New codes, drawn now; only wave 1 has them.
    pub assignments: Vec<Assignment>,
    /// Safes of a later wave, in route order; they get codes when the wave starts.
    pub deferred: Vec<SafeId>,
    /// True when this wave only fits once the codes the previous wave retired have left
    /// quarantine, so it cannot start right after the previous one is confirmed.
    pub after_quarantine: bool,
}

impl Wave {
    /// The safes of the wave, with or without codes, in route order.
    pub fn safes(&self) -> Vec<SafeId> {
        self.assignments
            .iter()
            .map(|a| a.safe)
            .chain(self.deferred.iter().copied())
            .collect()
    }
}

/// What a model's code space does to a campaign.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SpacePressure {
    /// Current and new codes do not fit together: the campaign runs in waves, each after
    /// the codes the previous one retired have left quarantine.
    Waves,
    /// It fits, but more than 80% of the usable codes will be in use: codes are running out.
    NearlyFull,
}

/// Why the coordinator should look at a model's code space, with the numbers. The apps say
/// it in words; the domain holds no prose.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpaceWarning {
    /// The model.
    pub model: SafeModelId,
    pub pressure: SpacePressure,
    /// Distinct codes of this model blocked when the campaign starts (current, pending,
    /// quarantined).
    pub in_use: usize,
    /// The most codes of this model that can be in use at once (see
    /// [`crate::codegen::CodeSpaceUsage::usable`]).
    pub usable: u64,
    /// New codes the campaign needs for this model.
    pub needed: usize,
    /// Waves the model's safes are spread over.
    pub waves: usize,
}

/// The outcome of [`plan_campaign`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CampaignPlan {
    /// The waves, wave 1 first; empty for an empty campaign.
    pub waves: Vec<Wave>,
    /// One warning per model whose space is tight or forces several waves.
    pub warnings: Vec<SpaceWarning>,
}
