//! Every word the app shows, Dutch (nl-BE, the default) with English beside it.
//!
//! One macro, [`texts!`], states the tables: the phone's ([`phone`]) and the coordinator's
//! desktop ([`desk`]), kept in two files so each stays small enough to review. Each table has
//! *plain* texts (`t(lang, Key::SignOut)` → `&'static str`) and *filled* texts, which carry
//! their values: `say(lang, Msg::SafeCount { n: count.into() })`. A filled text is a
//! `format!` string, so a placeholder without its value, or a value no language uses, does not
//! compile; a missing translation does not compile either. Plurals are written
//! `[n: "1 kluisje", "{n} kluisjes"]` and chosen by [`Lang::plural`], the one place that
//! knows the rule.

mod attention;
mod audit;
mod confirm;
mod desk;
mod door;
mod evaluation;
mod import;
mod phone;

pub use attention::{AttentionKey, AttentionMsg, attention_line};
pub use audit::{AuditKey, AuditMsg, group_label, kind_label};
pub use confirm::{ConfirmKey, ConfirmMsg};
pub use desk::{DeskKey, DeskMsg};
pub use door::{DoorKey, DoorMsg};
pub use evaluation::{EvalKey, EvalMsg};
pub use import::{ImportKey, ImportMsg};
pub use phone::{Key, Msg};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Lang {
    #[default]
    Nl,
    En,
}

/// Which form of a counted word a language uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Plural {
    One,
    Other,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Nl, Lang::En];

    /// Short code stored in the browser and used for the switch.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Nl => "nl",
            Lang::En => "en",
        }
    }

    /// Value for `<html lang>`.
    pub fn html_lang(self) -> &'static str {
        match self {
            Lang::Nl => "nl-BE",
            Lang::En => "en",
        }
    }

    /// The language's own name, for screen readers on the switch.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::Nl => "Nederlands",
            Lang::En => "English",
        }
    }

    /// Parses "nl", "nl-BE", "EN", "en-GB", ... Unknown languages give `None`.
    pub fn from_code(code: &str) -> Option<Lang> {
        let primary = code.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "nl" => Some(Lang::Nl),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The plural rule (CLDR): Dutch and English both say "1 kluisje", "0 / 2 kluisjes".
    pub fn plural(self, n: Count) -> Plural {
        match self {
            Lang::Nl | Lang::En if n.0 == 1 => Plural::One,
            Lang::Nl | Lang::En => Plural::Other,
        }
    }
}

/// A number said in a text. Made from any count the app holds (`len().into()`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Count(pub u64);

impl std::fmt::Display for Count {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

macro_rules! count_from {
    ($($t:ty),*) => {$(
        impl From<$t> for Count {
            fn from(n: $t) -> Self {
                Count(u64::from(n))
            }
        }
    )*};
}
count_from!(u8, u16, u32, u64);

impl From<usize> for Count {
    fn from(n: usize) -> Self {
        Count(u64::try_from(n).unwrap_or(u64::MAX))
    }
}

impl From<i64> for Count {
    /// Negative counts do not occur; they are said as 0 rather than as a huge number.
    fn from(n: i64) -> Self {
        Count(u64::try_from(n).unwrap_or(0))
    }
}

/// A text without values.
pub trait Plain: Copy {
    fn text(self, lang: Lang) -> &'static str;
}

/// A text with its values.
pub trait Filled {
    fn say(self, lang: Lang) -> String;
}

/// The plain text `key` in `lang`.
pub fn t(lang: Lang, key: impl Plain) -> &'static str {
    key.text(lang)
}

/// The filled text `msg` in `lang`.
pub fn say(lang: Lang, msg: impl Filled) -> String {
    msg.say(lang)
}

/// One language's side of a filled text: a `format!` string, or a plural choice between two
/// (each of which may again be a choice, for a second count).
macro_rules! phrase {
    ($lang:ident, [$n:ident : $one:tt, $other:tt]) => {
        match $lang.plural($crate::state::i18n::Count::from($n)) {
            $crate::state::i18n::Plural::One => $crate::state::i18n::phrase!($lang, $one),
            $crate::state::i18n::Plural::Other => $crate::state::i18n::phrase!($lang, $other),
        }
    };
    ($lang:ident, $text:literal) => {
        format!($text)
    };
}

