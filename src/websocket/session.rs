//! One accepted WebSocket: read the client's frames, answer control frames, hand each message to the consumer
//! (one at a time, in order), keep the connection alive with pings, close it properly, then tell the consumer.

use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::sync::Arc;
use std::time::{Duration, Instant};

use actix_http::ws::OpCode;
use actix_web::web;
use futures_util::StreamExt;
use pyo3::prelude::*;
use tokio::sync::watch;

use super::channel::{Outbox, State};
use super::frames::{self, code, Failure, FrameReader, Incoming};
use super::WebSocketConfig;
use crate::dispatch::{
    finish, resolve_future, start_awaitable, Continue, RequestContext, RuntimeRef, WorkerLoop,
};

/// Messages read ahead while the consumer is busy; past this the socket is not read (TCP pushes back).
const READ_AHEAD: usize = 16;

type Call = Pin<Box<dyn Future<Output = PyResult<Py<PyAny>>>>>;

pub struct Session {
    pub payload: web::Payload,
    pub outbox: Arc<Outbox>,
    pub consumer: Py<PyAny>,
    pub context: RequestContext,
    pub worker: Rc<WorkerLoop>,
    pub runtime: RuntimeRef,
    pub config: Arc<WebSocketConfig>,
    pub shutdown: Option<watch::Receiver<u16>>,
    pub path: String,
    pub debug: bool,
}

enum Event {
    Input(Option<Result<bytes::Bytes, actix_web::error::PayloadError>>),
    CallDone(PyResult<Py<PyAny>>),
    Woken,
    Timer,
    Shutdown(u16),
}

