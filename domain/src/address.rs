//! House numbers as written on site, and the text normalisation behind address search.
//!
//! Carers type addresses on a phone in a stairwell: abbreviated ("Sleepstr 12"), without
//! accents, in any case. Everything is compared in a normalised form: lower-case ASCII words,
//! common Flemish street abbreviations expanded.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::DomainError;
use crate::model::Address;

/// Most separate numbers or ranges one entrance's label may list ("12, 14, 18" is three).
pub const MAX_HOUSE_NUMBER_PARTS: usize = 16;

/// Longest house-number label accepted, in characters.
pub const MAX_HOUSE_NUMBERS_CHARS: usize = 80;

/// One number or one range of a label, optionally one side of the street (step 2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct Run {
    first: u32,
    last: u32,
    step: u8,
}

impl Run {
    fn contains(&self, n: u32) -> bool {
        (self.first..=self.last).contains(&n)
            && (n - self.first).is_multiple_of(u32::from(self.step))
    }
}

/// The house numbers one entrance serves: a single number, a range (optionally one side of
/// the street), or a list of those ("12, 14, 18", "2-10 en 14"). Serialized as the label it
/// was parsed from.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct HouseNumbers {
    runs: Vec<Run>,
    label: String,
}

impl HouseNumbers {
    /// Parses labels such as `"12"`, `"12A"`, `"12bis"`, `"12 bus 3"`, `"10-16"`,
    /// `"10 t/m 16"`, `"10-16 (even)"`, `"11-17 oneven"` or lists of them: `"12, 14, 18"`,
    /// `"2-10 en 14"`. Letter, `bis` and `bus` suffixes are dropped: an entrance is found by
    /// its number.
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        let label = s.trim();
        let err = |why: &str| DomainError::InvalidHouseNumbers(format!("'{label}': {why}"));
        if label.chars().count() > MAX_HOUSE_NUMBERS_CHARS {
            return Err(err("too long"));
        }
        let lower = label
            .to_lowercase()
            .replace(['(', ')'], " ")
            .replace(['–', '—'], "-")
            .replace([';', '&', '+'], ",")
            .replace(" en ", ",")
            .replace(" and ", ",");
        let parts: Vec<&str> = lower.split(',').map(str::trim).collect();
        if parts.len() > MAX_HOUSE_NUMBER_PARTS {
            return Err(err("too many numbers in one entrance"));
        }
        let runs = parts
            .iter()
            .map(|part| parse_run(part).map_err(&err))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(HouseNumbers {
            runs,
            label: label.to_owned(),
        })
    }

    /// A range built from numbers; `step` 2 means one side of the street.
    pub fn range(first: u32, last: u32, step: u8) -> Result<Self, DomainError> {
        let label = match (first == last, step) {
            (true, _) => first.to_string(),
            (false, 2) if first.is_multiple_of(2) => format!("{first}-{last} (even)"),
            (false, 2) => format!("{first}-{last} (oneven)"),
            (false, 1) => format!("{first}-{last}"),
            _ => {
                return Err(DomainError::InvalidHouseNumbers(
                    "step must be 1 or 2".into(),
                ));
            }
        };
        Self::parse(&label)
    }

    /// Lowest number served.
    pub fn first(&self) -> u32 {
        self.runs.iter().map(|r| r.first).min().unwrap_or(0)
    }

    /// Highest number served.
    pub fn last(&self) -> u32 {
        self.runs.iter().map(|r| r.last).max().unwrap_or(0)
    }

    /// 2 for one side of the street, else 1 (a list counts as 1: see [`Self::listed`]).
    pub fn step(&self) -> u8 {
        match self.runs.as_slice() {
            [one] => one.step,
            _ => 1,
        }
    }

    /// Whether the label is a list of separate numbers or ranges.
    pub fn is_list(&self) -> bool {
        self.runs.len() > 1
    }

    /// Every number served, ascending, when there are at most `max` of them.
    pub fn listed(&self, max: usize) -> Option<Vec<u32>> {
        // Overlapping parts may repeat numbers, so the bound before deduplication is per part:
        // it keeps "1-4000000" from being enumerated.
        let bound = max.saturating_mul(self.runs.len());
        let mut all = Vec::new();
        for run in &self.runs {
            let count = (run.last - run.first) / u32::from(run.step) + 1;
            if all.len().saturating_add(count as usize) > bound {
                return None;
            }
            all.extend((0..count).map(|i| run.first + i * u32::from(run.step)));
        }
        all.sort_unstable();
        all.dedup();
        (all.len() <= max).then_some(all)
    }

    /// The label as it was written.
    pub fn label(&self) -> &str {
        &self.label
    }

    /// Whether house number `n` is reached through this entrance.
    pub fn contains(&self, n: u32) -> bool {
        self.runs.iter().any(|r| r.contains(n))
    }
}

