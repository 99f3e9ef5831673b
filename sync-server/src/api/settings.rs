//! The coordinator's settings: how campaigns are planned (quarantine of retired codes, round
//! size, codes kept free for urgent changes) and the office's closing days, which count as
//! non-working days for every deadline. Each change is in the audit trail.

use axum::Json;
use axum::extract::{Path, State};
use kluis_domain::ids::{EventId, PersonId};
use kluis_domain::model::AuditKind;
use kluis_domain::schema::ScopeSettings;
use kluis_domain::time::{Date, Timestamp};

use super::{ApiJson, Auth, require_coordinator};
use crate::db::audit;
use crate::db::settings::{self, LifecycleSettings};
use kluis_domain::setting_limits as limits;

use crate::error::{ApiError, ApiResult, ErrorBody, Field, Problem, ServerError};
use crate::rounds;
use crate::state::{AppState, OsRandom};
use kluis_api::settings::{ClosingDay, DeviceSettingsIn, SettingsIn, SettingsOut};

/// Writes a settings change by coordinator `by` at `t` to the audit trail.
fn record_change(
    conn: &rusqlite::Connection,
    by: PersonId,
    t: Timestamp,
    kind: AuditKind,
    detail: &str,
) -> Result<(), ServerError> {
    audit::record(
        conn,
        EventId::random(&mut OsRandom),
        t,
        t,
        Some(by),
        None,
        kind,
        None,
        detail,
    )?;
    Ok(())
}

/// Refuses `value` outside `limit`, naming the setting and its range.
fn check(limit: &limits::Limit, value: u32) -> ApiResult<()> {
    if limit.allows(value) {
        return Ok(());
    }
    Err(ApiError::invalid(Problem::OutOfRange {
        setting: limit.setting,
        min: limit.min(),
        max: limit.max(),
    }))
}

fn validate(input: &SettingsIn) -> Result<LifecycleSettings, ApiError> {
    check(&limits::QUARANTINE_DAYS, input.quarantine_days)?;
    check(&limits::MAX_ROUND_SIZE, input.max_round_size)?;
    check(&limits::RESERVE_PER_MODEL, input.reserve_per_model)?;
    check(
        &limits::ROUNDS_PER_VOLUNTEER,
        input.max_rounds_per_volunteer,
    )?;
    Ok(LifecycleSettings {
        quarantine_days: input.quarantine_days,
        max_round_size: input.max_round_size,
        reserve_per_model: input.reserve_per_model,
        max_rounds_per_volunteer: input.max_rounds_per_volunteer,
    })
}

async fn read(state: &AppState) -> ApiResult<SettingsOut> {
    let devices = state.scope_settings();
    let (lifecycle, days, change_on_revoke) = state
        .db
        .call(|conn| {
            Ok((
                settings::lifecycle(conn)?,
                settings::closing_days(conn)?,
                crate::db::exposure::change_on_revoke(conn)?,
            ))
        })
        .await?;
    Ok(SettingsOut {
        quarantine_days: lifecycle.quarantine_days,
        max_round_size: lifecycle.max_round_size,
        reserve_per_model: lifecycle.reserve_per_model,
        max_rounds_per_volunteer: lifecycle.max_rounds_per_volunteer,
        closing_days: days
            .into_iter()
            .map(|(day, label)| ClosingDay {
                day,
                label: (!label.is_empty()).then_some(label),
            })
            .collect(),
        grace_days: devices.grace_days,
        idle_lock_secs: devices.idle_lock_secs,
        lease_hours: devices.lease_hours,
        change_on_revoke,
    })
}

/// The settings (coordinator only).
#[utoipa::path(get, path = "/api/admin/settings", tag = "lifecycle", security(("bearer" = [])),
    responses((status = 200, body = SettingsOut), (status = 403, body = ErrorBody)))]
pub async fn get(State(state): State<AppState>, auth: Auth) -> ApiResult<Json<SettingsOut>> {
    require_coordinator(&auth)?;
    Ok(Json(read(&state).await?))
}