impl Session {
    pub async fn run(mut self) {
        let config = self.config.clone();
        let mut reader = FrameReader::new(config.max_message_size);
        let mut inbox: VecDeque<Py<PyAny>> = VecDeque::new();
        let mut running: Option<(Call, Option<Py<PyAny>>)> = None;
        let mut input_open = true;
        let mut client_closed = false;
        let mut closing_since: Option<Instant> = None;
        // What the consumer's `disconnect` hears: the first close code either side used.
        let mut disconnect_code: Option<u16> = None;
        let mut last_heard = Instant::now();
        let mut last_message = Instant::now();
        let mut ping_sent: Option<Instant> = None;
        let mut shutdown = self.shutdown.take();
        loop {
            if running.is_none() && self.outbox.state() == State::Open {
                if let Some(message) = inbox.pop_front() {
                    running = self.call("websocket_receive", message);
                    if running.is_none() {
                        // The call could not even start (reported): the connection fails as if it had raised.
                        self.close(
                            code::INTERNAL_ERROR,
                            "",
                            &mut closing_since,
                            &mut disconnect_code,
                        );
                    }
                }
            }
            let requested = self.outbox.lock().close_requested.take();
            if let Some((close_code, reason)) = requested {
                self.close(
                    close_code,
                    &reason,
                    &mut closing_since,
                    &mut disconnect_code,
                );
            }
            self.release_senders();
            if self.outbox.lock().body_gone || (client_closed && closing_since.is_some()) {
                break;
            }
            if closing_since.is_some_and(|since| since.elapsed() >= config.close_timeout()) {
                break;
            }
            let deadline = self.deadline(last_heard, last_message, ping_sent, closing_since);
            // A client that does not read what we send (our pongs, say, to a flood of pings) is not read either:
            // what waits for it stays bounded by the write buffer, and TCP pushes back on its sending.
            let reading = input_open && inbox.len() < READ_AHEAD && !self.outbox.over_limit();
            let event = tokio::select! {
                chunk = self.payload.next(), if reading => Event::Input(chunk),
                result = async {
                    match running.as_mut() {
                        Some((call, _)) => call.as_mut().await,
                        None => std::future::pending().await,
                    }
                } => Event::CallDone(result),
                () = self.outbox.wake.notified() => Event::Woken,
                () = tokio::time::sleep_until(deadline.into()) => Event::Timer,
                code = changed(&mut shutdown) => Event::Shutdown(code),
            };
            match event {
                Event::Input(Some(Ok(bytes))) => {
                    reader.feed(&bytes);
                    last_heard = Instant::now();
                    ping_sent = None;
                    loop {
                        match reader.next_message() {
                            Ok(None) => break,
                            Ok(Some(Incoming::Text(text))) if self.receiving(closing_since) => {
                                last_message = Instant::now();
                                inbox.push_back(Python::attach(|py| {
                                    text.into_pyobject(py)
                                        .map(|t| t.into_any().unbind())
                                        .unwrap_or_else(|_| py.None())
                                }));
                            }
                            Ok(Some(Incoming::Binary(data))) if self.receiving(closing_since) => {
                                last_message = Instant::now();
                                inbox.push_back(Python::attach(|py| {
                                    pyo3::types::PyBytes::new(py, &data).into_any().unbind()
                                }));
                            }
                            Ok(Some(Incoming::Ping(data))) if closing_since.is_none() => {
                                self.outbox.push(frames::encode(OpCode::Pong, &data));
                            }
                            Ok(Some(Incoming::Close(close_code, _))) => {
                                client_closed = true;
                                input_open = false;
                                let reply = if close_code == code::NO_STATUS {
                                    code::NORMAL
                                } else {
                                    close_code
                                };
                                disconnect_code.get_or_insert(close_code);
                                self.close(reply, "", &mut closing_since, &mut disconnect_code);
                                break;
                            }
                            Ok(Some(_)) => {}
                            Err(Failure(close_code, reason)) => {
                                // The stream cannot be trusted past a malformed frame: stop reading it.
                                input_open = false;
                                client_closed = true;
                                self.close(
                                    close_code,
                                    reason,
                                    &mut closing_since,
                                    &mut disconnect_code,
                                );
                                break;
                            }
                        }
                    }
                }
                Event::Input(_) => {
                    // End of input (or a read error) without a Close frame: the connection dropped.
                    disconnect_code.get_or_insert(code::ABNORMAL);
                    break;
                }
                Event::CallDone(result) => {
                    running = None;
                    self.context.release_lease();
                    if let Err(error) = result {
                        self.report(error);
                        self.close(
                            code::INTERNAL_ERROR,
                            "",
                            &mut closing_since,
                            &mut disconnect_code,
                        );
                    }
                }
                Event::Woken => {}
                Event::Timer => {
                    let now = Instant::now();
                    if let Some(sent) = ping_sent {
                        if now.duration_since(sent) >= config.ping_timeout()
                            && closing_since.is_none()
                        {
                            self.close(
                                code::INTERNAL_ERROR,
                                "keepalive ping timeout",
                                &mut closing_since,
                                &mut disconnect_code,
                            );
                            disconnect_code = Some(code::ABNORMAL);
                        }
                    } else if config.ping_interval_secs > 0.0
                        && now.duration_since(last_heard) >= config.ping_interval()
                        && self.outbox.state() == State::Open
                    {
                        self.outbox.push(frames::encode(OpCode::Ping, b""));
                        ping_sent = Some(now);
                    }
                    if config.idle_timeout_secs > 0.0
                        && now.duration_since(last_message) >= config.idle_timeout()
                        && closing_since.is_none()
                    {
                        self.close(
                            code::NORMAL,
                            "idle timeout",
                            &mut closing_since,
                            &mut disconnect_code,
                        );
                    }
                }
                Event::Shutdown(close_code) => {
                    self.close(
                        close_code,
                        "server shutting down",
                        &mut closing_since,
                        &mut disconnect_code,
                    );
                }
            }
        }
        self.end(running, disconnect_code.unwrap_or(code::ABNORMAL))
            .await;
    }

    /// Data messages are taken while the connection is open and we have not begun closing it.
    fn receiving(&self, closing_since: Option<Instant>) -> bool {
        closing_since.is_none() && self.outbox.state() == State::Open
    }

    fn close(
        &self,
        close_code: u16,
        reason: &str,
        closing_since: &mut Option<Instant>,
        disconnect_code: &mut Option<u16>,
    ) {
        if closing_since.is_none() {
            self.outbox.close(close_code, reason);
            *closing_since = Some(Instant::now());
            disconnect_code.get_or_insert(close_code);
        }
    }

