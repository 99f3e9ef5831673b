//! The registry as the desktop shows it: the forgiving address search of the phones over the
//! buildings, and the registry's CSV export (without codes).

use kluis_api::registry::BuildingRow;
use kluis_domain::address::{SearchQuery, matches};
use kluis_domain::model::{Address, HouseNumbers};

use super::Label;
use crate::state::i18n::{DeskKey, Lang, t};

/// The buildings matching `query` (street, number, postcode, city; also the district and the
/// owner's name), in their order.
pub fn filter_buildings<'a>(rows: &'a [BuildingRow], query: &str) -> Vec<&'a BuildingRow> {
    let parsed = SearchQuery::parse(query);
    if parsed.is_empty() {
        return rows.iter().collect();
    }
    let folded = kluis_domain::address::normalize(query);
    rows.iter()
        .filter(|b| {
            let address = HouseNumbers::parse(&b.numbers).ok().map(|numbers| Address {
                street: b.street.clone(),
                numbers,
                postcode: b.postcode.clone(),
                city: b.city.clone(),
            });
            address.is_some_and(|a| matches(&parsed, &a))
                || kluis_domain::address::normalize(&b.district).contains(&folded)
                || kluis_domain::address::normalize(&b.owner).contains(&folded)
        })
        .collect()
}

/// A column the registry's table sorts by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BuildingColumn {
    /// Street, then the first house number (as the server orders them).
    Address,
    District,
    Apartments,
    Owner,
}

/// `rows` sorted by `column`; ties keep the address order.
pub fn sort_buildings(rows: &mut [BuildingRow], column: BuildingColumn, ascending: bool) {
    let first = |b: &BuildingRow| HouseNumbers::parse(&b.numbers).map_or(0, |n| n.first());
    let address = |b: &BuildingRow| (b.street.to_lowercase(), first(b), b.numbers.clone());
    rows.sort_by(|a, b| {
        let by = match column {
            BuildingColumn::Address => std::cmp::Ordering::Equal,
            BuildingColumn::District => a.district.to_lowercase().cmp(&b.district.to_lowercase()),
            BuildingColumn::Apartments => a.apartments.cmp(&b.apartments),
            BuildingColumn::Owner => a.owner.to_lowercase().cmp(&b.owner.to_lowercase()),
        };
        let ordered = by.then_with(|| address(a).cmp(&address(b)));
        if ascending {
            ordered
        } else {
            ordered.reverse()
        }
    });
}

/// "Sleepstraat 10-16, 9000 Gent".
pub fn building_label(b: &BuildingRow) -> String {
    format!("{} {}, {} {}", b.street, b.numbers, b.postcode, b.city)
}

