//! How fast the carer's search box reacts at 5,000 safes: index build time and time per
//! keystroke while typing "sleepstraat 12". Prints figures and asserts nothing about speed,
//! since the machine it runs on varies. `cargo bench -p kluis-domain --bench search` gives
//! the full figures; without `--bench` (as under `cargo test --all-targets`) it only checks
//! that the code runs, with a few repetitions.

use std::collections::BTreeMap;
use std::hint::black_box;
use std::time::{Duration, Instant};

use kluis_domain::ids::{OrgId, SafeId, SafeModelId};
use kluis_domain::model::{HouseNumbers, SafeStatus};
use kluis_domain::schema::{SafeView, ScopeSettings, ScopeView};
use kluis_domain::search::SearchIndex;

const SAFES: usize = 5_000;
const KEYSTROKES: [&str; 8] = [
    "s",
    "sl",
    "sle",
    "slee",
    "sleep",
    "sleeps",
    "sleepstraat 1",
    "sleepstraat 12",
];
/// About as many rows as a phone screen shows, with room to scroll.
const LIMIT: usize = 50;

const STEMS: [&str; 34] = [
    "Sleep",
    "Kikvors",
    "Wondelgem",
    "Rooigem",
    "Palfijn",
    "Brugse",
    "Kortrijkse",
    "Dendermondse",
    "Antwerpse",
    "Meulestede",
    "Ledeberg",
    "Gentbrugge",
    "Mariakerke",
    "Drongen",
    "Zwijnaarde",
    "Oostakker",
    "Sint-Amands",
    "Sint-Pieters",
    "Sint-Jacobs",
    "Sint-Baafs",
    "Sint-Kwintens",
    "Bevers",
    "Vogel",
    "Leie",
    "Schelde",
    "Lieve",
    "Hoog",
    "Nieuw",
    "Koning",
    "Kerk",
    "Molen",
    "Bloemekens",
    "Dok",
    "Sluizeken",
];
const SUFFIXES: [&str; 9] = [
    "straat", "laan", "plein", "steenweg", "dreef", "kaai", "weg", "hof", "pad",
];
const NAMED: [&str; 8] = [
    "Kleine Sleepstraat",
    "Frans de Mildreef",
    "Edward Anseeleplein",
    "Rue Bréderode",
    "Jan Palfijnstraat",
    "Émile Braunplein",
    "Sint-Pietersnieuwstraat",
    "Van Arteveldestraat",
];
const POSTCODES: [&str; 6] = ["9000", "9030", "9032", "9040", "9050", "9052"];
const DISTRICTS: [&str; 8] = [
    "Binnenstad",
    "Rabot",
    "Muide",
    "Ledeberg",
    "Sint-Amandsberg",
    "Gentbrugge",
    "Zwijnaarde",
    "Brugse Poort",
];

/// A fixed pseudo-random sequence, so every run measures the same scope.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

fn streets() -> Vec<String> {
    let mut out: Vec<String> = NAMED.iter().map(|s| (*s).to_owned()).collect();
    for stem in STEMS {
        for suffix in SUFFIXES {
            // Stems ending in "e" read as adjectives: "Brugse Steenweg", but "Sleepstraat".
            let name = if stem.ends_with("se") && suffix == "steenweg" {
                format!("{stem} Steenweg")
            } else {
                format!("{stem}{suffix}")
            };
            out.push(name);
        }
    }
    out
}

fn scope(rng: &mut Lcg) -> Result<ScopeView, String> {
    let streets = streets();
    let mut safes = BTreeMap::new();
    for i in 0..SAFES {
        let mut id = [0u8; 16];
        id[..8].copy_from_slice(&(i as u64).to_be_bytes());
        let step = if rng.below(3) == 0 { 2 } else { 1 };
        let first = 1 + rng.below(200) as u32;
        let last = first + (rng.below(6) as u32) * step;
        let mut street = streets[rng.below(streets.len())].clone();
        let mut numbers = HouseNumbers::range(first, last, step as u8);
        // The blocks the typed query is after, so the last keystrokes find something.
        if let Some(fixed) = ["1-7", "10-16", "18-24 (even)"].get(i) {
            street = "Sleepstraat".into();
            numbers = HouseNumbers::parse(fixed);
        }
        let numbers = numbers.map_err(|e| e.to_string())?;
        safes.insert(
            SafeId::from_bytes(id),
            SafeView {
                street,
                numbers,
                postcode: POSTCODES[rng.below(POSTCODES.len())].into(),
                city: "Gent".into(),
                district: DISTRICTS[rng.below(DISTRICTS.len())].into(),
                apartments: 8 + rng.below(40) as u32,
                placement: "links van de inkomdeur".into(),
                model: SafeModelId::from_bytes([1; 16]),
                status: SafeStatus::Active,
                code: None,
                previous_code: None,
                new_code: None,
            },
        );
    }
    println!(
        "scope: {} safes over {} street names",
        safes.len(),
        streets.len()
    );
    Ok(ScopeView {
        service: OrgId::from_bytes([7; 16]),
        service_name: "Wit-Gele Kruis".into(),
        settings: ScopeSettings::default(),
        models: BTreeMap::new(),
        safes,
    })
}

fn micros(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

/// (median, max) of `reps` timings of `f`.
fn measure(reps: usize, mut f: impl FnMut()) -> (Duration, Duration) {
    let mut times: Vec<Duration> = (0..reps)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    times.sort();
    let median = times.get(times.len() / 2).copied().unwrap_or_default();
    let max = times.last().copied().unwrap_or_default();
    (median, max)
}

fn main() -> Result<(), String> {
    let full = std::env::args().any(|a| a == "--bench");
    let (build_reps, key_reps) = if full { (30, 2_000) } else { (2, 3) };
    let view = scope(&mut Lcg(2014))?;

    let (median, max) = measure(build_reps, || {
        black_box(SearchIndex::build(black_box(&view)));
    });
    println!(
        "SearchIndex::build: median {:.0} µs, max {:.0} µs ({build_reps} runs)",
        micros(median),
        micros(max)
    );

    let index = SearchIndex::build(&view);
    println!("per keystroke, limit {LIMIT} ({key_reps} runs each):");
    let mut worst = Duration::ZERO;
    for input in KEYSTROKES {
        let matching = index.search(input, usize::MAX).len();
        let (median, max) = measure(key_reps, || {
            black_box(index.search(black_box(input), LIMIT));
        });
        worst = worst.max(max);
        println!(
            "  {:<16} median {:>7.1} µs  max {:>7.1} µs  ({matching} matching safes)",
            format!("{input:?}"),
            micros(median),
            micros(max)
        );
    }
    println!(
        "worst keystroke: {:.1} µs (a 60 Hz frame is 16,667 µs)",
        micros(worst)
    );
    if !full {
        println!("(quick check only; pass --bench for real figures)");
    }
    Ok(())
}
