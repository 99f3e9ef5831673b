//! A short seeded pass of the sync fuzz harness (see `support/fuzz.rs`); the long run is
//! `cargo bench -p kluis-domain --bench fuzz_sync -- 10000000`.

#![allow(clippy::unwrap_used)]

#[path = "support/fuzz.rs"]
mod fuzz;

#[test]
fn mutated_requests_never_panic_and_each_round_is_quick() {
    let target = fuzz::Target::new(40);
    assert!(target.corpus.len() >= 5, "{} requests", target.corpus.len());
    let found = fuzz::run(&target, 2026, 20_000, |_| {});
    println!(
        "{} inputs, {:.0} execs/s, {} crashes, slowest {:?}",
        found.inputs,
        found.execs_per_sec(),
        found.crashes,
        found.slowest
    );
    assert_eq!(found.crashes, 0, "first crash: {:?}", found.first_crash);
    assert!(
        found.slowest < std::time::Duration::from_millis(250),
        "{:?}",
        found.slowest
    );
}
