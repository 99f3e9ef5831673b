//! Demo data: a realistic, Ghent-like registry built from a random source, with no IO.
//!
//! Every demo login has the password **`kluis-demo`** ([`DEMO_PASSWORD`]). Logins:
//! `coordinator`; `volunteer.1`..`volunteer.6`; housing staff `staff.woningent`,
//! `staff.gentsehaard`, `staff.volkshaard`, `staff.abc`, `staff.habitare`; for each home-care
//! service slug (`wgk`, `imens`, `partena`, `wgc`, `zelfstandigen`) an admin `admin.<slug>` and
//! carers `carer.<slug>.1`..`carer.<slug>.4`.
//!
//! The same seed always gives the same data. Streets are real Ghent streets, numbers and
//! placements are invented. Service scopes overlap but differ, some buildings are served by one
//! service only and some by none, so access rules can be demonstrated and tested.

use std::collections::{BTreeMap, BTreeSet};

use kluis_domain::DomainError;
use kluis_domain::codegen::{CodeRules, generate_codes_for};
use kluis_domain::ids::{BuildingId, CodeId, OrgId, PersonId, SafeId, SafeModelId};
use kluis_domain::model::{
    Address, Building, Code, CodeState, HouseNumbers, OrgKind, Organisation, Person, Role, Safe,
    SafeStatus, ServiceActivity,
};
use kluis_domain::rng::{RandomSource, shuffle};
use kluis_domain::safe_model::{SafeModel, supra_keysafe_pro, supra_keysafe_pro_bigbox};
use kluis_domain::time::{Date, Timestamp};

/// The password of every demo login.
pub const DEMO_PASSWORD: &str = "kluis-demo";

/// Number of demo buildings, each with one safe (Ghent had 192 safes in 2021).
pub const DEMO_BUILDINGS: usize = 220;

/// A demo person and their password.
#[derive(Clone, Debug)]
pub struct DemoPerson {
    /// The person.
    pub person: Person,
    /// Their password, always [`DEMO_PASSWORD`].
    pub password: &'static str,
}

/// A complete demo registry.
#[derive(Clone, Debug)]
pub struct DemoData {
    /// Coordinator office, housing companies, home-care services.
    pub organisations: Vec<Organisation>,
    /// Everyone with a login.
    pub people: Vec<DemoPerson>,
    /// The two Supra models.
    pub models: Vec<SafeModel>,
    /// Apartment blocks.
    pub buildings: Vec<Building>,
    /// One safe per building, in building order.
    pub safes: Vec<Safe>,
    /// One current code per active or defect safe, all valid and pairwise at least 2 apart.
    pub codes: Vec<Code>,
    /// Which service is active at which building.
    pub activities: Vec<ServiceActivity>,
}

#[rustfmt::skip]
const VOLUNTEERS: [&str; 6] = [
    "Marc Van Hecke", "Rita De Vos", "Jozef Verbeke", "Linda Claeys", "Patrick Goossens",
    "Hilde Maes",
];

/// (name, login slug, staff member, share of the buildings in percent)
const HOUSING: [(&str, &str, &str, u64); 5] = [
    ("WoninGent", "woningent", "Bart Vermeulen", 35),
    ("Gentse Haard", "gentsehaard", "Sofie Willems", 25),
    ("Volkshaard", "volkshaard", "Koen Peeters", 15),
    (
        "ABC (Algemene Bouwmaatschappij voor Cités)",
        "abc",
        "Ann Martens",
        10,
    ),
    ("Habitare", "habitare", "Tom Janssens", 15),
];

/// (name, slug, admin, carers, buildings served, districts it is limited to)
#[rustfmt::skip]
type Service = (&'static str, &'static str, &'static str, [&'static str; 4], usize, &'static [&'static str]);
#[rustfmt::skip]
const SERVICES: [Service; 5] = [
    ("Wit-Gele Kruis", "wgk", "Katrien Van de Velde",
        ["Nathalie De Clercq", "Ilse Vandenberghe", "Evelien Mertens", "Yasmina El Amrani"], 120, &[]),
    ("i-mens", "imens", "Griet Claes",
        ["Sarah Lambrecht", "Wim De Baets", "Fatma Yilmaz", "Lotte Van Damme"], 90, &[]),
    ("Partena Thuiszorg", "partena", "Dirk Wouters",
        ["Annelies Coppens", "Jonas De Wilde", "Veerle Bogaert", "Kevin Van Acker"], 50, &[]),
    ("Wijkgezondheidscentrum Brugse Poort", "wgc", "An Verhaeghe",
        ["Pieter Dhondt", "Aïcha Bakkali", "Mieke Standaert", "Bram De Paepe"], 30,
        &["Brugse Poort", "Rabot"]),
    ("Vereniging Zelfstandige Thuisverpleegkundigen", "zelfstandigen", "Liesbeth Van Hoorebeke",
        ["Stijn Verstraete", "Nele De Meyer", "Joke Van Wassenhove", "Thomas Baert"], 40, &[]),
];

