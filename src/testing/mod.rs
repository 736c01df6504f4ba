//! The in-process test transport: requests go through the very same actix service as on the server
//! (limits, routing, dispatch, response), only without a socket.

mod websocket;

use std::net::SocketAddr;
use std::sync::Arc;

use actix_http::{BoxedPayloadStream, Payload};
use bytes::Bytes;

use actix_web::http::Method;
use actix_web::test::{init_service, TestRequest};
use actix_web::{web, App, HttpMessage};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict};

use crate::engine::{handle, Engine, EngineCore, Mode};
pub use websocket::TestWebSocket;
use websocket::{SameThread, UnboundedReceiverStream};

thread_local! {
    // One actix system per calling thread, reused by every transport on it (and by its event-loop driver).
    pub(crate) static SYSTEM: actix_rt::SystemRunner = actix_rt::System::new();
}

type Exchange = (u16, Vec<(String, String)>, Vec<u8>);
type PyExchange<'py> = (u16, Vec<(String, String)>, Bound<'py, PyBytes>);

/// Attributes the test client sets on the request (`RawRequest.attributes`), e.g. Django's
/// `_dont_enforce_csrf_checks`: what it writes onto the request, rather than state production code would read.
pub struct TestAttributes(pub Py<PyDict>);

async fn test_app(
    core: Arc<EngineCore>,
) -> impl actix_web::dev::Service<
    actix_http::Request,
    Response = actix_web::dev::ServiceResponse,
    Error = actix_web::Error,
> {
    init_service(
        App::new()
            .app_data(web::Data::from(core))
            .app_data(web::Data::new(Mode {
                pinned_loop: false,
                local: None,
                hooks: None,
            }))
            .default_service(web::to(handle)),
    )
    .await
}

async fn exchange(
    core: Arc<EngineCore>,
    request: TestRequest,
    attributes: Option<Py<PyDict>>,
    head: bool,
) -> Result<Exchange, String> {
    let app = test_app(core).await;
    let request = request.to_request();
    if let Some(attributes) = attributes {
        request.extensions_mut().insert(TestAttributes(attributes));
    }
    let response = actix_web::test::call_service(&app, request).await;
    let status = response.status().as_u16();
    let headers = response_headers(response.headers());
    let body = actix_web::body::to_bytes(response.into_body())
        .await
        .map_err(|e| e.to_string())?;
    // On a socket, actix's HTTP/1 codec writes no body for HEAD; do the same here.
    Ok((
        status,
        headers,
        if head { Vec::new() } else { body.to_vec() },
    ))
}

fn test_app_request(
    method: Method,
    target: &str,
    headers: Vec<(String, String)>,
    client: Option<(String, u16)>,
) -> PyResult<TestRequest> {
    let peer: SocketAddr = match client {
        Some((host, port)) => format!("{host}:{port}")
            .parse()
            .map_err(|_| PyValueError::new_err("invalid client"))?,
        None => SocketAddr::from(([127, 0, 0, 1], 50000)),
    };
    if target.parse::<actix_web::http::Uri>().is_err() {
        return Err(PyValueError::new_err(format!(
            "invalid request target {target:?}"
        )));
    }
    let mut request = TestRequest::default()
        .method(method)
        .uri(target)
        .peer_addr(peer);
    for (name, value) in headers {
        request = request.append_header((name, value));
    }
    Ok(request)
}

/// `TestTransport(engine).request(method, target, headers, body, client, attributes)` → `(status, headers, body)`.
#[pyclass(module = "django_bolt._engine", frozen)]
pub struct TestTransport {
    core: Arc<EngineCore>,
}

#[pymethods]
impl TestTransport {
    #[new]
    fn new(engine: &Bound<'_, Engine>) -> Self {
        Self {
            core: engine.get().core.clone(),
        }
    }

    #[pyo3(signature = (method, target, headers = Vec::new(), body = Vec::new(), client = None, attributes = None))]
    #[allow(clippy::too_many_arguments)]
    fn request<'py>(
        &self,
        py: Python<'py>,
        method: &str,
        target: &str,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
        client: Option<(String, u16)>,
        attributes: Option<Py<PyDict>>,
    ) -> PyResult<PyExchange<'py>> {
        let method = Method::from_bytes(method.as_bytes())
            .map_err(|_| PyValueError::new_err("invalid method"))?;
        let core = self.core.clone();
        let head = method == Method::HEAD;
        let request = SameThread(test_app_request(method, target, headers, client)?);
        let result = py.detach(move || {
            let request = request.into_inner().set_payload(body);
            SYSTEM.with(|system| system.block_on(exchange(core, request, attributes, head)))
        });
        let (status, headers, body) = result.map_err(PyValueError::new_err)?;
        Ok((status, headers, PyBytes::new(py, &body)))
    }

    /// Open a WebSocket in process: the handshake goes through the same pipeline; the returned
    /// `TestWebSocket` holds the response and the two directions of the connection.
    #[pyo3(signature = (target, headers = Vec::new(), client = None, attributes = None))]
    fn websocket(
        &self,
        py: Python<'_>,
        target: &str,
        headers: Vec<(String, String)>,
        client: Option<(String, u16)>,
        attributes: Option<Py<PyDict>>,
    ) -> PyResult<TestWebSocket> {
        let request = SameThread(test_app_request(Method::GET, target, headers, client)?);
        let (sender, receiver) = tokio::sync::mpsc::unbounded_channel::<Bytes>();
        let core = self.core.clone();
        let opened = py.detach(move || {
            SYSTEM.with(|system| {
                system.block_on(async move {
                    let app = test_app(core).await;
                    let (request, _) =
                        request
                            .into_inner()
                            .to_request()
                            .replace_payload(Payload::Stream {
                                payload: Box::pin(UnboundedReceiverStream(receiver))
                                    as BoxedPayloadStream,
                            });
                    if let Some(attributes) = attributes {
                        request.extensions_mut().insert(TestAttributes(attributes));
                    }
                    let response = actix_web::test::call_service(&app, request).await;
                    let headers = response_headers(response.headers());
                    SameThread((response.status().as_u16(), headers, response.into_body()))
                })
            })
        });
        let (status, headers, body) = opened.into_inner();
        Ok(TestWebSocket::open(status, headers, body, sender))
    }
}

pub(crate) fn response_headers(
    headers: &actix_web::http::header::HeaderMap,
) -> Vec<(String, String)> {
    headers
        .iter()
        .map(|(name, value)| {
            (
                name.as_str().to_string(),
                crate::request::latin1(value.as_bytes()),
            )
        })
        .collect()
}
