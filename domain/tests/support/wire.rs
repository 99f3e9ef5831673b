//! Automerge sync messages written byte by byte, for tests that need ones Automerge itself
//! would never write (hostile Bloom filters). Shared by the domain's limit tests and fuzz
//! harness and by the server's attack tests.

#![allow(dead_code)]

/// Appends `v` as unsigned LEB128.
pub fn uleb(out: &mut Vec<u8>, mut v: u64) {
    loop {
        let b = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(b);
            return;
        }
        out.push(b | 0x80);
    }
}

/// A version 1 message with no heads or needs, the given Bloom filters (entries, bits per
/// entry, probes, bytes of bits, all set) and no changes.
pub fn with_filters(filters: &[(u64, u64, u64, usize)]) -> Vec<u8> {
    let mut m = vec![0x42, 0, 0];
    uleb(&mut m, filters.len() as u64);
    for &(entries, bits, probes, bit_bytes) in filters {
        m.push(0); // no last_sync hashes
        let mut bloom = Vec::new();
        uleb(&mut bloom, entries);
        uleb(&mut bloom, bits);
        uleb(&mut bloom, probes);
        bloom.extend(std::iter::repeat_n(0xff, bit_bytes));
        uleb(&mut m, bloom.len() as u64);
        m.extend(bloom);
    }
    m.push(0); // no changes
    m
}
