//! `RawRequest`: what Rust parsed, handed to Python. Python objects are built only when asked for.

use std::net::SocketAddr;
use std::sync::{Mutex, OnceLock};

use bytes::Bytes;
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyInt, PyList, PyString, PyTuple};

use crate::routes::ParamValue;

#[pyclass(module = "django_bolt._engine", frozen)]
pub struct RawRequest {
    method: String,
    path: String,
    query_string: String,
    /// Lower-case names, latin-1 decoded values, in arrival order.
    headers: Vec<(String, String)>,
    body: Bytes,
    params: Vec<(String, ParamValue)>,
    client: Option<SocketAddr>,
    server: (String, u16),
    headers_dict: OnceLock<Py<PyDict>>,
    body_bytes: OnceLock<Py<PyBytes>>,
    sync_lease: Mutex<LeaseSlot>,
    attributes: Option<Py<PyDict>>,
}

/// The sync bridge thread a request holds for its thread-sensitive work (see `django_bolt.sync`).
enum LeaseSlot {
    Open,
    Held(Py<PyAny>),
    /// The request has finished: later work (a task it left running) gets no lease of its own.
    Closed,
}

pub struct RawRequestParts {
    pub method: String,
    pub path: String,
    pub query_string: String,
    pub headers: Vec<(String, String)>,
    pub body: Bytes,
    pub params: Vec<(String, ParamValue)>,
    pub client: Option<SocketAddr>,
    pub server: (String, u16),
    /// Set by the test transport only.
    pub attributes: Option<Py<PyDict>>,
}

impl RawRequest {
    pub fn new(parts: RawRequestParts) -> Self {
        Self {
            method: parts.method,
            path: parts.path,
            query_string: parts.query_string,
            headers: parts.headers,
            body: parts.body,
            params: parts.params,
            client: parts.client,
            server: parts.server,
            headers_dict: OnceLock::new(),
            body_bytes: OnceLock::new(),
            sync_lease: Mutex::new(LeaseSlot::Open),
            attributes: parts.attributes,
        }
    }

    /// One unit of a long-lived request is over (a WebSocket message handled): return the lease it held, for
    /// release, and leave the slot open so the next unit leases a thread of its own.
    pub fn take_sync_lease(&self) -> Option<Py<PyAny>> {
        let mut slot = self.sync_lease.lock().unwrap_or_else(|p| p.into_inner());
        if !matches!(*slot, LeaseSlot::Held(_)) {
            return None;
        }
        match std::mem::replace(&mut *slot, LeaseSlot::Open) {
            LeaseSlot::Held(lease) => Some(lease),
            _ => None,
        }
    }

    /// The request is over: close the lease slot and return the lease it held, for release.
    pub fn close_sync_lease(&self) -> Option<Py<PyAny>> {
        let mut slot = self.sync_lease.lock().unwrap_or_else(|p| p.into_inner());
        match std::mem::replace(&mut *slot, LeaseSlot::Closed) {
            LeaseSlot::Held(lease) => Some(lease),
            _ => None,
        }
    }
}

/// HTTP header bytes are latin-1 for Python, as in WSGI.
pub fn latin1(bytes: &[u8]) -> String {
    bytes.iter().map(|&b| b as char).collect()
}

