//! Writing what Python returned: `(status, [(name, value)], body)` where body is bytes, an iterator of bytes (sync
//! or async, streamed) or a broadcast `Subscription`.

use std::cell::Cell;
use std::rc::Rc;
use std::sync::Arc;
use std::time::Duration;

use actix_web::body::{BoxBody, SizedStream};
use actix_web::http::header::{HeaderName, HeaderValue, CONTENT_LENGTH};
use actix_web::http::StatusCode;
use actix_web::HttpResponse;
use bytes::Bytes;
use futures_util::stream;
use pyo3::exceptions::PyTypeError;
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedBytes;
use pyo3::types::{PyBytes, PyTuple};

use crate::dispatch::{RequestContext, RuntimeRef, WorkerLoop};
use crate::framing::ClientGone;

mod broadcast;
mod chunks;
mod pumped;
pub use broadcast::{Broadcast, Subscription};
use broadcast::{Subscriber, Unsubscribe};
pub use chunks::Chunks;
pub use pumped::ChunkSink;
use pumped::Pumped;

/// A JSON error body the engine writes itself (no Python involved).
pub fn json_error(status: StatusCode, detail: &str) -> HttpResponse {
    let escaped = detail.replace('\\', "\\\\").replace('"', "\\\"");
    HttpResponse::build(status)
        .content_type("application/json")
        .body(format!("{{\"detail\":\"{escaped}\"}}"))
}

/// A response the engine answers by itself, without Python: `StaticResponse(status, headers, body)`.
/// Useful for health checks and fixed documents; it is also the engine's speed floor in the benchmarks.
#[pyclass(module = "django_bolt._engine", frozen)]
pub struct StaticResponse {
    status: StatusCode,
    headers: Vec<(HeaderName, HeaderValue)>,
    body: Bytes,
}

#[pymethods]
impl StaticResponse {
    #[new]
    #[pyo3(signature = (status, headers, body))]
    fn new(status: u16, headers: Vec<(String, String)>, body: Vec<u8>) -> PyResult<Self> {
        let status = StatusCode::from_u16(status)
            .map_err(|_| PyTypeError::new_err(format!("invalid status {status}")))?;
        let headers = headers
            .into_iter()
            .map(|(name, value)| {
                let name = HeaderName::from_bytes(name.as_bytes())
                    .map_err(|_| PyTypeError::new_err(format!("invalid header name {name:?}")))?;
                let value = HeaderValue::from_str(&value).map_err(|_| {
                    PyTypeError::new_err(format!("invalid value for header {name}"))
                })?;
                Ok((name, value))
            })
            .collect::<PyResult<_>>()?;
        Ok(Self {
            status,
            headers,
            body: Bytes::from(body),
        })
    }
}

impl StaticResponse {
    pub fn respond(&self) -> HttpResponse {
        let mut builder = HttpResponse::build(self.status);
        for (name, value) in &self.headers {
            builder.append_header((name.clone(), value.clone()));
        }
        builder.body(self.body.clone())
    }
}

pub enum Body {
    Full(Bytes),
    SyncIter(Py<PyAny>),
    AsyncIter(Py<PyAny>),
    /// Fed by a `Broadcast`: what is published, with an optional heartbeat while nothing is.
    Subscription(Arc<Subscriber>, Option<(Bytes, Duration)>),
}

pub struct Parts {
    pub status: StatusCode,
    pub headers: Vec<(HeaderName, HeaderValue)>,
    pub body: Body,
}

/// Read the triple a handler returned (with the GIL held).
pub fn parse(py: Python<'_>, value: &Bound<'_, PyAny>) -> PyResult<Parts> {
    let triple = value.cast::<PyTuple>().map_err(|_| {
        PyTypeError::new_err(format!(
            "a handler must return (status, headers, body), not {}",
            value
                .get_type()
                .name()
                .map(|n| n.to_string())
                .unwrap_or_default()
        ))
    })?;
    if triple.len() != 3 {
        return Err(PyTypeError::new_err(
            "a handler must return a 3-tuple (status, headers, body)",
        ));
    }
    let code: u16 = triple.get_item(0)?.extract()?;
    let status = StatusCode::from_u16(code)
        .map_err(|_| PyTypeError::new_err(format!("invalid status {code}")))?;
    let mut headers = Vec::new();
    let raw_headers = triple.get_item(1)?;
    if !raw_headers.is_none() {
        for item in raw_headers.try_iter()? {
            let (name, value): (String, String) = item?.extract()?;
            let name = HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| PyTypeError::new_err(format!("invalid header name {name:?}")))?;
            let value = HeaderValue::from_str(&value).map_err(|_| {
                PyTypeError::new_err(format!("invalid value for header {name}: {value:?}"))
            })?;
            headers.push((name, value));
        }
    }
    let body = triple.get_item(2)?;
    let body = if let Ok(bytes) = body.cast::<PyBytes>() {
        Body::Full(Bytes::from_owner(PyBackedBytes::from(bytes.clone())))
    } else if body.is_none() {
        Body::Full(Bytes::new())
    } else if let Ok(subscription) = body.cast::<Subscription>() {
        let subscription = subscription.get();
        Body::Subscription(
            subscription.subscriber.clone(),
            subscription.heartbeat.clone(),
        )
    } else if body.hasattr(pyo3::intern!(py, "__anext__"))? {
        Body::AsyncIter(body.unbind())
    } else {
        Body::SyncIter(body.try_iter()?.into_any().unbind())
    };
    Ok(Parts {
        status,
        headers,
        body,
    })
}

