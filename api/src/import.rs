//! Importing a city's registry from a CSV file, and exporting it in the same format.
//!
//! One row is one entrance (a building) with at most one safe. The columns have Dutch names
//! (English ones are understood too); the export writes the Dutch names, so an exported file
//! imports again unchanged. A dry run says per row what would be created or changed and every
//! error by row and column; applying it changes everything or nothing.

use kluis_domain::time::Date;
use serde::{Deserialize, Serialize};

use crate::error::Problem;
use crate::registry::FieldChange;

/// Largest file accepted, in bytes (Ghent's ~5,000 entrances take about 600 KB).
pub const IMPORT_MAX_BYTES: usize = 4 * 1024 * 1024;
/// Most data rows in one file.
pub const IMPORT_MAX_ROWS: u32 = 10_000;
/// Most errors listed in one answer; the count says how many there were in all.
pub const IMPORT_MAX_ERRORS: usize = 500;

/// A column of the registry file.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportColumn {
    Street,
    Numbers,
    Postcode,
    City,
    District,
    Apartments,
    /// The housing company that owns the building, by name.
    Owner,
    /// The safe's model, by name; empty: the row has no safe.
    Model,
    Placement,
    Status,
    InstalledOn,
    /// The code set on the safe now (only in the export with codes).
    Code,
    /// The day the current code was set; the six-monthly change counts from it.
    CodeSince,
    /// The home-care services active at the building, by name, separated by `|`.
    Services,
    #[serde(other)]
    Unknown,
}

impl ImportColumn {
    /// Every column, in the order the export writes them.
    pub const ALL: [ImportColumn; 14] = [
        ImportColumn::Street,
        ImportColumn::Numbers,
        ImportColumn::Postcode,
        ImportColumn::City,
        ImportColumn::District,
        ImportColumn::Apartments,
        ImportColumn::Owner,
        ImportColumn::Model,
        ImportColumn::Placement,
        ImportColumn::Status,
        ImportColumn::InstalledOn,
        ImportColumn::Code,
        ImportColumn::CodeSince,
        ImportColumn::Services,
    ];

    /// Columns a file must have.
    pub const REQUIRED: [ImportColumn; 6] = [
        ImportColumn::Street,
        ImportColumn::Numbers,
        ImportColumn::Postcode,
        ImportColumn::City,
        ImportColumn::Apartments,
        ImportColumn::Owner,
    ];

    /// The Dutch header the export writes.
    pub const fn header(self) -> &'static str {
        match self {
            ImportColumn::Street => "straat",
            ImportColumn::Numbers => "huisnummers",
            ImportColumn::Postcode => "postcode",
            ImportColumn::City => "gemeente",
            ImportColumn::District => "wijk",
            ImportColumn::Apartments => "appartementen",
            ImportColumn::Owner => "eigenaar",
            ImportColumn::Model => "model",
            ImportColumn::Placement => "plaats",
            ImportColumn::Status => "status",
            ImportColumn::InstalledOn => "geplaatst op",
            ImportColumn::Code => "code",
            ImportColumn::CodeSince => "code sinds",
            ImportColumn::Services => "diensten",
            ImportColumn::Unknown => "",
        }
    }

    /// The column a header names: Dutch or English, in any case, with spaces, dashes or
    /// underscores ("Geplaatst_op", "installed on", "Huisnummer").
    pub fn from_header(header: &str) -> Option<ImportColumn> {
        let key: String = header
            .trim()
            .trim_start_matches('\u{feff}')
            .chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect();
        let column = match key.as_str() {
            "straat" | "straatnaam" | "street" => ImportColumn::Street,
            "huisnummers" | "huisnummer" | "nummers" | "nummer" | "nrs" | "numbers"
            | "housenumbers" => ImportColumn::Numbers,
            "postcode" | "postnummer" | "postalcode" | "zip" => ImportColumn::Postcode,
            "gemeente" | "stad" | "city" | "town" => ImportColumn::City,
            "wijk" | "district" => ImportColumn::District,
            "appartementen" | "aantalappartementen" | "wooneenheden" | "apartments" => {
                ImportColumn::Apartments
            }
            "eigenaar" | "huisvestingsmaatschappij" | "maatschappij" | "owner" => {
                ImportColumn::Owner
            }
            "model" | "type" | "sleutelkluis" | "kluismodel" | "safemodel" => ImportColumn::Model,
            "plaats" | "plaatsing" | "locatie" | "placement" | "location" => {
                ImportColumn::Placement
            }
            "status" | "toestand" => ImportColumn::Status,
            "geplaatstop" | "installatiedatum" | "geplaatst" | "installedon" | "installed" => {
                ImportColumn::InstalledOn
            }
            "code" | "huidigecode" | "currentcode" => ImportColumn::Code,
            "codesinds" | "gewijzigdop" | "laatstewijziging" | "codesince" | "lastchange" => {
                ImportColumn::CodeSince
            }
            "diensten" | "zorgdiensten" | "thuiszorgdiensten" | "services" => {
                ImportColumn::Services
            }
            _ => return None,
        };
        Some(column)
    }
}

