//! Django's middleware protections for Bolt routes, applied in Rust from the same settings.
//!
//! Bolt routes do not run the Python middleware chain; this stage gives them what the listed Django middleware
//! would: Host validation against `ALLOWED_HOSTS` (CommonMiddleware asks for the host on every request),
//! `SecurityMiddleware`'s SSL redirect and headers, `XFrameOptionsMiddleware`'s header and `CommonMiddleware`'s
//! `APPEND_SLASH` redirect. Python builds a `Protections` once at start-up with only the parts whose middleware is
//! in `MIDDLEWARE`; requests that fall through to Django get all of this from Django itself.

use actix_web::http::header::{HeaderName, HeaderValue, HOST, LOCATION, VARY};
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use regex::Regex;

use crate::engine::Mode;
use std::sync::OnceLock;

/// What `Protections.check` decided for a request, before routing.
pub enum Verdict {
    Pass,
    /// The Host is not allowed: Django answers (400, its own page and security log), or the engine's 400.
    BadHost,
    Respond(HttpResponse),
    /// A CORS preflight answer, complete as it is.
    Preflight(HttpResponse),
}

#[pyclass(module = "django_bolt._engine", frozen, from_py_object)]
#[derive(Clone, Debug, Default)]
pub struct Protections {
    allowed_hosts: Option<Vec<String>>,
    use_x_forwarded_host: bool,
    /// `SECURE_PROXY_SSL_HEADER` as (lower-case header name, value).
    proxy_ssl_header: Option<(String, String)>,
    ssl_redirect: bool,
    ssl_host: Option<String>,
    redirect_exempt: Vec<Regex>,
    /// Set on responses that do not already have them.
    headers: Vec<(HeaderName, HeaderValue)>,
    /// `Strict-Transport-Security`, for secure requests only.
    hsts: Option<HeaderValue>,
    append_slash: bool,
    debug: bool,
    cors: Option<Cors>,
    /// `GZipMiddleware` listed: complete Bolt responses are compressed (`crate::compression`).
    gzip: bool,
}

/// django-cors-headers' settings (`CorsMiddleware` listed), read once.
#[pyclass(module = "django_bolt._engine", frozen, from_py_object)]
#[derive(Clone, Debug)]
pub struct Cors {
    urls: Regex,
    allow_all_origins: bool,
    /// `CORS_ALLOWED_ORIGINS` as (scheme, netloc), plus whether the literal "null" is listed.
    allowed_origins: Vec<(String, String)>,
    allow_null: bool,
    origin_regexes: Vec<Regex>,
    allow_credentials: bool,
    expose_headers: Option<HeaderValue>,
    allow_headers: HeaderValue,
    allow_methods: HeaderValue,
    max_age: Option<HeaderValue>,
    allow_private_network: bool,
}

#[pymethods]
impl Cors {
    #[new]
    #[pyo3(signature = (
        urls_regex, allow_all_origins, allowed_origins, origin_regexes, allow_credentials, expose_headers,
        allow_headers, allow_methods, max_age, allow_private_network,
    ))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        urls_regex: &str,
        allow_all_origins: bool,
        allowed_origins: Vec<String>,
        origin_regexes: Vec<String>,
        allow_credentials: bool,
        expose_headers: Vec<String>,
        allow_headers: Vec<String>,
        allow_methods: Vec<String>,
        max_age: u64,
        allow_private_network: bool,
    ) -> PyResult<Self> {
        // Python's re.match anchors at the start only.
        let anchored = |pattern: &str| {
            Regex::new(&format!("^(?:{pattern})")).map_err(|e| {
                PyValueError::new_err(format!("invalid CORS pattern {pattern:?}: {e}"))
            })
        };
        let header = |values: &[String]| {
            HeaderValue::from_str(&values.join(", "))
                .map_err(|_| PyValueError::new_err("invalid CORS header value"))
        };
        Ok(Self {
            urls: anchored(urls_regex)?,
            allow_all_origins,
            allow_null: allowed_origins.iter().any(|o| o == "null"),
            allowed_origins: allowed_origins
                .iter()
                .filter_map(|o| split_origin(o))
                .collect(),
            origin_regexes: origin_regexes
                .iter()
                .map(|p| anchored(p))
                .collect::<PyResult<_>>()?,
            allow_credentials,
            expose_headers: if expose_headers.is_empty() {
                None
            } else {
                Some(header(&expose_headers)?)
            },
            allow_headers: header(&allow_headers)?,
            allow_methods: header(&allow_methods)?,
            max_age: (max_age > 0).then(|| HeaderValue::from(max_age)),
            allow_private_network,
        })
    }
}