/// The registry as a spreadsheet: one line per building with its safe and services.
pub fn buildings_csv(lang: Lang, rows: &[&BuildingRow]) -> String {
    let mut out = String::from('\u{feff}');
    let head = [
        DeskKey::FieldStreet,
        DeskKey::FieldNumbers,
        DeskKey::FieldPostcode,
        DeskKey::FieldCity,
        DeskKey::ColDistrict,
        DeskKey::FieldApartments,
        DeskKey::ColOwner,
        DeskKey::ColSafe,
        DeskKey::ColState,
        DeskKey::FieldServices,
    ];
    super::csv::push_line(
        &mut out,
        &head
            .iter()
            .map(|k| t(lang, *k).to_string())
            .collect::<Vec<_>>(),
    );
    for b in rows {
        let safe = b
            .safes
            .iter()
            .find(|s| s.status != kluis_domain::model::SafeStatus::Removed);
        let services: Vec<&str> = b.services.iter().map(|s| s.service.as_str()).collect();
        super::csv::push_line(
            &mut out,
            &[
                b.street.clone(),
                b.numbers.clone(),
                b.postcode.clone(),
                b.city.clone(),
                b.district.clone(),
                b.apartments.to_string(),
                b.owner.clone(),
                safe.map(|s| s.model.clone()).unwrap_or_default(),
                safe.map(|s| s.status.label(lang).to_string())
                    .unwrap_or_default(),
                services.join(", "),
            ],
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use kluis_domain::ids::{BuildingId, OrgId};

    fn row(street: &str, numbers: &str, district: &str) -> BuildingRow {
        BuildingRow {
            id: BuildingId::from_bytes([street.len() as u8; 16]),
            street: street.into(),
            numbers: numbers.into(),
            postcode: "9000".into(),
            city: "Gent".into(),
            district: district.into(),
            apartments: 12,
            owner_id: OrgId::from_bytes([1; 16]),
            owner: "WoninGent".into(),
            safes: Vec::new(),
            services: Vec::new(),
        }
    }

    #[test]
    fn the_desktop_finds_buildings_as_the_phones_do() {
        let rows = vec![
            row("Sleepstraat", "10-16", "Muide"),
            row("Kortrijksesteenweg", "200", "Sint-Denijs"),
        ];
        let found = |q| {
            filter_buildings(&rows, q)
                .iter()
                .map(|b| b.street.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(found("sleepstr 12"), ["Sleepstraat"]);
        assert!(found("sleepstr 18").is_empty());
        assert_eq!(found("kortrijkse stwg"), ["Kortrijksesteenweg"]);
        assert_eq!(found("muide"), ["Sleepstraat"]);
        assert_eq!(found("").len(), 2);
        let csv = buildings_csv(Lang::Nl, &filter_buildings(&rows, ""));
        assert!(csv.starts_with('\u{feff}'));
        assert!(csv.contains("Sleepstraat;10-16;9000;Gent;Muide;12;WoninGent"));
    }

    #[test]
    fn the_table_sorts_by_a_column_and_then_by_address() {
        let mut rows = vec![
            row("Sleepstraat", "20", "Muide"),
            row("Sleepstraat", "4", "Muide"),
            row("Abdijstraat", "1", "Zwijnaarde"),
        ];
        rows[2].apartments = 40;
        let streets = |rows: &[BuildingRow]| {
            rows.iter()
                .map(|b| format!("{} {}", b.street, b.numbers))
                .collect::<Vec<_>>()
        };
        sort_buildings(&mut rows, BuildingColumn::Address, true);
        assert_eq!(
            streets(&rows),
            ["Abdijstraat 1", "Sleepstraat 4", "Sleepstraat 20"]
        );
        sort_buildings(&mut rows, BuildingColumn::District, false);
        assert_eq!(
            streets(&rows),
            ["Abdijstraat 1", "Sleepstraat 20", "Sleepstraat 4"]
        );
        sort_buildings(&mut rows, BuildingColumn::Apartments, true);
        assert_eq!(
            streets(&rows),
            ["Sleepstraat 4", "Sleepstraat 20", "Abdijstraat 1"]
        );
    }
}

/// People whose access ends within `days` of `today` (and has not ended), soonest first.
pub fn expiring_soon(
    people: &[kluis_api::people::PersonRow],
    today: kluis_domain::time::Date,
    days: i64,
) -> Vec<&kluis_api::people::PersonRow> {
    use kluis_api::people::AccountState;
    let mut out: Vec<_> = people
        .iter()
        .filter(|p| matches!(p.state, AccountState::Active | AccountState::Invited))
        .filter(|p| {
            p.valid_until
                .is_some_and(|last| last >= today && today.days_until(last) <= days)
        })
        .collect();
    out.sort_by_key(|p| p.valid_until);
    out
}

#[cfg(test)]
mod expiry_tests {
    use super::*;
    use kluis_api::people::{AccountState, PersonRow};
    use kluis_domain::ids::{OrgId, PersonId};
    use kluis_domain::model::{OrgKind, Role};
    use kluis_domain::time::Date;

    fn person(name: &str, until: Option<Date>, state: AccountState) -> PersonRow {
        PersonRow {
            id: PersonId::from_bytes([name.len() as u8; 16]),
            name: name.into(),
            login: name.to_lowercase(),
            email: String::new(),
            role: Role::Carer,
            org_id: OrgId::from_bytes([1; 16]),
            organisation: "Wit-Gele Kruis".into(),
            org_kind: OrgKind::CareService,
            state,
            valid_until: until,
            devices: 1,
            last_seen_at: None,
            invitation_expires_at: None,
        }
    }

    #[test]
    fn the_admin_sees_who_loses_access_within_two_weeks() {
        let today = Date::new(2026, 12, 2).expect("date");
        let people = vec![
            person("Later", Some(today.add_days(30)), AccountState::Active),
            person("Soon", Some(today.add_days(14)), AccountState::Active),
            person("Sooner", Some(today), AccountState::Invited),
            person("Gone", Some(today.add_days(-1)), AccountState::Expired),
            person("Forever", None, AccountState::Active),
            person("Revoked", Some(today.add_days(3)), AccountState::Revoked),
        ];
        let names: Vec<&str> = expiring_soon(&people, today, 14)
            .iter()
            .map(|p| p.name.as_str())
            .collect();
        assert_eq!(names, ["Sooner", "Soon"]);
    }
}
