//! The socket wrapper actix-http reads from: input reaches it only once `Framing` checked it; a refusal is written
//! after the connection's earlier responses and the client drained before the close.

use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{ready, Context, Poll};

use bytes::Buf;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;

use super::{refusal_response, Framing, FramingRules, Refusal};

fn log_refusal(rules: &FramingRules, peer: Option<SocketAddr>, refused: &Refusal) {
    use std::io::Write;
    let client = peer.map_or_else(|| "-".to_string(), |a| a.ip().to_string());
    let line = if rules.json_log {
        format!(
            "{{\"client\":\"{client}\",\"refused\":\"{}\",\"status\":{}}}\n",
            refused.reason, refused.status
        )
    } else {
        format!(
            "{client} refused: {} ({})\n",
            refused.reason, refused.status
        )
    };
    let _ = std::io::stderr().lock().write_all(line.as_bytes());
}

/// Set when the client closes its side of the connection; a streamed response stops its producer then.
/// (actix-http allows half-closed connections, so it would notice only at its next write.)
#[derive(Default)]
pub struct ClientGone {
    gone: std::cell::Cell<bool>,
    notify: tokio::sync::Notify,
}

impl ClientGone {
    fn set(&self) {
        self.gone.set(true);
        self.notify.notify_waiters();
    }

    pub async fn wait(&self) {
        while !self.gone.get() {
            self.notify.notified().await;
        }
    }
}

/// An accepted socket whose input reaches actix-http only once checked (see the module docs).
pub struct Guarded {
    io: TcpStream,
    gone: std::rc::Rc<ClientGone>,
    peer: Option<SocketAddr>,
    framing: Framing,
    /// The refusal response still to write, before the connection closes.
    reply: Option<bytes::Bytes>,
}

impl Guarded {
    pub fn new(io: TcpStream, rules: Arc<FramingRules>) -> Self {
        let peer = io.peer_addr().ok();
        let _ = io.set_nodelay(true);
        Self {
            io,
            gone: std::rc::Rc::default(),
            peer,
            framing: Framing::new(rules),
            reply: None,
        }
    }

    pub fn peer(&self) -> Option<SocketAddr> {
        self.peer
    }

    /// For the connection's requests (their `conn_data`).
    pub fn client_gone(&self) -> std::rc::Rc<ClientGone> {
        self.gone.clone()
    }
}

impl AsyncRead for Guarded {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        loop {
            if this.framing.has_ready() {
                this.framing.deliver(buf);
                return Poll::Ready(Ok(()));
            }
            if this.gone.gone.get() || this.framing.is_refused() {
                // actix-http sees the end of input: it finishes earlier requests, then shuts the socket down.
                return Poll::Ready(Ok(()));
            }
            let input = this.framing.spare(16 * 1024);
            let filled = input.len();
            let mut read = ReadBuf::uninit(input.spare_capacity_mut());
            ready!(Pin::new(&mut this.io).poll_read(cx, &mut read))?;
            let n = read.filled().len();
            if n == 0 {
                this.gone.set();
                continue;
            }
            // SAFETY: `poll_read` initialised `n` bytes of the spare capacity, right after the `filled` ones.
            unsafe { input.set_len(filled + n) };
            if let Err((refused, in_request)) = this.framing.advance() {
                log_refusal(&this.framing.rules, this.peer, &refused);
                // Mid-request, actix-http answers the cut-off body itself (400); otherwise the refusal is ours.
                if !in_request {
                    this.reply = Some(refusal_response(&refused).into());
                }
            }
        }
    }
}

impl AsyncWrite for Guarded {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().io).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().io).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        while let Some(reply) = this.reply.as_mut() {
            let n = ready!(Pin::new(&mut this.io).poll_write(cx, reply))?;
            reply.advance(n);
            if reply.is_empty() || n == 0 {
                this.reply = None;
            }
        }
        ready!(Pin::new(&mut this.io).poll_shutdown(cx))?;
        if this.framing.is_refused() {
            // Read what the client still sends until it closes (actix-http's disconnect timeout bounds this):
            // closing with unread input would reset the connection and could destroy the refusal in flight.
            let mut sink = [0u8; 4096];
            loop {
                let mut read = ReadBuf::new(&mut sink);
                match ready!(Pin::new(&mut this.io).poll_read(cx, &mut read)) {
                    Ok(()) if !read.filled().is_empty() => continue,
                    _ => break,
                }
            }
        }
        Poll::Ready(Ok(()))
    }
}

impl Drop for Guarded {
    fn drop(&mut self) {
        // actix-http dropped the connection without shutting it down (a timeout): best effort, one write.
        if let Some(reply) = self.reply.take() {
            let _ = self.io.try_write(&reply);
        }
    }
}
