//! A volunteer's rounds document: the rounds assigned to one volunteer, with for every safe
//! what they need on site (address, placement, model, the code it opens with now and the new
//! code to set) and where the item stands. Written only by the server; the volunteer reports
//! back through their device outbox ([`super::DeviceEvent::CodeSet`] and
//! [`super::DeviceEvent::ChangeFailed`]).
//!
//! Layout (Automerge map keys):
//!
//! ```text
//! schema: 1, kind: "rounds", volunteer: <person id>, volunteer_name
//! models: { <model id>: { name, buttons } }
//! rounds: { <round id>: { campaign, campaign_name, campaign_kind, name, ordinal, district,
//!                         due?: "YYYY-MM-DD",
//!                         items: { <safe id>: { order, street, numbers, postcode, city,
//!                                               district, placement, model,
//!                                               current_code?, new_code, status,
//!                                               resolved_at? } } } }
//! ```

use std::collections::{BTreeMap, BTreeSet};

use automerge::transaction::{CommitOptions, Transactable};
use automerge::{AutoCommit, ObjId, ROOT, ReadDoc};
use serde::{Deserialize, Serialize};

use super::am;
use super::am::{ensure_map, i, put, put_delete, s};
use super::scope::ModelView;
use crate::error::DomainError;
use crate::ids::{CampaignId, PersonId, RoundId, SafeId, SafeModelId};
use crate::model::{CampaignKind, HouseNumbers, ItemStatus};
use crate::safe_model::ButtonSet;
use crate::time::{Date, Timestamp};

const KIND: &str = "rounds";

/// One safe of a round, as the volunteer needs it on site. Codes are secret: Debug of
/// [`ButtonSet`] is redacted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoundItemView {
    /// Position in the route, 1 first.
    pub order: u32,
    pub street: String,
    pub numbers: HouseNumbers,
    pub postcode: String,
    pub city: String,
    pub district: String,
    /// Where the safe hangs, e.g. "links van de inkomdeur".
    pub placement: String,
    /// The model; its buttons are in [`RoundsView::models`].
    pub model: SafeModelId,
    /// The code to open the safe with before the change: its current code while the item is
    /// open or failed; once done, the code it had before (while carers still see it as
    /// "vorige code"). `None` for a safe on its factory default.
    pub current_code: Option<ButtonSet>,
    /// The code to set.
    pub new_code: ButtonSet,
    /// `Open`, `Done` or `Failed` (the server never sends waiting or cancelled items).
    pub status: ItemStatus,
    /// When the server learnt the outcome (done or failed).
    pub resolved_at: Option<Timestamp>,
}

/// One round: safes in one district, in route order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoundView {
    pub campaign: CampaignId,
    pub campaign_name: String,
    pub campaign_kind: CampaignKind,
    /// E.g. "Brugse Poort 2".
    pub name: String,
    /// 1 for the campaign's first round.
    pub ordinal: u32,
    pub district: String,
    /// Last day on which the changes are on time, when the campaign has a deadline.
    pub due: Option<Date>,
    pub items: BTreeMap<SafeId, RoundItemView>,
}

/// Everything in a rounds document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoundsView {
    pub volunteer: PersonId,
    pub volunteer_name: String,
    pub models: BTreeMap<SafeModelId, ModelView>,
    pub rounds: BTreeMap<RoundId, RoundView>,
}

fn bad(field: &str) -> DomainError {
    DomainError::Schema(format!("field {field:?} has a bad value"))
}

fn parsed<T: std::str::FromStr, D: ReadDoc>(
    doc: &D,
    obj: &ObjId,
    key: &str,
) -> Result<T, DomainError> {
    am::str(doc, obj, key)?.parse().map_err(|_| bad(key))
}

fn opt_parsed<T: std::str::FromStr, D: ReadDoc>(
    doc: &D,
    obj: &ObjId,
    key: &str,
) -> Result<Option<T>, DomainError> {
    am::opt_str(doc, obj, key)?
        .map(|v| v.parse().map_err(|_| bad(key)))
        .transpose()
}

fn key_id<T: std::str::FromStr>(key: &str, what: &str) -> Result<T, DomainError> {
    key.parse()
        .map_err(|_| DomainError::Schema(format!("bad {what} id {key:?}")))
}