#[pymethods]
impl RawRequest {
    #[getter]
    fn method<'py>(&self, py: Python<'py>) -> Bound<'py, PyString> {
        match self.method.as_str() {
            "GET" => intern!(py, "GET").clone(),
            "POST" => intern!(py, "POST").clone(),
            "PUT" => intern!(py, "PUT").clone(),
            "PATCH" => intern!(py, "PATCH").clone(),
            "DELETE" => intern!(py, "DELETE").clone(),
            "HEAD" => intern!(py, "HEAD").clone(),
            "OPTIONS" => intern!(py, "OPTIONS").clone(),
            other => PyString::new(py, other),
        }
    }

    #[getter]
    fn path(&self) -> &str {
        &self.path
    }

    #[getter]
    fn query_string(&self) -> &str {
        &self.query_string
    }

    /// Decoded `(name, value)` pairs of the query string, in order, repeats kept.
    fn query_items<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let list = PyList::empty(py);
        for (key, value) in form_urlencoded::parse(self.query_string.as_bytes()) {
            list.append(PyTuple::new(py, [key.as_ref(), value.as_ref()])?)?;
        }
        Ok(list)
    }

    /// Headers as a dict with lower-case names; repeated headers are joined with ", ".
    #[getter]
    fn headers<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        if let Some(dict) = self.headers_dict.get() {
            return Ok(dict.bind(py).clone());
        }
        let dict = PyDict::new(py);
        for (name, value) in &self.headers {
            match dict.get_item(name)? {
                Some(previous) => {
                    let joined = format!("{}, {}", previous.extract::<String>()?, value);
                    dict.set_item(name, joined)?;
                }
                None => dict.set_item(name, value)?,
            }
        }
        let _ = self.headers_dict.set(dict.clone().unbind());
        Ok(dict)
    }

    /// `(name, value)` pairs in arrival order, repeats kept, names lower-case.
    fn header_items(&self) -> Vec<(String, String)> {
        self.headers.clone()
    }

    /// One header by name (case-insensitive) without building the dict.
    fn header(&self, name: &str) -> Option<String> {
        let mut found: Option<String> = None;
        for (key, value) in &self.headers {
            if key.eq_ignore_ascii_case(name) {
                found = Some(match found {
                    Some(previous) => format!("{previous}, {value}"),
                    None => value.clone(),
                });
            }
        }
        found
    }

    #[getter]
    fn body<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        self.body_bytes
            .get_or_init(|| PyBytes::new(py, &self.body).unbind())
            .bind(py)
            .clone()
    }

    #[getter]
    fn path_params<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let dict = PyDict::new(py);
        for (name, value) in &self.params {
            match value {
                ParamValue::Str(text) => dict.set_item(name, text)?,
                ParamValue::Int(digits) => match digits.parse::<i64>() {
                    Ok(number) => dict.set_item(name, number)?,
                    // Beyond 64 bits: let Python parse it, as Django's int converter would.
                    Err(_) => dict.set_item(name, py.get_type::<PyInt>().call1((digits,))?)?,
                },
            }
        }
        Ok(dict)
    }

    #[getter]
    fn client(&self) -> Option<(String, u16)> {
        self.client.map(|addr| (addr.ip().to_string(), addr.port()))
    }

    #[getter]
    fn server(&self) -> (String, u16) {
        self.server.clone()
    }

    #[getter]
    fn scheme(&self) -> &'static str {
        "http"
    }

    /// Attributes the test client set for this request (to copy onto the request object), or None.
    #[getter]
    fn attributes(&self, py: Python<'_>) -> Option<Py<PyDict>> {
        self.attributes.as_ref().map(|dict| dict.clone_ref(py))
    }

    /// The sync bridge lease this request holds, if any.
    #[getter]
    fn sync_lease(&self, py: Python<'_>) -> Option<Py<PyAny>> {
        match &*self.sync_lease.lock().unwrap_or_else(|p| p.into_inner()) {
            LeaseSlot::Held(lease) => Some(lease.clone_ref(py)),
            _ => None,
        }
    }

    /// Record `lease` as this request's; False if the request already finished (the lease is not kept).
    fn hold_sync_lease(&self, lease: Py<PyAny>) -> bool {
        let mut slot = self.sync_lease.lock().unwrap_or_else(|p| p.into_inner());
        if matches!(*slot, LeaseSlot::Open) {
            *slot = LeaseSlot::Held(lease);
            true
        } else {
            false
        }
    }

    fn __repr__(&self) -> String {
        format!("<RawRequest {} {}>", self.method, self.path)
    }
}
