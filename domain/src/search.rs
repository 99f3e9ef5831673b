//! The carer's search box: a few letters of a street, maybe a house number, and the matching
//! safes must be listed on every keystroke on a cheap phone.
//!
//! All normalisation happens once, in [`SearchIndex::build`]; a keystroke only compares short
//! normalised strings. Text is matched once per distinct street and once per distinct postcode,
//! city and district (a few hundred in all), not once per safe; per safe only bit masks and
//! the house number are checked.
//!
//! How a query matches (the rules of UI.md "Forgiving input"):
//! - case, accents and abbreviations do not matter ([`normalize`]: "str." = "straat");
//! - fewer than [`MIN_QUERY_CHARS`] letters or digits in words find nothing, and neither does a
//!   house number on its own (it would match half the city);
//! - every word must match: the start of a street word, a run of words typed together or apart
//!   matching across the spaces of the street ("kortrijkse steenweg" and "kortrijksesteenweg"
//!   both find "Kortrijksesteenweg"), the start of a postcode, city or district word, or, for
//!   words of 3+ letters, anywhere inside the street ("nieuwstraat" in "Sint-Pietersnieuwstraat");
//! - a house number keeps only the blocks whose range serves it ("Sleepstraat 12" finds
//!   "10-16", "Sleepstraat 18" and "Sleepstraat 13" on an even-only "10-16 (even)" do not);
//! - ranking: the street starts with what was typed > every word starts a street word > a word
//!   was found inside the street; ties go by street, then lowest house number.
//!
//! Differences from [`crate::address::matches`], which [`SearchQuery::parse`] was written for:
//! that function accepts any substring of any field; here words must start a word (except the
//! lowest-ranked substring case, only for 3+ letters and only in the street), district is
//! searched too, and while typing some forms are forgiven that the parser turns into something
//! else: "sleepstr" is read as both "sleepstraat" and the prefix "sleepstr" (so "Str" still
//! finds "Stropkaai" while the user types it), "st" also means "sint", and after a house number
//! a lone letter or "b"/"bu"/"bus"/"bt" (a box number being typed) is ignored.

use std::collections::BTreeMap;

use crate::address::{SearchQuery, normalize};
use crate::ids::SafeId;
use crate::model::HouseNumbers;
use crate::schema::ScopeView;

/// A query needs at least this many letters or digits in its words before it finds anything.
pub const MIN_QUERY_CHARS: usize = 2;

/// Words are tracked as bits of a `u64`; nobody types more into a search box.
const MAX_WORDS: usize = 64;

/// Shorter words are never looked for inside a street: "st" would match half the city.
const MIN_SUBSTRING_CHARS: usize = 3;

/// [`Hit::score`] when the street starts with what was typed.
pub const SCORE_STREET_PREFIX: u32 = 3;
/// [`Hit::score`] when every word starts a word of the street (or of the postcode, city or
/// district).
pub const SCORE_WORD_PREFIX: u32 = 2;
/// [`Hit::score`] when some word was only found inside the street.
pub const SCORE_SUBSTRING: u32 = 1;

/// One matching safe; a higher score is a better match (one of the `SCORE_` constants).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Hit {
    pub safe: SafeId,
    pub score: u32,
}

/// Normalised text with the spaces taken out, and where each word began, so a query word can
/// be matched at a word start and a compound typed apart still matches across the spaces.
#[derive(Clone, Debug)]
struct Field {
    compact: String,
    starts: Vec<usize>,
}

impl Field {
    /// `normalized` is the output of [`normalize`].
    fn new(normalized: &str) -> Self {
        let mut compact = String::with_capacity(normalized.len());
        let mut starts = Vec::new();
        for word in normalized.split_whitespace() {
            starts.push(compact.len());
            compact.push_str(word);
        }
        Field { compact, starts }
    }

    /// The offset of the first word start at which `run` is found.
    fn run_start(&self, run: &[Word]) -> Option<usize> {
        self.starts.iter().copied().find(|&s| {
            self.compact
                .get(s..)
                .is_some_and(|rest| run_prefix_of(run, rest))
        })
    }

    fn has_word_start(&self, word: &Word) -> bool {
        self.run_start(std::slice::from_ref(word)).is_some()
    }
}

