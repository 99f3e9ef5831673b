//! What the server refused (`kluis_api::error::Problem`), in the coordinator's words: the
//! server sends the kind and its numbers, never a sentence.

use kluis_api::error::{Field, Problem};

use super::settings::out_of_range_text;
use crate::state::coordinator::Label;
use crate::state::i18n::{
    ConfirmKey, ConfirmMsg, DeskKey, DeskMsg, DoorKey, ImportKey, ImportMsg, Lang, say, t,
};

/// The label of a request's field, as the forms name it.
fn field_label(lang: Lang, field: Field) -> &'static str {
    t(
        lang,
        match field {
            Field::Rows => return t(lang, ImportKey::FieldRows),
            Field::Name => DeskKey::CampaignName,
            Field::District => DeskKey::ColDistrict,
            Field::SafeIds => DeskKey::SafeIds,
            Field::Note => DeskKey::FieldNote,
            Field::Label => DeskKey::ClosingLabel,
            Field::Day => DeskKey::ClosingDay,
            Field::DeviceName => DeskKey::FieldDeviceName,
            Field::Street => DeskKey::FieldStreet,
            Field::Numbers => DeskKey::FieldNumbers,
            Field::Postcode => DeskKey::FieldPostcode,
            Field::City => DeskKey::FieldCity,
            Field::Apartments => DeskKey::FieldApartments,
            Field::ContactPerson => DeskKey::FieldContact,
            Field::Phone => DeskKey::FieldPhone,
            Field::Email => DeskKey::FieldEmail,
            Field::Login => DeskKey::FieldLogin,
            Field::Password => DeskKey::FieldPassword,
            Field::Placement => DeskKey::FieldPlacement,
            Field::Buttons => DeskKey::FieldButtons,
            Field::CodeLength => DeskKey::FieldCodeLength,
            Field::FactoryDefault => DeskKey::FieldFactoryDefault,
            Field::Services => DeskKey::FieldServices,
            Field::Unknown => DeskKey::FieldOther,
        },
    )
}

