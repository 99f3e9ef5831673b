//! Small typed accessors over Automerge's dynamic values, each failing with a schema error
//! that names the field.

use automerge::transaction::Transactable;
use automerge::{AutoCommit, ObjId, ObjType, ReadDoc, ScalarValue, Value};

use crate::error::DomainError;

fn missing(field: &str) -> DomainError {
    DomainError::Schema(format!("field {field:?} is missing or has the wrong type"))
}

pub fn scalar<D: ReadDoc>(
    doc: &D,
    obj: &ObjId,
    key: &str,
) -> Result<Option<ScalarValue>, DomainError> {
    match doc.get(obj, key) {
        Ok(Some((Value::Scalar(s), _))) => Ok(Some(s.into_owned())),
        Ok(Some(_)) => Err(missing(key)),
        Ok(None) => Ok(None),
        Err(e) => Err(DomainError::Schema(format!("cannot read {key:?}: {e}"))),
    }
}

pub fn opt_str<D: ReadDoc>(doc: &D, obj: &ObjId, key: &str) -> Result<Option<String>, DomainError> {
    match scalar(doc, obj, key)? {
        None | Some(ScalarValue::Null) => Ok(None),
        Some(ScalarValue::Str(s)) => Ok(Some(s.to_string())),
        Some(_) => Err(missing(key)),
    }
}

pub fn str<D: ReadDoc>(doc: &D, obj: &ObjId, key: &str) -> Result<String, DomainError> {
    opt_str(doc, obj, key)?.ok_or_else(|| missing(key))
}

pub fn opt_int<D: ReadDoc>(doc: &D, obj: &ObjId, key: &str) -> Result<Option<i64>, DomainError> {
    match scalar(doc, obj, key)? {
        None | Some(ScalarValue::Null) => Ok(None),
        Some(ScalarValue::Int(i)) => Ok(Some(i)),
        Some(ScalarValue::Uint(u)) => i64::try_from(u).map(Some).map_err(|_| missing(key)),
        Some(_) => Err(missing(key)),
    }
}

pub fn int<D: ReadDoc>(doc: &D, obj: &ObjId, key: &str) -> Result<i64, DomainError> {
    opt_int(doc, obj, key)?.ok_or_else(|| missing(key))
}

pub fn uint<T: TryFrom<i64>, D: ReadDoc>(
    doc: &D,
    obj: &ObjId,
    key: &str,
) -> Result<T, DomainError> {
    T::try_from(int(doc, obj, key)?).map_err(|_| missing(key))
}

pub fn map<D: ReadDoc>(doc: &D, obj: &ObjId, key: &str) -> Result<Option<ObjId>, DomainError> {
    match doc.get(obj, key) {
        Ok(Some((Value::Object(ObjType::Map), id))) => Ok(Some(id)),
        Ok(Some(_)) => Err(missing(key)),
        Ok(None) => Ok(None),
        Err(e) => Err(DomainError::Schema(format!("cannot read {key:?}: {e}"))),
    }
}

pub fn req_map<D: ReadDoc>(doc: &D, obj: &ObjId, key: &str) -> Result<ObjId, DomainError> {
    map(doc, obj, key)?.ok_or_else(|| missing(key))
}

pub fn check_header<D: ReadDoc>(doc: &D, kind: &str) -> Result<(), DomainError> {
    let root = automerge::ROOT;
    let version = int(doc, &root, "schema")?;
    if version != super::SCHEMA_VERSION {
        return Err(DomainError::Schema(format!(
            "schema version {version} is not supported (expected {})",
            super::SCHEMA_VERSION
        )));
    }
    let found = str(doc, &root, "kind")?;
    if found != kind {
        return Err(DomainError::Schema(format!(
            "expected a {kind} document, found {found:?}"
        )));
    }
    Ok(())
}

