//! The flows on the host: enrol, lock, a wrong and a right PIN, the 5-wrong-PIN wipe and sign
//! out, over the host twin of IndexedDB (an in-memory map) with the real vault and Argon2id.
//! The network is absent on the host, so every sync fails as it would offline.

use std::collections::BTreeMap;
use std::future::Future;

use dioxus::prelude::*;
use kluis_domain::ids::{DeviceId, OrgId, PersonId};
use kluis_domain::model::{OrgKind, Role};

use super::*;
use crate::state::i18n::Lang;
use crate::state::session::{Organisation, Person, Token};
use crate::state::shown::{Gate, HomeInfo, Notice};
use crate::state::syncing::SyncDriver;
use crate::state::unlocking::unlock;
use crate::state::vault::PinOutcome;

const PIN: &str = "507316";

fn session() -> Session {
    Session {
        token: Token::new("host-token".into()),
        device_id: DeviceId::from_bytes([7; 16]),
        person: Person {
            id: PersonId::from_bytes([8; 16]),
            name: "An Peeters".into(),
            login: "an".into(),
            role: Role::Carer,
            organisation: Organisation {
                id: OrgId::from_bytes([9; 16]),
                name: "Wit-Gele Kruis".into(),
                kind: OrgKind::CareService,
            },
        },
    }
}

fn app_state() -> AppState {
    AppState {
        lang: Signal::new(Lang::Nl),
        session: Signal::new(None),
        gate: Signal::new(Gate::Starting),
        local: Signal::new(None),
        home: Signal::new(HomeInfo::default()),
        carer: Signal::new(None),
        rounds: Signal::new(None),
        records: Signal::new(BTreeMap::new()),
        reports: Signal::new(BTreeMap::new()),
        notice: Signal::new(None),
        installable: Signal::new(false),
        sync_driver: CopyValue::new(SyncDriver::default()),
        events_epoch: CopyValue::new(0),
    }
}

/// Runs `scenario` with a fresh app state inside a Dioxus runtime (signals need one).
fn with_app<F: Future<Output = ()>>(scenario: impl FnOnce(AppState) -> F) {
    let mut dom = VirtualDom::new(|| rsx! {});
    dom.rebuild_in_place();
    dom.in_scope(ScopeId::ROOT, || {
        futures::executor::block_on(scenario(app_state()));
    });
}

fn vault_is_open(app: AppState) -> bool {
    app.local
        .peek()
        .as_ref()
        .is_some_and(|current| current.vault.session().is_some())
}

#[test]
fn enrol_lock_and_unlock_again_keep_the_vault_and_forget_the_data_while_locked() {
    with_app(|app| async move {
        start(app).await;
        assert_eq!(
            *app.gate.peek(),
            Gate::Login,
            "an empty store asks to sign in"
        );
        enrol(app, session(), PIN.into()).await.expect("enrols");
        assert_eq!(*app.gate.peek(), Gate::Open);
        assert!(vault_is_open(app));
        assert!(
            app.home.peek().sync_failed,
            "no network on the host: the sync failed"
        );
        assert!(
            app.session.peek().is_none(),
            "the token lives only in the vault"
        );

        lock(app);
        assert_eq!(*app.gate.peek(), Gate::Unlock);
        assert!(!vault_is_open(app), "locked: no session in memory");
        assert_eq!(*app.home.peek(), HomeInfo::default());

        // A restart reads the same store: locked, not signed out.
        start(app).await;
        assert_eq!(*app.gate.peek(), Gate::Unlock);
        let wrong = unlock(app, "918273".into()).await.expect("a guess");
        assert_eq!(wrong, PinOutcome::WrongPin { left: 4 });
        assert_eq!(*app.gate.peek(), Gate::Unlock);
        let right = unlock(app, PIN.into()).await.expect("the PIN");
        assert_eq!(right, PinOutcome::Accepted);
        assert_eq!(*app.gate.peek(), Gate::Open);
        assert_eq!(app.home.peek().name, "An Peeters");
    });
}

#[test]
fn five_wrong_pins_erase_the_device_and_say_why() {
    with_app(|app| async move {
        start(app).await;
        enrol(app, session(), PIN.into()).await.expect("enrols");
        lock(app);
        for left in [4, 3, 2, 1] {
            let outcome = unlock(app, "918273".into()).await.expect("a guess");
            assert_eq!(outcome, PinOutcome::WrongPin { left });
        }
        let last = unlock(app, "918273".into()).await.expect("a guess");
        assert_eq!(last, PinOutcome::Wiped);
        assert_eq!(*app.gate.peek(), Gate::Login);
        assert_eq!(*app.notice.peek(), Some(Notice::DeviceReset));
        // Nothing opens any more, whatever the PIN: the store holds no vault.
        start(app).await;
        assert_eq!(*app.gate.peek(), Gate::Login);
    });
}

#[test]
fn sign_out_erases_the_store_and_starts_at_the_sign_in() {
    with_app(|app| async move {
        start(app).await;
        enrol(app, session(), PIN.into()).await.expect("enrols");
        sign_out(app).await;
        assert_eq!(*app.gate.peek(), Gate::Login);
        assert_eq!(*app.notice.peek(), None, "signing out is no failure");
        assert!(!vault_is_open(app));
        start(app).await;
        assert_eq!(*app.gate.peek(), Gate::Login, "nothing left to unlock");
    });
}

#[test]
fn a_locked_device_records_nothing_and_says_locked() {
    with_app(|app| async move {
        start(app).await;
        enrol(app, session(), PIN.into()).await.expect("enrols");
        lock(app);
        let safe = kluis_domain::ids::SafeId::from_bytes([1; 16]);
        let refused = crate::state::reveal::record_reveal(app, safe).await;
        assert_eq!(refused, Err(AppError::Locked));
    });
}
