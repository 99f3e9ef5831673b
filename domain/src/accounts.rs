//! The rules of accounts: what a chosen password must be, the one-time activation codes of
//! invitations, and until when a person's access runs. The server enforces them; the app
//! checks the same rules before it sends, so a person hears what is wrong at once.

use crate::rng::RandomSource;
use crate::time::Date;

/// Fewest characters a chosen password may have.
pub const PASSWORD_MIN_CHARS: usize = 12;
/// Most bytes a password may have (Argon2id's work does not depend on it, but parsing does).
pub const PASSWORD_MAX_BYTES: usize = 1024;
/// How long an activation code is valid after it was issued.
pub const ACTIVATION_VALID_HOURS: i64 = 72;

/// Why a chosen password is refused.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum PasswordProblem {
    /// Fewer than [`PASSWORD_MIN_CHARS`] characters.
    TooShort,
    /// More than [`PASSWORD_MAX_BYTES`] bytes.
    TooLong,
    /// On the list of passwords people pick most, or one character or a run repeated.
    Common,
    /// The login or the person's name in another form.
    LikeLogin,
}

/// Passwords of at least 12 characters that people pick most often (from public breach
/// corpora, with Dutch and Flemish ones added). Compared without case, spaces or accents.
const COMMON: &[&str] = &[
    "123456789012",
    "1234567890123",
    "12345678901234",
    "123456123456",
    "123123123123",
    "111111111111",
    "000000000000",
    "qwertyuiopas",
    "qwertyuiop123",
    "qwerty123456",
    "azertyuiop12",
    "azerty123456",
    "azertyuiopqs",
    "1q2w3e4r5t6y",
    "1qaz2wsx3edc",
    "zaq12wsxcde3",
    "password1234",
    "password12345",
    "passwordpassword",
    "password123456",
    "passw0rd1234",
    "iloveyou1234",
    "welcome12345",
    "welcome123456",
    "letmein12345",
    "administrator",
    "administrator1",
    "changeme1234",
    "abcdefghijkl",
    "abcdef123456",
    "abc123abc123",
    "football1234",
    "baseball1234",
    "princess1234",
    "sunshine1234",
    "superman1234",
    "trustno11234",
    "wachtwoord12",
    "wachtwoord123",
    "wachtwoord1234",
    "wachtwoordwachtwoord",
    "welkom123456",
    "welkom12345678",
    "motdepasse12",
    "motdepasse123",
    "geheimgeheim",
    "geheim123456",
    "sleutelkluis",
    "sleutelkluis1",
    "sleutelkluis123",
    "thuiszorg123",
    "thuiszorg1234",
    "kluiskluis12",
    "kluis1234567",
    "gent12345678",
    "gent9000gent",
    "antwerpen123",
    "belgie123456",
    "vlaanderen12",
    "zomer2024zomer",
    "winter2025winter",
    "lente2026lente",
    "januari20252",
    "september2025",
    "december2025",
    "december2026",
    "voorjaar2026",
];

fn fold(s: &str) -> String {
    crate::address::normalize(s).replace(' ', "")
}

/// One character repeated, or a run of consecutive digits or letters ("123456789012",
/// "abcdefghijklm").
fn is_trivial(folded: &str) -> bool {
    let bytes = folded.as_bytes();
    if bytes.len() < 2 {
        return true;
    }
    let same = bytes.iter().all(|b| *b == bytes[0]);
    let run = bytes
        .windows(2)
        .all(|w| w[1] == w[0].wrapping_add(1) || (w[0] == b'9' && w[1] == b'0'));
    same || run
}

/// Checks a password a person chooses for their account (`login` and `name` are theirs).
pub fn check_new_password(password: &str, login: &str, name: &str) -> Result<(), PasswordProblem> {
    if password.len() > PASSWORD_MAX_BYTES {
        return Err(PasswordProblem::TooLong);
    }
    if password.chars().count() < PASSWORD_MIN_CHARS {
        return Err(PasswordProblem::TooShort);
    }
    let folded = fold(password);
    if is_trivial(&folded) || COMMON.iter().any(|c| fold(c) == folded) {
        return Err(PasswordProblem::Common);
    }
    for own in [login, name] {
        let own = fold(own);
        if own.len() >= 4
            && (folded == own || folded.contains(&own) && folded.len() < own.len() + 6)
        {
            return Err(PasswordProblem::LikeLogin);
        }
    }
    Ok(())
}

/// The letters of activation codes: no 0/O, 1/I/L or U, so a code read aloud or copied from
/// paper cannot be mistyped into another one.
const CODE_ALPHABET: &[u8; 30] = b"23456789ABCDEFGHJKMNPQRSTVWXYZ";
/// Characters of an activation code (12 of 30 letters: 58 bits).
pub const ACTIVATION_CODE_CHARS: usize = 12;

/// A one-time activation code, e.g. `7KQM-3XWD-PT9A`: what a new person types (or opens as a
/// link) to choose their password.
#[derive(Clone, PartialEq, Eq)]
pub struct ActivationCode(String);

