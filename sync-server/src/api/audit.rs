//! The audit trail on screen (the coordinator's, and a service admin's view of their own
//! carers' reveals), and what a revoked person had seen with the one action that changes it.

use axum::Json;
use axum::extract::{Path, State};
use kluis_api::audit::{
    AuditPage, AuditQuery, DEFAULT_PAGE, Exposure, ExposureChanged, MAX_EXPORT, MAX_PAGE,
};
use kluis_api::settings::RevocationPolicy;
use kluis_domain::ids::PersonId;
use kluis_domain::model::{AuditKind, Role};

use super::admin::parse_id;
use super::{ApiJson, ApiQuery, Auth, require_coordinator};
use crate::clock::ghent_day_start;
use crate::db::accounts::Actor;
use crate::db::audit_list::{self, Filter};
use crate::db::{accounts, exposure};
use crate::error::{ApiError, ApiResult, ErrorBody, ServerError};
use crate::state::AppState;

/// The filter `q` asks for, narrowed to what `actor` may read.
fn filter(actor: &Actor, q: &AuditQuery) -> ApiResult<Filter> {
    if let (Some(from), Some(to)) = (q.from, q.to)
        && from > to
    {
        return Err(ApiError::bad_request("bad request: `from` is after `to`"));
    }
    let mut kinds: Option<Vec<AuditKind>> = match (q.kind, q.group) {
        (Some(kind), Some(group)) if kind.group() != group => Some(Vec::new()),
        (Some(kind), _) => Some(vec![kind]),
        (None, Some(group)) => Some(AuditKind::of_group(group).collect()),
        (None, None) => None,
    };
    let mut actor_org = None;
    match actor.person.role {
        Role::Coordinator => {}
        // A service admin reads the reveals of their own people, nothing else.
        Role::ServiceAdmin => {
            actor_org = Some(actor.org.id);
            kinds = Some(match kinds {
                Some(k) if !k.contains(&AuditKind::CodeRevealed) => Vec::new(),
                _ => vec![AuditKind::CodeRevealed],
            });
        }
        _ => return Err(ApiError::forbidden()),
    }
    Ok(Filter {
        person: q.person,
        org: q.org,
        actor_org,
        safe: q.safe,
        kinds,
        from: q.from.map(ghent_day_start),
        until: q.to.map(|d| ghent_day_start(d.add_days(1))),
    })
}

