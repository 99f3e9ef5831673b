//! The yearly evaluation on screen: where to ask for it, the numbers of its drawings (bars
//! per month, the line of safes over time) and the sentences a council member reads.

use kluis_api::evaluation::{Deadlines, Evaluation, EvaluationQuery, MonthCount, ServiceReveals};
use kluis_api::import::day_text;
use kluis_domain::time::Date;

use crate::state::i18n::{Count, EvalKey, EvalMsg, Lang, say, t};

pub fn evaluation_path(query: &EvaluationQuery) -> String {
    format!("{}?{}", kluis_api::paths::EVALUATION, query.to_query())
}

pub fn evaluation_export_path(query: &EvaluationQuery) -> String {
    format!("{}?{}", kluis_api::paths::EVALUATION_CSV, query.to_query())
}

/// The heading: "Jaarverslag 2026" for a calendar year, else the period.
pub fn heading(lang: Lang, query: &EvaluationQuery) -> String {
    if *query == EvaluationQuery::year(query.from.year) {
        say(
            lang,
            EvalMsg::Heading {
                year: &query.from.year.to_string(),
            },
        )
    } else {
        say(
            lang,
            EvalMsg::PeriodHeading {
                from: &day_text(query.from),
                to: &day_text(query.to),
            },
        )
    }
}

/// A month's short name, with the year when the period spans more than one.
pub fn month_label(lang: Lang, month: Date, with_year: bool) -> String {
    const KEYS: [EvalKey; 12] = [
        EvalKey::Jan,
        EvalKey::Feb,
        EvalKey::Mar,
        EvalKey::Apr,
        EvalKey::May,
        EvalKey::Jun,
        EvalKey::Jul,
        EvalKey::Aug,
        EvalKey::Sep,
        EvalKey::Oct,
        EvalKey::Nov,
        EvalKey::Dec,
    ];
    let name = t(lang, KEYS[usize::from(month.month.clamp(1, 12)) - 1]);
    if with_year {
        format!("{name} {}", month.year % 100)
    } else {
        name.to_string()
    }
}

/// The top of a chart's scale: the smallest 1, 2, 2.5 or 5 times a power of ten at or above
/// `max`, so the axis says a round number and the line does not hug the floor.
pub fn nice_ceiling(max: u32) -> u32 {
    let mut step = 1u64;
    loop {
        for tenths in [10u64, 20, 25, 50] {
            let top = step * tenths;
            if top.is_multiple_of(10) && top / 10 >= u64::from(max.max(1)) {
                return u32::try_from(top / 10).unwrap_or(u32::MAX);
            }
        }
        step *= 10;
    }
}

/// One bar of a chart, in the chart's own units (y grows downwards, as in SVG).
#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    pub month: Date,
    pub count: u32,
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
}

/// Bars for `series` in a `width` × `height` plot, with the scale's top.
pub fn month_bars(series: &[MonthCount], width: f64, height: f64) -> (Vec<Bar>, u32) {
    let top = nice_ceiling(series.iter().map(|m| m.count).max().unwrap_or(0));
    let slot = width / series.len().max(1) as f64;
    let bars = series
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let h = height * f64::from(m.count) / f64::from(top);
            Bar {
                month: m.month,
                count: m.count,
                x: slot * i as f64 + slot * 0.15,
                y: height - h,
                width: slot * 0.7,
                height: h,
            }
        })
        .collect();
    (bars, top)
}

/// The points of a line through `series` (one per month, at the middle of its slot), with
/// the scale's top.
pub fn line_points(series: &[MonthCount], width: f64, height: f64) -> (Vec<(f64, f64)>, u32) {
    let top = nice_ceiling(series.iter().map(|m| m.count).max().unwrap_or(0));
    let slot = width / series.len().max(1) as f64;
    let points = series
        .iter()
        .enumerate()
        .map(|(i, m)| {
            (
                slot * (i as f64 + 0.5),
                height - height * f64::from(m.count) / f64::from(top),
            )
        })
        .collect();
    (points, top)
}

/// The reveals of all services together, per month of the period.
pub fn reveals_per_month(query: &EvaluationQuery, reveals: &[ServiceReveals]) -> Vec<MonthCount> {
    query
        .months()
        .into_iter()
        .map(|month| MonthCount {
            month,
            count: reveals
                .iter()
                .flat_map(|s| s.months.iter())
                .filter(|m| m.month == month)
                .map(|m| m.count)
                .sum(),
        })
        .collect()
}

