//! The in-process test transport: requests go through the very same actix service as on the server
//! (limits, routing, dispatch, response), only without a socket.

use std::cell::RefCell;
use std::net::SocketAddr;
use std::sync::Arc;

use actix_http::ws::{OpCode, Parser};
use actix_http::{BoxedPayloadStream, Payload};
use actix_web::body::{BoxBody, MessageBody};
use bytes::{Bytes, BytesMut};

use actix_web::http::Method;
use actix_web::test::{init_service, TestRequest};
use actix_web::{web, App, HttpMessage};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict};

use crate::engine::{handle, Engine, EngineCore, Mode};

thread_local! {
    // One actix system per calling thread, reused by every transport on it (and by its event-loop driver).
    static SYSTEM: actix_rt::SystemRunner = actix_rt::System::new();
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
        let SameThread((status, headers, body)) = opened;
        Ok(TestWebSocket {
            status,
            headers,
            body: RefCell::new(Some(body)),
            input: RefCell::new(Some(sender)),
            buffer: RefCell::new(BytesMut::new()),
        })
    }
}

/// Moves values across `Python::detach`, which runs its closure on this same thread.
struct SameThread<T>(T);

// SAFETY: only used with `py.detach`, whose closure runs on the calling thread: the value never changes thread.
unsafe impl<T> Send for SameThread<T> {}

impl<T> SameThread<T> {
    // A method, not a pattern: a closure using `self.0` would capture the field alone, not the wrapper.
    fn into_inner(self) -> T {
        self.0
    }
}

struct UnboundedReceiverStream(tokio::sync::mpsc::UnboundedReceiver<Bytes>);

impl futures_util::Stream for UnboundedReceiverStream {
    type Item = Result<Bytes, actix_web::error::PayloadError>;

    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        self.0.poll_recv(cx).map(|item| item.map(Ok))
    }
}

fn response_headers(headers: &actix_web::http::header::HeaderMap) -> Vec<(String, String)> {
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

/// The client's side of an in-process WebSocket: frames it sends are masked, as a browser's are.
#[pyclass(module = "django_bolt._engine", unsendable)]
pub struct TestWebSocket {
    #[pyo3(get)]
    status: u16,
    #[pyo3(get)]
    headers: Vec<(String, String)>,
    body: RefCell<Option<BoxBody>>,
    input: RefCell<Option<tokio::sync::mpsc::UnboundedSender<Bytes>>>,
    buffer: RefCell<BytesMut>,
}

#[pymethods]
impl TestWebSocket {
    /// Send one frame: `opcode` 1 text, 2 binary, 8 close, 9 ping, 10 pong, 0 continuation; `fin` False for a
    /// fragment.
    #[pyo3(signature = (opcode, data, fin = true))]
    fn send_frame(&self, opcode: u8, data: &[u8], fin: bool) -> PyResult<()> {
        let mut frame = BytesMut::new();
        Parser::write_message(&mut frame, data, OpCode::from(opcode), fin, true);
        self.send_raw(&frame)
    }

    /// Send bytes as they are (malformed frames, for tests of bad input).
    fn send_raw(&self, data: &[u8]) -> PyResult<()> {
        let input = self.input.borrow();
        let sender = input
            .as_ref()
            .ok_or_else(|| PyValueError::new_err("the connection is closed"))?;
        sender
            .send(Bytes::copy_from_slice(data))
            .map_err(|_| PyValueError::new_err("the server closed the connection"))
    }

    /// End the input, as a client that drops the connection without a Close frame.
    fn drop_connection(&self) {
        self.input.borrow_mut().take();
    }

    /// The next frame from the server within `timeout` seconds: `(opcode, payload)`; None if none came;
    /// `(-1, b"")` once the server has ended the connection.
    fn receive_frame<'py>(
        &self,
        py: Python<'py>,
        timeout: f64,
    ) -> PyResult<Option<(i32, Bound<'py, PyBytes>)>> {
        if let Some(frame) = self.decode()? {
            return Ok(Some((frame.0, PyBytes::new(py, &frame.1))));
        }
        let deadline =
            std::time::Instant::now() + std::time::Duration::from_secs_f64(timeout.max(0.0));
        loop {
            let Some(body) = self.body.borrow_mut().take() else {
                return Ok(Some((-1, PyBytes::new(py, b""))));
            };
            let remaining = deadline.saturating_duration_since(std::time::Instant::now());
            let body = SameThread(body);
            let SameThread((body, next)) = py.detach(move || {
                SYSTEM.with(|system| {
                    system.block_on(async move {
                        let mut body = body.into_inner();
                        let next = tokio::time::timeout(
                            remaining,
                            futures_util::future::poll_fn(|cx| {
                                std::pin::Pin::new(&mut body).poll_next(cx)
                            }),
                        )
                        .await;
                        SameThread((body, next))
                    })
                })
            });
            match next {
                Err(_) => {
                    *self.body.borrow_mut() = Some(body);
                    return Ok(None);
                }
                Ok(None) | Ok(Some(Err(_))) => return Ok(Some((-1, PyBytes::new(py, b"")))),
                Ok(Some(Ok(chunk))) => {
                    *self.body.borrow_mut() = Some(body);
                    self.buffer.borrow_mut().extend_from_slice(&chunk);
                    if let Some(frame) = self.decode()? {
                        return Ok(Some((frame.0, PyBytes::new(py, &frame.1))));
                    }
                }
            }
        }
    }

    /// The whole body of a refused handshake.
    fn read_body<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyBytes>> {
        let Some(body) = self.body.borrow_mut().take() else {
            return Ok(PyBytes::new(py, b""));
        };
        let body = SameThread(body);
        let read = py.detach(move || {
            SYSTEM.with(|system| {
                system.block_on(async move {
                    actix_web::body::to_bytes(body.into_inner())
                        .await
                        .map_err(|e| e.to_string())
                })
            })
        });
        let bytes = read.map_err(PyValueError::new_err)?;
        Ok(PyBytes::new(py, &bytes))
    }
}

impl TestWebSocket {
    fn decode(&self) -> PyResult<Option<(i32, Bytes)>> {
        let mut buffer = self.buffer.borrow_mut();
        match Parser::parse(&mut buffer, false, usize::MAX) {
            Ok(Some((_, opcode, payload))) => Ok(Some((
                i32::from(u8::from(opcode)),
                payload.map(BytesMut::freeze).unwrap_or_default(),
            ))),
            Ok(None) => Ok(None),
            Err(error) => Err(PyValueError::new_err(format!(
                "the server sent a bad frame: {error}"
            ))),
        }
    }
}
