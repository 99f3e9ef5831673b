//! The import screen's words and checks before anything is sent: the chosen file must be
//! UTF-8 text within the server's limit, and the report's codes become sentences.

use kluis_api::import::{
    ConflictKind, IMPORT_MAX_BYTES, ImportColumn, ImportError, ImportReport, RowAction, status_word,
};
use kluis_domain::model::SafeStatus;

use super::problem::problem_text;
use crate::state::i18n::{ImportKey, ImportMsg, Lang, say, t};

/// The chosen file as text, or why it cannot be sent.
pub fn upload_text(bytes: &[u8]) -> Result<String, ImportKey> {
    if bytes.len() > IMPORT_MAX_BYTES {
        return Err(ImportKey::TooLarge);
    }
    String::from_utf8(bytes.to_vec()).map_err(|_| ImportKey::NotUtf8)
}

/// A column as the file names it (the file's headers are Dutch in both languages).
pub fn column_text(lang: Lang, column: Option<ImportColumn>) -> String {
    match column {
        Some(c) if c != ImportColumn::Unknown => c.header().to_string(),
        _ => t(lang, ImportKey::FileWhole).to_string(),
    }
}

/// One error in words: the line ("—" for the file as a whole), the column, the problem.
pub fn error_row(lang: Lang, e: &ImportError) -> (String, String, String) {
    let line = if e.line == 0 {
        "—".to_string()
    } else {
        e.line.to_string()
    };
    (
        line,
        column_text(lang, e.column),
        problem_text(lang, &e.problem),
    )
}

/// "12 regels: 10 nieuwe gebouwen, 9 nieuwe kluizen, 1 code overgenomen; 2 gebouwen
/// gewijzigd." Parts that are zero are left out, except the new buildings.
pub fn summary_text(lang: Lang, r: &ImportReport) -> String {
    let new = [
        Some(say(
            lang,
            ImportMsg::NewBuildings {
                n: r.buildings_created.into(),
            },
        )),
        (r.safes_created > 0).then(|| {
            say(
                lang,
                ImportMsg::NewSafes {
                    n: r.safes_created.into(),
                },
            )
        }),
        (r.codes_set > 0).then(|| {
            say(
                lang,
                ImportMsg::CodesTaken {
                    n: r.codes_set.into(),
                },
            )
        }),
    ];
    let changed = [
        (r.buildings_changed > 0).then(|| {
            say(
                lang,
                ImportMsg::ChangedBuildings {
                    n: r.buildings_changed.into(),
                },
            )
        }),
        (r.safes_changed > 0).then(|| {
            say(
                lang,
                ImportMsg::ChangedSafes {
                    n: r.safes_changed.into(),
                },
            )
        }),
        (r.activities_added > 0).then(|| {
            say(
                lang,
                ImportMsg::ServicesAdded {
                    n: r.activities_added.into(),
                },
            )
        }),
    ];
    let join = |parts: &[Option<String>]| {
        parts
            .iter()
            .flatten()
            .cloned()
            .collect::<Vec<_>>()
            .join(", ")
    };
    let changed = join(&changed);
    let mut out = format!(
        "{}: {}",
        say(lang, ImportMsg::Lines { n: r.rows.into() }),
        join(&new)
    );
    if !changed.is_empty() {
        out.push_str("; ");
        out.push_str(&changed);
    }
    out.push('.');
    out
}

pub fn action_text(lang: Lang, action: RowAction) -> &'static str {
    t(
        lang,
        match action {
            RowAction::Create => ImportKey::Create,
            RowAction::Change => ImportKey::Change,
            RowAction::Same => ImportKey::Same,
        },
    )
}

pub fn conflict_text(lang: Lang, kind: ConflictKind) -> &'static str {
    t(
        lang,
        match kind {
            ConflictKind::Same => ImportKey::ConflictSame,
            ConflictKind::TooClose => ImportKey::ConflictClose,
            ConflictKind::FactoryCode => ImportKey::ConflictFactory,
        },
    )
}

/// A file to start from: every column, and two entrances as examples.
pub fn template_csv() -> String {
    let header: Vec<&str> = ImportColumn::ALL.iter().map(|c| c.header()).collect();
    let active = status_word(SafeStatus::Active);
    let requested = status_word(SafeStatus::Requested);
    format!(
        "\u{feff}{}\r\nSleepstraat;10-16 (even);9000;Gent;Muide;12;WoninGent;Supra KeySafe Pro;links van de deur, 1,2 m;{active};15/03/2024;1357;01/06/2026;Wit-Gele Kruis | i-mens\r\nBrugsesteenweg;112bis;9000;Gent;Brugse Poort;8;WoninGent;Supra KeySafe Pro;;{requested};;;;\r\n",
        header.join(";")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use kluis_api::error::Problem;

    #[test]
    fn only_utf8_within_the_limit_is_sent() {
        assert_eq!(
            upload_text("straat;huisnummers".as_bytes()).expect("text"),
            "straat;huisnummers"
        );
        // "Sleepstraat" with é in Windows-1252, as older Excel saves it.
        assert_eq!(upload_text(b"Caf\xe9straat"), Err(ImportKey::NotUtf8));
        assert_eq!(
            upload_text(&vec![b'a'; IMPORT_MAX_BYTES + 1]),
            Err(ImportKey::TooLarge)
        );
    }

    #[test]
    fn an_error_says_its_line_column_and_problem() {
        let e = ImportError {
            line: 12,
            column: Some(ImportColumn::InstalledOn),
            problem: Problem::ImportDate,
        };
        let (line, column, problem) = error_row(Lang::Nl, &e);
        assert_eq!((line.as_str(), column.as_str()), ("12", "geplaatst op"));
        assert!(problem.starts_with("Geen datum"), "{problem}");
        let whole = ImportError {
            line: 0,
            column: None,
            problem: Problem::ImportEmpty,
        };
        assert_eq!(error_row(Lang::En, &whole).1, "the file");
    }

    #[test]
    fn the_summary_counts_in_words_and_leaves_out_what_is_zero() {
        let report = ImportReport {
            rows: 2,
            buildings_created: 2,
            buildings_changed: 0,
            safes_created: 1,
            safes_changed: 0,
            codes_set: 0,
            activities_added: 1,
            plan: Vec::new(),
            errors: Vec::new(),
            error_count: 0,
            conflicts: Vec::new(),
            applied: false,
            conflicts_due: None,
        };
        assert_eq!(
            summary_text(Lang::Nl, &report),
            "2 regels: 2 nieuwe gebouwen, 1 nieuwe kluis; 1 dienst erbij op een adres."
        );
        assert_eq!(
            summary_text(Lang::En, &report),
            "2 lines: 2 new buildings, 1 new safe; 1 service added at an address."
        );
    }

    #[test]
    fn the_template_has_every_column_and_reads_back() {
        let text = template_csv();
        let header = text
            .trim_start_matches('\u{feff}')
            .lines()
            .next()
            .expect("a header");
        assert_eq!(header.split(';').count(), ImportColumn::ALL.len());
        for line in text.lines().skip(1) {
            assert_eq!(line.split(';').count(), ImportColumn::ALL.len(), "{line}");
        }
    }
}
