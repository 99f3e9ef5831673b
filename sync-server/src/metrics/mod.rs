//! What an operator watches: the server's metrics in the Prometheus text format at
//! `GET /metrics`, never open to the internet (see [`http`] and the `metrics_listen` and
//! `metrics_token` settings).
//!
//! Each server has its own registry, held in its state: many servers in one test process
//! never count into each other, and no global recorder has to be installed once. Counters
//! and histograms are updated where things happen; the gauges that describe the database are
//! read at scrape time, off the async executor.

pub mod http;

use std::path::Path;
use std::time::Instant;

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::encoding::prometheus_text;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::{Registry, Unit};
use rusqlite::Connection;

use crate::error::ServerError;
use crate::state::AppState;

/// Every family's name starts with this (and `_`).
pub const PREFIX: &str = "kluis";

/// "Seen" in `kluis_devices_seen_24h`.
const DAY_MS: i64 = 24 * 3600 * 1000;

/// A request's route is the router's pattern (`/api/admin/safes/{id}/code`), never the path
/// a client sent: ids must not become labels, and a stranger must not be able to add series.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RequestLabels {
    pub route: String,
    pub method: &'static str,
    pub status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RouteLabels {
    pub route: String,
}

/// A 429, by route and by the error code that says why (`rate_limited`: sign-in and
/// activation attempts, or a device far too fast; `sync_busy`: a sync of the device runs).
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct LimitedLabels {
    pub route: String,
    pub reason: &'static str,
}

pub struct Metrics {
    registry: Registry,
    pub requests: Family<RequestLabels, Counter>,
    pub request_bytes: Family<RouteLabels, Counter>,
    pub response_bytes: Family<RouteLabels, Counter>,
    pub rate_limited: Family<LimitedLabels, Counter>,
    pub sync_duration: Histogram,
    pub open_streams: Gauge,
    pub login_failures: Counter,
    devices_seen: Gauge,
    database_bytes: Gauge,
    audit_rows: Gauge,
}

/// 1 ms to about 16 s, doubling: a no-change sync takes milliseconds, a first sync of a
/// large scope or a rebuild of a city's scope up to seconds.
fn seconds_buckets() -> impl Iterator<Item = f64> {
    exponential_buckets(0.001, 2.0, 15)
}

/// The histogram [`crate::scopes::Scopes`] observes each scope rebuild in.
pub fn scope_rebuild_histogram() -> Histogram {
    Histogram::new(seconds_buckets())
}

impl Metrics {
    /// The registry of one server; `scope_rebuilds` is its [`crate::scopes::Scopes`]'s
    /// histogram (shared: the scopes observe, this registry shows it).
    pub fn new(scope_rebuilds: Histogram) -> Metrics {
        let mut m = Metrics {
            requests: Family::default(),
            request_bytes: Family::default(),
            response_bytes: Family::default(),
            rate_limited: Family::default(),
            sync_duration: Histogram::new(seconds_buckets()),
            open_streams: Gauge::default(),
            login_failures: Counter::default(),
            devices_seen: Gauge::default(),
            database_bytes: Gauge::default(),
            audit_rows: Gauge::default(),
            registry: Registry::with_prefix(PREFIX),
        };
        let registry = &mut m.registry;
        // Help texts get their full stop from the encoder.
        registry.register(
            "http_requests",
            "HTTP requests answered, by matched route, method and status",
            m.requests.clone(),
        );
        registry.register_with_unit(
            "http_request_body",
            "Request body bytes read, by matched route",
            Unit::Bytes,
            m.request_bytes.clone(),
        );
        registry.register_with_unit(
            "http_response_body",
            "Response body bytes sent (compressed when the answer was), by matched route",
            Unit::Bytes,
            m.response_bytes.clone(),
        );
        registry.register(
            "rate_limited",
            "Requests answered 429, by matched route and error code",
            m.rate_limited.clone(),
        );
        registry.register_with_unit(
            "sync_duration",
            "Time from admission to answer of one POST /api/sync",
            Unit::Seconds,
            m.sync_duration.clone(),
        );
        registry.register_with_unit(
            "scope_rebuild_duration",
            "Time to bring one service's scope document up to date with the registry",
            Unit::Seconds,
            scope_rebuilds,
        );
        registry.register(
            "event_streams_open",
            "Event streams (GET /api/events) open now",
            m.open_streams.clone(),
        );
        registry.register(
            "login_failures",
            "Sign-ins refused for an unknown login, a wrong password or a revoked person",
            m.login_failures.clone(),
        );
        registry.register(
            "devices_seen_24h",
            "Devices that enrolled or synced in the last 24 hours",
            m.devices_seen.clone(),
        );
        registry.register_with_unit(
            "database_size",
            "The SQLite database: its pages plus its write-ahead log",
            Unit::Bytes,
            m.database_bytes.clone(),
        );
        registry.register(
            "audit_rows",
            "Rows in the audit trail",
            m.audit_rows.clone(),
        );
        m
    }

