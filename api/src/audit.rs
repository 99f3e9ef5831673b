//! The audit trail on screen: the filtered, paged list and its CSV, and what a revoked
//! person had seen.

use kluis_domain::ids::{DeviceId, EventId, OrgId, PersonId, SafeId};
use kluis_domain::model::{AuditGroup, AuditKind};
use kluis_domain::time::{Date, Timestamp};
use serde::{Deserialize, Serialize};

use crate::door::SafeChange;

/// Rows per page when the query does not say.
pub const DEFAULT_PAGE: u32 = 50;
/// The most rows one page holds.
pub const MAX_PAGE: u32 = 500;
/// The most rows one CSV export holds; a longer period is exported in parts.
pub const MAX_EXPORT: u32 = 20_000;

/// The query of `GET /api/admin/audit` and `GET /api/admin/audit.csv`. Every filter is
/// optional; days are Ghent calendar days, both ends included.
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditQuery {
    /// Rows per page (default 50, at most 500).
    pub limit: Option<u32>,
    /// Who did it.
    pub person: Option<PersonId>,
    /// The organisation of who did it (a service, a housing company).
    pub org: Option<OrgId>,
    pub safe: Option<SafeId>,
    pub kind: Option<AuditKind>,
    pub group: Option<AuditGroup>,
    pub from: Option<Date>,
    pub to: Option<Date>,
    /// The `next` of the page before: this page starts below it.
    #[cfg_attr(feature = "openapi", param(value_type = Option<String>))]
    pub before: Option<AuditCursor>,
}

impl AuditQuery {
    /// The query string (without `?`) the server reads back as this query.
    pub fn to_query(&self) -> String {
        serde_urlencoded::to_string(self).unwrap_or_default()
    }
}

/// Where a page ends: the server's receive time and the row's place in the trail. The trail
/// is ordered by when the server had it, never by what a device's clock said.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub struct AuditCursor {
    pub recorded_at: Timestamp,
    pub seq: i64,
}

impl std::fmt::Display for AuditCursor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}", self.recorded_at.millis(), self.seq)
    }
}

impl std::str::FromStr for AuditCursor {
    type Err = &'static str;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (at, seq) = s.split_once('.').ok_or("a cursor is two numbers")?;
        let at: i64 = at.parse().map_err(|_| "a cursor is two numbers")?;
        let seq: i64 = seq.parse().map_err(|_| "a cursor is two numbers")?;
        if at < 0 || seq < 0 {
            return Err("a cursor is two numbers");
        }
        Ok(AuditCursor {
            recorded_at: Timestamp::from_millis(at),
            seq,
        })
    }
}

impl Serialize for AuditCursor {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for AuditCursor {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// One event of the audit trail.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRow {
    pub id: EventId,
    /// When the server had it: what the trail is ordered by.
    pub recorded_at: Timestamp,
    /// When it happened, as the device that did it says (offline events come in later).
    pub at: Timestamp,
    /// What happened.
    pub kind: AuditKind,
    pub person_id: Option<PersonId>,
    /// Who, by name; none for the system.
    pub person: Option<String>,
    /// Their organisation's name; none for the system.
    pub organisation: Option<String>,
    pub device_id: Option<DeviceId>,
    pub safe_id: Option<SafeId>,
    /// The safe's (or building's) address; none when the event is not about one.
    pub address: Option<String>,
    /// The person an access event is about (revoked, invited, ...), by name.
    pub subject: Option<String>,
    pub detail: String,
}

/// `GET /api/admin/audit`: one page, newest first.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPage {
    pub rows: Vec<AuditRow>,
    /// How many rows the filter matches in all.
    pub total: u64,
    /// The cursor of the next (older) page (`before` of its query); none on the last page.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub next: Option<AuditCursor>,
}

/// How far back a revoked person's reveals count: a code seen longer ago has been changed by
/// the six-monthly rotation (rule 3).
pub const EXPOSURE_MONTHS: u32 = 6;

/// Where a safe whose code a revoked person saw stands.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExposureState {
    /// The code they saw is no longer the code.
    Changed,
    /// A change is planned, due within the urgent deadline.
    Planned,
    /// Nothing planned soon enough: the person may still know the code.
    Open,
    #[serde(other)]
    Unknown,
}

/// One safe of `GET /api/admin/people/{id}/exposure`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExposedSafe {
    pub safe_id: SafeId,
    pub address: String,
    pub district: String,
    /// When the server had their last "Toon code" of it.
    pub last_seen: Timestamp,
    /// How many times they opened it in the period.
    pub reveals: u32,
    pub change: SafeChange,
    pub state: ExposureState,
}

/// `GET /api/admin/people/{id}/exposure`: the safes whose codes a person opened in the last
/// six months, for deciding what to change after they leave.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Exposure {
    pub person_id: PersonId,
    pub name: String,
    pub revoked: bool,
    /// The first day that counts.
    pub since: Date,
    /// The deadline an urgent change planned today would have.
    pub urgent_due: Date,
    pub safes: Vec<ExposedSafe>,
}

impl Exposure {
    /// Safes that still need a change.
    pub fn open(&self) -> usize {
        self.safes
            .iter()
            .filter(|s| s.state == ExposureState::Open)
            .count()
    }
}

/// `POST /api/admin/people/{id}/exposure/change`: what was planned.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExposureChanged {
    /// Safes that got an urgent change now; none were open: 0.
    pub planned: u32,
    /// The deadline of the planned change; none when nothing was open.
    pub due: Option<Date>,
    pub campaign_id: Option<kluis_domain::ids::CampaignId>,
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_reads_back_and_refuses_anything_else() {
        let c = AuditCursor {
            recorded_at: Timestamp::from_millis(1_764_576_000_000),
            seq: 4711,
        };
        assert_eq!(c.to_string().parse::<AuditCursor>(), Ok(c));
        let q = AuditQuery {
            kind: Some(AuditKind::CodeRevealed),
            from: Some(Date::new(2026, 6, 1).unwrap()),
            before: Some(c),
            ..AuditQuery::default()
        };
        let back: AuditQuery = serde_urlencoded::from_str(&q.to_query()).unwrap();
        assert_eq!(back, q);
        for bad in [
            "",
            "12",
            "a.b",
            "-1.2",
            "1.-2",
            "1.2.3",
            "1764576000000.99999999999999999999",
        ] {
            assert!(bad.parse::<AuditCursor>().is_err(), "{bad:?}");
        }
    }
}