/// `POST /api/admin/registry/import`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImportRequest {
    /// The file's text (UTF-8, with or without BOM; `;` or `,` between fields).
    pub csv: String,
    /// False: a dry run that changes nothing. True: apply, all or nothing.
    pub apply: bool,
}

/// One error in the file: where, and what.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportError {
    /// The line in the file, counting the header as line 1; 0 for the file as a whole.
    pub line: u32,
    /// The column, when the error is in one field.
    pub column: Option<ImportColumn>,
    pub problem: Problem,
}

/// What applying a row does to a building or to its safe.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RowAction {
    Create,
    Change,
    /// Already so in Kluis, or nothing given.
    Same,
}

/// What one row of a valid file does.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportRow {
    pub line: u32,
    /// "Sleepstraat 12, 9000 Gent".
    pub address: String,
    pub building: RowAction,
    pub safe: RowAction,
    /// For a change, the fields before and after.
    pub changes: Vec<FieldChange>,
    /// Services that become active at the building (none are removed by an import).
    pub services_added: Vec<String>,
    /// Whether the row sets the safe's current code.
    pub sets_code: bool,
}

/// Why an imported code breaks the rules for codes in use.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConflictKind {
    /// Another safe has the same code.
    Same,
    /// Another safe's code differs in fewer buttons than the rules ask.
    TooClose,
    /// The model's factory code: anyone with the manual knows it.
    FactoryCode,
}

/// An imported code that breaks the uniqueness or distance rule. It is imported (the safe
/// holds it today) and the safe is due for a new code within the leak deadline.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeConflict {
    pub line: u32,
    pub address: String,
    pub kind: ConflictKind,
    /// The other safe's address (in the file or already in Kluis); none for a factory code.
    pub other: Option<String>,
}

/// The answer to an import, dry run or applied.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportReport {
    /// Data rows read (lines after the header, empty lines left out).
    pub rows: u32,
    pub buildings_created: u32,
    pub buildings_changed: u32,
    pub safes_created: u32,
    pub safes_changed: u32,
    pub codes_set: u32,
    pub activities_added: u32,
    /// Per row what happens, for a file without errors.
    pub plan: Vec<ImportRow>,
    /// Every error up to [`IMPORT_MAX_ERRORS`]; any error means nothing is applied.
    pub errors: Vec<ImportError>,
    /// How many errors there were in all.
    pub error_count: u32,
    pub conflicts: Vec<CodeConflict>,
    /// True when the file's changes are now in Kluis.
    pub applied: bool,
    /// The day conflicting codes must be replaced by (the leak deadline from today).
    pub conflicts_due: Option<Date>,
}

/// `GET /api/admin/registry/export` and `POST /api/admin/registry/export-with-codes`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistryExport {
    /// "kluis-register-2026-12-02.csv".
    pub file_name: String,
    /// The file, in the import format (`;`, UTF-8 with BOM, CRLF).
    pub csv: String,
    pub rows: u32,
}

/// `POST /api/admin/registry/export-with-codes`: the coordinator's password, asked again.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CodesExportRequest {
    pub password: String,
}

impl std::fmt::Debug for CodesExportRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CodesExportRequest")
            .field("password", &"…")
            .finish()
    }
}

/// A text a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR first) gets a
/// leading `'`, which spreadsheets show as text; [`restore`] takes it off again on import.
pub fn defuse(value: &str) -> std::borrow::Cow<'_, str> {
    if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}").into()
    } else {
        value.into()
    }
}

/// A field as [`defuse`] wrote it, back as it was.
pub fn restore(value: &str) -> &str {
    match value.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => value,
    }
}

/// The word the export writes for a safe's status.
pub const fn status_word(status: kluis_domain::model::SafeStatus) -> &'static str {
    use kluis_domain::model::SafeStatus as S;
    match status {
        S::Requested => "aangevraagd",
        S::Installed => "geplaatst",
        S::Active => "actief",
        S::Defect => "defect",
        S::Removed => "verwijderd",
    }
}

