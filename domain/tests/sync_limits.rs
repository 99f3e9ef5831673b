//! The bounds checked on a device's sync message before Automerge sees it: everything
//! automerge itself writes passes, the hostile filters and payloads that stopped the server are
//! refused, and no input makes the check panic.

#![allow(clippy::unwrap_used)]

use automerge::sync::{Message, State, SyncDoc};
use automerge::transaction::Transactable;
use automerge::{AutoCommit, ROOT};
use kluis_domain::DomainError;
use kluis_domain::sync::limits::{DEVICE_MESSAGE, check_message};
use proptest::prelude::*;

#[path = "support/wire.rs"]
mod wire;
use wire::{uleb, with_filters};

fn bounds(bytes: &[u8]) -> String {
    match check_message(bytes, &DEVICE_MESSAGE) {
        Err(DomainError::Bounds(why)) => why,
        other => panic!("expected a bounds error, got {other:?}"),
    }
}

/// Two peers syncing documents with `n` changes each way; every message either writes.
fn real_messages(n: usize) -> Vec<Vec<u8>> {
    let mut a = AutoCommit::new();
    let mut b = AutoCommit::new();
    for i in 0..n {
        a.put(ROOT, format!("a{i}"), i as i64).unwrap();
        a.commit();
        b.put(ROOT, format!("b{i}"), "x".repeat(i % 50)).unwrap();
        b.commit();
    }
    let (mut sa, mut sb) = (State::new(), State::new());
    let mut out = Vec::new();
    for _ in 0..10 {
        let ma = a.sync().generate_sync_message(&mut sa);
        let mb = b.sync().generate_sync_message(&mut sb);
        if ma.is_none() && mb.is_none() {
            break;
        }
        if let Some(mut m) = ma {
            // The Kluis server never advertises version 2, so peers stay on change lists.
            m.flags = None;
            out.push(m.clone().encode());
            b.sync().receive_sync_message(&mut sb, m).unwrap();
        }
        if let Some(mut m) = mb {
            m.flags = None;
            out.push(m.clone().encode());
            a.sync().receive_sync_message(&mut sa, m).unwrap();
        }
    }
    assert_eq!(a.get_heads(), b.get_heads(), "the peers converged");
    out
}

#[test]
fn what_automerge_writes_passes() {
    for n in [0, 1, 5, 60] {
        let messages = real_messages(n);
        assert!(!messages.is_empty());
        for m in &messages {
            let shape = check_message(m, &DEVICE_MESSAGE).unwrap();
            assert!(shape.probes <= 7);
            assert!(Message::decode(m).is_ok());
        }
    }
}

#[test]
fn the_three_filters_that_stopped_the_server_are_refused() {
    // 0 bits per entry: automerge divides by zero.
    let zero_bits = with_filters(&[(1, 0, 7, 0)]);
    assert!(bounds(&zero_bits).contains("0 bits per entry"));
    // 80 filters of 10 million probes: seconds of CPU.
    let many = with_filters(&[(1, 10, 10_000_000, 2); 80]);
    assert!(many.len() < 1_000);
    assert!(bounds(&many).contains("have"));
    let one_heavy = with_filters(&[(1, 10, 10_000_000, 2)]);
    assert!(bounds(&one_heavy).contains("10000000 probes"));
    // 2^32 - 1 probes: a 17 GB allocation.
    let huge = with_filters(&[(1, 10, u64::from(u32::MAX), 2)]);
    assert!(bounds(&huge).contains("probes"));
}

#[test]
fn filters_must_be_what_automerge_would_write() {
    assert!(check_message(&with_filters(&[(3, 10, 7, 4)]), &DEVICE_MESSAGE).is_ok());
    assert!(bounds(&with_filters(&[(3, 10, 7, 5)])).contains("4 expected"));
    assert!(bounds(&with_filters(&[(3, 10, 7, 3)])).contains("4 expected"));
    assert!(bounds(&with_filters(&[(0, 10, 7, 0)])).contains("0 entries"));
    assert!(bounds(&with_filters(&[(200_000, 10, 7, 250_000)])).contains("entries"));
    assert!(bounds(&with_filters(&[(1, 33, 7, 5)])).contains("bits per entry"));
    assert!(bounds(&with_filters(&[(1, 10, 0, 2)])).contains("0 probes"));
}

#[test]
fn version_two_and_compressed_or_whole_document_payloads_are_refused() {
    let mut v2 = with_filters(&[]);
    v2[0] = 0x43;
    assert!(bounds(&v2).contains("version 2"));

    // A real document saved whole (DEFLATE columns) sent as a "change".
    let mut doc = AutoCommit::new();
    for i in 0..200 {
        doc.put(ROOT, format!("k{i}"), "a fairly long repeated value")
            .unwrap();
    }
    let saved = doc.save();
    let mut m = vec![0x42, 0, 0, 0, 1];
    uleb(&mut m, saved.len() as u64);
    m.extend(&saved);
    assert!(bounds(&m).contains("type 0"));

    // A change chunk whose length field lies.
    let mut chunk = vec![0x85, 0x6f, 0x4a, 0x83, 1, 2, 3, 4, 1, 5];
    chunk.extend([0; 3]);
    let mut m = vec![0x42, 0, 0, 0, 1];
    uleb(&mut m, chunk.len() as u64);
    m.extend(&chunk);
    assert!(bounds(&m).contains("says 5 bytes but carries 3"));
}

#[test]
fn counts_and_bytes_are_bounded() {
    let mut heads = vec![0x42];
    uleb(&mut heads, 17);
    heads.extend(vec![7u8; 17 * 32]);
    heads.extend([0, 0, 0]);
    assert!(bounds(&heads).contains("heads: 17 is more than 16"));

    let mut changes = vec![0x42, 0, 0, 0];
    uleb(&mut changes, 1_001);
    assert!(bounds(&changes).contains("changes: 1001"));

    let mut big = vec![0x42, 0, 0, 0, 1];
    uleb(&mut big, 600 * 1024);
    assert!(bounds(&big).contains("change"));

    let mut trailing = with_filters(&[]);
    trailing.extend([1, 0, 9]);
    assert!(bounds(&trailing).contains("unexpected bytes"));
    let mut long_flags = with_filters(&[]);
    long_flags.push(9);
    long_flags.extend([0; 9]);
    assert!(bounds(&long_flags).contains("flags"));
}

#[test]
fn every_truncation_of_a_real_message_is_an_error_not_a_panic() {
    for m in real_messages(8) {
        for cut in 0..m.len() {
            // A cut at the end of the changes list is a valid message without flags.
            let _ = check_message(&m[..cut], &DEVICE_MESSAGE);
        }
    }
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic_and_what_passes_automerge_can_read(
        bytes in proptest::collection::vec(any::<u8>(), 0..400)
    ) {
        if check_message(&bytes, &DEVICE_MESSAGE).is_ok() {
            prop_assert!(Message::decode(&bytes).is_ok());
        }
    }

    #[test]
    fn bit_flips_in_real_messages_never_panic(flip in 0usize..4000, bit in 0u8..8) {
        let messages = real_messages(4);
        for m in messages {
            let mut m = m;
            let i = flip % m.len();
            m[i] ^= 1 << bit;
            if check_message(&m, &DEVICE_MESSAGE).is_ok() {
                prop_assert!(Message::decode(&m).is_ok());
            }
        }
    }
}