/// Changes how campaigns are planned (coordinator only); applies to campaigns and waves
/// planned from now on.
#[utoipa::path(put, path = "/api/admin/settings", tag = "lifecycle", security(("bearer" = [])),
    request_body = SettingsIn,
    responses((status = 200, body = SettingsOut), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn put(
    State(state): State<AppState>,
    auth: Auth,
    ApiJson(input): ApiJson<SettingsIn>,
) -> ApiResult<Json<SettingsOut>> {
    require_coordinator(&auth)?;
    let next = validate(&input)?;
    let by = auth.actor.person.id;
    let t = state.now();
    state
        .db
        .call(move |conn| {
            let tx = conn.transaction()?;
            settings::set_lifecycle(&tx, next)?;
            let detail = format!(
                "quarantaine {} dagen, ronde {} kluisjes, reserve {} codes per model, {} rondes per vrijwilliger",
                next.quarantine_days,
                next.max_round_size,
                next.reserve_per_model,
                next.max_rounds_per_volunteer
            );
            record_change(&tx, by, t, AuditKind::SettingsChanged, &detail)?;
            tx.commit()?;
            Ok(())
        })
        .await?;
    Ok(Json(read(&state).await?))
}

fn parse_day(day: &str) -> Result<Date, ApiError> {
    day.parse()
        .map_err(|_| ApiError::invalid(Problem::NotADate { field: Field::Day }))
}

/// Adds a closing day of the office, or relabels one (coordinator only). Deadlines counted
/// in working days skip it.
#[utoipa::path(post, path = "/api/admin/closing-days", tag = "lifecycle", security(("bearer" = [])),
    request_body = ClosingDay,
    responses((status = 200, body = SettingsOut), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn add_closing_day(
    State(state): State<AppState>,
    auth: Auth,
    ApiJson(input): ApiJson<ClosingDay>,
) -> ApiResult<Json<SettingsOut>> {
    require_coordinator(&auth)?;
    let day = input.day;
    let label = input.label.unwrap_or_default().trim().to_string();
    if label.chars().count() > 100 {
        return Err(ApiError::invalid(Problem::TextLength {
            field: Field::Label,
            min: 0,
            max: 100,
        }));
    }
    let by = auth.actor.person.id;
    let t = state.now();
    state
        .db
        .call(move |conn| {
            let tx = conn.transaction()?;
            settings::put_closing_day(&tx, day, &label)?;
            let detail = format!("sluitingsdag {day} {label}");
            record_change(&tx, by, t, AuditKind::ClosingDayAdded, detail.trim())?;
            tx.commit()?;
            Ok(())
        })
        .await?;
    Ok(Json(read(&state).await?))
}

/// Removes a closing day (coordinator only); 404 when it was not one.
#[utoipa::path(delete, path = "/api/admin/closing-days/{day}", tag = "lifecycle", security(("bearer" = [])),
    params(("day" = String, Path, description = "YYYY-MM-DD")),
    responses((status = 200, body = SettingsOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn remove_closing_day(
    State(state): State<AppState>,
    auth: Auth,
    Path(day): Path<String>,
) -> ApiResult<Json<SettingsOut>> {
    require_coordinator(&auth)?;
    let day = parse_day(&day)?;
    let by = auth.actor.person.id;
    let t = state.now();
    let removed = state
        .db
        .call(move |conn| {
            let tx = conn.transaction()?;
            let removed = settings::delete_closing_day(&tx, day)?;
            if removed {
                let detail = format!("sluitingsdag {day} geschrapt");
                record_change(&tx, by, t, AuditKind::ClosingDayRemoved, &detail)?;
            }
            tx.commit()?;
            Ok(removed)
        })
        .await?;
    if !removed {
        return Err(ApiError::not_found("Deze sluitingsdag"));
    }
    Ok(Json(read(&state).await?))
}

fn validate_devices(input: &DeviceSettingsIn) -> Result<ScopeSettings, ApiError> {
    check(&limits::GRACE_DAYS, input.grace_days)?;
    check(&limits::IDLE_LOCK_SECS, input.idle_lock_secs)?;
    check(&limits::LEASE_HOURS, input.lease_hours)?;
    Ok(ScopeSettings {
        grace_days: input.grace_days,
        idle_lock_secs: input.idle_lock_secs,
        lease_hours: input.lease_hours,
    })
}

/// Changes the settings every device gets (coordinator only): the grace period of the
/// previous code, the idle lock and the lease. Every scope document is rebuilt with them and
/// open apps are nudged to sync; a shorter grace period retires previous codes at once.
#[utoipa::path(put, path = "/api/admin/device-settings", tag = "lifecycle", security(("bearer" = [])),
    request_body = DeviceSettingsIn,
    responses((status = 200, body = SettingsOut), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn put_devices(
    State(state): State<AppState>,
    auth: Auth,
    ApiJson(input): ApiJson<DeviceSettingsIn>,
) -> ApiResult<Json<SettingsOut>> {
    require_coordinator(&auth)?;
    let next = validate_devices(&input)?;
    let by = auth.actor.person.id;
    let t = state.now();
    let app = state.clone();
    state
        .db
        .call(move |conn| {
            let tx = conn.transaction()?;
            settings::set_device_settings(&tx, &next)?;
            let detail = format!(
                "vorige code {} dagen, vergrendelen na {} s, gegevens {} uur",
                next.grace_days, next.idle_lock_secs, next.lease_hours
            );
            record_change(&tx, by, t, AuditKind::SettingsChanged, &detail)?;
            tx.commit()?;
            app.set_scope_settings(next.clone());
            rounds::maintenance(conn, &app.key, &app.scopes, &next, t)
        })
        .await?;
    Ok(Json(read(&state).await?))
}
