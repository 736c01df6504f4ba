//! The `contextvars.Context` each request runs in, and what it costs (`measure_request_context`).

use pyo3::ffi;
use pyo3::prelude::*;

use super::WorkerLoop;
use crate::request::RawRequest;

/// The `contextvars.Context` one request runs in: a copy of the worker's base context on the server, of the
/// caller's current context under the test transport. Changes made in it never flow anywhere else.
/// Dropping it ends the request: the sync bridge thread it leased, if any, is released.
pub struct RequestContext {
    context: Py<PyAny>,
    request: Py<RawRequest>,
}

impl RequestContext {
    pub fn new(py: Python<'_>, worker: &WorkerLoop, request: Py<RawRequest>) -> PyResult<Self> {
        Self::copy_of(py, worker.base_context.as_ref(), request)
    }

    /// A copy of `base`, or of the thread's current context without one.
    fn copy_of(
        py: Python<'_>,
        base: Option<&Py<PyAny>>,
        request: Py<RawRequest>,
    ) -> PyResult<Self> {
        // SAFETY: C-API calls with the GIL held; both return a new reference, or NULL with an exception set.
        let copied = unsafe {
            match base {
                Some(base) => ffi::PyContext_Copy(base.as_ptr()),
                None => ffi::PyContext_CopyCurrent(),
            }
        };
        Ok(Self {
            context: unsafe { Bound::from_owned_ptr_or_err(py, copied)? }.unbind(),
            request,
        })
    }

    /// Run `f` with this context as the thread's current one.
    pub fn run<T>(&self, py: Python<'_>, f: impl FnOnce() -> PyResult<T>) -> PyResult<T> {
        run_in(py, &self.context, f)
    }

    /// Set `var` (a ContextVar) to `value` in this context; call inside `run`.
    pub(super) fn set(py: Python<'_>, var: &Py<PyAny>, value: &Bound<'_, PyAny>) -> PyResult<()> {
        // SAFETY: `var` is a ContextVar; Set returns a new reference to a Token, or NULL with an exception set.
        unsafe {
            Bound::from_owned_ptr_or_err(py, ffi::PyContextVar_Set(var.as_ptr(), value.as_ptr()))
        }
        .map(drop)
    }

    pub fn object(&self) -> &Py<PyAny> {
        &self.context
    }

    /// Release the sync bridge thread leased so far, keeping the request open: a WebSocket leases one per
    /// message (and for `connect`), not for the connection's whole life, which would starve the bridge.
    pub fn release_lease(&self) {
        if let Some(lease) = self.request.get().take_sync_lease() {
            Python::attach(|py| {
                if let Err(error) = lease.call_method0(py, pyo3::intern!(py, "release")) {
                    error.print(py);
                }
            });
        }
    }
}

impl Drop for RequestContext {
    fn drop(&mut self) {
        if let Some(lease) = self.request.get().close_sync_lease() {
            Python::attach(|py| {
                if let Err(error) = lease.call_method0(py, pyo3::intern!(py, "release")) {
                    error.print(py);
                }
            });
        }
    }
}

/// Run `f` with `context` (a `contextvars.Context`) as the thread's current one.
pub(crate) fn run_in<T>(
    py: Python<'_>,
    context: &Py<PyAny>,
    f: impl FnOnce() -> PyResult<T>,
) -> PyResult<T> {
    // SAFETY: `context` is a live Context; Enter fails (with an exception) if it is already entered.
    if unsafe { ffi::PyContext_Enter(context.as_ptr()) } != 0 {
        return Err(PyErr::fetch(py));
    }
    let result = f();
    // SAFETY: the context entered above; Exit fails only if Python code left another context current.
    if unsafe { ffi::PyContext_Exit(context.as_ptr()) } != 0 {
        return Err(PyErr::fetch(py));
    }
    result
}

/// For `bench/context_bench.py`: the per-request context work the engine does — copy the base context, enter
/// it, set `current_request`, leave it, close the lease slot — timed over `iterations`; nanoseconds per request.
#[pyfunction]
pub fn measure_request_context(py: Python<'_>, iterations: u32) -> PyResult<f64> {
    let current_request = py
        .import("django_bolt._runtime")?
        .getattr("current_request")?
        .unbind();
    // SAFETY: C-API call with the GIL held; a new reference or NULL with an exception set.
    let base = unsafe { Bound::from_owned_ptr_or_err(py, ffi::PyContext_CopyCurrent())? }.unbind();
    let request = Py::new(
        py,
        RawRequest::new(crate::request::RawRequestParts {
            method: "GET".into(),
            path: "/".into(),
            query_string: String::new(),
            headers: Vec::new(),
            body: bytes::Bytes::new(),
            params: Vec::new(),
            client: None,
            server: ("127.0.0.1".into(), 8000),
            attributes: None,
        }),
    )?;
    let started = std::time::Instant::now();
    for _ in 0..iterations {
        let context = RequestContext::copy_of(py, Some(&base), request.clone_ref(py))?;
        context.run(py, || {
            RequestContext::set(py, &current_request, request.bind(py).as_any())
        })?;
    }
    Ok(started.elapsed().as_nanos() as f64 / f64::from(iterations.max(1)))
}
