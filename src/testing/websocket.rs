//! The client side of an in-process WebSocket (`BoltClient.websocket_connect`): frames go in through the
//! request's payload stream and come out of the `101` response's body, the same objects the server uses.
//!
//! The connection's state (the body, the input, undecoded bytes) is not `Send`, so it stays in a registry of
//! the thread that opened it; the Python object holds a key. Python may collect that object on another thread:
//! then the state stays until its thread ends, rather than being dropped where it does not belong.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::thread::ThreadId;
use std::time::{Duration, Instant};

use actix_http::ws::{OpCode, Parser};
use actix_web::body::{BoxBody, MessageBody};
use bytes::{Bytes, BytesMut};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyBytes;
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender};

use super::SYSTEM;

/// Moves values across `Python::detach`, which runs its closure on this same thread.
pub struct SameThread<T>(pub T);

// SAFETY: only used with `py.detach`, whose closure runs on the calling thread: the value never changes thread.
unsafe impl<T> Send for SameThread<T> {}

impl<T> SameThread<T> {
    // A method, not a pattern: a closure using `self.0` would capture the field alone, not the wrapper.
    pub fn into_inner(self) -> T {
        self.0
    }
}

/// The request's payload: what the test sends.
pub struct UnboundedReceiverStream(pub UnboundedReceiver<Bytes>);

impl futures_util::Stream for UnboundedReceiverStream {
    type Item = Result<Bytes, actix_web::error::PayloadError>;

    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        self.0.poll_recv(cx).map(|item| item.map(Ok))
    }
}

struct Connection {
    body: Option<BoxBody>,
    input: Option<UnboundedSender<Bytes>>,
    buffer: BytesMut,
}

thread_local! {
    static CONNECTIONS: RefCell<HashMap<u64, Connection>> = RefCell::new(HashMap::new());
}

static NEXT_ID: AtomicU64 = AtomicU64::new(1);

/// The client's side of an in-process WebSocket: frames it sends are masked, as a browser's are.
#[pyclass(module = "django_bolt._engine", frozen)]
pub struct TestWebSocket {
    id: u64,
    owner: ThreadId,
    #[pyo3(get)]
    status: u16,
    #[pyo3(get)]
    headers: Vec<(String, String)>,
}

impl TestWebSocket {
    pub fn open(
        status: u16,
        headers: Vec<(String, String)>,
        body: BoxBody,
        input: UnboundedSender<Bytes>,
    ) -> Self {
        let id = NEXT_ID.fetch_add(1, Ordering::Relaxed);
        let connection = Connection {
            body: Some(body),
            input: Some(input),
            buffer: BytesMut::new(),
        };
        CONNECTIONS.with(|all| all.borrow_mut().insert(id, connection));
        Self {
            id,
            owner: std::thread::current().id(),
            status,
            headers,
        }
    }

    fn with<T>(&self, f: impl FnOnce(&mut Connection) -> T) -> PyResult<T> {
        if std::thread::current().id() != self.owner {
            return Err(PyValueError::new_err(
                "a test WebSocket is used on the thread that opened it",
            ));
        }
        CONNECTIONS
            .with(|all| all.borrow_mut().get_mut(&self.id).map(f))
            .ok_or_else(|| PyValueError::new_err("the connection is closed"))
    }

    /// The next whole frame already received, if any.
    fn decode(&self) -> PyResult<Option<(i32, Bytes)>> {
        self.with(|connection| Parser::parse(&mut connection.buffer, false, usize::MAX))?
            .map(|parsed| {
                parsed.map(|(_, opcode, payload)| {
                    let payload = payload.map(BytesMut::freeze).unwrap_or_default();
                    (i32::from(u8::from(opcode)), payload)
                })
            })
            .map_err(|error| PyValueError::new_err(format!("the server sent a bad frame: {error}")))
    }
}

impl Drop for TestWebSocket {
    fn drop(&mut self) {
        if std::thread::current().id() == self.owner {
            // Taken out first: dropping the body must not happen while the registry is borrowed.
            let removed = CONNECTIONS.try_with(|all| all.borrow_mut().remove(&self.id));
            drop(removed);
        }
    }
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
        let sent = self.with(|connection| {
            connection
                .input
                .as_ref()
                .map(|input| input.send(Bytes::copy_from_slice(data)).is_ok())
        })?;
        match sent {
            Some(true) => Ok(()),
            Some(false) => Err(PyValueError::new_err("the server closed the connection")),
            None => Err(PyValueError::new_err("the connection is closed")),
        }
    }

    /// End the input, as a client that drops the connection without a Close frame.
    fn drop_connection(&self) -> PyResult<()> {
        self.with(|connection| connection.input = None)
    }

    /// The next frame from the server within `timeout` seconds: `(opcode, payload)`; None if none came;
    /// `(-1, b"")` once the server has ended the connection.
    fn receive_frame<'py>(
        &self,
        py: Python<'py>,
        timeout: f64,
    ) -> PyResult<Option<(i32, Bound<'py, PyBytes>)>> {
        let ended = || Ok(Some((-1, PyBytes::new(py, b""))));
        let deadline = Instant::now() + Duration::from_secs_f64(timeout.max(0.0));
        loop {
            if let Some((opcode, payload)) = self.decode()? {
                return Ok(Some((opcode, PyBytes::new(py, &payload))));
            }
            let Some(body) = self.with(|connection| connection.body.take())? else {
                return ended();
            };
            let remaining = deadline.saturating_duration_since(Instant::now());
            let waiting = SameThread(body);
            let (body, next) = py
                .detach(move || {
                    SYSTEM.with(|system| {
                        system.block_on(async move {
                            let mut body = waiting.into_inner();
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
                })
                .into_inner();
            match next {
                Err(_) => {
                    self.with(|connection| connection.body = Some(body))?;
                    return Ok(None);
                }
                Ok(None) | Ok(Some(Err(_))) => return ended(),
                Ok(Some(Ok(chunk))) => self.with(|connection| {
                    connection.body = Some(body);
                    connection.buffer.extend_from_slice(&chunk);
                })?,
            }
        }
    }

    /// The whole body of a refused handshake.
    fn read_body<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyBytes>> {
        let Some(body) = self.with(|connection| connection.body.take())? else {
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
