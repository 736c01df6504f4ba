//! The syntax of what a connection sends: a request head (and the framing it names), a chunk-size line, a
//! trailer field, a request target.

use super::{refusal, FramingRules, Refusal, Stage};

/// `1*HEXDIG [ BWS ";" extensions ]`, as RFC 9112 §7.1 (extensions are passed on unread).
pub(super) fn chunk_size(line: &[u8]) -> Result<u64, Refusal> {
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
pub(super) fn check_trailer(line: &[u8]) -> Result<(), Refusal> {
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
pub(super) fn check_head(
    head: &[u8],
    rules: &FramingRules,
) -> Result<(Option<Vec<u8>>, Stage), Refusal> {
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