/// States one table: its plain texts and its filled texts (see the module's documentation).
macro_rules! texts {
    (
        $(#[$plain_meta:meta])*
        plain $Plain:ident {
            $($key:ident { nl: $nl:literal, en: $en:literal $(,)? })*
        }
        $(#[$filled_meta:meta])*
        filled $Filled:ident<$lt:lifetime> {
            $($msg:ident ($($arg:ident : $ty:ty),+ $(,)?) { nl: $mnl:tt, en: $men:tt $(,)? })*
        }
    ) => {
        $(#[$plain_meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum $Plain {
            $($key),*
        }

        impl $Plain {
            pub const ALL: &'static [$Plain] = &[$($Plain::$key),*];
        }

        impl $crate::state::i18n::Plain for $Plain {
            fn text(self, lang: $crate::state::i18n::Lang) -> &'static str {
                use $crate::state::i18n::Lang;
                match (self, lang) {
                    $(
                        ($Plain::$key, Lang::Nl) => $nl,
                        ($Plain::$key, Lang::En) => $en,
                    )*
                }
            }
        }

        $(#[$filled_meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum $Filled<$lt> {
            $($msg { $($arg: $ty),+ }),*
        }

        impl $Filled<'_> {
            /// Every filled text with default values, for the table's own tests.
            #[cfg(test)]
            pub fn samples() -> Vec<Self> {
                vec![$($Filled::$msg { $($arg: Default::default()),+ }),*]
            }
        }

        impl $crate::state::i18n::Filled for $Filled<'_> {
            fn say(self, lang: $crate::state::i18n::Lang) -> String {
                use $crate::state::i18n::Lang;
                match self {
                    $(
                        $Filled::$msg { $($arg),+ } => match lang {
                            Lang::Nl => $crate::state::i18n::phrase!(lang, $mnl),
                            Lang::En => $crate::state::i18n::phrase!(lang, $men),
                        },
                    )*
                }
            }
        }
    };
}
pub(crate) use {phrase, texts};

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    fn check_plain<K: Plain + std::fmt::Debug + Eq + std::hash::Hash>(all: &[K]) {
        assert!(all.len() >= 20, "table looks truncated");
        check_plain_texts(all);
    }

    fn check_plain_texts<K: Plain + std::fmt::Debug + Eq + std::hash::Hash>(all: &[K]) {
        assert_eq!(all.iter().collect::<HashSet<_>>().len(), all.len());
        for &key in all {
            for lang in Lang::ALL {
                let text = t(lang, key);
                assert!(!text.trim().is_empty(), "{key:?} is empty in {lang:?}");
                assert_eq!(
                    text,
                    text.trim(),
                    "{key:?} has stray whitespace in {lang:?}"
                );
                assert!(!text.contains("TODO"), "{key:?} is unfinished in {lang:?}");
                assert!(
                    !text.contains('{'),
                    "{key:?} has a placeholder but no value"
                );
            }
        }
    }

    fn check_filled<M: Filled + Copy + std::fmt::Debug>(samples: Vec<M>) {
        assert!(samples.len() >= 10, "table looks truncated");
        for msg in samples {
            for lang in Lang::ALL {
                let text = say(lang, msg);
                assert!(!text.trim().is_empty(), "{msg:?} is empty in {lang:?}");
                assert!(
                    !text.contains('{'),
                    "{msg:?}: unfilled placeholder in {lang:?}"
                );
            }
        }
    }

    #[test]
    fn every_text_exists_in_both_languages_and_is_complete() {
        check_plain(Key::ALL);
        check_plain(DeskKey::ALL);
        check_filled(Msg::samples());
        check_filled(DeskMsg::samples());
        check_plain(ImportKey::ALL);
        check_filled(ImportMsg::samples());
        check_plain(ConfirmKey::ALL);
        check_filled(ConfirmMsg::samples());
        check_plain(DoorKey::ALL);
        check_filled(DoorMsg::samples());
        check_plain(AuditKey::ALL);
        check_filled(AuditMsg::samples());
        check_plain(EvalKey::ALL);
        check_filled(EvalMsg::samples());
        check_plain_texts(AttentionKey::ALL);
        check_filled(AttentionMsg::samples());
    }

    #[test]
    fn dutch_is_the_default_and_uses_the_agreed_words() {
        assert_eq!(Lang::default(), Lang::Nl);
        assert_eq!(t(Lang::Nl, Key::SignInButton), "Aanmelden");
        assert_eq!(t(Lang::Nl, Key::SignOut), "Afmelden");
        assert_eq!(t(Lang::Nl, Key::InstallApp), "Kluis installeren");
    }

    #[test]
    fn values_fill_their_places_and_counts_pick_their_form() {
        let name = "An";
        assert_eq!(say(Lang::Nl, Msg::SignedInAs { name }), "Aangemeld als An");
        assert_eq!(say(Lang::En, Msg::SignedInAs { name }), "Signed in as An");
        let count = |n: usize, lang| say(lang, Msg::SafeCount { n: n.into() });
        assert_eq!(count(1, Lang::Nl), "1 sleutelkluisje");
        assert_eq!(count(2, Lang::Nl), "2 sleutelkluisjes");
        assert_eq!(count(1, Lang::En), "1 key safe");
        assert_eq!(count(0, Lang::En), "0 key safes");
        let wrong = |n: u8| say(Lang::En, Msg::WrongPin { n: n.into() });
        assert_eq!(wrong(1), "Wrong PIN. 1 attempt left.");
        assert_eq!(wrong(3), "Wrong PIN. 3 attempts left.");
    }

    #[test]
    fn a_second_count_picks_its_own_form() {
        let plan = |now: usize, rounds: usize| {
            say(
                Lang::Nl,
                DeskMsg::PlannedNow {
                    now: now.into(),
                    rounds: rounds.into(),
                },
            )
        };
        assert_eq!(plan(1, 1), "1 kluis krijgt nu een nieuwe code, in 1 ronde.");
        assert_eq!(
            plan(3, 1),
            "3 kluizen krijgen nu een nieuwe code, in 1 ronde."
        );
        assert_eq!(
            plan(30, 2),
            "30 kluizen krijgen nu een nieuwe code, verdeeld over 2 rondes."
        );
    }

    #[test]
    fn languages_parse_from_browser_codes() {
        assert_eq!(Lang::from_code("nl-BE"), Some(Lang::Nl));
        assert_eq!(Lang::from_code("NL"), Some(Lang::Nl));
        assert_eq!(Lang::from_code("en_GB"), Some(Lang::En));
        assert_eq!(Lang::from_code("fr-BE"), None);
        assert_eq!(Lang::from_code(""), None);
        for lang in Lang::ALL {
            assert_eq!(Lang::from_code(lang.code()), Some(lang));
            assert_eq!(Lang::from_code(lang.html_lang()), Some(lang));
        }
    }
}
