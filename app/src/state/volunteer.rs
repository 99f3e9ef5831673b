//! What the volunteer's screens read: their rounds (from the rounds document, via the sealed
//! view) and what this phone recorded but the server may not have applied yet (from the
//! device's own outbox), merged into one status per safe.

use std::collections::BTreeMap;

use dioxus::prelude::*;
use kluis_domain::ids::{RoundId, SafeId};
use kluis_domain::model::{ChangeFailure, ItemStatus};
use kluis_domain::schema::{RoundItemView, RoundView, RoundsView};

use super::i18n::{Key, Lang, Msg, say, t};

/// What this phone recorded for a safe (the latest record wins on screen; the server keeps
/// every record).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LocalRecord {
    Set { at: i64 },
    Failed { reason: ChangeFailure, at: i64 },
}

/// A safe's status as the volunteer should read it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ItemState {
    ToDo,
    /// Recorded here, not yet confirmed by the server (offline, or not synced yet).
    SetHere {
        at: i64,
    },
    FailedHere {
        reason: ChangeFailure,
        at: i64,
    },
    /// The server applied a "Gewijzigd": carers have the new code.
    Done,
    Failed,
}

/// The merged status: the server's word once it has one, else this phone's record.
pub fn item_state(item: &RoundItemView, local: Option<&LocalRecord>) -> ItemState {
    match (item.status, local) {
        (ItemStatus::Done, _) => ItemState::Done,
        (_, Some(LocalRecord::Set { at })) => ItemState::SetHere { at: *at },
        (ItemStatus::Failed, _) => ItemState::Failed,
        (_, Some(LocalRecord::Failed { reason, at })) => ItemState::FailedHere {
            reason: *reason,
            at: *at,
        },
        _ => ItemState::ToDo,
    }
}

/// The status chip's text.
pub fn state_text(state: &ItemState, lang: Lang) -> String {
    match state {
        ItemState::ToDo => t(lang, Key::ItemToDo).to_string(),
        ItemState::SetHere { at } => say(lang, Msg::ItemSetHere { time: &clock(*at) }),
        ItemState::FailedHere { reason, .. } => {
            format!(
                "{} · {}",
                t(lang, Key::ItemFailedHere),
                reason_text(*reason, lang)
            )
        }
        ItemState::Done => t(lang, Key::ItemDone).to_string(),
        ItemState::Failed => t(lang, Key::ItemFailed).to_string(),
    }
}

/// A CSS class suffix for the chip.
pub fn state_class(state: &ItemState) -> &'static str {
    match state {
        ItemState::ToDo => "todo",
        ItemState::SetHere { .. } | ItemState::FailedHere { .. } => "pending",
        ItemState::Done => "done",
        ItemState::Failed => "failed",
    }
}

pub fn reason_text(reason: ChangeFailure, lang: Lang) -> &'static str {
    t(
        lang,
        match reason {
            ChangeFailure::Broken => Key::ReasonBroken,
            ChangeFailure::KeyMissing => Key::ReasonKeyMissing,
            ChangeFailure::NoAccess => Key::ReasonNoAccess,
            ChangeFailure::Other => Key::ReasonOther,
        },
    )
}

