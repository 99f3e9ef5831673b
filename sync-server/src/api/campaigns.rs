//! The coordinator's code lifecycle calls: campaigns, the next wave, a leaked code, and who
//! does which round. Each call is one transaction; documents are rebuilt after the commit.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use kluis_domain::ids::{CampaignId, EventId, PersonId, RoundId, SafeId};
use kluis_domain::model::AuditKind;
use kluis_domain::model::CampaignKind;

use super::{ApiJson, Auth, require_coordinator};
use crate::db::campaigns::{self, CampaignCreated, NewCampaign, Planned, Selection};
use crate::db::reports::{self, CampaignDetail, CampaignRow};
use crate::db::rounds::{self as round_db, RoundFilter, RoundSummary};
use crate::db::urgent::{self, Urgency};
use crate::db::{audit, settings};
use crate::error::{ApiError, ApiResult, ErrorBody, Field, Problem, ServerError};
use crate::state::{AppState, OsRandom};
use kluis_api::campaigns::{
    AssignRequest, CampaignRequest, LeakReported, LeakRequest, Selection as SelectionIn,
};

/// Most safes one request may list by id.
const MAX_LISTED_SAFES: u32 = 10_000;

fn parse_id<T: std::str::FromStr>(s: &str, what: &str) -> ApiResult<T> {
    s.parse().map_err(|_| ApiError::not_found(what))
}

fn selection(s: SelectionIn) -> ApiResult<Selection> {
    Ok(match s {
        SelectionIn::All => Selection::All,
        SelectionIn::HousingCompany { org_id } => Selection::HousingCompany(org_id),
        SelectionIn::District { district } if district.trim().is_empty() => {
            return Err(ApiError::invalid(Problem::TextLength {
                field: Field::District,
                min: 1,
                max: 200,
            }));
        }
        SelectionIn::District { district } => Selection::District(district),
        SelectionIn::Safes { safe_ids } if safe_ids.len() > MAX_LISTED_SAFES as usize => {
            return Err(ApiError::invalid(Problem::TooMany {
                field: Field::SafeIds,
                max: MAX_LISTED_SAFES,
            }));
        }
        SelectionIn::Safes { safe_ids } => Selection::Safes(safe_ids),
    })
}

/// Creates a rotation campaign (coordinator only): new pending codes for the first wave,
/// split into rounds by district and street. When current and new codes do not fit in a
/// model's code space together, the rest waits for later waves; the reply says why, with the
/// numbers. Carers see nothing until a volunteer reports a new code set.
#[utoipa::path(post, path = "/api/admin/campaigns", tag = "lifecycle", security(("bearer" = [])),
    request_body = CampaignRequest,
    responses((status = 201, body = CampaignCreated), (status = 400, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    auth: Auth,
    ApiJson(req): ApiJson<CampaignRequest>,
) -> ApiResult<(StatusCode, Json<CampaignCreated>)> {
    require_coordinator(&auth)?;
    let selection = selection(req.selection)?;
    let due_on = req.due_on;
    let by = auth.actor.person.id;
    let app = state.clone();
    let t = state.now();
    let created = state
        .db
        .call(move |conn| {
            let key = &app.key;
            let lifecycle = settings::lifecycle(conn)?;
            let tx = conn.transaction()?;
            let new = NewCampaign {
                name: &req.name,
                kind: CampaignKind::Rotation,
                selection: &selection,
                due_on,
                by,
            };
            let created = campaigns::create(&tx, key, &lifecycle, &new, t, &mut OsRandom)?;
            audit::record(
                &tx,
                EventId::random(&mut OsRandom),
                t,
                t,
                Some(by),
                None,
                AuditKind::CampaignCreated,
                None,
                &format!("{}: {} kluizen", created.name, created.included),
            )?;
            tx.commit()?;
            publish_new_codes(conn, &app, created.id, t)?;
            Ok(created)
        })
        .await?;
    tracing::info!(campaign = %created.id, safes = created.included, "campaign created");
    Ok((StatusCode::CREATED, Json(created)))
}

/// Carers' phones get the campaign's new codes (shown beside the current ones until set).
fn publish_new_codes(
    conn: &mut rusqlite::Connection,
    app: &AppState,
    campaign: CampaignId,
    t: kluis_domain::time::Timestamp,
) -> Result<(), ServerError> {
    let safes = campaigns::coded_safes(conn, campaign)?;
    let settings = app.scope_settings();
    if safes.len() > crate::scopes::MAX_INCREMENTAL_SAFES {
        // A whole city: each scope is rebuilt once, which the incremental update would fall
        // back to anyway, without first asking per safe which services see it.
        for (service, _) in crate::db::registry::care_services(conn)? {
            app.scopes.refresh(conn, &app.key, service, &settings, t)?;
        }
        return Ok(());
    }
    crate::rounds::after_change(conn, &app.key, &app.scopes, &settings, &safes, &[], t)
}

/// Every campaign with its progress, newest first (coordinator only).
#[utoipa::path(get, path = "/api/admin/campaigns", tag = "lifecycle", security(("bearer" = [])),
    responses((status = 200, body = Vec<CampaignRow>), (status = 403, body = ErrorBody)))]
