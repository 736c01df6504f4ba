//! Reading a SQLite statement's rows straight into output dicts (a list's, a page's, a retrieved row's), on
//! the database handle of Django's own connection (so it sees that connection's transaction), with no row
//! tuples in between.
//!
//! Each value starts as what Python's `sqlite3` module would hand Django for it (the same converter looked up
//! by column name and declared type, called on the same bytes; the same int, float, text or bytes otherwise),
//! then goes through the column's conversion as in `build_rows`. Two of Django's own converters are answered
//! without a Python call (`sqlite_converters`): "bool" compares the bytes, and a datetime column whose output
//! is UTC text reads its stored text directly when it has the form Django writes
//! (`YYYY-MM-DD HH:MM:SS[.ffffff]`).
//!
//! The rows are stepped without the GIL, into Rust memory. Anything this reader does not do exactly as
//! `sqlite3` does (another parameter type, an error, text that is not UTF-8, several statements) answers
//! `None`: the caller runs the statement on Python's path, which answers or raises as Django does.

use std::ffi::{c_char, c_int};

use pyo3::prelude::*;
use pyo3::types::{PyBool, PyBytes, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};

use super::sqlite_api::{self, Api, Db, Stmt};
use super::sqlite_converters::{converter_of, instead_of, Instead};
use super::sqlite_statements::{is_connection, SqliteStatements};
use super::{convert, utc_text, Column, OutputRows};

/// A value as stepped: numbers inline, text and blobs as ranges of the read's byte buffer.
enum Raw {
    Null,
    Int(i64),
    Float(f64),
    Text(usize, usize),
    Bytes(usize, usize),
}

/// How a column's values are read: plainly by type, or as bytes for `sqlite3`'s converter.
enum Reading<'py> {
    Plain,
    Converted {
        converter: Bound<'py, PyAny>,
        instead: Instead,
    },
}

/// A prepared statement, finalized however the read ends unless it was handed to a keeper.
struct Statement<'a> {
    api: &'a Api,
    stmt: *mut Stmt,
    kept: bool,
}

impl Drop for Statement<'_> {
    fn drop(&mut self) {
        if !self.kept {
            unsafe { (self.api.finalize)(self.stmt) };
        }
    }
}

// SAFETY: the statement is only stepped on the thread that holds the connection (Django's connections are
// per thread, checked by the caller); the GIL is released around the stepping as `sqlite3` does.
unsafe impl Send for Statement<'_> {}
unsafe impl Sync for Statement<'_> {}

