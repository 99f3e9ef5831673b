//! The scope document changed one safe at a time: the server's incremental update must leave
//! exactly the document a full rewrite would, stored as a saved document followed by the
//! changes saved since (what a phone's first sync loads).

#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;

use automerge::AutoCommit;
use kluis_domain::ids::{OrgId, SafeId, SafeModelId};
use kluis_domain::model::SafeStatus;
use kluis_domain::safe_model::ButtonSet;
use kluis_domain::schema::{
    CodeView, ModelView, SafeView, ScopeSettings, ScopeView, read_held_scope, read_scope,
    read_scope_safe, read_scope_settings, safe_needs_new_epoch, scope_has_model, write_scope,
    write_scope_over, write_scope_safes,
};
use kluis_domain::time::Timestamp;

fn model() -> SafeModelId {
    SafeModelId::from_bytes([1; 16])
}

fn safe_id(n: usize) -> SafeId {
    let mut id = [0u8; 16];
    id[..8].copy_from_slice(&(n as u64 + 1).to_be_bytes());
    SafeId::from_bytes(id)
}

fn code(value: &str, since: i64) -> Option<CodeView> {
    Some(CodeView {
        value: ButtonSet::parse(value).unwrap(),
        since: Timestamp::from_millis(since),
    })
}

fn safe(n: usize) -> SafeView {
    SafeView {
        street: "Sleepstraat".into(),
        numbers: format!("{}", 10 + n * 2).parse().unwrap(),
        postcode: "9000".into(),
        city: "Gent".into(),
        district: "Binnenstad".into(),
        apartments: 24,
        placement: "links van de inkomdeur".into(),
        model: model(),
        status: SafeStatus::Active,
        code: code(["1357", "2468", "13579", "24680"][n % 4], 0),
        previous_code: None,
        new_code: None,
    }
}

fn view(safes: usize) -> ScopeView {
    ScopeView {
        service: OrgId::from_bytes([7; 16]),
        service_name: "Wit-Gele Kruis".into(),
        settings: ScopeSettings::default(),
        models: BTreeMap::from([(
            model(),
            ModelView {
                name: "Supra KeySafe Pro".into(),
                buttons: "1234567890".into(),
            },
        )]),
        safes: (0..safes).map(|n| (safe_id(n), safe(n))).collect(),
    }
}

fn written(view: &ScopeView) -> AutoCommit {
    let mut doc = AutoCommit::new();
    write_scope(&mut doc, view, Timestamp::from_millis(1_000)).unwrap();
    doc
}

#[test]
fn changing_one_safe_leaves_what_a_full_rewrite_leaves() {
    let mut next = view(300);
    let mut doc = written(&next);
    let saved = doc.save();

    let mut changed = next.safes[&safe_id(17)].clone();
    changed.previous_code = changed.code.take();
    changed.code = code("1470", 5_000);
    next.safes.insert(safe_id(17), changed.clone());
    let added = safe(300);
    next.safes.insert(safe_id(300), added.clone());
    let changes = BTreeMap::from([
        (safe_id(17), Some(changed.clone())),
        (safe_id(300), Some(added)),
    ]);

    let before = doc.get_heads();
    assert!(write_scope_safes(&mut doc, &changes, Timestamp::from_millis(5_000)).unwrap());
    assert_eq!(read_scope(&doc).unwrap(), next);
    // One change, holding only the two safes' operations.
    let change = doc.get_changes(&before);
    assert_eq!(change.len(), 1);
    assert!(change[0].len() < 40, "{} operations", change[0].len());

    // Writing the same again changes nothing.
    assert!(!write_scope_safes(&mut doc, &changes, Timestamp::from_millis(6_000)).unwrap());

    // The stored document and the changes saved after it load as the whole.
    let mut stored = saved;
    stored.extend(doc.save_incremental());
    let loaded = AutoCommit::load(&stored).unwrap();
    assert_eq!(read_scope(&loaded).unwrap(), next);
    assert_eq!(
        read_scope_safe(&loaded, safe_id(17)).unwrap().as_ref(),
        Some(&changed)
    );
}

#[test]
fn a_safe_that_leaves_is_deleted_and_an_unknown_one_stays_absent() {
    let mut doc = written(&view(5));
    let changes = BTreeMap::from([(safe_id(2), None), (safe_id(99), None)]);
    assert!(write_scope_safes(&mut doc, &changes, Timestamp::from_millis(2_000)).unwrap());
    assert_eq!(read_scope_safe(&doc, safe_id(2)).unwrap(), None);
    assert_eq!(read_scope_safe(&doc, safe_id(99)).unwrap(), None);
    assert_eq!(read_scope(&doc).unwrap().safes.len(), 4);
}

