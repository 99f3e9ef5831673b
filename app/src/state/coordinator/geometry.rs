//! Numbers for the drawings: segments of a stacked progress bar and how full a code space is.

use super::{CampaignDetail, ModelSpace};

/// Above this share of usable codes in use, the code space is shown as a warning: a
/// campaign then needs more waves (new and old codes must both fit).
pub const SPACE_WARNING_PERCENT: u64 = 80;

/// Which part of a bar.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    Done,
    Failed,
    Open,
    Waiting,
}

impl Part {
    pub fn class(self) -> &'static str {
        match self {
            Part::Done => "seg-done",
            Part::Failed => "seg-failed",
            Part::Open => "seg-open",
            Part::Waiting => "seg-waiting",
        }
    }
}

/// One rectangle of a stacked bar, in the bar's own units (0..width).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Segment {
    pub part: Part,
    pub count: u32,
    pub x: f64,
    pub width: f64,
}

/// Splits `width` over the non-empty `parts` in proportion to their counts. The segments
/// touch and the last ends exactly at `width`; an all-zero bar has no segments.
pub fn stacked_bar(parts: &[(Part, u32)], width: f64) -> Vec<Segment> {
    let total: u64 = parts.iter().map(|(_, n)| u64::from(*n)).sum();
    if total == 0 || width <= 0.0 {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut seen = 0u64;
    for (part, count) in parts.iter().copied().filter(|(_, n)| *n > 0) {
        // Cumulative edges, so rounding never opens a gap or overshoots.
        #[allow(clippy::cast_precision_loss)]
        let start = width * seen as f64 / total as f64;
        seen += u64::from(count);
        #[allow(clippy::cast_precision_loss)]
        let end = width * seen as f64 / total as f64;
        out.push(Segment {
            part,
            count,
            x: start,
            width: end - start,
        });
    }
    out
}

/// A round's or wave's bar: done, failed, open.
pub fn progress_parts(done: u32, failed: u32, open: u32) -> [(Part, u32); 3] {
    [
        (Part::Done, done),
        (Part::Failed, failed),
        (Part::Open, open),
    ]
}

/// Whole-campaign totals (rounds only hold the safes of waves already started; the rest
/// wait for a later wave).
pub fn campaign_parts(detail: &CampaignDetail) -> [(Part, u32); 4] {
    let c = &detail.campaign;
    [
        (Part::Done, c.done),
        (Part::Failed, c.failed),
        (Part::Open, c.open),
        (Part::Waiting, c.waiting),
    ]
}

/// Share of the usable codes in use, in whole percent (rounded down; 100 when full).
pub fn usage_percent(space: &ModelSpace) -> u64 {
    if space.usable == 0 {
        return 100;
    }
    (space.in_use.saturating_mul(100) / space.usable).min(100)
}

pub fn space_is_tight(space: &ModelSpace) -> bool {
    usage_percent(space) >= SPACE_WARNING_PERCENT
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_fill_the_bar_exactly() {
        let segments = stacked_bar(&progress_parts(7, 1, 3), 600.0);
        assert_eq!(segments.len(), 3);
        let sum: f64 = segments.iter().map(|s| s.width).sum();
        assert!((sum - 600.0).abs() < 1e-9);
        assert_eq!(segments[0].x, 0.0);
        for pair in segments.windows(2) {
            assert!(
                (pair[0].x + pair[0].width - pair[1].x).abs() < 1e-9,
                "no gaps"
            );
        }
        let last = segments[2];
        assert!((last.x + last.width - 600.0).abs() < 1e-9);
        assert!((segments[0].width - 600.0 * 7.0 / 11.0).abs() < 1e-9);
    }

    #[test]
    fn empty_parts_draw_nothing() {
        assert!(stacked_bar(&progress_parts(0, 0, 0), 600.0).is_empty());
        let only_open = stacked_bar(&progress_parts(0, 0, 4), 100.0);
        assert_eq!(only_open.len(), 1);
        assert_eq!(only_open[0].part, Part::Open);
        assert!((only_open[0].width - 100.0).abs() < 1e-9);
    }

    #[test]
    fn usage_warns_from_eighty_percent() {
        let space = |in_use, usable| ModelSpace {
            model_id: kluis_domain::ids::SafeModelId::from_bytes([3; 16]),
            model: "Supra KeySafe Pro".into(),
            safes: 40,
            in_use,
            quarantined: 0,
            usable,
            remaining: usable.saturating_sub(in_use),
        };
        assert_eq!(usage_percent(&space(312, 420)), 74);
        assert!(!space_is_tight(&space(312, 420)));
        assert!(space_is_tight(&space(336, 420)));
        assert_eq!(usage_percent(&space(5, 0)), 100);
        assert_eq!(usage_percent(&space(500, 420)), 100);
    }
}