/// Reads a rounds document; any deviation from the schema is an error naming the field.
pub fn read_rounds<D: ReadDoc>(doc: &D) -> Result<RoundsView, DomainError> {
    am::check_header(doc, KIND)?;
    let volunteer = parsed(doc, &ROOT, "volunteer")?;
    let volunteer_name = am::str(doc, &ROOT, "volunteer_name")?;

    let mut models = BTreeMap::new();
    let models_obj = am::req_map(doc, &ROOT, "models")?;
    for key in doc.keys(&models_obj) {
        let m = am::req_map(doc, &models_obj, &key)?;
        models.insert(
            key_id(&key, "model")?,
            ModelView {
                name: am::str(doc, &m, "name")?,
                buttons: am::str(doc, &m, "buttons")?,
            },
        );
    }

    let mut rounds = BTreeMap::new();
    let rounds_obj = am::req_map(doc, &ROOT, "rounds")?;
    for key in doc.keys(&rounds_obj) {
        let r = am::req_map(doc, &rounds_obj, &key)?;
        rounds.insert(key_id(&key, "round")?, read_round(doc, &r)?);
    }
    Ok(RoundsView {
        volunteer,
        volunteer_name,
        models,
        rounds,
    })
}

fn read_round<D: ReadDoc>(doc: &D, r: &ObjId) -> Result<RoundView, DomainError> {
    let mut items = BTreeMap::new();
    let items_obj = am::req_map(doc, r, "items")?;
    for key in doc.keys(&items_obj) {
        let o = am::req_map(doc, &items_obj, &key)?;
        items.insert(key_id(&key, "safe")?, read_item(doc, &o)?);
    }
    Ok(RoundView {
        campaign: parsed(doc, r, "campaign")?,
        campaign_name: am::str(doc, r, "campaign_name")?,
        campaign_kind: parsed(doc, r, "campaign_kind")?,
        name: am::str(doc, r, "name")?,
        ordinal: am::uint(doc, r, "ordinal")?,
        district: am::str(doc, r, "district")?,
        due: opt_parsed(doc, r, "due")?,
        items,
    })
}

fn read_item<D: ReadDoc>(doc: &D, o: &ObjId) -> Result<RoundItemView, DomainError> {
    let code = |key: &str| -> Result<Option<ButtonSet>, DomainError> {
        am::opt_str(doc, o, key)?
            .map(|v| {
                ButtonSet::parse(&v)
                    .map_err(|_| DomainError::Schema(format!("field {key:?} is not a code")))
            })
            .transpose()
    };
    let status: ItemStatus = parsed(doc, o, "status")?;
    if !matches!(
        status,
        ItemStatus::Open | ItemStatus::Done | ItemStatus::Failed
    ) {
        return Err(bad("status"));
    }
    Ok(RoundItemView {
        order: am::uint(doc, o, "order")?,
        street: am::str(doc, o, "street")?,
        numbers: parsed(doc, o, "numbers")?,
        postcode: am::str(doc, o, "postcode")?,
        city: am::str(doc, o, "city")?,
        district: am::str(doc, o, "district")?,
        placement: am::str(doc, o, "placement")?,
        model: parsed(doc, o, "model")?,
        current_code: code("current_code")?,
        new_code: code("new_code")?.ok_or_else(|| bad("new_code"))?,
        status,
        resolved_at: am::opt_int(doc, o, "resolved_at")?.map(Timestamp::from_millis),
    })
}

/// Deletes every key of `obj` not in `wanted`. Returns whether something went.
fn drop_stale(
    doc: &mut AutoCommit,
    obj: &ObjId,
    wanted: &BTreeSet<String>,
) -> Result<bool, DomainError> {
    let stale: Vec<String> = doc.keys(obj).filter(|k| !wanted.contains(k)).collect();
    for key in &stale {
        put_delete(doc, obj, key)?;
    }
    Ok(!stale.is_empty())
}

fn write_item(doc: &mut AutoCommit, o: &ObjId, v: &RoundItemView) -> Result<(), DomainError> {
    put(doc, o, "order", i(i64::from(v.order)))?;
    put(doc, o, "street", s(&v.street))?;
    put(doc, o, "numbers", s(&v.numbers.to_string()))?;
    put(doc, o, "postcode", s(&v.postcode))?;
    put(doc, o, "city", s(&v.city))?;
    put(doc, o, "district", s(&v.district))?;
    put(doc, o, "placement", s(&v.placement))?;
    put(doc, o, "model", s(&v.model.to_string()))?;
    let current = v.current_code.as_ref().map(ToString::to_string);
    put(doc, o, "current_code", current.as_deref().and_then(s))?;
    put(doc, o, "new_code", s(&v.new_code.to_string()))?;
    put(doc, o, "status", s(v.status.as_str()))?;
    put(
        doc,
        o,
        "resolved_at",
        v.resolved_at.and_then(|t| i(t.millis())),
    )
}

