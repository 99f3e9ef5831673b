//! The coordinator's settings as `GET /api/admin/settings` answers them, and the bodies that
//! change them. Numbers typed in a form are checked here first, with the server's limits,
//! so a typo gets its message before a round trip.

use kluis_domain::setting_limits::{self as limits, Limit};

use crate::state::i18n::{DeskKey, DeskMsg, Lang, say, t};

pub use kluis_api::settings::{ClosingDay, SettingsOut as DeskSettings};

/// Which field of the settings forms is wrong.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SettingsField {
    Quarantine,
    RoundSize,
    Reserve,
    RoundsPerVolunteer,
    Grace,
    IdleLock,
    Lease,
}

impl SettingsField {
    pub fn limit(self) -> &'static Limit {
        match self {
            SettingsField::Quarantine => &limits::QUARANTINE_DAYS,
            SettingsField::RoundSize => &limits::MAX_ROUND_SIZE,
            SettingsField::Reserve => &limits::RESERVE_PER_MODEL,
            SettingsField::RoundsPerVolunteer => &limits::ROUNDS_PER_VOLUNTEER,
            SettingsField::Grace => &limits::GRACE_DAYS,
            SettingsField::IdleLock => &limits::IDLE_LOCK_SECS,
            SettingsField::Lease => &limits::LEASE_HOURS,
        }
    }

    /// The field's label on the form.
    pub fn label(self) -> DeskKey {
        match self {
            SettingsField::Quarantine => DeskKey::QuarantineDays,
            SettingsField::RoundSize => DeskKey::RoundSize,
            SettingsField::Reserve => DeskKey::Reserve,
            SettingsField::RoundsPerVolunteer => DeskKey::RoundsPerVolunteer,
            SettingsField::Grace => DeskKey::GraceDays,
            SettingsField::IdleLock => DeskKey::IdleLockSecs,
            SettingsField::Lease => DeskKey::LeaseHours,
        }
    }

    /// The setting named `name` in the API (`lease_hours`), as the server names it in an
    /// error's details.
    pub fn from_name(name: &str) -> Option<Self> {
        SettingsField::ALL
            .into_iter()
            .find(|field| field.limit().name == name)
    }

    pub const ALL: [SettingsField; 7] = [
        SettingsField::Quarantine,
        SettingsField::RoundSize,
        SettingsField::Reserve,
        SettingsField::RoundsPerVolunteer,
        SettingsField::Grace,
        SettingsField::IdleLock,
        SettingsField::Lease,
    ];

    /// "Quarantine of old codes (days): give a number from 0 to 365.", the range read from
    /// the domain's limits.
    pub fn problem_text(self, lang: Lang) -> String {
        let limit = self.limit();
        say(
            lang,
            DeskMsg::OutOfRange {
                field: t(lang, self.label()),
                min: limit.min().into(),
                max: limit.max().into(),
            },
        )
    }
}

fn number(text: &str, limit: &Limit) -> Option<u32> {
    text.trim().parse().ok().filter(|n| limit.allows(*n))
}

/// The planning form's fields, as typed.
#[derive(Clone, Copy, Debug)]
pub struct PlanningInput<'a> {
    pub quarantine_days: &'a str,
    pub max_round_size: &'a str,
    pub reserve_per_model: &'a str,
    pub max_rounds_per_volunteer: &'a str,
}

/// The body of `PUT /api/admin/settings` from the planning form.
///
/// # Errors
/// The first field that is not a whole number in its range.
pub fn settings_body(input: PlanningInput<'_>) -> Result<String, SettingsField> {
    let quarantine =
        number(input.quarantine_days, &limits::QUARANTINE_DAYS).ok_or(SettingsField::Quarantine)?;
    let round =
        number(input.max_round_size, &limits::MAX_ROUND_SIZE).ok_or(SettingsField::RoundSize)?;
    let reserve = number(input.reserve_per_model, &limits::RESERVE_PER_MODEL)
        .ok_or(SettingsField::Reserve)?;
    let rounds = number(
        input.max_rounds_per_volunteer,
        &limits::ROUNDS_PER_VOLUNTEER,
    )
    .ok_or(SettingsField::RoundsPerVolunteer)?;
    Ok(serde_json::json!({
        "quarantine_days": quarantine,
        "max_round_size": round,
        "reserve_per_model": reserve,
        "max_rounds_per_volunteer": rounds,
    })
    .to_string())
}

