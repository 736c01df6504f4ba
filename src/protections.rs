//! Django's middleware protections for Bolt routes, applied in Rust from the same settings.
//!
//! Bolt routes do not run the Python middleware chain; this stage gives them what the listed Django middleware
//! would: Host validation against `ALLOWED_HOSTS` (CommonMiddleware asks for the host on every request),
//! `SecurityMiddleware`'s SSL redirect and headers, `XFrameOptionsMiddleware`'s header and `CommonMiddleware`'s
//! `APPEND_SLASH` redirect. Python builds a `Protections` once at start-up with only the parts whose middleware is
//! in `MIDDLEWARE`; requests that fall through to Django get all of this from Django itself.

use actix_web::http::header::{HeaderName, HeaderValue, HOST, LOCATION};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use regex::Regex;
use std::sync::OnceLock;

/// What `Protections.check` decided for a request, before routing.
pub enum Verdict {
    Pass,
    /// The Host is not allowed: Django answers (400, its own page and security log), or the engine's 400.
    BadHost,
    Respond(HttpResponse),
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
        let local = req.app_config().local_addr();
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

    /// Host check and SSL redirect, for a request a Bolt route will answer.
    pub fn check(&self, req: &HttpRequest) -> Verdict {
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
    static PATTERN: OnceLock<Regex> = OnceLock::new();
    let pattern = PATTERN.get_or_init(|| {
        Regex::new(r"^([a-z0-9.-]+|\[[a-f0-9]*:[a-f0-9.:]+\])(?::([0-9]+))?$")
            .expect("a valid pattern")
    });
    pattern
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