impl ActivationCode {
    /// A fresh code from `rng` (uniform over the alphabet).
    pub fn generate(rng: &mut dyn RandomSource) -> Self {
        let mut out = String::with_capacity(ACTIVATION_CODE_CHARS + 2);
        for i in 0..ACTIVATION_CODE_CHARS {
            if i > 0 && i % 4 == 0 {
                out.push('-');
            }
            let n = rng.below(CODE_ALPHABET.len() as u64) as usize;
            out.push(char::from(CODE_ALPHABET[n]));
        }
        ActivationCode(out)
    }

    /// Reads a typed code: any case, with or without dashes and spaces. A character outside
    /// the alphabet (such as O, 0, I or 1) cannot be in any code, so the code is refused.
    pub fn parse(typed: &str) -> Option<Self> {
        let mut chars = String::with_capacity(ACTIVATION_CODE_CHARS);
        for c in typed.chars() {
            if c == '-' || c.is_whitespace() {
                continue;
            }
            let c = c.to_ascii_uppercase();
            if !c.is_ascii() || !CODE_ALPHABET.contains(&(c as u8)) {
                return None;
            }
            chars.push(c);
            if chars.len() > ACTIVATION_CODE_CHARS {
                return None;
            }
        }
        if chars.len() != ACTIVATION_CODE_CHARS {
            return None;
        }
        let mut out = String::with_capacity(ACTIVATION_CODE_CHARS + 2);
        for (i, c) in chars.chars().enumerate() {
            if i > 0 && i % 4 == 0 {
                out.push('-');
            }
            out.push(c);
        }
        Some(ActivationCode(out))
    }

    /// The code as it is printed and stored (hashed): `XXXX-XXXX-XXXX`.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for ActivationCode {
    /// Redacted: it opens an account until it is used.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ActivationCode(****)")
    }
}

/// Whether access that runs until `valid_until` (inclusive) has ended on `today`.
pub fn access_ended(valid_until: Option<Date>, today: Date) -> bool {
    valid_until.is_some_and(|last| today > last)
}

/// An account whose access ends within this many days is shown as ending soon to whoever
/// can extend it, so a carer is not shut out at a door without warning.
pub const ACCESS_ENDING_NOTICE_DAYS: i64 = 30;

/// Whether access that runs until `valid_until` ends within [`ACCESS_ENDING_NOTICE_DAYS`]
/// of `today` (and has not ended yet).
pub fn access_ending_soon(valid_until: Option<Date>, today: Date) -> bool {
    valid_until.is_some_and(|last| {
        !access_ended(Some(last), today) && today.days_until(last) <= ACCESS_ENDING_NOTICE_DAYS
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::SeededRandom;

    #[test]
    fn access_ends_soon_within_the_notice_and_not_after_it_ended() {
        let today = Date::new(2026, 12, 3).expect("a real day");
        assert!(access_ending_soon(Some(today), today));
        assert!(access_ending_soon(Some(today.add_days(30)), today));
        assert!(!access_ending_soon(Some(today.add_days(31)), today));
        assert!(!access_ending_soon(Some(today.add_days(-1)), today));
        assert!(!access_ending_soon(None, today));
    }

    #[test]
    fn a_good_password_passes_and_weak_ones_say_why() {
        assert_eq!(
            check_new_password("paard-batterij-nietje", "an.peeters", "An Peeters"),
            Ok(())
        );
        assert_eq!(
            check_new_password("kort", "an", "An"),
            Err(PasswordProblem::TooShort)
        );
        // Counted in characters, not bytes: 11 accented letters are still too short.
        assert_eq!(
            check_new_password("ééééééééééé", "an", "An"),
            Err(PasswordProblem::TooShort)
        );
        for weak in [
            "Wachtwoord123",
            "wachtwoord 1234",
            "123456789012",
            "aaaaaaaaaaaa",
            "abcdefghijklmn",
            "Sleutelkluis!",
        ] {
            assert_eq!(
                check_new_password(weak, "an", "An"),
                Err(PasswordProblem::Common),
                "{weak}"
            );
        }
        assert_eq!(
            check_new_password("an.peeters12", "an.peeters", "An Peeters"),
            Err(PasswordProblem::LikeLogin)
        );
        assert_eq!(
            check_new_password(&"x".repeat(1025), "an", "An"),
            Err(PasswordProblem::TooLong)
        );
    }

    #[test]
    fn activation_codes_read_back_however_they_are_typed() {
        let mut rng = SeededRandom::new(7);
        let code = ActivationCode::generate(&mut rng);
        assert_eq!(code.as_str().len(), 14);
        assert_eq!(code.as_str().matches('-').count(), 2);
        let typed = code.as_str().to_lowercase().replace('-', " ");
        assert_eq!(ActivationCode::parse(&typed), Some(code.clone()));
        assert_ne!(ActivationCode::generate(&mut rng), code);
        assert_eq!(format!("{code:?}"), "ActivationCode(****)");
        for bad in [
            "",
            "ABCD-EFGH-JKM",
            "ABCD-EFGH-JKMNP",
            "ABCD-EFGH-JKM0",
            "ÄBCD-EFGH-JKMN",
        ] {
            assert_eq!(ActivationCode::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn access_runs_through_its_last_day() {
        let last = Date::new(2026, 12, 31).ok();
        let on = |m, d| Date::new(2026, m, d).expect("date");
        assert!(!access_ended(last, on(12, 31)));
        assert!(access_ended(last, Date::new(2027, 1, 1).expect("date")));
        assert!(!access_ended(None, on(12, 31)));
    }
}
