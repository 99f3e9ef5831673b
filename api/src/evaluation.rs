//! The yearly evaluation of the agreement (brief, rule 10): how many safes and apartments,
//! which services and carers use them, how fast requests, code changes, reports and repairs
//! were handled. The server sends numbers; the app words them and draws the charts.
//!
//! Every figure is counted over a period of Ghent calendar days, both ends included. Moments
//! are the server's: when it received an event or made a change, never a phone's clock. The
//! deadlines are the domain's (`kluis_domain::due::DueRules` on the working-day calendar with
//! the coordinator's closing days), so the evaluation and the due list cannot disagree on
//! what "on time" means.

use kluis_domain::ids::OrgId;
use kluis_domain::model::DoorProblem;
use kluis_domain::time::Date;
use serde::{Deserialize, Serialize};

/// The most days one evaluation covers, both ends counted: two years, one of them a leap year.
pub const MAX_SPAN_DAYS: i64 = 731;

/// The query of `GET /api/admin/evaluation` and `GET /api/admin/evaluation/export`: Ghent
/// calendar days, both ends included. A year is 1 January to 31 December.
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvaluationQuery {
    pub from: Date,
    pub to: Date,
}

impl EvaluationQuery {
    /// 1 January to 31 December of `year`.
    pub fn year(year: i32) -> Self {
        EvaluationQuery {
            from: Date {
                year,
                month: 1,
                day: 1,
            },
            to: Date {
                year,
                month: 12,
                day: 31,
            },
        }
    }

    /// The query string (without `?`) the server reads back as this query.
    pub fn to_query(&self) -> String {
        serde_urlencoded::to_string(self).unwrap_or_default()
    }

    /// Why the server refuses this period (400), if it does: `from` after `to`, or longer
    /// than [`MAX_SPAN_DAYS`].
    pub fn check(&self) -> Result<(), &'static str> {
        if self.from > self.to {
            return Err("`from` is after `to`");
        }
        if self.from.days_until(self.to) >= MAX_SPAN_DAYS {
            return Err("a period is at most two years");
        }
        Ok(())
    }

    /// The first day of every calendar month the period touches, in order.
    pub fn months(&self) -> Vec<Date> {
        let mut out = Vec::new();
        let (mut year, mut month) = (self.from.year, self.from.month);
        while (year, month) <= (self.to.year, self.to.month) {
            out.push(Date {
                year,
                month,
                day: 1,
            });
            (year, month) = if month == 12 {
                (year + 1, 1)
            } else {
                (year, month + 1)
            };
        }
        out
    }
}

/// One month of a series.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthCount {
    /// The first day of the calendar month (also when the period starts later in it).
    pub month: Date,
    pub count: u32,
}

/// Deadlines that fell in the period and how they were met.
/// `total == on_time + late + pending`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deadlines {
    pub total: u32,
    /// The new code was on the safe (as the server learned it) on or before the deadline.
    pub on_time: u32,
    /// Done after the deadline, or the deadline passed without it.
    pub late: u32,
    /// Not done yet and the deadline has not passed (a period reaching past today).
    pub pending: u32,
}

impl Deadlines {
    /// Percentage on time of the deadlines decided (`on_time + late`), 0-100; none when none
    /// is decided yet. Pending ones are left out: they may still be met.
    pub fn on_time_percent(&self) -> Option<f64> {
        let decided = self.on_time + self.late;
        (decided > 0).then(|| f64::from(self.on_time) * 100.0 / f64::from(decided))
    }
}

/// How many calendar days something took: the middle and the slow end.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DaySpread {
    /// How many were measured.
    pub count: u32,
    /// Nearest rank: the fewest days within which at least half were done. None when
    /// nothing was measured.
    pub median: Option<u32>,
    /// Nearest rank: the fewest days within which at least 90% were done.
    pub p90: Option<u32>,
}

impl DaySpread {
    /// The spread of `days` (any order). Nearest rank keeps the answer a whole number of
    /// days that really occurred.
    pub fn of(mut days: Vec<u32>) -> Self {
        days.sort_unstable();
        let rank = |percent: usize| -> Option<u32> {
            let n = days.len();
            (n > 0).then(|| days[(n * percent).div_ceil(100).max(1) - 1])
        };
        DaySpread {
            count: u32::try_from(days.len()).unwrap_or(u32::MAX),
            median: rank(50),
            p90: rank(90),
        }
    }
}

/// The safes on the wall: installed, active or defect, not removed.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SafeFigures {
    /// On the wall at the start of `from`: installed before it, not removed before it.
    pub at_start: u32,
    /// On the wall at the end of `to`: installed on or before it (`installed_on`, the day the
    /// housing company gave) and not removed by then (the server's time of the edit that made
    /// it "removed"; a removed safe without that edit in the trail counts as never hanging).
    pub at_end: u32,
    /// `at_end - at_start`; negative when more were removed than installed.
    pub growth: i64,
    /// Apartments of the buildings with a safe on the wall at the end of `to` (the
    /// apartments as the registry holds them today).
    pub apartments_at_end: u32,
    /// Safes on the wall at the end of each month (the last at the end of `to`, for a month
    /// the period ends in), for a line chart.
    pub by_month: Vec<MonthCount>,
}

/// Requests for new safes (rules 8, 9), by the server's time of each step.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestFigures {
    /// Asked for in the period.
    pub made: u32,
    /// Approved in the period (also when installed since).
    pub approved: u32,
    /// Declined in the period.
    pub declined: u32,
    /// Registered installed by the housing company in the period.
    pub installed: u32,
    /// Of the requests installed in the period: Ghent calendar days from the request to the
    /// company's registration of the installation.
    pub days_to_install: DaySpread,
}

