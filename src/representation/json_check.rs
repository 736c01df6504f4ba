//! Whether msgspec would encode a value exactly as DRF's renderer (`json.dumps`) does: the check behind
//! `django_bolt.utils.json_bytes.encode_json`, one walk in Rust instead of a Python call per container.

use pyo3::prelude::*;
use pyo3::types::{PyBool, PyBytes, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};

// Deeper data is left to the standard encoder, which has its own recursion guard.
const MAX_DEPTH: u32 = 200;

/// True when every value is a str, int, bool, None, a float printed alike by both encoders, or a list,
/// tuple or str/int-keyed dict of those (the dict and list subclasses in `dict_types`/`list_types`, such as
/// `ReturnDict`/`ReturnList`, included); str subclasses count as text.
#[pyfunction]
pub fn passes_through(
    value: &Bound<'_, PyAny>,
    dict_types: &Bound<'_, PyTuple>,
    list_types: &Bound<'_, PyTuple>,
) -> bool {
    let containers = Containers {
        dicts: dict_types.iter().map(|t| t.as_ptr()).collect(),
        lists: list_types.iter().map(|t| t.as_ptr()).collect(),
    };
    // The tuples own the type objects for the duration of the walk.
    walk(value, &containers, 0)
}

struct Containers {
    dicts: Vec<*mut pyo3::ffi::PyObject>,
    lists: Vec<*mut pyo3::ffi::PyObject>,
}

fn walk(value: &Bound<'_, PyAny>, containers: &Containers, depth: u32) -> bool {
    if value.is_none()
        || value.is_exact_instance_of::<PyString>()
        || value.is_exact_instance_of::<PyBool>()
    {
        return true;
    }
    if value.is_exact_instance_of::<PyInt>() {
        return true;
    }
    if let Ok(number) = value.cast_exact::<PyFloat>() {
        let magnitude = number.value().abs();
        return magnitude == 0.0 || (1e-4..1e16).contains(&magnitude);
    }
    if depth >= MAX_DEPTH {
        return false;
    }
    let kind = value.get_type();
    let kind_ptr = kind.as_ptr();
    if value.is_exact_instance_of::<PyDict>() || containers.dicts.contains(&kind_ptr) {
        let Ok(dict) = value.cast::<PyDict>() else {
            return false;
        };
        return dict.iter().all(|(key, item)| {
            (key.is_exact_instance_of::<PyString>() || key.is_exact_instance_of::<PyInt>())
                && walk(&item, containers, depth + 1)
        });
    }
    if value.is_exact_instance_of::<PyList>() || containers.lists.contains(&kind_ptr) {
        let Ok(list) = value.cast::<PyList>() else {
            return false;
        };
        return list.iter().all(|item| walk(&item, containers, depth + 1));
    }
    if let Ok(tuple) = value.cast_exact::<PyTuple>() {
        return tuple.iter().all(|item| walk(&item, containers, depth + 1));
    }
    // str subclasses (ErrorDetail, Hyperlink, ...) are written as their text.
    value.is_instance_of::<PyString>()
}

/// `data` (JSON text) with U+2028 and U+2029 written as `\u2028` and `\u2029`, as DRF's renderer writes them so
/// that its output is also valid JavaScript; `data` itself when it has neither (the common case: no copy).
#[pyfunction]
pub fn escape_line_separators<'py>(data: &Bound<'py, PyBytes>) -> Bound<'py, PyBytes> {
    let bytes = data.as_bytes();
    // Both are E2 80 A8/A9 in UTF-8; memchr skips the text between lead bytes with SIMD.
    let found: Vec<usize> = memchr::memchr_iter(0xE2, bytes)
        .filter(|&at| matches!(bytes.get(at + 1..at + 3), Some([0x80, 0xA8 | 0xA9])))
        .collect();
    if found.is_empty() {
        return data.clone();
    }
    let mut out = Vec::with_capacity(bytes.len() + found.len() * 3);
    let mut from = 0;
    for at in found {
        out.extend_from_slice(&bytes[from..at]);
        out.extend_from_slice(if bytes[at + 2] == 0xA8 {
            b"\\u2028"
        } else {
            b"\\u2029"
        });
        from = at + 3;
    }
    out.extend_from_slice(&bytes[from..]);
    PyBytes::new(data.py(), &out)
}