/// One part of a label: `"12"`, `"10-16"`, `"10 t/m 16 even"`.
fn parse_run(part: &str) -> Result<Run, &'static str> {
    let mut parity = None;
    let mut kept = Vec::new();
    for word in part.split_whitespace() {
        match word {
            "even" => parity = Some(0),
            "oneven" | "odd" | "uneven" => parity = Some(1),
            "nr" | "nr." | "nrs" | "nrs." | "nummers" | "huisnummers" => {}
            "t/m" | "tot" => kept.push("-"),
            _ => kept.push(word),
        }
    }
    let rest = kept.join(" ");
    let ends: Vec<&str> = rest.split('-').map(str::trim).collect();
    let (first, last) = match ends.as_slice() {
        [one] => {
            let n = endpoint(one).ok_or("not a house number")?;
            (n, n)
        }
        [a, b] => (
            endpoint(a).ok_or("the first number is not a house number")?,
            endpoint(b).ok_or("the last number is not a house number")?,
        ),
        _ => return Err("write one number, one range like 10-16 or a list like 12, 14, 18"),
    };
    if last < first {
        return Err("the range runs backwards");
    }
    let step = match parity {
        Some(p) if first != last => {
            if first % 2 != p || last % 2 != p {
                return Err("the parity hint does not match the numbers");
            }
            2
        }
        _ => 1,
    };
    Ok(Run { first, last, step })
}

/// The number at the start of `s`, if what follows is a letter and/or `bus` suffix.
fn endpoint(s: &str) -> Option<u32> {
    let digits_end = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let n: u32 = s[..digits_end].parse().ok()?;
    (n > 0 && suffix_ok(&s[digits_end..])).then_some(n)
}

fn suffix_ok(rem: &str) -> bool {
    let rem = rem.trim();
    // Belgian duplicates of a number: "12bis", "12 ter".
    if let Some(after) = ["bis", "ter", "quater"]
        .iter()
        .find_map(|p| rem.strip_prefix(p))
    {
        let after = after.trim();
        let boxed = ["bus", "bt", "/"].iter().any(|b| after.starts_with(b));
        if after.is_empty() || boxed && suffix_ok(after) {
            return true;
        }
    }
    // Longest prefix first: "12 bus" must not read as "12 b" + "us".
    let bus = |r: &str| {
        ["bus", "bt", "b", "/"]
            .iter()
            .find_map(|p| r.strip_prefix(p))
            .is_some_and(|x| {
                let x = x.trim();
                !x.is_empty() && x.chars().all(char::is_alphanumeric)
            })
    };
    let mut chars = rem.chars();
    match chars.next() {
        None => true,
        Some(c) if c.is_alphabetic() => {
            let after = chars.as_str();
            bus(rem) || after.trim().is_empty() || bus(after.trim())
        }
        Some(_) => bus(rem),
    }
}

impl fmt::Display for HouseNumbers {
    /// Canonical form: `"12"`, `"10-16"` or `"12, 14, 18"`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, run) in self.runs.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            if run.first == run.last {
                write!(f, "{}", run.first)?;
            } else {
                write!(f, "{}-{}", run.first, run.last)?;
            }
        }
        Ok(())
    }
}