#[test]
fn settings_and_models_are_read_without_the_safes() {
    let doc = written(&view(3));
    assert_eq!(read_scope_settings(&doc).unwrap(), ScopeSettings::default());
    assert!(scope_has_model(&doc, model()));
    assert!(!scope_has_model(&doc, SafeModelId::from_bytes([2; 16])));
    assert!(read_scope_settings(&AutoCommit::new()).is_err());
}

#[test]
fn a_code_that_leaves_its_safe_needs_a_new_epoch() {
    let old = safe(1);
    // The current code becomes the previous one: nothing leaves.
    let mut rotated = old.clone();
    rotated.previous_code = rotated.code.take();
    rotated.code = code("1470", 9);
    assert!(!safe_needs_new_epoch(&old, Some(&rotated)));
    assert!(!safe_needs_new_epoch(&old, Some(&old)));
    // The previous code retires, or a code is replaced twice, or the safe leaves the scope.
    let mut retired = rotated.clone();
    retired.previous_code = None;
    assert!(safe_needs_new_epoch(&rotated, Some(&retired)));
    let mut twice = rotated.clone();
    twice.previous_code = twice.code.take();
    twice.code = code("2589", 10);
    assert!(safe_needs_new_epoch(&rotated, Some(&twice)));
    assert!(safe_needs_new_epoch(&old, None));
}

#[test]
fn a_new_code_that_is_set_stays_and_one_replaced_before_it_is_set_leaves() {
    let old = safe(1);
    // A campaign draws a new code: it is added, nothing leaves, and it reads back.
    let mut planned = old.clone();
    planned.new_code = code("1470", 9);
    assert!(!safe_needs_new_epoch(&old, Some(&planned)));
    let doc = written(&ScopeView {
        safes: [(safe_id(1), planned.clone())].into(),
        ..view(0)
    });
    assert_eq!(
        read_scope_safe(&doc, safe_id(1)).unwrap(),
        Some(planned.clone())
    );
    // The volunteer's record arrives: the new code becomes the current one.
    let mut set = planned.clone();
    set.previous_code = set.code.take();
    set.code = set.new_code.take();
    assert!(!safe_needs_new_epoch(&planned, Some(&set)));
    // The round is given to someone else: its new code is replaced and must not stay.
    let mut rekeyed = planned.clone();
    rekeyed.new_code = code("2589", 10);
    assert!(safe_needs_new_epoch(&planned, Some(&rekeyed)));
}

#[test]
fn a_rewrite_over_what_the_document_holds_writes_only_what_changed() {
    let first = view(200);
    let mut doc = written(&first);
    let mut next = first.clone();
    // A campaign: every safe gets a new code, one safe also moves to another placement, and
    // one safe is added.
    for (n, safe) in next.safes.values_mut().enumerate() {
        safe.new_code = code(["2580", "1593"][n % 2], 7_000);
    }
    next.safes.get_mut(&safe_id(3)).unwrap().placement = "rechts van de brievenbus".into();
    next.safes.insert(safe_id(200), safe(200));

    let before = doc.get_heads();
    let held = read_held_scope(&doc).unwrap();
    assert!(write_scope_over(&mut doc, Some(&held), &next, Timestamp::from_millis(7_000)).unwrap());
    assert_eq!(read_scope(&doc).unwrap(), next);
    // The same document a full rewrite leaves, in as few operations: two per new code, one
    // placement, one new safe.
    let mut full = written(&first);
    let full_before = full.get_heads();
    write_scope(&mut full, &next, Timestamp::from_millis(7_000)).unwrap();
    assert_eq!(read_scope(&full).unwrap(), read_scope(&doc).unwrap());
    let over = doc.get_changes(&before)[0].len();
    let rewrite = full.get_changes(&full_before)[0].len();
    assert_eq!(over, rewrite);
    assert!(over <= 200 * 2 + 1 + 20, "{over} operations");

    // Nothing changed: no change at all.
    let held = read_held_scope(&doc).unwrap();
    assert!(
        !write_scope_over(&mut doc, Some(&held), &next, Timestamp::from_millis(8_000)).unwrap()
    );
}
