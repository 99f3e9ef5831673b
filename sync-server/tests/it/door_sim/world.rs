//! The simulated city, written straight into the real server's database with the server's
//! own insert functions: through the API, a thousand accounts would each cost an Argon2id
//! sign-in (seconds in all for what the simulation does not study). Everything else the
//! simulation does goes through the API and the sync protocol.

use kluis_domain::ids::{BuildingId, CodeId, DeviceId, OrgId, PersonId, SafeId, SafeModelId};
use kluis_domain::model::{
    Address, Building, Code, CodeState, OrgKind, Organisation, Person, Role, Safe, SafeStatus,
    ServiceActivity,
};
use kluis_domain::rng::{RandomSource, SeededRandom, shuffle};
use kluis_domain::safe_model::{ButtonSet, ModelKind, SafeModel};
use kluis_domain::sync::SyncClient;
use kluis_domain::time::{Date, Timestamp};
use kluis_sync_server::AppState;
use kluis_sync_server::bench_registry::STREETS;
use kluis_sync_server::db::{accounts, registry, sessions};

use super::Config;
use crate::common::{Device, Session};

/// A 16-button keypad: 200 current and 200 pending codes two buttons apart do not fit the
/// 10-button Supra's 408 usable codes in one wave, and waves are not what this measures.
const BUTTONS: &str = "123456789ABCDEF0";

/// Who and what the simulation knows by index.
pub struct World {
    pub safes: Vec<SafeId>,
    /// The code each safe opens with when the simulation starts.
    pub codes: Vec<ButtonSet>,
    /// For each service, the indexes of the safes of the buildings it is active at.
    pub service_safes: Vec<Vec<usize>>,
    pub carers: Vec<Person>,
    /// The service (index) of each carer.
    pub carer_service: Vec<usize>,
    pub volunteers: Vec<Person>,
    pub coordinator: Person,
}

