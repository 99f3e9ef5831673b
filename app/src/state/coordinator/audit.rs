//! The audit screen's filter as typed, turned into the server's query, and the rows as a
//! CSV file: the same words the screen shows, so a spreadsheet reads like the table.

use kluis_api::audit::{AuditCursor, AuditQuery, AuditRow};
use kluis_api::registry::FieldChange;
use kluis_domain::ids::{OrgId, PersonId, SafeId};
use kluis_domain::model::{AuditGroup, AuditKind};
use kluis_domain::time::Date;

use super::super::i18n::{AuditKey, AuditMsg, Lang, kind_label, say, t};
use super::csv::{BOM, push_line};
use super::format_time;

/// The filter form's values: select values and date inputs as the browser gives them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AuditFilter {
    pub group: String,
    pub kind: String,
    pub org: String,
    pub person: String,
    pub from: String,
    pub to: String,
    /// Set from a row's address ("Alleen deze kluis"), with the address to say.
    pub safe: Option<(SafeId, String)>,
}

/// Why the filter cannot be asked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FilterError {
    /// The first day is after the last.
    Period,
}

fn pick<T: std::str::FromStr>(value: &str) -> Option<T> {
    let value = value.trim();
    (!value.is_empty()).then(|| value.parse().ok()).flatten()
}

impl AuditFilter {
    /// The query of one page: `before` is where the page before ended.
    ///
    /// # Errors
    /// A period that ends before it starts.
    pub fn query(
        &self,
        before: Option<AuditCursor>,
        limit: u32,
    ) -> Result<AuditQuery, FilterError> {
        let from: Option<Date> = pick(&self.from);
        let to: Option<Date> = pick(&self.to);
        if let (Some(from), Some(to)) = (from, to)
            && from > to
        {
            return Err(FilterError::Period);
        }
        let group: Option<AuditGroup> = pick(&self.group);
        // A kind of another group than the one chosen is a leftover of the form: the group wins.
        let kind: Option<AuditKind> =
            pick(&self.kind).filter(|k: &AuditKind| group.is_none_or(|g| k.group() == g));
        Ok(AuditQuery {
            limit: Some(limit),
            person: pick::<PersonId>(&self.person),
            org: pick::<OrgId>(&self.org),
            safe: self.safe.as_ref().map(|(id, _)| *id),
            kind,
            group,
            from,
            to,
            before,
        })
    }

    /// The kinds the event select offers: those of the chosen group, or all.
    pub fn kinds(&self) -> Vec<AuditKind> {
        match pick::<AuditGroup>(&self.group) {
            Some(group) => AuditKind::of_group(group).collect(),
            None => AuditKind::VARIANTS.to_vec(),
        }
    }
}

/// The path of a page of the trail.
pub fn audit_path(query: &AuditQuery) -> String {
    format!("{}?{}", kluis_api::paths::AUDIT, query.to_query())
}

/// The path of the export of everything `query` selects.
pub fn audit_export_path(query: &AuditQuery) -> String {
    let query = AuditQuery {
        limit: None,
        before: None,
        ..query.clone()
    };
    format!("{}?{}", kluis_api::paths::AUDIT_CSV, query.to_query())
}

/// A row's detail in words: a registry edit's fields before and after; anything else as the
/// server recorded it.
pub fn detail_words(row: &AuditRow) -> String {
    match serde_json::from_str::<Vec<FieldChange>>(&row.detail) {
        Ok(changes) => changes
            .iter()
            .map(|c| {
                if c.before.is_empty() {
                    format!("{}: {}", c.field, c.after)
                } else {
                    format!("{}: {} → {}", c.field, c.before, c.after)
                }
            })
            .collect::<Vec<_>>()
            .join("; "),
        Err(_) => row.detail.clone(),
    }
}

/// Who did it, in words: the person and their organisation, or Kluis itself.
pub fn who_words(lang: Lang, row: &AuditRow) -> String {
    match (&row.person, &row.organisation) {
        (Some(p), Some(o)) => format!("{p} ({o})"),
        (Some(p), None) => p.clone(),
        _ => t(lang, AuditKey::System).to_string(),
    }
}

