//! Test values of the contract's types, built in Rust (not hand-written JSON), so a changed
//! field is a compile error in the tests too.

use kluis_domain::ids::{CampaignId, RoundId};
use kluis_domain::model::CampaignKind;
use kluis_domain::time::Timestamp;

use super::{CampaignDetail, CampaignRow, RoundSummary};

pub fn campaign(name: &str) -> CampaignRow {
    CampaignRow {
        id: CampaignId::from_bytes([7; 16]),
        name: name.into(),
        kind: CampaignKind::Rotation,
        selection: "wijk Rabot".into(),
        created_at: Timestamp::from_millis(1_772_442_000_000),
        created_by: "Els De Smet".into(),
        due_on: None,
        safes: 0,
        waiting: 0,
        open: 0,
        done: 0,
        failed: 0,
        cancelled: 0,
    }
}

pub fn round(name: &str, district: &str) -> RoundSummary {
    RoundSummary {
        id: RoundId::from_bytes([9; 16]),
        name: name.into(),
        ordinal: 1,
        district: district.into(),
        wave: 1,
        campaign_id: CampaignId::from_bytes([7; 16]),
        campaign_name: "Voorjaar".into(),
        campaign_kind: CampaignKind::Rotation,
        due_on: None,
        volunteer_id: None,
        volunteer_name: None,
        safes: 0,
        open: 0,
        done: 0,
        failed: 0,
        streets: Vec::new(),
    }
}

pub fn detail(campaign: CampaignRow, rounds: Vec<RoundSummary>) -> CampaignDetail {
    CampaignDetail {
        campaign,
        waves: Vec::new(),
        rounds,
    }
}
