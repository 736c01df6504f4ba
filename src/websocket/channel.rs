//! What a consumer sends: frames queued for the socket, and the Python object (`WebSocketChannel`) that queues
//! them. Everything here lives on one worker thread: the consumer, its session and the response body.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use actix_http::ws::OpCode;
use bytes::Bytes;
use futures_util::Stream;
use pyo3::exceptions::{PyRuntimeError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyString};
use tokio::sync::Notify;

use super::frames::{self, code};

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

/// The frames waiting for the socket, and the state both sides watch.
pub struct Outbox {
    queue: RefCell<VecDeque<Bytes>>,
    queued_bytes: Cell<usize>,
    body_waker: RefCell<Option<Waker>>,
    pub state: Cell<State>,
    /// Set by `accept`: the subprotocol chosen and any extra handshake headers.
    pub accepted: RefCell<Option<Acceptance>>,
    /// The close the consumer asked for (code, reason), for the session to send.
    pub close_requested: RefCell<Option<(u16, String)>>,
    /// Futures of `send` calls waiting for the queue to drain below the limit.
    pub waiting_senders: RefCell<Vec<Py<PyAny>>>,
    /// Wakes the session: the consumer closed, the queue drained, or the body was dropped.
    pub wake: Notify,
    /// The response body was dropped: the client is gone, nothing more can be written.
    pub body_gone: Cell<bool>,
    pub write_buffer_size: usize,
}

impl Outbox {
    pub fn new(write_buffer_size: usize) -> Rc<Self> {
        Rc::new(Self {
            queue: RefCell::new(VecDeque::new()),
            queued_bytes: Cell::new(0),
            body_waker: RefCell::new(None),
            state: Cell::new(State::Handshake),
            accepted: RefCell::new(None),
            close_requested: RefCell::new(None),
            waiting_senders: RefCell::new(Vec::new()),
            wake: Notify::new(),
            body_gone: Cell::new(false),
            write_buffer_size,
        })
    }

    pub fn push(&self, frame: Bytes) {
        self.queued_bytes.set(self.queued_bytes.get() + frame.len());
        self.queue.borrow_mut().push_back(frame);
        if let Some(waker) = self.body_waker.borrow_mut().take() {
            waker.wake();
        }
    }

    pub fn over_limit(&self) -> bool {
        self.queued_bytes.get() > self.write_buffer_size
    }

    /// Queue our Close frame (once) and stop sending.
    pub fn close(&self, close_code: u16, reason: &str) {
        if matches!(self.state.get(), State::Open | State::Handshake) {
            self.push(frames::encode_close(close_code, reason));
            self.state.set(State::Closing);
        }
    }

    /// Nothing more will be queued: the body ends after what is queued.
    pub fn finish(&self) {
        self.state.set(State::Closed);
        if let Some(waker) = self.body_waker.borrow_mut().take() {
            waker.wake();
        }
    }
}

/// The response body after `101 Switching Protocols`: the queued frames, as the socket takes them.
pub struct OutboxBody(pub Rc<Outbox>);

impl Stream for OutboxBody {
    type Item = Result<Bytes, actix_web::Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let outbox = &self.0;
        let next = outbox.queue.borrow_mut().pop_front();
        match next {
            Some(frame) => {
                let before = outbox.queued_bytes.get();
                outbox.queued_bytes.set(before - frame.len());
                if before > outbox.write_buffer_size && !outbox.over_limit() {
                    outbox.wake.notify_one();
                }
                Poll::Ready(Some(Ok(frame)))
            }
            None if outbox.state.get() == State::Closed => Poll::Ready(None),
            None => {
                *outbox.body_waker.borrow_mut() = Some(cx.waker().clone());
                Poll::Pending
            }
        }
    }
}

impl Drop for OutboxBody {
    fn drop(&mut self) {
        self.0.body_gone.set(true);
        self.0.wake.notify_one();
    }
}

/// The consumer's handle on its socket (`django_bolt.websockets` wraps it): accept, send, close.
#[pyclass(module = "django_bolt._engine", unsendable)]
pub struct WebSocketChannel {
    pub outbox: Rc<Outbox>,
}

#[pymethods]
impl WebSocketChannel {
    /// Accept the connection (during `connect`), optionally with one of the client's subprotocols.
    #[pyo3(signature = (subprotocol = None, headers = Vec::new()))]
    fn accept(&self, subprotocol: Option<String>, headers: Vec<(String, String)>) -> PyResult<()> {
        if self.outbox.state.get() != State::Handshake {
            return Err(PyRuntimeError::new_err(
                "accept() is only possible once, during connect(), before close()",
            ));
        }
        *self.outbox.accepted.borrow_mut() = Some((subprotocol, headers));
        self.outbox.state.set(State::Open);
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
        match self.outbox.state.get() {
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
        self.outbox.waiting_senders.borrow_mut().push(future);
        self.outbox.wake.notify_one();
    }

    /// Close with `code` (1000, a code an endpoint may send, or 3000–4999 for the application's own). Before
    /// `accept`, this refuses the handshake (HTTP 403).
    #[pyo3(signature = (code = code::NORMAL, reason = String::new()))]
    fn close(&self, code: u16, reason: String) -> PyResult<()> {
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
        match self.outbox.state.get() {
            State::Handshake => self.outbox.state.set(State::Closed),
            State::Open => {
                *self.outbox.close_requested.borrow_mut() = Some((code, reason));
                self.outbox.wake.notify_one();
            }
            State::Closing | State::Closed => {}
        }
        Ok(())
    }

    #[getter]
    fn accepted(&self) -> bool {
        self.outbox.accepted.borrow().is_some()
    }

    #[getter]
    fn closed(&self) -> bool {
        matches!(self.outbox.state.get(), State::Closing | State::Closed)
            || self.outbox.close_requested.borrow().is_some()
    }
}
