//! Reading a column straight into the contract's types: typed ids and enums are stored as
//! their text, instants as milliseconds. A value that does not parse is a column-type error
//! (an answer fails rather than showing a wrong id).

use std::str::FromStr;

use kluis_api::campaigns::SkipReason;
use kluis_api::reports::ChangeOutcome;
use kluis_domain::due::DueReason;
use kluis_domain::model::{
    AuditKind, CampaignKind, ChangeFailure, CodeState, DoorProblem, ItemStatus, OrgKind, Role,
    SafeStatus,
};
use kluis_domain::time::{Date, Timestamp};
use rusqlite::Row;
use rusqlite::types::{Type, ValueRef};

/// A type one column holds.
pub trait FromColumn: Sized {
    fn from_column(r: &Row<'_>, idx: usize) -> rusqlite::Result<Self>;
}

/// Column `idx` of `r` as `T`, e.g. `id: col(r, 0)?`.
pub fn col<T: FromColumn>(r: &Row<'_>, idx: usize) -> rusqlite::Result<T> {
    T::from_column(r, idx)
}

/// Reads a text column into any `FromStr` type (typed ids, enums).
pub fn parse_col<T: FromStr>(r: &Row<'_>, idx: usize) -> rusqlite::Result<T> {
    let s: String = r.get(idx)?;
    s.parse()
        .map_err(|_| rusqlite::Error::InvalidColumnType(idx, s, Type::Text))
}

macro_rules! text_column {
    ($($ty:ty),+) => {$(
        impl FromColumn for $ty {
            fn from_column(r: &Row<'_>, idx: usize) -> rusqlite::Result<Self> {
                parse_col(r, idx)
            }
        }
    )+};
}

kluis_domain::for_each_id!(text_column);
text_column!(
    Date,
    OrgKind,
    Role,
    SafeStatus,
    CodeState,
    ChangeFailure,
    DoorProblem,
    CampaignKind,
    ItemStatus,
    AuditKind
);

macro_rules! snake_column {
    ($($ty:ty),+) => {$(
        impl FromColumn for $ty {
            fn from_column(r: &Row<'_>, idx: usize) -> rusqlite::Result<Self> {
                let s: String = r.get(idx)?;
                serde_plain(&s).ok_or(rusqlite::Error::InvalidColumnType(idx, s, Type::Text))
            }
        }
    )+};
}

snake_column!(DueReason, ChangeOutcome, SkipReason);

/// A snake_case enum from its serde name (the enums without a `FromStr` of their own).
fn serde_plain<T: serde::de::DeserializeOwned>(s: &str) -> Option<T> {
    use serde::de::IntoDeserializer;
    use serde::de::value::{Error, StrDeserializer};
    let de: StrDeserializer<'_, Error> = s.into_deserializer();
    T::deserialize(de).ok()
}

macro_rules! plain_column {
    ($($ty:ty),+) => {$(
        impl FromColumn for $ty {
            fn from_column(r: &Row<'_>, idx: usize) -> rusqlite::Result<Self> {
                r.get(idx)
            }
        }
    )+};
}

plain_column!(String, i64, u32, bool);

impl FromColumn for u64 {
    fn from_column(r: &Row<'_>, idx: usize) -> rusqlite::Result<Self> {
        let n: i64 = r.get(idx)?;
        u64::try_from(n).map_err(|_| rusqlite::Error::IntegralValueOutOfRange(idx, n))
    }
}

impl FromColumn for Timestamp {
    fn from_column(r: &Row<'_>, idx: usize) -> rusqlite::Result<Self> {
        r.get::<_, i64>(idx).map(Timestamp::from_millis)
    }
}

impl<T: FromColumn> FromColumn for Option<T> {
    fn from_column(r: &Row<'_>, idx: usize) -> rusqlite::Result<Self> {
        match r.get_ref(idx)? {
            ValueRef::Null => Ok(None),
            _ => T::from_column(r, idx).map(Some),
        }
    }
}
