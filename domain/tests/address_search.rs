//! Normalisation and tolerant address matching for the carer's search box.
#![allow(clippy::unwrap_used)]

use kluis_domain::address::{SearchQuery, matches, normalize};
use kluis_domain::model::{Address, HouseNumbers};

fn addr(street: &str, numbers: &str, postcode: &str) -> Address {
    Address {
        street: street.into(),
        numbers: HouseNumbers::parse(numbers).unwrap(),
        postcode: postcode.into(),
        city: "Gent".into(),
    }
}

fn finds(query: &str, a: &Address) -> bool {
    matches(&SearchQuery::parse(query), a)
}

#[test]
fn normalize_folds_case_accents_and_punctuation() {
    assert_eq!(normalize("  Rue   Bréderode "), "rue brederode");
    assert_eq!(normalize("ÉÈËÇÏÔÀÜ éèëçïôàü"), "eeecioau eeecioau");
    assert_eq!(
        normalize("Sint-Pietersnieuwstraat"),
        "sint pietersnieuwstraat"
    );
    assert_eq!(
        normalize("Edward Anseeleplein, 9000 GENT"),
        "edward anseeleplein 9000 gent"
    );
}

#[test]
fn normalize_expands_abbreviations() {
    assert_eq!(normalize("Sleepstr. 12"), "sleepstraat 12");
    assert_eq!(normalize("sleepstr 12"), "sleepstraat 12");
    assert_eq!(normalize("Sleep str."), "sleep straat");
    assert_eq!(normalize("Kortrijkse Stwg."), "kortrijkse steenweg");
    assert_eq!(normalize("kortrijksestwg"), "kortrijksesteenweg");
    assert_eq!(normalize("Ledeberg pl."), "ledeberg plein");
    assert_eq!(normalize("Rooigemln."), "rooigemlaan");
    assert_eq!(normalize("St.-Pietersnieuwstr."), "sint pietersnieuwstraat");
    // Without the full stop these are just what people type while searching.
    assert_eq!(normalize("pl ln st"), "pl ln st");
    assert_eq!(normalize("Oost."), "oost");
}

#[test]
fn query_parse_pulls_out_the_house_number() {
    let q = SearchQuery::parse("Sleepstraat 12");
    assert_eq!(q.words, vec!["sleepstraat"]);
    assert_eq!(q.number, Some(12));
    let q = SearchQuery::parse("sleepstr 12A bus 3, 9000 Gent");
    assert_eq!(q.words, vec!["sleepstraat", "9000", "gent"]);
    assert_eq!(q.number, Some(12));
    let q = SearchQuery::parse("9000");
    assert_eq!((q.words, q.number), (vec!["9000".to_string()], None));
    let q = SearchQuery::parse("Antwerpsesteenweg 1020");
    assert_eq!(q.number, Some(1020));
    assert!(SearchQuery::parse("  ").is_empty());
}

#[test]
fn abbreviated_street_and_number_find_the_block() {
    let sleep = addr("Sleepstraat", "10-16", "9000");
    assert!(finds("sleepstr 12", &sleep));
    assert!(finds("Sleepstraat 10", &sleep));
    assert!(finds("SLEEPSTRAAT", &sleep));
    assert!(finds("sleep", &sleep));
    assert!(finds("sleepstraat 12, 9000 gent", &sleep));
    assert!(!finds("Sleepstraat 18", &sleep));
    assert!(!finds("Sleepstraat 12, 9040", &sleep));
    assert!(!finds("Kikvorsstraat", &sleep));
}

#[test]
fn parity_ranges_and_suffixes() {
    let even = addr("Rabotstraat", "10-16 (even)", "9000");
    assert!(finds("rabotstraat 14", &even));
    assert!(!finds("rabotstraat 13", &even));
    assert!(finds("rabotstraat 14b", &even));
}

#[test]
fn accents_either_way() {
    let rue = addr("Rue Bréderode", "3", "1000");
    assert!(finds("brederode", &rue));
    assert!(finds("Bréderode 3", &rue));
    let plain = addr("Rue Brederode", "3", "1000");
    assert!(finds("bréderode", &plain));
}

#[test]
fn dutch_compounds_match_however_they_are_split() {
    let kortrijk = addr("Kortrijksesteenweg", "200-210", "9000");
    assert!(finds("kortrijkse stwg", &kortrijk));
    assert!(finds("Kortrijkse Steenweg 204", &kortrijk));
    assert!(finds("kortrijksestwg", &kortrijk));
    let sp = addr("Sint-Pietersnieuwstraat", "41", "9000");
    assert!(finds("sintpieters", &sp));
    assert!(finds("st.-pietersnieuwstr 41", &sp));
    assert!(finds("pietersnieuw", &sp));
    let brugse = addr("Brugse Steenweg", "1-5", "9000");
    assert!(finds("brugsesteenweg 3", &brugse));
    assert!(finds("brugse stwg", &brugse));
}
