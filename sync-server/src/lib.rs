//! The Kluis sync server as a library: [`prepare`] opens the data directory, [`serve`] runs
//! the HTTP server on a listener the caller bound (tests bind `127.0.0.1:0`).

use std::future::{Future, IntoFuture};
use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::routing::{get, post};
use kluis_domain::schema::ScopeSettings;
use tokio::net::TcpListener;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::set_header::SetResponseHeaderLayer;

pub mod admit;
pub mod api;
pub mod bench_registry;
pub mod clock;
pub mod config;
pub mod db;
pub mod demo;
pub mod demo_history;
pub mod error;
pub mod gate;
pub mod hashpool;
pub mod import;
pub mod keys;
pub mod mail;
pub mod metrics;
pub mod notify;
pub mod ops;
pub mod ratelimit;
pub mod revoke;
pub mod rounds;
pub mod scopes;
pub mod seed;
pub mod setup;
pub mod state;
pub mod sync;
mod web;

pub use config::Settings;
pub use error::{ApiError, ApiResult, ServerError};
pub use seed::DemoLogin;
pub use state::AppState;

use crate::db::Db;
use crate::error::ErrorCode;
use crate::ratelimit::{LoginLimiter, LoginPolicy};
use crate::scopes::Scopes;
use crate::state::Inner;
pub use clock::Clock;

/// Opens the database and the server key, seeds the demo when asked (dated by `clock`), and
/// builds every scope document so the first sync of the day does not pay for it. Blocking:
/// run it on a blocking thread.
pub fn prepare(
    settings: Settings,
    clock: Clock,
) -> Result<(AppState, Vec<DemoLogin>), ServerError> {
    settings.validate()?;
    db::private::create_dir(&settings.data_dir)?;
    let data_lock = ops::DataLock::take(&settings.data_dir)?;
    let db = Db::open(&settings.data_dir)?;
    let source = settings.key_source();
    let key = db.blocking(|conn| keys::for_database(conn, &source))?;
    if source.beside_database(&settings.data_dir) {
        tracing::warn!(
            "the server key sits beside the database: a copy of the data directory holds both \
             the sealed codes and the key that opens them; move it out with server_key_file"
        );
    }
    let t = clock.now();
    let demo = if settings.demo {
        setup::check_demo_allowed(&db)?;
        seed::seed_demo(&db, &key, t, settings.demo_history)?
    } else {
        Vec::new()
    };
    // The configuration's device settings are defaults; the coordinator's choices win.
    let defaults = ScopeSettings {
        idle_lock_secs: settings.idle_lock_secs,
        grace_days: settings.grace_days,
        lease_hours: settings.lease_hours,
    };
    let scope_settings = db.blocking(|conn| db::settings::device_settings(conn, &defaults))?;
    let scopes = Arc::new(Scopes::default());
    let metrics = Arc::new(metrics::Metrics::new(scopes.rebuild_histogram()));
    db.blocking(|conn| rounds::maintenance(conn, &key, &scopes, &scope_settings, t))?;
    let notices = settings.mail_notifications;
    db.blocking(move |conn| db::notices::set_enabled(conn, notices))?;
    let state = AppState(Arc::new(Inner {
        db,
        key: Arc::new(key),
        limiter: LoginLimiter::new(LoginPolicy {
            free_per_account: settings.login_attempts_per_account,
            free_per_address: settings.login_attempts_per_ip,
            forget_after: settings.login_window,
            max_delay: settings.login_max_delay,
        }),
        gate: gate::DeviceGate::default(),
        admissions: admit::Admissions::default(),
        device_settings: std::sync::RwLock::new(scope_settings),
        scopes,
        sync_states: sync::states::SyncStates::default(),
        hashes: hashpool::HashPool::for_this_machine(state::MAX_CONCURRENT_HASHES)?,
        mailer: settings.smtp.as_ref().map(mail::Mailer::new).transpose()?,
        metrics,
        settings,
        clock,
        data_lock,
    }));
    Ok((state, demo))
}

/// Ready to serve: the database answers and the server key still opens it. For a load
/// balancer or an orchestrator; `/healthz` only says the process is up.
async fn readyz(
    axum::extract::State(state): axum::extract::State<AppState>,
) -> ApiResult<&'static str> {
    let key = state.key.clone();
    state
        .db
        .call(move |conn| {
            conn.query_row("SELECT 1", [], |_| Ok(()))?;
            keys::check(conn, &key)?;
            Ok(())
        })
        .await
        .map_err(|e| {
            ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                ErrorCode::Unavailable,
                "not ready: the database or the server key cannot be used",
            )
            .with_cause(e)
        })?;
    Ok("ready")
}

