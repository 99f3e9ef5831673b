use std::collections::BTreeMap;

use automerge::transaction::{CommitOptions, Transactable};
use automerge::{AutoCommit, ObjId, ObjType, ROOT, ReadDoc, ScalarValue, ValueRef};
use serde::{Deserialize, Serialize};

use super::am;
use super::am::{Fields, ensure_map, i, put, put_delete, s, set};
use crate::error::DomainError;
use crate::ids::{OrgId, SafeId, SafeModelId};
use crate::model::{HouseNumbers, SafeStatus};
use crate::safe_model::ButtonSet;
use crate::time::Timestamp;

const KIND: &str = "scope";

/// Settings the coordinator controls that a device must know offline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScopeSettings {
    /// Lock the app after this long without interaction.
    pub idle_lock_secs: u32,
    /// How long carers still see the previous code after a change.
    pub grace_days: u32,
    /// Data older than this (since the last successful sync) is no longer shown.
    pub lease_hours: u32,
}

impl Default for ScopeSettings {
    fn default() -> Self {
        ScopeSettings {
            idle_lock_secs: 120,
            grace_days: 14,
            lease_hours: 72,
        }
    }
}

/// A safe model as a device needs it to draw the buttons.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModelView {
    pub name: String,
    /// Button labels in the order they sit on the safe.
    pub buttons: String,
}

/// A code as shown to a carer. The value is secret: Debug of [`ButtonSet`] is redacted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeView {
    pub value: ButtonSet,
    /// When this code became the current one; for a new code, when it was drawn.
    pub since: Timestamp,
}

/// One safe as a carer's device sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SafeView {
    pub street: String,
    pub numbers: HouseNumbers,
    pub postcode: String,
    pub city: String,
    pub district: String,
    pub apartments: u32,
    pub placement: String,
    pub model: SafeModelId,
    pub status: SafeStatus,
    pub code: Option<CodeView>,
    /// The code before the current one, during the grace period after a change.
    pub previous_code: Option<CodeView>,
    /// The code a running campaign will set. A volunteer may already have punched it in
    /// while their record is still on their phone, so the carer gets it as a marked
    /// fallback (`shown::shown_codes`) rather than a door that does not open.
    #[serde(default)]
    pub new_code: Option<CodeView>,
}

/// Everything in a scope document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScopeView {
    pub service: OrgId,
    pub service_name: String,
    pub settings: ScopeSettings,
    pub models: BTreeMap<SafeModelId, ModelView>,
    pub safes: BTreeMap<SafeId, SafeView>,
}

/// A scope document's content as just read, and where each safe's map sits in it, so that a
/// rewrite over it need not look the safes up again.
pub struct HeldScope {
    pub view: ScopeView,
    objs: BTreeMap<SafeId, ObjId>,
}

/// Reads a scope document; any deviation from the schema is an error naming the field.
pub fn read_scope<D: ReadDoc>(doc: &D) -> Result<ScopeView, DomainError> {
    read_held_scope(doc).map(|held| held.view)
}

/// [`read_scope`], keeping where each safe sits (for [`write_scope_over`]).
pub fn read_held_scope<D: ReadDoc>(doc: &D) -> Result<HeldScope, DomainError> {
    am::check_header(doc, KIND)?;
    let service = am::str(doc, &ROOT, "service")?
        .parse()
        .map_err(|_| DomainError::Schema("bad service id".into()))?;
    let service_name = am::str(doc, &ROOT, "service_name")?;
    let settings = read_settings(doc)?;

    let mut models = BTreeMap::new();
    let models_obj = am::req_map(doc, &ROOT, "models")?;
    for key in doc.keys(&models_obj) {
        let id: SafeModelId = key
            .parse()
            .map_err(|_| DomainError::Schema(format!("bad model id {key:?}")))?;
        let m = am::req_map(doc, &models_obj, &key)?;
        models.insert(
            id,
            ModelView {
                name: am::str(doc, &m, "name")?,
                buttons: am::str(doc, &m, "buttons")?,
            },
        );
    }

    let mut safes = BTreeMap::new();
    let mut objs = BTreeMap::new();
    let safes_obj = am::req_map(doc, &ROOT, "safes")?;
    // One pass over the safes, not a look-up of each by its key.
    for item in doc.map_range(&safes_obj, ..) {
        let key = &item.key;
        let id: SafeId = key
            .parse()
            .map_err(|_| DomainError::Schema(format!("bad safe id {key:?}")))?;
        if !matches!(item.value, ValueRef::Object(ObjType::Map)) {
            return Err(DomainError::Schema(format!(
                "field {key:?} is missing or has the wrong type"
            )));
        }
        let obj = item.id();
        safes.insert(id, read_safe(doc, &obj)?);
        objs.insert(id, obj);
    }
    Ok(HeldScope {
        view: ScopeView {
            service,
            service_name,
            settings,
            models,
            safes,
        },
        objs,
    })
}