/// A page of the audit trail, newest first by when the server had it: every event for the
/// coordinator, their own carers' reveals for a service admin.
#[utoipa::path(get, path = "/api/admin/audit", tag = "admin", security(("bearer" = [])), params(AuditQuery),
    responses((status = 200, body = AuditPage), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn page(
    State(state): State<AppState>,
    auth: Auth,
    ApiQuery(q): ApiQuery<AuditQuery>,
) -> ApiResult<Json<AuditPage>> {
    let filter = filter(&auth.actor, &q)?;
    let limit = q.limit.unwrap_or(DEFAULT_PAGE).clamp(1, MAX_PAGE);
    let before = q.before;
    Ok(Json(
        state
            .db
            .call(move |conn| audit_list::page(conn, &filter, before, limit))
            .await?,
    ))
}

/// The rows the filter selects for a CSV file, newest first, at most 20,000 (`next` says
/// there were more: narrow the period). `limit` and `before` are not read.
#[utoipa::path(get, path = "/api/admin/audit/export", tag = "admin", security(("bearer" = [])), params(AuditQuery),
    responses((status = 200, body = AuditPage), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn export(
    State(state): State<AppState>,
    auth: Auth,
    ApiQuery(q): ApiQuery<AuditQuery>,
) -> ApiResult<Json<AuditPage>> {
    let filter = filter(&auth.actor, &q)?;
    let by = auth.actor.person.id;
    let page = state
        .db
        .call(move |conn| audit_list::page(conn, &filter, None, MAX_EXPORT))
        .await?;
    tracing::info!(%by, rows = page.rows.len(), "audit trail exported");
    Ok(Json(page))
}

/// Whether `actor` may see `person`'s exposure: the coordinator anyone, a service admin their
/// own organisation's people; anyone else is refused, and outside one's own organisation the
/// person does not exist.
fn may_see(
    conn: &rusqlite::Connection,
    actor: &Actor,
    person: PersonId,
) -> Result<(), ServerError> {
    let (target, _, _) = accounts::find_person(conn, person)?
        .ok_or_else(|| ServerError::NotFound("Deze persoon".into()))?;
    match actor.person.role {
        Role::Coordinator => Ok(()),
        Role::ServiceAdmin if target.org == actor.org.id => Ok(()),
        _ => Err(ServerError::NotFound("Deze persoon".into())),
    }
}

fn admin_only(auth: &Auth) -> ApiResult<()> {
    match auth.actor.person.role {
        Role::Coordinator | Role::ServiceAdmin => Ok(()),
        _ => Err(ApiError::forbidden()),
    }
}

/// The safes whose codes a person opened in the last six months, and whether each still has
/// that code (coordinator; a service admin for their own people).
#[utoipa::path(get, path = "/api/admin/people/{id}/exposure", tag = "people", security(("bearer" = [])),
    params(("id" = String, Path, description = "Person id")),
    responses((status = 200, body = Exposure), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn exposure(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<Exposure>> {
    admin_only(&auth)?;
    let person: PersonId = parse_id(&id, "Deze persoon")?;
    let actor = auth.actor.clone();
    let t = state.now();
    Ok(Json(
        state
            .db
            .call(move |conn| {
                may_see(conn, &actor, person)?;
                exposure::exposure(conn, person, t)?
                    .ok_or_else(|| ServerError::NotFound("Deze persoon".into()))
            })
            .await?,
    ))
}

/// Plans one urgent change (5 working days) of every safe whose code the person saw and
/// that has not changed since, nor is planned to in time.
#[utoipa::path(post, path = "/api/admin/people/{id}/exposure/change", tag = "people", security(("bearer" = [])),
    params(("id" = String, Path, description = "Person id")),
    responses((status = 200, body = ExposureChanged), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn change(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<ExposureChanged>> {
    admin_only(&auth)?;
    let person: PersonId = parse_id(&id, "Deze persoon")?;
    let actor = auth.actor.clone();
    let app = state.clone();
    let t = state.now();
    let planned = state
        .db
        .call(move |conn| {
            may_see(conn, &actor, person)?;
            plan_and_publish(conn, &app, person, actor.person.id, t)
        })
        .await?;
    tracing::info!(%person, by = %auth.actor.person.id, planned = planned.planned, "exposed codes planned");
    Ok(Json(planned))
}

/// Plans the change in one transaction, then rebuilds the documents of the safes and of the
/// volunteers whose rounds lost one.
pub(crate) fn plan_and_publish(
    conn: &mut rusqlite::Connection,
    app: &AppState,
    person: PersonId,
    by: PersonId,
    t: kluis_domain::time::Timestamp,
) -> Result<ExposureChanged, ServerError> {
    let tx = conn.transaction()?;
    let planned = exposure::plan_change(&tx, &app.key, person, by, t)?;
    tx.commit()?;
    if !planned.safes.is_empty() {
        crate::rounds::after_change(
            conn,
            &app.key,
            &app.scopes,
            &app.scope_settings(),
            &planned.safes,
            &planned.volunteers,
            t,
        )?;
    }
    Ok(ExposureChanged {
        planned: u32::try_from(planned.included).unwrap_or(u32::MAX),
        due: planned.due,
        campaign_id: planned.campaign,
    })
}

/// Whether revoking a person plans the change of the codes they saw by itself
/// (coordinator only; audited).
#[utoipa::path(put, path = "/api/admin/revocation-policy", tag = "people", security(("bearer" = [])),
    request_body = RevocationPolicy,
    responses((status = 200, body = RevocationPolicy), (status = 403, body = ErrorBody)))]
pub async fn set_policy(
    State(state): State<AppState>,
    auth: Auth,
    ApiJson(policy): ApiJson<RevocationPolicy>,
) -> ApiResult<Json<RevocationPolicy>> {
    require_coordinator(&auth)?;
    let by = auth.actor.person.id;
    let t = state.now();
    let on = policy.change_on_revoke;
    state
        .db
        .call(move |conn| {
            let tx = conn.transaction()?;
            exposure::set_change_on_revoke(&tx, on, by, t)?;
            tx.commit()?;
            Ok(())
        })
        .await?;
    Ok(Json(policy))
}