/// `urlsplit(origin)` reduced to what django-cors-headers compares: (scheme, netloc).
fn split_origin(origin: &str) -> Option<(String, String)> {
    let (scheme, rest) = origin.split_once("://")?;
    let netloc = rest.split(['/', '?', '#']).next().unwrap_or("");
    Some((scheme.to_ascii_lowercase(), netloc.to_string()))
}

impl Cors {
    fn enabled(&self, req: &HttpRequest) -> bool {
        self.urls.is_match(req.path())
    }

    /// A preflight (OPTIONS with Access-Control-Request-Method) on a CORS-enabled path: answered here.
    fn preflight(&self, req: &HttpRequest) -> Option<HttpResponse> {
        if req.method() != actix_web::http::Method::OPTIONS
            || !req.headers().contains_key("access-control-request-method")
            || !self.enabled(req)
        {
            return None;
        }
        let mut response = HttpResponse::Ok()
            .content_type("text/html; charset=utf-8")
            .finish();
        self.add_headers(req, &mut response);
        Some(response)
    }

    fn origin_allowed(&self, origin: &str) -> bool {
        (origin == "null" && self.allow_null)
            || split_origin(origin).is_some_and(|(scheme, netloc)| {
                self.allowed_origins
                    .iter()
                    .any(|(s, n)| *s == scheme && *n == netloc)
            })
            || self.origin_regexes.iter().any(|re| re.is_match(origin))
    }

    fn add_headers(&self, req: &HttpRequest, response: &mut HttpResponse) {
        if !self.enabled(req) {
            return;
        }
        patch_vary(response, "origin");
        let Some(origin) = req.headers().get("origin").and_then(|v| v.to_str().ok()) else {
            return;
        };
        if origin.is_empty() || (!self.allow_all_origins && !self.origin_allowed(origin)) {
            return;
        }
        let headers = response.headers_mut();
        let set = |headers: &mut actix_web::http::header::HeaderMap,
                   name: &'static str,
                   value: HeaderValue| {
            headers.insert(HeaderName::from_static(name), value);
        };
        if self.allow_all_origins && !self.allow_credentials {
            set(
                headers,
                "access-control-allow-origin",
                HeaderValue::from_static("*"),
            );
        } else if let Ok(value) = HeaderValue::from_str(origin) {
            set(headers, "access-control-allow-origin", value);
        }
        if self.allow_credentials {
            set(
                headers,
                "access-control-allow-credentials",
                HeaderValue::from_static("true"),
            );
        }
        if let Some(expose) = &self.expose_headers {
            set(headers, "access-control-expose-headers", expose.clone());
        }
        if req.method() == actix_web::http::Method::OPTIONS {
            set(
                headers,
                "access-control-allow-headers",
                self.allow_headers.clone(),
            );
            set(
                headers,
                "access-control-allow-methods",
                self.allow_methods.clone(),
            );
            if let Some(age) = &self.max_age {
                set(headers, "access-control-max-age", age.clone());
            }
        }
        if self.allow_private_network
            && req
                .headers()
                .get("access-control-request-private-network")
                .is_some_and(|v| v.as_bytes() == b"true")
        {
            set(
                headers,
                "access-control-allow-private-network",
                HeaderValue::from_static("true"),
            );
        }
    }
}

/// Django's `patch_vary_headers(response, (name,))`: add `name` to `Vary` unless it (or `*`) is there.
pub fn patch_vary<B>(response: &mut HttpResponse<B>, name: &str) {
    let headers = response.headers_mut();
    let value = match headers.get(VARY).and_then(|v| v.to_str().ok()) {
        None => name.to_string(),
        Some(vary) => {
            let parts: Vec<&str> = vary
                .split(',')
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .collect();
            if parts.contains(&"*") {
                "*".to_string()
            } else if parts.iter().any(|p| p.eq_ignore_ascii_case(name)) {
                return;
            } else {
                format!("{}, {name}", parts.join(", "))
            }
        }
    };
    if let Ok(value) = HeaderValue::from_str(&value) {
        headers.insert(VARY, value);
    }
}