async fn api_not_found() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        ErrorCode::NotFound,
        "no such API route",
    )
}

/// Every route of the server.
pub fn router(state: AppState) -> Router {
    use api::{admin, auth, campaigns, people, registry, reports, rounds, settings};
    let json = Router::new()
        .route("/api/login", post(auth::login))
        .route("/api/me", get(auth::me))
        .route("/api/logout", post(auth::logout))
        .route("/api/admin/devices", get(admin::devices))
        .route("/api/admin/devices/{id}/revoke", post(admin::revoke_device))
        .route("/api/admin/people/{id}/revoke", post(admin::revoke_person))
        .route("/api/admin/safes/{id}/code", get(admin::safe_code))
        .route("/api/admin/safes/{id}/rotate", post(admin::rotate))
        .route("/api/attention", get(api::attention::attention))
        .route("/api/admin/audit", get(api::audit::page))
        .route("/api/admin/audit/export", get(api::audit::export))
        .route(kluis_api::paths::EVALUATION, get(api::evaluation::get))
        .route(
            kluis_api::paths::EVALUATION_CSV,
            get(api::evaluation::export),
        )
        .route("/api/admin/people/{id}/exposure", get(api::audit::exposure))
        .route(
            "/api/admin/people/{id}/exposure/change",
            post(api::audit::change),
        )
        .route(
            "/api/admin/revocation-policy",
            axum::routing::put(api::audit::set_policy),
        )
        .route(
            "/api/admin/campaigns",
            get(campaigns::list).post(campaigns::create),
        )
        .route("/api/admin/campaigns/{id}", get(campaigns::detail))
        .route(
            "/api/admin/campaigns/{id}/next-wave",
            post(campaigns::next_wave),
        )
        .route("/api/admin/safes/{id}/leaked", post(campaigns::leaked))
        .route("/api/admin/safes/{id}/history", get(reports::history))
        .route("/api/admin/rounds/{id}/assign", post(campaigns::assign))
        .route("/api/admin/due", get(reports::due))
        .route("/api/admin/code-space", get(reports::code_space))
        .route("/api/admin/repairs", get(api::door::repairs))
        .route("/api/admin/repairs/{id}/plan", post(api::door::plan))
        .route("/api/admin/repairs/{id}/resolve", post(api::door::resolve))
        .route("/api/door-reports", get(api::door::list))
        .route("/api/door-reports/{id}/handle", post(api::door::handle))
        .route("/api/admin/settings", get(settings::get).put(settings::put))
        .route(
            "/api/admin/device-settings",
            axum::routing::put(settings::put_devices),
        )
        .route("/api/admin/closing-days", post(settings::add_closing_day))
        .route(
            "/api/admin/closing-days/{day}",
            axum::routing::delete(settings::remove_closing_day),
        )
        .route("/api/activate", post(people::activate))
        .route(
            "/api/admin/organisations",
            get(registry::organisations).post(registry::add_organisation),
        )
        .route(
            "/api/admin/organisations/{id}",
            axum::routing::put(registry::edit_organisation),
        )
        .route(
            "/api/admin/models",
            get(registry::models).post(registry::add_model),
        )
        .route(
            "/api/admin/buildings",
            get(registry::buildings_list).post(registry::add_building),
        )
        .route(
            "/api/admin/buildings/{id}",
            get(registry::building).put(registry::edit_building),
        )
        .route("/api/admin/buildings/{id}/safes", post(registry::add_safe))
        .route(
            "/api/admin/buildings/{id}/services",
            axum::routing::put(registry::set_services),
        )
        .route(
            "/api/admin/buildings/{id}/history",
            get(registry::building_history),
        )
        .route(
            "/api/admin/safes/{id}",
            axum::routing::put(registry::edit_safe),
        )
        .route("/api/admin/people", get(people::list).post(people::add))
        .route("/api/admin/people/{id}", axum::routing::put(people::edit))
        .route("/api/admin/people/{id}/invite", post(people::invite))
        .route(
            "/api/admin/people/{id}/reactivate",
            post(people::reactivate),
        )
        .route(
            "/api/admin/organisations/{id}/buildings",
            axum::routing::put(api::activity::set_buildings),
        )
        .route(
            "/api/admin/confirmations",
            get(api::confirmations::overview).post(api::confirmations::open),
        )
        .route(
            "/api/admin/confirmations/mine",
            get(api::confirmations::mine).post(api::confirmations::answer),
        )
        .route("/api/admin/registry/export", get(api::import::export))
        .route(
            "/api/admin/registry/export-with-codes",
            post(api::import::export_with_codes),
        )
        .route(
            "/api/requests",
            get(api::requests::list).post(api::requests::create),
        )
        .route("/api/requests/{id}/review", post(api::requests::review))
        .route(
            "/api/requests/{id}/installed",
            post(api::requests::installed),
        )
        .route("/api/rounds", get(rounds::list))
        .route("/api/rounds/{id}/take", post(rounds::take))
        .route("/api/events", get(api::events::events))
        .layer(DefaultBodyLimit::max(state.settings.max_json_bytes));
    // A registry file is larger than any other request; JSON may double it with escapes.
    let import = Router::new()
        .route("/api/admin/registry/import", post(api::import::import))
        .layer(DefaultBodyLimit::max(
            2 * kluis_api::import::IMPORT_MAX_BYTES + 1024,
        ));
    let sync = Router::new()
        .route("/api/sync", post(api::sync::sync))
        .layer(DefaultBodyLimit::max(state.settings.max_sync_bytes));
    let mut app = Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(readyz))
        .route("/api/openapi.json", get(api::openapi::openapi_json))
        .merge(json)
        .merge(import)
        .merge(sync)
        .route("/api", get(api_not_found))
        .route("/api/{*rest}", get(api_not_found).post(api_not_found));
    // Metrics on the main listener only behind the scraper's token: without it, /metrics is
    // any unknown path here (`metrics_listen` serves them on a private address instead).
    if state.settings.metrics_token.is_some() {
        app = app.route("/metrics", get(metrics::http::scrape));
    }
    if let Some(dir) = &state.settings.web_dir {
        app = app.merge(web::router(dir));
    }
    let observed = state.metrics.clone();
    let app = app
        .with_state(state)
        .layer(axum::middleware::from_fn(security_headers))
        .layer(CompressionLayer::new())
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(CatchPanicLayer::custom(|_| {
            axum::response::IntoResponse::into_response(ApiError::internal("a handler panicked"))
        }));
    metrics::http::observe(app, observed)
}

