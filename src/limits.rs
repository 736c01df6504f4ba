//! Request limits, enforced before any Python runs.

use std::time::Duration;

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use bytes::{Bytes, BytesMut};
use futures_util::StreamExt;

use crate::config::Limits;
use crate::response::json_error;

/// The answers' details, shared with the framing stage (which refuses the same excesses on the socket).
pub const URI_TOO_LONG: &str = "Request URI too long.";
pub const HEADERS_TOO_LARGE: &str = "Request header fields too large.";

/// What is wrong with a request's head, if anything.
pub fn check_head(req: &HttpRequest, limits: &Limits) -> Option<HttpResponse> {
    let target_len = req.uri().path_and_query().map_or(0, |pq| pq.as_str().len());
    if target_len > limits.max_uri_length {
        return Some(json_error(StatusCode::URI_TOO_LONG, URI_TOO_LONG));
    }
    let headers = req.headers();
    if headers.len() > limits.max_header_count {
        return Some(json_error(
            StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            HEADERS_TOO_LARGE,
        ));
    }
    let header_bytes: usize = headers
        .iter()
        .map(|(name, value)| name.as_str().len() + value.len())
        .sum();
    if header_bytes > limits.max_header_size {
        return Some(json_error(
            StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            HEADERS_TOO_LARGE,
        ));
    }
    if let Some(length) = req.headers().get(actix_web::http::header::CONTENT_LENGTH) {
        match length
            .to_str()
            .ok()
            .and_then(|text| text.trim().parse::<usize>().ok())
        {
            Some(length) if length > limits.max_body_size => return Some(too_large()),
            Some(_) => {}
            None => {
                return Some(json_error(
                    StatusCode::BAD_REQUEST,
                    "Invalid Content-Length header.",
                ))
            }
        }
    }
    None
}

fn too_large() -> HttpResponse {
    json_error(StatusCode::PAYLOAD_TOO_LARGE, "Request body too large.")
}

/// Read the whole body within the size limit and the body timeout.
pub async fn read_body(mut payload: web::Payload, limits: &Limits) -> Result<Bytes, HttpResponse> {
    let deadline = Duration::from_secs_f64(limits.body_timeout_secs);
    let read = async {
        let mut body = BytesMut::new();
        while let Some(chunk) = payload.next().await {
            let chunk = chunk
                .map_err(|_| json_error(StatusCode::BAD_REQUEST, "Malformed request body."))?;
            if body.len() + chunk.len() > limits.max_body_size {
                return Err(too_large());
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body.freeze())
    };
    match tokio::time::timeout(deadline, read).await {
        Ok(result) => result,
        Err(_) => Err(json_error(
            StatusCode::REQUEST_TIMEOUT,
            "Request body not received in time.",
        )),
    }
}
