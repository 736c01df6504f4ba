//! A request's coroutine stepped on by the engine across sync bridge calls (`SyncHop`s).
//!
//! While it yields hops, the engine waits for each result itself and sends it in, in the request's context; the
//! first time it yields anything else (an asyncio future) it continues as a task on the worker loop, as every
//! suspended coroutine did before. The loop runs as a tokio task of its own, so a request whose client has gone
//! still runs to its end, as a task on the worker loop would.

use std::rc::Rc;

use pyo3::exceptions::{PyRuntimeError, PyStopIteration};
use pyo3::prelude::*;

use super::{continue_as_task, run_in, send_into, wait_for_task, RuntimeRef, Sent, WorkerLoop};
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
    let coroutine = coroutine.bind(py);
    let sent = match outcome {
        Ok(value) => send_into(coroutine, value.bind(py))?,
        Err(error) => {
            match coroutine.call_method1(pyo3::intern!(py, "throw"), (error.into_value(py),)) {
                Ok(yielded) => Sent::Yielded(yielded),
                Err(error) if error.is_instance_of::<PyStopIteration>(py) => {
                    Sent::Returned(error.value(py).getattr(pyo3::intern!(py, "value"))?)
                }
                Err(error) => return Err(error),
            }
        }
    };
    Ok(match sent {
        Sent::Returned(value) => Stepped::Returned(value.unbind()),
        Sent::Yielded(yielded) => match yielded.cast_into::<SyncHop>() {
            Ok(hop) => Stepped::Hop(hop.unbind()),
            Err(other) => Stepped::Other(other.into_inner().unbind()),
        },
    })
}