fn read_settings<D: ReadDoc>(doc: &D) -> Result<ScopeSettings, DomainError> {
    let s = am::req_map(doc, &ROOT, "settings")?;
    Ok(ScopeSettings {
        idle_lock_secs: am::uint(doc, &s, "idle_lock_secs")?,
        grace_days: am::uint(doc, &s, "grace_days")?,
        lease_hours: am::uint(doc, &s, "lease_hours")?,
    })
}

/// The settings a scope document holds, read without the rest of it.
pub fn read_scope_settings<D: ReadDoc>(doc: &D) -> Result<ScopeSettings, DomainError> {
    am::check_header(doc, KIND)?;
    read_settings(doc)
}

/// One safe of a scope document (`None`: the document does not hold it), read with a few key
/// look-ups whatever the scope's size.
pub fn read_scope_safe<D: ReadDoc>(doc: &D, safe: SafeId) -> Result<Option<SafeView>, DomainError> {
    let safes = am::req_map(doc, &ROOT, "safes")?;
    match am::map(doc, &safes, &safe.to_string())? {
        Some(o) => read_safe(doc, &o).map(Some),
        None => Ok(None),
    }
}

/// Whether the scope document describes the safe model `model` (a safe's buttons are drawn
/// from it).
pub fn scope_has_model<D: ReadDoc>(doc: &D, model: SafeModelId) -> bool {
    matches!(am::map(doc, &ROOT, "models"), Ok(Some(models))
        if matches!(am::map(doc, &models, &model.to_string()), Ok(Some(_))))
}

fn read_code(f: &Fields, prefix: &str) -> Result<Option<CodeView>, DomainError> {
    let Some(value) = f.opt_str(prefix)? else {
        return Ok(None);
    };
    let value = ButtonSet::parse(&value)
        .map_err(|_| DomainError::Schema(format!("field {prefix:?} is not a code")))?;
    let since = Timestamp::from_millis(f.int(&format!("{prefix}_since"))?);
    Ok(Some(CodeView { value, since }))
}

fn read_safe<D: ReadDoc>(doc: &D, o: &ObjId) -> Result<SafeView, DomainError> {
    let bad = |f: &str| DomainError::Schema(format!("field {f:?} has a bad value"));
    let f = Fields::of(doc, o);
    Ok(SafeView {
        street: f.str("street")?,
        numbers: f.str("numbers")?.parse().map_err(|_| bad("numbers"))?,
        postcode: f.str("postcode")?,
        city: f.str("city")?,
        district: f.str("district")?,
        apartments: f.uint("apartments")?,
        placement: f.str("placement")?,
        model: f.str("model")?.parse().map_err(|_| bad("model"))?,
        status: f.str("status")?.parse().map_err(|_| bad("status"))?,
        code: read_code(&f, "code")?,
        previous_code: read_code(&f, "previous_code")?,
        new_code: read_code(&f, "new_code")?,
    })
}

/// Every field of a safe as the document stores it (`None`: absent), in one list for both
/// writers below.
fn safe_fields(v: &SafeView) -> Vec<(String, Option<ScalarValue>)> {
    let mut fields = vec![
        ("street".to_string(), s(&v.street)),
        ("numbers".to_string(), s(&v.numbers.to_string())),
        ("postcode".to_string(), s(&v.postcode)),
        ("city".to_string(), s(&v.city)),
        ("district".to_string(), s(&v.district)),
        ("apartments".to_string(), i(i64::from(v.apartments))),
        ("placement".to_string(), s(&v.placement)),
        ("model".to_string(), s(&v.model.to_string())),
        ("status".to_string(), s(v.status.as_str())),
    ];
    for (prefix, code) in [
        ("code", &v.code),
        ("previous_code", &v.previous_code),
        ("new_code", &v.new_code),
    ] {
        fields.push((
            prefix.to_string(),
            code.as_ref().and_then(|c| s(&c.value.to_string())),
        ));
        fields.push((
            format!("{prefix}_since"),
            code.as_ref().and_then(|c| i(c.since.millis())),
        ));
    }
    fields
}