impl FromStr for HouseNumbers {
    type Err = DomainError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<String> for HouseNumbers {
    type Error = DomainError;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<HouseNumbers> for String {
    fn from(h: HouseNumbers) -> String {
        h.label
    }
}

/// Lower-case ASCII for the accented letters found in Belgian street names.
fn fold_char(c: char, out: &mut String) {
    for lc in c.to_lowercase() {
        match lc {
            'à' | 'á' | 'â' | 'ä' | 'ã' | 'å' => out.push('a'),
            'è' | 'é' | 'ê' | 'ë' => out.push('e'),
            'ì' | 'í' | 'î' | 'ï' => out.push('i'),
            'ò' | 'ó' | 'ô' | 'ö' | 'õ' | 'ø' => out.push('o'),
            'ù' | 'ú' | 'û' | 'ü' => out.push('u'),
            'ý' | 'ÿ' => out.push('y'),
            'ç' => out.push('c'),
            'ñ' => out.push('n'),
            'æ' => out.push_str("ae"),
            'œ' => out.push_str("oe"),
            'ß' => out.push_str("ss"),
            'ĳ' => out.push_str("ij"),
            other => out.push(other),
        }
    }
}

/// Expands a street-name abbreviation; `dotted` says the word was followed by a full stop,
/// which is required for the short forms that are also prefixes people type ("pl", "ln", "st").
fn expand(word: &str, dotted: bool) -> String {
    let always: [(&str, &str); 2] = [("stwg", "steenweg"), ("str", "straat")];
    let with_dot: [(&str, &str); 3] = [("pl", "plein"), ("ln", "laan"), ("st", "sint")];
    if !word.chars().all(char::is_alphabetic) {
        return word.to_owned();
    }
    for (short, long) in always {
        if let Some(stem) = word.strip_suffix(short) {
            return format!("{stem}{long}");
        }
    }
    if dotted {
        for (short, long) in with_dot {
            // "st." only stands for "sint" on its own; "...st." is not an abbreviation.
            if let Some(stem) = word.strip_suffix(short)
                && (stem.is_empty() || short != "st")
            {
                return format!("{stem}{long}");
            }
        }
    }
    word.to_owned()
}

/// Normalises text for matching: lower-case, accents stripped, punctuation and runs of
/// whitespace collapsed to single spaces, abbreviations such as "str."/"stwg"/"pl."/"ln."
/// expanded ("Sleepstr. 12" → "sleepstraat 12").
pub fn normalize(s: &str) -> String {
    let mut folded = String::with_capacity(s.len());
    s.chars().for_each(|c| fold_char(c, &mut folded));
    let mut words: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut chars = folded.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_alphanumeric() {
            current.push(c);
            if chars.peek().is_none_or(|n| !n.is_alphanumeric()) {
                let dotted = chars.peek() == Some(&'.');
                words.push(expand(&current, dotted));
                current.clear();
            }
        }
    }
    words.join(" ")
}

/// A parsed search: the words to find and the house number, if one was typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SearchQuery {
    /// Normalised words, each of which must occur in the address.
    pub words: Vec<String>,
    /// House number the entrance must serve.
    pub number: Option<u32>,
}

impl SearchQuery {
    /// Splits input like "Sleepstraat 12" or "sleepstr 12, 9000 gent" into words and a house
    /// number. The first number is the house number, except that a four-digit number after
    /// it, before a word, or on its own is taken as a postcode; `bus 3` is ignored.
    pub fn parse(input: &str) -> Self {
        let normalized = normalize(input);
        let tokens: Vec<&str> = normalized.split_whitespace().collect();
        let has_letters = tokens
            .iter()
            .any(|t| t.starts_with(|c: char| !c.is_ascii_digit()));
        let mut query = SearchQuery::default();
        let mut i = 0;
        while let Some(&token) = tokens.get(i) {
            i += 1;
            let leading_digits = token
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(token.len());
            if leading_digits == 0 {
                let next_is_number = tokens
                    .get(i)
                    .is_some_and(|t| t.starts_with(|c: char| c.is_ascii_digit()));
                if (token == "bus" || token == "b") && query.number.is_some() && next_is_number {
                    i += 1;
                } else {
                    query.words.push(token.to_owned());
                }
                continue;
            }
            let digits = &token[..leading_digits];
            let next_is_word = tokens
                .get(i)
                .is_some_and(|t| t.starts_with(|c: char| !c.is_ascii_digit()));
            let postcode = digits.len() == 4
                && leading_digits == token.len()
                && (query.number.is_some() || next_is_word || !has_letters);
            if postcode {
                query.words.push(digits.to_owned());
            } else if query.number.is_none() {
                query.number = digits.parse().ok();
            }
        }
        query
    }

    /// True when nothing was typed.
    pub fn is_empty(&self) -> bool {
        self.words.is_empty() && self.number.is_none()
    }
}

/// Whether `address` matches `query`: every word occurs in the street, city or postcode, and
/// the entrance serves the house number if one was given.
///
/// Fields are compared without spaces, so Dutch compounds match however they are split:
/// "kortrijkse stwg" finds "Kortrijksesteenweg" and "sintpieters" finds
/// "Sint-Pietersnieuwstraat".
pub fn matches(query: &SearchQuery, address: &Address) -> bool {
    let compact = |s: &str| normalize(s).replace(' ', "");
    let fields = [
        compact(&address.street),
        compact(&address.city),
        compact(&address.postcode),
    ];
    let words_ok = query
        .words
        .iter()
        .all(|w| fields.iter().any(|f| f.contains(w.as_str())));
    words_ok && query.number.is_none_or(|n| address.numbers.contains(n))
}