/// The words for `problem` in `lang`.
pub fn problem_text(lang: Lang, problem: &Problem) -> String {
    let field = |f: Field| field_label(lang, f);
    match problem {
        Problem::OutOfRange { setting, .. } => out_of_range_text(lang, *setting),
        Problem::TextLength {
            field: f,
            min: 0,
            max,
        } => say(
            lang,
            DeskMsg::TextTooLong {
                field: field(*f),
                max: (*max).into(),
            },
        ),
        Problem::TextLength { field: f, min, max } => say(
            lang,
            DeskMsg::TextLength {
                field: field(*f),
                min: (*min).into(),
                max: (*max).into(),
            },
        ),
        Problem::TooMany { field: f, max } => say(
            lang,
            DeskMsg::TooMany {
                field: field(*f),
                max: (*max).into(),
            },
        ),
        Problem::NotADate { field: f } => say(lang, DeskMsg::NotADate { field: field(*f) }),
        Problem::UnknownSafe { safe } => say(
            lang,
            DeskMsg::UnknownSafe {
                id: &safe.to_string(),
            },
        ),
        Problem::NothingToChange { skipped } => say(
            lang,
            DeskMsg::NothingToChange {
                skipped: (*skipped).into(),
            },
        ),
        Problem::CodeSpaceFull {
            model,
            in_use,
            usable,
        } => say(
            lang,
            DeskMsg::CodeSpaceFull {
                model,
                in_use: (*in_use).into(),
                usable: (*usable).into(),
            },
        ),
        Problem::UnknownHousingCompany => t(lang, DeskKey::ErrUnknownCompany).to_string(),
        Problem::EmptySelection => t(lang, DeskKey::ErrEmptySelection).to_string(),
        Problem::NotInstalled => t(lang, DeskKey::ErrNotInstalled).to_string(),
        Problem::NoWaitingWave => t(lang, DeskKey::ErrNoWaitingWave).to_string(),
        Problem::NotAVolunteer => t(lang, DeskKey::ErrNotAVolunteer).to_string(),
        Problem::NumberRange { field: f, min, max } => say(
            lang,
            DeskMsg::NumberRange {
                field: field(*f),
                min: (*min).into(),
                max: (*max).into(),
            },
        ),
        Problem::StatusChange { from, to } => say(
            lang,
            DeskMsg::StatusChange {
                from: t(lang, from.key()),
                to: t(lang, to.key()),
            },
        ),
        Problem::DateInPast { field: f } => say(lang, DeskMsg::DateInPast { field: field(*f) }),
        Problem::HouseNumbers => t(lang, DeskKey::ErrHouseNumbers).to_string(),
        Problem::WeakPassword { .. } => t(lang, DeskKey::ErrWeakPassword).to_string(),
        Problem::ActivationCode => t(lang, DeskKey::ErrActivationCode).to_string(),
        Problem::LoginTaken => t(lang, DeskKey::ErrLoginTaken).to_string(),
        Problem::NameTaken => t(lang, DeskKey::ErrNameTaken).to_string(),
        Problem::RoleNotAllowed => t(lang, DeskKey::ErrRoleNotAllowed).to_string(),
        Problem::UnknownOrganisation => t(lang, DeskKey::ErrUnknownOrganisation).to_string(),
        Problem::OrganisationInactive => t(lang, DeskKey::ErrOrganisationInactive).to_string(),
        Problem::UnknownModel => t(lang, DeskKey::ErrUnknownModel).to_string(),
        Problem::InvalidModel => t(lang, DeskKey::ErrInvalidModel).to_string(),
        Problem::SafeExists => t(lang, DeskKey::ErrSafeExists).to_string(),
        Problem::AccountRevoked => t(lang, DeskKey::ErrAccountRevoked).to_string(),
        Problem::ImportEmpty => t(lang, ImportKey::ProblemImportEmpty).to_string(),
        Problem::ImportSyntax => t(lang, ImportKey::ProblemSyntax).to_string(),
        Problem::MissingColumn => t(lang, ImportKey::ProblemMissingColumn).to_string(),
        Problem::UnknownColumn { header } => say(lang, ImportMsg::UnknownColumn { header }),
        Problem::DuplicateColumn => t(lang, ImportKey::ProblemDuplicateColumn).to_string(),
        Problem::FieldCount { expected, found } => say(
            lang,
            ImportMsg::FieldCount {
                expected: (*expected).into(),
                found: (*found).into(),
            },
        ),
        Problem::DuplicateRow { first_line } => say(
            lang,
            ImportMsg::DuplicateRow {
                first: (*first_line).into(),
            },
        ),
        Problem::ImportDate => t(lang, ImportKey::ProblemImportDate).to_string(),
        Problem::UnknownStatus => t(lang, ImportKey::ProblemUnknownStatus).to_string(),
        Problem::UnknownService { name } => say(lang, ImportMsg::UnknownService { name }),
        Problem::CodeForModel => t(lang, ImportKey::ProblemCodeForModel).to_string(),
        Problem::CodeWithoutSafe => t(lang, ImportKey::ProblemCodeWithoutSafe).to_string(),
        Problem::ActiveNeedsCode => t(lang, ImportKey::ProblemActiveNeedsCode).to_string(),
        Problem::CodeDiffers => t(lang, ImportKey::ProblemCodeDiffers).to_string(),
        Problem::NeedsDate => t(lang, ImportKey::ProblemNeedsDate).to_string(),
        Problem::DeadlineTooSoon { days } => say(
            lang,
            ConfirmMsg::DeadlineTooSoon {
                days: (*days).into(),
            },
        ),
        Problem::RequestState => t(lang, ConfirmKey::ErrRequestState).to_string(),
        Problem::DateInFuture { .. } => t(lang, ConfirmKey::ErrDateInFuture).to_string(),
        Problem::ConfirmationOpen => t(lang, ConfirmKey::ErrOpen).to_string(),
        Problem::NoConfirmationOpen => t(lang, ConfirmKey::ErrNoRound).to_string(),
        Problem::NotInConfirmation => t(lang, ConfirmKey::ErrNotInList).to_string(),
        Problem::DecisionFinal => t(lang, ConfirmKey::ErrFinal).to_string(),
        Problem::NoNewReports => t(lang, DoorKey::ErrNoNewReports).to_string(),
        Problem::RepairClosed => t(lang, DoorKey::ErrRepairClosed).to_string(),
        Problem::ReplyNeeded => t(lang, DoorKey::ErrReplyNeeded).to_string(),
        Problem::RoundLimit { .. } | Problem::Unknown => t(lang, DeskKey::ErrRefused).to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kluis_domain::setting_limits::Setting;

    #[test]
    fn the_server_sends_the_kind_and_its_numbers_and_the_app_says_it() {
        let body = r#"{"code":"invalid","message":"refused","problem":
            {"kind":"out_of_range","setting":"lease_hours","min":12,"max":720}}"#;
        let error: kluis_api::ErrorBody = serde_json::from_str(body).expect("parses");
        let problem = error.problem.expect("a problem");
        assert_eq!(
            problem,
            Problem::OutOfRange {
                setting: Setting::LeaseHours,
                min: 12,
                max: 720
            }
        );
        assert_eq!(
            problem_text(Lang::En, &problem),
            "Show data for (hours without connection): give a number from 12 to 720."
        );
        let full = Problem::CodeSpaceFull {
            model: "Supra C500".into(),
            in_use: 400,
            usable: 408,
        };
        assert!(
            problem_text(Lang::Nl, &full)
                .starts_with("Geen bruikbare code meer voor Supra C500: 400 van 408")
        );
        let name = Problem::TextLength {
            field: Field::Name,
            min: 1,
            max: 120,
        };
        assert_eq!(
            problem_text(Lang::Nl, &name),
            "Naam: geef 1 tot 120 tekens."
        );
        let skipped = Problem::NothingToChange { skipped: 1 };
        assert!(problem_text(Lang::En, &skipped).ends_with("(1 skipped)."));
        // A kind from a newer server is said with the generic words, not dropped.
        let newer: kluis_api::ErrorBody = serde_json::from_str(
            r#"{"code":"invalid","message":"x","problem":{"kind":"from_the_future"}}"#,
        )
        .expect("parses");
        assert_eq!(newer.problem, Some(Problem::Unknown));
    }
}
