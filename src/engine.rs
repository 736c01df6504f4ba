//! The request pipeline — limits, routing, body, dispatch, response — shared by the server and the test transport.

use std::collections::HashMap;
use std::panic::AssertUnwindSafe;
use std::rc::Rc;
use std::sync::Arc;
use std::time::Instant;

use actix_web::http::StatusCode;
use actix_web::{web, HttpMessage, HttpRequest, HttpResponse};
use futures_util::FutureExt;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

use crate::compression;
use crate::config::Limits;
use crate::dispatch::{self, Runtime, RuntimeRef, WorkerLoop};
use crate::framing::ClientGone;
use crate::limits;
use crate::observability::{self, RouteLabel};
use crate::protections::{Protections, Verdict};
use crate::request::{latin1, RawRequest, RawRequestParts};
use crate::response::{self, json_error, StaticResponse};
use crate::routes::{Converter, RouteSpec, RouteTable};
use crate::server::ServerHooks;
use crate::testing::TestAttributes;
use crate::websocket::{self, WebSocketConfig};

/// What answers a route: a Python callable, or a fixed response written by Rust alone.
pub enum Handler {
    Python(Py<PyAny>),
    Static(Py<StaticResponse>),
    /// A WebSocket consumer: called as `handler(request, channel)` once the handshake checks pass.
    WebSocket(Py<PyAny>),
}

/// Everything the pipeline needs, immutable once built.
pub struct EngineCore {
    pub routes: RouteTable,
    pub handlers: Vec<Handler>,
    /// Per route: its URL name, else its pattern (the access log's `route`).
    pub labels: Vec<RouteLabel>,
    /// Called for paths no route matches (the seam for falling through to Django's URLconf).
    pub fallback: Option<Py<PyAny>>,
    pub limits: Limits,
    pub protections: Protections,
    pub websocket: Arc<WebSocketConfig>,
    pub debug: bool,
    pub runtime: RuntimeRef,
}

/// How the pipeline is being run: by server workers (loop pinned, hooks) or by the test transport.
pub struct Mode {
    pub pinned_loop: bool,
    /// The server's own address (None in process: the test client's config says).
    pub local: Option<std::net::SocketAddr>,
    pub hooks: Option<Arc<ServerHooks>>,
}

/// A compiled route table plus its handlers:
/// `Engine(routes, runtime, limits=Limits(), debug=False, fallback=None, protections=Protections(),
/// websocket=WebSocketConfig())`.
///
/// `routes` is a list of `(regex, methods, handler, converters)`.
#[pyclass(module = "django_bolt._engine", frozen)]
pub struct Engine {
    pub core: Arc<EngineCore>,
}

type PyRoute = (
    String,
    Vec<String>,
    Py<PyAny>,
    HashMap<String, String>,
    Option<String>,
);

#[pymethods]
impl Engine {
    #[new]
    #[pyo3(signature = (routes, runtime, limits = None, debug = false, fallback = None, protections = None, websocket = None))]
    fn new(
        routes: Vec<PyRoute>,
        runtime: &Bound<'_, PyAny>,
        limits: Option<Limits>,
        debug: bool,
        fallback: Option<Py<PyAny>>,
        protections: Option<Protections>,
        websocket: Option<WebSocketConfig>,
    ) -> PyResult<Self> {
        let mut specs = Vec::with_capacity(routes.len());
        let mut handlers = Vec::with_capacity(routes.len());
        let mut labels = Vec::with_capacity(routes.len());
        for (index, (regex, methods, handler, converters, name)) in routes.into_iter().enumerate() {
            labels.push(RouteLabel(
                Arc::from(name.unwrap_or_else(|| regex.clone())),
                index,
            ));
            let converters = converters
                .iter()
                .map(|(name, conv)| Converter::parse(conv).map(|c| (name.clone(), c)))
                .collect::<Result<Vec<_>, _>>()
                .map_err(PyValueError::new_err)?;
            specs.push(RouteSpec {
                regex,
                methods,
                converters,
            });
            let py = runtime.py();
            let websocket = handler
                .bind(py)
                .getattr_opt(pyo3::intern!(py, "bolt_websocket"))?
                .is_some_and(|flag| flag.is_truthy().unwrap_or(false));
            handlers.push(match handler.cast_bound::<StaticResponse>(py) {
                Ok(fixed) => Handler::Static(fixed.clone().unbind()),
                Err(_) if websocket => Handler::WebSocket(handler),
                Err(_) => Handler::Python(handler),
            });
        }
        let routes = RouteTable::build(&specs).map_err(PyValueError::new_err)?;
        let core = EngineCore {
            routes,
            handlers,
            labels,
            fallback,
            limits: limits.unwrap_or_default(),
            protections: protections.unwrap_or_default(),
            websocket: Arc::new(websocket.unwrap_or_default()),
            debug,
            runtime: Arc::new(Runtime::load(runtime)?),
        };
        Ok(Self {
            core: Arc::new(core),
        })
    }

