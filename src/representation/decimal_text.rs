//! The text DRF outputs for a decimal column read from SQLite: Django rebuilds the stored float with 15
//! significant digits (`Context(prec=15).create_decimal_from_float`), quantizes it to the field's places
//! (half-even, at most `max_digits` digits) and the field writes it with `format(value, "f")`.
//!
//! A float whose shortest round-trip text has at most 15 significant digits is exactly what the 15-digit
//! rebuild gives (that text is the nearest 15-digit decimal to the float), so the quantize is digit
//! arithmetic on it. Anything else (16–17 digits, infinities, NaN, too many digits) answers `None` and the
//! caller takes Django's own steps.

/// `format(create_decimal_from_float(value).quantize(10**-places), "f")`, or `None` when unsure.
pub fn from_float(value: f64, places: u32, max_digits: u32) -> Option<String> {
    if !value.is_finite() {
        return None;
    }
    let negative = value.is_sign_negative();
    // Most stored prices: an integer number of the column's units whose decimal reads back as the float
    // (its 15-digit rebuild is that decimal: the float is far closer to it than to any other 15-digit one).
    if let Some(units) = exact_units(value.abs(), places) {
        return quantized(
            u128::from(units),
            -(places as i32),
            negative,
            places,
            max_digits,
        );
    }
    from_shortest(value, places, max_digits)
}

/// The powers of ten that are exact as floats.
const POWERS: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// `n` when `magnitude` is the float nearest to `n / 10^places` with `n` of at most 15 digits.
fn exact_units(magnitude: f64, places: u32) -> Option<u64> {
    let scale = *POWERS.get(places as usize)?;
    let units = (magnitude * scale).round();
    // `units` is an integer below 2^53, so exact; the division is correctly rounded.
    (units < 1e15 && units / scale == magnitude).then_some(units as u64)
}

/// `from_float` through the shortest round-trip text of `value`.
fn from_shortest(value: f64, places: u32, max_digits: u32) -> Option<String> {
    let negative = value.is_sign_negative();
    // Shortest round-trip digits: "d.ddde±x" (Rust's `{:e}` is the shortest text that reads back exactly).
    let text = format!("{:e}", value.abs());
    let (mantissa, exponent) = text.split_once('e')?;
    let exponent: i32 = exponent.parse().ok()?;
    let (mut coefficient, mut count) = (0u128, 0i32);
    for byte in mantissa.bytes().filter(|byte| *byte != b'.') {
        coefficient = coefficient * 10 + u128::from(byte - b'0');
        count += 1;
    }
    if count > 15 {
        return None;
    }
    // value = coefficient * 10^scale
    quantized(
        coefficient,
        exponent - (count - 1),
        negative,
        places,
        max_digits,
    )
}

/// The same for an integer column value (`create_decimal_from_float` of an int is exact up to 15 digits).
pub fn from_int(value: i64, places: u32, max_digits: u32) -> Option<String> {
    let magnitude = value.unsigned_abs();
    if magnitude >= 1_000_000_000_000_000 {
        return None;
    }
    quantized(magnitude as u128, 0, value < 0, places, max_digits)
}

/// Whether `text` (a `Decimal`'s `str()`) is already what DRF writes for it: plain digits with exactly
/// `places` decimals (no exponent, not NaN or Infinity) in at most `max_digits` digits, so quantizing to
/// `places` gives the value back and `format(value, "f")` is this same text.
pub fn is_quantized(text: &str, places: u32, max_digits: u32) -> bool {
    let unsigned = text.strip_prefix('-').unwrap_or(text);
    let (whole, fraction) = match unsigned.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (unsigned, None),
    };
    let fraction_ok = match fraction {
        Some(fraction) => places > 0 && fraction.len() == places as usize,
        None => places == 0,
    };
    let digits_only = |part: &str| part.bytes().all(|byte| byte.is_ascii_digit());
    if !fraction_ok || whole.is_empty() || !digits_only(whole) || !fraction.is_none_or(digits_only)
    {
        return false;
    }
    // Decimal's coefficient: the digits without leading zeros (at least one).
    let significant = whole
        .bytes()
        .chain(fraction.unwrap_or("").bytes())
        .skip_while(|byte| *byte == b'0')
        .count();
    significant.max(1) as u32 <= max_digits
}

