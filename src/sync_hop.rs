//! The sync bridge's way back: a blocking call that `run_sync` sent to a bridge thread while the engine itself
//! was stepping the request's coroutine.
//!
//! The bridge thread settles a `SyncHop` as it would a `concurrent.futures.Future`; the result goes straight to
//! the request waiting in Rust (a tokio channel), which sends it into the coroutine. The asyncio route — a task,
//! two chained futures and a wake-up through the loop's self-pipe — is taken only by a coroutine already running
//! as a task, or when the engine cannot wait itself (`to_future`).

use std::sync::{Mutex, MutexGuard};

use pyo3::exceptions::asyncio::CancelledError;
use pyo3::prelude::*;
use tokio::sync::oneshot;

/// What the call gave: its result, or the exception it raised.
pub type Outcome = PyResult<Py<PyAny>>;

enum Waiter {
    Nobody,
    Engine(oneshot::Sender<Outcome>),
    /// An asyncio future on `event_loop`, settled there by `settle(future, outcome)`.
    Future {
        event_loop: Py<PyAny>,
        future: Py<PyAny>,
        settle: Py<PyAny>,
    },
}

struct State {
    started: bool,
    cancelled: bool,
    finished: bool,
    outcome: Option<Outcome>,
    waiter: Waiter,
}

/// `SyncHop()`: the `concurrent.futures.Future` subset the bridge threads use (`set_running_or_notify_cancel`,
/// `set_result`, `set_exception`, `cancel`), yielded by `run_sync` for the engine to wait on.
#[pyclass(module = "django_bolt._engine", frozen)]
pub struct SyncHop {
    state: Mutex<State>,
}

/// Where a caller of `SyncHop::wait` gets the outcome: already there, or through the channel.
pub enum Wait {
    Ready(Outcome),
    Later(oneshot::Receiver<Outcome>),
}

impl SyncHop {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The outcome, now or later; only one caller may wait.
    pub fn wait(&self) -> Wait {
        let mut state = self.lock();
        if let Some(outcome) = state.outcome.take() {
            return Wait::Ready(outcome);
        }
        let (sender, receiver) = oneshot::channel();
        state.waiter = Waiter::Engine(sender);
        Wait::Later(receiver)
    }

    /// An asyncio future on `event_loop` (the caller's thread's loop) that gets the outcome.
    pub fn to_future(
        &self,
        py: Python<'_>,
        event_loop: &Py<PyAny>,
        settle: &Py<PyAny>,
    ) -> PyResult<Py<PyAny>> {
        let future = event_loop.call_method0(py, pyo3::intern!(py, "create_future"))?;
        let ready = {
            let mut state = self.lock();
            match state.outcome.take() {
                Some(outcome) => Some(outcome),
                None => {
                    state.waiter = Waiter::Future {
                        event_loop: event_loop.clone_ref(py),
                        future: future.clone_ref(py),
                        settle: settle.clone_ref(py),
                    };
                    None
                }
            }
        };
        if let Some(outcome) = ready {
            settle.call1(py, (future.clone_ref(py), outcome_value(py, outcome)))?;
        }
        Ok(future)
    }

    fn deliver(&self, py: Python<'_>, outcome: Outcome) {
        let waiter = {
            let mut state = self.lock();
            if state.finished {
                return;
            }
            state.finished = true;
            match std::mem::replace(&mut state.waiter, Waiter::Nobody) {
                Waiter::Nobody => {
                    state.outcome = Some(outcome);
                    return;
                }
                waiter => waiter,
            }
        };
        match waiter {
            Waiter::Nobody => {}
            // The request stopped waiting (its task was dropped): nothing to hand the result to.
            Waiter::Engine(sender) => drop(sender.send(outcome)),
            Waiter::Future {
                event_loop,
                future,
                settle,
            } => {
                let handed = event_loop.call_method1(
                    py,
                    pyo3::intern!(py, "call_soon_threadsafe"),
                    (settle, future, outcome_value(py, outcome)),
                );
                if let Err(error) = handed {
                    error.print(py);
                }
            }
        }
    }
}

/// The outcome as one Python value for `settle`: the result, or the exception instance (a `BaseException`).
fn outcome_value(py: Python<'_>, outcome: Outcome) -> Py<PyAny> {
    match outcome {
        Ok(value) => pyo3::types::PyTuple::new(py, [value])
            .map(|one| one.into_any().unbind())
            .unwrap_or_else(|_| py.None()),
        Err(error) => error.into_value(py).into_any(),
    }
}

#[pymethods]
impl SyncHop {
    #[new]
    fn new() -> Self {
        Self {
            state: Mutex::new(State {
                started: false,
                cancelled: false,
                finished: false,
                outcome: None,
                waiter: Waiter::Nobody,
            }),
        }
    }

    /// False if the call was cancelled before a thread took it (it must not run).
    fn set_running_or_notify_cancel(&self) -> bool {
        let mut state = self.lock();
        if state.cancelled {
            return false;
        }
        state.started = true;
        true
    }

    fn set_result(&self, py: Python<'_>, result: Py<PyAny>) {
        self.deliver(py, Ok(result));
    }

    fn set_exception(&self, py: Python<'_>, exception: Bound<'_, PyAny>) {
        self.deliver(py, Err(PyErr::from_value(exception)));
    }

    /// Cancel a call no thread has taken yet: the awaiting coroutine gets `CancelledError`, as from asyncio.
    fn cancel(&self, py: Python<'_>) -> bool {
        {
            let mut state = self.lock();
            if state.started || state.finished {
                return false;
            }
            state.cancelled = true;
        }
        self.deliver(py, Err(CancelledError::new_err(())));
        true
    }

    /// True once the outcome is known (or the call was cancelled).
    fn done(&self) -> bool {
        self.lock().finished
    }
}