/// The entries of a map read in one pass: a `get` per field seeks through the document again
/// each time, which made reading a 5,000-safe scope take a quarter of a second. Reads answer
/// with the same errors as the functions above.
pub struct Fields(Vec<(String, Option<ScalarValue>)>);

impl Fields {
    pub fn of<D: ReadDoc>(doc: &D, obj: &ObjId) -> Fields {
        Fields(
            doc.map_range(obj, ..)
                .map(|item| {
                    let value = match Value::from(item.value) {
                        Value::Scalar(s) => Some(s.into_owned()),
                        Value::Object(_) => None,
                    };
                    (item.key.into_owned(), value)
                })
                .collect(),
        )
    }

    fn scalar(&self, key: &str) -> Result<Option<&ScalarValue>, DomainError> {
        match self.0.iter().find(|(k, _)| k == key) {
            None => Ok(None),
            Some((_, Some(v))) => Ok(Some(v)),
            Some((_, None)) => Err(missing(key)),
        }
    }

    pub fn opt_str(&self, key: &str) -> Result<Option<String>, DomainError> {
        match self.scalar(key)? {
            None | Some(ScalarValue::Null) => Ok(None),
            Some(ScalarValue::Str(s)) => Ok(Some(s.to_string())),
            Some(_) => Err(missing(key)),
        }
    }

    pub fn str(&self, key: &str) -> Result<String, DomainError> {
        self.opt_str(key)?.ok_or_else(|| missing(key))
    }

    pub fn int(&self, key: &str) -> Result<i64, DomainError> {
        match self.scalar(key)? {
            Some(ScalarValue::Int(i)) => Ok(*i),
            Some(ScalarValue::Uint(u)) => i64::try_from(*u).map_err(|_| missing(key)),
            _ => Err(missing(key)),
        }
    }

    pub fn uint<T: TryFrom<i64>>(&self, key: &str) -> Result<T, DomainError> {
        T::try_from(self.int(key)?).map_err(|_| missing(key))
    }
}

/// Sets `key` only when its value differs, so an unchanged registry produces no change at all
/// and a changed code produces a change of a few operations.
pub fn put(
    doc: &mut AutoCommit,
    obj: &ObjId,
    key: &str,
    value: Option<ScalarValue>,
) -> Result<(), DomainError> {
    let current = scalar(doc, obj, key)?;
    if current == value {
        return Ok(());
    }
    let res = match value {
        Some(v) => doc.put(obj, key, v),
        None => doc.delete(obj, key),
    };
    res.map_err(|e| DomainError::Schema(format!("cannot write {key:?}: {e}")))
}

/// Sets `key` to `value` (`None`: deletes it) without reading it first: for a caller that has
/// just read the map and knows the value differs.
pub fn set(
    doc: &mut AutoCommit,
    obj: &ObjId,
    key: &str,
    value: Option<ScalarValue>,
) -> Result<(), DomainError> {
    let res = match value {
        Some(v) => doc.put(obj, key, v),
        None => doc.delete(obj, key),
    };
    res.map_err(|e| DomainError::Schema(format!("cannot write {key:?}: {e}")))
}

pub fn ensure_map(doc: &mut AutoCommit, obj: &ObjId, key: &str) -> Result<ObjId, DomainError> {
    if let Some(id) = map(doc, obj, key)? {
        return Ok(id);
    }
    doc.put_object(obj, key, ObjType::Map)
        .map_err(|e| DomainError::Schema(format!("cannot create {key:?}: {e}")))
}

pub fn s(v: &str) -> Option<ScalarValue> {
    Some(ScalarValue::Str(v.into()))
}

pub fn i(v: i64) -> Option<ScalarValue> {
    Some(ScalarValue::Int(v))
}

pub fn put_delete(doc: &mut AutoCommit, obj: &ObjId, key: &str) -> Result<(), DomainError> {
    doc.delete(obj, key)
        .map_err(|e| DomainError::Schema(format!("cannot delete {key:?}: {e}")))
}
