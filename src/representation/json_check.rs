//! Whether msgspec would encode a value exactly as DRF's renderer (`json.dumps`) does: the check behind
//! `django_bolt.utils.json_bytes.encode_json`, one walk in Rust instead of a Python call per container.

use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};

// Deeper data is left to the standard encoder, which has its own recursion guard.
const MAX_DEPTH: u32 = 200;

/// True when every value is a str, int, bool, None, a float printed alike by both encoders, or a list,
/// tuple or str/int-keyed dict of those (`ReturnDict`/`ReturnList` included); str subclasses count as text.
#[pyfunction]
pub fn passes_through(
    value: &Bound<'_, PyAny>,
    return_dict: &Bound<'_, PyAny>,
    return_list: &Bound<'_, PyAny>,
) -> bool {
    walk(value, return_dict.as_ptr(), return_list.as_ptr(), 0)
}

fn walk(
    value: &Bound<'_, PyAny>,
    return_dict: *mut pyo3::ffi::PyObject,
    return_list: *mut pyo3::ffi::PyObject,
    depth: u32,
) -> bool {
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
    if value.is_exact_instance_of::<PyDict>() || kind_ptr == return_dict {
        let Ok(dict) = value.cast::<PyDict>() else {
            return false;
        };
        return dict.iter().all(|(key, item)| {
            (key.is_exact_instance_of::<PyString>() || key.is_exact_instance_of::<PyInt>())
                && walk(&item, return_dict, return_list, depth + 1)
        });
    }
    if value.is_exact_instance_of::<PyList>() || kind_ptr == return_list {
        let Ok(list) = value.cast::<PyList>() else {
            return false;
        };
        return list
            .iter()
            .all(|item| walk(&item, return_dict, return_list, depth + 1));
    }
    if let Ok(tuple) = value.cast_exact::<PyTuple>() {
        return tuple
            .iter()
            .all(|item| walk(&item, return_dict, return_list, depth + 1));
    }
    // str subclasses (ErrorDetail, Hyperlink, ...) are written as their text.
    value.is_instance_of::<PyString>()
}
