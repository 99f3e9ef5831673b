//! Secure code generation.
//!
//! A new code is drawn uniformly at random from every code that is still allowed, never
//! first-fit, so codes say nothing about each other (rule 1 of the brief: no 1234 here and 1235
//! there). The whole code space of a model (at most 2^16 button sets) is enumerated and
//! filtered; that is cheap and makes "uniform among all valid candidates" exact.
//!
//! **Parity classes.** Codes must differ in at least 2 buttons. Two distinct codes of the same
//! size, or of sizes two apart, always do; codes whose sizes differ by one can be a single
//! button apart. Mixing sizes of both parities therefore wastes space: a 5-button code blocks
//! ten 4- and 6-button codes. Drawing from both parities at random gets stuck after about 210
//! codes on a Supra (simulated: 203-243), short of Ghent's ~220 safes, while one parity class
//! holds 408 codes that are pairwise at least 2 apart. So each draw takes its candidates
//! from one parity class only: the class with the most remaining candidates (on an empty
//! registry the larger class, e.g. 4- and 6-button codes on a Supra). Within one class every
//! candidate is at least 2 away from every other, so generation can fill the whole class (see
//! [`SafeModel::usable_at_distance_2`]), and it adapts when imported codes sit in the other
//! class. The cost is about one bit of guessing entropy (an attacker may learn the parity), which
//! is negligible next to the hundreds of codes left.

mod bulk;

use crate::error::DomainError;
use crate::rng::RandomSource;
use crate::safe_model::{ButtonSet, SafeModel};
use bulk::Drawer;

/// Rules for new codes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CodeRules {
    /// Least number of buttons a new code must differ in from every code in use. Values below
    /// 1 are treated as 1: a code is never handed out twice.
    pub min_distance: usize,
    /// How many of the safe's most recent codes must not come back.
    pub history_to_avoid: usize,
}

impl Default for CodeRules {
    fn default() -> Self {
        CodeRules {
            min_distance: 2,
            history_to_avoid: 10,
        }
    }
}

/// How full a model's code space is, for the coordinator to see trouble coming.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CodeSpaceUsage {
    /// Codes currently in use (the length of the list passed in).
    pub in_use: usize,
    /// The most codes that can be in use at once under the default rules: the larger parity
    /// class of valid codes, without the factory default and arithmetic runs.
    pub usable: u64,
    /// How many candidates the next draw chooses from under the default rules. These are all
    /// at least 2 apart, so at least this many more codes can be generated.
    pub remaining_candidates: u64,
}

/// Whether every button is a digit and the digits are consecutive values, like {1,2,3,4},
/// {0,1,2,3} or {5,6,7,8,9}. 0 counts as zero, not ten. Single buttons are not runs.
pub fn is_arithmetic_run(code: &ButtonSet) -> bool {
    let digits: Option<Vec<u32>> = code.buttons().iter().map(|c| c.to_digit(10)).collect();
    match digits {
        Some(mut d) if d.len() >= 2 => {
            d.sort_unstable();
            d.windows(2).all(|w| w[1] == w[0] + 1)
        }
        _ => false,
    }
}

/// One model's code space and the codes already taken, as bitmasks over the model's buttons.
struct Space<'a> {
    model: &'a SafeModel,
    /// Codes that pass `check_code` and are no run, split by size parity (even, odd).
    classes: [Vec<u16>; 2],
    /// Codes in use: mask of the buttons on this model, plus the number of buttons that are
    /// not (a code of another model still counts for the distance).
    in_use: Vec<(u16, u32)>,
}

impl<'a> Space<'a> {
    fn new(model: &'a SafeModel, in_use: &[ButtonSet]) -> Result<Self, DomainError> {
        model.validate()?;
        let labels = model.buttons();
        let range = model.length_range();
        let factory = model
            .factory_default
            .as_ref()
            .and_then(|f| f.as_mask(model));
        let mut classes = [Vec::new(), Vec::new()];
        // validate() caps the buttons at 16, so the shift cannot overflow a u32.
        for mask in 0..(1u32 << labels.len()) {
            let Ok(mask) = u16::try_from(mask) else { break };
            let len = mask.count_ones() as usize;
            if !range.contains(&len) || Some(mask) == factory {
                continue;
            }
            if !is_arithmetic_run(&ButtonSet::from_mask(mask, labels)) {
                classes[len % 2].push(mask);
            }
        }
        let mut space = Space {
            model,
            classes,
            in_use: Vec::with_capacity(in_use.len()),
        };
        in_use.iter().for_each(|c| space.add_in_use(c));
        Ok(space)
    }

