//! The SQLite library Python's `sqlite3` module runs on, and the database handle of one of its connections.
//!
//! A `sqlite3*` may only be used with the library that opened it, so the functions are looked up (`dlsym`)
//! through the `_sqlite3` extension module itself, never linked from a copy of our own. When that module
//! carries SQLite inside it without exporting it (some static builds), or off unix (no `dlopen`), there is no
//! API and callers take Python's path.
//!
//! `handle` reads a private CPython field: `pysqlite_Connection` starts with `sqlite3 *db` right after its
//! object header, on every supported Python (tests/fastpath/test_sqlite_handle.py checks each); closed
//! connections hold NULL there.

use std::ffi::{c_char, c_int, c_void};
use std::sync::OnceLock;

use pyo3::prelude::*;

pub type Db = c_void;
pub type Stmt = c_void;
pub type Value = c_void;
pub type Mutex = c_void;

pub const OK: c_int = 0;
pub const NOMEM: c_int = 7;
pub const ROW: c_int = 100;
pub const DONE: c_int = 101;
pub const INTEGER: c_int = 1;
pub const FLOAT: c_int = 2;
pub const TEXT: c_int = 3;
pub const BLOB: c_int = 4;
pub const NULL: c_int = 5;
pub const STMTSTATUS_REPREPARE: c_int = 5;

/// The few SQLite functions the row reader calls.
pub struct Api {
    pub prepare_v2: unsafe extern "C" fn(
        *mut Db,
        *const c_char,
        c_int,
        *mut *mut Stmt,
        *mut *const c_char,
    ) -> c_int,
    pub finalize: unsafe extern "C" fn(*mut Stmt) -> c_int,
    pub reset: unsafe extern "C" fn(*mut Stmt) -> c_int,
    pub stmt_status: unsafe extern "C" fn(*mut Stmt, c_int, c_int) -> c_int,
    pub stmt_readonly: unsafe extern "C" fn(*mut Stmt) -> c_int,
    pub bind_parameter_count: unsafe extern "C" fn(*mut Stmt) -> c_int,
    pub bind_null: unsafe extern "C" fn(*mut Stmt, c_int) -> c_int,
    pub bind_int64: unsafe extern "C" fn(*mut Stmt, c_int, i64) -> c_int,
    pub bind_double: unsafe extern "C" fn(*mut Stmt, c_int, f64) -> c_int,
    pub bind_text: unsafe extern "C" fn(
        *mut Stmt,
        c_int,
        *const c_char,
        c_int,
        Option<unsafe extern "C" fn(*mut c_void)>,
    ) -> c_int,
    pub step: unsafe extern "C" fn(*mut Stmt) -> c_int,
    pub db_mutex: unsafe extern "C" fn(*mut Db) -> *mut Mutex,
    pub mutex_enter: unsafe extern "C" fn(*mut Mutex),
    pub mutex_leave: unsafe extern "C" fn(*mut Mutex),
    pub column_value: unsafe extern "C" fn(*mut Stmt, c_int) -> *mut Value,
    pub value_type: unsafe extern "C" fn(*mut Value) -> c_int,
    pub value_int64: unsafe extern "C" fn(*mut Value) -> i64,
    pub value_double: unsafe extern "C" fn(*mut Value) -> f64,
    pub value_text: unsafe extern "C" fn(*mut Value) -> *const u8,
    pub value_blob: unsafe extern "C" fn(*mut Value) -> *const c_void,
    pub value_bytes: unsafe extern "C" fn(*mut Value) -> c_int,
    pub column_count: unsafe extern "C" fn(*mut Stmt) -> c_int,
    pub column_name: unsafe extern "C" fn(*mut Stmt, c_int) -> *const c_char,
    pub column_decltype: unsafe extern "C" fn(*mut Stmt, c_int) -> *const c_char,
    pub errcode: unsafe extern "C" fn(*mut Db) -> c_int,
}

static API: OnceLock<Option<Api>> = OnceLock::new();

/// SQLite's functions, once `load` found them.
pub fn api() -> Option<&'static Api> {
    API.get().and_then(Option::as_ref)
}

