//! What happened at each door, counted: the code the phone showed against the code the safe
//! really opens with, and for every door that did not open, why.

use std::collections::BTreeMap;
use std::fmt::Write;

use kluis_domain::freshness::{FreshnessState, freshness};
use kluis_domain::ids::SafeId;
use kluis_domain::safe_model::ButtonSet;
use kluis_domain::schema::ScopeView;
use kluis_domain::shown::{Shown, shown_codes};
use kluis_domain::time::Timestamp;

use super::plan::Habit;

/// A code the volunteer punched into a safe, and when the server heard of it.
#[derive(Clone, Debug)]
pub struct Change {
    pub at: i64,
    pub heard: Option<i64>,
}

/// Why a phone that showed codes showed none that opens the safe.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Cause {
    /// The volunteer set the new code, but their phone had not synced the record yet, so
    /// the server (and every phone) still had the old code as current.
    RecordNotOnServer,
    /// The phone synced after the safe was changed, but before the volunteer's late record
    /// reached the server.
    SyncedBeforeRecordArrived,
    /// The server had the new code, but the carer's phone had not synced since (still
    /// within the lease, so it showed its old code).
    PhoneNotSyncedSinceChange,
    /// None of the above: a bug in the simulation or in the server.
    Unexplained,
}

impl Cause {
    pub fn words(self) -> &'static str {
        match self {
            Cause::RecordNotOnServer => "code changed, volunteer's record not yet on the server",
            Cause::SyncedBeforeRecordArrived => {
                "phone synced after the change, before the late record reached the server"
            }
            Cause::PhoneNotSyncedSinceChange => {
                "server had the new code, phone not synced since (within the lease)"
            }
            Cause::Unexplained => "unexplained",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Outcome {
    First,
    Previous,
    /// With the campaign's new code, shown below the current one: the safe was changed
    /// before the phone heard of it.
    New,
    Neither(Cause),
    /// Past the lease: the app showed no code.
    Withheld,
    /// The phone's scope holds the safe without a code.
    NoCode,
    /// The safe is not in the phone's scope (or the phone never synced).
    NotInScope,
}

/// What a phone knows at a visit.
pub struct Phone<'a> {
    pub view: Option<&'a ScopeView>,
    pub last_sync: Option<i64>,
    pub online: bool,
}

/// Decides what the app shows at the door of `safe` and whether it opens `physical`.
pub fn visit(
    phone: &Phone<'_>,
    safe: SafeId,
    physical: &ButtonSet,
    last_change: Option<&Change>,
    t0: Timestamp,
    at: i64,
) -> Outcome {
    let Some(view) = phone.view else {
        return Outcome::NotInScope;
    };
    let Some(seen) = view.safes.get(&safe) else {
        return Outcome::NotInScope;
    };
    let fresh = freshness(
        t0.plus_millis(at),
        phone.last_sync.map(|s| t0.plus_millis(s)),
        phone.online,
        view.settings.lease_hours,
    );
    match shown_codes(seen, fresh.state) {
        Shown::Withheld => Outcome::Withheld,
        Shown::NoCode => Outcome::NoCode,
        Shown::Codes { first, .. } if first.value == *physical => Outcome::First,
        Shown::Codes {
            previous: Some(p), ..
        } if p.value == *physical => Outcome::Previous,
        Shown::Codes { new: Some(n), .. } if n.value == *physical => Outcome::New,
        Shown::Codes { .. } => {
            debug_assert_ne!(fresh.state, FreshnessState::Expired);
            Outcome::Neither(cause(last_change, phone.last_sync, at))
        }
    }
}

fn cause(change: Option<&Change>, last_sync: Option<i64>, at: i64) -> Cause {
    let (Some(change), Some(synced)) = (change, last_sync) else {
        return Cause::Unexplained;
    };
    match change.heard {
        None => Cause::RecordNotOnServer,
        Some(heard) if heard > at => Cause::RecordNotOnServer,
        Some(heard) if heard > synced && synced >= change.at => Cause::SyncedBeforeRecordArrived,
        Some(heard) if heard > synced => Cause::PhoneNotSyncedSinceChange,
        Some(_) => Cause::Unexplained,
    }
}

/// Which outcomes a row of the table counts.
type Pick = dyn Fn(&Outcome) -> bool;

/// The counts of a run.
#[derive(Default)]
pub struct Tally {
    pub outcomes: BTreeMap<Outcome, u64>,
    pub by_habit: BTreeMap<(&'static str, bool), u64>,
    /// The first few unexplained cases, for the report.
    pub unexplained: Vec<String>,
    pub syncs_run: u64,
    pub syncs_drawn: u64,
    pub sync_errors: u64,
    pub codes_set: u64,
    pub changes_failed: u64,
    pub records_late_hours: u64,
    pub records_late_days: u64,
    pub maintenance_passes: u64,
    /// Wall-clock time spent, for the report only (no figure depends on it).
    pub sync_secs: f64,
    pub maintenance_secs: f64,
}

impl Tally {
    pub fn add(&mut self, outcome: Outcome, habit: Habit) {
        *self.outcomes.entry(outcome).or_default() += 1;
        let name = match habit {
            Habit::Regular => "regular",
            Habit::Patchy => "patchy",
            Habit::Lapsed => "lapsed",
        };
        *self
            .by_habit
            .entry((name, outcome == Outcome::Withheld))
            .or_default() += 1;
    }