/// "12 van 16 op tijd (75%)", and what is still running; "niet gemeten" when nothing was
/// due.
pub fn deadline_words(lang: Lang, d: &Deadlines) -> String {
    let decided = d.on_time + d.late;
    let mut words = match d.on_time_percent() {
        Some(p) => say(
            lang,
            EvalMsg::Deadline {
                on_time: d.on_time.into(),
                decided: decided.into(),
                percent: Count::from(p.round() as u64),
            },
        ),
        None => t(lang, EvalKey::NotMeasured).to_string(),
    };
    if d.pending > 0 {
        words.push_str(" · ");
        words.push_str(&say(
            lang,
            EvalMsg::DeadlinePending {
                n: d.pending.into(),
            },
        ));
    }
    words
}

/// The sentences on top of the report, in the order a reader wants them.
pub fn summary(lang: Lang, e: &Evaluation) -> Vec<String> {
    let s = &e.safes;
    let mut out = vec![say(
        lang,
        EvalMsg::SafesAtEnd {
            n: s.at_end.into(),
            date: &day_text(e.to.min(e.today)),
        },
    )];
    out.push(match s.growth {
        g if g > 0 => say(lang, EvalMsg::Grew { n: g.into() }),
        g if g < 0 => say(lang, EvalMsg::Shrank { n: (-g).into() }),
        _ => say(
            lang,
            EvalMsg::Same {
                n: s.at_start.into(),
            },
        ),
    });
    out.push(say(
        lang,
        EvalMsg::Apartments {
            n: s.apartments_at_end.into(),
        },
    ));
    out.push(say(
        lang,
        EvalMsg::Services {
            n: e.services_active.into(),
        },
    ));
    out.push(say(
        lang,
        EvalMsg::Carers {
            n: e.carers_active.into(),
            accounts: e.carer_accounts.into(),
        },
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn month(m: u8, count: u32) -> MonthCount {
        MonthCount {
            month: Date {
                year: 2026,
                month: m,
                day: 1,
            },
            count,
        }
    }

    #[test]
    fn the_scale_ends_on_a_round_number() {
        assert_eq!(nice_ceiling(0), 1);
        assert_eq!(nice_ceiling(1), 1);
        assert_eq!(nice_ceiling(3), 5);
        assert_eq!(nice_ceiling(7), 10);
        assert_eq!(nice_ceiling(11), 20);
        assert_eq!(nice_ceiling(187), 200);
        assert_eq!(nice_ceiling(201), 250);
        assert_eq!(nice_ceiling(251), 500);
        assert_eq!(nice_ceiling(u32::MAX), u32::MAX);
    }

    #[test]
    fn bars_stand_on_the_base_and_the_tallest_reaches_the_scale() {
        let (bars, top) = month_bars(&[month(1, 5), month(2, 10), month(3, 0)], 300.0, 100.0);
        assert_eq!(top, 10);
        assert_eq!(bars.len(), 3);
        assert!((bars[1].height - 100.0).abs() < 1e-9);
        assert!((bars[0].height - 50.0).abs() < 1e-9);
        assert!((bars[0].y + bars[0].height - 100.0).abs() < 1e-9);
        assert_eq!(bars[2].height, 0.0);
        assert!(bars[0].x + bars[0].width < bars[1].x, "bars do not touch");
        let (points, top) = line_points(&[month(1, 150), month(2, 187)], 200.0, 100.0);
        assert_eq!(top, 200);
        assert_eq!(points[0], (50.0, 25.0));
    }

    #[test]
    fn reveals_add_up_over_services_and_deadlines_say_their_share() {
        let q = EvaluationQuery::year(2026);
        let service = |n| ServiceReveals {
            service_id: kluis_domain::ids::OrgId::random(
                &mut kluis_domain::rng::SeededRandom::new(7),
            ),
            service: "Dienst".into(),
            total: n,
            months: vec![month(3, n)],
        };
        let totals = reveals_per_month(&q, &[service(2), service(5)]);
        assert_eq!(totals.len(), 12);
        assert_eq!(totals[2].count, 7);
        assert_eq!(totals[0].count, 0);
        let d = Deadlines {
            total: 17,
            on_time: 12,
            late: 4,
            pending: 1,
        };
        assert_eq!(
            deadline_words(Lang::Nl, &d),
            "12 van 16 op tijd (75%) · 1 termijn loopt nog"
        );
        assert_eq!(
            deadline_words(Lang::Nl, &Deadlines::default()),
            "niet gemeten"
        );
        assert_eq!(
            heading(Lang::Nl, &EvaluationQuery::year(2026)),
            "Jaarverslag 2026"
        );
    }
}
