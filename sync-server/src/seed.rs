//! Puts the demo registry into an empty database.

use kluis_crypto::SecretKey;
use kluis_domain::ids::RoundId;
use kluis_domain::model::CampaignKind;
use kluis_domain::rng::SeededRandom;
use kluis_domain::time::Timestamp;

use crate::db::campaigns::{self, NewCampaign, Selection};
use crate::db::{Db, accounts, registry, rounds, settings};
use crate::demo::{DemoData, demo_data};
use crate::error::ServerError;

/// A demo account as printed at start-up.
#[derive(Clone, Debug)]
pub struct DemoLogin {
    pub login: String,
    pub password: String,
    pub role: &'static str,
    pub organisation: String,
}

/// Seeds the demo data when the database holds no organisation yet; always returns the demo
/// logins when the database holds the demo (so they can be printed on every start).
pub fn seed_demo(
    db: &Db,
    key: &SecretKey,
    now: Timestamp,
    history: bool,
) -> Result<Vec<DemoLogin>, ServerError> {
    // Fixed seed: the demo is the same on every machine, so the README can describe it.
    let data = demo_data(&mut SeededRandom::new(2014), now)?;
    let logins: Vec<DemoLogin> = data
        .people
        .iter()
        .map(|p| DemoLogin {
            login: p.person.login.clone(),
            password: p.password.to_string(),
            role: p.person.role.as_str(),
            organisation: data
                .organisations
                .iter()
                .find(|o| o.id == p.person.org)
                .map(|o| o.name.clone())
                .unwrap_or_default(),
        })
        .collect();
    let empty: bool = db.blocking(|c| {
        Ok(c.query_row("SELECT COUNT(*) = 0 FROM organisations", [], |r| r.get(0))?)
    })?;
    if !empty {
        return Ok(logins);
    }
    // Hash each distinct password once: Argon2id is deliberately slow.
    let mut hashes = std::collections::HashMap::new();
    for p in &data.people {
        if !hashes.contains_key(p.password) {
            hashes.insert(p.password, kluis_crypto::hash_password(p.password)?);
        }
    }
    db.blocking(|conn| {
        let tx = conn.transaction()?;
        for org in &data.organisations {
            accounts::insert_org(&tx, org)?;
        }
        for p in &data.people {
            let hash = hashes
                .get(p.password)
                .ok_or_else(|| ServerError::Invalid("missing hash".into()))?;
            accounts::insert_person(&tx, &p.person, hash, now)?;
        }
        for m in &data.models {
            registry::insert_model(&tx, m)?;
        }
        for b in &data.buildings {
            registry::insert_building(&tx, b)?;
        }
        for s in &data.safes {
            registry::insert_safe(&tx, s)?;
        }
        for c in &data.codes {
            registry::insert_code(&tx, key, c)?;
        }
        for a in &data.activities {
            registry::insert_activity(&tx, a)?;
        }
        demo_campaign(&tx, key, &data, now)?;
        if history {
            // Its own seed: the registry above stays what it was before the history came.
            crate::demo_history::seed(&tx, key, &data, now, &mut SeededRandom::new(2025))?;
        }
        crate::setup::set_origin(&tx, "demo")?;
        tx.commit()?;
        Ok(())
    })?;
    tracing::info!(
        safes = data.safes.len(),
        people = data.people.len(),
        "demo registry seeded"
    );
    Ok(logins)
}

/// The district of the demo's running campaign.
pub const DEMO_CAMPAIGN_DISTRICT: &str = "Brugse Poort";

/// A running rotation campaign over one district, its first round given to `volunteer.1`, so
/// the volunteer and coordinator screens have something to show. Planned by the same code as
/// `POST /api/admin/campaigns`.
fn demo_campaign(
    conn: &rusqlite::Connection,
    key: &SecretKey,
    data: &DemoData,
    now: Timestamp,
) -> Result<(), ServerError> {
    let person = |login: &str| {
        data.people
            .iter()
            .find(|p| p.person.login == login)
            .map(|p| p.person.id)
            .ok_or_else(|| ServerError::Invalid(format!("demo has no {login}")))
    };
    let lifecycle = settings::lifecycle(conn)?;
    let created = campaigns::create(
        conn,
        key,
        &lifecycle,
        &NewCampaign {
            name: "Rotatie demo — Brugse Poort",
            kind: CampaignKind::Rotation,
            selection: &Selection::District(DEMO_CAMPAIGN_DISTRICT.into()),
            due_on: Some(crate::state::today_in_ghent(now).add_days(42)),
            by: person("coordinator")?,
        },
        now,
        // Fixed seed, like the rest of the demo.
        &mut SeededRandom::new(2026),
    )?;
    if let Some(first) = created.planned.rounds.first() {
        let round: RoundId = first.id;
        rounds::assign(
            conn,
            key,
            round,
            Some(person("volunteer.1")?),
            now,
            &mut SeededRandom::new(2027),
        )?;
    }
    Ok(())
}