/// Whether the words of `run`, concatenated, start `text`; the last may be in any of its forms.
fn run_prefix_of(run: &[Word], text: &str) -> bool {
    let Some((last, init)) = run.split_last() else {
        return false;
    };
    let mut rest = text;
    for word in init {
        match rest.strip_prefix(word.text.as_str()) {
            Some(r) => rest = r,
            None => return false,
        }
    }
    last.forms().any(|f| rest.starts_with(f))
}

/// Postcode, city and district: few distinct ones per scope, so matched apart from streets.
#[derive(Clone, Debug)]
struct Area {
    postcode: Field,
    city: Field,
    district: Field,
}

#[derive(Clone, Debug)]
struct Entry {
    id: SafeId,
    street: usize,
    area: usize,
    numbers: HouseNumbers,
}

/// Every safe of a scope, prepared for searching as the user types. Build it once per sync.
#[derive(Clone, Debug, Default)]
pub struct SearchIndex {
    streets: Vec<Field>,
    areas: Vec<Area>,
    /// Ordered for ties: street, then house numbers, then id.
    safes: Vec<Entry>,
}

impl SearchIndex {
    /// Normalises the address text of every safe in `view`.
    pub fn build(view: &ScopeView) -> SearchIndex {
        let mut street_of: BTreeMap<&str, usize> = BTreeMap::new();
        let mut area_of: BTreeMap<(&str, &str, &str), usize> = BTreeMap::new();
        let mut streets = Vec::new();
        let mut sort_names = Vec::new();
        let mut areas = Vec::new();
        let mut safes = Vec::with_capacity(view.safes.len());
        for (id, safe) in &view.safes {
            let street = *street_of.entry(&safe.street).or_insert_with(|| {
                let normalized = normalize(&safe.street);
                streets.push(Field::new(&normalized));
                sort_names.push(normalized);
                streets.len() - 1
            });
            let key = (
                safe.postcode.as_str(),
                safe.city.as_str(),
                safe.district.as_str(),
            );
            let area = *area_of.entry(key).or_insert_with(|| {
                areas.push(Area {
                    postcode: Field::new(&normalize(&safe.postcode)),
                    city: Field::new(&normalize(&safe.city)),
                    district: Field::new(&normalize(&safe.district)),
                });
                areas.len() - 1
            });
            safes.push(Entry {
                id: *id,
                street,
                area,
                numbers: safe.numbers.clone(),
            });
        }
        let tie_key = |e: &Entry| {
            let name = sort_names.get(e.street);
            (name, e.numbers.first(), e.numbers.last(), e.id)
        };
        safes.sort_by(|a, b| tie_key(a).cmp(&tie_key(b)));
        SearchIndex {
            streets,
            areas,
            safes,
        }
    }

    /// The number of safes indexed.
    pub fn len(&self) -> usize {
        self.safes.len()
    }

    /// True when the scope has no safes.
    pub fn is_empty(&self) -> bool {
        self.safes.is_empty()
    }

    /// The best `limit` safes matching `input`, best first (see the module documentation).
    pub fn search(&self, input: &str, limit: usize) -> Vec<Hit> {
        let Some(query) = Query::parse(input) else {
            return Vec::new();
        };
        if limit == 0 {
            return Vec::new();
        }
        let streets: Vec<StreetMatch> = self.streets.iter().map(|s| query.street(s)).collect();
        let areas: Vec<u64> = self.areas.iter().map(|a| query.area(a)).collect();
        let mut hits: Vec<(u32, usize)> = self
            .safes
            .iter()
            .enumerate()
            .filter_map(|(i, e)| {
                let score = streets.get(e.street)?.score(*areas.get(e.area)?)?;
                let serves = query.number.is_none_or(|n| e.numbers.contains(n));
                serves.then_some((score, i))
            })
            .collect();
        let best_first = |a: &(u32, usize), b: &(u32, usize)| b.0.cmp(&a.0).then(a.1.cmp(&b.1));
        // "sl" at 5,000 safes can match hundreds; only the shown few need a full sort.
        if hits.len() > limit {
            hits.select_nth_unstable_by(limit, best_first);
            hits.truncate(limit);
        }
        hits.sort_unstable_by(best_first);
        hits.into_iter()
            .filter_map(|(score, i)| self.safes.get(i).map(|e| Hit { safe: e.id, score }))
            .collect()
    }
}