#[pymethods]
impl Protections {
    #[new]
    #[pyo3(signature = (
        allowed_hosts = None,
        use_x_forwarded_host = false,
        proxy_ssl_header = None,
        ssl_redirect = false,
        ssl_host = None,
        redirect_exempt = Vec::new(),
        headers = Vec::new(),
        hsts = None,
        append_slash = false,
        debug = false,
        cors = None,
        gzip = false,
    ))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        allowed_hosts: Option<Vec<String>>,
        use_x_forwarded_host: bool,
        proxy_ssl_header: Option<(String, String)>,
        ssl_redirect: bool,
        ssl_host: Option<String>,
        redirect_exempt: Vec<String>,
        headers: Vec<(String, String)>,
        hsts: Option<String>,
        append_slash: bool,
        debug: bool,
        cors: Option<Cors>,
        gzip: bool,
    ) -> PyResult<Self> {
        let invalid = |what: &str| PyValueError::new_err(format!("invalid {what}"));
        Ok(Self {
            allowed_hosts: allowed_hosts
                .map(|hosts| hosts.iter().map(|h| h.to_ascii_lowercase()).collect()),
            use_x_forwarded_host,
            proxy_ssl_header: proxy_ssl_header
                .map(|(name, value)| (name.to_ascii_lowercase(), value)),
            ssl_redirect,
            ssl_host,
            redirect_exempt: redirect_exempt
                .iter()
                .map(|pattern| {
                    Regex::new(pattern).map_err(|_| invalid("SECURE_REDIRECT_EXEMPT pattern"))
                })
                .collect::<PyResult<_>>()?,
            headers: headers
                .into_iter()
                .map(|(name, value)| {
                    Ok((
                        HeaderName::from_bytes(name.as_bytes())
                            .map_err(|_| invalid("header name"))?,
                        HeaderValue::from_str(&value).map_err(|_| invalid("header value"))?,
                    ))
                })
                .collect::<PyResult<_>>()?,
            hsts: hsts
                .map(|value| HeaderValue::from_str(&value).map_err(|_| invalid("HSTS header")))
                .transpose()?,
            append_slash,
            debug,
            cors,
            gzip,
        })
    }

    fn __repr__(&self) -> String {
        format!("{self:?}")
    }
}

