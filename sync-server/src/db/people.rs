//! People as their admins manage them: accounts, one-time activation codes (stored only as
//! hashes), access until a date, reactivation. Every change leaves an audit row in the same
//! transaction.

use kluis_api::people::{AccountState, PersonRow};
use kluis_api::registry::FieldChange;
use kluis_domain::accounts::ACTIVATION_VALID_HOURS;
use kluis_domain::ids::{OrgId, PersonId};
use kluis_domain::model::{AuditKind, Role};
use kluis_domain::time::{Date, Timestamp};
use rusqlite::{Connection, OptionalExtension, params};

use super::audit::{self, Target};
use super::column::col;
use super::registry::parse_col;
use crate::error::{Problem, ServerError};

/// Who may be listed: everyone (the coordinator) or one organisation's people of some roles.
#[derive(Clone, Debug)]
pub struct PeopleScope {
    pub org: Option<OrgId>,
    pub roles: Option<Vec<Role>>,
}

/// The people in `scope`, by organisation and name, with where their account stands `today`.
pub fn list(
    conn: &Connection,
    scope: &PeopleScope,
    today: Date,
    now: Timestamp,
) -> Result<Vec<PersonRow>, ServerError> {
    let mut stmt = conn.prepare(
        "SELECT p.id, p.name, p.login, p.email, p.role, o.id, o.name, o.kind, p.valid_until,
                p.revoked_at IS NOT NULL, p.password_hash = '',
                (SELECT COUNT(*) FROM devices d WHERE d.person_id = p.id AND d.revoked_at IS NULL),
                (SELECT MAX(d.last_seen_at) FROM devices d WHERE d.person_id = p.id),
                (SELECT MAX(i.expires_at) FROM invitations i WHERE i.person_id = p.id
                   AND i.used_at IS NULL AND i.withdrawn_at IS NULL AND i.expires_at > ?2)
         FROM people p JOIN organisations o ON o.id = p.org_id
         WHERE ?1 IS NULL OR p.org_id = ?1
         ORDER BY o.name, p.name COLLATE NOCASE",
    )?;
    let rows = stmt.query_map(
        params![scope.org.map(|o| o.to_string()), now.millis()],
        |r| {
            let valid_until: Option<Date> = col(r, 8)?;
            let revoked: bool = r.get(9)?;
            let invited: bool = r.get(10)?;
            let state = if revoked {
                AccountState::Revoked
            } else if kluis_domain::accounts::access_ended(valid_until, today) {
                AccountState::Expired
            } else if invited {
                AccountState::Invited
            } else {
                AccountState::Active
            };
            Ok(PersonRow {
                id: col(r, 0)?,
                name: col(r, 1)?,
                login: col(r, 2)?,
                email: col(r, 3)?,
                role: col(r, 4)?,
                org_id: col(r, 5)?,
                organisation: col(r, 6)?,
                org_kind: col(r, 7)?,
                state,
                valid_until,
                devices: col(r, 11)?,
                last_seen_at: col(r, 12)?,
                invitation_expires_at: col(r, 13)?,
            })
        },
    )?;
    let mut out: Vec<PersonRow> = rows.collect::<Result<_, _>>()?;
    if let Some(roles) = &scope.roles {
        out.retain(|p| roles.contains(&p.role));
    }
    Ok(out)
}

/// A checked new account.
pub struct NewAccount {
    pub id: PersonId,
    pub org: OrgId,
    pub name: String,
    pub login: String,
    pub email: String,
    pub role: Role,
    pub valid_until: Option<Date>,
}

/// Whether another person has `login` (logins compare without case).
pub fn login_taken(conn: &Connection, login: &str) -> Result<bool, ServerError> {
    Ok(conn
        .query_row("SELECT 1 FROM people WHERE login = ?1", [login], |_| Ok(()))
        .optional()?
        .is_some())
}