    fn add_in_use(&mut self, code: &ButtonSet) {
        let labels = self.model.buttons();
        let mut mask = 0u16;
        let mut foreign = 0u32;
        for c in code.buttons() {
            match labels.iter().position(|l| l == c) {
                Some(i) if i < 16 => mask |= 1 << i,
                _ => foreign += 1,
            }
        }
        self.in_use.push((mask, foreign));
    }

    fn usable(&self) -> u64 {
        self.classes
            .iter()
            .map(|c| c.len() as u64)
            .max()
            .unwrap_or(0)
    }

    /// Candidates of each class that keep `min_distance` to all codes in use and avoid `history`.
    fn candidates(&self, min_distance: usize, history: &[u16]) -> [Vec<u16>; 2] {
        let min = u32::try_from(min_distance.max(1)).unwrap_or(u32::MAX);
        if min <= 2 {
            return self.candidates_near(min, history);
        }
        let allowed = |cand: u16| {
            !history.contains(&cand)
                && self
                    .in_use
                    .iter()
                    .all(|&(m, foreign)| (m ^ cand).count_ones() + foreign >= min)
        };
        self.classes
            .clone()
            .map(|class| class.into_iter().filter(|&c| allowed(c)).collect())
    }

    /// The same answer for `min <= 2`, in time linear in the codes in use instead of in
    /// candidates times codes in use (5,000 safes on a 16-button keypad: 183 million
    /// comparisons otherwise): a code blocks itself and, at distance 2, every code one button
    /// away from it.
    fn candidates_near(&self, min: u32, history: &[u16]) -> [Vec<u16>; 2] {
        let mut blocked = self.blocked_near(min);
        for &h in history {
            blocked[usize::from(h)] = true;
        }
        self.classes.clone().map(|class| {
            class
                .into_iter()
                .filter(|&c| !blocked[usize::from(c)])
                .collect()
        })
    }

    /// Every mask the codes in use rule out at distance `min` (1 or 2), indexed by mask.
    fn blocked_near(&self, min: u32) -> Vec<bool> {
        let buttons = self.model.buttons().len().min(16);
        let mut blocked = vec![false; 1 << 16];
        for &(m, foreign) in &self.in_use {
            if foreign >= min {
                continue;
            }
            blocked[usize::from(m)] = true;
            if min == 2 && foreign == 0 {
                for i in 0..buttons {
                    blocked[usize::from(m ^ (1 << i))] = true;
                }
            }
        }
        blocked
    }

    /// The class to draw from: most remaining candidates, ties to the larger class, then even.
    fn chosen(&self, candidates: [Vec<u16>; 2]) -> Vec<u16> {
        let [even, odd] = candidates;
        let key = |v: &Vec<u16>, class: usize| (v.len(), self.classes[class].len());
        if key(&odd, 1) > key(&even, 0) {
            odd
        } else {
            even
        }
    }

    fn draw(
        &mut self,
        rules: &CodeRules,
        history: &[u16],
        rng: &mut dyn RandomSource,
    ) -> Result<ButtonSet, DomainError> {
        let pool = self.chosen(self.candidates(rules.min_distance, history));
        let index = usize::try_from(rng.below(pool.len() as u64)).unwrap_or(0);
        let Some(&mask) = pool.get(index) else {
            return Err(DomainError::CodeSpaceExhausted {
                model: self.model.name.clone(),
                in_use: self.in_use.len(),
                usable: usize::try_from(self.usable()).unwrap_or(usize::MAX),
            });
        };
        let code = ButtonSet::from_mask(mask, self.model.buttons());
        self.add_in_use(&code);
        Ok(code)
    }
}

