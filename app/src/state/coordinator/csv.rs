//! CSV exports for spreadsheets. Belgian Excel expects `;` between fields (the comma is the
//! decimal sign) and reads UTF-8 only after a byte-order mark, so both are used; lines end in
//! CRLF. Text that a spreadsheet would run as a formula is defused with a leading `'`.

use super::super::i18n::Lang;
use super::super::i18n::{DeskKey, t};
use super::{CampaignDetail, DueRow, Label};

pub(super) const BOM: char = '\u{feff}';

/// One field, quoted when it holds `;`, `"` or a line break.
pub fn csv_field(value: &str) -> String {
    let value = kluis_api::import::defuse(value);
    if value.contains([';', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.into_owned()
    }
}

/// Appends one line of `fields`.
pub fn push_line(out: &mut String, fields: &[String]) {
    out.push_str(&line(fields));
}

fn line(fields: &[String]) -> String {
    let mut out = fields
        .iter()
        .map(|f| csv_field(f))
        .collect::<Vec<_>>()
        .join(";");
    out.push_str("\r\n");
    out
}

fn header(lang: Lang, keys: &[DeskKey]) -> String {
    line(
        &keys
            .iter()
            .map(|k| t(lang, *k).to_string())
            .collect::<Vec<_>>(),
    )
}

fn bucket_label(lang: Lang, row: &DueRow) -> String {
    let key = match row.bucket {
        super::Bucket::Overdue => DeskKey::Overdue,
        super::Bucket::ThisWeek => DeskKey::ThisWeek,
        super::Bucket::ThisMonth => DeskKey::ThisMonth,
    };
    t(lang, key).to_string()
}

/// The due table as shown (same rows, same order).
pub fn due_csv(lang: Lang, rows: &[DueRow]) -> String {
    let mut out = String::from(BOM);
    out.push_str(&header(
        lang,
        &[
            DeskKey::ColSafe,
            DeskKey::ColAddress,
            DeskKey::ColDistrict,
            DeskKey::ColOwner,
            DeskKey::ColStatus,
            DeskKey::ColDue,
            DeskKey::ColUrgency,
            DeskKey::ColReason,
            DeskKey::ColCampaign,
        ],
    ));
    for row in rows {
        let s = &row.safe;
        out.push_str(&line(&[
            s.safe_id.to_string(),
            s.address.clone(),
            s.district.clone(),
            s.owner.clone(),
            s.status.label(lang).to_string(),
            s.due_on.to_string(),
            bucket_label(lang, row),
            s.reason.label(lang).to_string(),
            s.campaign_id.map(|c| c.to_string()).unwrap_or_default(),
        ]));
    }
    out
}

/// A campaign's progress, one line per round.
pub fn campaign_csv(lang: Lang, detail: &CampaignDetail) -> String {
    let mut out = String::from(BOM);
    out.push_str(&header(
        lang,
        &[
            DeskKey::ColCampaign,
            DeskKey::ColRound,
            DeskKey::ColDistrict,
            DeskKey::ColWave,
            DeskKey::ColVolunteer,
            DeskKey::ColSafes,
            DeskKey::ColDone,
            DeskKey::ColFailed,
            DeskKey::ColOpen,
        ],
    ));
    for round in &detail.rounds {
        out.push_str(&line(&[
            detail.campaign.name.clone(),
            round.name.clone(),
            round.district.clone(),
            round.wave.to_string(),
            round.volunteer_name.clone().unwrap_or_default(),
            round.safes.to_string(),
            round.done.to_string(),
            round.failed.to_string(),
            round.open.to_string(),
        ]));
    }
    out
}

/// A file name with the day in it, e.g. `kluis-te-doen-2026-03-02.csv`.
pub fn file_name(stem: &str, day: &str) -> String {
    let safe: String = format!("{stem}-{day}")
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    format!("kluis-{safe}.csv")
}

#[cfg(test)]
mod tests {
    use super::super::fixtures;
    use super::super::{Bucket, DueSafe};
    use super::*;
    use kluis_domain::due::DueReason;
    use kluis_domain::ids::SafeId;
    use kluis_domain::model::SafeStatus;

    #[test]
    fn fields_are_escaped() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a;b"), "\"a;b\"");
        assert_eq!(csv_field("zei \"ja\""), "\"zei \"\"ja\"\"\"");
        assert_eq!(csv_field("twee\nregels"), "\"twee\nregels\"");
        assert_eq!(csv_field("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(csv_field("-1;2"), "\"'-1;2\"");
    }

    #[test]
    fn due_csv_has_a_header_and_a_line_per_row() {
        let row = DueRow {
            bucket: Bucket::Overdue,
            safe: DueSafe {
                safe_id: SafeId::from_bytes([0x51; 16]),
                address: "Sleepstraat 10; achterkant".into(),
                district: "Muide".into(),
                owner: "WoninGent".into(),
                status: SafeStatus::Active,
                due_on: "2026-02-20".parse().expect("date"),
                reason: DueReason::Leak,
                campaign_id: None,
            },
        };
        let csv = due_csv(Lang::Nl, &[row.clone(), row]);
        let csv = csv.strip_prefix(BOM).unwrap_or(&csv);
        let lines: Vec<&str> = csv.split("\r\n").filter(|l| !l.is_empty()).collect();
        assert_eq!(lines.len(), 3);
        assert_eq!(
            lines[0],
            "Kluis;Adres;Wijk;Eigenaar;Status;Uiterlijk op;Termijn;Reden;Campagne"
        );
        assert_eq!(
            lines[1],
            format!(
                "{};\"Sleepstraat 10; achterkant\";Muide;WoninGent;actief;2026-02-20;te laat;lek;",
                "51".repeat(16)
            )
        );
    }

    #[test]
    fn campaign_csv_lists_rounds() {
        let mut round = fixtures::round("Ronde 1", "Rabot");
        (round.safes, round.done, round.failed, round.open) = (5, 2, 1, 2);
        let detail = fixtures::detail(fixtures::campaign(""), vec![round]);
        let csv = campaign_csv(Lang::En, &detail);
        assert!(csv.contains("Campaign;Round;District;Wave;Volunteer;Safes;Done;Failed;Open\r\n"));
        assert!(csv.ends_with(";Ronde 1;Rabot;1;;5;2;1;2\r\n"), "{csv}");
        assert_eq!(
            file_name("te doen", "2026-03-02"),
            "kluis-te-doen-2026-03-02.csv"
        );
    }
}