/// `[{key: value, ...} for row in connection.execute(sql, params)]` with each value converted by its column
/// (see the module documentation), or `None` when Python's path must answer.
/// `known` is `(code, parse_datetime, bool_converter)`: the code of Django's `decoder(parse_datetime)` and the
/// function it wraps, and the converter Django registers for "bool" (`b"1".__eq__`) — or None; `statements`
/// keeps this connection's prepared statements between reads.
#[pyfunction]
#[pyo3(signature = (connection, sql, params, keys, columns, detect_types, converters, known, statements=None))]
#[allow(clippy::too_many_arguments)]
pub fn read_sqlite_rows<'py>(
    connection: &Bound<'py, PyAny>,
    sql: &str,
    params: &Bound<'py, PyTuple>,
    keys: &Bound<'py, PyTuple>,
    columns: &Bound<'py, PyTuple>,
    detect_types: u32,
    converters: &Bound<'py, PyDict>,
    known: &Bound<'py, PyAny>,
    statements: Option<&Bound<'py, SqliteStatements>>,
) -> PyResult<Option<Bound<'py, PyList>>> {
    let py = connection.py();
    let Some(api) = sqlite_api::api() else {
        return Ok(None);
    };
    if !is_connection(connection)? {
        return Ok(None);
    }
    let keeper = statements
        .map(Bound::get)
        .filter(|keeper| keeper.connection(py).is(connection));
    let db = sqlite_api::handle(connection);
    if db.is_null() || sql.len() > c_int::MAX as usize {
        return Ok(None);
    }
    let mut output = OutputRows::new(keys, columns)?;
    let taken = keeper.and_then(|keeper| keeper.take(db, sql));
    let Some(mut statement) = taken
        .map(|stmt| Statement {
            api,
            stmt,
            kept: false,
        })
        .or_else(|| prepare(api, db, sql))
    else {
        return Ok(None);
    };
    if !bind(&statement, params)? {
        return Ok(None);
    }
    let count = unsafe { (api.column_count)(statement.stmt) } as usize;
    if count != keys.len() {
        return Ok(None);
    }
    let mut readings = Vec::with_capacity(count);
    for i in 0..count {
        // A type name `sqlite3` could not look up (not UTF-8) makes it raise: its path answers.
        let Ok(converter) = converter_of(api, statement.stmt, i as c_int, detect_types, converters)
        else {
            return Ok(None);
        };
        readings.push(match converter {
            None => Reading::Plain,
            Some(converter) => Reading::Converted {
                instead: instead_of(&converter, known, &output.columns[i])?,
                converter,
            },
        });
    }
    let converted: Vec<bool> = readings
        .iter()
        .map(|r| matches!(r, Reading::Converted { .. }))
        .collect();
    // A statement compiled again while stepping (the schema changed) may not read as its columns did.
    let prepared =
        unsafe { (api.stmt_status)(statement.stmt, sqlite_api::STMTSTATUS_REPREPARE, 0) };
    let address = db as usize;
    let stepped = py.detach(|| step_all(&statement, address as *mut Db, &converted));
    let reprepared =
        unsafe { (api.stmt_status)(statement.stmt, sqlite_api::STMTSTATUS_REPREPARE, 0) };
    let Some((values, buffer)) = stepped.filter(|_| reprepared == prepared) else {
        return Ok(None);
    };
    // Reset, it holds no read transaction between requests.
    if unsafe { (api.reset)(statement.stmt) } == sqlite_api::OK {
        if let Some(keeper) = keeper {
            statement.kept = keeper.put(db, sql, statement.stmt);
        }
    }
    drop(statement);
    build(py, &mut output, &readings, &values, &buffer)
}

fn prepare<'a>(api: &'a Api, db: *mut Db, sql: &str) -> Option<Statement<'a>> {
    let mut stmt = std::ptr::null_mut();
    let mut tail: *const c_char = std::ptr::null();
    let rc = unsafe {
        (api.prepare_v2)(
            db,
            sql.as_ptr().cast(),
            sql.len() as c_int,
            &mut stmt,
            &mut tail,
        )
    };
    if stmt.is_null() {
        return None;
    }
    let statement = Statement {
        api,
        stmt,
        kept: false,
    };
    // One read-only statement: anything after it (`sqlite3` refuses several) or a write is Python's.
    let used = tail as usize - sql.as_ptr() as usize;
    let rest_blank = sql.as_bytes()[used.min(sql.len())..]
        .iter()
        .all(u8::is_ascii_whitespace);
    let readonly = unsafe { (api.stmt_readonly)(statement.stmt) } != 0;
    (rc == sqlite_api::OK && rest_blank && readonly).then_some(statement)
}