    fn deadline(
        &self,
        last_heard: Instant,
        last_message: Instant,
        ping_sent: Option<Instant>,
        closing_since: Option<Instant>,
    ) -> Instant {
        let config = &self.config;
        let mut deadline = Instant::now() + Duration::from_secs(3600);
        let mut consider = |at: Instant| deadline = deadline.min(at);
        if let Some(since) = closing_since {
            consider(since + config.close_timeout());
            return deadline;
        }
        match ping_sent {
            Some(sent) => consider(sent + config.ping_timeout()),
            None if config.ping_interval_secs > 0.0 => {
                consider(last_heard + config.ping_interval())
            }
            None => {}
        }
        if config.idle_timeout_secs > 0.0 {
            consider(last_message + config.idle_timeout());
        }
        deadline
    }

    /// Start `consumer.<method>(argument)` in the connection's context; None (the error reported) if it fails to.
    fn call(&self, method: &str, argument: Py<PyAny>) -> Option<(Call, Option<Py<PyAny>>)> {
        let started = Python::attach(|py| {
            let started = self.worker.entered(py, &self.runtime, || {
                self.context.run(py, || {
                    let value = self.consumer.bind(py).call_method1(method, (argument,))?;
                    start_awaitable(
                        py,
                        &self.runtime,
                        &self.worker,
                        value,
                        &self.context,
                        Continue::AsTask,
                    )
                })
            });
            self.worker.poke(py, &self.runtime);
            started.map(|started| {
                let task = started.task(py);
                (started, task)
            })
        });
        match started {
            Ok((started, task)) => {
                let worker = self.worker.clone();
                let runtime = self.runtime.clone();
                let call: Call = Box::pin(async move { finish(&worker, &runtime, started).await });
                Some((call, task))
            }
            Err(error) => {
                self.report(error);
                None
            }
        }
    }

    /// Wake the `send` calls waiting for room, once there is room (or nothing more will be sent).
    fn release_senders(&self) {
        let over = self.outbox.over_limit() && self.outbox.state() == State::Open;
        let waiting: Vec<_> = {
            let mut shared = self.outbox.lock();
            if over || shared.waiting_senders.is_empty() {
                return;
            }
            shared.waiting_senders.drain(..).collect()
        };
        Python::attach(|py| {
            for future in waiting {
                resolve_future(future.bind(py));
            }
            self.worker.poke(py, &self.runtime);
        });
    }

    fn report(&self, error: PyErr) {
        Python::attach(|py| {
            let reported = self.runtime.report_exception.call1(
                py,
                (
                    error.into_value(py),
                    "WEBSOCKET",
                    self.path.as_str(),
                    self.debug,
                ),
            );
            if let Err(error) = reported {
                error.print(py);
            }
        });
    }

    /// The connection is over: stop a message still being handled, tell the consumer, then let the body end
    /// (the socket closes once `disconnect` has run, so a graceful stop waits for it).
    async fn end(self, running: Option<(Call, Option<Py<PyAny>>)>, disconnect_code: u16) {
        if let Some((call, Some(task))) = running {
            Python::attach(|py| {
                if let Err(error) = task.call_method0(py, "cancel") {
                    error.print(py);
                }
            });
            // Wait for the cancelled task to unwind (its `finally` blocks run) before `disconnect`.
            let _ = call.await;
        }
        if self.outbox.state() == State::Open {
            self.outbox.set_state(State::Closing);
        }
        self.release_senders();
        let argument = Python::attach(|py| {
            disconnect_code
                .into_pyobject(py)
                .map(|c| c.into_any().unbind())
                .unwrap_or_else(|_| py.None())
        });
        if let Some((call, _)) = self.call("websocket_disconnect", argument) {
            if let Err(error) = call.await {
                self.report(error);
            }
        }
        self.outbox.finish();
        self.release_senders();
        // Dropping the context ends the connection's request: its sync bridge thread, if any, is released.
        drop(self.context);
    }
}

async fn changed(shutdown: &mut Option<watch::Receiver<u16>>) -> u16 {
    let Some(receiver) = shutdown else {
        return std::future::pending().await;
    };
    loop {
        if receiver.changed().await.is_err() {
            // The server is gone without a stop: nothing more will come.
            *shutdown = None;
            return std::future::pending().await;
        }
        let value = *receiver.borrow();
        if value != 0 {
            return value;
        }
    }
}
