//! The carer's PIN: which new PINs are refused, and the lock-out after wrong guesses.
//!
//! The PIN unlocks the device's encrypted cache of codes (through Argon2id, in the crypto
//! crate). A short PIN is only acceptable because a thief gets [`MAX_WRONG_PINS`] guesses
//! before the cache is wiped, so the guesses people try first are refused outright.

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// The fewest digits a PIN may have.
pub const MIN_PIN_LEN: usize = 6;

/// Wrong PINs in a row after which the device wipes its cache.
pub const MAX_WRONG_PINS: u8 = 5;

/// Why a new PIN is refused. The app words the message; [`PinProblem::code`] is stable.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Error)]
pub enum PinProblem {
    /// Fewer than [`MIN_PIN_LEN`] digits.
    #[error("a PIN needs at least {MIN_PIN_LEN} digits")]
    TooShort,
    /// Something other than the digits 0-9.
    #[error("a PIN may only contain digits")]
    NotDigits,
    /// One digit repeated, like 000000.
    #[error("a PIN may not repeat one digit")]
    Repeated,
    /// Digits counting up or down, like 123456 or 654321.
    #[error("a PIN may not be a run of digits counting up or down")]
    Sequence,
    /// A pattern on the short list of PINs thieves try first, like 121212 or 112233.
    #[error("this PIN is too common")]
    Common,
}

impl PinProblem {
    /// A stable identifier, e.g. for choosing the translated message or for logs.
    pub const fn code(self) -> &'static str {
        match self {
            PinProblem::TooShort => "pin_too_short",
            PinProblem::NotDigits => "pin_not_digits",
            PinProblem::Repeated => "pin_repeated",
            PinProblem::Sequence => "pin_sequence",
            PinProblem::Common => "pin_common",
        }
    }
}

/// Keypad shapes and famous numbers that are not caught by the pattern rules below. Not
/// exhaustive: the lock-out limits guessing, this list only removes the first guesses.
const COMMON: &[&str] = &[
    "147258", "258369", "369258", "147852", "741852", "852963", "963852", "159357", "159753",
    "357159", "753951", "789456", "456123", "123654", "654123", "123789", "789123", "102030",
    "112358", "314159", "123321", "147369",
];

/// Checks a PIN the carer chose. Problems are reported in the order the user should fix them:
/// wrong characters, too short, then guessable.
///
/// Counting wraps around from 9 to 0, as on a keyboard's number row and a phone keypad, so
/// 567890, 7890123 and 098765 are sequences too.
pub fn check_new_pin(pin: &str) -> Result<(), PinProblem> {
    if !pin.bytes().all(|b| b.is_ascii_digit()) {
        return Err(PinProblem::NotDigits);
    }
    // All ASCII from here, so bytes are digits and len() counts them.
    if pin.len() < MIN_PIN_LEN {
        return Err(PinProblem::TooShort);
    }
    let digits: Vec<u8> = pin.bytes().map(|b| b - b'0').collect();
    if digits.windows(2).all(|w| w[0] == w[1]) {
        return Err(PinProblem::Repeated);
    }
    if is_sequence(&digits) {
        return Err(PinProblem::Sequence);
    }
    if is_periodic(&digits) || is_even_runs(&digits) || COMMON.contains(&pin) {
        return Err(PinProblem::Common);
    }
    Ok(())
}

fn is_sequence(digits: &[u8]) -> bool {
    let steps = |step: u8| digits.windows(2).all(|w| (w[0] + step) % 10 == w[1]);
    steps(1) || steps(9)
}

/// A short block repeated: 121212, 123123, 1212121, 12341234.
fn is_periodic(digits: &[u8]) -> bool {
    (2..=digits.len() / 2).any(|period| {
        digits
            .iter()
            .zip(digits.iter().skip(period))
            .all(|(a, b)| a == b)
    })
}

/// Runs of one digit, all the same length of 2 or more: 112233, 111222, 11223344.
fn is_even_runs(digits: &[u8]) -> bool {
    let mut runs = Vec::new();
    let mut len = 1usize;
    for w in digits.windows(2) {
        if w[0] == w[1] {
            len += 1;
        } else {
            runs.push(len);
            len = 1;
        }
    }
    runs.push(len);
    runs.iter().all(|&r| r >= 2 && Some(&r) == runs.first())
}

/// What the app does after a wrong PIN.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum AttemptOutcome {
    /// Ask again; `left` more wrong PINs are allowed before the wipe.
    TryAgain { left: u8 },
    /// Too many wrong PINs: wipe the cache and sign the device out.
    Wipe,
}

/// Wrong PINs in a row, kept (encrypted) on the device so restarting the app does not reset
/// it.
///
/// Killing the app during the slow key derivation must not give a free guess, so count
/// first and act after: call [`wrong`](Self::wrong) and persist before deriving; if the PIN
/// is right call [`right`](Self::right) and persist, otherwise act on the outcome `wrong`
/// returned. At start-up, `left() == 0` means a guess was cut short at the limit: wipe.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PinAttempts {
    wrong_in_a_row: u8,
}

impl PinAttempts {
    /// Counts a wrong PIN. The [`MAX_WRONG_PINS`]th in a row (and any after it) says wipe.
    pub fn wrong(&mut self) -> AttemptOutcome {
        self.wrong_in_a_row = self.wrong_in_a_row.saturating_add(1);
        match MAX_WRONG_PINS.checked_sub(self.wrong_in_a_row) {
            Some(left) if left > 0 => AttemptOutcome::TryAgain { left },
            _ => AttemptOutcome::Wipe,
        }
    }

    /// A correct PIN starts the count over.
    pub fn right(&mut self) {
        self.wrong_in_a_row = 0;
    }

    /// Wrong PINs entered since the last correct one.
    pub const fn wrong_in_a_row(self) -> u8 {
        self.wrong_in_a_row
    }

    /// Wrong PINs still allowed before the wipe.
    pub const fn left(self) -> u8 {
        MAX_WRONG_PINS.saturating_sub(self.wrong_in_a_row)
    }
}