/// What a browser may do with Kluis's pages: scripts, styles, workers and connections only
/// from Kluis itself (and WebAssembly compiled from them), no framing, no plugins.
const CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; \
     img-src 'self' data:; connect-src 'self'; worker-src 'self'; manifest-src 'self'; \
     object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// Powerful browser features Kluis does not use are off; passkeys only for Kluis itself.
const PERMISSIONS: &str = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), \
     bluetooth=(), serial=(), hid=(), interest-cohort=(), \
     publickey-credentials-get=(self), publickey-credentials-create=(self)";

/// Headers on every answer; `/api` answers are never stored by a browser or a proxy (they
/// carry tokens and codes).
async fn security_headers(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let api = req.uri().path().starts_with("/api");
    let mut resp = next.run(req).await;
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(
        HeaderName::from_static("permissions-policy"),
        HeaderValue::from_static(PERMISSIONS),
    );
    h.insert(
        HeaderName::from_static("cross-origin-opener-policy"),
        HeaderValue::from_static("same-origin"),
    );
    h.insert(
        HeaderName::from_static("cross-origin-resource-policy"),
        HeaderValue::from_static("same-origin"),
    );
    if api {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    resp
}

/// How often previous codes past the grace period are dropped from carers' documents and
/// finished rounds from volunteers'. An hour late is harmless: the grace period is days.
const MAINTENANCE_EVERY: std::time::Duration = std::time::Duration::from_secs(3600);

/// One maintenance pass at `at` (see [`rounds::maintenance`]); the hourly task calls it with
/// the state's clock.
pub async fn run_maintenance(
    state: &AppState,
    at: kluis_domain::time::Timestamp,
) -> Result<(), ServerError> {
    let app = state.clone();
    state
        .db
        .call(move |conn| {
            api::people::expire_ended(conn, &app, state::today_in_ghent(at))?;
            api::confirmations::close_due(conn, &app)?;
            notify::deadlines(conn, at)?;
            rounds::maintenance(conn, &app.key, &app.scopes, &app.scope_settings(), at)
        })
        .await
}

/// Writes the sync states that changed since the last time (see `sync::states`); returns
/// how many.
pub async fn flush_sync_states(state: &AppState) -> Result<usize, ServerError> {
    let app = state.clone();
    state.db.call(move |conn| app.sync_states.flush(conn)).await
}

/// Runs the server on `listener` until `shutdown` completes, and the metrics on
/// `metrics_listen` when it is set (bound here).
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), ServerError> {
    let metrics = match state.settings.metrics_listen {
        Some(addr) => Some(TcpListener::bind(addr).await.map_err(|e| {
            ServerError::Config(format!("metrics_listen: cannot listen on {addr}: {e}"))
        })?),
        None => None,
    };
    serve_with_metrics(listener, metrics, state, shutdown).await
}