/// Adds an account without a password: it can sign in only after its activation.
pub fn insert(
    tx: &Connection,
    p: &NewAccount,
    by: Option<PersonId>,
    now: Timestamp,
) -> Result<(), ServerError> {
    if login_taken(tx, &p.login)? {
        return Err(ServerError::Refused(Problem::LoginTaken));
    }
    tx.execute(
        "INSERT INTO people (id, org_id, name, login, role, password_hash, created_at, email, valid_until)
         VALUES (?1, ?2, ?3, ?4, ?5, '', ?6, ?7, ?8)",
        params![
            p.id.to_string(),
            p.org.to_string(),
            p.name,
            p.login,
            p.role.as_str(),
            now.millis(),
            p.email,
            p.valid_until.map(|d| d.to_string())
        ],
    )?;
    let changes = vec![
        change("login", "", &p.login),
        change("role", "", p.role.as_str()),
        change("name", "", &p.name),
        change(
            "valid_until",
            "",
            &p.valid_until.map(|d| d.to_string()).unwrap_or_default(),
        ),
    ];
    audit::record_edit(
        tx,
        now,
        by,
        AuditKind::PersonAdded,
        Target::person(p.id, p.org),
        &changes,
    )
}

fn change(field: &str, before: &str, after: &str) -> FieldChange {
    FieldChange {
        field: field.into(),
        before: before.into(),
        after: after.into(),
    }
}

/// A person's editable fields as they stand.
pub struct Editable {
    pub org: OrgId,
    pub role: Role,
    pub name: String,
    pub email: String,
    pub valid_until: Option<Date>,
    pub revoked: bool,
}

pub fn editable(conn: &Connection, id: PersonId) -> Result<Option<Editable>, ServerError> {
    Ok(conn
        .query_row(
            "SELECT org_id, role, name, email, valid_until, revoked_at IS NOT NULL FROM people WHERE id = ?1",
            [id.to_string()],
            |r| {
                Ok(Editable {
                    org: parse_col(r, 0)?,
                    role: parse_col(r, 1)?,
                    name: r.get(2)?,
                    email: r.get(3)?,
                    valid_until: col(r, 4)?,
                    revoked: r.get(5)?,
                })
            },
        )
        .optional()?)
}

/// Changes name, e-mail and "valid until"; returns whether anything changed.
#[allow(clippy::too_many_arguments)]
pub fn update(
    tx: &Connection,
    id: PersonId,
    before: &Editable,
    name: &str,
    email: &str,
    valid_until: Option<Date>,
    by: Option<PersonId>,
    now: Timestamp,
) -> Result<bool, ServerError> {
    let fmt = |d: Option<Date>| d.map(|d| d.to_string()).unwrap_or_default();
    let mut changes = Vec::new();
    if before.name != name {
        changes.push(change("name", &before.name, name));
    }
    if before.email != email {
        changes.push(change("email", &before.email, email));
    }
    if before.valid_until != valid_until {
        changes.push(change(
            "valid_until",
            &fmt(before.valid_until),
            &fmt(valid_until),
        ));
    }
    if changes.is_empty() {
        return Ok(false);
    }
    tx.execute(
        "UPDATE people SET name = ?2, email = ?3, valid_until = ?4 WHERE id = ?1",
        params![
            id.to_string(),
            name,
            email,
            valid_until.map(|d| d.to_string())
        ],
    )?;
    audit::record_edit(
        tx,
        now,
        by,
        AuditKind::PersonChanged,
        Target::person(id, before.org),
        &changes,
    )?;
    Ok(true)
}