/// (street, postcode, district)
#[rustfmt::skip]
const STREETS: [(&str, &str, &str); 60] = [
    ("Sleepstraat", "9000", "Sluizeken-Tolhuis-Ham"), ("Tolhuislaan", "9000", "Sluizeken-Tolhuis-Ham"),
    ("Groenewalstraat", "9000", "Sluizeken-Tolhuis-Ham"), ("Sint-Salvatorstraat", "9000", "Sluizeken-Tolhuis-Ham"),
    ("Lange Steenstraat", "9000", "Binnenstad"), ("Sint-Pietersnieuwstraat", "9000", "Binnenstad"),
    ("Kortrijksepoortstraat", "9000", "Binnenstad"), ("Lange Violettestraat", "9000", "Binnenstad"),
    ("Nieuwe Wandeling", "9000", "Brugse Poort"), ("Brugse Steenweg", "9000", "Brugse Poort"),
    ("Phoenixstraat", "9000", "Brugse Poort"), ("Haspelstraat", "9000", "Brugse Poort"),
    ("Bevrijdingslaan", "9000", "Brugse Poort"), ("Rooigemlaan", "9000", "Brugse Poort"),
    ("Kastanjestraat", "9000", "Brugse Poort"), ("Edward Anseeleplein", "9000", "Brugse Poort"),
    ("Rabotstraat", "9000", "Rabot"), ("Wondelgemstraat", "9000", "Rabot"),
    ("Jozef Guislainstraat", "9000", "Rabot"), ("Opgeëistenlaan", "9000", "Rabot"),
    ("Blaisantvest", "9000", "Rabot"), ("Gebroeders De Smetstraat", "9000", "Rabot"),
    ("Meulestedekaai", "9000", "Muide-Meulestede"), ("Muidelaan", "9000", "Muide-Meulestede"),
    ("Voorhavenlaan", "9000", "Muide-Meulestede"), ("Meulesteedsesteenweg", "9000", "Muide-Meulestede"),
    ("Dampoortstraat", "9000", "Dampoort"), ("Forelstraat", "9000", "Dampoort"),
    ("Kasteellaan", "9000", "Dampoort"), ("Land van Waaslaan", "9000", "Dampoort"),
    ("Rerum Novarumplein", "9000", "Nieuw Gent"), ("Kikvorsstraat", "9000", "Nieuw Gent"),
    ("Steenakker", "9000", "Nieuw Gent"), ("Bernard Spaelaan", "9000", "Nieuw Gent"),
    ("Watersportlaan", "9000", "Watersportbaan"), ("Frans Van Ryhovelaan", "9000", "Watersportbaan"),
    ("Heirnislaan", "9000", "Macharius-Heirnis"), ("Kortrijksesteenweg", "9000", "Stationsbuurt"),
    ("Antwerpsesteenweg", "9040", "Sint-Amandsberg"), ("Dendermondsesteenweg", "9040", "Sint-Amandsberg"),
    ("Heiveldstraat", "9040", "Sint-Amandsberg"), ("Aannemersstraat", "9040", "Sint-Amandsberg"),
    ("Visitatiestraat", "9040", "Sint-Amandsberg"), ("Eksaardserijweg", "9041", "Oostakker"),
    ("Oostakkerdorp", "9041", "Oostakker"), ("Sint-Kruis-Winkeldorp", "9042", "Sint-Kruis-Winkel"),
    ("Ledebergplein", "9050", "Ledeberg"), ("Brusselsesteenweg", "9050", "Ledeberg"),
    ("Bellevuestraat", "9050", "Ledeberg"), ("Jules de Saint-Genoisstraat", "9050", "Gentbrugge"),
    ("Braemkasteelstraat", "9050", "Gentbrugge"), ("Eeklostraat", "9030", "Mariakerke"),
    ("Groenestaakstraat", "9030", "Mariakerke"), ("Botestraat", "9032", "Wondelgem"),
    ("Vroonstalledries", "9032", "Wondelgem"), ("Deinsesteenweg", "9031", "Drongen"),
    ("Putkapelstraat", "9051", "Sint-Denijs-Westrem"), ("Afsneedorp", "9051", "Afsnee"),
    ("Grotesteenweg-Noord", "9052", "Zwijnaarde"), ("Rijvisschestraat", "9052", "Zwijnaarde"),
];

