//! `GZipMiddleware` for Bolt routes, in Rust: gzip as Django does it (level 6, mtime 0, a random-length file
//! name against BREACH), or brotli when the client accepts it.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::io::Write;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::http::header::{HeaderValue, ACCEPT_ENCODING, CONTENT_ENCODING, ETAG};
use actix_web::{HttpRequest, HttpResponse};
use bytes::Bytes;

use crate::protections::patch_vary;

/// Django leaves bodies shorter than this uncompressed.
const MIN_SIZE: usize = 200;
/// Django's `GZipMiddleware.max_random_bytes`.
const MAX_RANDOM_BYTES: u64 = 100;

#[derive(Clone, Copy, PartialEq)]
enum Coding {
    Brotli,
    Gzip,
}

fn accepted(req: &HttpRequest) -> Option<Coding> {
    let header = req.headers().get(ACCEPT_ENCODING)?.to_str().ok()?;
    let tokens = || {
        header.split(',').filter_map(|part| {
            let mut pieces = part.split(';');
            let name = pieces.next()?.trim();
            let refused = pieces.any(|p| p.trim().replace(' ', "") == "q=0");
            (!refused).then_some(name)
        })
    };
    if tokens().any(|t| t.eq_ignore_ascii_case("br")) {
        Some(Coding::Brotli)
    } else if tokens().any(|t| t.eq_ignore_ascii_case("gzip")) {
        Some(Coding::Gzip)
    } else {
        None
    }
}

fn random_name() -> Vec<u8> {
    let mut hasher = RandomState::new().build_hasher();
    hasher.write_u8(0);
    let mut state = hasher.finish();
    let length = 1 + state % MAX_RANDOM_BYTES;
    (0..length)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"[(state % 52) as usize]
        })
        .collect()
}

fn compress(data: &[u8], coding: Coding) -> Option<Vec<u8>> {
    match coding {
        Coding::Gzip => {
            let mut encoder = flate2::GzBuilder::new()
                .mtime(0)
                .filename(random_name())
                .write(Vec::new(), flate2::Compression::new(6));
            encoder.write_all(data).ok()?;
            encoder.finish().ok()
        }
        Coding::Brotli => {
            let mut out = Vec::new();
            let mut writer = brotli::CompressorWriter::new(&mut out, 4096, 5, 22);
            writer.write_all(data).ok()?;
            drop(writer);
            Some(out)
        }
    }
}

/// Compress a complete response body as `GZipMiddleware` would (streamed bodies are left alone).
pub fn compress_response(req: &HttpRequest, response: HttpResponse) -> HttpResponse {
    if response.headers().contains_key(CONTENT_ENCODING) {
        return response;
    }
    let (mut head, body) = response.into_parts();
    let bytes: Bytes = match body.try_into_bytes() {
        Ok(bytes) => bytes,
        Err(body) => return head.set_body(body),
    };
    if bytes.len() < MIN_SIZE {
        return head.set_body(BoxBody::new(bytes));
    }
    patch_vary(&mut head, "Accept-Encoding");
    let Some(coding) = accepted(req) else {
        return head.set_body(BoxBody::new(bytes));
    };
    let compressed = match compress(&bytes, coding) {
        Some(compressed) if compressed.len() < bytes.len() => compressed,
        _ => return head.set_body(BoxBody::new(bytes)),
    };
    let headers = head.headers_mut();
    if let Some(etag) = headers.get(ETAG).and_then(|v| v.to_str().ok()) {
        if etag.starts_with('"') {
            if let Ok(weak) = HeaderValue::from_str(&format!("W/{etag}")) {
                headers.insert(ETAG, weak);
            }
        }
    }
    let name = if coding == Coding::Gzip { "gzip" } else { "br" };
    headers.insert(CONTENT_ENCODING, HeaderValue::from_static(name));
    head.set_body(BoxBody::new(Bytes::from(compressed)))
}
