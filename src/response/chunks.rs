//! The bytes waiting for a streamed response body — a WebSocket's outbox, a pumped body, a broadcast
//! subscriber — counted, with the body's waker. Each owner keeps it behind its own lock, beside its own state.

use std::collections::VecDeque;
use std::task::Waker;

use bytes::Bytes;

#[derive(Default)]
pub struct Chunks {
    queue: VecDeque<Bytes>,
    bytes: usize,
    reader: Option<Waker>,
}

impl Chunks {
    /// Queue `chunk`; the waiting body's waker, to wake once the lock is released.
    pub fn push(&mut self, chunk: Bytes) -> Option<Waker> {
        self.bytes += chunk.len();
        self.queue.push_back(chunk);
        self.reader.take()
    }

    /// The next chunk, and whether taking it brought the queue from over `limit` back within it (a writer
    /// waiting for room can go on).
    pub fn pop(&mut self, limit: usize) -> Option<(Bytes, bool)> {
        let chunk = self.queue.pop_front()?;
        let before = self.bytes;
        self.bytes -= chunk.len();
        Some((chunk, before > limit && self.bytes <= limit))
    }

    /// Bytes queued.
    pub fn bytes(&self) -> usize {
        self.bytes
    }

    /// Nothing to read yet: wake `waker` at the next push (or `reader()`).
    pub fn park(&mut self, waker: &Waker) {
        self.reader = Some(waker.clone());
    }

    /// The waiting body's waker (to tell it the stream has ended).
    pub fn reader(&mut self) -> Option<Waker> {
        self.reader.take()
    }

    pub fn clear(&mut self) {
        self.queue.clear();
        self.bytes = 0;
    }
}
