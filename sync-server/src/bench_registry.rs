//! A synthetic registry of any size for benchmarks: one coordinator office, one housing
//! company, one care service active at every building, and a 16-button keypad model (a
//! 10-button Supra holds at most 420 codes two buttons apart, so 5,000 safes need a bigger
//! keypad). Used by `cargo bench` and by `sync-server admin seed-bench` for the browser bench.

use kluis_crypto::SecretKey;
use kluis_domain::ids::{BuildingId, CodeId, OrgId, PersonId, SafeId, SafeModelId};
use kluis_domain::model::{
    Address, Building, Code, CodeState, OrgKind, Organisation, Person, Role, Safe, SafeStatus,
    ServiceActivity,
};
use kluis_domain::rng::{RandomSource, SeededRandom};
use kluis_domain::safe_model::{ButtonSet, ModelKind, SafeModel};
use kluis_domain::time::{Date, Timestamp};

use crate::db::{Db, accounts, registry};
use crate::error::ServerError;

/// The password of the bench accounts `coordinator` and `carer`.
pub const BENCH_PASSWORD: &str = "bench-password";

/// Gent streets the generated registries (bench, door simulation) spread their buildings over.
pub const STREETS: [&str; 8] = [
    "Sleepstraat",
    "Brugse Steenweg",
    "Kortrijksesteenweg",
    "Dampoortstraat",
    "Wondelgemstraat",
    "Rooigemlaan",
    "Watersportlaan",
    "Antwerpsesteenweg",
];

/// Seeds `n` safes into an empty database, deterministically (the same `n` gives the same
/// registry).
///
/// # Errors
/// The database refused a row (for instance because it is not empty) or hashing failed.
pub fn seed_bench_registry(
    db: &Db,
    key: &SecretKey,
    n: usize,
    t: Timestamp,
) -> Result<(), ServerError> {
    let mut rng = SeededRandom::new(n as u64);
    let office = Organisation {
        id: OrgId::random(&mut rng),
        kind: OrgKind::CoordinatorOffice,
        name: "OCMW Gent".into(),
    };
    let housing = Organisation {
        id: OrgId::random(&mut rng),
        kind: OrgKind::HousingCompany,
        name: "WoninGent".into(),
    };
    let service = Organisation {
        id: OrgId::random(&mut rng),
        kind: OrgKind::CareService,
        name: "Wit-Gele Kruis".into(),
    };
    let buttons: Vec<char> = "123456789ABCDEF0".chars().collect();
    let model = SafeModel {
        id: SafeModelId::random(&mut rng),
        name: "Keypad 16".into(),
        kind: ModelKind::PushButton {
            buttons: buttons.clone(),
            min_len: 5,
            max_len: 8,
        },
        factory_default: None,
    };
    let hash = kluis_crypto::hash_password(BENCH_PASSWORD)?;
    db.blocking(|conn| {
        let tx = conn.transaction()?;
        for org in [&office, &housing, &service] {
            accounts::insert_org(&tx, org)?;
        }
        let people = [
            Person {
                id: PersonId::random(&mut rng),
                org: office.id,
                name: "Coördinator".into(),
                login: "coordinator".into(),
                role: Role::Coordinator,
            },
            Person {
                id: PersonId::random(&mut rng),
                org: service.id,
                name: "An Peeters".into(),
                login: "carer".into(),
                role: Role::Carer,
            },
        ];
        for p in &people {
            accounts::insert_person(&tx, p, &hash, t)?;
        }
        registry::insert_model(&tx, &model)?;
        for i in 0..n {
            let first = 2 + (i / STREETS.len()) as u32 * 10;
            let building = Building {
                id: BuildingId::random(&mut rng),
                address: Address {
                    street: STREETS[i % STREETS.len()].into(),
                    numbers: format!("{first}-{}", first + 6).parse()?,
                    postcode: "9000".into(),
                    city: "Gent".into(),
                },
                apartments: 12 + (i % 60) as u32,
                owner: housing.id,
                district: "Binnenstad".into(),
            };
            registry::insert_building(&tx, &building)?;
            let safe = Safe {
                id: SafeId::random(&mut rng),
                building: building.id,
                model: model.id,
                placement: "links van de inkomdeur, onder het afdak".into(),
                status: SafeStatus::Active,
                installed_on: Some(Date::new(2021, 3, 1)?),
            };
            registry::insert_safe(&tx, &safe)?;
            let mut pool = buttons.clone();
            kluis_domain::rng::shuffle(&mut rng, &mut pool);
            let len = 5 + rng.below(4) as usize;
            let value = ButtonSet::from_buttons(pool.into_iter().take(len))?;
            let code = Code {
                id: CodeId::random(&mut rng),
                safe: safe.id,
                value,
                state: CodeState::Current,
                created_at: t,
                activated_at: Some(t),
                retired_at: None,
            };
            registry::insert_code(&tx, key, &code)?;
            registry::insert_activity(
                &tx,
                &ServiceActivity {
                    service: service.id,
                    building: building.id,
                    since: Date::new(2021, 3, 1)?,
                    confirmed_on: None,
                },
            )?;
        }
        crate::setup::set_origin(&tx, "bench")?;
        tx.commit()?;
        Ok(())
    })
}
