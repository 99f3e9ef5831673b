//! Safe models and push-button codes.
//!
//! Models are data the coordinator can extend (a housing company may install a new model), not
//! constants. On a push-button safe a code is a *set* of buttons: pressing 1-3-5-7 or 7-5-3-1
//! opens the same lock and each button counts once, so codes are stored as [`ButtonSet`]s.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::DomainError;
use crate::ids::SafeModelId;

/// The most buttons a model may have, so every code fits a `u16` mask and the whole code space
/// (at most 2^16 sets) can be enumerated when generating codes.
pub const MAX_BUTTONS: usize = 16;

/// Characters people put between buttons when writing a code down; never button labels.
const SEPARATORS: [char; 6] = ['-', ',', '.', '/', '_', '+'];

fn is_button_char(c: char) -> bool {
    !c.is_whitespace() && !c.is_control() && !SEPARATORS.contains(&c) && !c.is_lowercase()
}

/// Canonical order, the way the buttons sit on a Supra face: 1..9, then 0, then anything else.
fn order_key(c: char) -> (u8, char) {
    match c {
        '1'..='9' => (0, c),
        '0' => (1, c),
        _ => (2, c),
    }
}

/// A safe code: a set of distinct buttons, order irrelevant. Secret: `Debug` redacts it.
///
/// Stored as the sorted button labels rather than a model-relative mask so a code stays
/// meaningful without its model. Serialized as its display string, e.g. `"1357"`.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ButtonSet {
    buttons: Vec<char>,
}

impl ButtonSet {
    /// Parses a written code: `"1357"`, `"1-3-5-7"`, `"1 3 5 7"` and `"7531"` are the same set.
    /// Letters are upper-cased; a repeated button or an empty code is an error.
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        let chars = s
            .chars()
            .filter(|c| !c.is_whitespace() && !SEPARATORS.contains(c))
            .flat_map(char::to_uppercase);
        Self::from_buttons(chars)
    }

    /// Builds a set from button labels; rejects empty input, repeats and separator characters.
    pub fn from_buttons(buttons: impl IntoIterator<Item = char>) -> Result<Self, DomainError> {
        let mut buttons: Vec<char> = buttons.into_iter().collect();
        if buttons.is_empty() {
            return Err(DomainError::InvalidCode(
                "a code needs at least one button".into(),
            ));
        }
        if !buttons.iter().all(|&c| is_button_char(c)) {
            return Err(DomainError::InvalidCode(
                "a code may only contain button labels".into(),
            ));
        }
        buttons.sort_by_key(|&c| order_key(c));
        if buttons.windows(2).any(|w| w[0] == w[1]) {
            return Err(DomainError::InvalidCode(
                "each button can be pressed only once".into(),
            ));
        }
        Ok(ButtonSet { buttons })
    }

    /// The set whose bits in `mask` pick buttons of `labels` (index 0 = lowest bit).
    pub(crate) fn from_mask(mask: u16, labels: &[char]) -> Self {
        let mut buttons: Vec<char> = labels
            .iter()
            .enumerate()
            .filter(|(i, _)| *i < MAX_BUTTONS && mask & (1 << i) != 0)
            .map(|(_, &c)| c)
            .collect();
        buttons.sort_by_key(|&c| order_key(c));
        ButtonSet { buttons }
    }

    /// Number of buttons in the code.
    pub fn len(&self) -> usize {
        self.buttons.len()
    }

    /// Always false for sets built through the public constructors.
    pub fn is_empty(&self) -> bool {
        self.buttons.is_empty()
    }

    /// Whether `button` is part of the code.
    pub fn contains(&self, button: char) -> bool {
        self.buttons.contains(&button)
    }

    /// The buttons in canonical order.
    pub fn buttons(&self) -> &[char] {
        &self.buttons
    }

    /// How many buttons must be added or removed to turn one code into the other (the size of
    /// the symmetric difference). Codes at distance 1 are one slip of the finger apart.
    pub fn distance(&self, other: &ButtonSet) -> usize {
        let only_here = self.buttons.iter().filter(|c| !other.contains(**c)).count();
        let only_there = other.buttons.iter().filter(|c| !self.contains(**c)).count();
        only_here + only_there
    }

    /// The code as a bitmask over `model`'s buttons, or `None` if a button is not on the model.
    pub fn as_mask(&self, model: &SafeModel) -> Option<u16> {
        let labels = model.buttons();
        self.buttons.iter().try_fold(0u16, |mask, c| {
            let i = labels.iter().position(|l| l == c)?;
            (i < MAX_BUTTONS).then(|| mask | (1 << i))
        })
    }
}

impl fmt::Display for ButtonSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.buttons.iter().try_for_each(|c| write!(f, "{c}"))
    }
}

impl fmt::Debug for ButtonSet {
    /// Redacted: codes end up in logs through `Debug` far too easily.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ButtonSet(****)")
    }
}

impl Serialize for ButtonSet {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for ButtonSet {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        ButtonSet::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// How a model's lock works. Externally tagged (`{"push_button": {...}}`) so new kinds can be
/// added later; an internal tag would break postcard, which cannot read self-describing tags.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ModelKind {
    /// Buttons that stay pressed; the safe opens when exactly the code's buttons are down.
    PushButton {
        /// Button labels in display order, e.g. `1..9, 0`.
        buttons: Vec<char>,
        /// Fewest buttons a code may have.
        min_len: u8,
        /// Most buttons a code may have.
        max_len: u8,
    },
}

/// A key-safe model as announced by the coordinator.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SafeModel {
    /// Identity of the model.
    pub id: SafeModelId,
    /// Name shown to people, e.g. "Supra KeySafe Pro".
    pub name: String,
    /// How the lock works.
    pub kind: ModelKind,
    /// The code the safe leaves the factory with; never generated, never accepted as a code.
    pub factory_default: Option<ButtonSet>,
}