/// Bind `params` as `sqlite3` binds their types; `false` for any other type (its adapters are Python's).
fn bind(statement: &Statement<'_>, params: &Bound<'_, PyTuple>) -> PyResult<bool> {
    let (api, stmt) = (statement.api, statement.stmt);
    if unsafe { (api.bind_parameter_count)(stmt) } as usize != params.len() {
        return Ok(false);
    }
    for (i, param) in params.iter().enumerate() {
        let at = i as c_int + 1;
        let rc = if param.is_none() {
            unsafe { (api.bind_null)(stmt, at) }
        } else if param.is_exact_instance_of::<PyInt>() {
            let Ok(number) = param.extract::<i64>() else {
                return Ok(false);
            };
            unsafe { (api.bind_int64)(stmt, at, number) }
        } else if let Ok(number) = param.cast_exact::<PyFloat>() {
            unsafe { (api.bind_double)(stmt, at, number.value()) }
        } else if let Ok(text) = param.cast_exact::<PyString>() {
            let Ok(text) = text.to_str() else {
                return Ok(false);
            };
            // SQLITE_TRANSIENT (-1): SQLite copies the text.
            let transient: unsafe extern "C" fn(*mut std::ffi::c_void) = unsafe {
                std::mem::transmute::<isize, unsafe extern "C" fn(*mut std::ffi::c_void)>(-1)
            };
            unsafe {
                (api.bind_text)(
                    stmt,
                    at,
                    text.as_ptr().cast(),
                    text.len() as c_int,
                    Some(transient),
                )
            }
        } else {
            return Ok(false);
        };
        if rc != sqlite_api::OK {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Every row's values, stepped without the GIL; `None` on any error (Python's path reports it).
fn step_all(
    statement: &Statement<'_>,
    db: *mut Db,
    converted: &[bool],
) -> Option<(Vec<Raw>, Vec<u8>)> {
    let (api, stmt) = (statement.api, statement.stmt);
    // Held for the whole read (it is recursive): each value is then read from the statement's own copy
    // (`column_value`) without a lock per call, as a protected value.
    let _held = DbMutex::enter(api, db);
    let mut values = Vec::new();
    let mut buffer = Vec::new();
    loop {
        match unsafe { (api.step)(stmt) } {
            sqlite_api::ROW => {}
            sqlite_api::DONE => return Some((values, buffer)),
            _ => return None,
        }
        for (i, &as_bytes) in converted.iter().enumerate() {
            let value = unsafe {
                let cell = (api.column_value)(stmt, i as c_int);
                if as_bytes {
                    // `sqlite3` hands a converter the value's bytes; no bytes (NULL, or empty) is None.
                    let blob = (api.value_blob)(cell);
                    if blob.is_null() {
                        if (api.errcode)(db) == sqlite_api::NOMEM {
                            return None;
                        }
                        Raw::Null
                    } else {
                        let size = (api.value_bytes)(cell) as usize;
                        Raw::Bytes(push(&mut buffer, blob.cast(), size), size)
                    }
                } else {
                    match (api.value_type)(cell) {
                        sqlite_api::NULL => Raw::Null,
                        sqlite_api::INTEGER => Raw::Int((api.value_int64)(cell)),
                        sqlite_api::FLOAT => Raw::Float((api.value_double)(cell)),
                        kind => {
                            let data = if kind == sqlite_api::TEXT {
                                (api.value_text)(cell)
                            } else {
                                (api.value_blob)(cell).cast()
                            };
                            if data.is_null() && (api.errcode)(db) == sqlite_api::NOMEM {
                                return None;
                            }
                            let size = (api.value_bytes)(cell) as usize;
                            let start = push(&mut buffer, data, size);
                            if kind == sqlite_api::TEXT {
                                Raw::Text(start, size)
                            } else {
                                Raw::Bytes(start, size)
                            }
                        }
                    }
                }
            };
            values.push(value);
        }
    }
}

/// The connection's mutex, held until dropped.
struct DbMutex<'a> {
    api: &'a Api,
    mutex: *mut sqlite_api::Mutex,
}

impl<'a> DbMutex<'a> {
    fn enter(api: &'a Api, db: *mut Db) -> Self {
        let mutex = unsafe { (api.db_mutex)(db) };
        // NULL when the connection has none (opened without a mutex): entering it is then a no-op.
        unsafe { (api.mutex_enter)(mutex) };
        Self { api, mutex }
    }
}

impl Drop for DbMutex<'_> {
    fn drop(&mut self) {
        unsafe { (self.api.mutex_leave)(self.mutex) };
    }
}

