//! HTTP/1 framing checks on each connection, before actix-http's parser sees a byte.
//!
//! actix-http accepts what a front-line server must refuse (a bare LF inside a request head, a request line
//! hidden among chunked trailers) and refuses, silently, what gunicorn and Django accept (a raw `<` in the
//! target) or with the wrong status (an over-long URI as 400). `Guarded` wraps every accepted socket: it holds
//! each request head back until it is complete, checks it, percent-encodes the target bytes the URI parser would
//! reject, and follows the body's framing. On a violation it stops reading, lets earlier responses go out,
//! writes its own refusal, logs it, and drains the client before closing (so the refusal is not lost to a reset).

use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{ready, Context, Poll};

use bytes::Buf;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;

use crate::config::Limits;

/// The bounds a connection's framing is checked against; decided once per server.
#[derive(Clone, Debug)]
pub struct FramingRules {
    pub max_uri_length: usize,
    pub max_header_size: usize,
    pub max_header_count: usize,
    /// Refusals are logged as JSON lines (with `--access-log json`) or as text.
    pub json_log: bool,
}

impl FramingRules {
    pub fn new(limits: &Limits, json_log: bool) -> Self {
        Self {
            max_uri_length: limits.max_uri_length,
            max_header_size: limits.max_header_size,
            max_header_count: limits.max_header_count,
            json_log,
        }
    }

    /// The request line may hold the method and version besides the target.
    fn max_request_line(&self) -> usize {
        self.max_uri_length + 64
    }

    /// Header lines may add a name separator and CRLF per header to the limit on names and values.
    fn max_head(&self) -> usize {
        self.max_request_line() + self.max_header_size + 4 * (self.max_header_count + 1)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    Head,
    Body(u64),
    ChunkSize,
    ChunkData(u64),
    ChunkEnd,
    Trailers,
    /// After an upgrade (or CONNECT) actix-http treats every later byte as the request's stream.
    Tunnel,
    Refused,
}

/// Why a connection's input was refused: the status to answer and the reason to log and show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub status: u16,
    pub reason: &'static str,
}

fn refusal<T>(status: u16, reason: &'static str) -> Result<T, Refusal> {
    Err(Refusal { status, reason })
}

/// The checking state of one connection's input, separate from the socket so it can be tested on bytes.
/// One buffer, reused for the connection's life: `input[start..checked]` is checked and waiting for actix-http,
/// `input[checked..]` is still being checked (positions below are absolute indexes into `input`).
pub struct Framing {
    rules: Arc<FramingRules>,
    stage: Stage,
    input: Vec<u8>,
    start: usize,
    checked: usize,
    /// In the head or trailer stage: how far the input has been scanned and where the current line starts.
    scanned: usize,
    line_start: usize,
    lines: usize,
    trailer_bytes: usize,
}

impl Framing {
    pub fn new(rules: Arc<FramingRules>) -> Self {
        Self {
            rules,
            stage: Stage::Head,
            input: Vec::new(),
            start: 0,
            checked: 0,
            scanned: 0,
            line_start: 0,
            lines: 0,
            trailer_bytes: 0,
        }
    }

    /// Check newly received bytes; on a violation the connection takes no more input.
    /// The refusal comes with whether a request was in progress (its response then comes from actix-http).
    pub fn feed(&mut self, bytes: &[u8]) -> Result<(), (Refusal, bool)> {
        self.spare(bytes.len()).extend_from_slice(bytes);
        self.advance()
    }

    /// The buffer to read more input into (everything handed over is dropped from its front first).
    fn spare(&mut self, room: usize) -> &mut Vec<u8> {
        if self.start > 0 && self.start == self.checked {
            self.input.drain(..self.start);
            self.checked = 0;
            self.scanned -= self.start.min(self.scanned);
            self.line_start -= self.start.min(self.line_start);
            self.start = 0;
        }
        self.input.reserve(room);
        &mut self.input
    }

