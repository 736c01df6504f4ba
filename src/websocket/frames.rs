//! Reading a client's frames into messages, and writing the server's frames.
//!
//! actix-http's `Parser` decodes one frame (masking, reserved bits, control-frame rules). Around it this module
//! refuses an oversized message as soon as its header says so (the parser would first buffer the whole frame),
//! joins fragments, and checks text is UTF-8 — each failure carrying the close code RFC 6455 prescribes.

use actix_http::ws::{CloseCode, CloseReason, OpCode, Parser, ProtocolError};
use bytes::{Bytes, BytesMut};

/// Close codes the server sends (RFC 6455 §7.4.1).
pub mod code {
    pub const NORMAL: u16 = 1000;
    pub const GOING_AWAY: u16 = 1001;
    pub const PROTOCOL_ERROR: u16 = 1002;
    pub const NO_STATUS: u16 = 1005;
    pub const ABNORMAL: u16 = 1006;
    pub const INVALID_DATA: u16 = 1007;
    pub const TOO_BIG: u16 = 1009;
    pub const INTERNAL_ERROR: u16 = 1011;
    pub const SERVICE_RESTART: u16 = 1012;
}

/// What a client sent, once whole.
#[derive(Debug, PartialEq)]
pub enum Incoming {
    Text(String),
    Binary(Bytes),
    Ping(Bytes),
    Pong,
    /// The client's close code (1005 when it gave none) and reason.
    Close(u16, String),
}

