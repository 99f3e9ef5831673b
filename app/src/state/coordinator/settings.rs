//! The coordinator's settings as `GET /api/admin/settings` answers them, and the bodies that
//! change them. Numbers typed in a form are checked here first, with the server's limits,
//! so a typo gets its message before a round trip.

use kluis_api::settings::{DeviceSettingsIn, SettingsIn};
use kluis_domain::setting_limits::Setting;

use crate::state::i18n::{DeskKey, DeskMsg, Lang, say, t};

pub use kluis_api::settings::{ClosingDay, SettingsOut as DeskSettings};

/// The field's label on the settings forms.
pub fn setting_label(setting: Setting) -> DeskKey {
    match setting {
        Setting::QuarantineDays => DeskKey::QuarantineDays,
        Setting::MaxRoundSize => DeskKey::RoundSize,
        Setting::ReservePerModel => DeskKey::Reserve,
        Setting::MaxRoundsPerVolunteer => DeskKey::RoundsPerVolunteer,
        Setting::GraceDays => DeskKey::GraceDays,
        Setting::IdleLockSecs => DeskKey::IdleLockSecs,
        Setting::LeaseHours => DeskKey::LeaseHours,
    }
}

/// "Quarantine of old codes (days): give a number from 0 to 365.", the range read from the
/// domain's limits: the same words whether the form or the server found it.
pub fn out_of_range_text(lang: Lang, setting: Setting) -> String {
    let limit = setting.limit();
    say(
        lang,
        DeskMsg::OutOfRange {
            field: t(lang, setting_label(setting)),
            min: limit.min().into(),
            max: limit.max().into(),
        },
    )
}

fn number(text: &str, setting: Setting) -> Result<u32, Setting> {
    text.trim()
        .parse()
        .ok()
        .filter(|n| setting.limit().allows(*n))
        .ok_or(setting)
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
pub fn settings_body(input: PlanningInput<'_>) -> Result<String, Setting> {
    let body = SettingsIn {
        quarantine_days: number(input.quarantine_days, Setting::QuarantineDays)?,
        max_round_size: number(input.max_round_size, Setting::MaxRoundSize)?,
        reserve_per_model: number(input.reserve_per_model, Setting::ReservePerModel)?,
        max_rounds_per_volunteer: number(
            input.max_rounds_per_volunteer,
            Setting::MaxRoundsPerVolunteer,
        )?,
    };
    serde_json::to_string(&body).map_err(|_| Setting::QuarantineDays)
}

/// The body of `PUT /api/admin/device-settings` from the three form fields.
///
/// # Errors
/// The first field that is not a whole number in its range.
pub fn device_settings_body(
    grace_days: &str,
    idle_lock_secs: &str,
    lease_hours: &str,
) -> Result<String, Setting> {
    let body = DeviceSettingsIn {
        grace_days: number(grace_days, Setting::GraceDays)?,
        idle_lock_secs: number(idle_lock_secs, Setting::IdleLockSecs)?,
        lease_hours: number(lease_hours, Setting::LeaseHours)?,
    };
    serde_json::to_string(&body).map_err(|_| Setting::GraceDays)
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
                r#"{"quarantine_days":45,"max_round_size":8,"reserve_per_model":3,"max_rounds_per_volunteer":2}"#
            )
        );
        assert_eq!(form("400", "8", "3", "2"), Err(Setting::QuarantineDays));
        assert_eq!(form("30", "0", "3", "2"), Err(Setting::MaxRoundSize));
        assert_eq!(form("30", "12", "-1", "2"), Err(Setting::ReservePerModel));
        assert_eq!(
            form("30", "12", "2", "0"),
            Err(Setting::MaxRoundsPerVolunteer)
        );
        assert_eq!(
            form("30", "12", "2", "51"),
            Err(Setting::MaxRoundsPerVolunteer)
        );
        assert_eq!(form("3.5", "12", "2", "2"), Err(Setting::QuarantineDays));
    }

    #[test]
    fn device_numbers_are_checked_too() {
        assert_eq!(
            device_settings_body("7", "300", "48").as_deref(),
            Ok(r#"{"grace_days":7,"idle_lock_secs":300,"lease_hours":48}"#)
        );
        assert_eq!(
            device_settings_body("91", "300", "48"),
            Err(Setting::GraceDays)
        );
        assert_eq!(
            device_settings_body("7", "10", "48"),
            Err(Setting::IdleLockSecs)
        );
        assert_eq!(
            device_settings_body("7", "300", "2"),
            Err(Setting::LeaseHours)
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
            "grace_days":14,"idle_lock_secs":120,"lease_hours":72,"change_on_revoke":false}"#;
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