pub async fn list(State(state): State<AppState>, auth: Auth) -> ApiResult<Json<Vec<CampaignRow>>> {
    require_coordinator(&auth)?;
    Ok(Json(state.db.call(|conn| reports::campaigns(conn)).await?))
}

/// One campaign: progress per wave and per round (done / failed / open), who holds which
/// round (coordinator only).
#[utoipa::path(get, path = "/api/admin/campaigns/{id}", tag = "lifecycle", security(("bearer" = [])),
    params(("id" = String, Path, description = "Campaign id")),
    responses((status = 200, body = CampaignDetail), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn detail(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<CampaignDetail>> {
    require_coordinator(&auth)?;
    let id: CampaignId = parse_id(&id, "Deze campagne")?;
    Ok(Json(
        state
            .db
            .call(move |conn| reports::campaign(conn, id))
            .await?,
    ))
}

/// Gives the campaign's waiting safes new codes, as many as the code space allows now (once
/// the previous wave's old codes have left quarantine), in new rounds. 422 with the numbers
/// when none fits yet.
#[utoipa::path(post, path = "/api/admin/campaigns/{id}/next-wave", tag = "lifecycle", security(("bearer" = [])),
    params(("id" = String, Path, description = "Campaign id")),
    responses((status = 200, body = Planned), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn next_wave(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<Planned>> {
    require_coordinator(&auth)?;
    let id: CampaignId = parse_id(&id, "Deze campagne")?;
    let app = state.clone();
    let t = state.now();
    let by = auth.actor.person.id;
    let planned = state
        .db
        .call(move |conn| {
            let lifecycle = settings::lifecycle(conn)?;
            let tx = conn.transaction()?;
            let planned =
                campaigns::start_next_wave(&tx, &app.key, &lifecycle, id, t, &mut OsRandom)?;
            audit::record(
                &tx,
                EventId::random(&mut OsRandom),
                t,
                t,
                Some(by),
                None,
                AuditKind::WavePlanned,
                None,
                &format!("campaign {id}"),
            )?;
            tx.commit()?;
            publish_new_codes(conn, &app, id, t)?;
            Ok(planned)
        })
        .await?;
    Ok(Json(planned))
}

/// Reports that a safe's code is known to unauthorised people (coordinator only): records it
/// in the audit trail, starts the 5-working-day clock and creates an urgent campaign with a
/// new pending code for that one safe. An unfinished change of the same safe is cancelled.
#[utoipa::path(post, path = "/api/admin/safes/{id}/leaked", tag = "lifecycle", security(("bearer" = [])),
    params(("id" = String, Path, description = "Safe id")), request_body(content = Option<LeakRequest>),
    responses((status = 201, body = LeakReported), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn leaked(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult<(StatusCode, Json<LeakReported>)> {
    require_coordinator(&auth)?;
    let safe: SafeId = parse_id(&id, "Deze kluis")?;
    let req: LeakRequest = if body.iter().all(u8::is_ascii_whitespace) {
        LeakRequest { note: None }
    } else {
        serde_json::from_slice(&body)
            .map_err(|e| ApiError::bad_request(format!("Ongeldige aanvraag: {e}")))?
    };
    let note = req.note.unwrap_or_default();
    if note.chars().count() > 1000 {
        return Err(ApiError::invalid(Problem::TextLength {
            field: Field::Note,
            min: 0,
            max: 1000,
        }));
    }
    let by = auth.actor.person.id;
    let app = state.clone();
    let t = state.now();
    let reply = state
        .db
        .call(move |conn| {
            let tx = conn.transaction()?;
            let planned = urgent::plan(&tx, &app.key, safe, Urgency::Leak, by, &note, t)?;
            tx.commit()?;
            crate::rounds::after_change(
                conn,
                &app.key,
                &app.scopes,
                &app.scope_settings(),
                &[safe],
                &planned.volunteers,
                t,
            )?;
            Ok(planned.reply)
        })
        .await?;
    tracing::info!(%safe, by = %auth.actor.person.id, "code reported leaked");
    Ok((StatusCode::CREATED, Json(reply)))
}

/// Gives a round to a volunteer of the coordinator's office, or takes it back (coordinator
/// only), also beyond the number a volunteer may take. The volunteer's phone receives it at
/// its next sync (open apps are nudged). A previous holder's phone drops it: the round's
/// pending codes are replaced, and what that holder records about it later is refused.
#[utoipa::path(post, path = "/api/admin/rounds/{id}/assign", tag = "lifecycle", security(("bearer" = [])),
    params(("id" = String, Path, description = "Round id")), request_body = AssignRequest,
    responses((status = 200, body = RoundSummary), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn assign(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<AssignRequest>,
) -> ApiResult<Json<RoundSummary>> {
    require_coordinator(&auth)?;
    let round: RoundId = parse_id(&id, "Deze ronde")?;
    let volunteer: Option<PersonId> = req.volunteer_id;
    let org = auth.actor.org.id;
    let by = auth.actor.person.id;
    let app = state.clone();
    let t = state.now();
    let summary = state
        .db
        .call(move |conn| {
            let tx = conn.transaction()?;
            let before = round_db::holder(&tx, round)?;
            if let Some(v) = volunteer {
                round_db::check_volunteer(&tx, v, org)?;
            }
            let rekeyed = round_db::assign(&tx, &app.key, round, volunteer, t, &mut OsRandom)?;
            let detail = format!(
                "ronde {round}: {} → {}, {} nieuwe codes",
                before.map_or("niemand".to_string(), |p| p.to_string()),
                volunteer.map_or("niemand".to_string(), |p| p.to_string()),
                rekeyed.len()
            );
            audit::record(
                &tx,
                EventId::random(&mut OsRandom),
                t,
                t,
                Some(by),
                None,
                AuditKind::RoundAssigned,
                None,
                &detail,
            )?;
            tx.commit()?;
            let people: Vec<PersonId> = before.into_iter().chain(volunteer).collect();
            // Carers' phones trade the replaced new codes for the fresh ones.
            crate::rounds::after_change(
                conn,
                &app.key,
                &app.scopes,
                &app.scope_settings(),
                &rekeyed,
                &people,
                t,
            )?;
            round_summary(conn, round)
        })
        .await?;
    Ok(Json(summary))
}

/// The summary of one round.
pub fn round_summary(
    conn: &rusqlite::Connection,
    round: RoundId,
) -> Result<RoundSummary, ServerError> {
    let campaign: CampaignId = conn.query_row(
        "SELECT campaign_id FROM rounds WHERE id = ?1",
        [round.to_string()],
        |r| crate::db::registry::parse_col(r, 0),
    )?;
    round_db::summaries(conn, RoundFilter::Campaign(campaign))?
        .into_iter()
        .find(|r| r.id == round)
        .ok_or_else(|| ServerError::NotFound("Deze ronde".into()))
}