    pub fn visits(&self) -> u64 {
        self.outcomes.values().sum()
    }

    pub fn count(&self, pick: impl Fn(&Outcome) -> bool) -> u64 {
        self.outcomes
            .iter()
            .filter(|(o, _)| pick(o))
            .map(|(_, n)| n)
            .sum()
    }

    pub fn percent(&self, pick: impl Fn(&Outcome) -> bool) -> f64 {
        100.0 * self.count(pick) as f64 / self.visits().max(1) as f64
    }

    /// The table the report prints.
    pub fn table(&self) -> String {
        let mut out = String::new();
        let n = self.visits();
        let _ = writeln!(out, "visits                      {n:>9}");
        let rows: [(&str, &Pick); 7] = [
            ("opened with the first code", &|o| *o == Outcome::First),
            ("opened with the previous", &|o| *o == Outcome::Previous),
            ("opened with the new code", &|o| *o == Outcome::New),
            ("neither (codes shown)", &|o| {
                matches!(o, Outcome::Neither(_))
            }),
            ("withheld (past the lease)", &|o| *o == Outcome::Withheld),
            ("no code in the scope", &|o| *o == Outcome::NoCode),
            ("safe not in the scope", &|o| *o == Outcome::NotInScope),
        ];
        for (name, pick) in rows {
            let _ = writeln!(
                out,
                "{name:<27} {:>9} {:>8.3} %",
                self.count(pick),
                self.percent(pick)
            );
        }
        let _ = writeln!(out, "neither, by cause:");
        for (outcome, count) in &self.outcomes {
            if let Outcome::Neither(cause) = outcome {
                let _ = writeln!(out, "  {count:>7}  {}", cause.words());
            }
        }
        let _ = writeln!(out, "visits by phone habit (withheld / all):");
        for habit in ["regular", "patchy", "lapsed"] {
            let withheld = self.by_habit.get(&(habit, true)).copied().unwrap_or(0);
            let other = self.by_habit.get(&(habit, false)).copied().unwrap_or(0);
            let _ = writeln!(out, "  {habit:<8} {withheld:>7} / {:>8}", withheld + other);
        }
        let _ = writeln!(
            out,
            "codes set {}, changes failed {}, records synced hours late {}, days late {}",
            self.codes_set, self.changes_failed, self.records_late_hours, self.records_late_days
        );
        let _ = writeln!(
            out,
            "carer syncs run {} (of {} drawn in the background, plus those at the door), \
             sync errors {}, maintenance passes {}",
            self.syncs_run, self.syncs_drawn, self.sync_errors, self.maintenance_passes
        );
        let _ = writeln!(
            out,
            "time in carer syncs {:.1} s, in maintenance {:.1} s",
            self.sync_secs, self.maintenance_secs
        );
        for case in &self.unexplained {
            let _ = writeln!(out, "unexplained: {case}");
        }
        out
    }
}
