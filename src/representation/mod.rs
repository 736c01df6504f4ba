//! Representation of fetched rows: the column path of a serializer's list (`ListSerializer.data`) builds one
//! dict per database row here, each value converted as its serializer field would. Conversions the plan
//! knows exactly (SQLite's stored datetimes to ISO text in the output zone, stored floats to decimal text)
//! run without Python objects in between; every other value goes through the plan's Python function, and any
//! value the fast conversion is unsure of goes through the column's `slow` function (Django's converter then
//! the field's), so the output is always what `values_list` followed by `to_representation` gives.

pub mod datetime_text;
pub mod decimal_text;
pub mod json_check;
pub mod sqlite_api;
pub mod sqlite_converters;
pub mod sqlite_rows;
pub mod sqlite_statements;

use std::collections::HashMap;

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyDateAccess, PyTimeAccess, PyTzInfoAccess};
use pyo3::types::{PyDateTime, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};

// Column kinds; 0–2 are `django_bolt.serializers.plans.convert`'s IDENTITY, TYPED and CALL.
const IDENTITY: u8 = 0;
const TYPED: u8 = 1;
const CALL: u8 = 2;
const DATETIME: u8 = 3;
const DECIMAL: u8 = 4;

pub(crate) enum Column<'py> {
    Identity,
    Typed {
        convert: Bound<'py, PyAny>,
        types: Vec<Bound<'py, PyAny>>,
    },
    Call(Bound<'py, PyAny>),
    /// UTC datetimes to text: naive ones (as SQLite stores them) when `utc` is None, else those whose
    /// tzinfo is `utc` (as psycopg reads them). `offsets(hour) -> int | None` gives the output zone's offset
    /// through one hour since the epoch (None when it changes within it); no `offsets` means UTC output.
    Datetime {
        offsets: Option<Bound<'py, PyAny>>,
        slow: Bound<'py, PyAny>,
        utc: Option<Bound<'py, PyAny>>,
    },
    /// Decimal text with `places` decimals: from the floats and ints SQLite stores (`from_floats`, Django's
    /// conversion), and from `decimal_type` values (`Decimal`, as psycopg reads them) already in that form.
    Decimal {
        places: u32,
        max_digits: u32,
        slow: Bound<'py, PyAny>,
        from_floats: bool,
        decimal_type: Option<Bound<'py, PyAny>>,
    },
}

fn column<'py>(spec: &Bound<'py, PyAny>) -> PyResult<Column<'py>> {
    let spec = spec.cast::<PyTuple>()?;
    let kind: u8 = spec.get_item(0)?.extract()?;
    Ok(match kind {
        IDENTITY => Column::Identity,
        TYPED => Column::Typed {
            convert: spec.get_item(1)?,
            types: spec.get_item(2)?.cast::<PyTuple>()?.iter().collect(),
        },
        CALL => Column::Call(spec.get_item(1)?),
        DATETIME => {
            let offsets = spec.get_item(1)?;
            let utc = spec.get_item(3)?;
            Column::Datetime {
                offsets: (!offsets.is_none()).then_some(offsets),
                slow: spec.get_item(2)?,
                utc: (!utc.is_none()).then_some(utc),
            }
        }
        DECIMAL => {
            let decimal_type = spec.get_item(5)?;
            Column::Decimal {
                places: spec.get_item(1)?.extract()?,
                max_digits: spec.get_item(2)?.extract()?,
                slow: spec.get_item(3)?,
                from_floats: spec.get_item(4)?.extract()?,
                decimal_type: (!decimal_type.is_none()).then_some(decimal_type),
            }
        }
        other => {
            return Err(PyValueError::new_err(format!(
                "unknown column kind {other}"
            )))
        }
    })
}

/// The output dicts' keys, with each key's column and its zone-offset memo.
pub(crate) struct OutputRows<'py> {
    pub(crate) keys: Vec<Bound<'py, PyString>>,
    pub(crate) columns: Vec<Column<'py>>,
    pub(crate) offsets: Vec<HourOffsets>,
    /// The keys with None values: each output dict starts as its copy, already sized (no resizes as the
    /// values go in).
    template: Bound<'py, PyDict>,
}