impl Protections {
    /// The host as Django's `request.get_host()` reads it (before validation).
    fn raw_host(&self, req: &HttpRequest) -> String {
        let header = |name: &str| {
            req.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        if self.use_x_forwarded_host {
            if let Some(forwarded) = header("x-forwarded-host") {
                return forwarded;
            }
        }
        if let Some(host) = req.headers().get(HOST).and_then(|v| v.to_str().ok()) {
            return host.to_string();
        }
        let local = req
            .app_data::<web::Data<Mode>>()
            .and_then(|mode| mode.local)
            .unwrap_or_else(|| req.app_config().local_addr());
        format!("{}:{}", local.ip(), local.port())
    }

    fn is_secure(&self, req: &HttpRequest) -> bool {
        match &self.proxy_ssl_header {
            Some((name, value)) => req
                .headers()
                .get(name.as_str())
                .and_then(|v| v.to_str().ok())
                .is_some_and(|found| found.split(',').next().map(str::trim) == Some(value)),
            None => false,
        }
    }

    /// Whether django-cors-headers would allow `origin` (a WebSocket handshake's Origin check).
    pub fn cors_allows(&self, origin: &str) -> bool {
        self.cors
            .as_ref()
            .is_some_and(|cors| cors.allow_all_origins || cors.origin_allowed(origin))
    }

    /// CORS preflight, Host check and SSL redirect, for a request a Bolt route will answer.
    pub fn check(&self, req: &HttpRequest) -> Verdict {
        // CorsMiddleware sits first in MIDDLEWARE (as django-cors-headers asks): its preflight answer comes
        // before any other middleware runs.
        if let Some(response) = self.cors.as_ref().and_then(|cors| cors.preflight(req)) {
            return Verdict::Preflight(response);
        }
        if let Some(allowed) = &self.allowed_hosts {
            if !host_allowed(&self.raw_host(req), allowed) {
                return Verdict::BadHost;
            }
        }
        if self.ssl_redirect && !self.is_secure(req) {
            let path = req.path().trim_start_matches('/');
            if !self.redirect_exempt.iter().any(|re| re.is_match(path)) {
                let host = self.ssl_host.clone().unwrap_or_else(|| self.raw_host(req));
                let location = format!("https://{host}{}", full_path(req));
                return Verdict::Respond(redirect(&location));
            }
        }
        Verdict::Pass
    }

    pub fn compresses(&self) -> bool {
        self.gzip
    }

    pub fn appends_slash(&self) -> bool {
        self.append_slash
    }

    /// `APPEND_SLASH`: the answer for a path no route matches while `path + "/"` would.
    pub fn append_slash(&self, req: &HttpRequest) -> Option<HttpResponse> {
        if !self.append_slash {
            return None;
        }
        let method = req.method().as_str();
        if self.debug && matches!(method, "POST" | "PUT" | "PATCH") {
            // Django raises RuntimeError here in DEBUG: a redirect would lose the body.
            let message = format!(
                "You called this URL via {method}, but the URL doesn't end in a slash and you have APPEND_SLASH \
                 set. Django can't redirect to the slash URL while maintaining {method} data. Change your form to \
                 point to {}/ (note the trailing slash), or set APPEND_SLASH=False in your Django settings.",
                req.path()
            );
            return Some(
                HttpResponse::InternalServerError()
                    .content_type("text/plain; charset=utf-8")
                    .body(message),
            );
        }
        let query = req.query_string();
        let location = if query.is_empty() {
            format!("{}/", req.path())
        } else {
            format!("{}/?{query}", req.path())
        };
        Some(redirect(&location))
    }

    /// The response headers the listed middleware add, where the response does not set them already.
    pub fn finish(&self, req: &HttpRequest, response: &mut HttpResponse) {
        if let Some(cors) = &self.cors {
            cors.add_headers(req, response);
        }
        let headers = response.headers_mut();
        for (name, value) in &self.headers {
            if !headers.contains_key(name) {
                headers.insert(name.clone(), value.clone());
            }
        }
        if let Some(hsts) = &self.hsts {
            if self.is_secure(req) && !headers.contains_key("strict-transport-security") {
                headers.insert(
                    HeaderName::from_static("strict-transport-security"),
                    hsts.clone(),
                );
            }
        }
    }
}

fn full_path(req: &HttpRequest) -> String {
    match req.query_string() {
        "" => req.path().to_string(),
        query => format!("{}?{query}", req.path()),
    }
}

/// Django's `HttpResponsePermanentRedirect`: 301, empty HTML body.
fn redirect(location: &str) -> HttpResponse {
    let mut response = HttpResponse::build(StatusCode::MOVED_PERMANENTLY)
        .content_type("text/html; charset=utf-8")
        .finish();
    if let Ok(value) = HeaderValue::from_str(location) {
        response.headers_mut().insert(LOCATION, value);
    }
    response
}

/// Django's `split_domain_port` + `validate_host`.
pub fn host_allowed(host: &str, allowed: &[String]) -> bool {
    let host = host.to_ascii_lowercase();
    let Some(domain) = domain_of(&host) else {
        return false;
    };
    let domain = domain.strip_suffix('.').unwrap_or(domain);
    allowed.iter().any(|pattern| {
        pattern == "*"
            || pattern == domain
            || (pattern.starts_with('.')
                && (domain.ends_with(pattern.as_str()) || domain == &pattern[1..]))
    })
}

/// The domain of a `host[:port]` that matches Django's `host_validation_re`, else None.
fn domain_of(host: &str) -> Option<&str> {
    static PATTERN: OnceLock<Option<Regex>> = OnceLock::new();
    let pattern = PATTERN.get_or_init(|| {
        Regex::new(r"^([a-z0-9.-]+|\[[a-f0-9]*:[a-f0-9.:]+\])(?::([0-9]+))?$").ok()
    });
    // The pattern is a constant, so it compiles; were it not to, no host would validate (refused, no panic).
    pattern
        .as_ref()?
        .captures(host)
        .and_then(|found| found.get(1))
        .map(|m| m.as_str())
}

#[cfg(test)]
mod tests {
    use super::host_allowed;

    fn hosts(list: &[&str]) -> Vec<String> {
        list.iter().map(|h| h.to_string()).collect()
    }

    #[test]
    fn validates_hosts_as_django_does() {
        let allowed = hosts(&["example.com", ".sub.example.org", "[::1]"]);
        for good in [
            "example.com",
            "EXAMPLE.com:8000",
            "example.com.",
            "a.sub.example.org",
            "sub.example.org",
            "[::1]:80",
        ] {
            assert!(host_allowed(good, &allowed), "{good}");
        }
        for bad in [
            "evil.example",
            "example.com:80:80",
            "example.com:x",
            "exa mple.com",
            "",
            "[::1",
            "xsub.example.org",
            "example.com@evil",
        ] {
            assert!(!host_allowed(bad, &allowed), "{bad}");
        }
        assert!(host_allowed("anything.test", &hosts(&["*"])));
        assert!(!host_allowed("bad host", &hosts(&["*"])));
    }
}