/// Issues an activation code (by its hash) for `person`, withdrawing any earlier one still
/// open. Returns when it expires.
pub fn invite(
    tx: &Connection,
    person: PersonId,
    org: OrgId,
    code_hash: &str,
    by: Option<PersonId>,
    now: Timestamp,
) -> Result<Timestamp, ServerError> {
    let expires = now.plus_millis(ACTIVATION_VALID_HOURS * 3_600_000);
    tx.execute(
        "UPDATE invitations SET withdrawn_at = ?2 WHERE person_id = ?1 AND used_at IS NULL AND withdrawn_at IS NULL",
        params![person.to_string(), now.millis()],
    )?;
    tx.execute(
        "INSERT INTO invitations (code_hash, person_id, created_by, created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            code_hash,
            person.to_string(),
            by.map(|b| b.to_string()),
            now.millis(),
            expires.millis()
        ],
    )?;
    audit::record_edit(
        tx,
        now,
        by,
        AuditKind::InvitationIssued,
        Target::person(person, org),
        &[],
    )?;
    Ok(expires)
}

/// The person an open activation code belongs to: unused, not withdrawn, not expired, and the
/// person still has access `today`.
pub struct Invited {
    pub person: PersonId,
    pub org: OrgId,
    pub login: String,
    pub name: String,
}

pub fn find_invitation(
    conn: &Connection,
    code_hash: &str,
    now: Timestamp,
    today: Date,
) -> Result<Option<Invited>, ServerError> {
    Ok(conn
        .query_row(
            "SELECT p.id, p.org_id, p.login, p.name FROM invitations i JOIN people p ON p.id = i.person_id
             WHERE i.code_hash = ?1 AND i.used_at IS NULL AND i.withdrawn_at IS NULL AND i.expires_at > ?2
               AND p.revoked_at IS NULL AND (p.valid_until IS NULL OR p.valid_until >= ?3)",
            params![code_hash, now.millis(), today.to_string()],
            |r| {
                Ok(Invited {
                    person: parse_col(r, 0)?,
                    org: parse_col(r, 1)?,
                    login: r.get(2)?,
                    name: r.get(3)?,
                })
            },
        )
        .optional()?)
}

/// Uses the code once: sets the password hash and marks the code used. False when the code
/// was used (or withdrawn) between the check and now: nothing changes then.
pub fn activate(
    tx: &Connection,
    code_hash: &str,
    invited: &Invited,
    password_hash: &str,
    now: Timestamp,
) -> Result<bool, ServerError> {
    let n = tx.execute(
        "UPDATE invitations SET used_at = ?2 WHERE code_hash = ?1 AND used_at IS NULL AND withdrawn_at IS NULL AND expires_at > ?2",
        params![code_hash, now.millis()],
    )?;
    if n == 0 {
        return Ok(false);
    }
    tx.execute(
        "UPDATE people SET password_hash = ?2 WHERE id = ?1 AND revoked_at IS NULL",
        params![invited.person.to_string(), password_hash],
    )?;
    audit::record_edit(
        tx,
        now,
        Some(invited.person),
        AuditKind::AccountActivated,
        Target::person(invited.person, invited.org),
        &[],
    )?;
    Ok(true)
}

/// Gives a revoked person access again (their old devices stay revoked: they sign in anew).
/// False when they were not revoked.
pub fn reactivate(
    tx: &Connection,
    person: PersonId,
    org: OrgId,
    by: Option<PersonId>,
    now: Timestamp,
) -> Result<bool, ServerError> {
    let n = tx.execute(
        "UPDATE people SET revoked_at = NULL WHERE id = ?1 AND revoked_at IS NOT NULL",
        [person.to_string()],
    )?;
    if n > 0 {
        audit::record_edit(
            tx,
            now,
            by,
            AuditKind::PersonReactivated,
            Target::person(person, org),
            &[],
        )?;
    }
    Ok(n > 0)
}

/// People whose access ended before `today` and who are not revoked yet.
pub fn access_ended(conn: &Connection, today: Date) -> Result<Vec<PersonId>, ServerError> {
    let mut stmt = conn.prepare(
        "SELECT id FROM people WHERE revoked_at IS NULL AND valid_until IS NOT NULL AND valid_until < ?1",
    )?;
    let rows = stmt.query_map([today.to_string()], |r| parse_col(r, 0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}