/// A status as a file writes it, in Dutch or English ("Actief", "installed").
pub fn parse_status(text: &str) -> Option<kluis_domain::model::SafeStatus> {
    use kluis_domain::model::SafeStatus as S;
    let word = text.trim().to_lowercase();
    Some(match word.as_str() {
        "aangevraagd" | "gevraagd" | "requested" => S::Requested,
        "geplaatst" | "geïnstalleerd" | "geinstalleerd" | "installed" => S::Installed,
        "actief" | "in gebruik" | "active" => S::Active,
        "defect" | "stuk" | "kapot" | "broken" => S::Defect,
        "verwijderd" | "weggenomen" | "removed" => S::Removed,
        _ => return None,
    })
}

/// A day as a file writes it: `31/12/2025`, `31-12-2025`, `31.12.2025` (Belgian order) or
/// `2025-12-31`.
pub fn parse_day(text: &str) -> Option<Date> {
    let text = text.trim();
    let parts: Vec<&str> = text.split(['/', '-', '.']).collect();
    let [a, b, c] = parts.as_slice() else {
        return None;
    };
    let num = |s: &str| -> Option<u32> {
        (!s.is_empty() && s.len() <= 4 && s.chars().all(|c| c.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    let (year, month, day) = if a.len() == 4 {
        (num(a)?, num(b)?, num(c)?)
    } else if c.len() == 4 {
        (num(c)?, num(b)?, num(a)?)
    } else {
        return None;
    };
    let year = i32::try_from(year).ok()?;
    let month = u8::try_from(month).ok()?;
    let day = u8::try_from(day).ok()?;
    if !(1..=12).contains(&month)
        || day == 0
        || day > kluis_domain::time::days_in_month(year, month)
        || !(1990..=2200).contains(&year)
    {
        return None;
    }
    Some(Date { year, month, day })
}

/// A day as the export writes it: `31/12/2025`.
pub fn day_text(date: Date) -> String {
    format!("{:02}/{:02}/{:04}", date.day, date.month, date.year)
}

#[cfg(test)]
mod tests {
    use super::*;
    use kluis_domain::model::SafeStatus;

    #[test]
    fn headers_are_read_in_dutch_and_english_as_people_write_them() {
        for (header, column) in [
            ("\u{feff}Straat", ImportColumn::Street),
            ("Huisnummer", ImportColumn::Numbers),
            ("geplaatst_op", ImportColumn::InstalledOn),
            ("Geplaatst op", ImportColumn::InstalledOn),
            ("installed-on", ImportColumn::InstalledOn),
            ("Code sinds", ImportColumn::CodeSince),
            ("Huisvestingsmaatschappij", ImportColumn::Owner),
            ("Diensten", ImportColumn::Services),
        ] {
            assert_eq!(ImportColumn::from_header(header), Some(column), "{header}");
        }
        assert_eq!(ImportColumn::from_header("bewoner"), None);
        for column in ImportColumn::ALL {
            assert_eq!(ImportColumn::from_header(column.header()), Some(column));
        }
    }

    #[test]
    fn statuses_and_days_read_back_what_the_export_writes() {
        for status in [
            SafeStatus::Requested,
            SafeStatus::Installed,
            SafeStatus::Active,
            SafeStatus::Defect,
            SafeStatus::Removed,
        ] {
            assert_eq!(parse_status(status_word(status)), Some(status));
        }
        assert_eq!(parse_status(" Actief "), Some(SafeStatus::Active));
        assert_eq!(parse_status("open"), None);
        let d = Date {
            year: 2025,
            month: 12,
            day: 31,
        };
        for text in ["31/12/2025", "31-12-2025", "31.12.2025", "2025-12-31"] {
            assert_eq!(parse_day(text), Some(d), "{text}");
        }
        assert_eq!(parse_day(&day_text(d)), Some(d));
        assert_eq!(defuse("=HYPERLINK(1)"), "'=HYPERLINK(1)");
        assert_eq!(restore(&defuse("=HYPERLINK(1)")), "=HYPERLINK(1)");
        assert_eq!(restore(&defuse("'t Hof")), "'t Hof");
        assert_eq!(defuse("Sleepstraat"), "Sleepstraat");
        for bad in [
            "2025-02-30",
            "12/31/2025",
            "31/12/25",
            "morgen",
            "",
            "1/1/1800",
        ] {
            assert_eq!(parse_day(bad), None, "{bad}");
        }
    }
}
