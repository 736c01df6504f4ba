//! What a consumer sends: frames queued for the socket, and the Python object (`WebSocketChannel`) that queues
//! them. The consumer, its session and the response body all run on one worker thread; the state is behind a
//! mutex anyway, because Python may drop the channel (with the consumer, in a garbage collection) on any thread.

use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll};

use actix_http::ws::OpCode;
use bytes::Bytes;
use futures_util::Stream;
use pyo3::exceptions::{PyRuntimeError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyString};
use tokio::sync::Notify;

use super::frames;
use crate::response::Chunks;

#[derive(Clone, Copy, PartialEq, Debug)]
pub enum State {
    /// Connect has not accepted yet.
    Handshake,
    Open,
    /// Our Close frame is queued: nothing more is sent.
    Closing,
    /// The connection is over (or was refused): the body ends once the queue is written.
    Closed,
}

/// What `accept` chose: a subprotocol, and extra headers for the `101` response.
pub type Acceptance = (Option<String>, Vec<(String, String)>);

pub struct Shared {
    frames: Chunks,
    pub state: State,
    /// Set by `accept`.
    pub accepted: Option<Acceptance>,
    /// The close the consumer asked for (code, reason), for the session to send.
    pub close_requested: Option<(u16, String)>,
    /// Futures of `send` calls waiting for the queue to drain below the limit.
    pub waiting_senders: Vec<Py<PyAny>>,
    /// The response body was dropped: the client is gone, nothing more can be written.
    pub body_gone: bool,
}

/// The frames waiting for the socket, and the state both sides watch.
pub struct Outbox {
    shared: Mutex<Shared>,
    /// Wakes the session: the consumer closed or waits to send, the queue drained, or the body was dropped.
    pub wake: Notify,
    write_buffer_size: usize,
}

impl Outbox {
    pub fn new(write_buffer_size: usize) -> Arc<Self> {
        Arc::new(Self {
            shared: Mutex::new(Shared {
                frames: Chunks::default(),
                state: State::Handshake,
                accepted: None,
                close_requested: None,
                waiting_senders: Vec::new(),
                body_gone: false,
            }),
            wake: Notify::new(),
            write_buffer_size,
        })
    }

    pub fn lock(&self) -> MutexGuard<'_, Shared> {
        self.shared.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn state(&self) -> State {
        self.lock().state
    }

    pub fn set_state(&self, state: State) {
        self.lock().state = state;
    }

    pub fn push(&self, frame: Bytes) {
        let waker = self.lock().frames.push(frame);
        if let Some(waker) = waker {
            waker.wake();
        }
    }

    pub fn over_limit(&self) -> bool {
        self.lock().frames.bytes() > self.write_buffer_size
    }

    /// Queue our Close frame (once) and stop sending.
    pub fn close(&self, close_code: u16, reason: &str) {
        if matches!(self.state(), State::Open | State::Handshake) {
            self.push(frames::encode_close(close_code, reason));
            self.set_state(State::Closing);
        }
    }

    /// Nothing more will be queued: the body ends after what is queued.
    pub fn finish(&self) {
        let waker = {
            let mut shared = self.lock();
            shared.state = State::Closed;
            shared.frames.reader()
        };
        if let Some(waker) = waker {
            waker.wake();
        }
    }
}

/// The response body after `101 Switching Protocols`: the queued frames, as the socket takes them.
pub struct OutboxBody(pub Arc<Outbox>);

impl Stream for OutboxBody {
    type Item = Result<Bytes, actix_web::Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let outbox = &self.0;
        let mut shared = outbox.lock();
        match shared.frames.pop(outbox.write_buffer_size) {
            Some((frame, drained)) => {
                if drained {
                    outbox.wake.notify_one();
                }
                Poll::Ready(Some(Ok(frame)))
            }
            None if shared.state == State::Closed => Poll::Ready(None),
            None => {
                shared.frames.park(cx.waker());
                Poll::Pending
            }
        }
    }
}

impl Drop for OutboxBody {
    fn drop(&mut self) {
        self.0.lock().body_gone = true;
        self.0.wake.notify_one();
    }
}

/// The consumer's handle on its socket (`django_bolt.websockets` wraps it): accept, send, close.
#[pyclass(module = "django_bolt._engine", frozen)]
pub struct WebSocketChannel {
    pub outbox: Arc<Outbox>,
}

#[pymethods]
impl WebSocketChannel {
    /// Accept the connection (during `connect`), optionally with one of the client's subprotocols.
    #[pyo3(signature = (subprotocol = None, headers = Vec::new()))]
    fn accept(&self, subprotocol: Option<String>, headers: Vec<(String, String)>) -> PyResult<()> {
        let mut shared = self.outbox.lock();
        if shared.state != State::Handshake {
            return Err(PyRuntimeError::new_err(
                "accept() is only possible once, during connect(), before close()",
            ));
        }
        shared.accepted = Some((subprotocol, headers));
        shared.state = State::Open;
        Ok(())
    }

    /// Queue a text (str) or binary (bytes) message. True when the caller should wait for the queue to drain
    /// (`wait_writable`). After the connection closed, the message is dropped.
    fn send(&self, data: &Bound<'_, PyAny>) -> PyResult<bool> {
        let frame = if let Ok(text) = data.cast::<PyString>() {
            frames::encode(OpCode::Text, text.to_str()?.as_bytes())
        } else if let Ok(bytes) = data.cast::<PyBytes>() {
            frames::encode(OpCode::Binary, bytes.as_bytes())
        } else {
            return Err(PyTypeError::new_err("a WebSocket message is str or bytes"));
        };
        match self.outbox.state() {
            State::Handshake => Err(PyRuntimeError::new_err(
                "send() before accept(): accept the connection in connect() first",
            )),
            State::Open => {
                self.outbox.push(frame);
                Ok(self.outbox.over_limit())
            }
            State::Closing | State::Closed => Ok(false),
        }
    }

    /// Resolve `future` (an asyncio Future of the worker loop) once the queue is below the limit again.
    fn wait_writable(&self, future: Py<PyAny>) {
        self.outbox.lock().waiting_senders.push(future);
        self.outbox.wake.notify_one();
    }

    /// Close with `code` (1000, a code an endpoint may send, or 3000–4999 for the application's own). Before
    /// `accept`, this refuses the handshake (HTTP 403).
    #[pyo3(signature = (code = 1000, reason = ""))]
    fn close(&self, code: u16, reason: &str) -> PyResult<()> {
        if !frames::valid_close_code(code) {
            return Err(PyValueError::new_err(format!(
                "close code {code} may not be sent: use 1000, 1001-1003, 1007-1014 or 3000-4999"
            )));
        }
        if reason.len() > 123 {
            return Err(PyValueError::new_err(
                "a close reason is at most 123 bytes of UTF-8",
            ));
        }
        let mut shared = self.outbox.lock();
        match shared.state {
            State::Handshake => shared.state = State::Closed,
            State::Open => {
                shared.close_requested = Some((code, reason.to_string()));
                drop(shared);
                self.outbox.wake.notify_one();
            }
            State::Closing | State::Closed => {}
        }
        Ok(())
    }

    #[getter]
    fn accepted(&self) -> bool {
        self.outbox.lock().accepted.is_some()
    }
}
