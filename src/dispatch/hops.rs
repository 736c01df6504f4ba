//! A request's coroutine stepped on by the engine across sync bridge calls (`SyncHop`s).
//!
//! While it yields hops, the engine waits for each result itself and sends it in, in the request's context; the
//! first time it yields anything else (an asyncio future) it continues as a task on the worker loop, as every
//! suspended coroutine did before. The loop runs as a tokio task of its own, so a request whose client has gone
//! still runs to its end, as a task on the worker loop would.

use std::rc::Rc;

use pyo3::exceptions::{PyRuntimeError, PyStopIteration};
use pyo3::ffi;
use pyo3::prelude::*;

use super::{continue_as_task, run_in, wait_for_task, RuntimeRef, WorkerLoop};
use crate::sync_hop::{Outcome, SyncHop, Wait};

/// What the coroutine did when sent a hop's outcome.
enum Stepped {
    Returned(Py<PyAny>),
    Hop(Py<SyncHop>),
    Other(Py<PyAny>),
}

pub(super) async fn drive(
    coroutine: Py<PyAny>,
    mut hop: Py<SyncHop>,
    context: Py<PyAny>,
    worker: Rc<WorkerLoop>,
    runtime: RuntimeRef,
) -> PyResult<Py<PyAny>> {
    loop {
        let outcome = match hop.get().wait() {
            Wait::Ready(outcome) => outcome,
            Wait::Later(receiver) => receiver.await.unwrap_or_else(|_| {
                Err(PyRuntimeError::new_err(
                    "the sync bridge dropped a call without settling it",
                ))
            }),
        };
        let stepped = Python::attach(|py| {
            let stepped = worker.entered(py, &runtime, || {
                run_in(py, &context, || send(py, &coroutine, outcome))
            });
            worker.poke(py, &runtime);
            stepped
        })?;
        match stepped {
            Stepped::Returned(value) => return Ok(value),
            Stepped::Hop(next) => hop = next,
            Stepped::Other(pending) => {
                let (receiver, _task) = Python::attach(|py| {
                    continue_as_task(py, &runtime, &worker, (coroutine, pending, false), &context)
                })?;
                return wait_for_task(&worker, &runtime, receiver).await;
            }
        }
    }
}

/// Send a hop's result into the coroutine (or throw its exception in) and see what it does next.
fn send(py: Python<'_>, coroutine: &Py<PyAny>, outcome: Outcome) -> PyResult<Stepped> {
    let yielded = match outcome {
        Ok(value) => {
            let mut out: *mut ffi::PyObject = std::ptr::null_mut();
            // SAFETY: `coroutine` is a coroutine or an `__await__` iterator; `out` receives a new reference.
            let status = unsafe { ffi::PyIter_Send(coroutine.as_ptr(), value.as_ptr(), &mut out) };
            match status {
                // SAFETY: PyIter_Send returned a new reference in `out`.
                ffi::PySendResult::PYGEN_RETURN => {
                    return Ok(Stepped::Returned(
                        unsafe { Bound::from_owned_ptr(py, out) }.unbind(),
                    ))
                }
                ffi::PySendResult::PYGEN_NEXT => unsafe { Bound::from_owned_ptr(py, out) },
                _ => {
                    return Err(PyErr::take(py).unwrap_or_else(|| {
                        PyRuntimeError::new_err("coroutine failed without an exception")
                    }))
                }
            }
        }
        Err(error) => {
            match coroutine.call_method1(py, pyo3::intern!(py, "throw"), (error.into_value(py),)) {
                Ok(yielded) => yielded.into_bound(py),
                Err(error) if error.is_instance_of::<PyStopIteration>(py) => {
                    let value = error.value(py).getattr(pyo3::intern!(py, "value"))?;
                    return Ok(Stepped::Returned(value.unbind()));
                }
                Err(error) => return Err(error),
            }
        }
    };
    Ok(match yielded.cast_into::<SyncHop>() {
        Ok(hop) => Stepped::Hop(hop.unbind()),
        Err(other) => Stepped::Other(other.into_inner().unbind()),
    })
}
