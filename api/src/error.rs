//! The body of every error answer.

use kluis_domain::ids::SafeId;
use kluis_domain::setting_limits::Setting;
use serde::{Deserialize, Serialize};

/// A stable machine code for what went wrong; the app says it in the user's language.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The request is malformed (bad JSON, a wrong id, a missing field).
    BadRequest,
    /// Well-formed, but a value is out of range or not allowed.
    Invalid,
    /// No (valid) session: sign in again.
    Unauthenticated,
    /// Unknown login or wrong password (the same answer for both).
    InvalidCredentials,
    /// This role or organisation may not see or do this.
    Forbidden,
    NotFound,
    /// Too many attempts: wait `Retry-After` seconds.
    RateLimited,
    /// This device already has a sync under way.
    SyncBusy,
    /// A sync message outside the bounds of `kluis_domain::sync::limits`.
    SyncLimits,
    /// The device's outbox could not be read.
    InvalidOutbox,
    /// The device must erase its local data (see `reason`).
    Wipe,
    /// Someone else took this round first.
    RoundTaken,
    /// The volunteer already holds as many rounds as the coordinator allows.
    RoundLimit,
    /// The state changed under the request (e.g. a safe already in a campaign).
    Conflict,
    Internal,
    /// The server cannot store anything now (its disk is full, its database unreachable):
    /// nothing was changed; try again later.
    Unavailable,
    /// A code from a newer server; shown with its generic text.
    #[serde(other)]
    Unknown,
}

/// Why a device was told to erase its data.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WipeReason {
    DeviceRevoked,
    PersonRevoked,
    /// The device's token was used again after its successor (a copied phone).
    TokenReuse,
    #[serde(other)]
    Unknown,
}

/// `{"code": ..., "message": ...}`, plus `wipe` and `reason` when the device must erase.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub code: ErrorCode,
    /// For logs and for a client that does not know `code`; apps show their own words.
    pub message: String,
    /// Present (and true) only when the device must erase its local data.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wipe: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<WipeReason>,
    /// With `invalid`: what exactly was refused, with its numbers, for the app to say.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub problem: Option<Problem>,
}

/// A text field of a request, named as in the request.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    /// A campaign's name.
    Name,
    /// A district of a selection.
    District,
    /// The safes of a selection.
    SafeIds,
    /// A note with a change or a leak.
    Note,
    /// A closing day's description.
    Label,
    /// A date (`YYYY-MM-DD`).
    Day,
    /// The name a device gives itself at sign-in.
    DeviceName,
    Street,
    /// A building's house numbers.
    Numbers,
    Postcode,
    City,
    Apartments,
    /// An organisation's contact person.
    ContactPerson,
    Phone,
    Email,
    Login,
    Password,
    /// Where a safe hangs.
    Placement,
    /// A safe model's button labels.
    Buttons,
    /// A code's length of a safe model.
    CodeLength,
    /// A safe model's factory code.
    FactoryDefault,
    /// The services of a building.
    Services,
    /// The data rows of an imported file.
    Rows,
    #[serde(other)]
    Unknown,
}

