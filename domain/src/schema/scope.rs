use std::collections::BTreeMap;

use automerge::transaction::{CommitOptions, Transactable};
use automerge::{AutoCommit, ObjId, ROOT, ReadDoc};
use serde::{Deserialize, Serialize};

use super::am;
use super::am::{ensure_map, i, put, put_delete, s};
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

/// Reads a scope document; any deviation from the schema is an error naming the field.
pub fn read_scope<D: ReadDoc>(doc: &D) -> Result<ScopeView, DomainError> {
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
    let safes_obj = am::req_map(doc, &ROOT, "safes")?;
    for key in doc.keys(&safes_obj) {
        let id: SafeId = key
            .parse()
            .map_err(|_| DomainError::Schema(format!("bad safe id {key:?}")))?;
        let o = am::req_map(doc, &safes_obj, &key)?;
        safes.insert(id, read_safe(doc, &o)?);
    }
    Ok(ScopeView {
        service,
        service_name,
        settings,
        models,
        safes,
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

fn read_code<D: ReadDoc>(
    doc: &D,
    o: &ObjId,
    prefix: &str,
) -> Result<Option<CodeView>, DomainError> {
    let Some(value) = am::opt_str(doc, o, prefix)? else {
        return Ok(None);
    };
    let value = ButtonSet::parse(&value)
        .map_err(|_| DomainError::Schema(format!("field {prefix:?} is not a code")))?;
    let since = Timestamp::from_millis(am::int(doc, o, &format!("{prefix}_since"))?);
    Ok(Some(CodeView { value, since }))
}

fn read_safe<D: ReadDoc>(doc: &D, o: &ObjId) -> Result<SafeView, DomainError> {
    let bad = |f: &str| DomainError::Schema(format!("field {f:?} has a bad value"));
    Ok(SafeView {
        street: am::str(doc, o, "street")?,
        numbers: am::str(doc, o, "numbers")?
            .parse()
            .map_err(|_| bad("numbers"))?,
        postcode: am::str(doc, o, "postcode")?,
        city: am::str(doc, o, "city")?,
        district: am::str(doc, o, "district")?,
        apartments: am::uint(doc, o, "apartments")?,
        placement: am::str(doc, o, "placement")?,
        model: am::str(doc, o, "model")?
            .parse()
            .map_err(|_| bad("model"))?,
        status: am::str(doc, o, "status")?
            .parse()
            .map_err(|_| bad("status"))?,
        code: read_code(doc, o, "code")?,
        previous_code: read_code(doc, o, "previous_code")?,
        new_code: read_code(doc, o, "new_code")?,
    })
}

fn write_code(
    doc: &mut AutoCommit,
    o: &ObjId,
    prefix: &str,
    code: &Option<CodeView>,
) -> Result<(), DomainError> {
    let since = format!("{prefix}_since");
    match code {
        Some(c) => {
            put(doc, o, prefix, s(&c.value.to_string()))?;
            put(doc, o, &since, i(c.since.millis()))
        }
        None => {
            put(doc, o, prefix, None)?;
            put(doc, o, &since, None)
        }
    }
}

fn write_safe(doc: &mut AutoCommit, o: &ObjId, v: &SafeView) -> Result<(), DomainError> {
    put(doc, o, "street", s(&v.street))?;
    put(doc, o, "numbers", s(&v.numbers.to_string()))?;
    put(doc, o, "postcode", s(&v.postcode))?;
    put(doc, o, "city", s(&v.city))?;
    put(doc, o, "district", s(&v.district))?;
    put(doc, o, "apartments", i(i64::from(v.apartments)))?;
    put(doc, o, "placement", s(&v.placement))?;
    put(doc, o, "model", s(&v.model.to_string()))?;
    put(doc, o, "status", s(v.status.as_str()))?;
    write_code(doc, o, "code", &v.code)?;
    write_code(doc, o, "previous_code", &v.previous_code)?;
    write_code(doc, o, "new_code", &v.new_code)
}

/// Brings a scope document to `view` with the fewest operations, as one change stamped `now`.
/// Returns whether anything changed.
pub fn write_scope(
    doc: &mut AutoCommit,
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
    for (id, safe) in &view.safes {
        let o = ensure_map(doc, &safes, &id.to_string())?;
        write_safe(doc, &o, safe)?;
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