/// A safe into a map that may hold an older version of it: each field read and written only
/// when it differs.
fn write_safe(doc: &mut AutoCommit, o: &ObjId, v: &SafeView) -> Result<(), DomainError> {
    safe_fields(v)
        .into_iter()
        .try_for_each(|(key, value)| put(doc, o, &key, value))
}

/// A safe into a map just created: the fields it has set, nothing read.
fn write_new_safe(doc: &mut AutoCommit, o: &ObjId, v: &SafeView) -> Result<(), DomainError> {
    safe_fields(v)
        .into_iter()
        .filter(|(_, value)| value.is_some())
        .try_for_each(|(key, value)| set(doc, o, &key, value))
}

/// Only the fields of a safe that differ between `old` (what the document holds, just read)
/// and `new`, written without reading them again.
fn write_safe_changes(
    doc: &mut AutoCommit,
    o: &ObjId,
    old: &SafeView,
    new: &SafeView,
) -> Result<(), DomainError> {
    let text: [(&str, &str, &str); 5] = [
        ("street", &old.street, &new.street),
        ("postcode", &old.postcode, &new.postcode),
        ("city", &old.city, &new.city),
        ("district", &old.district, &new.district),
        ("placement", &old.placement, &new.placement),
    ];
    for (key, was, is) in text {
        if was != is {
            set(doc, o, key, s(is))?;
        }
    }
    if old.numbers != new.numbers {
        set(doc, o, "numbers", s(&new.numbers.to_string()))?;
    }
    if old.apartments != new.apartments {
        set(doc, o, "apartments", i(i64::from(new.apartments)))?;
    }
    if old.model != new.model {
        set(doc, o, "model", s(&new.model.to_string()))?;
    }
    if old.status != new.status {
        set(doc, o, "status", s(new.status.as_str()))?;
    }
    let codes = [
        ("code", &old.code, &new.code),
        ("previous_code", &old.previous_code, &new.previous_code),
        ("new_code", &old.new_code, &new.new_code),
    ];
    for (prefix, was, is) in codes {
        let since = format!("{prefix}_since");
        let (was_value, was_since) = (
            was.as_ref().map(|c| &c.value),
            was.as_ref().map(|c| c.since),
        );
        let (is_value, is_since) = (is.as_ref().map(|c| &c.value), is.as_ref().map(|c| c.since));
        if was_value != is_value {
            set(doc, o, prefix, is_value.and_then(|v| s(&v.to_string())))?;
        }
        if was_since != is_since {
            set(doc, o, &since, is_since.and_then(|t| i(t.millis())))?;
        }
    }
    Ok(())
}

/// Brings a scope document to `view` with the fewest operations, as one change stamped `now`.
/// Returns whether anything changed.
pub fn write_scope(
    doc: &mut AutoCommit,
    view: &ScopeView,
    now: Timestamp,
) -> Result<bool, DomainError> {
    write_scope_over(doc, None, view, now)
}

