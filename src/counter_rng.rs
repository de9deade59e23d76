//! A counter-based generator: output `i` of `SplitMix64` (Steele, Lea and
//! Flood 2014, as in Vigna's reference code and `rand_xoshiro`) from a key,
//! in one step rather than `i` steps.
//!
//! The simulation's element bootstrap draws from it: each pick takes the
//! output at an index fixed by its district, its component's first column
//! and its rank among the component's rated elements, so a district is
//! drawn again (a replay for exact arithmetic) from the draw's key alone,
//! with no generator state saved per district, and eight picks' bits come at
//! once in SIMD lanes (`simd::bootstrap_in_lanes`), the same bits.

/// `SplitMix64`'s increment (2^64 over the golden ratio).
pub(crate) const GAMMA: u64 = 0x9e37_79b9_7f4a_7c15;
/// The two multipliers of `SplitMix64`'s output mix.
pub(crate) const MIX: [u64; 2] = [0xbf58_476d_1ce4_e5b9, 0x94d0_49bb_1331_11eb];

/// Output `index` (0 for the first) of `SplitMix64` seeded with `key`.
#[inline]
#[must_use]
pub(crate) fn word(key: u64, index: u64) -> u64 {
    let mut z = key.wrapping_add(index.wrapping_add(1).wrapping_mul(GAMMA));
    z = (z ^ (z >> 30)).wrapping_mul(MIX[0]);
    z = (z ^ (z >> 27)).wrapping_mul(MIX[1]);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use rand::{Rng as _, SeedableRng};
    use rand_xoshiro::SplitMix64;

    use super::word;

    #[test]
    fn a_word_is_splitmix64s_output_at_that_index() {
        for key in [0, 1, 42, u64::MAX, 0x9e37_79b9_7f4a_7c15, 1 << 63] {
            let mut reference = SplitMix64::seed_from_u64(key);
            for i in 0..100_000u64 {
                assert_eq!(word(key, i), reference.next_u64(), "key {key}, index {i}");
            }
        }
    }
}
