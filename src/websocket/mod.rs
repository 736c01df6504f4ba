//! WebSockets. The handshake is checked here, before any Python runs (method, headers, version, key, Origin);
//! then the route's handler — the consumer's `connect`, behind its authentication and permissions — accepts or
//! refuses with an HTTP response. An accepted connection becomes a `session`, reading frames (`frames`) and
//! writing what the consumer sends (`channel`).

pub mod channel;
pub mod frames;
pub mod session;

use std::time::Duration;

use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use pyo3::prelude::*;
use pyo3::types::PyTuple;

use crate::dispatch::{self, WorkerLoop};
use crate::engine::{EngineCore, Mode};
use crate::request::RawRequest;
use crate::response::{self, json_error};
use channel::{Outbox, OutboxBody, State, WebSocketChannel};
use session::Session;

/// WebSocket settings, read once (`BOLT["WEBSOCKET_*"]`).
#[pyclass(module = "django_bolt._engine", frozen, get_all, from_py_object)]
#[derive(Clone, Debug)]
pub struct WebSocketConfig {
    /// Largest message, whole (fragments joined), in bytes: closed with 1009 above it.
    pub max_message_size: usize,
    /// Seconds of silence from the client before the server pings it (0: never).
    pub ping_interval_secs: f64,
    /// Seconds a ping may wait for any answer before the connection is closed with 1011.
    pub ping_timeout_secs: f64,
    /// Seconds without a message from the client before the connection is closed (0: never).
    pub idle_timeout_secs: f64,
    /// Seconds the server waits for the client's Close after sending its own.
    pub close_timeout_secs: f64,
    /// Bytes queued for a slow client before the consumer's `send` waits.
    pub write_buffer_size: usize,
    /// Hosts an `Origin` may name (`ALLOWED_HOSTS` patterns); a CORS-allowed origin passes too.
    pub allowed_hosts: Vec<String>,
}

#[pymethods]
impl WebSocketConfig {
    #[new]
    #[pyo3(signature = (
        max_message_size = 1_048_576,
        ping_interval_secs = 20.0,
        ping_timeout_secs = 20.0,
        idle_timeout_secs = 0.0,
        close_timeout_secs = 5.0,
        write_buffer_size = 262_144,
        allowed_hosts = vec!["*".to_string()],
    ))]
    fn new(
        max_message_size: usize,
        ping_interval_secs: f64,
        ping_timeout_secs: f64,
        idle_timeout_secs: f64,
        close_timeout_secs: f64,
        write_buffer_size: usize,
        allowed_hosts: Vec<String>,
    ) -> PyResult<Self> {
        let times = [
            ping_interval_secs,
            ping_timeout_secs,
            idle_timeout_secs,
            close_timeout_secs,
        ];
        if times.iter().any(|t| !t.is_finite() || *t < 0.0)
            || ping_timeout_secs == 0.0
            || close_timeout_secs == 0.0
        {
            return Err(pyo3::exceptions::PyValueError::new_err(
                "WebSocket timeouts are non-negative seconds; ping_timeout_secs and close_timeout_secs above 0",
            ));
        }
        Ok(Self {
            max_message_size,
            ping_interval_secs,
            ping_timeout_secs,
            idle_timeout_secs,
            close_timeout_secs,
            write_buffer_size,
            allowed_hosts: allowed_hosts
                .iter()
                .map(|h| h.to_ascii_lowercase())
                .collect(),
        })
    }

    fn __repr__(&self) -> String {
        format!("{self:?}")
    }
}

impl Default for WebSocketConfig {
    fn default() -> Self {
        Self {
            max_message_size: 1_048_576,
            ping_interval_secs: 20.0,
            ping_timeout_secs: 20.0,
            idle_timeout_secs: 0.0,
            close_timeout_secs: 5.0,
            write_buffer_size: 262_144,
            allowed_hosts: vec!["*".into()],
        }
    }
}

impl WebSocketConfig {
    fn ping_interval(&self) -> Duration {
        Duration::from_secs_f64(self.ping_interval_secs)
    }
    fn ping_timeout(&self) -> Duration {
        Duration::from_secs_f64(self.ping_timeout_secs)
    }
    fn idle_timeout(&self) -> Duration {
        Duration::from_secs_f64(self.idle_timeout_secs)
    }
    fn close_timeout(&self) -> Duration {
        Duration::from_secs_f64(self.close_timeout_secs)
    }
}