/// The rows as a CSV file, in the table's order and words.
pub fn audit_csv(lang: Lang, rows: &[AuditRow]) -> String {
    let mut out = String::from(BOM);
    let header: Vec<String> = [
        AuditKey::ColWhen,
        AuditKey::ColWhat,
        AuditKey::ColWho,
        AuditKey::ColOrg,
        AuditKey::ColWhere,
        AuditKey::ColAbout,
        AuditKey::ColDetail,
        AuditKey::ColDeviceTime,
    ]
    .iter()
    .map(|k| t(lang, *k).to_string())
    .collect();
    push_line(&mut out, &header);
    for row in rows {
        push_line(
            &mut out,
            &[
                format_time(row.recorded_at),
                kind_label(lang, row.kind).to_string(),
                row.person
                    .clone()
                    .unwrap_or_else(|| t(lang, AuditKey::System).to_string()),
                row.organisation.clone().unwrap_or_default(),
                row.address.clone().unwrap_or_default(),
                row.subject.clone().unwrap_or_default(),
                detail_words(row),
                format_time(row.at),
            ],
        );
    }
    out
}

/// "1–50 van 123 gebeurtenissen" for a page starting at row `first` (0-based).
pub fn rows_text(lang: Lang, first: u64, shown: usize, total: u64) -> String {
    let shown = u64::try_from(shown).unwrap_or(0);
    let from = if shown == 0 { 0 } else { first + 1 };
    say(
        lang,
        AuditMsg::Rows {
            from: from.into(),
            to: (first + shown).into(),
            total: total.into(),
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use kluis_domain::time::Timestamp;

    fn row(kind: AuditKind, detail: &str) -> AuditRow {
        AuditRow {
            id: "0123456789abcdef0123456789abcdef".parse().expect("id"),
            recorded_at: Timestamp::from_millis(1_764_590_400_000),
            at: Timestamp::from_millis(1_764_590_000_000),
            kind,
            person_id: None,
            person: Some("=An Peeters".into()),
            organisation: Some("Wit-Gele Kruis".into()),
            device_id: None,
            safe_id: None,
            address: Some("Sleepstraat 12; 14".into()),
            subject: None,
            detail: detail.into(),
        }
    }

    #[test]
    fn the_form_becomes_the_servers_query() {
        let filter = AuditFilter {
            group: "access".into(),
            kind: "code_revealed".into(),
            from: "2026-11-01".into(),
            to: "2026-11-30".into(),
            ..AuditFilter::default()
        };
        let q = filter.query(None, 50).expect("query");
        assert_eq!(q.group, Some(AuditGroup::Access));
        assert_eq!(
            q.kind, None,
            "a reveal is not an access event: the group wins"
        );
        assert_eq!(q.from.map(|d| d.to_string()).as_deref(), Some("2026-11-01"));
        let path = audit_path(&q);
        assert!(path.starts_with("/api/admin/audit?limit=50&"), "{path}");
        assert!(
            path.contains("group=access") && path.contains("to=2026-11-30"),
            "{path}"
        );
        assert!(!audit_export_path(&q).contains("limit"));
        let backwards = AuditFilter {
            from: "2026-12-01".into(),
            to: "2026-11-01".into(),
            ..AuditFilter::default()
        };
        assert_eq!(backwards.query(None, 50), Err(FilterError::Period));
        assert_eq!(
            filter.kinds(),
            AuditKind::of_group(AuditGroup::Access).collect::<Vec<_>>()
        );
        assert_eq!(
            AuditFilter::default().kinds().len(),
            AuditKind::VARIANTS.len()
        );
    }

    #[test]
    fn the_csv_says_what_the_screen_says_and_defuses_formulas() {
        let edit = r#"[{"field":"street","before":"Oud","after":"Nieuw"}]"#;
        let csv = audit_csv(
            Lang::Nl,
            &[
                row(AuditKind::CodeRevealed, ""),
                row(AuditKind::BuildingChanged, edit),
            ],
        );
        let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').split("\r\n").collect();
        assert!(
            lines[0].starts_with("Ontvangen;Gebeurtenis;Wie"),
            "{}",
            lines[0]
        );
        assert!(
            lines[1].starts_with("2025-12-01 13:00;Code bekeken;'=An Peeters;Wit-Gele Kruis;"),
            "{}",
            lines[1]
        );
        assert!(lines[1].contains("\"Sleepstraat 12; 14\""), "{}", lines[1]);
        assert!(lines[2].contains("street: Oud → Nieuw"), "{}", lines[2]);
        assert_eq!(
            rows_text(Lang::Nl, 50, 50, 123),
            "51–100 van 123 gebeurtenissen"
        );
        assert_eq!(rows_text(Lang::En, 0, 0, 0), "0–0 of 0 events");
    }
}