/// [`write_scope`] for a document known to hold `current` (just read from it): safes equal
/// in both are not looked at, and of a changed safe only the changed fields are, so a
/// campaign's new codes for a whole city cost the writes, not a read of every field.
pub fn write_scope_over(
    doc: &mut AutoCommit,
    current: Option<&HeldScope>,
    view: &ScopeView,
    now: Timestamp,
) -> Result<bool, DomainError> {
    put(doc, &ROOT, "schema", i(super::SCHEMA_VERSION))?;
    put(doc, &ROOT, "kind", s(KIND))?;
    put(doc, &ROOT, "service", s(&view.service.to_string()))?;
    put(doc, &ROOT, "service_name", s(&view.service_name))?;
    let st = ensure_map(doc, &ROOT, "settings")?;
    put(
        doc,
        &st,
        "idle_lock_secs",
        i(i64::from(view.settings.idle_lock_secs)),
    )?;
    put(
        doc,
        &st,
        "grace_days",
        i(i64::from(view.settings.grace_days)),
    )?;
    put(
        doc,
        &st,
        "lease_hours",
        i(i64::from(view.settings.lease_hours)),
    )?;

    let models = ensure_map(doc, &ROOT, "models")?;
    let stale: Vec<String> = doc
        .keys(&models)
        .filter(|k| !view.models.keys().any(|id| id.to_string() == *k))
        .collect();
    for key in stale {
        put_delete(doc, &models, &key)?;
    }
    for (id, m) in &view.models {
        let o = ensure_map(doc, &models, &id.to_string())?;
        put(doc, &o, "name", s(&m.name))?;
        put(doc, &o, "buttons", s(&m.buttons))?;
    }

    let safes = ensure_map(doc, &ROOT, "safes")?;
    let wanted: std::collections::BTreeSet<String> =
        view.safes.keys().map(|id| id.to_string()).collect();
    let stale: Vec<String> = doc.keys(&safes).filter(|k| !wanted.contains(k)).collect();
    for key in stale {
        put_delete(doc, &safes, &key)?;
    }
    // Whether a safe missing from `current` is missing from the document too: then it is
    // written into a fresh map without reading anything (a new epoch's whole scope).
    let absent_known = current.is_some() || doc.length(&safes) == 0;
    for (id, safe) in &view.safes {
        let held = current.and_then(|c| Some((c.view.safes.get(id)?, c.objs.get(id)?)));
        match held {
            Some((old, _)) if old == safe => {}
            Some((old, o)) => write_safe_changes(doc, o, old, safe)?,
            None if absent_known => {
                let o = doc
                    .put_object(&safes, id.to_string(), ObjType::Map)
                    .map_err(|e| DomainError::Schema(format!("cannot create a safe: {e}")))?;
                write_new_safe(doc, &o, safe)?;
            }
            None => {
                let o = ensure_map(doc, &safes, &id.to_string())?;
                write_safe(doc, &o, safe)?;
            }
        }
    }
    let changed = doc.pending_ops() > 0;
    doc.commit_with(CommitOptions::default().with_time(now.millis() / 1000));
    Ok(changed)
}

/// Brings only the given safes of a scope document to what `changes` says (`None`: the safe
/// is no longer in the scope), as one change stamped `now`: the work is that of the changed
/// safes, whatever the scope's size. Returns whether anything changed. On an error nothing of
/// it stays in the document (the pending operations are rolled back).
pub fn write_scope_safes(
    doc: &mut AutoCommit,
    changes: &BTreeMap<SafeId, Option<SafeView>>,
    now: Timestamp,
) -> Result<bool, DomainError> {
    let written = (|| {
        let safes = ensure_map(doc, &ROOT, "safes")?;
        for (id, safe) in changes {
            let key = id.to_string();
            match safe {
                Some(safe) => {
                    let o = ensure_map(doc, &safes, &key)?;
                    write_safe(doc, &o, safe)?;
                }
                None if am::map(doc, &safes, &key)?.is_some() => put_delete(doc, &safes, &key)?,
                None => {}
            }
        }
        Ok(())
    })();
    if let Err(e) = written {
        doc.rollback();
        return Err(e);
    }
    let changed = doc.pending_ops() > 0;
    doc.commit_with(CommitOptions::default().with_time(now.millis() / 1000));
    Ok(changed)
}

/// Whether the scope document holds `safe`: one key look-up, so a device's reveals can be
/// checked without reading the whole scope.
pub fn scope_has_safe<D: ReadDoc>(doc: &D, safe: SafeId) -> bool {
    matches!(am::map(doc, &ROOT, "safes"), Ok(Some(safes))
        if matches!(am::map(doc, &safes, &safe.to_string()), Ok(Some(_))))
}

fn codes_of(safe: &SafeView) -> impl Iterator<Item = &ButtonSet> {
    [&safe.code, &safe.previous_code, &safe.new_code]
        .into_iter()
        .flatten()
        .map(|c| &c.value)
}

/// Whether writing `next` over a document holding `current` would leave something only in
/// the document's history: a safe that left the scope, or a code that is no longer the
/// current, previous or new one of its safe (retired after the grace period, replaced twice,
/// or a new code replaced before it was set).
/// Automerge keeps history, so the server then starts a new epoch: a phone holds only what
/// its carer may use now, and so does every first-sync snapshot.
pub fn scope_needs_new_epoch(current: &ScopeView, next: &ScopeView) -> bool {
    current
        .safes
        .iter()
        .any(|(id, old)| safe_needs_new_epoch(old, next.safes.get(id)))
}

/// The rule of [`scope_needs_new_epoch`] for one safe: it leaves the scope (`next` is `None`),
/// or one of its codes is no longer its current, previous or new code (a new code that
/// becomes the current one stays).
pub fn safe_needs_new_epoch(current: &SafeView, next: Option<&SafeView>) -> bool {
    match next {
        None => true,
        Some(new) => codes_of(current).any(|c| !codes_of(new).any(|n| n == c)),
    }
}
