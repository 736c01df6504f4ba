//! Calling Python: the per-thread Python state, inline coroutines and the worker's own event loop.
//!
//! A handler's coroutine is stepped right here with `PyIter_Send`; most finish on the first step. One that really
//! suspends becomes a task on an asyncio loop that belongs to this same thread. That loop never runs
//! `run_forever`: tokio drives it, waking on its selector's file descriptor, its timers, or new ready callbacks,
//! and calling one non-blocking `_run_once` each time. Nothing crosses threads per request, except a call sent to
//! the sync bridge: while the engine still steps the coroutine itself, it waits for that call's `SyncHop` and sends
//! the result in (`hops`), with no task on the loop.
//!
//! Every request runs in a `contextvars.Context` of its own (`RequestContext`), both while it is stepped inline
//! and when it continues as a task, so nothing one request sets (a `ContextVar`, an asgiref `Local`, Django's
//! active translation) is seen by another.

use std::cell::{Cell, RefCell};
use std::os::fd::{AsRawFd, RawFd};
use std::rc::Rc;
use std::sync::Mutex;
use std::time::Duration;

use pyo3::exceptions::PyRuntimeError;
use pyo3::ffi;
use pyo3::prelude::*;
use tokio::io::unix::AsyncFd;
use tokio::io::Interest;
use tokio::sync::{oneshot, Notify};

use crate::request::RawRequest;
use crate::sync_hop::SyncHop;

pub mod context;
mod hops;

pub(crate) use context::run_in;
pub use context::RequestContext;

/// The Python helpers the engine calls (`django_bolt._runtime`), looked up once.
pub struct Runtime {
    pub new_worker_loop: Py<PyAny>,
    pub step: Py<PyAny>,
    pub resume: Py<PyAny>,
    pub set_running_loop: Py<PyAny>,
    pub get_running_loop: Py<PyAny>,
    pub report_exception: Py<PyAny>,
    /// `django_bolt._runtime.current_request`: the ContextVar holding the request being served.
    pub current_request: Py<PyAny>,
    /// `django_bolt._runtime.pump(iterator, sink)`: produces an async streamed body.
    pub pump: Py<PyAny>,
    /// `django_bolt._runtime.settle(future, outcome)`: gives an asyncio future a `SyncHop`'s outcome.
    pub settle: Py<PyAny>,
    /// `django_bolt._runtime.NoMatch`: a handler declining its route (a path converter refused the path).
    pub no_match: Py<PyAny>,
}

impl Runtime {
    pub fn load(module: &Bound<'_, PyAny>) -> PyResult<Self> {
        let events = module.py().import("asyncio.events")?;
        Ok(Self {
            new_worker_loop: module.getattr("new_worker_loop")?.unbind(),
            step: module.getattr("step")?.unbind(),
            resume: module.getattr("resume")?.unbind(),
            set_running_loop: events.getattr("_set_running_loop")?.unbind(),
            get_running_loop: events.getattr("_get_running_loop")?.unbind(),
            report_exception: module.getattr("report_exception")?.unbind(),
            current_request: module.getattr("current_request")?.unbind(),
            pump: module.getattr("pump")?.unbind(),
            settle: module.getattr("settle")?.unbind(),
            no_match: module.getattr("NoMatch")?.unbind(),
        })
    }
}

/// Keep a Python thread state on this thread for its whole life, so later GIL acquisitions are cheap.
pub fn keep_thread_state() {
    // SAFETY: plain CPython C-API calls; the interpreter is initialised (we were imported by it).
    unsafe {
        if ffi::PyGILState_GetThisThreadState().is_null() {
            ffi::PyGILState_Ensure();
            // Release the GIL but leave the thread state (and its gilstate counter of 1) in place.
            ffi::PyEval_SaveThread();
        }
    }
}

