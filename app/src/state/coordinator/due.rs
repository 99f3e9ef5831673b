//! The due list as one table: which bucket each safe is in, search, and sort by column.

use std::cmp::Ordering;

use super::{DueList, DueSafe, RepairRow};

/// How urgent a due safe is, most urgent first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Bucket {
    Overdue,
    ThisWeek,
    ThisMonth,
}

impl Bucket {
    pub const ALL: [Bucket; 3] = [Bucket::Overdue, Bucket::ThisWeek, Bucket::ThisMonth];

    pub fn code(self) -> &'static str {
        match self {
            Bucket::Overdue => "overdue",
            Bucket::ThisWeek => "this_week",
            Bucket::ThisMonth => "this_month",
        }
    }
}

/// A line of the due table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DueRow {
    pub bucket: Bucket,
    pub safe: DueSafe,
}

/// The due list as the desk's table.
pub trait DueTable {
    fn rows(&self) -> Vec<DueRow>;
    fn count(&self, bucket: Bucket) -> usize;
    /// Every district named in the list, sorted, once.
    fn districts(&self) -> Vec<String>;
}

impl DueTable for DueList {
    fn rows(&self) -> Vec<DueRow> {
        let tag = |bucket: Bucket, list: &[DueSafe]| {
            list.iter()
                .map(move |safe| DueRow {
                    bucket,
                    safe: safe.clone(),
                })
                .collect::<Vec<_>>()
        };
        let mut rows = tag(Bucket::Overdue, &self.overdue);
        rows.extend(tag(Bucket::ThisWeek, &self.this_week));
        rows.extend(tag(Bucket::ThisMonth, &self.this_month));
        rows
    }

    fn count(&self, bucket: Bucket) -> usize {
        match bucket {
            Bucket::Overdue => self.overdue.len(),
            Bucket::ThisWeek => self.this_week.len(),
            Bucket::ThisMonth => self.this_month.len(),
        }
    }

    fn districts(&self) -> Vec<String> {
        let mut all: Vec<String> = self.rows().into_iter().map(|r| r.safe.district).collect();
        all.sort();
        all.dedup();
        all.retain(|d| !d.is_empty());
        all
    }
}

/// Which column the due table is sorted by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DueColumn {
    Due,
    Address,
    District,
    Owner,
    Reason,
}

/// Sorts `rows` by `column`; ties keep urgency, then the due date, then the address, so the
/// order never jumps between renders.
pub fn sort_due(rows: &mut [DueRow], column: DueColumn, ascending: bool) {
    rows.sort_by(|a, b| {
        let primary = match column {
            DueColumn::Due => a
                .bucket
                .cmp(&b.bucket)
                .then(a.safe.due_on.cmp(&b.safe.due_on)),
            DueColumn::Address => fold(&a.safe.address).cmp(&fold(&b.safe.address)),
            DueColumn::District => fold(&a.safe.district).cmp(&fold(&b.safe.district)),
            DueColumn::Owner => fold(&a.safe.owner).cmp(&fold(&b.safe.owner)),
            DueColumn::Reason => a.safe.reason.cmp(&b.safe.reason),
        };
        let primary = if ascending {
            primary
        } else {
            primary.reverse()
        };
        primary.then_with(|| tiebreak(a, b))
    });
}

fn tiebreak(a: &DueRow, b: &DueRow) -> Ordering {
    a.bucket
        .cmp(&b.bucket)
        .then(a.safe.due_on.cmp(&b.safe.due_on))
        .then(a.safe.address.cmp(&b.safe.address))
        .then(a.safe.safe_id.cmp(&b.safe.safe_id))
}

/// Keeps the rows matching every word of `query` (in address, district, owner or id) and,
/// when given, in `bucket`.
pub fn filter_due(rows: Vec<DueRow>, query: &str, bucket: Option<Bucket>) -> Vec<DueRow> {
    let words: Vec<String> = fold(query).split_whitespace().map(str::to_string).collect();
    rows.into_iter()
        .filter(|row| bucket.is_none_or(|b| row.bucket == b))
        .filter(|row| {
            let hay = fold(&format!(
                "{} {} {} {}",
                row.safe.address, row.safe.district, row.safe.owner, row.safe.safe_id
            ));
            words.iter().all(|w| hay.contains(w.as_str()))
        })
        .collect()
}

