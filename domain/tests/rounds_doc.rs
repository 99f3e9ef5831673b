//! The volunteer's rounds document: what the server writes is what a device reads, also
//! after incremental updates; a document that breaks the schema is an error, never a panic;
//! and the volunteer's outbox events round-trip.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;

use automerge::transaction::Transactable;
use automerge::{AutoCommit, ObjType, ROOT, ReadDoc, ScalarValue};
use kluis_domain::ids::{CampaignId, DeviceId, EventId, PersonId, RoundId, SafeId, SafeModelId};
use kluis_domain::model::{CampaignKind, ChangeFailure, HouseNumbers, ItemStatus};
use kluis_domain::safe_model::ButtonSet;
use kluis_domain::schema::{
    DeviceEvent, ModelView, RoundItemView, RoundView, RoundsView, append_device_event,
    read_device_events, read_rounds, write_rounds,
};
use kluis_domain::time::{Date, Timestamp};
use proptest::prelude::*;

const STREETS: [&str; 5] = [
    "Sleepstraat",
    "Rabotstraat",
    "Émile Braunplein",
    "Brugse Steenweg",
    "Kikvorsstraat",
];

fn code() -> impl Strategy<Value = ButtonSet> {
    proptest::sample::subsequence(
        vec!['1', '2', '3', '4', '5', '6', '7', '8', '9', '0'],
        4..=7,
    )
    .prop_map(|b| ButtonSet::from_buttons(b).unwrap())
}

fn item() -> impl Strategy<Value = RoundItemView> {
    (
        (1u32..50, 0usize..STREETS.len(), 1u32..200, 0u32..12),
        ".{0,30}",
        proptest::option::of(code()),
        code(),
        prop_oneof![
            Just(ItemStatus::Open),
            Just(ItemStatus::Done),
            Just(ItemStatus::Failed)
        ],
        proptest::option::of(0i64..4_000_000_000_000),
        any::<[u8; 16]>(),
    )
        .prop_map(
            |((order, street, first, len), placement, current, new, status, resolved, model)| {
                RoundItemView {
                    order,
                    street: STREETS[street].into(),
                    numbers: HouseNumbers::range(first, first + len, 1).unwrap(),
                    postcode: "9000".into(),
                    city: "Gent".into(),
                    district: "Rabot".into(),
                    placement,
                    model: SafeModelId::from_bytes(model),
                    current_code: current,
                    new_code: new,
                    status,
                    resolved_at: resolved.map(Timestamp::from_millis),
                }
            },
        )
}

fn round() -> impl Strategy<Value = RoundView> {
    (
        any::<[u8; 16]>(),
        ".{0,20}",
        any::<bool>(),
        1u32..40,
        proptest::option::of(0i64..40_000),
        proptest::collection::btree_map(any::<[u8; 16]>(), item(), 0..6),
    )
        .prop_map(|(campaign, name, urgent, ordinal, due, items)| RoundView {
            campaign: CampaignId::from_bytes(campaign),
            campaign_name: format!("Campagne {name}"),
            campaign_kind: if urgent {
                CampaignKind::Urgent
            } else {
                CampaignKind::Rotation
            },
            name,
            ordinal,
            district: "Rabot".into(),
            due: due.map(Date::from_days_since_epoch),
            items: items
                .into_iter()
                .map(|(k, v)| (SafeId::from_bytes(k), v))
                .collect(),
        })
}