/// How the query matched one street. Bit `i` of a mask stands for query word `i`.
#[derive(Clone, Copy, Debug)]
struct StreetMatch {
    /// The worst score among the words that start street words, alone or run together.
    prefix: Option<u32>,
    /// Words that start no street word: they must match the area, or else inside the street.
    loose: u64,
    /// Loose words found inside the street.
    inside: u64,
}

impl StreetMatch {
    /// The score of a safe on this street in an area matched by the words in `area`; words
    /// matching only the area narrow the results without lowering the rank.
    fn score(self, area: u64) -> Option<u32> {
        let unmatched = self.loose & !area;
        if unmatched & !self.inside != 0 {
            return None;
        }
        let inside = (unmatched != 0).then_some(SCORE_SUBSTRING);
        Some(match (self.prefix, inside) {
            (Some(p), Some(i)) => p.min(i),
            (p, i) => p.or(i).unwrap_or(SCORE_WORD_PREFIX),
        })
    }
}

/// A query word in its normalised form plus, where the normaliser changed what was typed, the
/// typed form, because the user may still be typing a longer word.
#[derive(Clone, Debug)]
struct Word {
    text: String,
    alt: Option<String>,
}

impl Word {
    fn new(text: String, typed_lower: &str) -> Word {
        let alt = if text == "st" {
            Some("sint".to_owned())
        } else {
            text.strip_suffix("straat")
                .filter(|_| !typed_lower.contains(text.as_str()))
                .map(|stem| format!("{stem}str"))
        };
        Word { text, alt }
    }

    fn forms(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.text.as_str()).chain(self.alt.as_deref())
    }
}

/// Box numbers are not searched for; while "bus 3" is being typed its start must not empty
/// the list.
fn is_box_suffix(word: &str) -> bool {
    word == "bt" || "bus".starts_with(word) || word.chars().count() == 1
}

#[derive(Clone, Debug)]
struct Query {
    words: Vec<Word>,
    number: Option<u32>,
}

impl Query {
    fn parse(input: &str) -> Option<Query> {
        let parsed = SearchQuery::parse(input);
        let typed_lower = input.to_lowercase();
        let words: Vec<Word> = parsed
            .words
            .into_iter()
            .filter(|w| parsed.number.is_none() || !is_box_suffix(w))
            .map(|w| Word::new(w, &typed_lower))
            .take(MAX_WORDS)
            .collect();
        let chars: usize = words.iter().map(|w| w.text.chars().count()).sum();
        (chars >= MIN_QUERY_CHARS).then_some(Query {
            words,
            number: parsed.number,
        })
    }

    fn street(&self, street: &Field) -> StreetMatch {
        let mut m = StreetMatch {
            prefix: None,
            loose: 0,
            inside: 0,
        };
        let mut i = 0;
        while let Some(word) = self.words.get(i) {
            // The longest run of words from `i` that starts a street word.
            let run = (i + 1..=self.words.len()).rev().find_map(|j| {
                let run = self.words.get(i..j)?;
                street.run_start(run).map(|pos| (j, pos))
            });
            match run {
                Some((j, pos)) => {
                    let score = if pos == 0 {
                        SCORE_STREET_PREFIX
                    } else {
                        SCORE_WORD_PREFIX
                    };
                    m.prefix = Some(m.prefix.map_or(score, |p| p.min(score)));
                    i = j;
                }
                None => {
                    m.loose |= 1 << i;
                    if word.text.len() >= MIN_SUBSTRING_CHARS
                        && word.forms().any(|f| street.compact.contains(f))
                    {
                        m.inside |= 1 << i;
                    }
                    i += 1;
                }
            }
        }
        m
    }

    /// Which words start a word of the postcode, city or district.
    fn area(&self, area: &Area) -> u64 {
        let fields = [&area.postcode, &area.city, &area.district];
        self.words
            .iter()
            .enumerate()
            .filter(|(_, w)| fields.iter().any(|f| f.has_word_start(w)))
            .fold(0, |mask, (i, _)| mask | 1 << i)
    }
}
