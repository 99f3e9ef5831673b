//! People and their access. The coordinator manages every account; a service admin manages
//! the carers of their own service (anyone else is "not found" to them). New accounts and
//! password resets get a one-time activation code: the person chooses their own password.

use std::net::SocketAddr;
use std::time::Instant;

use axum::Json;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::HeaderMap;
use kluis_api::check;
use kluis_api::error::PasswordReason;
use kluis_api::people::{
    ActivateRequest, Activated, Invitation, InvitationEmail, NewPerson, PersonEdit, PersonRow,
};
use kluis_domain::accounts::{ActivationCode, PASSWORD_MIN_CHARS, check_new_password};
use kluis_domain::ids::{OrgId, PersonId};
use kluis_domain::model::Role;
use kluis_domain::time::Timestamp;

use super::{ApiJson, Auth};
use crate::db::accounts;
use crate::db::orgs;
use crate::db::people::{self, Editable, NewAccount, PeopleScope};
use crate::error::{ApiError, ApiResult, ErrorBody, Field, Problem, ServerError};
use crate::state::{AppState, OsRandom, today_in_ghent};

/// Who `auth` may manage: everyone (coordinator) or their own service's carers.
fn people_scope(auth: &Auth) -> ApiResult<PeopleScope> {
    match auth.actor.person.role {
        Role::Coordinator => Ok(PeopleScope {
            org: None,
            roles: None,
        }),
        Role::ServiceAdmin => Ok(PeopleScope {
            org: Some(auth.actor.org.id),
            roles: Some(vec![Role::Carer]),
        }),
        _ => Err(ApiError::forbidden()),
    }
}

/// Whether the caller may manage a person of `org` with `role`; another's is "not found".
fn may_manage(scope: &PeopleScope, org: OrgId, role: Role) -> bool {
    scope.org.is_none_or(|o| o == org) && scope.roles.as_ref().is_none_or(|r| r.contains(&role))
}

/// The people the caller manages.
#[utoipa::path(get, path = "/api/admin/people", tag = "people", security(("bearer" = [])),
    responses((status = 200, body = Vec<PersonRow>), (status = 403, body = ErrorBody)))]
pub async fn list(State(state): State<AppState>, auth: Auth) -> ApiResult<Json<Vec<PersonRow>>> {
    let scope = people_scope(&auth)?;
    let t = state.now();
    let today = today_in_ghent(t);
    Ok(Json(
        state
            .db
            .call(move |c| people::list(c, &scope, today, t))
            .await?,
    ))
}

/// A fresh activation code for `person` (its hash stored, the code returned once).
fn issue(
    tx: &rusqlite::Connection,
    person: PersonId,
    org: OrgId,
    by: Option<PersonId>,
    now: Timestamp,
) -> Result<(ActivationCode, Timestamp), ServerError> {
    let code = ActivationCode::generate(&mut OsRandom);
    let expires = people::invite(
        tx,
        person,
        org,
        &kluis_crypto::token_hash(code.as_str()),
        by,
        now,
    )?;
    Ok((code, expires))
}

/// Issues an activation code from outside a request (`sync-server admin`).
pub fn issue_invitation(
    conn: &mut rusqlite::Connection,
    person: PersonId,
    org: OrgId,
    now: Timestamp,
) -> Result<(ActivationCode, Timestamp), ServerError> {
    let tx = conn.transaction()?;
    let out = issue(&tx, person, org, None, now)?;
    tx.commit()?;
    Ok(out)
}

/// Adds an account and returns its activation code (shown once).
/// "31/12/2026 14:05" on Brussels time, as the person reads it.
fn brussels_time(t: kluis_domain::time::Timestamp) -> String {
    let offset = kluis_domain::freshness::brussels_offset_minutes(t);
    let local = t.plus_millis(i64::from(offset) * 60_000);
    let d = local.date_utc();
    let minutes = local.millis().rem_euclid(86_400_000) / 60_000;
    format!(
        "{:02}/{:02}/{} {:02}:{:02}",
        d.day,
        d.month,
        d.year,
        minutes / 60,
        minutes % 60
    )
}