fn quantized(
    coefficient: u128,
    scale: i32,
    negative: bool,
    places: u32,
    max_digits: u32,
) -> Option<String> {
    let target = -(places as i32);
    let result = if scale >= target {
        let shift = (scale - target) as u32;
        if shift > 24 {
            return None;
        }
        coefficient.checked_mul(10u128.pow(shift))?
    } else {
        let drop = (target - scale) as u32;
        if drop > 30 {
            0 // the coefficient (< 10^15) is below half of 10^drop
        } else {
            let unit = 10u128.pow(drop);
            let (kept, rest) = (coefficient / unit, coefficient % unit);
            let half = unit / 2;
            if rest > half || (rest == half && kept % 2 == 1) {
                kept + 1
            } else {
                kept
            }
        }
    };
    let digits = result.to_string();
    // Decimal.quantize signals InvalidOperation when the coefficient needs more digits than the context has.
    if digits.len() as u32 > max_digits {
        return None;
    }
    let places = places as usize;
    let mut out = String::with_capacity(digits.len() + places + 3);
    if negative {
        out.push('-');
    }
    // At least one digit before the point: "0.05", not ".05".
    let zeros = (places + 1).saturating_sub(digits.len());
    let padded = zeros + digits.len();
    for position in 0..padded {
        if position == padded - places && places > 0 {
            out.push('.');
        }
        out.push(if position < zeros {
            '0'
        } else {
            char::from(digits.as_bytes()[position - zeros])
        });
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantizes_like_decimal() {
        assert_eq!(from_float(12.5, 2, 10).as_deref(), Some("12.50"));
        assert_eq!(from_float(0.125, 2, 10).as_deref(), Some("0.12")); // half-even
        assert_eq!(from_float(0.375, 2, 10).as_deref(), Some("0.38"));
        assert_eq!(from_float(-0.001, 2, 10).as_deref(), Some("-0.00"));
        assert_eq!(from_float(-0.0, 2, 10).as_deref(), Some("-0.00"));
        assert_eq!(from_float(1e20, 2, 10), None); // too many digits for max_digits
        assert_eq!(from_float(0.1 + 0.2, 2, 10), None); // 17 significant digits: Django's own steps
        assert_eq!(from_float(f64::NAN, 2, 10), None);
        assert_eq!(from_float(99.999, 0, 10).as_deref(), Some("100"));
        assert_eq!(from_int(-7, 3, 10).as_deref(), Some("-7.000"));
        assert_eq!(from_int(12345678, 2, 8), None);
    }

    #[test]
    fn units_read_back_as_the_shortest_text_gives() {
        // Deterministic spread of values: cents, tenths of a cent, large and tiny magnitudes, neighbours.
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..200_000 {
            let bits = next();
            let places = (bits % 7) as u32;
            let units = (bits >> 8) % 10u64.pow(1 + (bits >> 40) as u32 % 15);
            let value = units as f64 / POWERS[places as usize];
            for candidate in [
                value,
                f64::from_bits(value.to_bits() + 1),
                -value,
                value * 1.5,
            ] {
                for max_digits in [6, 15, 20] {
                    assert_eq!(
                        from_float(candidate, places, max_digits),
                        from_shortest(candidate, places, max_digits),
                        "{candidate} places {places} max_digits {max_digits}"
                    );
                }
            }
        }
    }

    #[test]
    fn recognises_quantized_text() {
        assert!(is_quantized("12.50", 2, 4));
        assert!(is_quantized("-0.05", 2, 1));
        assert!(is_quantized("7", 0, 1));
        assert!(!is_quantized("123.45", 2, 4)); // quantize() would signal InvalidOperation
        assert!(!is_quantized("1.5", 2, 10));
        assert!(!is_quantized("1E+2", 0, 10));
        assert!(!is_quantized("Infinity", 0, 10));
        assert!(!is_quantized("NaN", 2, 10));
        assert!(!is_quantized(".50", 2, 10));
    }
}
