//! Splitting a wave into rounds a volunteer can walk or cycle in one go.

use super::CampaignSafe;
use crate::ids::SafeId;

/// A volunteer's round: safes in one district, whole streets, in route order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Round {
    /// 1 for the first round.
    pub index: u32,
    /// The district, as entered on the first safe of the round.
    pub district: String,
    /// The safes in the order to visit them.
    pub safes: Vec<SafeId>,
}

/// Splits `safes` (e.g. those of one wave) into rounds of at most `max_per_round` safes
/// (0 counts as 1), ordered by district, street (normalized, so spelling variants sort
/// together) and house number.
///
/// A street is never split over two rounds unless it alone has more than `max_per_round`
/// safes: a volunteer who is in the street anyway should do all of it. A round never spans two
/// districts either, because volunteers take rounds near where they live.
pub fn split_into_rounds<'a>(
    safes: impl IntoIterator<Item = &'a CampaignSafe>,
    max_per_round: usize,
) -> Vec<Round> {
    let max = max_per_round.max(1);
    let mut sorted: Vec<(_, &CampaignSafe)> =
        safes.into_iter().map(|s| (s.route_key(), s)).collect();
    sorted.sort_by(|a, b| a.0.cmp(&b.0));

    // Streets as runs of equal (district, street) keys.
    let mut streets: Vec<Vec<&CampaignSafe>> = Vec::new();
    let mut last_key: Option<(&str, &str)> = None;
    for (key, safe) in &sorted {
        let this = (key.0.as_str(), key.1.as_str());
        match streets.last_mut() {
            Some(street) if last_key == Some(this) => street.push(safe),
            _ => streets.push(vec![safe]),
        }
        last_key = Some(this);
    }

    let mut rounds: Vec<Round> = Vec::new();
    let mut open: Option<(String, Round)> = None;
    for street in streets {
        let Some(first) = street.first() else {
            continue;
        };
        let district = crate::address::normalize(&first.district);
        // Start a new round at a district change, or when the whole street would not fit.
        if let Some((d, round)) = open.take() {
            if d == district && round.safes.len() + street.len() <= max {
                open = Some((d, round));
            } else {
                close(round, &mut rounds);
            }
        }
        for chunk in street.chunks(max) {
            let (d, mut round) = match open.take() {
                Some(o) if o.1.safes.len() + chunk.len() <= max => o,
                Some((_, full)) => {
                    close(full, &mut rounds);
                    (district.clone(), new_round(first))
                }
                None => (district.clone(), new_round(first)),
            };
            round.safes.extend(chunk.iter().map(|s| s.safe));
            open = Some((d, round));
        }
    }
    if let Some((_, round)) = open {
        close(round, &mut rounds);
    }
    for (i, round) in rounds.iter_mut().enumerate() {
        round.index = u32::try_from(i + 1).unwrap_or(u32::MAX);
    }
    rounds
}

fn close(round: Round, rounds: &mut Vec<Round>) {
    if !round.safes.is_empty() {
        rounds.push(round);
    }
}

fn new_round(first: &CampaignSafe) -> Round {
    Round {
        index: 0,
        district: first.district.clone(),
        safes: Vec::new(),
    }
}