/// The body of `PUT /api/admin/device-settings` from the three form fields.
///
/// # Errors
/// The first field that is not a whole number in its range.
pub fn device_settings_body(
    grace_days: &str,
    idle_lock_secs: &str,
    lease_hours: &str,
) -> Result<String, SettingsField> {
    let grace = number(grace_days, &limits::GRACE_DAYS).ok_or(SettingsField::Grace)?;
    let idle = number(idle_lock_secs, &limits::IDLE_LOCK_SECS).ok_or(SettingsField::IdleLock)?;
    let lease = number(lease_hours, &limits::LEASE_HOURS).ok_or(SettingsField::Lease)?;
    Ok(serde_json::json!({
        "grace_days": grace,
        "idle_lock_secs": idle,
        "lease_hours": lease,
    })
    .to_string())
}

/// The body of `POST /api/admin/closing-days`; `None` unless `day` looks like `YYYY-MM-DD`
/// (what a date input gives).
pub fn closing_day_body(day: &str, label: &str) -> Option<String> {
    let day = day.trim().parse().ok()?;
    let label = label.trim();
    let body = ClosingDay {
        day,
        label: (!label.is_empty()).then(|| label.to_string()),
    };
    serde_json::to_string(&body).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_numbers_are_checked_with_the_servers_limits() {
        let form = |q, r, res, v| {
            settings_body(PlanningInput {
                quarantine_days: q,
                max_round_size: r,
                reserve_per_model: res,
                max_rounds_per_volunteer: v,
            })
        };
        assert_eq!(
            form(" 45", "8", "3", "2").as_deref(),
            Ok(
                r#"{"max_round_size":8,"max_rounds_per_volunteer":2,"quarantine_days":45,"reserve_per_model":3}"#
            )
        );
        assert_eq!(form("400", "8", "3", "2"), Err(SettingsField::Quarantine));
        assert_eq!(form("30", "0", "3", "2"), Err(SettingsField::RoundSize));
        assert_eq!(form("30", "12", "-1", "2"), Err(SettingsField::Reserve));
        assert_eq!(
            form("30", "12", "2", "0"),
            Err(SettingsField::RoundsPerVolunteer)
        );
        assert_eq!(
            form("30", "12", "2", "51"),
            Err(SettingsField::RoundsPerVolunteer)
        );
        assert_eq!(form("3.5", "12", "2", "2"), Err(SettingsField::Quarantine));
    }

    #[test]
    fn device_numbers_are_checked_too() {
        assert_eq!(
            device_settings_body("7", "300", "48").as_deref(),
            Ok(r#"{"grace_days":7,"idle_lock_secs":300,"lease_hours":48}"#)
        );
        assert_eq!(
            device_settings_body("91", "300", "48"),
            Err(SettingsField::Grace)
        );
        assert_eq!(
            device_settings_body("7", "10", "48"),
            Err(SettingsField::IdleLock)
        );
        assert_eq!(
            device_settings_body("7", "300", "2"),
            Err(SettingsField::Lease)
        );
    }

    #[test]
    fn closing_days_need_a_real_date() {
        assert_eq!(
            closing_day_body("2026-12-24", " Kerstavond "),
            Some(r#"{"day":"2026-12-24","label":"Kerstavond"}"#.to_string())
        );
        assert_eq!(closing_day_body("24/12/2026", ""), None);
        assert_eq!(closing_day_body("2026-02-30", ""), None);
    }

    #[test]
    fn the_servers_answer_parses() {
        let body = r#"{"quarantine_days":30,"max_round_size":12,"reserve_per_model":2,"max_rounds_per_volunteer":2,
            "closing_days":[{"day":"2026-12-24","label":"Kerstavond"},{"day":"2026-12-26","label":null}],
            "grace_days":14,"idle_lock_secs":120,"lease_hours":72}"#;
        let settings: DeskSettings = serde_json::from_str(body).expect("parses");
        assert_eq!(
            settings.closing_days[0].label.as_deref(),
            Some("Kerstavond")
        );
        assert_eq!(
            settings.closing_days[1].label, None,
            "a day without a label"
        );
        assert_eq!(settings.idle_lock_secs, 120);
    }
}
