//! Which converter Python's `sqlite3` hands a column's values to, and which of Django's own converters the
//! engine may stand in for (reading the stored bytes itself, with the same result).

use std::ffi::{c_char, c_int, CStr};

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString, PyTuple};

use super::sqlite_api::{Api, Stmt};
use super::Column;

// sqlite3.PARSE_DECLTYPES and PARSE_COLNAMES.
const PARSE_DECLTYPES: u32 = 1;
const PARSE_COLNAMES: u32 = 2;

/// What the engine does in place of one of Django's own converters.
#[derive(Clone, Copy, PartialEq)]
pub(crate) enum Instead {
    /// Call the converter.
    Nothing,
    /// `decoder(parse_datetime)` before a UTC text output: read the stored text.
    DatetimeText,
    /// `b"1".__eq__` (Django's "bool"): compare the bytes.
    BoolOne,
}

/// The converter `sqlite3` would use for column `i`: by a `[type]` in its name (PARSE_COLNAMES), then by its
/// declared type up to a blank or "(" (PARSE_DECLTYPES), upper-cased, in `sqlite3.converters`.
pub(crate) fn converter_of<'py>(
    api: &Api,
    stmt: *mut Stmt,
    i: c_int,
    detect_types: u32,
    converters: &Bound<'py, PyDict>,
) -> PyResult<Option<Bound<'py, PyAny>>> {
    if detect_types & PARSE_COLNAMES != 0 {
        if let Some(name) = c_bytes(unsafe { (api.column_name)(stmt, i) }) {
            // As `sqlite3` scans: the last "[" before the first "]" that follows one.
            let mut type_start = None;
            for (at, &b) in name.iter().enumerate() {
                if b == b'[' {
                    type_start = Some(at + 1);
                } else if let (b']', Some(start)) = (b, type_start) {
                    if let Some(found) = lookup(converters, &name[start..at])? {
                        return Ok(Some(found));
                    }
                    break;
                }
            }
        }
    }
    if detect_types & PARSE_DECLTYPES != 0 {
        if let Some(decltype) = c_bytes(unsafe { (api.column_decltype)(stmt, i) }) {
            let end = decltype
                .iter()
                .position(|&b| b == b' ' || b == b'(')
                .unwrap_or(decltype.len());
            return lookup(converters, &decltype[..end]);
        }
    }
    Ok(None)
}

fn c_bytes<'a>(text: *const c_char) -> Option<&'a [u8]> {
    (!text.is_null()).then(|| unsafe { CStr::from_ptr(text) }.to_bytes())
}

fn lookup<'py>(
    converters: &Bound<'py, PyDict>,
    name: &[u8],
) -> PyResult<Option<Bound<'py, PyAny>>> {
    let py = converters.py();
    let Ok(name) = std::str::from_utf8(name) else {
        return Err(pyo3::exceptions::PyValueError::new_err(
            "type name is not UTF-8",
        ));
    };
    let upper = PyString::new(py, name).call_method0(pyo3::intern!(py, "upper"))?;
    converters.get_item(upper)
}

/// What the engine may do instead of calling `converter` for a column output by `column`.
pub(crate) fn instead_of(
    converter: &Bound<'_, PyAny>,
    known: &Bound<'_, PyAny>,
    column: &Column<'_>,
) -> PyResult<Instead> {
    if known.is_none() {
        return Ok(Instead::Nothing);
    }
    if converter.is(known.get_item(2)?) {
        return Ok(Instead::BoolOne);
    }
    let utc_text = matches!(column, Column::Datetime { utc: None, .. });
    Ok(if utc_text && is_datetime_decoder(converter, known)? {
        Instead::DatetimeText
    } else {
        Instead::Nothing
    })
}

/// Whether `converter` is Django's `decoder(parse_datetime)`: `known` holds its code and `parse_datetime`.
fn is_datetime_decoder(converter: &Bound<'_, PyAny>, known: &Bound<'_, PyAny>) -> PyResult<bool> {
    let py = converter.py();
    let Ok(Some(code)) = converter.getattr_opt(pyo3::intern!(py, "__code__")) else {
        return Ok(false);
    };
    if !code.is(known.get_item(0)?) {
        return Ok(false);
    }
    let closure = converter.getattr(pyo3::intern!(py, "__closure__"))?;
    let Ok(cells) = closure.cast::<PyTuple>() else {
        return Ok(false);
    };
    Ok(cells.len() == 1
        && cells
            .get_item(0)?
            .getattr(pyo3::intern!(py, "cell_contents"))?
            .is(known.get_item(1)?))
}