    #[getter]
    fn route_count(&self) -> usize {
        self.core.routes.len()
    }
}

/// The actix handler: every request of the server and of the test transport comes through here.
pub async fn handle(
    req: HttpRequest,
    payload: web::Payload,
    core: web::Data<EngineCore>,
    mode: web::Data<Mode>,
) -> HttpResponse {
    let started = Instant::now();
    let request_id = observability::assign_request_id(&req);
    if let Some(hooks) = &mode.hooks {
        hooks.before();
    }
    let mut response = AssertUnwindSafe(pipeline(&req, payload, &core, &mode))
        .catch_unwind()
        .await
        .unwrap_or_else(|_| json_error(StatusCode::INTERNAL_SERVER_ERROR, "Internal Server Error"));
    observability::tag_response(&mut response, &request_id);
    if let Some(hooks) = &mode.hooks {
        hooks.after(&req, &response, started);
    }
    response
}

async fn pipeline(
    req: &HttpRequest,
    payload: web::Payload,
    core: &EngineCore,
    mode: &Mode,
) -> HttpResponse {
    if let Some(rejected) = limits::check_head(req, &core.limits) {
        return rejected;
    }
    let path = decoded_path(req);
    let method = req.method().as_str();
    let route_path = path.strip_prefix('/').unwrap_or(&path);
    let found = core.routes.find(route_path);
    if let Some(found) = &found {
        req.extensions_mut()
            .insert(core.labels[found.index].clone());
    }
    // Bolt answers a routed path, and APPEND_SLASH's redirect to one; everything else falls through to Django.
    let slash_redirect = found.is_none()
        && !route_path.is_empty()
        && !route_path.ends_with('/')
        && core.protections.appends_slash()
        && core.routes.find(&format!("{route_path}/")).is_some();
    let mut bolt_side = found.is_some() || slash_redirect;
    let mut bad_host = false;
    if bolt_side {
        match core.protections.check(req) {
            Verdict::Pass => {}
            Verdict::BadHost => bad_host = true,
            Verdict::Respond(mut response) => {
                core.protections.finish(req, &mut response);
                return response;
            }
            Verdict::Preflight(response) => return response,
        }
    }
    // The route whose Python handler is called (None: the fall-through), so that one declining goes on to the next.
    let (handler, params, route) = match found {
        _ if bad_host => match &core.fallback {
            // Django answers a bad Host itself: its 400 page and its `django.security.DisallowedHost` log.
            Some(fallback) => (fallback, Vec::new(), None),
            None => return HttpResponse::BadRequest().finish(),
        },
        Some(found) if core.routes.allows(found.index, method) => {
            match &core.handlers[found.index] {
                Handler::Static(fixed) => {
                    let mut response = fixed.get().respond();
                    core.protections.finish(req, &mut response);
                    return response;
                }
                Handler::Python(handler) => (handler, found.params, Some(found.index)),
                Handler::WebSocket(handler) => {
                    let mut response = match websocket::refuse_handshake(req, core) {
                        Some(refused) => refused,
                        None => {
                            let raw =
                                raw_request(req, mode, path, found.params, bytes::Bytes::new());
                            websocket::open(req, payload, core, mode, handler, raw).await
                        }
                    };
                    if response.status() != StatusCode::SWITCHING_PROTOCOLS {
                        core.protections.finish(req, &mut response);
                    }
                    return response;
                }
            }
        }
        Some(found) => return method_not_allowed(core, req, found.index, method),
        None if slash_redirect => {
            let mut response = core
                .protections
                .append_slash(req)
                .unwrap_or_else(|| HttpResponse::NotFound().finish());
            core.protections.finish(req, &mut response);
            return response;
        }
        None => match &core.fallback {
            Some(fallback) => (fallback, Vec::new(), None),
            None => return json_error(StatusCode::NOT_FOUND, "Not found."),
        },
    };
    let body = match limits::read_body(payload, &core.limits).await {
        Ok(body) => body,
        Err(rejected) => return rejected,
    };
    let (mut handler, mut params, mut route, mut path) = (handler, params, route, path);
    let result = loop {
        let raw = raw_request(req, mode, path, params, body.clone());
        let result = dispatch::call(handler, raw, &core.runtime, mode.pinned_loop).await;
        let index = match (&result, route) {
            (Err(error), Some(index))
                if Python::attach(|py| error.is_instance(py, core.runtime.no_match.bind(py))) =>
            {
                index
            }
            _ => break result,
        };
        // A path converter refused the path: as Django's resolver, try the routes after it, then the fall-through.
        path = decoded_path(req);
        let route_path = path.strip_prefix('/').unwrap_or(&path);
        match core.routes.find_from(route_path, index + 1) {
            Some(next) if !core.routes.allows(next.index, method) => {
                return method_not_allowed(core, req, next.index, method)
            }
            Some(next) => match &core.handlers[next.index] {
                Handler::Python(next_handler) => {
                    req.extensions_mut().insert(core.labels[next.index].clone());
                    (handler, params, route) = (next_handler, next.params, Some(next.index));
                }
                Handler::Static(fixed) => {
                    let mut response = fixed.get().respond();
                    core.protections.finish(req, &mut response);
                    return response;
                }
                // A plain request the WebSocket route would refuse anyway.
                Handler::WebSocket(_) => return json_error(StatusCode::NOT_FOUND, "Not found."),
            },
            None => match &core.fallback {
                // Django answers with its own middleware: not a Bolt-side response any more.
                Some(fallback) => {
                    (handler, params, route) = (fallback, Vec::new(), None);
                    bolt_side = false;
                    // Logged and counted as unrouted, like every request Django answers.
                    req.extensions_mut().remove::<RouteLabel>();
                }
                None => return json_error(StatusCode::NOT_FOUND, "Not found."),
            },
        }
    };
    let parsed = Python::attach(|py| {
        let worker = WorkerLoop::current(py, &core.runtime, mode.pinned_loop)?;
        let (value, context) = result?;
        let parts = response::parse(py, value.bind(py))?;
        Ok::<_, PyErr>((worker, context, parts))
    });
    let mut response = match parsed {
        Ok((worker, context, parts)) => {
            let gone = req.conn_data::<Rc<ClientGone>>().cloned();
            let head = req.method() == actix_web::http::Method::HEAD;
            response::into_response(parts, worker, context, core.runtime.clone(), gone, head)
        }
        Err(error) => server_error(core, req, error),
    };
    if bolt_side && !bad_host {
        core.protections.finish(req, &mut response);
        if core.protections.compresses() {
            response = compression::compress_response(req, response);
        }
    }
    response
}