/// Code changes against the agreement's deadlines (rules 2, 3, 4).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeFigures {
    /// Six-monthly rotations due in the period (rule 3): for every code that was on a
    /// hanging safe, its rotation is due 6 months after it was set, and again every 6 months
    /// for as long as it stays. On time when the next code came on or before that day; a
    /// code left a year counts two late rotations. A code replaced early (a leak, an urgent
    /// change) counts as on time and its successor starts a new count. Safes that never had a
    /// Kluis code are counted under `first_codes`, not here.
    pub rotations: Deadlines,
    /// Safes installed in the period (`installed_on`): their first Kluis code within 5
    /// working days of the installation (rule 2).
    pub first_codes: Deadlines,
    /// Leaks reported in the period (the coordinator's "gelekt", a report from the door
    /// handled as a leak, a revoked person's seen codes): a new code within 5 working days of
    /// the report (rule 4). Reports of the same safe before its new code are one leak.
    pub leaks: Deadlines,
}

/// Door reports of one kind.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Copy, Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProblemCount {
    pub problem: DoorProblem,
    pub count: u32,
}

/// Reports from the door (rule 6) the server received in the period.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportFigures {
    pub total: u32,
    /// Every kind, in `DoorProblem::ALL` order, zeros included.
    pub by_problem: Vec<ProblemCount>,
    /// Of those, dealt with by the coordinator by now (any outcome).
    pub handled: u32,
}

/// Repair orders to the housing companies (broken safe, missing key).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RepairFigures {
    /// Orders opened in the period.
    pub opened: u32,
    /// Orders the company (or the coordinator) closed as done in the period.
    pub done: u32,
    /// Of the orders done in the period: Ghent calendar days from the order to its closing.
    pub days_to_fix: DaySpread,
}

/// One home-care service's "Toon code" per month.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceReveals {
    pub service_id: OrgId,
    pub service: String,
    pub total: u32,
    /// Every month of the period, zeros included.
    pub months: Vec<MonthCount>,
}

/// `GET /api/admin/evaluation`: the figures of one period (coordinator only).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evaluation {
    pub from: Date,
    pub to: Date,
    /// The server's today: what happens after it is not known yet, so a period reaching past
    /// it has `pending` deadlines and its last months are as of today.
    pub today: Date,
    pub safes: SafeFigures,
    /// Home-care services registered active at at least one building whose safe hung
    /// during the period, or whose people opened a code in it.
    pub services_active: u32,
    /// People who opened ("Toon code") at least one code in the period, by the server's
    /// receive time of the reveal.
    pub carers_active: u32,
    /// Carers with an account at the end of the period (created by then, not revoked by then).
    pub carer_accounts: u32,
    pub requests: RequestFigures,
    pub codes: CodeFigures,
    pub reports: ReportFigures,
    pub repairs: RepairFigures,
    /// Reveals per service and month, the services by name; services without a reveal in the
    /// period are left out.
    pub reveals: Vec<ServiceReveals>,
}

/// `GET /api/admin/evaluation/export`: the same figures as a spreadsheet file.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvaluationExport {
    /// "kluis-evaluatie-2026-01-01-2026-12-31.csv".
    pub file_name: String,
    /// One figure a line (`;`, UTF-8 with BOM, CRLF, formulas defused), for Belgian Excel.
    pub csv: String,
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn day(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn a_period_reads_back_and_is_checked() {
        let q = EvaluationQuery::year(2026);
        assert_eq!(q.to_query(), "from=2026-01-01&to=2026-12-31");
        let back: EvaluationQuery = serde_urlencoded::from_str(&q.to_query()).unwrap();
        assert_eq!(back, q);
        assert_eq!(q.check(), Ok(()));
        assert_eq!(q.months().len(), 12);
        let two_years = EvaluationQuery {
            from: day("2025-01-01"),
            to: day("2026-12-31"),
        };
        assert_eq!(two_years.check(), Ok(()));
        assert_eq!(two_years.months().len(), 24);
        let backwards = EvaluationQuery {
            from: day("2026-02-01"),
            to: day("2026-01-31"),
        };
        assert!(backwards.check().is_err());
        let leap_pair = EvaluationQuery {
            from: day("2028-01-01"),
            to: day("2029-12-31"),
        };
        assert_eq!(leap_pair.check(), Ok(()));
        let too_long = EvaluationQuery {
            from: day("2027-12-31"),
            to: day("2029-12-31"),
        };
        assert!(too_long.check().is_err());
        let one_day = EvaluationQuery {
            from: day("2026-03-31"),
            to: day("2026-03-31"),
        };
        assert_eq!(one_day.months(), vec![day("2026-03-01")]);
    }

    #[test]
    fn the_spread_is_the_nearest_rank() {
        assert_eq!(DaySpread::of(Vec::new()), DaySpread::default());
        let s = DaySpread::of(vec![30, 5, 12, 9, 14]);
        assert_eq!((s.count, s.median, s.p90), (5, Some(12), Some(30)));
        let s = DaySpread::of((1..=10).collect());
        assert_eq!((s.median, s.p90), (Some(5), Some(9)));
        assert_eq!(DaySpread::of(vec![7]).p90, Some(7));
    }

    #[test]
    fn the_share_on_time_leaves_pending_out() {
        let d = Deadlines {
            total: 5,
            on_time: 3,
            late: 1,
            pending: 1,
        };
        assert_eq!(d.on_time_percent(), Some(75.0));
        assert_eq!(Deadlines::default().on_time_percent(), None);
    }
}
