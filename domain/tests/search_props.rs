//! Properties of the search box over random scopes: no result that does not match, and no
//! safe that its own address (or the start of it, while typing) fails to find.
#![allow(clippy::unwrap_used)]

use std::collections::{BTreeMap, BTreeSet};

use kluis_domain::address::{SearchQuery, normalize};
use kluis_domain::ids::{OrgId, SafeId, SafeModelId};
use kluis_domain::model::{HouseNumbers, SafeStatus};
use kluis_domain::schema::{SafeView, ScopeSettings, ScopeView};
use kluis_domain::search::SearchIndex;
use proptest::prelude::*;

const STREETS: [&str; 20] = [
    "Sleepstraat",
    "Kleine Sleepstraat",
    "Sint-Baafsplein",
    "Rue Bréderode",
    "Kortrijksesteenweg",
    "Brugse Steenweg",
    "Sint-Pietersnieuwstraat",
    "Nieuwstraat",
    "Stropkaai",
    "Frans de Mildreef",
    "Dendermondsesteenweg",
    "Edward Anseeleplein",
    "Rooigemlaan",
    "Wondelgemstraat",
    "Jan Palfijnstraat",
    "Émile Braunplein",
    "Vlaanderenstraat",
    "Meulestedesteenweg",
    "Ledebergplein",
    "Kikvorsstraat",
];
const POSTCODES: [&str; 4] = ["9000", "9030", "9040", "9050"];
const DISTRICTS: [&str; 5] = [
    "Binnenstad",
    "Ledeberg",
    "Sint-Amandsberg",
    "Rabot",
    "Muide",
];

/// (street, postcode, district, first, span, step)
type SafeSpec = (usize, usize, usize, u32, u32, u8);

fn safe_spec() -> impl Strategy<Value = SafeSpec> {
    (
        0..STREETS.len(),
        0..POSTCODES.len(),
        0..DISTRICTS.len(),
        1u32..200,
        0u32..8,
        1u8..=2,
    )
}

fn scope(specs: &[SafeSpec]) -> ScopeView {
    let mut safes = BTreeMap::new();
    for (i, &(street, postcode, district, first, span, step)) in specs.iter().enumerate() {
        let mut id = [0u8; 16];
        id[..8].copy_from_slice(&(i as u64).to_be_bytes());
        let last = first + span * u32::from(step);
        safes.insert(
            SafeId::from_bytes(id),
            SafeView {
                street: STREETS[street].into(),
                numbers: HouseNumbers::range(first, last, step).unwrap(),
                postcode: POSTCODES[postcode].into(),
                city: "Gent".into(),
                district: DISTRICTS[district].into(),
                apartments: 10,
                placement: String::new(),
                model: SafeModelId::from_bytes([2; 16]),
                status: SafeStatus::Active,
                code: None,
                previous_code: None,
                new_code: None,
            },
        );
    }
    ScopeView {
        service: OrgId::from_bytes([1; 16]),
        service_name: "i-mens".into(),
        settings: ScopeSettings::default(),
        models: BTreeMap::new(),
        safes,
    }
}

/// The documented matching rule, written the simplest way: every word (or a form the user
/// may have been typing) occurs somewhere in the address, and the range serves the number.
fn reference_match(input: &str, safe: &SafeView) -> bool {
    let q = SearchQuery::parse(input);
    let compact = |s: &str| normalize(s).replace(' ', "");
    let fields = [
        compact(&safe.street),
        compact(&safe.postcode),
        compact(&safe.city),
        compact(&safe.district),
    ];
    let box_suffix = |w: &str| w == "bt" || "bus".starts_with(w) || w.chars().count() == 1;
    let forms = |w: &str| {
        let mut f = vec![w.to_owned()];
        if w == "st" {
            f.push("sint".into());
        }
        if let Some(stem) = w.strip_suffix("straat") {
            f.push(format!("{stem}str"));
        }
        f
    };
    let words_ok = q
        .words
        .iter()
        .filter(|w| q.number.is_none() || !box_suffix(w))
        .all(|w| {
            forms(w)
                .iter()
                .any(|f| fields.iter().any(|x| x.contains(f.as_str())))
        });
    words_ok && q.number.is_none_or(|n| safe.numbers.contains(n))
}

fn query() -> impl Strategy<Value = String> {
    prop_oneof![
        // The start of a real street, maybe with a number, as typed.
        (
            0..STREETS.len(),
            1usize..25,
            proptest::option::of(1u32..220)
        )
            .prop_map(|(s, len, n)| {
                let prefix: String = STREETS[s].chars().take(len).collect();
                match n {
                    Some(n) => format!("{prefix} {n}"),
                    None => prefix,
                }
            }),
        "[a-zé.-]{0,6}( [a-z]{0,5})?( [0-9]{1,4})?( b| bus [0-9])?",
        (0..POSTCODES.len(), 0..DISTRICTS.len())
            .prop_map(|(p, d)| format!("{} {}", POSTCODES[p], DISTRICTS[d])),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn every_result_matches_and_order_is_best_first(
        specs in prop::collection::vec(safe_spec(), 0..60),
        input in query(),
        limit in 1usize..80,
    ) {
        let view = scope(&specs);
        let hits = SearchIndex::build(&view).search(&input, limit);
        prop_assert!(hits.len() <= limit);
        let ids: BTreeSet<SafeId> = hits.iter().map(|h| h.safe).collect();
        prop_assert_eq!(ids.len(), hits.len(), "a safe listed twice");
        for h in &hits {
            prop_assert!(reference_match(&input, &view.safes[&h.safe]), "{input:?}");
            prop_assert!((1..=3).contains(&h.score));
        }
        prop_assert!(hits.windows(2).all(|w| w[0].score >= w[1].score));
        // The limit only cuts the tail.
        let all = SearchIndex::build(&view).search(&input, usize::MAX);
        prop_assert_eq!(&all[..hits.len()], &hits[..]);
    }

    #[test]
    fn a_safe_is_found_by_its_street_and_any_number_it_serves(
        specs in prop::collection::vec(safe_spec(), 1..60),
        pick in 0u32..1000,
    ) {
        let view = scope(&specs);
        let index = SearchIndex::build(&view);
        for (id, safe) in &view.safes {
            let n = &safe.numbers;
            let count = (n.last() - n.first()) / u32::from(n.step()) + 1;
            let number = n.first() + (pick % count) * u32::from(n.step());
            let input = format!("{} {number}", safe.street);
            let hits = index.search(&input, usize::MAX);
            prop_assert!(hits.iter().any(|h| h.safe == *id), "{input:?} misses {id}");
        }
    }

    #[test]
    fn every_start_of_a_street_name_finds_its_safes(
        specs in prop::collection::vec(safe_spec(), 1..30),
    ) {
        let view = scope(&specs);
        let index = SearchIndex::build(&view);
        for (id, safe) in &view.safes {
            let chars: Vec<char> = safe.street.chars().collect();
            for len in 1..=chars.len() {
                let typed: String = chars[..len].iter().collect();
                if normalize(&typed).replace(' ', "").chars().count() < 2 {
                    continue;
                }
                let hits = index.search(&typed, usize::MAX);
                prop_assert!(hits.iter().any(|h| h.safe == *id), "{typed:?} misses {id}");
            }
        }
    }
}
