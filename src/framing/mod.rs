//! HTTP/1 framing checks on each connection, before actix-http's parser sees a byte.
//!
//! actix-http accepts what a front-line server must refuse (a bare LF inside a request head, a request line
//! hidden among chunked trailers) and refuses, silently, what gunicorn and Django accept (a raw `<` in the
//! target) or with the wrong status (an over-long URI as 400). `Guarded` wraps every accepted socket: it holds
//! each request head back until it is complete, checks it, percent-encodes the target bytes the URI parser would
//! reject, and follows the body's framing. On a violation it stops reading, lets earlier responses go out,
//! writes its own refusal, logs it, and drains the client before closing (so the refusal is not lost to a reset).
//!
//! `Framing` is the state machine over a connection's bytes; `syntax` checks a head, a chunk line, a trailer;
//! `connection` is the socket wrapper actix-http reads from.

mod connection;
mod syntax;

use std::sync::Arc;

use actix_web::http::StatusCode;
use tokio::io::ReadBuf;

use crate::config::Limits;
use crate::limits;
use syntax::{check_head, check_trailer, chunk_size};

pub use connection::{ClientGone, Guarded};

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

    fn is_refused(&self) -> bool {
        self.stage == Stage::Refused
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

/// The response written for a refused head: DRF's error shape, then the connection closes.
pub fn refusal_response(refused: &Refusal) -> Vec<u8> {
    let detail = match refused.status {
        414 => limits::URI_TOO_LONG.to_string(),
        431 => limits::HEADERS_TOO_LARGE.to_string(),
        501 => "Transfer coding not implemented.".to_string(),
        505 => "HTTP version not supported.".to_string(),
        _ => format!("Malformed request: {}.", refused.reason),
    };
    let body = format!("{{\"detail\":\"{detail}\"}}");
    let reason = StatusCode::from_u16(refused.status)
        .ok()
        .and_then(|status| status.canonical_reason())
        .unwrap_or("Bad Request");
    format!(
        "HTTP/1.1 {} {reason}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        refused.status,
        body.len()
    )
    .into_bytes()
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