/// What exactly a request was refused for (`invalid`), with the numbers the app needs to
/// say it in the user's language.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Problem {
    /// A setting outside its range (`kluis_domain::setting_limits`).
    OutOfRange {
        setting: Setting,
        min: u32,
        max: u32,
    },
    /// A text shorter than `min` or longer than `max` characters.
    TextLength { field: Field, min: u32, max: u32 },
    /// More than `max` items.
    TooMany { field: Field, max: u32 },
    /// A date that is not `YYYY-MM-DD`.
    NotADate { field: Field },
    /// The selection names a safe that does not exist.
    UnknownSafe { safe: SafeId },
    /// The selection names a housing company that does not exist.
    UnknownHousingCompany,
    /// The selection holds no safe.
    EmptySelection,
    /// No safe of the selection can get a new code; `skipped` were left out.
    NothingToChange { skipped: u32 },
    /// The safe does not hang yet, so it has no code to change or to leak.
    NotInstalled,
    /// The campaign has no wave waiting.
    NoWaitingWave,
    /// No code of this model is free: `in_use` of `usable` are taken.
    CodeSpaceFull {
        model: String,
        in_use: u64,
        usable: u64,
    },
    /// The person to give a round to is not an active volunteer of the service.
    NotAVolunteer,
    /// The volunteer already holds `max` rounds with work left.
    RoundLimit { max: u32 },
    /// A number outside `min..=max`.
    NumberRange { field: Field, min: u32, max: u32 },
    /// House numbers that cannot be read ("12", "10-16", "11-17 oneven").
    HouseNumbers,
    /// A chosen password refused by `kluis_domain::accounts`; `min` characters at least.
    WeakPassword { reason: PasswordReason, min: u32 },
    /// The activation code is unknown, used or expired (one answer for all three).
    ActivationCode,
    /// Another person has this login.
    LoginTaken,
    /// Another organisation or model has this name.
    NameTaken,
    /// This role does not belong in this kind of organisation (or the caller may not give it).
    RoleNotAllowed,
    /// No such organisation, or not of the kind needed here.
    UnknownOrganisation,
    /// The organisation is deactivated: nothing new can be added to it.
    OrganisationInactive,
    /// No such safe model.
    UnknownModel,
    /// A safe model's buttons or code lengths that cannot work.
    InvalidModel,
    /// The safe's life cycle does not go from `from` to `to`.
    StatusChange {
        from: kluis_domain::model::SafeStatus,
        to: kluis_domain::model::SafeStatus,
    },
    /// The account is deactivated: reactivate it first.
    AccountRevoked,
    /// The building has a safe hanging already (one per entrance).
    SafeExists,
    /// A day before today (a new account's "valid until", a repair's planned day), or before
    /// what it follows (a repair done before it was asked).
    DateInPast { field: Field },
    /// An imported file: no header line, or no data rows.
    ImportEmpty,
    /// An imported file whose quotes do not close, or that is not text.
    ImportSyntax,
    /// An imported file lacks a required column (the error's column).
    MissingColumn,
    /// A header names no column Kluis knows.
    UnknownColumn { header: String },
    /// Two headers name the same column.
    DuplicateColumn,
    /// A row with another number of fields than the header.
    FieldCount { expected: u32, found: u32 },
    /// The same entrance (street, numbers, postcode) is on an earlier line too.
    DuplicateRow { first_line: u32 },
    /// A date that is neither `31/12/2025` nor `2025-12-31`.
    ImportDate,
    /// A safe status Kluis does not know.
    UnknownStatus,
    /// No active home-care service has this name.
    UnknownService { name: String },
    /// A code whose buttons or length do not fit the safe's model.
    CodeForModel,
    /// A code on a row whose safe does not hang (requested, removed, or no model).
    CodeWithoutSafe,
    /// An active safe needs its current code (column `code`).
    ActiveNeedsCode,
    /// The safe has another code in Kluis already: codes change through a campaign.
    CodeDiffers,
    /// A safe with a code needs the day it was set or installed, for its due date.
    NeedsDate,
    /// A confirmation round is open already: one at a time.
    ConfirmationOpen,
    /// No confirmation round is open.
    NoConfirmationOpen,
    /// The address is not in this service's list of the round, or the answer is not one.
    NotInConfirmation,
    /// An address once removed stays removed: the coordinator adds the service again.
    DecisionFinal,
    /// The deadline must be at least `days` days away.
    DeadlineTooSoon { days: u32 },
    /// The request is not (or no longer) at the step this asks for.
    RequestState,
    /// A day in the future where only today or earlier makes sense.
    DateInFuture { field: Field },
    /// The safe has no new reports to deal with (someone else just did).
    NoNewReports,
    /// The repair is done already.
    RepairClosed,
    /// A reply is needed to close reports without action.
    ReplyNeeded,
    /// A problem from a newer server; said with the generic text.
    #[serde(other)]
    Unknown,
}

/// Why a chosen password is refused (`kluis_domain::accounts::PasswordProblem`).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PasswordReason {
    TooShort,
    TooLong,
    /// Among the passwords people pick most.
    Common,
    /// The login or the person's name in another form.
    LikeLogin,
    #[serde(other)]
    Unknown,
}

impl From<kluis_domain::accounts::PasswordProblem> for PasswordReason {
    fn from(p: kluis_domain::accounts::PasswordProblem) -> Self {
        use kluis_domain::accounts::PasswordProblem as P;
        match p {
            P::TooShort => PasswordReason::TooShort,
            P::TooLong => PasswordReason::TooLong,
            P::Common => PasswordReason::Common,
            P::LikeLogin => PasswordReason::LikeLogin,
        }
    }
}

impl ErrorCode {
    /// The name on the wire, e.g. `invalid_credentials`.
    pub const fn as_str(self) -> &'static str {
        match self {
            ErrorCode::BadRequest => "bad_request",
            ErrorCode::Invalid => "invalid",
            ErrorCode::Unauthenticated => "unauthenticated",
            ErrorCode::InvalidCredentials => "invalid_credentials",
            ErrorCode::Forbidden => "forbidden",
            ErrorCode::NotFound => "not_found",
            ErrorCode::RateLimited => "rate_limited",
            ErrorCode::SyncBusy => "sync_busy",
            ErrorCode::SyncLimits => "sync_limits",
            ErrorCode::InvalidOutbox => "invalid_outbox",
            ErrorCode::Wipe => "wipe",
            ErrorCode::RoundTaken => "round_taken",
            ErrorCode::RoundLimit => "round_limit",
            ErrorCode::Conflict => "conflict",
            ErrorCode::Internal => "internal",
            ErrorCode::Unavailable => "unavailable",
            ErrorCode::Unknown => "unknown",
        }
    }
}