/// One asyncio loop per thread, driven from tokio on that thread.
pub struct WorkerLoop {
    event_loop: Py<PyAny>,
    /// `loop._ready`: a non-empty deque means callbacks wait to run.
    ready: Py<PyAny>,
    fd: RawFd,
    notify: Notify,
    driver_started: Cell<bool>,
    in_flight: Cell<usize>,
    /// Server workers mark their loop as running for the thread's life; the test transport only per request.
    pinned: bool,
    /// Server workers: the context taken when the worker started, copied for each request. The test transport
    /// has none: each request copies the calling test's context instead.
    base_context: Option<Py<PyAny>>,
}

thread_local! {
    static WORKER_LOOP: RefCell<Option<Rc<WorkerLoop>>> = const { RefCell::new(None) };
}

impl WorkerLoop {
    fn create(py: Python<'_>, runtime: &Runtime, pinned: bool) -> PyResult<Rc<Self>> {
        let (event_loop, fd): (Py<PyAny>, RawFd) =
            runtime.new_worker_loop.call0(py)?.extract(py)?;
        let ready = event_loop.getattr(py, "_ready")?;
        let mut base_context = None;
        if pinned {
            runtime
                .set_running_loop
                .call1(py, (event_loop.clone_ref(py),))?;
            // SAFETY: plain C-API call with the GIL held; returns a new reference or NULL with an exception set.
            base_context = Some(unsafe {
                Bound::from_owned_ptr_or_err(py, ffi::PyContext_CopyCurrent())?.unbind()
            });
        }
        Ok(Rc::new(Self {
            event_loop,
            ready,
            fd,
            notify: Notify::new(),
            driver_started: Cell::new(false),
            in_flight: Cell::new(0),
            pinned,
            base_context,
        }))
    }

    /// This thread's loop, created on first use.
    pub fn current(py: Python<'_>, runtime: &Runtime, pinned: bool) -> PyResult<Rc<Self>> {
        WORKER_LOOP.with(|slot| {
            if let Some(existing) = slot.borrow().as_ref() {
                return Ok(existing.clone());
            }
            let created = Self::create(py, runtime, pinned)?;
            *slot.borrow_mut() = Some(created.clone());
            Ok(created)
        })
    }

    /// Mark the loop as this thread's running loop while `f` runs (unless it is pinned).
    pub fn entered<T>(
        &self,
        py: Python<'_>,
        runtime: &Runtime,
        f: impl FnOnce() -> PyResult<T>,
    ) -> PyResult<T> {
        if self.pinned {
            return f();
        }
        let previous = runtime.get_running_loop.call0(py)?;
        runtime
            .set_running_loop
            .call1(py, (self.event_loop.clone_ref(py),))?;
        let result = f();
        runtime.set_running_loop.call1(py, (previous,))?;
        result
    }

    fn has_ready_callbacks(&self, _py: Python<'_>) -> bool {
        // SAFETY: `ready` is a live deque owned by the loop, and the GIL is held (the token says so).
        unsafe { ffi::PyObject_Size(self.ready.as_ptr()) > 0 }
    }

    /// Run `awaitable` as a task on this loop, in `context` (else the current one); the driver runs it at its
    /// next step. Returns the task.
    pub fn schedule(
        &self,
        py: Python<'_>,
        awaitable: &Bound<'_, PyAny>,
        context: Option<&Py<PyAny>>,
    ) -> PyResult<Py<PyAny>> {
        let kwargs = pyo3::types::PyDict::new(py);
        if let Some(context) = context {
            kwargs.set_item(pyo3::intern!(py, "context"), context)?;
        }
        self.event_loop
            .bind(py)
            .call_method(
                pyo3::intern!(py, "create_task"),
                (awaitable,),
                Some(&kwargs),
            )
            .map(Bound::unbind)
    }

    /// Wake (or start) the driver when Python left callbacks ready to run (say, a fire-and-forget task).
    pub fn poke(self: &Rc<Self>, py: Python<'_>, runtime: &RuntimeRef) {
        if self.has_ready_callbacks(py) {
            self.ensure_driver(runtime);
            self.notify.notify_one();
        }
    }

