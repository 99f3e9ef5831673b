//! Typed 128-bit identifiers.
//!
//! Every entity gets its own id type so a `SafeId` can never be passed where a `BuildingId` is
//! expected. Ids are random (drawn from a [`RandomSource`]) rather than sequential, so they can
//! be created offline on any device without coordination and reveal nothing about how many
//! safes or people exist.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::DomainError;
use crate::rng::RandomSource;

/// The shared representation behind every typed id. Private so the only way to mix id kinds is
/// an explicit `from_bytes(other.as_bytes())`.
#[derive(Copy, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct RawId([u8; 16]);

impl RawId {
    fn random(rng: &mut dyn RandomSource) -> Self {
        let mut bytes = [0u8; 16];
        rng.fill_bytes(&mut bytes);
        RawId(bytes)
    }

    fn parse(s: &str, kind: &str) -> Result<Self, DomainError> {
        let invalid = || DomainError::InvalidId(format!("{kind} must be 32 hex characters"));
        if s.len() != 32 {
            return Err(invalid());
        }
        let mut bytes = [0u8; 16];
        // hex::decode_to_slice accepts both cases, which is what users pasting ids expect.
        hex::decode_to_slice(s, &mut bytes).map_err(|_| invalid())?;
        Ok(RawId(bytes))
    }

    fn write_hex(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for b in self.0 {
            write!(f, "{b:02x}")?;
        }
        Ok(())
    }
}

macro_rules! typed_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Copy, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(RawId);

        impl $name {
            /// Wraps 16 raw bytes, e.g. read back from a database column.
            pub const fn from_bytes(bytes: [u8; 16]) -> Self {
                $name(RawId(bytes))
            }

            /// The 16 raw bytes of this id.
            pub const fn as_bytes(&self) -> &[u8; 16] {
                &(self.0).0
            }

            /// A fresh id drawn from `rng`; with a real entropy source collisions are negligible.
            pub fn random(rng: &mut dyn RandomSource) -> Self {
                $name(RawId::random(rng))
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.write_hex(f)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}(", stringify!($name))?;
                self.0.write_hex(f)?;
                write!(f, ")")
            }
        }

        impl FromStr for $name {
            type Err = DomainError;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                RawId::parse(s, stringify!($name)).map($name)
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_str(self)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let s = String::deserialize(deserializer)?;
                s.parse().map_err(serde::de::Error::custom)
            }
        }
    };
}

typed_id!(
    /// An organisation: the coordinator's office, a home-care service or a housing company.
    OrgId
);
typed_id!(
    /// A person with a login.
    PersonId
);
typed_id!(
    /// An enrolled phone or computer of a person; revoking it cuts off its sync.
    DeviceId
);
typed_id!(
    /// An apartment block (one entrance).
    BuildingId
);
typed_id!(
    /// A key safe beside a building's entrance.
    SafeId
);
typed_id!(
    /// One code (current, pending or past) of a safe.
    CodeId
);
typed_id!(
    /// A safe model, such as "Supra KeySafe Pro".
    SafeModelId
);
typed_id!(
    /// An entry in the audit trail.
    EventId
);
typed_id!(
    /// A code-change campaign: a six-monthly rotation, or one urgent change after a leak.
    CampaignId
);
typed_id!(
    /// A volunteer's round within a campaign: safes to change in one outing.
    RoundId
);
typed_id!(
    /// A repair or replacement asked of a housing company (broken safe, missing key).
    RepairId
);
typed_id!(
    /// A six-monthly confirmation round: services confirm where they are still active.
    ConfirmationId
);
typed_id!(
    /// A request for a new safe at an address.
    RequestId
);
typed_id!(
    /// A problem a carer reported at a safe ("Code werkt niet? Meld het").
    ReportId
);

/// Calls `$callback!` with every typed id, so code that must cover them all (OpenAPI schemas,
/// database columns) names the list once.
#[macro_export]
macro_rules! for_each_id {
    ($callback:ident) => {
        $callback!(
            $crate::ids::OrgId,
            $crate::ids::PersonId,
            $crate::ids::DeviceId,
            $crate::ids::BuildingId,
            $crate::ids::SafeId,
            $crate::ids::CodeId,
            $crate::ids::SafeModelId,
            $crate::ids::EventId,
            $crate::ids::CampaignId,
            $crate::ids::RoundId,
            $crate::ids::RepairId,
            $crate::ids::ConfirmationId,
            $crate::ids::RequestId,
            $crate::ids::ReportId
        );
    };
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::rng::SeededRandom;

    #[test]
    fn hex_round_trip_and_case() {
        let id = SafeId::random(&mut SeededRandom::new(7));
        let s = id.to_string();
        assert_eq!(s.len(), 32);
        assert_eq!(s, s.to_lowercase());
        assert_eq!(s.parse::<SafeId>().unwrap(), id);
        assert_eq!(s.to_uppercase().parse::<SafeId>().unwrap(), id);
        assert_eq!(format!("{id:?}"), format!("SafeId({s})"));
    }

    #[test]
    fn rejects_bad_strings() {
        for bad in ["", "abc", &"g".repeat(32), &"0".repeat(31), &"0".repeat(33)] {
            assert!(matches!(
                bad.parse::<OrgId>(),
                Err(DomainError::InvalidId(_))
            ));
        }
    }

    #[test]
    fn serde_is_hex_string() {
        let id = PersonId::from_bytes([0xab; 16]);
        let json = serde_json::to_string(&id).unwrap();
        assert_eq!(json, format!("\"{}\"", "ab".repeat(16)));
        assert_eq!(serde_json::from_str::<PersonId>(&json).unwrap(), id);
        let bytes = postcard::to_allocvec(&id).unwrap();
        assert_eq!(postcard::from_bytes::<PersonId>(&bytes).unwrap(), id);
    }
}