    /// Check what was added to the buffer since the last call.
    fn advance(&mut self) -> Result<(), (Refusal, bool)> {
        if self.stage == Stage::Refused {
            self.input.truncate(self.checked);
            return Ok(());
        }
        if let Err(refused) = self.check() {
            let in_request = self.stage != Stage::Head;
            self.stage = Stage::Refused;
            self.input.truncate(self.checked);
            return Err((refused, in_request));
        }
        Ok(())
    }

    pub fn has_ready(&self) -> bool {
        self.checked > self.start
    }

    /// Hand checked bytes over, as many as fit.
    fn deliver(&mut self, buf: &mut ReadBuf<'_>) {
        let n = (self.checked - self.start).min(buf.remaining());
        buf.put_slice(&self.input[self.start..self.start + n]);
        self.start += n;
    }

    #[cfg(test)]
    fn take_ready(&mut self) -> Vec<u8> {
        let out = self.input[self.start..self.checked].to_vec();
        self.start = self.checked;
        out
    }

    fn unchecked(&self) -> &[u8] {
        &self.input[self.checked..]
    }

    fn check(&mut self) -> Result<(), Refusal> {
        while self.checked < self.input.len() {
            match self.stage {
                Stage::Head => {
                    let Some(end) = self.scan_lines(false)? else {
                        return Ok(());
                    };
                    let (rewritten, stage) =
                        check_head(&self.input[self.checked..end], &self.rules)?;
                    let end = match rewritten {
                        None => end,
                        Some(head) => {
                            let grown = head.len();
                            self.input.splice(self.checked..end, head);
                            self.checked + grown
                        }
                    };
                    self.checked = end;
                    self.reset_scan();
                    self.stage = stage;
                }
                Stage::Body(left) | Stage::ChunkData(left) => {
                    let n = (left as usize).min(self.input.len() - self.checked);
                    self.checked += n;
                    let left = left - n as u64;
                    self.stage = match (self.stage, left) {
                        (Stage::Body(_), 0) => Stage::Head,
                        (Stage::Body(_), left) => Stage::Body(left),
                        (_, 0) => Stage::ChunkEnd,
                        (_, left) => Stage::ChunkData(left),
                    };
                }
                Stage::ChunkEnd => {
                    let seen = self.unchecked().len().min(2);
                    if self.unchecked()[..seen] != b"\r\n"[..seen] {
                        return refusal(400, "chunk data not followed by CRLF");
                    }
                    if seen < 2 {
                        return Ok(());
                    }
                    self.checked += 2;
                    self.stage = Stage::ChunkSize;
                }
                Stage::ChunkSize => {
                    let line = self.unchecked();
                    let Some(newline) = memchr_from(line, 0) else {
                        if line.len() > 4096 {
                            return refusal(400, "chunk size line too long");
                        }
                        return Ok(());
                    };
                    if newline == 0 || line[newline - 1] != b'\r' {
                        return refusal(400, "bare LF in chunked framing");
                    }
                    let size = chunk_size(&line[..newline - 1])?;
                    self.checked += newline + 1;
                    self.stage = if size == 0 {
                        Stage::Trailers
                    } else {
                        Stage::ChunkData(size)
                    };
                }
                Stage::Trailers => {
                    let Some(end) = self.scan_lines(true)? else {
                        return Ok(());
                    };
                    self.checked = end;
                    self.reset_scan();
                    self.trailer_bytes = 0;
                    self.stage = Stage::Head;
                }
                Stage::Tunnel => self.checked = self.input.len(),
                Stage::Refused => return Ok(()),
            }
        }
        Ok(())
    }

    fn reset_scan(&mut self) {
        self.scanned = self.checked;
        self.line_start = self.checked;
        self.lines = 0;
    }

