//! The carers' six months, drawn up front from the seed: where and when they visit, when their
//! phone syncs in the background, and when it has no network at all.
//!
//! Only the syncs whose result a visit reads are run: what the phone shows at a visit is what
//! the server held at the phone's last sync before it (Automerge converges to the server's
//! document whatever came between), so a sync followed by another sync before any visit
//! changes no figure and would only cost time.

use kluis_domain::rng::{RandomSource, SeededRandom};

use super::{Config, DAY, HOUR};
use crate::door_sim::world::World;

/// How a carer's phone keeps in touch.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Habit {
    /// The app opened several times a day; rarely without network for long.
    Regular,
    /// Now and then a day or three without network (no data plan, phone left at home).
    Patchy,
    /// Spells of several days offline: sometimes past the lease.
    Lapsed,
}

/// One thing a carer does, at `at` (ms since the simulation's start).
#[derive(Clone, Debug)]
pub enum CarerStep {
    /// A background sync whose result a visit will read.
    Sync,
    /// At the door of `safe` (index); `signal`: the phone has network there, so unlocking the
    /// app opens the event stream, whose `ready` starts a sync before the code is read.
    Visit { safe: usize, signal: bool },
}

pub struct CarerPlan {
    pub habit: Habit,
    pub steps: Vec<(i64, CarerStep)>,
    /// Background syncs drawn, whether run or not (for the report).
    pub syncs_drawn: usize,
}

/// Draws every carer's plan.
pub fn carers(cfg: &Config, world: &World, rng: &mut SeededRandom) -> Vec<CarerPlan> {
    (0..world.carers.len())
        .map(|c| carer(cfg, &world.service_safes[world.carer_service[c]], rng))
        .collect()
}

fn habit(cfg: &Config, rng: &mut SeededRandom) -> Habit {
    let roll = rng.below(100);
    if roll < cfg.lapsed_percent {
        Habit::Lapsed
    } else if roll < cfg.lapsed_percent + cfg.patchy_percent {
        Habit::Patchy
    } else {
        Habit::Regular
    }
}

/// A time of day between `from` and `to` hours (Belgian winter time is UTC+1; a visit at 6:59
/// or 7:01 makes no difference to what is measured).
fn time_of_day(rng: &mut SeededRandom, from: i64, to: i64) -> i64 {
    (from - 1) * HOUR + rng.below(((to - from) * HOUR) as u64) as i64
}

fn carer(cfg: &Config, served: &[usize], rng: &mut SeededRandom) -> CarerPlan {
    let habit = habit(cfg, rng);
    // A carer's clients live in a handful of the service's buildings.
    let clients: Vec<usize> = (0..3 + rng.below(6))
        .map(|_| served[rng.below(served.len() as u64) as usize])
        .collect();
    // (chance per day that a spell without network starts, its shortest and longest days)
    let (spell_per_mille, spell_min, spell_max) = match habit {
        Habit::Regular => (5, 1, 1),
        Habit::Patchy => (80, 1, 3),
        Habit::Lapsed => (60, 3, 6),
    };
    let mut offline: Vec<(i64, i64)> = Vec::new();
    let mut raw: Vec<(i64, CarerStep)> = Vec::new();
    for day in 0..cfg.days {
        let start = day * DAY;
        if offline.last().is_none_or(|(_, end)| *end < start)
            && (rng.below(1000) as i64) < spell_per_mille
        {
            let from = start + time_of_day(rng, 7, 21);
            let days = spell_min + rng.below((spell_max - spell_min + 1) as u64) as i64;
            offline.push((from, from + days * DAY));
        }
        for _ in 0..1 + rng.below(cfg.syncs_per_day_max as u64) {
            raw.push((start + time_of_day(rng, 7, 22), CarerStep::Sync));
        }
        // Home care runs seven days a week; visits at buildings with a Kluis safe are a few.
        for _ in 0..rng.below(cfg.visits_per_day_max as u64 + 1) {
            let safe = clients[rng.below(clients.len() as u64) as usize];
            let signal = rng.below(100) < cfg.signal_at_door_percent;
            raw.push((
                start + time_of_day(rng, 7, 20),
                CarerStep::Visit { safe, signal },
            ));
        }
    }
    let cut_off = |t: i64| offline.iter().any(|(from, to)| *from <= t && t < *to);
    raw.retain_mut(|(t, step)| match step {
        CarerStep::Sync => !cut_off(*t),
        CarerStep::Visit { signal, .. } => {
            *signal &= !cut_off(*t);
            true
        }
    });
    raw.sort_by_key(|(t, _)| *t);
    let syncs_drawn = raw
        .iter()
        .filter(|(_, s)| matches!(s, CarerStep::Sync))
        .count();
    // Keep a background sync only when a visit comes before the next sync.
    let mut steps = Vec::with_capacity(raw.len());
    for i in 0..raw.len() {
        let keep = match &raw[i].1 {
            CarerStep::Visit { .. } => true,
            CarerStep::Sync => match raw.get(i + 1) {
                Some((_, CarerStep::Visit { signal, .. })) => !signal,
                _ => false,
            },
        };
        if keep {
            steps.push(raw[i].clone());
        }
    }
    CarerPlan {
        habit,
        steps,
        syncs_drawn,
    }
}