/// Sends `invitation` to `address` too when a relay is configured; says how that went.
async fn email_invitation(state: &AppState, invitation: &mut Invitation, address: &str) {
    let (Some(mailer), false) = (&state.mailer, address.trim().is_empty()) else {
        return;
    };
    let mail = crate::mail::InvitationMail {
        to_name: &invitation.name,
        to_address: address.trim(),
        login: &invitation.login,
        code: &invitation.code,
        expires: &brussels_time(invitation.expires_at),
    };
    let to = address.trim().to_string();
    invitation.email = match mailer.send_invitation(&mail).await {
        Ok(()) => InvitationEmail::Sent { to },
        Err(e) => {
            tracing::warn!(person = %invitation.person_id, %e, "invitation e-mail not sent");
            InvitationEmail::Failed { to }
        }
    };
}

#[utoipa::path(post, path = "/api/admin/people", tag = "people", security(("bearer" = [])),
    request_body = NewPerson,
    responses((status = 200, body = Invitation), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn add(
    State(state): State<AppState>,
    auth: Auth,
    ApiJson(req): ApiJson<NewPerson>,
) -> ApiResult<Json<Invitation>> {
    let scope = people_scope(&auth)?;
    if !may_manage(&scope, req.org_id, req.role) {
        return Err(if scope.org.is_some_and(|o| o != req.org_id) {
            ApiError::not_found("organisation")
        } else {
            ApiError::invalid(Problem::RoleNotAllowed)
        });
    }
    let name = check::required(Field::Name, &req.name).map_err(ApiError::invalid)?;
    let login = check::login(&req.login).map_err(ApiError::invalid)?;
    let email = check::email(&req.email).map_err(ApiError::invalid)?;
    let t = state.now();
    let today = today_in_ghent(t);
    if req.valid_until.is_some_and(|d| d < today) {
        return Err(ApiError::invalid(Problem::DateInPast { field: Field::Day }));
    }
    let by = auth.actor.person.id;
    let address = email.clone();
    let account = NewAccount {
        id: PersonId::random(&mut OsRandom),
        org: req.org_id,
        name,
        login,
        email,
        role: req.role,
        valid_until: req.valid_until,
    };
    let invitation = state
        .db
        .call(move |conn| {
            let org = orgs::get(conn, account.org)?
                .ok_or(ServerError::Refused(Problem::UnknownOrganisation))?;
            if !org.active {
                return Err(ServerError::Refused(Problem::OrganisationInactive));
            }
            if !account.role.allowed_in(org.kind) {
                return Err(ServerError::Refused(Problem::RoleNotAllowed));
            }
            let tx = conn.transaction()?;
            people::insert(&tx, &account, Some(by), t)?;
            let (code, expires_at) = issue(&tx, account.id, account.org, Some(by), t)?;
            tx.commit()?;
            Ok(Invitation {
                person_id: account.id,
                login: account.login,
                name: account.name,
                code: code.as_str().to_owned(),
                expires_at,
                email: InvitationEmail::NotSent,
            })
        })
        .await?;
    tracing::info!(person = %invitation.person_id, by = %auth.actor.person.id, "account added");
    let mut invitation = invitation;
    email_invitation(&state, &mut invitation, &address).await;
    Ok(Json(invitation))
}

/// The person `id` if the caller may manage them (else not found), and who they are.
fn managed(
    conn: &rusqlite::Connection,
    scope: &PeopleScope,
    id: PersonId,
) -> Result<Editable, ServerError> {
    match people::editable(conn, id)? {
        Some(p) if may_manage(scope, p.org, p.role) => Ok(p),
        _ => Err(ServerError::NotFound("person".into())),
    }
}

/// The person `id` as the list shows them to the caller.
fn row_of(
    conn: &rusqlite::Connection,
    scope: &PeopleScope,
    id: PersonId,
    today: kluis_domain::time::Date,
    now: Timestamp,
) -> Result<PersonRow, ServerError> {
    people::list(conn, scope, today, now)?
        .into_iter()
        .find(|p| p.id == id)
        .ok_or_else(|| ServerError::NotFound("person".into()))
}

fn person_id(id: &str) -> ApiResult<PersonId> {
    id.parse().map_err(|_| ApiError::not_found("person"))
}

/// Edits name, e-mail and "valid until". A day in the past ends the person's access now.
#[utoipa::path(put, path = "/api/admin/people/{id}", tag = "people", security(("bearer" = [])),
    params(("id" = String, Path, description = "Person id")), request_body = PersonEdit,
    responses((status = 200, body = PersonRow), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn edit(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<PersonEdit>,
) -> ApiResult<Json<PersonRow>> {
    let scope = people_scope(&auth)?;
    let id = person_id(&id)?;
    let name = check::required(Field::Name, &req.name).map_err(ApiError::invalid)?;
    let email = check::email(&req.email).map_err(ApiError::invalid)?;
    let by = auth.actor.person.id;
    let t = state.now();
    let today = today_in_ghent(t);
    let app = state.clone();
    let row = state
        .db
        .call(move |conn| {
            let before = managed(conn, &scope, id)?;
            let tx = conn.transaction()?;
            people::update(
                &tx,
                id,
                &before,
                &name,
                &email,
                req.valid_until,
                Some(by),
                t,
            )?;
            tx.commit()?;
            expire_ended(conn, &app, today)?;
            row_of(conn, &scope, id, today, t)
        })
        .await?;
    state.scopes.nudge(crate::scopes::Nudge::Revocation);
    Ok(Json(row))
}

/// A new activation code for a person (a forgotten password, or a lost first code). Their
/// password stays until the code is used; an earlier code stops working.
#[utoipa::path(post, path = "/api/admin/people/{id}/invite", tag = "people", security(("bearer" = [])),
    params(("id" = String, Path, description = "Person id")),
    responses((status = 200, body = Invitation), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn invite(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<Invitation>> {
    let scope = people_scope(&auth)?;
    let id = person_id(&id)?;
    let by = auth.actor.person.id;
    let t = state.now();
    let invitation = state
        .db
        .call(move |conn| {
            let p = managed(conn, &scope, id)?;
            if p.revoked {
                return Err(ServerError::Refused(Problem::AccountRevoked));
            }
            let (person, _, _) = accounts::find_person(conn, id)?
                .ok_or_else(|| ServerError::NotFound("person".into()))?;
            let address: String = conn.query_row(
                "SELECT email FROM people WHERE id = ?1",
                [id.to_string()],
                |r| r.get(0),
            )?;
            let tx = conn.transaction()?;
            let (code, expires_at) = issue(&tx, id, p.org, Some(by), t)?;
            tx.commit()?;
            Ok((
                Invitation {
                    person_id: id,
                    login: person.login,
                    name: person.name,
                    code: code.as_str().to_owned(),
                    expires_at,
                    email: InvitationEmail::NotSent,
                },
                address,
            ))
        })
        .await?;
    let (mut invitation, address) = invitation;
    email_invitation(&state, &mut invitation, &address).await;
    Ok(Json(invitation))
}

/// Gives a deactivated person access again; they sign in anew on each device.
#[utoipa::path(post, path = "/api/admin/people/{id}/reactivate", tag = "people", security(("bearer" = [])),
    params(("id" = String, Path, description = "Person id")),
    responses((status = 200, body = PersonRow), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn reactivate(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<PersonRow>> {
    let scope = people_scope(&auth)?;
    let id = person_id(&id)?;
    let by = auth.actor.person.id;
    let t = state.now();
    let today = today_in_ghent(t);
    let row = state
        .db
        .call(move |conn| {
            let p = managed(conn, &scope, id)?;
            let tx = conn.transaction()?;
            people::reactivate(&tx, id, p.org, Some(by), t)?;
            tx.commit()?;
            row_of(conn, &scope, id, today, t)
        })
        .await?;
    Ok(Json(row))
}

/// Revokes everyone whose "valid until" has passed (their devices wipe at the next contact).
/// Called after an edit and by the maintenance pass; returns how many were revoked.
pub fn expire_ended(
    conn: &mut rusqlite::Connection,
    app: &AppState,
    today: kluis_domain::time::Date,
) -> Result<usize, ServerError> {
    let ended = people::access_ended(conn, today)?;
    let t = app.now();
    for person in &ended {
        let done = crate::revoke::revoke_person_as(
            conn,
            &app.key,
            *person,
            None,
            kluis_domain::model::AuditKind::AccessExpired,
            t,
        )?;
        super::admin::after_revocation(conn, app, &done, t)?;
    }
    if !ended.is_empty() {
        app.scopes.nudge(crate::scopes::Nudge::Revocation);
    }
    Ok(ended.len())
}

/// Activates an account: the one-time code and the password the person chose. No session is
/// needed; attempts count against the address like sign-ins, so codes cannot be guessed.
#[utoipa::path(post, path = "/api/activate", tag = "auth", request_body = ActivateRequest,
    responses(
        (status = 200, description = "The password is set: sign in with it", body = Activated),
        (status = 422, description = "Unknown, used or expired code (`activation_code`), or a weak password (`weak_password`)", body = ErrorBody),
        (status = 429, body = ErrorBody)))]
pub async fn activate(
    State(state): State<AppState>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    ApiJson(req): ApiJson<ActivateRequest>,
) -> ApiResult<Json<Activated>> {
    if req.code.len() > 64 || req.password.len() > kluis_domain::accounts::PASSWORD_MAX_BYTES {
        return Err(ApiError::invalid(Problem::ActivationCode));
    }
    let ip = state.settings.client_ip(addr.ip(), &headers);
    let code = ActivationCode::parse(&req.code);
    let key = format!(
        "activation:{}",
        code.as_ref().map(ActivationCode::as_str).unwrap_or("?")
    );
    let attempt = state
        .limiter
        .reserve(&key, ip, Instant::now())
        .map_err(ApiError::rate_limited)?;
    let Some(code) = code else {
        attempt.failed(Instant::now());
        return Err(ApiError::invalid(Problem::ActivationCode));
    };
    let code_hash = kluis_crypto::token_hash(code.as_str());
    let t = state.now();
    let today = today_in_ghent(t);
    let lookup_hash = code_hash.clone();
    let invited = state
        .db
        .call(move |conn| people::find_invitation(conn, &lookup_hash, t, today))
        .await?;
    let Some(invited) = invited else {
        attempt.failed(Instant::now());
        return Err(ApiError::invalid(Problem::ActivationCode));
    };
    // A valid code: the password's faults are the person's to fix, not a guess.
    attempt.succeeded();
    if let Err(p) = check_new_password(&req.password, &invited.login, &invited.name) {
        return Err(ApiError::invalid(Problem::WeakPassword {
            reason: PasswordReason::from(p),
            min: PASSWORD_MIN_CHARS as u32,
        }));
    }
    let phc = state
        .hashes
        .hash(req.password)
        .await
        .map_err(ApiError::internal)?;
    let t = state.now();
    let answer = Activated {
        login: invited.login.clone(),
        name: invited.name.clone(),
    };
    let used = state
        .db
        .call(move |conn| {
            let tx = conn.transaction()?;
            let used = people::activate(&tx, &code_hash, &invited, &phc, t)?;
            tx.commit()?;
            Ok(used)
        })
        .await?;
    if !used {
        return Err(ApiError::invalid(Problem::ActivationCode));
    }
    tracing::info!(login = %answer.login, "account activated");
    Ok(Json(answer))
}
