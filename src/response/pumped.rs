//! An async streamed body, produced by one task: `django_bolt._runtime.pump` iterates the producer on the worker
//! loop and pushes each chunk into a bounded queue that the response body drains. One task for the whole stream
//! (rather than one per chunk) keeps a server-sent event's cost to the producer's own step.
//!
//! Backpressure: past `LIMIT` bytes queued, `push` tells the pump to wait, and the body wakes it once the socket
//! has taken enough. Dropped before its end (client gone, failed write), the body cancels the task: the
//! producer's pending `await` raises `CancelledError`, so its `finally` runs.

use std::rc::Rc;
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::Poll;

use bytes::Bytes;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedBytes;
use pyo3::types::PyBytes;

use super::chunks::Chunks;
use crate::dispatch::{resolve_future, RequestContext, RuntimeRef, WorkerLoop};

/// Bytes queued for the socket before the producer waits (the socket's own buffers hold more).
const LIMIT: usize = 64 * 1024;

#[derive(Default)]
struct Queue {
    chunks: Chunks,
    /// The pump waiting for room: a future of the worker loop.
    waiting: Option<Py<PyAny>>,
    /// The producer finished (None: still running); an exception it raised, for the log.
    ended: Option<Option<PyErr>>,
}

/// Where the pump puts chunks (`django_bolt._runtime.pump` calls it).
#[pyclass(module = "django_bolt._engine", frozen)]
pub struct ChunkSink {
    queue: Arc<Mutex<Queue>>,
}

fn lock(queue: &Mutex<Queue>) -> MutexGuard<'_, Queue> {
    queue.lock().unwrap_or_else(|p| p.into_inner())
}

impl ChunkSink {
    fn end(&self, outcome: Option<PyErr>) {
        let waker = {
            let mut queue = lock(&self.queue);
            queue.ended.get_or_insert(outcome);
            queue.chunks.reader()
        };
        if let Some(waker) = waker {
            waker.wake();
        }
    }
}

#[pymethods]
impl ChunkSink {
    /// Queue a chunk; True when the producer should wait (`wait_writable`) before the next.
    fn push(&self, chunk: &Bound<'_, PyAny>) -> PyResult<bool> {
        let bytes = chunk
            .cast::<PyBytes>()
            .map_err(|_| PyTypeError::new_err("a streamed body must yield bytes"))?;
        let bytes = Bytes::from_owner(PyBackedBytes::from(bytes.clone()));
        let (waker, full) = {
            let mut queue = lock(&self.queue);
            let waker = queue.chunks.push(bytes);
            (waker, queue.chunks.bytes() > LIMIT)
        };
        if let Some(waker) = waker {
            waker.wake();
        }
        Ok(full)
    }

    /// Resolve `future` once the queue has drained below the limit.
    fn wait_writable(&self, future: Py<PyAny>) {
        lock(&self.queue).waiting = Some(future);
    }

    /// The producer is exhausted.
    fn finish(&self) {
        self.end(None);
    }

    /// The producer raised `error`: the stream ends there (the connection is closed, the error logged).
    fn fail(&self, error: Bound<'_, PyAny>) {
        self.end(Some(PyErr::from_value(error)));
    }
}

/// The response side: chunks in order, the end, and the task to cancel if the stream is dropped early.
pub struct Pumped {
    queue: Arc<Mutex<Queue>>,
    task: Option<Py<PyAny>>,
    worker: Rc<WorkerLoop>,
    runtime: RuntimeRef,
    /// The request's context: kept (and so its sync bridge lease) until the stream is over.
    _context: RequestContext,
}

impl Pumped {
    /// Start `pump(iterator, sink)` as a task in the request's context.
    pub fn start(
        py: Python<'_>,
        iterator: Py<PyAny>,
        worker: Rc<WorkerLoop>,
        context: RequestContext,
        runtime: RuntimeRef,
    ) -> PyResult<Self> {
        let queue = Arc::new(Mutex::new(Queue::default()));
        let sink = Py::new(
            py,
            ChunkSink {
                queue: queue.clone(),
            },
        )?;
        let pump = runtime.pump.bind(py).call1((iterator, sink))?;
        let task = worker.schedule(py, &pump, Some(context.object()))?;
        worker.poke(py, &runtime);
        Ok(Self {
            queue,
            task: Some(task),
            worker,
            runtime,
            _context: context,
        })
    }

    /// The next chunk; None at the end; an error if the producer raised.
    pub async fn next_chunk(&self) -> Option<PyResult<Bytes>> {
        let next = std::future::poll_fn(|cx| {
            let mut queue = lock(&self.queue);
            if let Some((chunk, drained)) = queue.chunks.pop(LIMIT) {
                let resume = drained.then(|| queue.waiting.take()).flatten();
                return Poll::Ready(Some((Ok(chunk), resume)));
            }
            match queue.ended.as_mut() {
                Some(None) => Poll::Ready(None),
                Some(Some(_)) => {
                    let error = queue.ended.replace(None).flatten();
                    Poll::Ready(error.map(|e| (Err(e), None)))
                }
                None => {
                    queue.chunks.park(cx.waker());
                    Poll::Pending
                }
            }
        })
        .await;
        let (chunk, resume) = next?;
        if let Some(future) = resume {
            Python::attach(|py| {
                resolve_future(future.bind(py));
                self.worker.poke(py, &self.runtime);
            });
        }
        Some(chunk)
    }

    /// The stream ended normally: nothing to cancel.
    pub fn done(&mut self) {
        self.task = None;
    }
}

impl Drop for Pumped {
    fn drop(&mut self) {
        let Some(task) = self.task.take() else {
            return;
        };
        if lock(&self.queue).ended.is_some() {
            return;
        }
        Python::attach(|py| {
            if let Err(error) = task.call_method0(py, pyo3::intern!(py, "cancel")) {
                error.print(py);
            }
            self.worker.poke(py, &self.runtime);
        });
    }
}