const PLACEMENTS: [&str; 14] = [
    "links van de inkomdeur, onder het afdak",
    "rechts naast de bellen, 1 m hoog",
    "in de inkomhal, achter de eerste deur",
    "rechts van de inkomdeur, achter de regenpijp",
    "links naast de brievenbussen, onder de beschermkap",
    "aan de zijgevel, naast de fietsenstalling",
    "rechts van de garagepoort, 1,10 m hoog",
    "in de nis naast de inkomdeur",
    "links van de bellen, boven de huisnummers",
    "naast de dienstingang achteraan het gebouw",
    "rechts op de pilaar van het afdak",
    "onder het raam van de conciërgeloge",
    "tegen de muur tussen de twee inkomdeuren",
    "aan de achterkant, naast de containerberging",
];

fn below(rng: &mut dyn RandomSource, n: u64) -> i64 {
    // below(n) < n, and every n used here is small, so the conversion never saturates.
    i64::try_from(rng.below(n)).unwrap_or(i64::MAX)
}

fn pick<'a>(rng: &mut dyn RandomSource, items: &[&'a str]) -> &'a str {
    items
        .get(rng.below(items.len() as u64) as usize)
        .copied()
        .unwrap_or_default()
}

/// Organisations and people as they are built up.
#[derive(Default)]
struct Registry {
    organisations: Vec<Organisation>,
    people: Vec<DemoPerson>,
}

impl Registry {
    fn org(&mut self, rng: &mut dyn RandomSource, kind: OrgKind, name: &str) -> OrgId {
        let id = OrgId::random(rng);
        let name = name.into();
        self.organisations.push(Organisation { id, kind, name });
        id
    }

    /// Adds people as (role, name, login) to `org`.
    fn people(
        &mut self,
        rng: &mut dyn RandomSource,
        org: OrgId,
        people: Vec<(Role, &str, String)>,
    ) {
        for (role, name, login) in people {
            let (id, name) = (PersonId::random(rng), name.into());
            let person = Person {
                id,
                org,
                name,
                login,
                role,
            };
            let password = DEMO_PASSWORD;
            self.people.push(DemoPerson { person, password });
        }
    }
}

/// A housing company, each with its share (in percent) of the buildings.
fn weighted_owner(rng: &mut dyn RandomSource, companies: &[(OrgId, u64)]) -> OrgId {
    let mut ticket = rng.below(100);
    for &(org, share) in companies {
        if ticket < share {
            return org;
        }
        ticket -= share;
    }
    companies
        .first()
        .map_or(OrgId::from_bytes([0; 16]), |c| c.0)
}

/// House numbers for the next entrance in a street, starting at `next_free`, which moves past
/// it so entrances in one street never share a number.
fn house_numbers(
    rng: &mut dyn RandomSource,
    next_free: &mut u32,
) -> Result<HouseNumbers, DomainError> {
    let first = *next_free;
    let (last, step) = match rng.below(10) {
        0 | 1 => (first, 1),
        2..=5 => (first + 2 + rng.below(8) as u32, 1),
        _ => (first + 2 * (1 + rng.below(5) as u32), 2),
    };
    *next_free = last + 1 + rng.below(10) as u32;
    HouseNumbers::range(first, last, step)
}