    /// The page a scraper gets: the database read on the blocking pool first.
    pub async fn render(state: &AppState) -> Result<String, ServerError> {
        let since = state.now().plus_millis(-DAY_MS).millis();
        let path = state.db.path().to_path_buf();
        let read = state
            .db
            .call(move |conn| DatabaseFigures::read(conn, &path, since))
            .await?;
        let m = &state.metrics;
        m.devices_seen.set(read.devices_seen);
        m.database_bytes.set(read.bytes);
        m.audit_rows.set(read.audit_rows);
        let mut page = String::new();
        // Writing into a String fails only if an encoder does, which ours never do.
        prometheus_text::encode(&mut page, &m.registry)
            .map_err(|e| ServerError::Task(format!("encoding the metrics: {e}")))?;
        Ok(page)
    }

    /// Times one sync from now until the returned guard drops, however the sync ends.
    pub fn time_sync(&self) -> Timer<'_> {
        Timer {
            histogram: &self.sync_duration,
            started: Instant::now(),
        }
    }

    /// Counts an event stream as open until the returned guard drops.
    pub fn stream_opened(&self) -> OpenStream {
        self.open_streams.inc();
        OpenStream(self.open_streams.clone())
    }
}

/// Observes the time since it was made when it drops.
pub struct Timer<'a> {
    histogram: &'a Histogram,
    started: Instant,
}

impl Drop for Timer<'_> {
    fn drop(&mut self) {
        self.histogram.observe(self.started.elapsed().as_secs_f64());
    }
}

/// One open event stream in `kluis_event_streams_open`; dropping it (the stream ended, or the
/// client went away) takes it off.
pub struct OpenStream(Gauge);

impl Drop for OpenStream {
    fn drop(&mut self) {
        self.0.dec();
    }
}

/// The scrape-time figures, read in one visit to the database.
struct DatabaseFigures {
    devices_seen: i64,
    bytes: i64,
    audit_rows: i64,
}

impl DatabaseFigures {
    fn read(conn: &mut Connection, path: &Path, since_ms: i64) -> Result<Self, ServerError> {
        let devices_seen = conn.query_row(
            "SELECT count(*) FROM devices WHERE last_seen_at >= ?1",
            [since_ms],
            |r| r.get(0),
        )?;
        let pages: i64 = conn.query_row("PRAGMA page_count", [], |r| r.get(0))?;
        let page_size: i64 = conn.query_row("PRAGMA page_size", [], |r| r.get(0))?;
        let mut wal = path.as_os_str().to_owned();
        wal.push("-wal");
        // No WAL file (just checkpointed and removed) is an empty one.
        let wal_bytes = std::fs::metadata(&wal).map_or(0, |m| m.len());
        // The trail is only ever appended to, so its highest rowid is its row count, read
        // from the end of the table's b-tree instead of counting every row.
        let audit_rows = conn.query_row(
            "SELECT coalesce(max(rowid), 0) FROM audit_events",
            [],
            |r| r.get(0),
        )?;
        Ok(DatabaseFigures {
            devices_seen,
            bytes: pages
                .saturating_mul(page_size)
                .saturating_add(i64::try_from(wal_bytes).unwrap_or(i64::MAX)),
            audit_rows,
        })
    }
}
