//! What operators see of a request: its id (`X-Request-ID`, accepted from the client or generated) and the route
//! that served it, both kept in the request's extensions for the access log.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::{HttpMessage, HttpRequest, HttpResponse};

pub const REQUEST_ID: &str = "x-request-id";

/// The request's id, set before the pipeline runs.
#[derive(Clone)]
pub struct RequestId(pub Arc<str>);

/// The URL name (or pattern) of the route that matched and its index, for the access log and the metrics.
#[derive(Clone)]
pub struct RouteLabel(pub Arc<str>, pub usize);

/// A client's id is kept when it is short printable ASCII (what proxies send); anything else gets a new one.
fn acceptable(value: &[u8]) -> bool {
    !value.is_empty() && value.len() <= 128 && value.iter().all(|b| (0x21..=0x7e).contains(b))
}

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// 32 hex digits: a random 64-bit half (std's randomly keyed hasher) and a per-process counter half.
fn generate() -> String {
    let mut hasher = RandomState::new().build_hasher();
    let count = COUNTER.fetch_add(1, Ordering::Relaxed);
    hasher.write_u64(count);
    hasher.write_u32(std::process::id());
    format!(
        "{:016x}{:016x}",
        hasher.finish(),
        count ^ (u64::from(std::process::id()) << 40)
    )
}

/// Decide the request's id and remember it on the request.
pub fn assign_request_id(req: &HttpRequest) -> Arc<str> {
    let id: Arc<str> = match req.headers().get(REQUEST_ID) {
        Some(value) if acceptable(value.as_bytes()) => {
            Arc::from(value.to_str().unwrap_or_default())
        }
        _ => Arc::from(generate()),
    };
    req.extensions_mut().insert(RequestId(id.clone()));
    id
}

/// The response carries the id unless the view set its own.
pub fn tag_response(response: &mut HttpResponse, id: &str) {
    let name = HeaderName::from_static(REQUEST_ID);
    if !response.headers().contains_key(&name) {
        if let Ok(value) = HeaderValue::from_str(id) {
            response.headers_mut().insert(name, value);
        }
    }
}

pub fn request_id(req: &HttpRequest) -> Option<Arc<str>> {
    req.extensions().get::<RequestId>().map(|id| id.0.clone())
}

/// The route's metrics slot: its index plus one, 0 when no Bolt route matched.
pub fn route_slot(req: &HttpRequest) -> usize {
    req.extensions()
        .get::<RouteLabel>()
        .map_or(0, |label| label.1 + 1)
}

pub fn route_label(req: &HttpRequest) -> Option<Arc<str>> {
    req.extensions()
        .get::<RouteLabel>()
        .map(|label| label.0.clone())
}