/// Draws a new code for a safe of `model`, uniformly at random among all allowed codes of the
/// parity class chosen as described in the module docs.
///
/// A code is allowed when `model.check_code` accepts it, it is no arithmetic run, it differs in
/// at least `rules.min_distance` buttons from every code in `in_use` (codes of every safe that
/// are current or pending, the caller decides), and it is not among the last
/// `rules.history_to_avoid` entries of `safe_history` (ordered oldest first).
pub fn generate_code(
    model: &SafeModel,
    in_use: &[ButtonSet],
    safe_history: &[ButtonSet],
    rules: &CodeRules,
    rng: &mut dyn RandomSource,
) -> Result<ButtonSet, DomainError> {
    let mut space = Space::new(model, in_use)?;
    let recent = &safe_history[safe_history.len().saturating_sub(rules.history_to_avoid)..];
    let history: Vec<u16> = recent.iter().filter_map(|c| c.as_mask(model)).collect();
    space.draw(rules, &history, rng)
}

/// Generates `count` codes one after another, each treated as in use for the next (for seeding
/// many safes at once). Fails as a whole if the space runs out.
pub fn generate_codes_for(
    model: &SafeModel,
    count: usize,
    existing_in_use: &[ButtonSet],
    rules: &CodeRules,
    rng: &mut dyn RandomSource,
) -> Result<Vec<ButtonSet>, DomainError> {
    let mut space = Space::new(model, existing_in_use)?;
    let min = u32::try_from(rules.min_distance.max(1)).unwrap_or(u32::MAX);
    if min <= 2 {
        let mut drawer = Drawer::new(&mut space, min);
        return (0..count).map(|_| drawer.draw(rng)).collect();
    }
    (0..count).map(|_| space.draw(rules, &[], rng)).collect()
}

/// How full `model`'s code space is with `in_use` taken, under the default rules. An invalid
/// model has no usable codes.
pub fn code_space_usage(model: &SafeModel, in_use: &[ButtonSet]) -> CodeSpaceUsage {
    let Ok(space) = Space::new(model, in_use) else {
        return CodeSpaceUsage {
            in_use: in_use.len(),
            usable: 0,
            remaining_candidates: 0,
        };
    };
    let pool = space.chosen(space.candidates(CodeRules::default().min_distance, &[]));
    CodeSpaceUsage {
        in_use: in_use.len(),
        usable: space.usable(),
        remaining_candidates: pool.len() as u64,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::ids::SafeModelId;
    use crate::rng::SeededRandom;
    use crate::safe_model::{ModelKind, supra_keysafe_pro};

    /// A Supra and a 12-button keypad with codes of 3 to 6 buttons: the two shapes of space
    /// the generator's tests draw from.
    pub(crate) fn test_models() -> [SafeModel; 2] {
        let keypad = SafeModel {
            id: SafeModelId::from_bytes([2; 16]),
            name: "Keypad 12".into(),
            kind: ModelKind::PushButton {
                buttons: "123456789ABC".chars().collect(),
                min_len: 3,
                max_len: 6,
            },
            factory_default: None,
        };
        [supra_keysafe_pro(SafeModelId::from_bytes([1; 16])), keypad]
    }

    /// The linear-time filter must give exactly what the plain scan gives, also for codes
    /// that use buttons the model does not have.
    #[test]
    fn fast_filter_agrees_with_the_plain_scan() {
        for model in test_models() {
            let labels: Vec<char> = model.buttons().iter().copied().chain(['X', 'Y']).collect();
            let mut rng = SeededRandom::new(7);
            for round in 0..40 {
                let mut in_use = Vec::new();
                for _ in 0..(round * 3) {
                    let mut pool = labels.clone();
                    crate::rng::shuffle(&mut rng, &mut pool);
                    let len = 3 + rng.below(4) as usize;
                    in_use.push(ButtonSet::from_buttons(pool.into_iter().take(len)).unwrap());
                }
                let space = Space::new(&model, &in_use).unwrap();
                let history: Vec<u16> = space.classes[0].iter().take(3).copied().collect();
                for min in [1u32, 2] {
                    let scan = {
                        let allowed = |cand: u16| {
                            !history.contains(&cand)
                                && space
                                    .in_use
                                    .iter()
                                    .all(|&(m, f)| (m ^ cand).count_ones() + f >= min)
                        };
                        space
                            .classes
                            .clone()
                            .map(|c| c.into_iter().filter(|&x| allowed(x)).collect::<Vec<_>>())
                    };
                    assert_eq!(space.candidates_near(min, &history), scan, "min {min}");
                }
            }
        }
    }
}
