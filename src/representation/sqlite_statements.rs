//! Prepared statements kept for one `sqlite3.Connection` (a persistent one: Django's `CONN_MAX_AGE=None`), so
//! a list's statement is not compiled again on every request (~10 µs), as `sqlite3`'s own cache spares it.
//!
//! The keeper holds the connection object itself, so its handle stays valid while any kept statement does:
//! closing an open handle with statements left makes it a zombie that SQLite frees when the last one is
//! finalized (`sqlite3_close_v2`, which `sqlite3` uses). Statements are finalized when the handle is found
//! closed or changed, when one is pushed out (`KEPT` at most), and when the keeper goes (Django opens a new
//! connection, or the wrapper is gone). A kept statement is always reset: it holds no read transaction.

use std::sync::Mutex;

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyType;

use super::sqlite_api::{self, Db, Stmt};

const KEPT: usize = 32;

/// The statements of one connection, most recently used last.
#[pyclass(frozen, module = "django_bolt._engine")]
pub struct SqliteStatements {
    connection: Py<PyAny>,
    kept: Mutex<Kept>,
}

#[derive(Default)]
struct Kept {
    /// The handle the statements belong to (an address: 0 before the first).
    db: usize,
    statements: Vec<(String, usize)>,
}

impl Kept {
    fn finalize_all(&mut self) {
        if let Some(api) = sqlite_api::api() {
            for (_, stmt) in self.statements.drain(..) {
                unsafe { (api.finalize)(stmt as *mut Stmt) };
            }
        }
    }
}

#[pymethods]
impl SqliteStatements {
    #[new]
    fn new(connection: &Bound<'_, PyAny>) -> PyResult<Self> {
        if !is_connection(connection)? {
            return Err(PyTypeError::new_err("not a sqlite3.Connection"));
        }
        Ok(Self {
            connection: connection.clone().unbind(),
            kept: Mutex::new(Kept::default()),
        })
    }

    /// How many statements are kept (for tests).
    fn __len__(&self) -> usize {
        self.kept.lock().map_or(0, |kept| kept.statements.len())
    }
}

impl SqliteStatements {
    pub fn connection<'py>(&self, py: Python<'py>) -> &Bound<'py, PyAny> {
        self.connection.bind(py)
    }

    /// The kept statement for `sql` on handle `db`, taken out while it is in use.
    pub fn take(&self, db: *mut Db, sql: &str) -> Option<*mut Stmt> {
        let mut kept = self.kept.lock().ok()?;
        if kept.db != db as usize {
            kept.finalize_all();
            kept.db = db as usize;
        }
        let at = kept.statements.iter().position(|(text, _)| text == sql)?;
        Some(kept.statements.remove(at).1 as *mut Stmt)
    }

    /// Keep `stmt` (already reset) for `sql` on handle `db`; `false` when it was not kept (the caller
    /// finalizes it).
    pub fn put(&self, db: *mut Db, sql: &str, stmt: *mut Stmt) -> bool {
        let Ok(mut kept) = self.kept.lock() else {
            return false;
        };
        if kept.db != db as usize {
            return false;
        }
        if kept.statements.len() >= KEPT {
            let (_, oldest) = kept.statements.remove(0);
            if let Some(api) = sqlite_api::api() {
                unsafe { (api.finalize)(oldest as *mut Stmt) };
            }
        }
        kept.statements.push((sql.to_owned(), stmt as usize));
        true
    }
}

impl Drop for SqliteStatements {
    fn drop(&mut self) {
        // Before `connection` is released: the handle (open or a zombie) is still there.
        if let Ok(kept) = self.kept.get_mut() {
            kept.finalize_all();
        }
    }
}

/// Whether `value` is a `sqlite3.Connection` (or a subclass), whose layout `sqlite_api::handle` reads.
pub fn is_connection(value: &Bound<'_, PyAny>) -> PyResult<bool> {
    static CONNECTION: PyOnceLock<Py<PyType>> = PyOnceLock::new();
    value.is_instance(CONNECTION.import(value.py(), "sqlite3", "Connection")?)
}