fn view() -> impl Strategy<Value = RoundsView> {
    (
        any::<[u8; 16]>(),
        proptest::collection::btree_map(any::<[u8; 16]>(), round(), 0..4),
    )
        .prop_map(|(volunteer, rounds)| RoundsView {
            volunteer: PersonId::from_bytes(volunteer),
            volunteer_name: "Marc Van Hecke".into(),
            models: BTreeMap::from([(
                SafeModelId::from_bytes([1; 16]),
                ModelView {
                    name: "Supra KeySafe Pro".into(),
                    buttons: "1234567890".into(),
                },
            )]),
            rounds: rounds
                .into_iter()
                .map(|(k, v)| (RoundId::from_bytes(k), v))
                .collect(),
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn a_written_rounds_doc_reads_back_the_same(v in view()) {
        let mut doc = AutoCommit::new();
        let w = write_rounds(&mut doc, &v, Timestamp::from_millis(1)).unwrap();
        prop_assert!(w.changed);
        prop_assert!(!w.shrank);
        prop_assert_eq!(read_rounds(&doc).unwrap(), v.clone());
        // Through save and load, as a device receives it.
        let loaded = AutoCommit::load(&doc.save()).unwrap();
        prop_assert_eq!(read_rounds(&loaded).unwrap(), v.clone());
        // Writing the same view again changes nothing.
        let again = write_rounds(&mut doc, &v, Timestamp::from_millis(2)).unwrap();
        prop_assert!(!again.changed);
    }

    #[test]
    fn an_update_reads_back_as_the_new_view_and_reports_shrinking(a in view(), b in view()) {
        let mut doc = AutoCommit::new();
        write_rounds(&mut doc, &a, Timestamp::from_millis(1)).unwrap();
        let w = write_rounds(&mut doc, &b, Timestamp::from_millis(2)).unwrap();
        prop_assert_eq!(read_rounds(&doc).unwrap(), b.clone());
        let removed_round = a.rounds.keys().any(|r| !b.rounds.contains_key(r));
        let removed_item = a.rounds.iter().any(|(r, ra)| {
            b.rounds
                .get(r)
                .is_some_and(|rb| ra.items.keys().any(|s| !rb.items.contains_key(s)))
        });
        prop_assert_eq!(w.shrank, removed_round || removed_item);
    }

    /// Any single field overwritten with a value of another type, or deleted, gives an error
    /// or a valid view, never a panic.
    #[test]
    fn a_damaged_rounds_doc_is_an_error_not_a_panic(
        v in view(),
        pick in any::<prop::sample::Index>(),
        damage in 0u8..4,
    ) {
        let mut doc = AutoCommit::new();
        write_rounds(&mut doc, &v, Timestamp::from_millis(1)).unwrap();
        let mut fields = Vec::new();
        collect_fields(&doc, ROOT, &mut fields);
        let (obj, key) = pick.get(&fields).clone();
        match damage {
            0 => doc.put(&obj, &key, ScalarValue::Boolean(true)).unwrap(),
            1 => doc.delete(&obj, &key).unwrap(),
            2 => doc.put(&obj, &key, "????").unwrap(),
            _ => {
                doc.put_object(&obj, &key, ObjType::List).unwrap();
            }
        }
        let _ = read_rounds(&doc);
    }
}

fn collect_fields(
    doc: &AutoCommit,
    obj: automerge::ObjId,
    out: &mut Vec<(automerge::ObjId, String)>,
) {
    for key in doc.keys(&obj).collect::<Vec<_>>() {
        out.push((obj.clone(), key.clone()));
        if let Ok(Some((automerge::Value::Object(ObjType::Map), child))) = doc.get(&obj, &key) {
            collect_fields(doc, child, out);
        }
    }
}

fn sample() -> RoundsView {
    let item = RoundItemView {
        order: 1,
        street: "Rabotstraat".into(),
        numbers: "12-16".parse().unwrap(),
        postcode: "9000".into(),
        city: "Gent".into(),
        district: "Rabot".into(),
        placement: "links van de inkomdeur".into(),
        model: SafeModelId::from_bytes([1; 16]),
        current_code: Some(ButtonSet::parse("2579").unwrap()),
        new_code: ButtonSet::parse("13680").unwrap(),
        status: ItemStatus::Open,
        resolved_at: None,
    };
    RoundsView {
        volunteer: PersonId::from_bytes([3; 16]),
        volunteer_name: "Rita De Vos".into(),
        models: BTreeMap::new(),
        rounds: BTreeMap::from([(
            RoundId::from_bytes([4; 16]),
            RoundView {
                campaign: CampaignId::from_bytes([5; 16]),
                campaign_name: "Rotatie voorjaar".into(),
                campaign_kind: CampaignKind::Rotation,
                name: "Rabot 1".into(),
                ordinal: 1,
                district: "Rabot".into(),
                due: Some("2026-06-30".parse().unwrap()),
                items: BTreeMap::from([(SafeId::from_bytes([6; 16]), item)]),
            },
        )]),
    }
}

#[test]
fn malformed_rounds_docs_are_errors() {
    // Empty, another kind, another schema version.
    assert!(read_rounds(&AutoCommit::new()).is_err());
    let mut scope_like = AutoCommit::new();
    scope_like.put(ROOT, "schema", 1).unwrap();
    scope_like.put(ROOT, "kind", "scope").unwrap();
    assert!(read_rounds(&scope_like).is_err());

    let mut doc = AutoCommit::new();
    write_rounds(&mut doc, &sample(), Timestamp::from_millis(1)).unwrap();
    assert!(read_rounds(&doc).is_ok());

    let rounds = doc.get(ROOT, "rounds").unwrap().unwrap().1;
    let round = doc.get(&rounds, "04".repeat(16)).unwrap().unwrap().1;
    let items = doc.get(&round, "items").unwrap().unwrap().1;
    let item = doc.get(&items, "06".repeat(16)).unwrap().unwrap().1;
    for (key, value) in [
        ("new_code", ScalarValue::Str("1 1".into())),
        ("status", ScalarValue::Str("waiting".into())),
        ("status", ScalarValue::Str("cancelled".into())),
        ("numbers", ScalarValue::Str("".into())),
        ("order", ScalarValue::Int(-1)),
        ("resolved_at", ScalarValue::Str("yesterday".into())),
    ] {
        let mut broken = doc.fork();
        broken.put(&item, key, value).unwrap();
        let Err(err) = read_rounds(&broken) else {
            panic!("{key} accepted")
        };
        assert!(err.to_string().contains(key), "{key}: {err}");
    }
    let mut broken = doc.fork();
    broken
        .put_object(&items, "not-a-safe-id", ObjType::Map)
        .unwrap();
    assert!(read_rounds(&broken).is_err());
    let mut broken = doc.fork();
    broken.put(&round, "due", "30/06/2026").unwrap();
    assert!(read_rounds(&broken).is_err());
    let mut broken = doc.fork();
    broken.delete(&item, "new_code").unwrap();
    assert!(read_rounds(&broken).is_err());
}

#[test]
fn volunteer_events_round_trip_and_unknown_types_are_errors() {
    let device = DeviceId::from_bytes([8; 16]);
    let safe = SafeId::from_bytes([6; 16]);
    let events = [
        DeviceEvent::CodeSet {
            safe,
            at: Timestamp::from_millis(10),
        },
        DeviceEvent::ChangeFailed {
            safe,
            reason: ChangeFailure::KeyMissing,
            note: "geen sleutel in de kluis".into(),
            at: Timestamp::from_millis(20),
        },
        DeviceEvent::CodeRevealed {
            safe,
            at: Timestamp::from_millis(30),
        },
    ];
    let mut doc = AutoCommit::new();
    let mut ids = Vec::new();
    for (n, e) in events.iter().enumerate() {
        let id = EventId::from_bytes([n as u8 + 1; 16]);
        append_device_event(&mut doc, device, id, e, Timestamp::from_millis(99)).unwrap();
        ids.push((id, e.clone()));
    }
    let mut read = read_device_events(&doc, device).unwrap();
    read.sort_by_key(|(id, _)| *id);
    assert_eq!(read, ids);

    // A note longer than the limit is refused when written and when read.
    let long = DeviceEvent::ChangeFailed {
        safe,
        reason: ChangeFailure::Other,
        note: "x".repeat(501),
        at: Timestamp::from_millis(1),
    };
    assert!(
        append_device_event(
            &mut doc,
            device,
            EventId::from_bytes([9; 16]),
            &long,
            Timestamp::from_millis(1)
        )
        .is_err()
    );
    let events_obj = doc.get(ROOT, "events").unwrap().unwrap().1;
    let first = doc.get(&events_obj, "02".repeat(16)).unwrap().unwrap().1;
    let mut broken = doc.fork();
    broken.put(&first, "note", "x".repeat(501)).unwrap();
    assert!(read_device_events(&broken, device).is_err());
    let mut broken = doc.fork();
    broken.put(&first, "reason", "lazy").unwrap();
    assert!(read_device_events(&broken, device).is_err());
    let mut broken = doc.fork();
    broken.put(&first, "type", "code_unset").unwrap();
    assert!(read_device_events(&broken, device).is_err());
}
