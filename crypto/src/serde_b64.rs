//! Serde adapters that store binary fields as standard padded base64 strings,
//! which keeps stored JSON compact and readable instead of arrays of numbers.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde::{Deserialize, Deserializer, Serializer, de::Error as _};

fn decode<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<u8>, D::Error> {
    let text = String::deserialize(deserializer)?;
    STANDARD
        .decode(text.as_bytes())
        .map_err(|_| D::Error::custom("field is not valid base64"))
}

/// For fixed-size byte arrays (salts).
pub(crate) mod array {
    use base64::Engine as _;
    use serde::de::Error as _;

    use super::{Deserializer, STANDARD, Serializer};

    pub(crate) fn serialize<S: Serializer, const N: usize>(
        bytes: &[u8; N],
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&STANDARD.encode(bytes))
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>, const N: usize>(
        deserializer: D,
    ) -> Result<[u8; N], D::Error> {
        let bytes = super::decode(deserializer)?;
        <[u8; N]>::try_from(bytes.as_slice())
            .map_err(|_| D::Error::custom(format_args!("expected {N} bytes of base64")))
    }
}

/// For variable-length byte strings (sealed blobs).
pub(crate) mod vec {
    use base64::Engine as _;

    use super::{Deserializer, STANDARD, Serializer};

    pub(crate) fn serialize<S: Serializer>(bytes: &[u8], serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&STANDARD.encode(bytes))
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Vec<u8>, D::Error> {
        super::decode(deserializer)
    }
}