/// Look the functions up through the already loaded extension module at `module_path`; `true` when all are
/// there. The first call decides for the process.
#[pyfunction]
pub fn sqlite_reader_load(module_path: &str) -> bool {
    API.get_or_init(|| unsafe { resolve(module_path) })
        .is_some()
}

#[cfg(not(unix))]
unsafe fn resolve(_module_path: &str) -> Option<Api> {
    None
}

#[cfg(unix)]
unsafe fn resolve(module_path: &str) -> Option<Api> {
    let path = std::ffi::CString::new(module_path).ok()?;
    // RTLD_NOLOAD: only the copy Python already loaded, never a second one.
    let library = libc::dlopen(path.as_ptr(), libc::RTLD_NOW | libc::RTLD_NOLOAD);
    if library.is_null() {
        return None;
    }
    macro_rules! symbol {
        ($name:literal) => {
            symbol(library, concat!($name, "\0"))?
        };
    }
    Some(Api {
        prepare_v2: symbol!("sqlite3_prepare_v2"),
        finalize: symbol!("sqlite3_finalize"),
        reset: symbol!("sqlite3_reset"),
        stmt_status: symbol!("sqlite3_stmt_status"),
        stmt_readonly: symbol!("sqlite3_stmt_readonly"),
        bind_parameter_count: symbol!("sqlite3_bind_parameter_count"),
        bind_null: symbol!("sqlite3_bind_null"),
        bind_int64: symbol!("sqlite3_bind_int64"),
        bind_double: symbol!("sqlite3_bind_double"),
        bind_text: symbol!("sqlite3_bind_text"),
        step: symbol!("sqlite3_step"),
        db_mutex: symbol!("sqlite3_db_mutex"),
        mutex_enter: symbol!("sqlite3_mutex_enter"),
        mutex_leave: symbol!("sqlite3_mutex_leave"),
        column_value: symbol!("sqlite3_column_value"),
        value_type: symbol!("sqlite3_value_type"),
        value_int64: symbol!("sqlite3_value_int64"),
        value_double: symbol!("sqlite3_value_double"),
        value_text: symbol!("sqlite3_value_text"),
        value_blob: symbol!("sqlite3_value_blob"),
        value_bytes: symbol!("sqlite3_value_bytes"),
        column_count: symbol!("sqlite3_column_count"),
        column_name: symbol!("sqlite3_column_name"),
        column_decltype: symbol!("sqlite3_column_decltype"),
        errcode: symbol!("sqlite3_errcode"),
    })
}

/// The function `name` (NUL-terminated) of `library`, as the function pointer type `F`.
#[cfg(unix)]
unsafe fn symbol<F: Copy>(library: *mut c_void, name: &str) -> Option<F> {
    debug_assert_eq!(std::mem::size_of::<F>(), std::mem::size_of::<*mut c_void>());
    let found = libc::dlsym(library, name.as_ptr().cast());
    (!found.is_null()).then(|| std::mem::transmute_copy::<*mut c_void, F>(&found))
}

/// The `sqlite3*` of `connection`, a `sqlite3.Connection` (the caller checks its type); NULL once closed.
pub fn handle(connection: &Bound<'_, PyAny>) -> *mut Db {
    // SAFETY: the object is a live pysqlite_Connection (or a subclass, which extends it): its first field
    // after the object header is the handle (see the module documentation).
    unsafe {
        let start = connection.as_ptr().cast::<u8>();
        *start
            .add(std::mem::size_of::<pyo3::ffi::PyObject>())
            .cast::<*mut Db>()
    }
}

/// `connection`'s handle as a number (0 when closed), for the layout check of each supported Python.
#[pyfunction]
pub fn sqlite_handle_address(connection: &Bound<'_, PyAny>) -> PyResult<usize> {
    if !super::sqlite_statements::is_connection(connection)? {
        return Err(pyo3::exceptions::PyTypeError::new_err(
            "not a sqlite3.Connection",
        ));
    }
    Ok(handle(connection) as usize)
}
