//! Serves the built PWA: precompressed files, the service worker at the root scope, the app
//! shell for any other path, and cache headers that let hashed files live forever.

use std::convert::Infallible;
use std::path::Path;

use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderValue, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use tower::ServiceExt;
use tower_http::services::{ServeDir, ServeFile};

use crate::state::AppState;

pub fn router(dir: &Path) -> Router<AppState> {
    let index = ServeFile::new(dir.join("index.html"))
        .precompressed_br()
        .precompressed_gzip();
    let files = ServeDir::new(dir).precompressed_br().precompressed_gzip();
    let serve = move |req: Request| {
        let (index, files) = (index.clone(), files.clone());
        async move {
            // A path that names a file is that file or a 404 (never the app shell under a
            // one-year cache header); any other path is a page of the app.
            let names_a_file = req
                .uri()
                .path()
                .rsplit('/')
                .next()
                .is_some_and(|last| last.contains('.'));
            let resp = if names_a_file || req.uri().path() == "/" {
                files.oneshot(req).await.map(IntoResponse::into_response)
            } else {
                index.oneshot(req).await.map(IntoResponse::into_response)
            };
            Ok::<_, Infallible>(resp.unwrap_or_else(|e| match e {}))
        }
    };
    Router::new()
        .fallback_service(tower::service_fn(serve))
        .layer(middleware::from_fn(cache_headers))
}

/// A file name like `kluis-3f9a1c2b.wasm` carries its content hash.
fn is_hashed(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or("");
    let stem = name.split('.').next().unwrap_or("");
    stem.rsplit(['-', '_'])
        .any(|part| part.len() >= 8 && part.chars().all(|c| c.is_ascii_hexdigit()))
}

async fn cache_headers(req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    let mut resp = next.run(req).await;
    let ok = resp.status().is_success();
    let h = resp.headers_mut();
    if path == "/sw.js" {
        h.insert("service-worker-allowed", HeaderValue::from_static("/"));
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    } else if is_hashed(&path) && ok {
        h.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=31536000, immutable"),
        );
    } else {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    }
    resp
}

#[cfg(test)]
mod tests {
    use super::is_hashed;

    #[test]
    fn hashed_names_are_recognised() {
        assert!(is_hashed("/kluis-3f9a1c2b.js"));
        assert!(is_hashed("/kluis-3f9a1c2b4d5e6f70_bg.wasm"));
        assert!(!is_hashed("/index.html"));
        assert!(!is_hashed("/sw.js"));
        assert!(!is_hashed("/icons/icon-192.png"));
    }
}