fn chunk(value: &Bound<'_, PyAny>) -> PyResult<Bytes> {
    if let Ok(bytes) = value.cast::<PyBytes>() {
        return Ok(Bytes::from_owner(PyBackedBytes::from(bytes.clone())));
    }
    Err(PyTypeError::new_err("a streamed body must yield bytes"))
}

/// A sync streamed body while the client reads it (or an async one a HEAD response never runs). Dropped before
/// its end (the client went away, a HEAD response, a failed write), it closes the iterator (`close()`, or
/// `aclose()` on the worker loop).
struct Streamed {
    body: Body,
    worker: Rc<WorkerLoop>,
    context: RequestContext,
    runtime: RuntimeRef,
    done: Cell<bool>,
}

impl Streamed {
    /// Next chunk, produced in the request's context; `None` at the end.
    async fn next_chunk(&self) -> Option<PyResult<Bytes>> {
        match &self.body {
            Body::Full(_) => None,
            Body::SyncIter(iterator) => Python::attach(|py| {
                let next = self.context.run(py, || {
                    // SAFETY: `iterator` is an iterator object (checked by try_iter); PyIter_Next returns a new
                    // reference, or NULL at the end or on error.
                    let next = unsafe { ffi::PyIter_Next(iterator.as_ptr()) };
                    Ok(unsafe { Bound::from_owned_ptr_or_opt(py, next) })
                });
                match next {
                    Ok(Some(value)) => Some(chunk(&value)),
                    Ok(None) => PyErr::take(py).map(Err),
                    Err(error) => Some(Err(error)),
                }
            }),
            // Async bodies are produced by a task of their own (`pumped`), a HEAD request's is only closed;
            // subscriptions are streamed from their broadcast (`subscription_stream`).
            Body::AsyncIter(_) | Body::Subscription(..) => None,
        }
    }

    fn stop_producer(&self, py: Python<'_>) -> PyResult<()> {
        match &self.body {
            Body::AsyncIter(iterator)
                if iterator.bind(py).hasattr(pyo3::intern!(py, "aclose"))? =>
            {
                let closing = iterator.call_method0(py, pyo3::intern!(py, "aclose"))?;
                self.worker.schedule(py, closing.bind(py), None).map(drop)
            }
            Body::SyncIter(iterator)
                if iterator.bind(py).hasattr(pyo3::intern!(py, "close"))? =>
            {
                iterator
                    .call_method0(py, pyo3::intern!(py, "close"))
                    .map(drop)
            }
            _ => Ok(()),
        }
    }
}

impl Drop for Streamed {
    fn drop(&mut self) {
        if self.done.get() {
            return;
        }
        Python::attach(|py| {
            let stopped = self.worker.entered(py, &self.runtime, || {
                self.context.run(py, || self.stop_producer(py))
            });
            if let Err(error) = stopped {
                error.print(py);
            }
            self.worker.poke(py, &self.runtime);
        });
    }
}

/// A subscription's chunks as they are published; a heartbeat after `interval` of silence; the end when the
/// broadcast closes, the subscriber is dropped for falling behind, or the client goes.
fn subscription_stream(
    guard: Unsubscribe,
    heartbeat: Option<(Bytes, Duration)>,
    gone: Option<Rc<ClientGone>>,
) -> impl futures_util::Stream<Item = Result<Bytes, actix_web::Error>> {
    stream::unfold(Some(guard), move |state| {
        let heartbeat = heartbeat.clone();
        let gone = gone.clone();
        async move {
            let guard = state?;
            let next = std::future::poll_fn(|cx| guard.0.poll_chunk(cx));
            let quiet = async {
                match &heartbeat {
                    Some((_, interval)) => tokio::time::sleep(*interval).await,
                    None => std::future::pending().await,
                }
            };
            let client_gone = async {
                match &gone {
                    Some(gone) => gone.wait().await,
                    None => std::future::pending().await,
                }
            };
            tokio::select! {
                chunk = next => chunk.map(|bytes| (Ok(bytes), Some(guard))),
                () = quiet => heartbeat.map(|(bytes, _)| (Ok(bytes), Some(guard))),
                () = client_gone => None,
            }
        }
    })
}

