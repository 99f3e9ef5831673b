//! Associated data: what a sealed blob is, bound into its authentication tag.

/// Domain-separation prefix of the canonical encoding; bump the suffix if the
/// layout ever changes so old and new encodings can never collide.
const AAD_DOMAIN: &[u8] = b"kluis-aad-v1";

/// Associated data that says what a sealed blob is and whom it belongs to.
///
/// It is authenticated but not encrypted, so a blob sealed for one record
/// cannot be passed off as another record, another schema version or another
/// owner's: [`crate::open`] with a different `Aad` fails.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Aad<'a> {
    /// What the blob holds, e.g. `"kluis/wrapped-key"`.
    pub kind: &'a str,
    /// Schema version of the plaintext (not of the sealed format).
    pub version: u16,
    /// Who the blob belongs to (user or household id).
    pub owner: &'a str,
}

impl Aad<'_> {
    /// The canonical byte encoding, frozen by golden tests:
    ///
    /// `b"kluis-aad-v1" | u64 BE len(kind) | kind | u16 BE version | u64 BE len(owner) | owner`
    ///
    /// Length prefixes make the encoding injective, so `("ab", "c")` and
    /// `("a", "bc")` never produce the same bytes.
    #[must_use]
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out =
            Vec::with_capacity(AAD_DOMAIN.len() + 8 + self.kind.len() + 2 + 8 + self.owner.len());
        out.extend_from_slice(AAD_DOMAIN);
        push_field(&mut out, self.kind.as_bytes());
        out.extend_from_slice(&self.version.to_be_bytes());
        push_field(&mut out, self.owner.as_bytes());
        out
    }
}

fn push_field(out: &mut Vec<u8>, field: &[u8]) {
    // u64 so the prefix is infallible on every target (usize is at most 64 bits
    // on anything this builds for, so the cast is lossless).
    out.extend_from_slice(&(field.len() as u64).to_be_bytes());
    out.extend_from_slice(field);
}