/// Why the connection must fail: the close code and a short reason sent with it.
#[derive(Debug, PartialEq)]
pub struct Failure(pub u16, pub &'static str);

/// Frames from the client, buffered until whole and joined into messages.
pub struct FrameReader {
    buffer: BytesMut,
    /// A fragmented message being joined: whether it is text, and its bytes so far.
    partial: Option<(bool, BytesMut)>,
    max_message_size: usize,
}

impl FrameReader {
    pub fn new(max_message_size: usize) -> Self {
        Self {
            buffer: BytesMut::new(),
            partial: None,
            max_message_size,
        }
    }

    pub fn feed(&mut self, bytes: &[u8]) {
        self.buffer.extend_from_slice(bytes);
    }

    /// The next whole message in what was fed, if any.
    pub fn next_message(&mut self) -> Result<Option<Incoming>, Failure> {
        loop {
            self.refuse_oversized()?;
            let parsed =
                Parser::parse(&mut self.buffer, true, self.max_message_size).map_err(failure_of)?;
            let Some((fin, opcode, payload)) = parsed else {
                return Ok(None);
            };
            let payload = payload.map(BytesMut::freeze).unwrap_or_default();
            if let Some(message) = self.take(fin, opcode, payload)? {
                return Ok(Some(message));
            }
        }
    }

    /// Fail on a data frame whose declared length would take the message over the limit, before its payload
    /// arrives.
    fn refuse_oversized(&self) -> Result<(), Failure> {
        let Some(length) = declared_length(&self.buffer) else {
            return Ok(());
        };
        let opcode = self.buffer[0] & 0x0F;
        let joined = match (&self.partial, opcode) {
            (Some((_, so_far)), 0) => so_far.len() as u64,
            _ => 0,
        };
        if opcode < 8 && joined.saturating_add(length) > self.max_message_size as u64 {
            return Err(Failure(code::TOO_BIG, "message too big"));
        }
        Ok(())
    }

    fn take(
        &mut self,
        fin: bool,
        opcode: OpCode,
        payload: Bytes,
    ) -> Result<Option<Incoming>, Failure> {
        let protocol = |reason| Err(Failure(code::PROTOCOL_ERROR, reason));
        match opcode {
            OpCode::Ping | OpCode::Pong | OpCode::Close if !fin => {
                protocol("a fragmented control frame")
            }
            OpCode::Ping => Ok(Some(Incoming::Ping(payload))),
            OpCode::Pong => Ok(Some(Incoming::Pong)),
            OpCode::Close => match Parser::try_parse_close_payload(&payload) {
                Ok(None) => Ok(Some(Incoming::Close(code::NO_STATUS, String::new()))),
                Ok(Some(reason)) => Ok(Some(Incoming::Close(
                    reason.code.into(),
                    reason.description.unwrap_or_default(),
                ))),
                Err(_) => protocol("invalid close frame"),
            },
            OpCode::Text | OpCode::Binary if self.partial.is_some() => {
                protocol("a new message began inside a fragmented one")
            }
            OpCode::Text | OpCode::Binary if !fin => {
                self.partial = Some((opcode == OpCode::Text, BytesMut::from(&payload[..])));
                Ok(None)
            }
            OpCode::Text => text(payload).map(Some),
            OpCode::Binary => Ok(Some(Incoming::Binary(payload))),
            OpCode::Continue => {
                let Some((is_text, so_far)) = self.partial.as_mut() else {
                    return protocol("a continuation frame outside a fragmented message");
                };
                so_far.extend_from_slice(&payload);
                if !fin {
                    return Ok(None);
                }
                let is_text = *is_text;
                let whole = self
                    .partial
                    .take()
                    .map(|(_, b)| b.freeze())
                    .unwrap_or_default();
                if is_text {
                    text(whole).map(Some)
                } else {
                    Ok(Some(Incoming::Binary(whole)))
                }
            }
            OpCode::Bad => protocol("unknown opcode"),
        }
    }
}

fn text(payload: Bytes) -> Result<Incoming, Failure> {
    String::from_utf8(payload.into())
        .map(Incoming::Text)
        .map_err(|_| Failure(code::INVALID_DATA, "text message is not UTF-8"))
}

/// The payload length a frame header declares, once enough of the header is buffered.
fn declared_length(buffer: &[u8]) -> Option<u64> {
    let short = *buffer.get(1)? & 0x7F;
    match short {
        126 => Some(u64::from(u16::from_be_bytes(
            buffer.get(2..4)?.try_into().ok()?,
        ))),
        127 => Some(u64::from_be_bytes(buffer.get(2..10)?.try_into().ok()?)),
        n => Some(u64::from(n)),
    }
}

fn failure_of(error: ProtocolError) -> Failure {
    match error {
        ProtocolError::Overflow => Failure(code::TOO_BIG, "message too big"),
        ProtocolError::UnmaskedFrame => Failure(code::PROTOCOL_ERROR, "unmasked frame"),
        ProtocolError::InvalidLength(_) => Failure(code::PROTOCOL_ERROR, "control frame too long"),
        ProtocolError::InvalidOpcode(_) | ProtocolError::BadOpCode => {
            Failure(code::PROTOCOL_ERROR, "unknown opcode")
        }
        _ => Failure(code::PROTOCOL_ERROR, "protocol error"),
    }
}

/// A server frame (never masked).
pub fn encode(opcode: OpCode, payload: &[u8]) -> Bytes {
    let mut out = BytesMut::with_capacity(payload.len() + 10);
    Parser::write_message(&mut out, payload, opcode, true, false);
    out.freeze()
}

pub fn encode_close(code: u16, reason: &str) -> Bytes {
    let mut out = BytesMut::with_capacity(reason.len() + 4);
    let reason = CloseReason {
        code: CloseCode::from(code),
        description: (!reason.is_empty()).then(|| reason.to_string()),
    };
    Parser::write_close(&mut out, Some(reason), false);
    out.freeze()
}

/// Close codes a peer may send (RFC 6455 §7.4): the ones defined for use, and the registered and private ranges.
pub fn valid_close_code(code: u16) -> bool {
    matches!(code, 1000..=1003 | 1007..=1014 | 3000..=4999)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client_frame(first: u8, payload: &[u8]) -> Vec<u8> {
        let mut out = BytesMut::new();
        let opcode = OpCode::from(first & 0x0F);
        Parser::write_message(&mut out, payload, opcode, first & 0x80 != 0, true);
        out.to_vec()
    }

    fn read(frames: &[Vec<u8>], max: usize) -> Vec<Result<Option<Incoming>, Failure>> {
        let mut reader = FrameReader::new(max);
        let mut out = Vec::new();
        for frame in frames {
            reader.feed(frame);
            out.push(reader.next_message());
        }
        out
    }

    #[test]
    fn joins_fragments_and_checks_text() {
        let got = read(
            &[
                client_frame(0x01, b"hel"),
                client_frame(0x89, b"p"),
                client_frame(0x80, b"lo"),
            ],
            100,
        );
        assert_eq!(got[0], Ok(None));
        assert_eq!(got[1], Ok(Some(Incoming::Ping(Bytes::from_static(b"p")))));
        assert_eq!(got[2], Ok(Some(Incoming::Text("hello".into()))));
        let bad = read(&[client_frame(0x81, &[0xff, 0xfe])], 100);
        assert_eq!(
            bad[0],
            Err(Failure(code::INVALID_DATA, "text message is not UTF-8"))
        );
    }

    #[test]
    fn refuses_oversized_messages_from_the_header() {
        let mut reader = FrameReader::new(10);
        // A 64-bit length of 1 GiB: refused with only the header in.
        reader.feed(&[0x82, 0xFF, 0, 0, 0, 0, 0x40, 0, 0, 0]);
        assert_eq!(
            reader.next_message(),
            Err(Failure(code::TOO_BIG, "message too big"))
        );
        let got = read(
            &[client_frame(0x02, b"123456"), client_frame(0x80, b"789012")],
            10,
        );
        assert_eq!(got[1], Err(Failure(code::TOO_BIG, "message too big")));
    }

    #[test]
    fn protocol_violations_fail_with_1002() {
        let unmasked = vec![0x81, 0x01, b'a'];
        assert_eq!(
            read(&[unmasked], 10)[0].as_ref().unwrap_err().0,
            code::PROTOCOL_ERROR
        );
        let stray = client_frame(0x80, b"x");
        assert_eq!(
            read(&[stray], 10)[0].as_ref().unwrap_err().0,
            code::PROTOCOL_ERROR
        );
        let bad_close = client_frame(0x88, &[0x03, 0xED]); // 1005 may not be sent
        assert_eq!(
            read(&[bad_close], 10)[0].as_ref().unwrap_err().0,
            code::PROTOCOL_ERROR
        );
        let close = client_frame(0x88, &[0x03, 0xE8, b'b', b'y', b'e']);
        assert_eq!(
            read(&[close], 10)[0],
            Ok(Some(Incoming::Close(1000, "bye".into())))
        );
    }
}