/// Like [`serve`], with the metrics listener bound by the caller (tests bind
/// `127.0.0.1:0`), whatever `metrics_listen` says. Both stop on `shutdown`, and the metrics
/// listener stops too if the main one fails.
pub async fn serve_with_metrics(
    listener: TcpListener,
    metrics: Option<TcpListener>,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), ServerError> {
    let metrics = match metrics {
        Some(listener) => Some((listener.local_addr()?, listener)),
        None => None,
    };
    // One signal for both listeners: `shutdown` can be awaited only once. Event streams end
    // on it too, so the stop does not wait for phones.
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let stop = Arc::new(stop);
    let forward = {
        let stop = stop.clone();
        let state = state.clone();
        tokio::spawn(async move {
            shutdown.await;
            tracing::info!(
                "stopping: no new connections; finishing requests, ending event streams"
            );
            state.scopes.shut_down();
            stop.send_replace(true);
        })
    };
    let until_stopped = |mut rx: tokio::sync::watch::Receiver<bool>| async move {
        // A dropped sender also means stop.
        let _ = rx.wait_for(|stopped| *stopped).await;
    };
    let metrics_task = match metrics {
        Some((addr, listener)) => {
            tracing::info!(%addr, "metrics served on their own listener");
            let app = metrics::http::metrics_only(state.clone());
            let rx = stopped.clone();
            Some(tokio::spawn(async move {
                axum::serve(listener, app)
                    .with_graceful_shutdown(until_stopped(rx))
                    .await
            }))
        }
        None => None,
    };
    let maintained = state.clone();
    let maintenance = tokio::spawn(async move {
        let mut every = tokio::time::interval(MAINTENANCE_EVERY);
        // The first tick is immediate; `prepare` has just done that pass.
        every.tick().await;
        loop {
            every.tick().await;
            if let Err(e) = run_maintenance(&maintained, maintained.now()).await {
                tracing::error!(%e, "maintenance pass failed");
            }
            maintained.gate.forget_quiet();
        }
    });
    let revocations = tokio::spawn(revoke::watch(state.clone()));
    let flushed = state.clone();
    let flusher = tokio::spawn(async move {
        let mut every = tokio::time::interval(sync::states::FLUSH_EVERY);
        loop {
            every.tick().await;
            if let Err(e) = flush_sync_states(&flushed).await {
                tracing::warn!(%e, "sync states not written; trying again");
            }
        }
    });
    let sender = match (&state.mailer, state.settings.mail_notifications) {
        (Some(mailer), true) => Some(tokio::spawn(notify::run(
            state.clone(),
            mailer.clone(),
            state.settings.mail_retry,
        ))),
        _ => None,
    };
    let app = router(state.clone()).into_make_service_with_connect_info::<std::net::SocketAddr>();
    let served = axum::serve(listener, app)
        .with_graceful_shutdown(until_stopped(stopped.clone()))
        .into_future();
    let grace_over = {
        let stopped = stopped.clone();
        async move {
            until_stopped(stopped).await;
            tokio::time::sleep(SHUTDOWN_GRACE).await;
        }
    };
    let served = tokio::select! {
        served = served => served,
        () = grace_over => {
            tracing::warn!("requests still open after the grace period; stopping without them");
            Ok(())
        }
    };
    stop.send_replace(true);
    forward.abort();
    maintenance.abort();
    revocations.abort();
    flusher.abort();
    if let Some(sender) = sender {
        sender.abort();
    }
    let metrics_served = match metrics_task {
        Some(task) => task.await.map_err(|e| ServerError::Task(e.to_string()))?,
        None => Ok(()),
    };
    if let Err(e) = flush_sync_states(&state).await {
        tracing::warn!(%e, "sync states not written at stop; devices resync what they hold");
    }
    // Whatever was acknowledged is in the WAL already; folding it into the database file
    // makes the file complete on its own.
    if let Err(e) = state.db.call(db::checkpoint).await {
        tracing::warn!(%e, "checkpoint at stop failed; the WAL is applied at the next start");
    }
    served?;
    metrics_served?;
    Ok(())
}

/// How long a stop waits for requests in flight before it leaves them.
pub const SHUTDOWN_GRACE: std::time::Duration = std::time::Duration::from_secs(5);

/// Convenience for tests and embedding: prepare on a blocking thread, then serve.
pub async fn start(
    listener: TcpListener,
    settings: Settings,
    clock: Clock,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), ServerError> {
    let (state, _) = tokio::task::spawn_blocking(move || prepare(settings, clock))
        .await
        .map_err(|e| ServerError::Task(e.to_string()))??;
    serve(listener, state, shutdown).await
}
