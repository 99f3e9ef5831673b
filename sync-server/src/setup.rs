//! Putting a real city's server into service: the first coordinator on an empty database, a
//! new activation code when nobody who could issue one can sign in, and where a database came
//! from (the demo refuses a database it did not make).

use kluis_api::check;
use kluis_domain::accounts::ActivationCode;
use kluis_domain::ids::{OrgId, PersonId};
use kluis_domain::model::{OrgKind, Role};
use kluis_domain::time::Timestamp;
use rusqlite::{Connection, OptionalExtension, params};

use crate::db::people::{self, NewAccount};
use crate::db::{Db, orgs};
use crate::error::ServerError;
use crate::state::OsRandom;

/// Who filled a database: `demo`, `bench`, or none (a real city's, or still empty).
pub fn origin(conn: &Connection) -> Result<Option<String>, ServerError> {
    Ok(conn
        .query_row(
            "SELECT value FROM server_meta WHERE key = 'origin'",
            [],
            |r| r.get(0),
        )
        .optional()?)
}

pub fn set_origin(conn: &Connection, origin: &str) -> Result<(), ServerError> {
    conn.execute(
        "INSERT INTO server_meta (key, value) VALUES ('origin', ?1)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [origin],
    )?;
    Ok(())
}

/// Whether the database holds no organisation yet.
pub fn is_empty(conn: &Connection) -> Result<bool, ServerError> {
    Ok(conn.query_row("SELECT COUNT(*) = 0 FROM organisations", [], |r| r.get(0))?)
}

/// `--demo` may only fill an empty database or reuse one it filled: never a city's.
pub fn check_demo_allowed(db: &Db) -> Result<(), ServerError> {
    db.blocking(|conn| {
        if is_empty(conn)? || origin(conn)?.as_deref() == Some("demo") {
            Ok(())
        } else {
            Err(ServerError::Config(
                "this database was not made by the demo: start the server without --demo \
                 (or give --demo an empty data directory)"
                    .into(),
            ))
        }
    })
}

/// A one-time activation code handed to a person outside the desktop.
pub struct Issued {
    pub person: PersonId,
    pub login: String,
    pub code: ActivationCode,
    pub expires_at: Timestamp,
}

/// Creates the first coordinator (and the coordinator's office, named `office`) on a database
/// that has no coordinator yet, with an activation code to choose their password.
pub fn create_first_coordinator(
    db: &Db,
    login: &str,
    name: &str,
    office: &str,
    now: Timestamp,
) -> Result<Issued, ServerError> {
    let refused = |p| ServerError::Invalid(format!("{p:?}"));
    let login = check::login(login).map_err(|_| {
        ServerError::Invalid(
            "a login has 3 to 60 letters, digits, dots, dashes, underscores or @".into(),
        )
    })?;
    let name = check::required(kluis_api::error::Field::Name, name).map_err(refused)?;
    let office = check::required(kluis_api::error::Field::Name, office).map_err(refused)?;
    db.blocking(|conn| {
        let tx = conn.transaction()?;
        let has_coordinator: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM people WHERE role = 'coordinator' AND revoked_at IS NULL)",
            [],
            |r| r.get(0),
        )?;
        if has_coordinator {
            return Err(ServerError::Invalid(
                "a coordinator exists already: they add people on the desktop \
                 (a coordinator who lost their password: `sync-server admin invite --login …`)"
                    .into(),
            ));
        }
        let existing: Option<OrgId> = tx
            .query_row(
                "SELECT id FROM organisations WHERE kind = 'coordinator_office' LIMIT 1",
                [],
                |r| crate::db::registry::parse_col(r, 0),
            )
            .optional()?;
        let org = match existing {
            Some(org) => org,
            None => {
                let org = OrgId::random(&mut OsRandom);
                orgs::insert(
                    &tx,
                    org,
                    OrgKind::CoordinatorOffice,
                    &office,
                    "",
                    "",
                    "",
                    None,
                    now,
                )?;
                org
            }
        };
        let account = NewAccount {
            id: PersonId::random(&mut OsRandom),
            org,
            name,
            login: login.clone(),
            email: String::new(),
            role: Role::Coordinator,
            valid_until: None,
        };
        people::insert(&tx, &account, None, now).map_err(|e| match e {
            ServerError::Refused(_) => ServerError::Invalid(format!("the login {login} is taken")),
            other => other,
        })?;
        let code = ActivationCode::generate(&mut OsRandom);
        let expires_at = people::invite(
            &tx,
            account.id,
            org,
            &kluis_crypto::token_hash(code.as_str()),
            None,
            now,
        )?;
        tx.commit()?;
        Ok(Issued {
            person: account.id,
            login,
            code,
            expires_at,
        })
    })
}

/// A new activation code for the person with `login` (their password stays until it is used).
pub fn invite_by_login(db: &Db, login: &str, now: Timestamp) -> Result<Issued, ServerError> {
    db.blocking(|conn| {
        let found: Option<(PersonId, OrgId, String, bool)> = conn
            .query_row(
                "SELECT id, org_id, login, revoked_at IS NOT NULL FROM people WHERE login = ?1",
                params![login.trim()],
                |r| {
                    Ok((
                        crate::db::registry::parse_col(r, 0)?,
                        crate::db::registry::parse_col(r, 1)?,
                        r.get(2)?,
                        r.get(3)?,
                    ))
                },
            )
            .optional()?;
        let (person, org, login, revoked) =
            found.ok_or_else(|| ServerError::NotFound(format!("no person with login {login}")))?;
        if revoked {
            return Err(ServerError::Invalid(format!(
                "{login} is deactivated: a coordinator reactivates them first"
            )));
        }
        let (code, expires_at) = crate::api::people::issue_invitation(conn, person, org, now)?;
        Ok(Issued {
            person,
            login,
            code,
            expires_at,
        })
    })
}

/// `YYYY-MM-DD HH:MM` (UTC) for a command's output.
pub fn format_instant(t: Timestamp) -> String {
    let ms = t.millis();
    let day = t.date_utc();
    let minutes = ms.rem_euclid(86_400_000) / 60_000;
    format!("{day} {:02}:{:02}", minutes / 60, minutes % 60)
}