/// Builds the demo registry; `now` anchors all dates.
pub fn demo_data(rng: &mut dyn RandomSource, now: Timestamp) -> Result<DemoData, DomainError> {
    let today = now.date_utc();
    let mut reg = Registry::default();

    let office = reg.org(
        rng,
        OrgKind::CoordinatorOffice,
        "OCMW Gent — Sleutelkluisjes",
    );
    let mut staff = vec![(Role::Coordinator, "Els De Smet", "coordinator".to_string())];
    for (i, name) in VOLUNTEERS.iter().enumerate() {
        staff.push((Role::Volunteer, name, format!("volunteer.{}", i + 1)));
    }
    reg.people(rng, office, staff);
    let mut companies = Vec::new();
    for (name, slug, person, share) in HOUSING {
        let org = reg.org(rng, OrgKind::HousingCompany, name);
        reg.people(
            rng,
            org,
            vec![(Role::HousingStaff, person, format!("staff.{slug}"))],
        );
        companies.push((org, share));
    }
    let mut services = Vec::new();
    for (name, slug, admin, carers, _, _) in SERVICES {
        let org = reg.org(rng, OrgKind::CareService, name);
        let mut people = vec![(Role::ServiceAdmin, admin, format!("admin.{slug}"))];
        for (i, carer) in carers.iter().enumerate() {
            people.push((Role::Carer, carer, format!("carer.{slug}.{}", i + 1)));
        }
        reg.people(rng, org, people);
        services.push(org);
    }

    let pro = supra_keysafe_pro(SafeModelId::random(rng));
    let bigbox = supra_keysafe_pro_bigbox(SafeModelId::random(rng));

    let mut next_free: BTreeMap<&str, u32> = BTreeMap::new();
    let mut buildings = Vec::with_capacity(DEMO_BUILDINGS);
    for _ in 0..DEMO_BUILDINGS {
        let (street, postcode, district) = STREETS[rng.below(STREETS.len() as u64) as usize];
        let start = 1 + rng.below(30) as u32;
        let numbers = house_numbers(rng, next_free.entry(street).or_insert(start))?;
        let owner = weighted_owner(rng, &companies);
        buildings.push(Building {
            id: BuildingId::random(rng),
            address: Address {
                street: street.into(),
                numbers,
                postcode: postcode.into(),
                city: "Gent".into(),
            },
            apartments: 8 + rng.below(113) as u32,
            owner,
            district: district.into(),
        });
    }

    // About 95% active; a few awaiting their first code, broken, or only requested.
    let mut statuses = vec![SafeStatus::Active; DEMO_BUILDINGS];
    let special = [
        (SafeStatus::Installed, 6),
        (SafeStatus::Defect, 3),
        (SafeStatus::Requested, 2),
    ];
    let mut slot = 0;
    for (status, count) in special {
        statuses[slot..slot + count].fill(status);
        slot += count;
    }
    shuffle(rng, &mut statuses);

    let mut safes = Vec::with_capacity(DEMO_BUILDINGS);
    for (building, status) in buildings.iter().zip(statuses) {
        let model = if rng.below(4) == 0 { bigbox.id } else { pro.id };
        let installed_on = match status {
            SafeStatus::Requested => None,
            // Installed in the last few days, so its first code is still within 5 working days.
            SafeStatus::Installed => Some(today.add_days(-below(rng, 4))),
            // Before the last rotation round, so every current code is younger than its safe.
            _ => Some(today.add_days(-200 - below(rng, 3650))),
        };
        safes.push(Safe {
            id: SafeId::random(rng),
            building: building.id,
            model,
            placement: pick(rng, &PLACEMENTS).into(),
            status,
            installed_on,
        });
    }

    let codes = demo_codes(rng, now, &safes, &pro, &bigbox)?;
    let activities = demo_activities(rng, today, &buildings, &services);
    Ok(DemoData {
        organisations: reg.organisations,
        people: reg.people,
        models: vec![pro, bigbox],
        buildings,
        safes,
        codes,
        activities,
    })
}