    fn ensure_driver(self: &Rc<Self>, runtime_ref: &RuntimeRef) {
        if !self.driver_started.replace(true) {
            let this = self.clone();
            let runtime = runtime_ref.clone();
            tokio::task::spawn_local(async move { this.drive(runtime).await });
        }
    }

    async fn drive(self: Rc<Self>, runtime: RuntimeRef) {
        // SAFETY: the selector's fd belongs to `self.event_loop`, which this WorkerLoop keeps alive (and never
        // closes) for as long as this driver, and so the AsyncFd, exists.
        let watched =
            match unsafe { AsyncFd::register_with_interest(Fd(self.fd), Interest::READABLE) } {
                Ok(watched) => watched,
                Err(error) => {
                    eprintln!("django_bolt: cannot watch the event loop selector: {error}");
                    self.driver_started.set(false);
                    return;
                }
            };
        let mut timeout = Some(Duration::ZERO);
        loop {
            if timeout == Some(Duration::ZERO) {
                tokio::task::yield_now().await;
            } else {
                // Edge-triggered readiness can miss a level that stayed high: poll now and then while work waits.
                let cap = if self.in_flight.get() > 0 {
                    Duration::from_millis(5)
                } else {
                    Duration::from_millis(100)
                };
                let wait = timeout.map_or(cap, |t| t.min(cap));
                tokio::select! {
                    ready = watched.readable() => {
                        if let Ok(mut guard) = ready {
                            guard.clear_ready();
                        }
                    }
                    _ = self.notify.notified() => {}
                    _ = tokio::time::sleep(wait) => {}
                }
            }
            timeout = Python::attach(|py| {
                let result = self.entered(py, &runtime, || {
                    runtime
                        .step
                        .call1(py, (self.event_loop.clone_ref(py),))?
                        .extract::<f64>(py)
                });
                match result {
                    Ok(seconds) if seconds < 0.0 => None,
                    Ok(seconds) => Some(Duration::from_secs_f64(seconds)),
                    Err(error) => {
                        error.print(py);
                        Some(Duration::from_millis(10))
                    }
                }
            });
        }
    }
}

pub type RuntimeRef = std::sync::Arc<Runtime>;

struct Fd(RawFd);

impl AsRawFd for Fd {
    fn as_raw_fd(&self) -> RawFd {
        self.0
    }
}

/// Called by the task's done-callback (on this same thread) with the finished task.
#[pyclass(module = "django_bolt._engine", frozen)]
pub struct TaskDone {
    sender: Mutex<Option<oneshot::Sender<PyResult<Py<PyAny>>>>>,
}

#[pymethods]
impl TaskDone {
    fn __call__(&self, task: &Bound<'_, PyAny>) {
        let result = task.call_method0("result").map(Bound::unbind);
        if let Some(sender) = self.sender.lock().ok().and_then(|mut slot| slot.take()) {
            let _ = sender.send(result);
        }
    }
}

/// Resolve `future` (an asyncio Future waiting for room to write) unless it is done already (cancelled, say);
/// the caller pokes the worker loop afterwards, so its callbacks run.
pub fn resolve_future(future: &Bound<'_, PyAny>) {
    let py = future.py();
    let done = future
        .call_method0(pyo3::intern!(py, "done"))
        .and_then(|done| done.is_truthy())
        .unwrap_or(true);
    if !done {
        if let Err(error) = future.call_method1(pyo3::intern!(py, "set_result"), (py.None(),)) {
            error.print(py);
        }
    }
}

/// Where the result of a task on the worker loop arrives.
pub type TaskResult = oneshot::Receiver<PyResult<Py<PyAny>>>;

/// The result of starting a call: finished inline, or waiting on the worker loop.
pub enum Started {
    Done(Py<PyAny>),
    /// Suspended: the asyncio task now running it, and where its result arrives.
    Pending(TaskResult, Py<PyAny>),
    /// Suspended on the sync bridge: the engine's own task steps it on (`hops::drive`).
    Hopping(tokio::task::JoinHandle<PyResult<Py<PyAny>>>),
}

