//! Randomness as a parameter.
//!
//! The domain never reaches for OS randomness itself: the apps wrap `getrandom` in a
//! [`RandomSource`] and pass it in, tests and simulations pass a [`SeededRandom`]. That keeps
//! the crate free of IO and every test reproducible.

/// A source of random bytes. Implementations for real use must be cryptographically secure,
/// because codes and ids are drawn from it.
pub trait RandomSource {
    /// Fills `buf` completely with random bytes.
    fn fill_bytes(&mut self, buf: &mut [u8]);

    /// A uniformly random `u64`.
    fn next_u64(&mut self) -> u64 {
        let mut bytes = [0u8; 8];
        self.fill_bytes(&mut bytes);
        u64::from_le_bytes(bytes)
    }

    /// A uniformly random value in `0..n`; returns 0 when `n == 0` so callers need no special
    /// case for empty ranges.
    fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            return 0;
        }
        // Rejecting the lowest `2^64 mod n` values leaves a range whose size is a multiple of
        // `n`, so the remainder is exactly uniform (a plain `% n` would favour small values).
        let threshold = n.wrapping_neg() % n;
        loop {
            let x = self.next_u64();
            if x >= threshold {
                return x % n;
            }
        }
    }
}

/// Shuffles `v` uniformly (Fisher-Yates). A free function because a generic method would make
/// [`RandomSource`] unusable as `dyn`.
pub fn shuffle<T>(rng: &mut dyn RandomSource, v: &mut [T]) {
    for i in (1..v.len()).rev() {
        let j = usize::try_from(rng.below(i as u64 + 1)).unwrap_or(i);
        v.swap(i, j);
    }
}

/// A small deterministic generator (xoshiro256**, seeded through SplitMix64).
///
/// **Not for secrets**: anyone who knows or guesses the seed can predict every output. Use it
/// for tests, simulations and reproducible demo data only.
#[derive(Debug, Clone)]
pub struct SeededRandom {
    s: [u64; 4],
}

impl SeededRandom {
    /// A generator whose whole output is determined by `seed`.
    pub fn new(seed: u64) -> Self {
        let mut sm = seed;
        let mut next = || {
            sm = sm.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = sm;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        };
        // SplitMix64 never yields four zero words in a row, so the xoshiro state is valid.
        SeededRandom {
            s: [next(), next(), next(), next()],
        }
    }

    fn step(&mut self) -> u64 {
        let result = self.s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = self.s[1] << 17;
        self.s[2] ^= self.s[0];
        self.s[3] ^= self.s[1];
        self.s[1] ^= self.s[2];
        self.s[0] ^= self.s[3];
        self.s[2] ^= t;
        self.s[3] = self.s[3].rotate_left(45);
        result
    }
}

impl RandomSource for SeededRandom {
    fn fill_bytes(&mut self, buf: &mut [u8]) {
        for chunk in buf.chunks_mut(8) {
            let bytes = self.step().to_le_bytes();
            chunk.copy_from_slice(&bytes[..chunk.len()]);
        }
    }

    fn next_u64(&mut self) -> u64 {
        self.step()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_per_seed() {
        let mut a = SeededRandom::new(42);
        let mut b = SeededRandom::new(42);
        let mut c = SeededRandom::new(43);
        let xa: Vec<u64> = (0..8).map(|_| a.next_u64()).collect();
        let xb: Vec<u64> = (0..8).map(|_| b.next_u64()).collect();
        let xc: Vec<u64> = (0..8).map(|_| c.next_u64()).collect();
        assert_eq!(xa, xb);
        assert_ne!(xa, xc);
    }

    #[test]
    fn below_stays_in_range_and_covers_it() {
        let mut rng = SeededRandom::new(1);
        assert_eq!(rng.below(0), 0);
        assert_eq!(rng.below(1), 0);
        let mut seen = [0u32; 7];
        for _ in 0..7000 {
            let x = rng.below(7);
            assert!(x < 7);
            seen[x as usize] += 1;
        }
        // Each bucket expects 1000; a fair generator stays well inside this band.
        assert!(seen.iter().all(|&c| (850..1150).contains(&c)), "{seen:?}");
    }

    #[test]
    fn fill_bytes_handles_partial_chunks() {
        let mut rng = SeededRandom::new(3);
        let mut buf = [0u8; 13];
        rng.fill_bytes(&mut buf);
        assert!(buf.iter().any(|&b| b != 0));
    }

    #[test]
    fn shuffle_is_a_permutation() {
        let mut rng = SeededRandom::new(9);
        let mut v: Vec<u32> = (0..50).collect();
        shuffle(&mut rng, &mut v);
        assert_ne!(v, (0..50).collect::<Vec<_>>());
        v.sort_unstable();
        assert_eq!(v, (0..50).collect::<Vec<_>>());
    }
}
