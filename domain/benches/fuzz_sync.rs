//! The sync fuzz harness's long run: `cargo bench -p kluis-domain --bench fuzz_sync -- N`
//! (N inputs, default 10,000,000; a second number is the seed). Prints execs/s, crashes and
//! the slowest input; writes the first crashing input to `target/fuzz-crash.bin`.

#![allow(clippy::unwrap_used)]

#[path = "../tests/support/fuzz.rs"]
mod fuzz;

fn main() {
    let args: Vec<u64> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let inputs = args.first().copied().unwrap_or(10_000_000);
    let seed = args.get(1).copied().unwrap_or(1);
    let target = fuzz::Target::new(200);
    println!(
        "fuzzing the sync decoder and one server round: {inputs} inputs from {} real requests, seed {seed}",
        target.corpus.len()
    );
    let found = fuzz::run(&target, seed, inputs, |f| {
        println!(
            "  {:>10} inputs  {:>8.0} execs/s  {} crashes  slowest {:?}",
            f.inputs,
            f.execs_per_sec(),
            f.crashes,
            f.slowest
        );
    });
    println!(
        "done: {} inputs in {:.1} s, {:.0} execs/s, {} crashes, slowest input {:?}",
        found.inputs,
        found.elapsed.as_secs_f64(),
        found.execs_per_sec(),
        found.crashes,
        found.slowest
    );
    if let Some(input) = &found.first_crash {
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/fuzz-crash.bin");
        std::fs::write(&path, input).unwrap();
        println!("first crashing input written to {}", path.display());
        std::process::exit(1);
    }
}