fn binomial(n: u64, k: u64) -> u64 {
    if k > n {
        return 0;
    }
    // Exact at every step: the running product is C(n, i+1) after step i.
    (0..k.min(n - k)).fold(1u64, |acc, i| acc * (n - i) / (i + 1))
}

impl SafeModel {
    /// The button labels in display order.
    pub fn buttons(&self) -> &[char] {
        match &self.kind {
            ModelKind::PushButton { buttons, .. } => buttons,
        }
    }

    /// The allowed code lengths, inclusive.
    pub fn length_range(&self) -> std::ops::RangeInclusive<usize> {
        match &self.kind {
            ModelKind::PushButton {
                min_len, max_len, ..
            } => usize::from(*min_len)..=usize::from(*max_len),
        }
    }

    /// Checks the model is usable: 1-16 distinct buttons, `1 <= min_len <= max_len <= buttons`,
    /// and a factory default made of the model's own buttons.
    pub fn validate(&self) -> Result<(), DomainError> {
        let bad = |msg: &str| Err(DomainError::InvalidModel(format!("{}: {msg}", self.name)));
        let buttons = self.buttons();
        let range = self.length_range();
        if buttons.is_empty() {
            return bad("it has no buttons");
        }
        if buttons.len() > MAX_BUTTONS {
            return bad("it has more than 16 buttons");
        }
        if !buttons.iter().all(|&c| is_button_char(c)) {
            return bad("a button label is a separator, space or lower-case letter");
        }
        if buttons
            .iter()
            .enumerate()
            .any(|(i, c)| buttons[..i].contains(c))
        {
            return bad("two buttons have the same label");
        }
        if *range.start() == 0 {
            return bad("the shortest code must have at least one button");
        }
        if range.start() > range.end() {
            return bad("the shortest code is longer than the longest");
        }
        if *range.end() > buttons.len() {
            return bad("the longest code has more buttons than the safe");
        }
        if let Some(fd) = &self.factory_default
            && fd.as_mask(self).is_none()
        {
            return bad("the factory default uses a button the safe does not have");
        }
        Ok(())
    }

    /// Checks `code` can be set on this model and is not the factory default. The error never
    /// repeats the code, because error messages get logged.
    pub fn check_code(&self, code: &ButtonSet) -> Result<(), DomainError> {
        if code.as_mask(self).is_none() {
            return Err(DomainError::InvalidCode(format!(
                "the code uses a button that is not on a {}",
                self.name
            )));
        }
        let range = self.length_range();
        if !range.contains(&code.len()) {
            return Err(DomainError::InvalidCode(format!(
                "a {} code needs {} to {} buttons",
                self.name,
                range.start(),
                range.end()
            )));
        }
        if self.factory_default.as_ref() == Some(code) {
            return Err(DomainError::InvalidCode(
                "the factory default code may not be used".into(),
            ));
        }
        Ok(())
    }

    /// Number of codes `check_code` accepts, counted as `[even-sized, odd-sized]`.
    pub fn parity_class_sizes(&self) -> [u64; 2] {
        let n = self.buttons().len() as u64;
        let mut sizes = [0u64; 2];
        for k in self.length_range() {
            sizes[k % 2] += binomial(n, k as u64);
        }
        if let Some(fd) = &self.factory_default
            && fd.as_mask(self).is_some()
            && self.length_range().contains(&fd.len())
        {
            sizes[fd.len() % 2] -= 1;
        }
        sizes
    }

    /// Number of valid codes: all button sets with an allowed length, minus the factory default.
    pub fn code_space(&self) -> u64 {
        self.parity_class_sizes().iter().sum()
    }

    /// The most codes that can be in use at once while every two differ in at least 2 buttons.
    ///
    /// Two distinct sets of the same size always differ in at least 2 buttons, and so do sets
    /// whose sizes differ by 2 or more; only sets whose sizes differ by exactly 1 can be a single
    /// press apart. So all codes of even size (or all of odd size) form a valid family, and the
    /// larger of the two classes is the answer. No mix of both does better: the codes and their
    /// one-button neighbours form a bipartite graph between the two classes in which the
    /// smaller class can be matched into the larger (normalized matching of the Boolean
    /// lattice), so by König's theorem the largest family has the size of the larger class
    /// (checked exhaustively for every length range up to 8 buttons). Example: 10 buttons,
    /// codes of 4-7 buttons: C(10,4) + C(10,6) = 420 of 792 codes, less the factory default.
    pub fn usable_at_distance_2(&self) -> u64 {
        let [even, odd] = self.parity_class_sizes();
        even.max(odd)
    }
}

fn supra(id: SafeModelId, name: &str) -> SafeModel {
    SafeModel {
        id,
        name: name.to_owned(),
        kind: ModelKind::PushButton {
            buttons: vec!['1', '2', '3', '4', '5', '6', '7', '8', '9', '0'],
            min_len: 4,
            max_len: 7,
        },
        // The exact factory setting varies by batch; {1,2,3,4} stands for "what it came with"
        // and, being a run, would never be generated anyway.
        factory_default: Some(ButtonSet {
            buttons: vec!['1', '2', '3', '4'],
        }),
    }
}

/// The small "Supra KeySafe Pro": buttons 1-9 and 0, codes of 4-7 buttons.
pub fn supra_keysafe_pro(id: SafeModelId) -> SafeModel {
    supra(id, "Supra KeySafe Pro")
}

/// The "Supra KeySafe Pro Bigbox": same lock as the Pro, a larger box.
pub fn supra_keysafe_pro_bigbox(id: SafeModelId) -> SafeModel {
    supra(id, "Supra KeySafe Pro Bigbox")
}