/// Check the opening handshake: the refusal to send when it is not one this server accepts, else None.
pub fn refuse_handshake(req: &HttpRequest, core: &EngineCore) -> Option<HttpResponse> {
    use actix_http::ws::HandshakeError;
    match actix_http::ws::verify_handshake(req.head()) {
        Ok(()) => {}
        // A plain HTTP request to a WebSocket route (RFC 9110 §15.5.22).
        Err(HandshakeError::NoWebsocketUpgrade | HandshakeError::NoConnectionUpgrade) => {
            return Some(upgrade_required(
                "This endpoint speaks WebSocket only.",
                actix_web::http::header::UPGRADE,
                "websocket",
            ));
        }
        // RFC 6455 §4.4: name the version this server speaks.
        Err(HandshakeError::UnsupportedVersion | HandshakeError::NoVersionHeader) => {
            return Some(upgrade_required(
                "Unsupported WebSocket version.",
                actix_web::http::header::SEC_WEBSOCKET_VERSION,
                "13",
            ));
        }
        Err(error) => {
            return Some(json_error(
                StatusCode::BAD_REQUEST,
                &format!("Bad WebSocket handshake: {error}."),
            ))
        }
    }
    let origin = req.headers().get(actix_web::http::header::ORIGIN);
    // Browsers always send Origin; a client without one is not a page another site could script.
    if let Some(origin) = origin {
        let origin = origin.to_str().unwrap_or("");
        if !origin_allowed(origin, core) {
            return Some(json_error(StatusCode::FORBIDDEN, "Origin not allowed."));
        }
    }
    None
}

/// 426 with `detail`, naming what the client should use in `header`.
fn upgrade_required(detail: &str, header: HeaderName, value: &'static str) -> HttpResponse {
    let mut response = json_error(StatusCode::UPGRADE_REQUIRED, detail);
    response
        .headers_mut()
        .insert(header, HeaderValue::from_static(value));
    response
}

/// An Origin passes when its host is in `ALLOWED_HOSTS` or django-cors-headers allows it.
fn origin_allowed(origin: &str, core: &EngineCore) -> bool {
    let host = origin
        .split_once("://")
        .map(|(_, rest)| rest.split(['/', '?', '#']).next().unwrap_or(""))
        .unwrap_or("");
    (!host.is_empty() && crate::protections::host_allowed(host, &core.websocket.allowed_hosts))
        || core.protections.cors_allows(origin)
}

/// Run the route's handler with a channel; an accepted connection gets `101` and a session, anything else is
/// the HTTP response the handler returned.
pub async fn open(
    req: &HttpRequest,
    payload: web::Payload,
    core: &EngineCore,
    mode: &Mode,
    handler: &Py<PyAny>,
    raw: RawRequest,
) -> HttpResponse {
    let outbox = Outbox::new(core.websocket.write_buffer_size);
    let channel = match Python::attach(|py| {
        Py::new(
            py,
            WebSocketChannel {
                outbox: outbox.clone(),
            },
        )
        .map(|c| c.into_any())
    }) {
        Ok(channel) => channel,
        Err(error) => return crate::engine::server_error(core, req, error),
    };
    let result =
        dispatch::call_with(handler, raw, Some(channel), &core.runtime, mode.pinned_loop).await;
    let opened = Python::attach(|py| {
        let worker = WorkerLoop::current(py, &core.runtime, mode.pinned_loop)?;
        let (value, context) = result?;
        let refusal = if value.bind(py).is_instance_of::<PyTuple>() {
            Some(response::parse(py, value.bind(py))?)
        } else {
            None
        };
        Ok::<_, PyErr>((worker, context, value, refusal))
    });
    let (worker, context, consumer, refusal) = match opened {
        Ok(opened) => opened,
        Err(error) => return crate::engine::server_error(core, req, error),
    };
    if let Some(parts) = refusal {
        outbox.set_state(State::Closed);
        return response::into_response(parts, worker, context, core.runtime.clone(), None, false);
    }
    let accepted = outbox.lock().accepted.take();
    let Some((subprotocol, headers)) = accepted else {
        // The consumer closed (or never accepted) during connect: the handshake is refused, as Channels does.
        return json_error(StatusCode::FORBIDDEN, "WebSocket connection refused.");
    };
    let mut builder = actix_http::ws::handshake_response(req.head());
    if let Some(protocol) = subprotocol.and_then(|p| HeaderValue::from_str(&p).ok()) {
        builder.insert_header((actix_web::http::header::SEC_WEBSOCKET_PROTOCOL, protocol));
    }
    for (name, value) in headers {
        if let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(&value),
        ) {
            builder.append_header((name, value));
        }
    }
    // `connect`'s bridge thread, if it leased one, goes back to the pool; each message leases its own.
    context.release_lease();
    let session = Session {
        payload,
        outbox: outbox.clone(),
        consumer,
        context,
        worker,
        runtime: core.runtime.clone(),
        config: core.websocket.clone(),
        shutdown: mode
            .hooks
            .as_ref()
            .map(|hooks| hooks.websocket_close.subscribe()),
        path: req.path().to_string(),
        debug: core.debug,
    };
    tokio::task::spawn_local(session.run());
    let response: actix_http::Response<_> = builder
        .message_body(actix_web::body::BodyStream::new(OutboxBody(outbox)))
        .map(|r| r.map_into_boxed_body())
        .unwrap_or_else(|_| actix_http::Response::new(StatusCode::INTERNAL_SERVER_ERROR));
    HttpResponse::from(response)
}