    /// Scan the unchecked input line by line up to the empty line that ends a head or a trailer section; its end
    /// once complete. Every line must end in CRLF; trailer lines are checked as they complete.
    fn scan_lines(&mut self, trailers: bool) -> Result<Option<usize>, Refusal> {
        self.scanned = self.scanned.max(self.checked);
        self.line_start = self.line_start.max(self.checked);
        while let Some(newline) = memchr_from(&self.input, self.scanned) {
            if newline == self.checked || self.input[newline - 1] != b'\r' {
                return refusal(400, "bare LF in the request head");
            }
            let line = self.line_start..newline - 1;
            self.scanned = newline + 1;
            self.line_start = newline + 1;
            if line.is_empty() && !trailers && self.lines == 0 {
                // An empty line before a request line is allowed (RFC 9112 §2.2): passed on as it is.
                self.checked = newline + 1;
                continue;
            }
            if line.is_empty() {
                return Ok(Some(newline + 1));
            }
            self.lines += 1;
            if trailers {
                check_trailer(&self.input[line.clone()])?;
                self.trailer_bytes += line.len();
                if self.trailer_bytes > self.rules.max_header_size {
                    return refusal(431, "trailer section too large");
                }
            } else if self.lines == 1 && line.len() > self.rules.max_request_line() {
                return refusal(414, "request target too long");
            } else if self.lines > self.rules.max_header_count + 1 {
                return refusal(431, "too many header fields");
            }
        }
        self.scanned = self.input.len();
        let pending = self.input.len() - self.line_start;
        if !trailers && self.lines == 0 && pending > self.rules.max_request_line() {
            return refusal(414, "request target too long");
        }
        if self.input.len() - self.checked > self.rules.max_head() {
            return refusal(431, "request head too large");
        }
        Ok(None)
    }
}

fn memchr_from(haystack: &[u8], from: usize) -> Option<usize> {
    haystack[from..]
        .iter()
        .position(|&b| b == b'\n')
        .map(|i| i + from)
}

/// `1*HEXDIG [ BWS ";" extensions ]`, as RFC 9112 §7.1 (extensions are passed on unread).
fn chunk_size(line: &[u8]) -> Result<u64, Refusal> {
    let digits = line.iter().take_while(|b| b.is_ascii_hexdigit()).count();
    if digits == 0 || digits > 15 {
        return refusal(400, "invalid chunk size");
    }
    let rest = &line[digits..];
    let rest_ok = rest.is_empty()
        || rest
            .iter()
            .position(|&b| b != b' ' && b != b'\t')
            .is_some_and(|i| rest[i] == b';')
            && rest
                .iter()
                .all(|&b| b == b'\t' || (0x20..0x7f).contains(&b));
    if !rest_ok {
        return refusal(400, "invalid chunk size");
    }
    let text = std::str::from_utf8(&line[..digits]).unwrap_or("");
    u64::from_str_radix(text, 16).or_else(|_| refusal(400, "invalid chunk size"))
}