fn write_round(doc: &mut AutoCommit, r: &ObjId, v: &RoundView) -> Result<(), DomainError> {
    put(doc, r, "campaign", s(&v.campaign.to_string()))?;
    put(doc, r, "campaign_name", s(&v.campaign_name))?;
    put(doc, r, "campaign_kind", s(v.campaign_kind.as_str()))?;
    put(doc, r, "name", s(&v.name))?;
    put(doc, r, "ordinal", i(i64::from(v.ordinal)))?;
    put(doc, r, "district", s(&v.district))?;
    let due = v.due.map(|d| d.to_string());
    put(doc, r, "due", due.as_deref().and_then(s))?;
    let items = ensure_map(doc, r, "items")?;
    let wanted = v.items.keys().map(ToString::to_string).collect();
    drop_stale(doc, &items, &wanted)?;
    for (safe, item) in &v.items {
        let o = ensure_map(doc, &items, &safe.to_string())?;
        write_item(doc, &o, item)?;
    }
    Ok(())
}

/// Whether writing `round` over `items` would leave a code only in the document's history:
/// an item's code to open with or to set that is neither of its codes any more (a pending
/// code replaced after the round changed hands, a current code changed meanwhile).
fn drops_a_code(doc: &AutoCommit, items: &ObjId, round: &RoundView) -> Result<bool, DomainError> {
    for (safe, item) in &round.items {
        let Some(o) = am::map(doc, items, &safe.to_string())? else {
            continue;
        };
        let kept = [
            item.current_code.as_ref().map(ToString::to_string),
            Some(item.new_code.to_string()),
        ];
        for key in ["current_code", "new_code"] {
            if let Some(old) = am::opt_str(doc, &o, key)?
                && !kept.iter().flatten().any(|k| *k == old)
            {
                return Ok(true);
            }
        }
    }
    Ok(false)
}

/// What [`write_rounds`] did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RoundsWrite {
    /// Something changed: devices have something new to fetch.
    pub changed: bool,
    /// A round, an item or one of its codes left the document. Automerge keeps history, so
    /// the caller should start a new epoch (write `view` into a fresh document) instead of
    /// keeping this one.
    pub shrank: bool,
}

/// Brings a rounds document to `view` with the fewest operations, as one change stamped
/// `now`.
pub fn write_rounds(
    doc: &mut AutoCommit,
    view: &RoundsView,
    now: Timestamp,
) -> Result<RoundsWrite, DomainError> {
    put(doc, &ROOT, "schema", i(super::SCHEMA_VERSION))?;
    put(doc, &ROOT, "kind", s(KIND))?;
    put(doc, &ROOT, "volunteer", s(&view.volunteer.to_string()))?;
    put(doc, &ROOT, "volunteer_name", s(&view.volunteer_name))?;

    let models = ensure_map(doc, &ROOT, "models")?;
    let wanted = view.models.keys().map(ToString::to_string).collect();
    drop_stale(doc, &models, &wanted)?;
    for (id, m) in &view.models {
        let o = ensure_map(doc, &models, &id.to_string())?;
        put(doc, &o, "name", s(&m.name))?;
        put(doc, &o, "buttons", s(&m.buttons))?;
    }

    let rounds = ensure_map(doc, &ROOT, "rounds")?;
    let wanted = view.rounds.keys().map(ToString::to_string).collect();
    let mut shrank = drop_stale(doc, &rounds, &wanted)?;
    for (id, round) in &view.rounds {
        let key = id.to_string();
        let r = ensure_map(doc, &rounds, &key)?;
        if let Some(items) = am::map(doc, &r, "items")? {
            shrank |= doc
                .keys(&items)
                .any(|k| !round.items.keys().any(|s| s.to_string() == k));
            shrank |= drops_a_code(doc, &items, round)?;
        }
        write_round(doc, &r, round)?;
    }
    let changed = doc.pending_ops() > 0;
    doc.commit_with(CommitOptions::default().with_time(now.millis() / 1000));
    Ok(RoundsWrite { changed, shrank })
}