/// The request's path, percent-decoded (what routing and Django see).
fn decoded_path(req: &HttpRequest) -> String {
    percent_encoding::percent_decode_str(req.path())
        .decode_utf8_lossy()
        .into_owned()
}

/// 405 for a route that does not answer `method`, with its `Allow` header.
fn method_not_allowed(
    core: &EngineCore,
    req: &HttpRequest,
    index: usize,
    method: &str,
) -> HttpResponse {
    let mut response = json_error(
        StatusCode::METHOD_NOT_ALLOWED,
        &format!("Method \"{method}\" not allowed."),
    );
    if let Ok(allow) =
        actix_web::http::header::HeaderValue::from_str(core.routes.allow_header(index))
    {
        response
            .headers_mut()
            .insert(actix_web::http::header::ALLOW, allow);
    }
    core.protections.finish(req, &mut response);
    response
}

/// What Python sees of the request: the engine's parsed parts, with Python objects built only when asked for.
fn raw_request(
    req: &HttpRequest,
    mode: &Mode,
    path: String,
    params: Vec<(String, crate::routes::ParamValue)>,
    body: bytes::Bytes,
) -> RawRequest {
    let local = mode.local.unwrap_or_else(|| req.app_config().local_addr());
    RawRequest::new(RawRequestParts {
        method: req.method().as_str().to_string(),
        path,
        query_string: req.query_string().to_string(),
        // Header names with an underscore are dropped, as gunicorn, nginx and runserver do: in `META` both
        // `X_Remote_User` and `X-Remote-User` become `HTTP_X_REMOTE_USER`, so the first could pose as the second.
        headers: req
            .headers()
            .iter()
            .filter(|(n, _)| !n.as_str().contains('_') && n.as_str() != observability::REQUEST_ID)
            .map(|(n, v)| (n.as_str().to_string(), latin1(v.as_bytes())))
            // The request's id, the client's or a new one: `request.headers["X-Request-ID"]`, `META`.
            .chain(
                observability::request_id(req)
                    .map(|id| (observability::REQUEST_ID.to_string(), id.to_string())),
            )
            .collect(),
        body,
        params,
        client: req.peer_addr(),
        server: (local.ip().to_string(), local.port()),
        attributes: req
            .extensions()
            .get::<TestAttributes>()
            .map(|found| Python::attach(|py| found.0.clone_ref(py))),
    })
}

/// A Python exception escaped the handler: log it (in Python) and answer 500.
pub(crate) fn server_error(core: &EngineCore, req: &HttpRequest, error: PyErr) -> HttpResponse {
    let body = Python::attach(|py| {
        core.runtime
            .report_exception
            .call1(
                py,
                (
                    error.into_value(py),
                    req.method().as_str(),
                    req.path(),
                    core.debug,
                ),
            )
            .and_then(|body| body.extract::<Vec<u8>>(py))
            .unwrap_or_else(|_| br#"{"detail":"Internal Server Error"}"#.to_vec())
    });
    HttpResponse::InternalServerError()
        .content_type("application/json")
        .body(body)
}