fn is_token(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

/// A trailer field: `token ":" OWS value`, no obs-fold, no control characters but HTAB.
fn check_trailer(line: &[u8]) -> Result<(), Refusal> {
    if line[0] == b' ' || line[0] == b'\t' {
        return refusal(400, "obsolete line folding in a trailer");
    }
    let Some(colon) = line.iter().position(|&b| b == b':') else {
        return refusal(400, "trailer line without a colon");
    };
    if colon == 0 || !line[..colon].iter().all(|&b| is_token(b)) {
        return refusal(400, "invalid trailer field name");
    }
    if line[colon + 1..]
        .iter()
        .any(|&b| b != b'\t' && (b < 0x20 || b == 0x7f))
    {
        return refusal(400, "invalid trailer field value");
    }
    Ok(())
}

/// Bytes a request target may carry as they are; others (quotes, `<>`, backtick, braces, non-ASCII…) are
/// percent-encoded, which leaves the decoded path and query as gunicorn hands them to Django.
fn target_byte_ok(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"-._~:/?#[]@!$&'()*+,;=%".contains(&b)
}

fn normalise_target(target: &[u8]) -> Result<Option<Vec<u8>>, Refusal> {
    if target.iter().any(|&b| b < 0x21 || b == 0x7f) {
        return refusal(400, "control character in the request target");
    }
    if target.iter().all(|&b| target_byte_ok(b)) {
        return Ok(None);
    }
    let mut out = Vec::with_capacity(target.len() + 16);
    for &b in target {
        if target_byte_ok(b) {
            out.push(b);
        } else {
            out.extend_from_slice(format!("%{b:02X}").as_bytes());
        }
    }
    Ok(Some(out))
}

/// Check a complete head (ending in the empty line) and decide how its body is framed; the head comes back
/// rewritten when its target needed percent-encoding.
fn check_head(head: &[u8], rules: &FramingRules) -> Result<(Option<Vec<u8>>, Stage), Refusal> {
    let line_end = head.iter().position(|&b| b == b'\r').unwrap_or(head.len());
    let line = &head[..line_end];
    let mut parts = line.splitn(3, |&b| b == b' ');
    let (Some(method), Some(target), Some(version)) = (parts.next(), parts.next(), parts.next())
    else {
        return refusal(400, "malformed request line");
    };
    if method.is_empty() || !method.iter().all(|&b| is_token(b)) || target.is_empty() {
        return refusal(400, "malformed request line");
    }
    match version {
        b"HTTP/1.1" | b"HTTP/1.0" => {}
        [b'H', b'T', b'T', b'P', b'/', major, b'.', minor]
            if major.is_ascii_digit() && minor.is_ascii_digit() =>
        {
            return refusal(505, "HTTP version not supported");
        }
        _ => return refusal(400, "malformed request line"),
    }
    let http10 = version == b"HTTP/1.0";
    match normalise_target(target)? {
        None => Ok((None, framing_of(head, rules, method, http10)?)),
        Some(encoded) => {
            let mut out = Vec::with_capacity(head.len() + encoded.len());
            out.extend_from_slice(method);
            out.push(b' ');
            out.extend_from_slice(&encoded);
            out.push(b' ');
            out.extend_from_slice(&head[method.len() + target.len() + 2..]);
            let stage = framing_of(&out, rules, method, http10)?;
            Ok((Some(out), stage))
        }
    }
}

fn framing_of(
    head: &[u8],
    rules: &FramingRules,
    method: &[u8],
    http10: bool,
) -> Result<Stage, Refusal> {
    // Uninitialised header slots: no per-request allocation or zeroing (the count is bounded by the scan).
    let mut storage = [const { std::mem::MaybeUninit::<httparse::Header<'_>>::uninit() }; 256];
    let slots = (rules.max_header_count + 1).min(storage.len());
    let mut request = httparse::Request::new(&mut []);
    match request.parse_with_uninit_headers(head, &mut storage[..slots]) {
        Ok(httparse::Status::Complete(_)) => {}
        Ok(httparse::Status::Partial) => return refusal(400, "incomplete request head"),
        Err(httparse::Error::TooManyHeaders) => return refusal(431, "too many header fields"),
        Err(httparse::Error::HeaderName) => return refusal(400, "invalid header field name"),
        Err(httparse::Error::HeaderValue) => return refusal(400, "invalid header field value"),
        Err(httparse::Error::Token | httparse::Error::Version | httparse::Error::Status) => {
            return refusal(400, "malformed request line")
        }
        Err(_) => return refusal(400, "malformed request head"),
    }
    let mut lengths: Vec<&[u8]> = Vec::new();
    let mut codings: Vec<String> = Vec::new();
    let mut upgrade = false;
    let mut connection_upgrade = false;
    for header in request.headers.iter() {
        let name = header.name;
        if name.eq_ignore_ascii_case("content-length") {
            lengths.extend(header.value.split(|&b| b == b',').map(|v| v.trim_ascii()));
        } else if name.eq_ignore_ascii_case("transfer-encoding") {
            codings.extend(
                String::from_utf8_lossy(header.value)
                    .split(',')
                    .map(|c| c.trim().to_ascii_lowercase())
                    .filter(|c| !c.is_empty()),
            );
        } else if name.eq_ignore_ascii_case("upgrade") {
            upgrade = true;
        } else if name.eq_ignore_ascii_case("connection") {
            connection_upgrade |= header
                .value
                .split(|&b| b == b',')
                .any(|t| t.trim_ascii().eq_ignore_ascii_case(b"upgrade"));
        }
    }
    if (upgrade && connection_upgrade) || method == b"CONNECT" {
        return Ok(Stage::Tunnel);
    }
    if !codings.is_empty() {
        if !lengths.is_empty() {
            return refusal(400, "both Transfer-Encoding and Content-Length");
        }
        if http10 {
            return refusal(400, "Transfer-Encoding in an HTTP/1.0 request");
        }
        return match codings.iter().map(String::as_str).collect::<Vec<_>>()[..] {
            ["chunked"] => Ok(Stage::ChunkSize),
            [.., "chunked"] => refusal(501, "transfer coding not implemented"),
            _ => refusal(400, "request body not chunked last"),
        };
    }
    let Some(first) = lengths.first() else {
        return Ok(Stage::Head);
    };
    if first.is_empty()
        || first.len() > 18
        || !first.iter().all(u8::is_ascii_digit)
        || lengths.iter().any(|other| other != first)
    {
        return refusal(400, "invalid Content-Length");
    }
    let length: u64 = std::str::from_utf8(first)
        .ok()
        .and_then(|text| text.parse().ok())
        .unwrap_or(0);
    Ok(if length == 0 {
        Stage::Head
    } else {
        Stage::Body(length)
    })
}

fn reason_phrase(status: u16) -> &'static str {
    match status {
        414 => "URI Too Long",
        431 => "Request Header Fields Too Large",
        501 => "Not Implemented",
        505 => "HTTP Version Not Supported",
        _ => "Bad Request",
    }
}

/// The response written for a refused head: DRF's error shape, then the connection closes.
pub fn refusal_response(refused: &Refusal) -> Vec<u8> {
    let detail = match refused.status {
        414 => "Request URI too long.".to_string(),
        431 => "Request header fields too large.".to_string(),
        501 => "Transfer coding not implemented.".to_string(),
        505 => "HTTP version not supported.".to_string(),
        _ => format!("Malformed request: {}.", refused.reason),
    };
    let body = format!("{{\"detail\":\"{detail}\"}}");
    format!(
        "HTTP/1.1 {} {}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        refused.status,
        reason_phrase(refused.status),
        body.len()
    )
    .into_bytes()
}

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
    eof: bool,
    refused: bool,
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
            eof: false,
            refused: false,
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
            if this.eof || this.refused {
                // actix-http sees the end of input: it finishes earlier requests, then shuts the socket down.
                return Poll::Ready(Ok(()));
            }
            let input = this.framing.spare(16 * 1024);
            let filled = input.len();
            let mut read = ReadBuf::uninit(input.spare_capacity_mut());
            ready!(Pin::new(&mut this.io).poll_read(cx, &mut read))?;
            let n = read.filled().len();
            if n == 0 {
                this.eof = true;
                this.gone.gone.set(true);
                this.gone.notify.notify_waiters();
                continue;
            }
            // SAFETY: `poll_read` initialised `n` bytes of the spare capacity, right after the `filled` ones.
            unsafe { input.set_len(filled + n) };
            if let Err((refused, in_request)) = this.framing.advance() {
                log_refusal(&this.framing.rules, this.peer, &refused);
                this.refused = true;
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
        if this.refused {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn framing() -> Framing {
        Framing::new(Arc::new(FramingRules::new(&Limits::default(), false)))
    }

    fn run(input: &[u8]) -> (Vec<u8>, Option<(u16, &'static str)>) {
        let mut f = framing();
        let result = f.feed(input);
        let out = f.take_ready().to_vec();
        (out, result.err().map(|(r, _)| (r.status, r.reason)))
    }

    #[test]
    fn passes_pipelined_requests_with_bodies() {
        let input = b"POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabcGET /b HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\nX-T: 1\r\n\r\n";
        assert_eq!(run(input), (input.to_vec(), None));
    }

    #[test]
    fn same_result_when_bytes_arrive_one_at_a_time() {
        let input = b"\r\nPOST /a<b> HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabcPOST /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n2;x=1\r\nhi\r\n0\r\nX-T: 1\r\n\r\nGET / HTTP/1.1\r\n\r\n";
        let mut f = framing();
        let mut out = Vec::new();
        for byte in input {
            f.feed(std::slice::from_ref(byte)).unwrap();
            out.extend(f.take_ready());
        }
        let expected = String::from_utf8_lossy(input).replace("/a<b>", "/a%3Cb%3E");
        assert_eq!(String::from_utf8_lossy(&out), expected);
    }

    #[test]
    fn holds_an_incomplete_head_back() {
        let mut f = framing();
        f.feed(b"GET / HTTP/1.1\r\nHost: x\r\n").unwrap();
        assert!(!f.has_ready());
        f.feed(b"\r\n").unwrap();
        assert_eq!(&f.take_ready()[..], b"GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    }

    #[test]
    fn refuses_bare_lf_and_what_follows() {
        let (out, refused) = run(b"GET / HTTP/1.1\r\nHost: x\r\nDummy: y\nContent-Length: 23\r\n\r\nGET /admin HTTP/1.1\r\n\r\n");
        assert!(out.is_empty());
        assert_eq!(refused, Some((400, "bare LF in the request head")));
    }

    #[test]
    fn refuses_a_request_line_among_trailers() {
        let (_, refused) = run(b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nGET /admin HTTP/1.1\r\nHost: x\r\n\r\n");
        assert_eq!(refused, Some((400, "trailer line without a colon")));
        for trailer in [&b" folded: 1"[..], b"X: a\0b", b"X\x01: 1"] {
            let mut input =
                b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n".to_vec();
            input.extend_from_slice(trailer);
            input.extend_from_slice(b"\r\n\r\n");
            assert_eq!(run(&input).1.map(|r| r.0), Some(400), "{trailer:?}");
        }
    }

    #[test]
    fn encodes_target_bytes_the_uri_parser_rejects() {
        let (out, refused) = run(b"GET /a<b>`c\"d?q={x}|\xc3\xa9 HTTP/1.1\r\nHost: x\r\n\r\n");
        assert_eq!(refused, None);
        assert!(
            out.starts_with(b"GET /a%3Cb%3E%60c%22d?q=%7Bx%7D%7C%C3%A9 HTTP/1.1\r\nHost: x\r\n")
        );
    }

    #[test]
    fn answers_414_for_a_long_target_before_its_end_arrives() {
        let mut input = b"GET /".to_vec();
        input.extend(std::iter::repeat_n(b'a', 9000));
        assert_eq!(run(&input).1, Some((414, "request target too long")));
    }

    #[test]
    fn framing_conflicts() {
        let cases: [(&[u8], u16); 6] = [
            (
                b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n",
                400,
            ),
            (
                b"POST / HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n",
                501,
            ),
            (
                b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked, gzip\r\n\r\n",
                400,
            ),
            (b"POST / HTTP/1.1\r\nContent-Length: 3, 4\r\n\r\n", 400),
            (b"POST / HTTP/1.1\r\nContent-Length: +3\r\n\r\n", 400),
            (b"GET / HTTP/2.0\r\n\r\n", 505),
        ];
        for (input, status) in cases {
            assert_eq!(run(input).1.map(|r| r.0), Some(status), "{input:?}");
        }
    }
}