/// Seeds the registry: one building and safe per index, each service active at a random part
/// of the buildings (every building served by at least one), carers spread over the services.
pub async fn seed(state: &AppState, cfg: &Config, rng: &mut SeededRandom, t: Timestamp) -> World {
    let org = |kind, name: &str, rng: &mut SeededRandom| Organisation {
        id: OrgId::random(rng),
        kind,
        name: name.into(),
    };
    let office = org(OrgKind::CoordinatorOffice, "OCMW Gent", rng);
    let housing = org(OrgKind::HousingCompany, "WoninGent", rng);
    let services: Vec<Organisation> = (0..cfg.services)
        .map(|i| org(OrgKind::CareService, &format!("Thuiszorg {}", i + 1), rng))
        .collect();
    let model = SafeModel {
        id: SafeModelId::random(rng),
        name: "Keypad 16".into(),
        kind: ModelKind::PushButton {
            buttons: BUTTONS.chars().collect(),
            min_len: 5,
            max_len: 8,
        },
        factory_default: None,
    };
    let mut buildings = Vec::new();
    let mut safes = Vec::new();
    let mut codes: Vec<ButtonSet> = Vec::new();
    for i in 0..cfg.safes {
        let first = 2 + (i / STREETS.len()) as u32 * 10;
        let building = Building {
            id: BuildingId::random(rng),
            address: Address {
                street: STREETS[i % STREETS.len()].into(),
                numbers: format!("{first}-{}", first + 6).parse().unwrap(),
                postcode: "9000".into(),
                city: "Gent".into(),
            },
            apartments: 12 + (i % 40) as u32,
            owner: housing.id,
            district: "Binnenstad".into(),
        };
        safes.push(Safe {
            id: SafeId::random(rng),
            building: building.id,
            model: model.id,
            placement: "links van de inkomdeur".into(),
            status: SafeStatus::Active,
            installed_on: Some(Date::new(2021, 3, 1).unwrap()),
        });
        buildings.push(building);
        codes.push(loop {
            let value = random_code(rng);
            if codes.iter().all(|c| c.distance(&value) >= 2) {
                break value;
            }
        });
    }
    let mut service_safes: Vec<Vec<usize>> = vec![Vec::new(); cfg.services];
    for b in 0..cfg.safes {
        let mut any = false;
        for (s, list) in service_safes.iter_mut().enumerate() {
            // The building's "own" service always, the others now and then.
            if b % cfg.services == s || rng.below(100) < cfg.service_share_percent {
                list.push(b);
                any = true;
            }
        }
        assert!(any);
    }
    let person = |org: OrgId, role, login: String, rng: &mut SeededRandom| Person {
        id: PersonId::random(rng),
        org,
        name: login.clone(),
        login,
        role,
    };
    let coordinator = person(office.id, Role::Coordinator, "coordinator".into(), rng);
    let volunteers: Vec<Person> = (0..cfg.volunteers)
        .map(|i| person(office.id, Role::Volunteer, format!("volunteer.{i}"), rng))
        .collect();
    let carer_service: Vec<usize> = (0..cfg.carers).map(|i| i % cfg.services).collect();
    let carers: Vec<Person> = carer_service
        .iter()
        .enumerate()
        .map(|(i, s)| person(services[*s].id, Role::Carer, format!("carer.{i}"), rng))
        .collect();
    let world = World {
        safes: safes.iter().map(|s| s.id).collect(),
        codes: codes.clone(),
        service_safes,
        carers,
        carer_service,
        volunteers,
        coordinator,
    };

    let key = state.key.clone();
    let people: Vec<Person> = std::iter::once(world.coordinator.clone())
        .chain(world.volunteers.iter().cloned())
        .chain(world.carers.iter().cloned())
        .collect();
    let activity: Vec<(usize, usize)> = world
        .service_safes
        .iter()
        .enumerate()
        .flat_map(|(s, list)| list.iter().map(move |b| (s, *b)))
        .collect();
    let mut code_ids: Vec<CodeId> = (0..cfg.safes).map(|_| CodeId::random(rng)).collect();
    // Nobody signs in with it: sessions are opened directly (see `enrol`).
    let hash = kluis_crypto::hash_password("door-sim-password").unwrap();
    state
        .db
        .call(move |conn| {
            let tx = conn.transaction()?;
            for o in [&office, &housing].into_iter().chain(&services) {
                accounts::insert_org(&tx, o)?;
            }
            for p in &people {
                accounts::insert_person(&tx, p, &hash, t)?;
            }
            registry::insert_model(&tx, &model)?;
            for ((building, safe), value) in buildings.iter().zip(&safes).zip(codes) {
                registry::insert_building(&tx, building)?;
                registry::insert_safe(&tx, safe)?;
                let code = Code {
                    id: code_ids.remove(0),
                    safe: safe.id,
                    value,
                    state: CodeState::Current,
                    created_at: t.plus_days(-100),
                    activated_at: Some(t.plus_days(-100)),
                    retired_at: None,
                };
                registry::insert_code(&tx, &key, &code)?;
            }
            for (s, b) in activity {
                registry::insert_activity(
                    &tx,
                    &ServiceActivity {
                        service: services[s].id,
                        building: buildings[b].id,
                        since: Date::new(2021, 3, 1)?,
                        confirmed_on: None,
                    },
                )?;
            }
            kluis_sync_server::setup::set_origin(&tx, "door-sim")?;
            tx.commit()?;
            Ok(())
        })
        .await
        .unwrap();
    // The scopes are built at start; the maintenance pass builds them again for this city.
    kluis_sync_server::run_maintenance(state, t).await.unwrap();
    world
}

fn random_code(rng: &mut SeededRandom) -> ButtonSet {
    let mut pool: Vec<char> = BUTTONS.chars().collect();
    shuffle(rng, &mut pool);
    let len = 5 + rng.below(4) as usize;
    ButtonSet::from_buttons(pool.into_iter().take(len)).unwrap()
}

/// Opens a session on a new device for `person`, as a sign-in does after the password, with
/// an end past the simulation (a carer signing in again every 90 days is not studied here).
pub async fn enrol(
    state: &AppState,
    person: &Person,
    rng: &mut SeededRandom,
    t: Timestamp,
) -> Device {
    // The token is secret, not simulated: the OS's randomness, as a sign-in makes it.
    let token = kluis_crypto::random_token().unwrap();
    let hash = kluis_crypto::token_hash(&token);
    let device = DeviceId::random(rng);
    let id = person.id;
    state
        .db
        .call(move |conn| {
            sessions::enrol_device(conn, id, device, "sim", &hash, t, t.plus_days(400))
        })
        .await
        .unwrap();
    Device {
        session: Session {
            token,
            device,
            person_id: person.id.to_string(),
        },
        client: SyncClient::new(device),
    }
}