impl Started {
    /// The task running a suspended awaitable (to cancel it when nobody waits for its result any more).
    pub fn task(&self, py: Python<'_>) -> Option<Py<PyAny>> {
        match self {
            Started::Pending(_, task) => Some(task.clone_ref(py)),
            Started::Done(_) | Started::Hopping(_) => None,
        }
    }
}

/// Counts a task the worker loop runs for a request; uncounted when its result arrives or nobody waits any more.
struct InFlight<'a>(&'a WorkerLoop);

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0
            .in_flight
            .set(self.0.in_flight.get().saturating_sub(1));
    }
}

/// How a suspended call may continue.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Continue {
    /// Waiting on the sync bridge is done by the engine itself (`hops`); anything else on the worker loop.
    EngineHops,
    /// Always as a task on the worker loop (the caller may need to cancel it).
    AsTask,
}

/// Step an awaitable once; finish it inline if it never suspends, else hand it on (see `Continue`).
pub fn start_awaitable(
    py: Python<'_>,
    runtime: &RuntimeRef,
    worker: &Rc<WorkerLoop>,
    value: Bound<'_, PyAny>,
    context: &RequestContext,
    how: Continue,
) -> PyResult<Started> {
    // SAFETY: type checks on a live object.
    let is_coroutine = unsafe { ffi::PyCoro_CheckExact(value.as_ptr()) != 0 };
    let iterator = if is_coroutine {
        value
    } else if unsafe { ffi::PyTuple_Check(value.as_ptr()) != 0 } {
        return Ok(Started::Done(value.unbind()));
    } else if value.hasattr(pyo3::intern!(py, "__await__"))? {
        value.call_method0(pyo3::intern!(py, "__await__"))?
    } else {
        return Ok(Started::Done(value.unbind()));
    };
    match send_into(&iterator, &py.None().into_bound(py))? {
        Sent::Returned(value) => Ok(Started::Done(value.unbind())),
        Sent::Yielded(pending) => {
            let coroutine = iterator.unbind();
            let (pending, after_hop) = match pending.cast_into::<SyncHop>() {
                Ok(hop) if how == Continue::EngineHops => {
                    let driven = hops::drive(
                        coroutine,
                        hop.unbind(),
                        context.object().clone_ref(py),
                        worker.clone(),
                        runtime.clone(),
                    );
                    return Ok(Started::Hopping(tokio::task::spawn_local(driven)));
                }
                Ok(hop) => (
                    hop.get()
                        .to_future(py, &worker.event_loop, &runtime.settle)?,
                    true,
                ),
                Err(pending) => (pending.into_inner().unbind(), false),
            };
            let (receiver, task) = continue_as_task(
                py,
                runtime,
                worker,
                (coroutine, pending, after_hop),
                context.object(),
            )?;
            Ok(Started::Pending(receiver, task))
        }
    }
}

/// What a coroutine (or `__await__` iterator) did when sent a value.
pub(crate) enum Sent<'py> {
    Returned(Bound<'py, PyAny>),
    Yielded(Bound<'py, PyAny>),
}

/// `iterator.send(value)`, by `PyIter_Send`; an exception it raises is the error.
pub(crate) fn send_into<'py>(
    iterator: &Bound<'py, PyAny>,
    value: &Bound<'py, PyAny>,
) -> PyResult<Sent<'py>> {
    let py = iterator.py();
    let mut out: *mut ffi::PyObject = std::ptr::null_mut();
    // SAFETY: `iterator` is a coroutine or an iterator returned by __await__; `out` receives a new reference.
    let status = unsafe { ffi::PyIter_Send(iterator.as_ptr(), value.as_ptr(), &mut out) };
    match status {
        // SAFETY: PyIter_Send returned a new reference in `out` (both arms).
        ffi::PySendResult::PYGEN_RETURN => {
            Ok(Sent::Returned(unsafe { Bound::from_owned_ptr(py, out) }))
        }
        ffi::PySendResult::PYGEN_NEXT => {
            Ok(Sent::Yielded(unsafe { Bound::from_owned_ptr(py, out) }))
        }
        _ => Err(PyErr::take(py)
            .unwrap_or_else(|| PyRuntimeError::new_err("awaitable failed without an exception"))),
    }
}

