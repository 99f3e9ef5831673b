//! Many codes drawn from one space at once (a campaign's first wave), each draw in time
//! logarithmic in the space instead of a filter of all of it.

use super::Space;
use crate::error::DomainError;
use crate::rng::RandomSource;
use crate::safe_model::ButtonSet;

/// Counts over positions, with prefix sums and "the k-th one" in logarithmic time.
struct Fenwick(Vec<u32>);

impl Fenwick {
    /// A tree over `ones.len()` positions, each counting 1 or 0.
    fn new(ones: impl ExactSizeIterator<Item = bool>) -> Fenwick {
        let mut tree = vec![0u32; ones.len() + 1];
        for (i, one) in ones.enumerate() {
            tree[i + 1] += u32::from(one);
            let parent = (i + 1) + ((i + 1) & (i + 1).wrapping_neg());
            if parent < tree.len() {
                tree[parent] += tree[i + 1];
            }
        }
        Fenwick(tree)
    }

    fn remove(&mut self, pos: usize) {
        let mut i = pos + 1;
        while i < self.0.len() {
            self.0[i] -= 1;
            i += i & i.wrapping_neg();
        }
    }

    fn total(&self) -> u32 {
        let mut i = self.0.len() - 1;
        let mut sum = 0;
        while i > 0 {
            sum += self.0[i];
            i &= i - 1;
        }
        sum
    }

    /// The position of the `k`-th (from 0) position that counts 1; `k` below the total.
    fn kth(&self, mut k: u32) -> usize {
        let mut pos = 0;
        let mut step = (self.0.len() - 1)
            .checked_ilog2()
            .map_or(0, |b| 1usize << b);
        while step > 0 {
            let next = pos + step;
            if next < self.0.len() && self.0[next] <= k {
                k -= self.0[next];
                pos = next;
            }
            step >>= 1;
        }
        pos
    }
}

/// Many draws from one space at distance 1 or 2 (a whole campaign's codes): the candidates
/// left are kept, per parity class, in a tree of counts that each drawn code updates, instead
/// of filtering the whole space again for every draw (5,000 draws took half a second).
/// Draws exactly what repeated [`Space::draw`] with no history draws from the same `rng`.
pub(super) struct Drawer<'s, 'a> {
    space: &'s mut Space<'a>,
    min: u32,
    blocked: Vec<bool>,
    /// A mask's position in its parity class plus 1; 0 when it is in no class.
    slot: Vec<u32>,
    left: [Fenwick; 2],
}

impl<'s, 'a> Drawer<'s, 'a> {
    pub(super) fn new(space: &'s mut Space<'a>, min: u32) -> Drawer<'s, 'a> {
        let blocked = space.blocked_near(min);
        let mut slot = vec![0u32; 1 << 16];
        for class in &space.classes {
            for (i, &m) in class.iter().enumerate() {
                slot[usize::from(m)] = u32::try_from(i + 1).unwrap_or(u32::MAX);
            }
        }
        let left = [0, 1].map(|c| {
            Fenwick::new(
                space.classes[c]
                    .iter()
                    .map(|&m| !blocked[usize::from(m)])
                    .collect::<Vec<_>>()
                    .into_iter(),
            )
        });
        Drawer {
            space,
            min,
            blocked,
            slot,
            left,
        }
    }

    fn block(&mut self, mask: u16) {
        let m = usize::from(mask);
        if self.blocked[m] {
            return;
        }
        self.blocked[m] = true;
        if let Some(pos) = self.slot[m].checked_sub(1) {
            self.left[mask.count_ones() as usize % 2].remove(pos as usize);
        }
    }

    pub(super) fn draw(&mut self, rng: &mut dyn RandomSource) -> Result<ButtonSet, DomainError> {
        let counts = [self.left[0].total(), self.left[1].total()];
        // As `Space::chosen`: most remaining candidates, ties to the larger class, then even.
        let key = |class: usize| (counts[class], self.space.classes[class].len());
        let class = if key(1) > key(0) { 1 } else { 0 };
        let index = rng.below(u64::from(counts[class]));
        if counts[class] == 0 {
            return Err(DomainError::CodeSpaceExhausted {
                model: self.space.model.name.clone(),
                in_use: self.space.in_use.len(),
                usable: usize::try_from(self.space.usable()).unwrap_or(usize::MAX),
            });
        }
        let pos = self.left[class].kth(u32::try_from(index).unwrap_or(u32::MAX));
        let mask = self.space.classes[class][pos];
        let code = ButtonSet::from_mask(mask, self.space.model.buttons());
        self.space.add_in_use(&code);
        self.block(mask);
        if self.min == 2 {
            for i in 0..self.space.model.buttons().len().min(16) {
                self.block(mask ^ (1 << i));
            }
        }
        Ok(code)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::super::tests::test_models;
    use super::super::{CodeRules, generate_codes_for};
    use super::*;
    use crate::rng::SeededRandom;

    /// A campaign's many draws give exactly the codes that one draw after another gives, up
    /// to and including the space running out.
    #[test]
    fn many_draws_at_once_are_the_draws_one_by_one() {
        for model in test_models() {
            for min_distance in [1, 2] {
                let rules = CodeRules {
                    min_distance,
                    ..CodeRules::default()
                };
                let mut seed = SeededRandom::new(11);
                // Codes in use in both parity classes, and one with a button of another model.
                let mut in_use = generate_codes_for(&model, 30, &[], &rules, &mut seed).unwrap();
                in_use.push(ButtonSet::parse("13X").unwrap());
                in_use.push(ButtonSet::parse("12345").unwrap());
                let mut bulk_rng = SeededRandom::new(5);
                let mut one_rng = SeededRandom::new(5);
                let mut bulk = Space::new(&model, &in_use).unwrap();
                let mut one = Space::new(&model, &in_use).unwrap();
                let mut drawer = Drawer::new(&mut bulk, u32::try_from(min_distance).unwrap());
                let mut drawn = 0;
                loop {
                    let a = drawer.draw(&mut bulk_rng);
                    let b = one.draw(&rules, &[], &mut one_rng);
                    match (a, b) {
                        (Ok(a), Ok(b)) => assert_eq!(a.to_string(), b.to_string()),
                        (Err(a), Err(b)) => {
                            assert_eq!(a.to_string(), b.to_string());
                            break;
                        }
                        (a, b) => panic!("after {drawn}: {a:?} against {b:?}"),
                    }
                    drawn += 1;
                }
                assert!(drawn > 100, "{drawn} codes drawn");
            }
        }
    }
}
