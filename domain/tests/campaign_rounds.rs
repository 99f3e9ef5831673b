//! Rounds: whole streets, district by district, in route order.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;

use kluis_domain::campaign::{CampaignSafe, split_into_rounds};
use kluis_domain::ids::{SafeId, SafeModelId};

fn safe(i: u8, district: &str, street: &str, number: u32) -> CampaignSafe {
    CampaignSafe {
        safe: SafeId::from_bytes([i; 16]),
        model: SafeModelId::from_bytes([1; 16]),
        current: None,
        history: Vec::new(),
        street: street.into(),
        numbers_first: number,
        district: district.into(),
    }
}

fn streets_of(safes: &[CampaignSafe]) -> BTreeMap<SafeId, (String, String)> {
    safes
        .iter()
        .map(|s| (s.safe, (s.district.clone(), s.street.clone())))
        .collect()
}

#[test]
fn campaign_rounds_keep_streets_together_and_in_order() {
    let safes = vec![
        safe(1, "Muide", "Sleepstraat", 40),
        safe(2, "Brugse Poort", "Bevrijdingslaan", 3),
        safe(3, "Muide", "Sleepstr.", 12),
        safe(4, "Muide", "Kikvorsstraat", 8),
        safe(5, "Brugse Poort", "Bevrijdingslaan", 1),
        safe(6, "Muide", "Sleepstraat", 2),
        safe(7, "Muide", "Kikvorsstraat", 1),
        safe(8, "Brugse Poort", "Phoenixstraat", 5),
    ];
    let rounds = split_into_rounds(&safes, 3);
    let ids: Vec<Vec<u8>> = rounds
        .iter()
        .map(|r| r.safes.iter().map(|s| s.as_bytes()[0]).collect())
        .collect();
    // Brugse Poort first; "Sleepstr." sorts with "Sleepstraat" and by house number.
    assert_eq!(ids, vec![vec![5, 2, 8], vec![7, 4], vec![6, 3, 1]]);
    assert_eq!(
        rounds.iter().map(|r| r.index).collect::<Vec<_>>(),
        vec![1, 2, 3]
    );
    assert_eq!(rounds[0].district, "Brugse Poort");
}

#[test]
fn campaign_rounds_split_only_streets_longer_than_a_round() {
    let mut safes: Vec<CampaignSafe> = (0..7)
        .map(|i| safe(i, "Wijk", "Lange straat", u32::from(i)))
        .collect();
    safes.push(safe(20, "Wijk", "Zijstraat", 1));
    safes.push(safe(21, "Wijk", "Zijstraat", 3));
    let rounds = split_into_rounds(&safes, 3);
    let sizes: Vec<usize> = rounds.iter().map(|r| r.safes.len()).collect();
    // 7 safes in one street: 3 + 3 + 1; the 2 of Zijstraat fit with the last one.
    assert_eq!(sizes, vec![3, 3, 3]);
    let streets = streets_of(&safes);
    for pair in rounds.windows(2) {
        let last = &streets[pair[0].safes.last().unwrap()];
        let first = &streets[pair[1].safes.first().unwrap()];
        if last == first {
            assert_eq!(last.1, "Lange straat", "only the long street is split");
        }
    }
}

#[test]
fn campaign_rounds_never_split_a_short_street_and_respect_the_limit() {
    let mut safes = Vec::new();
    let mut i = 0u8;
    for (street, n) in [("A", 2), ("B", 3), ("C", 1), ("D", 4), ("E", 2)] {
        for k in 0..n {
            safes.push(safe(i, "Wijk", street, k));
            i += 1;
        }
    }
    let rounds = split_into_rounds(&safes, 4);
    let streets = streets_of(&safes);
    let mut round_of: BTreeMap<String, u32> = BTreeMap::new();
    for r in &rounds {
        assert!(r.safes.len() <= 4);
        for s in &r.safes {
            let street = streets[s].1.clone();
            assert_eq!(*round_of.entry(street).or_insert(r.index), r.index);
        }
    }
    assert_eq!(rounds.iter().map(|r| r.safes.len()).sum::<usize>(), 12);
    assert!(split_into_rounds(&[], 5).is_empty());
    assert_eq!(split_into_rounds(&safes, 0).len(), 12, "0 counts as 1");
}