/// Repairs matching `query` (address, owner, note), open ones only unless `all`.
pub fn filter_repairs(rows: &[RepairRow], query: &str, all: bool) -> Vec<RepairRow> {
    let words: Vec<String> = fold(query).split_whitespace().map(str::to_string).collect();
    rows.iter()
        .filter(|r| all || r.resolved_at.is_none())
        .filter(|r| {
            let hay = fold(&format!(
                "{} {} {} {}",
                r.address, r.owner, r.note, r.safe_id
            ));
            words.iter().all(|w| hay.contains(w.as_str()))
        })
        .cloned()
        .collect()
}

/// Lower case without accents, so "Sint-Amandsberg", "sint amandsberg" and "Dampoortstraße"
/// style differences do not hide a row; "str." also finds "straat".
pub fn fold(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    for c in input.chars().flat_map(char::to_lowercase) {
        out.push(match c {
            'à' | 'á' | 'â' | 'ä' | 'ã' => 'a',
            'è' | 'é' | 'ê' | 'ë' => 'e',
            'ì' | 'í' | 'î' | 'ï' => 'i',
            'ò' | 'ó' | 'ô' | 'ö' | 'õ' => 'o',
            'ù' | 'ú' | 'û' | 'ü' => 'u',
            'ç' => 'c',
            'ñ' => 'n',
            '-' => ' ',
            other => other,
        });
    }
    out.replace("str.", "str")
}

#[cfg(test)]
mod tests {
    use super::*;

    use kluis_domain::due::DueReason;
    use kluis_domain::ids::SafeId;
    use kluis_domain::model::SafeStatus;

    /// Safe `n`'s id: its bytes all `n`, so tests can tell them apart.
    fn id(n: u8) -> SafeId {
        SafeId::from_bytes([n; 16])
    }

    fn safe(n: u8, address: &str, district: &str, due: &str) -> DueSafe {
        DueSafe {
            safe_id: id(n),
            address: address.into(),
            district: district.into(),
            owner: "WoninGent".into(),
            status: SafeStatus::Active,
            due_on: due.parse().expect("date"),
            reason: DueReason::Rotation,
            campaign_id: None,
        }
    }

    fn list() -> DueList {
        DueList {
            today: "2026-03-02".parse().expect("date"),
            overdue: vec![safe(1, "Sleepstraat 10", "Muide", "2026-02-20")],
            this_week: vec![
                safe(2, "Brugse Poortstraat 4", "Brugse Poort", "2026-03-05"),
                safe(3, "Édouard Anseelestraat 1", "Rabot", "2026-03-04"),
            ],
            this_month: vec![safe(4, "Abeelstraat 2", "Rabot", "2026-03-20")],
        }
    }

    #[test]
    fn rows_keep_their_bucket_and_sort_by_urgency() {
        let mut rows = list().rows();
        assert_eq!(rows.len(), 4);
        sort_due(&mut rows, DueColumn::Due, true);
        let ids: Vec<SafeId> = rows.iter().map(|r| r.safe.safe_id).collect();
        assert_eq!(ids, [id(1), id(3), id(2), id(4)]);
        sort_due(&mut rows, DueColumn::Due, false);
        assert_eq!(rows[0].safe.safe_id, id(4));
        sort_due(&mut rows, DueColumn::Address, true);
        let ids: Vec<SafeId> = rows.iter().map(|r| r.safe.safe_id).collect();
        assert_eq!(
            ids,
            [id(4), id(2), id(3), id(1)],
            "accents sort as their letter"
        );
    }

    #[test]
    fn filters_ignore_case_accents_and_abbreviations() {
        let rows = list().rows();
        assert_eq!(filter_due(rows.clone(), "edouard", None).len(), 1);
        assert_eq!(filter_due(rows.clone(), "rabot", None).len(), 2);
        assert_eq!(
            filter_due(rows.clone(), "rabot", Some(Bucket::ThisMonth)).len(),
            1
        );
        assert_eq!(filter_due(rows.clone(), "sleepstr. 10", None).len(), 1);
        assert_eq!(filter_due(rows.clone(), "brugse-poort", None).len(), 1);
        assert_eq!(filter_due(rows, "", None).len(), 4);
        assert_eq!(list().districts(), ["Brugse Poort", "Muide", "Rabot"]);
        assert_eq!(list().count(Bucket::ThisWeek), 2);
    }
}