/// "10:42" on Brussels time.
pub fn clock(millis: i64) -> String {
    use kluis_domain::freshness::brussels_offset_minutes;
    use kluis_domain::time::Timestamp;
    let offset = i64::from(brussels_offset_minutes(Timestamp::from_millis(millis))) * 60_000;
    let minutes = (millis + offset).rem_euclid(86_400_000) / 60_000;
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

/// The rounds in the order the volunteer works them.
pub fn rounds_in_order(view: &RoundsView) -> Vec<(RoundId, &RoundView)> {
    let mut rounds: Vec<(RoundId, &RoundView)> =
        view.rounds.iter().map(|(id, round)| (*id, round)).collect();
    rounds.sort_by(|a, b| {
        (a.1.due, &a.1.campaign_name, a.1.ordinal).cmp(&(b.1.due, &b.1.campaign_name, b.1.ordinal))
    });
    rounds
}

/// A round's safes in route order.
pub fn items_in_order(round: &RoundView) -> Vec<(SafeId, &RoundItemView)> {
    let mut items: Vec<(SafeId, &RoundItemView)> =
        round.items.iter().map(|(id, item)| (*id, item)).collect();
    items.sort_by_key(|(id, item)| (item.order, *id));
    items
}

/// (done or recorded here, failed, total) for a round's progress line.
pub fn progress(
    round: &RoundView,
    records: &BTreeMap<SafeId, LocalRecord>,
) -> (usize, usize, usize) {
    let mut done = 0;
    let mut failed = 0;
    for (id, item) in &round.items {
        match item_state(item, records.get(id)) {
            ItemState::Done | ItemState::SetHere { .. } => done += 1,
            ItemState::Failed | ItemState::FailedHere { .. } => failed += 1,
            ItemState::ToDo => {}
        }
    }
    (done, failed, round.items.len())
}

/// A round nobody has taken yet, as `GET /api/rounds` lists it (no codes).
pub type FreeRound = kluis_api::campaigns::RoundSummary;

/// The free rounds in an answer of `GET /api/rounds`.
///
/// # Errors
/// Not the expected JSON.
pub fn parse_free_rounds(body: &str) -> Result<Vec<FreeRound>, String> {
    serde_json::from_str::<kluis_api::campaigns::RoundsList>(body)
        .map(|answer| answer.available)
        .map_err(|_| "unexpected answer".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_server_word_wins_once_it_has_one() {
        let item = |status| RoundItemView {
            order: 1,
            street: "Sleepstraat".into(),
            numbers: "10-16".parse().expect("numbers"),
            postcode: "9000".into(),
            city: "Gent".into(),
            district: "Muide".into(),
            placement: "links".into(),
            model: kluis_domain::ids::SafeModelId::from_bytes([1; 16]),
            current_code: None,
            new_code: kluis_domain::safe_model::ButtonSet::parse("1357").expect("code"),
            status,
            resolved_at: None,
        };
        let set = LocalRecord::Set { at: 5 };
        let failed = LocalRecord::Failed {
            reason: ChangeFailure::NoAccess,
            at: 6,
        };
        assert_eq!(item_state(&item(ItemStatus::Open), None), ItemState::ToDo);
        assert_eq!(
            item_state(&item(ItemStatus::Open), Some(&set)),
            ItemState::SetHere { at: 5 }
        );
        assert_eq!(
            item_state(&item(ItemStatus::Done), Some(&failed)),
            ItemState::Done
        );
        // Another volunteer's failure on the server, while this phone set it: "set" stands
        // until the server applies it (done beats failed there too).
        assert_eq!(
            item_state(&item(ItemStatus::Failed), Some(&set)),
            ItemState::SetHere { at: 5 }
        );
        assert_eq!(
            state_text(
                &item_state(&item(ItemStatus::Open), Some(&failed)),
                Lang::Nl
            ),
            "Niet gelukt (nog te versturen) · Geen toegang"
        );
    }

    #[test]
    fn free_rounds_parse_and_garbage_is_an_error() {
        let (r, c) = ("1".repeat(32), "2".repeat(32));
        let body = format!(
            r#"{{"available":[{{"id":"{r}","name":"Brugse Poort 2","ordinal":2,
            "district":"Brugse Poort","wave":1,"campaign_id":"{c}","campaign_name":"Rotatie",
            "campaign_kind":"rotation","due_on":"2027-01-03","volunteer_id":null,
            "volunteer_name":null,"safes":10,"open":10,"done":0,"failed":0,
            "streets":["Haspelstraat","Bevrijdingslaan"]}}],"mine":[]}}"#
        );
        let body = body.as_str();
        let rounds = parse_free_rounds(body).expect("parses");
        assert_eq!(rounds.len(), 1);
        assert_eq!(rounds[0].name, "Brugse Poort 2");
        assert_eq!(rounds[0].streets, vec!["Haspelstraat", "Bevrijdingslaan"]);
        assert!(parse_free_rounds("<html>").is_err());
    }

    #[test]
    fn clock_is_brussels_time() {
        // 2026-11-22 09:42 UTC is 10:42 in Brussels (CET).
        assert_eq!(clock(1_795_340_520_000), "10:42");
    }
}