impl<'py> OutputRows<'py> {
    pub(crate) fn new(keys: &Bound<'py, PyTuple>, columns: &Bound<'py, PyTuple>) -> PyResult<Self> {
        let columns = columns
            .iter()
            .map(|spec| column(&spec))
            .collect::<PyResult<Vec<_>>>()?;
        if columns.len() != keys.len() {
            return Err(PyValueError::new_err("one column per key"));
        }
        let py = keys.py();
        let keys: Vec<Bound<'py, PyString>> = keys
            .iter()
            .map(|key| key.cast_into::<PyString>().map_err(PyErr::from))
            .collect::<PyResult<_>>()?;
        let offsets = columns.iter().map(|_| HourOffsets::default()).collect();
        let template = PyDict::new(py);
        for key in &keys {
            template.set_item(key, py.None())?;
        }
        Ok(Self {
            keys,
            columns,
            offsets,
            template,
        })
    }

    /// An output dict with every key (None values).
    pub(crate) fn new_dict(&self) -> PyResult<Bound<'py, PyDict>> {
        self.template.copy()
    }

    /// One output dict: `values[i]` converted by column `i` under key `i` (`None` stays `None`).
    fn dict(
        &mut self,
        values: impl Iterator<Item = PyResult<Bound<'py, PyAny>>>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let dict = self.new_dict()?;
        for (i, value) in values.enumerate() {
            let value = value?;
            let output = if value.is_none() {
                value
            } else {
                convert(&self.columns[i], value, &mut self.offsets[i])?
            };
            dict.set_item(&self.keys[i], output)?;
        }
        Ok(dict)
    }
}

/// `[{key: converted value, ...} for item in items]` for model instances: each value is read from the item's
/// `__dict__` under `attnames[i]`; an item that is not a `model` instance, or whose dict lacks one of them (a
/// deferred column), is `slow(item)` instead (the plan's per-object path).
#[pyfunction]
pub fn build_from_instances<'py>(
    items: &Bound<'py, PyAny>,
    model: &Bound<'py, PyAny>,
    attnames: &Bound<'py, PyTuple>,
    keys: &Bound<'py, PyTuple>,
    columns: &Bound<'py, PyTuple>,
    slow: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyList>> {
    let py = items.py();
    let mut output = OutputRows::new(keys, columns)?;
    if attnames.len() != keys.len() {
        return Err(PyValueError::new_err("one attribute name per key"));
    }
    let dict_name = pyo3::intern!(py, "__dict__");
    let out = PyList::empty(py);
    let mut values = Vec::with_capacity(keys.len());
    'items: for item in items.try_iter()? {
        let item = item?;
        if item.is_instance(model)? {
            if let Ok(stored) = item.getattr(dict_name)?.cast_into::<PyDict>() {
                values.clear();
                for name in attnames.iter() {
                    match stored.get_item(&name)? {
                        Some(value) => values.push(value),
                        None => {
                            out.append(slow.call1((&item,))?)?;
                            continue 'items;
                        }
                    }
                }
                out.append(output.dict(values.drain(..).map(Ok))?)?;
                continue;
            }
        }
        out.append(slow.call1((&item,))?)?;
    }
    Ok(out)
}

/// `[{key: converted value, ...} for row in rows]`; `columns[i]` is `(kind, ...)` for column `i`.
#[pyfunction]
pub fn build_rows<'py>(
    rows: &Bound<'py, PyAny>,
    keys: &Bound<'py, PyTuple>,
    columns: &Bound<'py, PyTuple>,
) -> PyResult<Bound<'py, PyList>> {
    let py = rows.py();
    let mut output = OutputRows::new(keys, columns)?;
    let out = PyList::empty(py);
    for row in rows.try_iter()? {
        // Drivers answer tuples; another sequence (a list) is read as one.
        let row = match row?.cast_into::<PyTuple>() {
            Ok(row) => row,
            Err(other) => PyTuple::new(
                py,
                other
                    .into_inner()
                    .try_iter()?
                    .collect::<PyResult<Vec<_>>>()?,
            )?,
        };
        if row.len() != keys.len() {
            return Err(PyValueError::new_err("row length differs from the columns"));
        }
        out.append(output.dict((0..row.len()).map(|i| row.get_item(i)))?)?;
    }
    Ok(out)
}