/// Continue a coroutine that yielded `pending` as a task on the worker loop, in `context`; its result arrives
/// through the receiver. `after_hop`: `pending` is the future standing for a `SyncHop` the coroutine yielded.
pub(crate) fn continue_as_task(
    py: Python<'_>,
    runtime: &Runtime,
    worker: &WorkerLoop,
    (coroutine, pending, after_hop): (Py<PyAny>, Py<PyAny>, bool),
    context: &Py<PyAny>,
) -> PyResult<(TaskResult, Py<PyAny>)> {
    let (sender, receiver) = oneshot::channel();
    let done = Py::new(
        py,
        TaskDone {
            sender: Mutex::new(Some(sender)),
        },
    )?;
    let task = runtime.resume.call1(
        py,
        (
            worker.event_loop.clone_ref(py),
            coroutine,
            pending,
            done,
            context.clone_ref(py),
            after_hop,
        ),
    )?;
    worker.in_flight.set(worker.in_flight.get() + 1);
    Ok((receiver, task))
}

/// Wait for a call started with `start_awaitable`.
pub async fn finish(
    worker: &Rc<WorkerLoop>,
    runtime: &RuntimeRef,
    started: Started,
) -> PyResult<Py<PyAny>> {
    match started {
        Started::Done(value) => Ok(value),
        Started::Pending(receiver, _) => wait_for_task(worker, runtime, receiver).await,
        Started::Hopping(driven) => driven.await.unwrap_or_else(|_| {
            Err(PyRuntimeError::new_err(
                "the engine's task for the request failed",
            ))
        }),
    }
}

/// Wait for a task `continue_as_task` made, driving the worker loop meanwhile.
pub(crate) async fn wait_for_task(
    worker: &Rc<WorkerLoop>,
    runtime: &RuntimeRef,
    receiver: TaskResult,
) -> PyResult<Py<PyAny>> {
    let _counted = InFlight(worker);
    worker.ensure_driver(runtime);
    worker.notify.notify_one();
    receiver.await.unwrap_or_else(|_| {
        Err(PyRuntimeError::new_err(
            "the event loop dropped the request's task",
        ))
    })
}

/// Call `callable(request)` in a fresh `RequestContext` (where `current_request` is `request`) and drive what
/// it returns to completion. The context is returned too: a streamed body keeps running in it.
pub async fn call(
    callable: &Py<PyAny>,
    request: RawRequest,
    runtime: &RuntimeRef,
    pinned: bool,
) -> PyResult<(Py<PyAny>, RequestContext)> {
    call_with(callable, request, None, runtime, pinned).await
}

/// `call`, passing `extra` after the request when given (a WebSocket handler's channel).
pub async fn call_with(
    callable: &Py<PyAny>,
    request: RawRequest,
    extra: Option<Py<PyAny>>,
    runtime: &RuntimeRef,
    pinned: bool,
) -> PyResult<(Py<PyAny>, RequestContext)> {
    let (worker, context, started) = Python::attach(|py| -> PyResult<_> {
        let worker = WorkerLoop::current(py, runtime, pinned)?;
        let request = Py::new(py, request)?;
        let context = RequestContext::new(py, &worker, request.clone_ref(py))?;
        let started = worker.entered(py, runtime, || {
            context.run(py, || {
                let request = request.into_bound(py).into_any();
                RequestContext::set(py, &runtime.current_request, &request)?;
                let value = match extra {
                    Some(extra) => callable.bind(py).call1((request, extra))?,
                    None => callable.bind(py).call1((request,))?,
                };
                start_awaitable(py, runtime, &worker, value, &context, Continue::EngineHops)
            })
        })?;
        // Callbacks the first step left ready (a task it started) run now; a pending task's wait drives the loop.
        if !matches!(started, Started::Pending(..)) {
            worker.poke(py, runtime);
        }
        Ok((worker, context, started))
    })?;
    Ok((finish(&worker, runtime, started).await?, context))
}
