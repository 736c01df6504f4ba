//! Typed configuration, built once in Python and handed to the engine.

use pyo3::prelude::*;

/// Limits the engine enforces before any Python runs.
#[pyclass(module = "django_bolt._engine", frozen, get_all, from_py_object)]
#[derive(Clone, Debug)]
pub struct Limits {
    /// Largest request body in bytes (413 above it).
    pub max_body_size: usize,
    /// Most request headers (431 above it).
    pub max_header_count: usize,
    /// Largest total of header names and values in bytes (431 above it).
    pub max_header_size: usize,
    /// Longest request target (path and query) in bytes (414 above it).
    pub max_uri_length: usize,
    /// Seconds allowed to receive the whole body once the headers are in (408 after it).
    pub body_timeout_secs: f64,
}

#[pymethods]
impl Limits {
    #[new]
    #[pyo3(signature = (
        max_body_size = 2_621_440,
        max_header_count = 64,
        max_header_size = 16_384,
        max_uri_length = 8_192,
        body_timeout_secs = 30.0,
    ))]
    fn new(
        max_body_size: usize,
        max_header_count: usize,
        max_header_size: usize,
        max_uri_length: usize,
        body_timeout_secs: f64,
    ) -> PyResult<Self> {
        if body_timeout_secs <= 0.0 {
            return Err(pyo3::exceptions::PyValueError::new_err(
                "body_timeout_secs must be positive",
            ));
        }
        Ok(Self {
            max_body_size,
            max_header_count,
            max_header_size,
            max_uri_length,
            body_timeout_secs,
        })
    }

    fn __repr__(&self) -> String {
        format!("{self:?}")
    }
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_body_size: 2_621_440,
            max_header_count: 64,
            max_header_size: 16_384,
            max_uri_length: 8_192,
            body_timeout_secs: 30.0,
        }
    }
}

/// How the server listens, how many workers it runs and how long it waits.
#[pyclass(module = "django_bolt._engine", frozen, get_all, from_py_object)]
#[derive(Clone, Debug)]
pub struct ServerConfig {
    pub host: String,
    pub port: u16,
    /// Worker threads in this process; each owns its connections and its Python thread state.
    pub workers: usize,
    pub backlog: u32,
    /// Share the port with sibling processes (SO_REUSEPORT).
    pub reuse_port: bool,
    pub keep_alive_secs: f64,
    /// Time allowed for a client to send the request head (slowloris guard).
    pub client_request_timeout_secs: f64,
    pub client_disconnect_timeout_secs: f64,
    /// On a graceful stop, how long in-flight requests may take before connections are dropped.
    pub shutdown_timeout_secs: u64,
    /// Stop gracefully after this many requests (0 = never); a supervisor starts a fresh process.
    pub max_requests: u64,
    /// None, "plain" or "json".
    pub access_log: Option<String>,
    /// A listening socket inherited from the supervisor (shared by every child: a child that stops accepting
    /// leaves queued connections to the others); None binds `host:port` itself.
    pub listen_fd: Option<i32>,
    /// With `max_requests`: instead of stopping, write "<pid> served <n> requests" to this pipe once (the
    /// supervisor then starts a successor first and asks this process to drain).
    pub recycle_fd: Option<i32>,
    /// Serve Prometheus metrics at this path (None: no metrics are kept).
    pub metrics_path: Option<String>,
    /// The directory every process of the server keeps its metrics file in (required with `metrics_path`).
    pub metrics_dir: Option<String>,
}

#[pymethods]
impl ServerConfig {
    #[new]
    #[pyo3(signature = (
        host = "127.0.0.1".to_string(),
        port = 8000,
        workers = 1,
        backlog = 1024,
        reuse_port = false,
        keep_alive_secs = 5.0,
        client_request_timeout_secs = 5.0,
        client_disconnect_timeout_secs = 1.0,
        shutdown_timeout_secs = 30,
        max_requests = 0,
        access_log = None,
        listen_fd = None,
        recycle_fd = None,
        metrics_path = None,
        metrics_dir = None,
    ))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        host: String,
        port: u16,
        workers: usize,
        backlog: u32,
        reuse_port: bool,
        keep_alive_secs: f64,
        client_request_timeout_secs: f64,
        client_disconnect_timeout_secs: f64,
        shutdown_timeout_secs: u64,
        max_requests: u64,
        access_log: Option<String>,
        listen_fd: Option<i32>,
        recycle_fd: Option<i32>,
        metrics_path: Option<String>,
        metrics_dir: Option<String>,
    ) -> PyResult<Self> {
        if workers == 0 {
            return Err(pyo3::exceptions::PyValueError::new_err(
                "workers must be at least 1",
            ));
        }
        if metrics_path.as_deref().is_some_and(|p| !p.starts_with('/'))
            || (metrics_path.is_some() && metrics_dir.is_none())
        {
            return Err(pyo3::exceptions::PyValueError::new_err(
                "metrics_path must start with '/' and needs metrics_dir",
            ));
        }
        if let Some(fmt) = access_log.as_deref() {
            if fmt != "plain" && fmt != "json" {
                return Err(pyo3::exceptions::PyValueError::new_err(
                    "access_log must be None, 'plain' or 'json'",
                ));
            }
        }
        Ok(Self {
            host,
            port,
            workers,
            backlog,
            reuse_port,
            keep_alive_secs,
            client_request_timeout_secs,
            client_disconnect_timeout_secs,
            shutdown_timeout_secs,
            max_requests,
            access_log,
            listen_fd,
            recycle_fd,
            metrics_path,
            metrics_dir,
        })
    }

    fn __repr__(&self) -> String {
        format!("{self:?}")
    }
}
