//! The HTTP side of observing the server: request ids, the log span of each request, the
//! request counts and body sizes, and `GET /metrics` itself with its bearer check.

use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use http_body::{Frame, SizeHint};
use prometheus_client::encoding::prometheus_text;
use prometheus_client::metrics::counter::Counter;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;

use super::{LimitedLabels, Metrics, RequestLabels, RouteLabels};
use crate::error::{ApiError, ErrorCode};
use crate::state::AppState;

pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The route label of a request no route matched: the PWA's pages and files, unknown paths.
pub const NO_ROUTE: &str = "fallback";

/// The longest request id taken from a proxy or client.
const MAX_REQUEST_ID: usize = 64;

/// The router's pattern for this request (`/api/admin/safes/{id}/code`), never its path: a
/// path holds ids, and the query string of `/activate?code=` an activation code.
fn route_of<B>(req: &axum::http::Request<B>) -> &str {
    req.extensions()
        .get::<MatchedPath>()
        .map_or(NO_ROUTE, MatchedPath::as_str)
}

/// Methods outside the standard ones are one label, so a client cannot add series.
fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::DELETE => "DELETE",
        Method::HEAD => "HEAD",
        Method::OPTIONS => "OPTIONS",
        Method::PATCH => "PATCH",
        _ => "other",
    }
}

/// The outermost layers of every route of `router` (added after its routes, so they run
/// after routing and see the matched route): a request id, kept from a proxy when it is
/// plain and made here otherwise, that the log span carries and the answer repeats; the log
/// span; and the counts.
pub fn observe(router: Router, metrics: Arc<Metrics>) -> Router {
    router
        .layer(axum::middleware::from_fn_with_state(metrics, count))
        .layer(TraceLayer::new_for_http().make_span_with(span_for))
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
        .layer(axum::middleware::from_fn(plain_request_id))
}

/// The log span of one request: its id, method and route, and nothing of its path, query or
/// headers (they can hold ids, an activation code, a token).
fn span_for(req: &axum::http::Request<Body>) -> tracing::Span {
    let id = req
        .headers()
        .get(&REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    tracing::info_span!(
        "request",
        request_id = id,
        method = method_label(req.method()),
        route = route_of(req)
    )
}

/// Drops an `x-request-id` that is long or holds more than letters, digits and `-_.`, so
/// [`SetRequestIdLayer`] makes a fresh one: what a client sends must not fill a log line.
async fn plain_request_id(mut req: Request, next: Next) -> Response {
    let plain = req.headers().get(&REQUEST_ID).is_some_and(|v| {
        (1..=MAX_REQUEST_ID).contains(&v.len())
            && v.as_bytes()
                .iter()
                .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(b))
    });
    if !plain {
        req.headers_mut().remove(&REQUEST_ID);
    }
    next.run(req).await
}

/// Counts the request by route, method and status, its body bytes as the handler reads them
/// and the answer's as they are sent, and a 429 with the error code that says why.
async fn count(State(metrics): State<Arc<Metrics>>, req: Request, next: Next) -> Response {
    let labels = RouteLabels {
        route: route_of(&req).to_owned(),
    };
    let method = method_label(req.method());
    let read = metrics.request_bytes.get_or_create_owned(&labels);
    let req = req.map(|body| Body::new(Counted { inner: body, read }));
    let resp = next.run(req).await;
    let status = resp.status();
    metrics
        .requests
        .get_or_create(&RequestLabels {
            route: labels.route.clone(),
            method,
            status: status.as_u16(),
        })
        .inc();
    if status == StatusCode::TOO_MANY_REQUESTS {
        let reason = resp
            .extensions()
            .get::<ErrorCode>()
            .map_or("other", |code| code.as_str());
        metrics
            .rate_limited
            .get_or_create(&LimitedLabels {
                route: labels.route.clone(),
                reason,
            })
            .inc();
    }
    let read = metrics.response_bytes.get_or_create_owned(&labels);
    resp.map(|body| Body::new(Counted { inner: body, read }))
}

/// A body that adds the bytes passing through it to a counter; otherwise it is its inner
/// body (the same size hint, so lengths and limits work as before).
struct Counted {
    inner: Body,
    read: Counter,
}

impl http_body::Body for Counted {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        let polled = Pin::new(&mut self.inner).poll_frame(cx);
        if let Poll::Ready(Some(Ok(frame))) = &polled
            && let Some(data) = frame.data_ref()
        {
            self.read
                .inc_by(u64::try_from(data.len()).unwrap_or(u64::MAX));
        }
        polled
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

/// `GET /metrics`: the Prometheus text page. With `metrics_token` set, only for
/// `Authorization: Bearer <token>` (401 without one, 403 with another).
pub async fn scrape(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if let Some(token) = &state.settings.metrics_token {
        let given = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim);
        match given {
            None => {
                let mut resp = ApiError::new(
                    StatusCode::UNAUTHORIZED,
                    ErrorCode::Unauthenticated,
                    "the metrics need the scraper's bearer token",
                )
                .into_response();
                resp.headers_mut()
                    .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
                return resp;
            }
            Some(given) if !token.matches(given) => return ApiError::forbidden().into_response(),
            Some(_) => {}
        }
    }
    match Metrics::render(&state).await {
        Ok(page) => (
            [
                (header::CONTENT_TYPE, prometheus_text::CONTENT_TYPE),
                (header::CACHE_CONTROL, "no-store"),
            ],
            page,
        )
            .into_response(),
        Err(e) => ApiError::from(e).into_response(),
    }
}

/// What the separate `metrics_listen` address serves: `/metrics` and nothing else.
pub fn metrics_only(state: AppState) -> Router {
    let metrics = state.metrics.clone();
    observe(
        Router::new()
            .route("/metrics", get(scrape))
            .with_state(state),
        metrics,
    )
}
