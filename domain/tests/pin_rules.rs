//! Which new PINs a carer may choose, and the lock-out after wrong PINs.
#![allow(clippy::unwrap_used)]

use kluis_domain::pin::{
    AttemptOutcome, MAX_WRONG_PINS, MIN_PIN_LEN, PinAttempts, PinProblem, check_new_pin,
};

fn problem(pin: &str) -> Option<PinProblem> {
    check_new_pin(pin).err()
}

#[test]
fn too_short_and_not_digits() {
    for pin in ["", "1", "35827", "9274"] {
        assert_eq!(problem(pin), Some(PinProblem::TooShort), "{pin:?}");
    }
    for pin in [
        "35827a",
        " 358279",
        "358 279",
        "358-279",
        "３５８２７９",
        "٣٥٨٢٧٩",
    ] {
        assert_eq!(problem(pin), Some(PinProblem::NotDigits), "{pin:?}");
    }
    // The characters are fixed before the length: "12a" is not "too short".
    assert_eq!(problem("12a"), Some(PinProblem::NotDigits));
    assert_eq!(MIN_PIN_LEN, 6);
}

#[test]
fn one_repeated_digit() {
    for pin in ["000000", "111111", "9999999", "55555555555"] {
        assert_eq!(problem(pin), Some(PinProblem::Repeated), "{pin}");
    }
}

#[test]
fn runs_counting_up_or_down_including_across_zero() {
    for pin in [
        "123456",
        "234567",
        "1234567890",
        "654321",
        "987654",
        "876543210",
        // 0 follows 9 as on a keyboard's number row, both ways.
        "567890",
        "7890123",
        "890123",
        "098765",
        "3210987",
        "901234",
    ] {
        assert_eq!(problem(pin), Some(PinProblem::Sequence), "{pin}");
    }
}

#[test]
fn common_patterns() {
    for pin in [
        "121212", "1212121", "123123", "12341234", "696969", "100100", "112233", "332211",
        "111222", "11223344", "147258", "159753", "123321", "789456", "314159", "112358",
    ] {
        assert_eq!(problem(pin), Some(PinProblem::Common), "{pin}");
    }
}

#[test]
fn ordinary_pins_are_accepted() {
    for pin in [
        "358279", "605184", "927461", "123457", "124567", "8365201", "112234", "121213", "0012345",
        "19450508", "202501",
    ] {
        assert_eq!(check_new_pin(pin), Ok(()), "{pin}");
    }
}

#[test]
fn few_six_digit_pins_are_refused() {
    let refused = (0..1_000_000u32)
        .filter(|n| check_new_pin(&format!("{n:06}")).is_err())
        .count();
    // About 2,000 of a million: guessing is limited by the lock-out, not by a long list.
    assert!(refused > 1_000 && refused < 5_000, "{refused}");
}

#[test]
fn problem_codes_are_stable_and_distinct() {
    let all = [
        PinProblem::TooShort,
        PinProblem::NotDigits,
        PinProblem::Repeated,
        PinProblem::Sequence,
        PinProblem::Common,
    ];
    let codes: Vec<&str> = all.iter().map(|p| p.code()).collect();
    assert_eq!(
        codes,
        [
            "pin_too_short",
            "pin_not_digits",
            "pin_repeated",
            "pin_sequence",
            "pin_common"
        ]
    );
    assert!(all.iter().all(|p| !p.to_string().is_empty()));
}

#[test]
fn five_wrong_pins_in_a_row_wipe() {
    let mut a = PinAttempts::default();
    assert_eq!((a.left(), a.wrong_in_a_row()), (MAX_WRONG_PINS, 0));
    assert_eq!(a.wrong(), AttemptOutcome::TryAgain { left: 4 });
    // "Foute pincode. Nog 3 pogingen." after the second.
    assert_eq!(a.wrong(), AttemptOutcome::TryAgain { left: 3 });
    assert_eq!(a.wrong(), AttemptOutcome::TryAgain { left: 2 });
    assert_eq!(a.wrong(), AttemptOutcome::TryAgain { left: 1 });
    assert_eq!(a.wrong(), AttemptOutcome::Wipe);
    assert_eq!(a.left(), 0);
    assert_eq!(a.wrong(), AttemptOutcome::Wipe);
}

#[test]
fn a_right_pin_starts_over() {
    let mut a = PinAttempts::default();
    for _ in 0..4 {
        a.wrong();
    }
    a.right();
    assert_eq!(a, PinAttempts::default());
    for _ in 0..4 {
        assert!(matches!(a.wrong(), AttemptOutcome::TryAgain { .. }));
    }
    assert_eq!(a.wrong(), AttemptOutcome::Wipe);
}

#[test]
fn the_counter_survives_a_restart() {
    let mut a = PinAttempts::default();
    a.wrong();
    a.wrong();
    let json = serde_json::to_string(&a).unwrap();
    let mut back: PinAttempts = serde_json::from_str(&json).unwrap();
    assert_eq!(back, a);
    let bytes = postcard::to_allocvec(&a).unwrap();
    assert_eq!(postcard::from_bytes::<PinAttempts>(&bytes).unwrap(), a);
    assert_eq!(back.wrong(), AttemptOutcome::TryAgain { left: 2 });

    // A count at or past the limit (e.g. the app died mid-check) leaves nothing to try.
    let mut worn: PinAttempts = serde_json::from_str(r#"{"wrong_in_a_row":255}"#).unwrap();
    assert_eq!(worn.left(), 0);
    assert_eq!(worn.wrong(), AttemptOutcome::Wipe);
}
