//! `usable_at_distance_2` really is the largest family of codes pairwise at least 2 apart.
//!
//! Codes at distance 1 differ in size by one, so the "too close" graph is bipartite between
//! even and odd sizes; by König's theorem its largest independent set is the number of codes
//! minus a maximum matching, computed here by brute force for every small model.
#![allow(clippy::unwrap_used)]

use kluis_domain::ids::SafeModelId;
use kluis_domain::safe_model::{ButtonSet, ModelKind, SafeModel};

fn augment(u: usize, adj: &[Vec<usize>], seen: &mut [bool], owner: &mut [Option<usize>]) -> bool {
    for &v in &adj[u] {
        if !seen[v] {
            seen[v] = true;
            if owner[v].is_none_or(|w| augment(w, adj, seen, owner)) {
                owner[v] = Some(u);
                return true;
            }
        }
    }
    false
}

fn largest_family(n: usize, min: usize, max: usize, factory: Option<u32>) -> u64 {
    let ok = |m: u32| (min..=max).contains(&(m.count_ones() as usize)) && Some(m) != factory;
    let codes: Vec<u32> = (0..1u32 << n).filter(|&m| ok(m)).collect();
    let even: Vec<u32> = codes
        .iter()
        .copied()
        .filter(|m| m.count_ones() % 2 == 0)
        .collect();
    let odd: Vec<u32> = codes
        .iter()
        .copied()
        .filter(|m| m.count_ones() % 2 == 1)
        .collect();
    let adj: Vec<Vec<usize>> = even
        .iter()
        .map(|&e| {
            (0..odd.len())
                .filter(|&j| (e ^ odd[j]).count_ones() == 1)
                .collect()
        })
        .collect();
    let mut owner = vec![None; odd.len()];
    let matching = (0..even.len())
        .filter(|&u| augment(u, &adj, &mut vec![false; odd.len()], &mut owner))
        .count();
    (codes.len() - matching) as u64
}

#[test]
fn formula_matches_brute_force_up_to_six_buttons() {
    let labels: Vec<char> = "123456".chars().collect();
    for n in 1..=6 {
        for min in 1..=n {
            for max in min..=n {
                for fd_len in [None, Some(min), Some(max)] {
                    let factory = fd_len.map(|k| (1u32 << k) - 1);
                    let model = SafeModel {
                        id: SafeModelId::from_bytes([0; 16]),
                        name: "T".into(),
                        kind: ModelKind::PushButton {
                            buttons: labels[..n].to_vec(),
                            min_len: min as u8,
                            max_len: max as u8,
                        },
                        factory_default: fd_len
                            .map(|k| ButtonSet::from_buttons(labels[..k].iter().copied()).unwrap()),
                    };
                    assert_eq!(
                        model.usable_at_distance_2(),
                        largest_family(n, min, max, factory),
                        "n={n} lengths {min}-{max} factory {fd_len:?}"
                    );
                }
            }
        }
    }
}
