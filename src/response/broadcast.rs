//! One feed, many streams: `Broadcast.publish(bytes)` hands the same bytes to every subscribed response body, in
//! Rust — no Python step per client. A subscriber that falls `max_backlog` bytes behind is dropped (its stream
//! ends; an SSE client reconnects and resumes from `Last-Event-ID`) rather than buffered without bound.
//! `publish` may be called from any thread (a signal fired on a sync bridge thread, say).

use std::sync::{Arc, Mutex, MutexGuard, Weak};
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedBytes;
use pyo3::types::PyBytes;

use super::chunks::Chunks;

#[derive(Default)]
struct Queue {
    chunks: Chunks,
    /// No more will come: the broadcast closed, the subscriber fell behind, or its response was dropped.
    ended: bool,
}

#[derive(Default)]
pub struct Subscriber {
    queue: Mutex<Queue>,
}

impl Subscriber {
    fn lock(&self) -> MutexGuard<'_, Queue> {
        self.queue.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// No more will be published to it; with `discard`, what is queued is not sent either.
    fn end(&self, discard: bool) {
        let waker = {
            let mut queue = self.lock();
            queue.ended = true;
            if discard {
                queue.chunks.clear();
            }
            queue.chunks.reader()
        };
        if let Some(waker) = waker {
            waker.wake();
        }
    }

    /// The next published chunk; `None` once the subscription has ended.
    pub fn poll_chunk(&self, cx: &mut Context<'_>) -> Poll<Option<Bytes>> {
        let mut queue = self.lock();
        if let Some((chunk, _)) = queue.chunks.pop(usize::MAX) {
            return Poll::Ready(Some(chunk));
        }
        if queue.ended {
            return Poll::Ready(None);
        }
        queue.chunks.park(cx.waker());
        Poll::Pending
    }
}

/// `Broadcast(max_backlog=1048576)`: publish once, every subscribed stream sends it.
#[pyclass(module = "django_bolt._engine", frozen)]
pub struct Broadcast {
    subscribers: Mutex<Vec<Weak<Subscriber>>>,
    max_backlog: usize,
}

#[pymethods]
impl Broadcast {
    #[new]
    #[pyo3(signature = (max_backlog = 1_048_576))]
    fn new(max_backlog: usize) -> Self {
        Self {
            subscribers: Mutex::new(Vec::new()),
            max_backlog,
        }
    }

    /// A new subscription: the body of a response that sends what is published from now on; with a heartbeat,
    /// `heartbeat` bytes go out after `interval` seconds without anything published.
    #[pyo3(signature = (heartbeat = None, interval = 0.0))]
    fn subscribe(&self, heartbeat: Option<Vec<u8>>, interval: f64) -> Subscription {
        let subscriber = Arc::new(Subscriber::default());
        self.list().push(Arc::downgrade(&subscriber));
        Subscription {
            subscriber,
            heartbeat: heartbeat
                .filter(|_| interval > 0.0 && interval.is_finite())
                .map(|bytes| (Bytes::from(bytes), Duration::from_secs_f64(interval))),
        }
    }

    /// Send `data` to every subscriber; the number it reached.
    fn publish(&self, py: Python<'_>, data: &Bound<'_, PyBytes>) -> usize {
        let chunk = Bytes::from_owner(PyBackedBytes::from(data.clone()));
        let max_backlog = self.max_backlog;
        py.detach(|| {
            let mut reached = 0;
            self.list().retain(|weak| {
                let Some(subscriber) = weak.upgrade() else {
                    return false;
                };
                let mut queue = subscriber.lock();
                if queue.ended {
                    return false;
                }
                if queue.chunks.bytes() + chunk.len() > max_backlog {
                    drop(queue);
                    subscriber.end(true);
                    return false;
                }
                let waker = queue.chunks.push(chunk.clone());
                drop(queue);
                if let Some(waker) = waker {
                    waker.wake();
                }
                reached += 1;
                true
            });
            reached
        })
    }

    /// End every subscription: their streams finish after what was published.
    fn close(&self) {
        for subscriber in self.list().drain(..).filter_map(|weak| weak.upgrade()) {
            subscriber.end(false);
        }
    }

    /// Subscriptions still open.
    #[getter]
    fn subscribers(&self) -> usize {
        self.list()
            .iter()
            .filter(|weak| weak.upgrade().is_some_and(|s| !s.lock().ended))
            .count()
    }
}

impl Broadcast {
    fn list(&self) -> MutexGuard<'_, Vec<Weak<Subscriber>>> {
        self.subscribers.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// A response body fed by a `Broadcast` (returned by `Broadcast.subscribe`).
#[pyclass(module = "django_bolt._engine", frozen)]
pub struct Subscription {
    pub subscriber: Arc<Subscriber>,
    pub heartbeat: Option<(Bytes, Duration)>,
}

/// Ends the subscription when the response body goes (sent, client gone, HEAD).
pub struct Unsubscribe(pub Arc<Subscriber>);

impl Drop for Unsubscribe {
    fn drop(&mut self) {
        self.0.end(true);
    }
}