/// What produces a streamed body's chunks.
enum Producer {
    Sync(Streamed),
    Async(Pumped),
}

impl Producer {
    async fn next_chunk(&self) -> Option<PyResult<Bytes>> {
        match self {
            Producer::Sync(streamed) => streamed.next_chunk().await,
            Producer::Async(pumped) => pumped.next_chunk().await,
        }
    }

    /// The producer ran to its end (or failed): nothing to stop.
    fn finished(&mut self) {
        match self {
            Producer::Sync(streamed) => streamed.done.set(true),
            Producer::Async(pumped) => pumped.done(),
        }
    }
}

/// Build the actix response; a streamed body pulls chunks from Python as the client reads them.
pub fn into_response(
    parts: Parts,
    worker: Rc<WorkerLoop>,
    context: RequestContext,
    runtime: RuntimeRef,
    gone: Option<Rc<ClientGone>>,
    head: bool,
) -> HttpResponse {
    let mut builder = HttpResponse::build(parts.status);
    // A streamed body with a declared length (Django's FileResponse) is sent with that length, not chunked.
    let mut declared_length = None;
    for (name, value) in parts.headers {
        if name == CONTENT_LENGTH && !matches!(parts.body, Body::Full(_)) {
            declared_length = value.to_str().ok().and_then(|v| v.parse::<u64>().ok());
            continue;
        }
        builder.append_header((name, value));
    }
    match parts.body {
        Body::Full(bytes) => builder.body(bytes),
        Body::Subscription(subscriber, heartbeat) => {
            let guard = Unsubscribe(subscriber);
            if head {
                return builder.body(actix_web::body::None::new());
            }
            builder
                .message_body(BoxBody::new(actix_web::body::BodyStream::new(
                    subscription_stream(guard, heartbeat, gone),
                )))
                .unwrap_or_else(|_| {
                    json_error(StatusCode::INTERNAL_SERVER_ERROR, "Internal Server Error")
                })
        }
        streamed => {
            let producer = match streamed {
                Body::AsyncIter(iterator) if !head => {
                    match Python::attach(|py| Pumped::start(py, iterator, worker, context, runtime))
                    {
                        Ok(pumped) => Producer::Async(pumped),
                        Err(error) => {
                            Python::attach(|py| error.print(py));
                            return json_error(
                                StatusCode::INTERNAL_SERVER_ERROR,
                                "Internal Server Error",
                            );
                        }
                    }
                }
                streamed => Producer::Sync(Streamed {
                    body: streamed,
                    worker,
                    context,
                    runtime,
                    done: Cell::new(false),
                }),
            };
            if head {
                // A HEAD response has no body: the producer is closed before it runs (by `Streamed`'s drop).
                drop(producer);
                return builder.body(actix_web::body::None::new());
            }
            let chunks = stream::unfold(Some(producer), move |state| {
                let gone = gone.clone();
                async move {
                    let mut state = state?;
                    let next = match &gone {
                        Some(gone) => tokio::select! {
                            next = state.next_chunk() => next,
                            // The client closed the connection: end here; dropping `state` stops the producer.
                            () = gone.wait() => {
                                return Some((Err(actix_web::error::ErrorBadRequest("client gone")), None));
                            }
                        },
                        None => state.next_chunk().await,
                    };
                    match next {
                        Some(Ok(bytes)) => Some((Ok(bytes), Some(state))),
                        Some(Err(error)) => {
                            state.finished();
                            Python::attach(|py| error.print(py));
                            Some((
                                Err(actix_web::error::ErrorInternalServerError("stream failed")),
                                None,
                            ))
                        }
                        None => {
                            state.finished();
                            None
                        }
                    }
                }
            });
            let body = match declared_length {
                Some(length) => BoxBody::new(SizedStream::new(length, chunks)),
                None => BoxBody::new(actix_web::body::BodyStream::new(chunks)),
            };
            builder.message_body(body).unwrap_or_else(|_| {
                json_error(StatusCode::INTERNAL_SERVER_ERROR, "Internal Server Error")
            })
        }
    }
}