/// Append `size` bytes at `data` (nothing when NULL) to `buffer`; the start of them there.
unsafe fn push(buffer: &mut Vec<u8>, data: *const u8, size: usize) -> usize {
    let start = buffer.len();
    if !data.is_null() && size > 0 {
        buffer.extend_from_slice(std::slice::from_raw_parts(data, size));
    }
    start
}

fn build<'py>(
    py: Python<'py>,
    output: &mut OutputRows<'py>,
    readings: &[Reading<'py>],
    values: &[Raw],
    buffer: &[u8],
) -> PyResult<Option<Bound<'py, PyList>>> {
    let out = PyList::empty(py);
    let width = readings.len();
    if width == 0 {
        return Ok(None);
    }
    for row in values.chunks(width) {
        let dict = output.new_dict()?;
        for (i, raw) in row.iter().enumerate() {
            let value = match (raw, &readings[i]) {
                (Raw::Null, _) => py.None().into_bound(py),
                (Raw::Bytes(start, size), Reading::Converted { converter, instead }) => {
                    let bytes = &buffer[*start..*start + *size];
                    if *instead == Instead::DatetimeText {
                        if let Some(text) = stored_datetime_text(output, i, bytes)? {
                            dict.set_item(&output.keys[i], PyString::new(py, &text))?;
                            continue;
                        }
                    }
                    let driver = if *instead == Instead::BoolOne {
                        PyBool::new(py, bytes == b"1").to_owned().into_any()
                    } else {
                        converter.call1((PyBytes::new(py, bytes),))?
                    };
                    if driver.is_none() {
                        driver
                    } else {
                        convert(&output.columns[i], driver, &mut output.offsets[i])?
                    }
                }
                (raw, _) => {
                    let Some(driver) = plain(py, raw, buffer) else {
                        return Ok(None);
                    };
                    convert(&output.columns[i], driver, &mut output.offsets[i])?
                }
            };
            dict.set_item(&output.keys[i], value)?;
        }
        out.append(dict)?;
    }
    Ok(Some(out))
}

/// The value `sqlite3` gives for an unconverted column; `None` for text that is not UTF-8 (it raises).
fn plain<'py>(py: Python<'py>, raw: &Raw, buffer: &[u8]) -> Option<Bound<'py, PyAny>> {
    Some(match raw {
        Raw::Null => py.None().into_bound(py),
        Raw::Int(number) => number.into_pyobject(py).ok()?.into_any(),
        Raw::Float(number) => PyFloat::new(py, *number).into_any(),
        Raw::Text(start, size) => {
            // One pass that checks and decodes, as `sqlite3` does (invalid UTF-8: its path raises).
            let bytes = &buffer[*start..*start + *size];
            let text = unsafe {
                pyo3::ffi::PyUnicode_DecodeUTF8(
                    bytes.as_ptr().cast(),
                    bytes.len() as pyo3::ffi::Py_ssize_t,
                    c"strict".as_ptr(),
                )
            };
            match unsafe { Bound::from_owned_ptr_or_err(py, text) } {
                Ok(text) => text,
                Err(_) => return None,
            }
        }
        Raw::Bytes(start, size) => PyBytes::new(py, &buffer[*start..*start + *size]).into_any(),
    })
}

/// The output text of a datetime stored as Django writes it (naive UTC), or `None` to take the converter.
fn stored_datetime_text(
    output: &mut OutputRows<'_>,
    i: usize,
    stored: &[u8],
) -> PyResult<Option<String>> {
    let Some((seconds, microsecond)) = super::datetime_text::parse_stored(stored) else {
        return Ok(None);
    };
    let Column::Datetime { offsets: zone, .. } = &output.columns[i] else {
        return Ok(None);
    };
    utc_text(seconds, microsecond, zone.as_ref(), &mut output.offsets[i])
}