/// One current code per active or defect safe (a broken safe keeps its code until repaired),
/// drawn for both models against one shared in-use list so all codes are at least 2 apart.
fn demo_codes(
    rng: &mut dyn RandomSource,
    now: Timestamp,
    safes: &[Safe],
    pro: &SafeModel,
    bigbox: &SafeModel,
) -> Result<Vec<Code>, DomainError> {
    let coded: Vec<&Safe> = safes
        .iter()
        .filter(|s| matches!(s.status, SafeStatus::Active | SafeStatus::Defect))
        .collect();
    let rules = CodeRules::default();
    let n_pro = coded.iter().filter(|s| s.model == pro.id).count();
    let pro_codes = generate_codes_for(pro, n_pro, &[], &rules, rng)?;
    let big_codes = generate_codes_for(bigbox, coded.len() - n_pro, &pro_codes, &rules, rng)?;
    let (mut pro_iter, mut big_iter) = (pro_codes.into_iter(), big_codes.into_iter());
    let mut codes = Vec::with_capacity(coded.len());
    for safe in coded {
        let value = if safe.model == pro.id {
            pro_iter.next()
        } else {
            big_iter.next()
        };
        let Some(value) = value else { break };
        // Set during the last rotation round (every 6 months), activated a day or two later.
        let created_at = now.plus_days(-2 - below(rng, 178));
        let activated_at = created_at.plus_millis(3_600_000 * (2 + below(rng, 46)));
        codes.push(Code {
            id: CodeId::random(rng),
            safe: safe.id,
            value,
            state: CodeState::Current,
            created_at,
            activated_at: Some(activated_at),
            retired_at: None,
        });
    }
    Ok(codes)
}