pub(crate) fn convert<'py>(
    column: &Column<'py>,
    value: Bound<'py, PyAny>,
    offsets: &mut HourOffsets,
) -> PyResult<Bound<'py, PyAny>> {
    match column {
        Column::Identity => Ok(value),
        Column::Typed { convert, types } => {
            let kind = value.get_type();
            if types.iter().any(|t| t.is(&kind)) {
                Ok(value)
            } else {
                convert.call1((value,))
            }
        }
        Column::Call(convert) => convert.call1((value,)),
        Column::Datetime {
            offsets: zone,
            slow,
            utc,
        } => match datetime_text(&value, zone.as_ref(), utc.as_ref(), offsets)? {
            Some(text) => Ok(PyString::new(value.py(), &text).into_any()),
            None => slow.call1((value,)),
        },
        Column::Decimal {
            places,
            max_digits,
            slow,
            from_floats,
            decimal_type,
        } => {
            if let Some(decimal_type) = decimal_type {
                if value.get_type().is(decimal_type) {
                    let text = value.str()?;
                    if decimal_text::is_quantized(text.to_str()?, *places, *max_digits) {
                        return Ok(text.into_any());
                    }
                    return slow.call1((value,));
                }
            }
            let text = if !from_floats {
                None
            } else if let Ok(number) = value.cast_exact::<PyFloat>() {
                decimal_text::from_float(number.value(), *places, *max_digits)
            } else if value.is_exact_instance_of::<PyInt>() {
                value
                    .extract::<i64>()
                    .ok()
                    .and_then(|n| decimal_text::from_int(n, *places, *max_digits))
            } else {
                None
            };
            match text {
                Some(text) => Ok(PyString::new(value.py(), &text).into_any()),
                None => slow.call1((value,)),
            }
        }
    }
}

/// The output zone's offsets by hour since the epoch, asked of Python once per hour a list meets (rows in
/// order of time mostly repeat the previous row's hour).
#[derive(Default)]
pub(crate) struct HourOffsets {
    last: Option<(i64, Option<i32>)>,
    seen: HashMap<i64, Option<i32>>,
}

impl HourOffsets {
    fn at(&mut self, hour: i64, zone: &Bound<'_, PyAny>) -> PyResult<Option<i32>> {
        if let Some((last, offset)) = self.last {
            if last == hour {
                return Ok(offset);
            }
        }
        let offset = match self.seen.get(&hour) {
            Some(offset) => *offset,
            None => {
                let found: Option<i32> = zone.call1((hour,))?.extract()?;
                self.seen.insert(hour, found);
                found
            }
        };
        self.last = Some((hour, offset));
        Ok(offset)
    }
}

fn datetime_text(
    value: &Bound<'_, PyAny>,
    zone: Option<&Bound<'_, PyAny>>,
    utc: Option<&Bound<'_, PyAny>>,
    offsets: &mut HourOffsets,
) -> PyResult<Option<String>> {
    let Ok(moment) = value.cast_exact::<PyDateTime>() else {
        return Ok(None);
    };
    let stored_as_utc = match (moment.get_tzinfo(), utc) {
        (None, None) => true,
        (Some(tzinfo), Some(utc)) => tzinfo.is(utc),
        _ => false,
    };
    if !stored_as_utc {
        return Ok(None);
    }
    let seconds = datetime_text::epoch_seconds(
        moment.get_year(),
        moment.get_month(),
        moment.get_day(),
        moment.get_hour(),
        moment.get_minute(),
        moment.get_second(),
    );
    utc_text(seconds, moment.get_microsecond(), zone, offsets)
}

/// The text of the UTC instant `seconds`+`microsecond` in the output zone (`None`: UTC), or `None` when the
/// zone's offset changes within that hour or the year leaves 1–9999 (the column's `slow` function answers).
pub(crate) fn utc_text(
    seconds: i64,
    microsecond: u32,
    zone: Option<&Bound<'_, PyAny>>,
    offsets: &mut HourOffsets,
) -> PyResult<Option<String>> {
    let offset = match zone {
        None => 0,
        Some(zone) => match offsets.at(seconds.div_euclid(3_600), zone)? {
            Some(offset) => offset,
            None => return Ok(None),
        },
    };
    Ok(datetime_text::iso_text(seconds, microsecond, offset))
}