/// Service scopes: random subsets of the wanted sizes, with two buildings no service visits
/// and at least one building that only one service visits, for every service.
fn demo_activities(
    rng: &mut dyn RandomSource,
    today: Date,
    buildings: &[Building],
    services: &[OrgId],
) -> Vec<ServiceActivity> {
    let mut order: Vec<usize> = (0..buildings.len()).collect();
    shuffle(rng, &mut order);
    let unserved: BTreeSet<usize> = order.iter().take(2).copied().collect();
    let mut scopes: Vec<BTreeSet<usize>> = SERVICES
        .iter()
        .map(|(_, _, _, _, size, districts)| {
            let mut eligible: Vec<usize> = order
                .iter()
                .copied()
                .filter(|i| !unserved.contains(i))
                .filter(|&i| {
                    districts.is_empty() || districts.contains(&buildings[i].district.as_str())
                })
                .collect();
            shuffle(rng, &mut eligible);
            eligible.into_iter().take(*size).collect()
        })
        .collect();
    for s in 0..scopes.len() {
        let unique = |b: &usize| {
            scopes
                .iter()
                .enumerate()
                .all(|(t, sc)| t == s || !sc.contains(b))
        };
        if !scopes[s].iter().any(unique)
            && let Some(&b) = scopes[s].iter().next()
        {
            for (t, scope) in scopes.iter_mut().enumerate() {
                if t != s {
                    scope.remove(&b);
                }
            }
        }
    }
    let mut activities = Vec::new();
    for (service, scope) in services.iter().zip(scopes) {
        for b in scope {
            let since = today.add_days(-60 - below(rng, 1800));
            let confirmed_on = (rng.below(100) < 85).then(|| today.add_days(-below(rng, 170)));
            activities.push(ServiceActivity {
                service: *service,
                building: buildings[b].id,
                since,
                confirmed_on,
            });
        }
    }
    activities
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use kluis_domain::codegen::is_arithmetic_run;
    use kluis_domain::rng::SeededRandom;

    fn data(seed: u64) -> DemoData {
        let now = "2026-11-22"
            .parse::<Date>()
            .unwrap()
            .start_utc()
            .plus_days(0);
        demo_data(&mut SeededRandom::new(seed), now).unwrap()
    }

    #[test]
    fn counts_and_statuses() {
        let d = data(1);
        assert_eq!(d.organisations.len(), 11);
        assert_eq!(d.people.len(), 1 + 6 + 5 + 5 * 5);
        assert!(d.safes.len() >= 200);
        assert_eq!(d.safes.len(), d.buildings.len());
        let count = |st: SafeStatus| d.safes.iter().filter(|s| s.status == st).count();
        assert!(count(SafeStatus::Active) * 100 >= d.safes.len() * 94);
        assert!(count(SafeStatus::Installed) >= 1 && (2..=3).contains(&count(SafeStatus::Defect)));
        assert!((1..=2).contains(&count(SafeStatus::Requested)));
        let bigbox = d.safes.iter().filter(|s| s.model == d.models[1].id).count();
        assert!((30..=80).contains(&bigbox), "{bigbox} bigboxes");
    }

    #[test]
    fn codes_are_valid_and_pairwise_apart() {
        let d = data(2);
        let coded = d
            .safes
            .iter()
            .filter(|s| matches!(s.status, SafeStatus::Active | SafeStatus::Defect));
        assert_eq!(coded.count(), d.codes.len());
        for (i, code) in d.codes.iter().enumerate() {
            let safe = d.safes.iter().find(|s| s.id == code.safe).unwrap();
            let model = d.models.iter().find(|m| m.id == safe.model).unwrap();
            model.check_code(&code.value).unwrap();
            assert!(!is_arithmetic_run(&code.value));
            assert_eq!(code.state, CodeState::Current);
            assert!(code.activated_at.unwrap() > code.created_at);
            assert!(safe.installed_on.unwrap().start_utc() < code.created_at);
            for other in &d.codes[..i] {
                assert!(other.value.distance(&code.value) >= 2);
                assert_ne!(other.safe, code.safe);
            }
        }
    }

    #[test]
    fn people_are_consistent() {
        let d = data(3);
        let logins: BTreeSet<&str> = d.people.iter().map(|p| p.person.login.as_str()).collect();
        assert_eq!(logins.len(), d.people.len());
        for login in [
            "coordinator",
            "volunteer.6",
            "staff.abc",
            "admin.wgc",
            "carer.zelfstandigen.4",
        ] {
            assert!(logins.contains(login), "{login}");
        }
        for p in &d.people {
            assert_eq!(p.password, "kluis-demo");
            let org = d
                .organisations
                .iter()
                .find(|o| o.id == p.person.org)
                .unwrap();
            assert!(p.person.role.allowed_in(org.kind), "{}", p.person.login);
        }
        for b in &d.buildings {
            let owner = d.organisations.iter().find(|o| o.id == b.owner).unwrap();
            assert_eq!(owner.kind, OrgKind::HousingCompany);
            assert!((8..=120).contains(&b.apartments));
        }
    }

    #[test]
    fn house_numbers_never_overlap_within_a_street() {
        let d = data(4);
        let mut by_street: BTreeMap<&str, Vec<&HouseNumbers>> = BTreeMap::new();
        for b in &d.buildings {
            by_street
                .entry(b.address.street.as_str())
                .or_default()
                .push(&b.address.numbers);
        }
        assert!(by_street.values().any(|v| v.len() >= 3));
        for ranges in by_street.values() {
            for (i, a) in ranges.iter().enumerate() {
                for b in &ranges[..i] {
                    assert!(a.last() < b.first() || b.last() < a.first());
                }
            }
        }
    }

    #[test]
    fn service_scopes_overlap_but_differ() {
        let d = data(5);
        let scope = |org: OrgId| -> BTreeSet<BuildingId> {
            d.activities
                .iter()
                .filter(|a| a.service == org)
                .map(|a| a.building)
                .collect()
        };
        let services: Vec<OrgId> = d
            .organisations
            .iter()
            .filter(|o| o.kind == OrgKind::CareService)
            .map(|o| o.id)
            .collect();
        let scopes: Vec<BTreeSet<BuildingId>> = services.iter().map(|&s| scope(s)).collect();
        let sizes: Vec<usize> = scopes.iter().map(BTreeSet::len).collect();
        assert!(
            sizes[0] >= 110 && sizes[1] >= 80 && sizes[2] >= 40 && sizes[4] >= 30,
            "{sizes:?}"
        );
        for (i, s) in scopes.iter().enumerate() {
            let unique = s.iter().filter(|b| {
                scopes
                    .iter()
                    .enumerate()
                    .all(|(j, o)| j == i || !o.contains(b))
            });
            assert!(
                unique.count() >= 1,
                "service {i} has no building of its own"
            );
        }
        assert!(!(scopes[0].is_disjoint(&scopes[1])));
        let served: BTreeSet<BuildingId> = scopes.iter().flatten().copied().collect();
        assert!(d.buildings.iter().any(|b| !served.contains(&b.id)));
        for b in &scopes[3] {
            let building = d.buildings.iter().find(|x| x.id == *b).unwrap();
            assert!(["Brugse Poort", "Rabot"].contains(&building.district.as_str()));
        }
    }

    #[test]
    fn deterministic_per_seed() {
        let (a, b, c) = (data(7), data(7), data(8));
        let summary = |d: &DemoData| {
            let codes: Vec<String> = d.codes.iter().map(|c| c.value.to_string()).collect();
            let addresses: Vec<String> = d.buildings.iter().map(|b| b.address.label()).collect();
            (codes, addresses, d.activities.clone())
        };
        assert_eq!(summary(&a), summary(&b));
        assert_ne!(summary(&a), summary(&c));
    }
}
