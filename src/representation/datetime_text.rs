//! ISO 8601 text of a UTC instant in an output zone, as DRF's `DateTimeField` writes it: Python's
//! `isoformat()` of the value in that zone, with "Z" for a zero offset.

/// Seconds since the epoch of a UTC calendar time (proleptic Gregorian).
pub fn epoch_seconds(year: i32, month: u8, day: u8, hour: u8, minute: u8, second: u8) -> i64 {
    days_from_civil(year, month, day) * 86_400
        + i64::from(hour) * 3_600
        + i64::from(minute) * 60
        + i64::from(second)
}

/// `isoformat()` of the instant `seconds`+`microsecond` shown at `offset` seconds east of UTC, "Z" for 0;
/// `None` outside years 1–9999 (where Python raises OverflowError).
pub fn iso_text(seconds: i64, microsecond: u32, offset: i32) -> Option<String> {
    let local = seconds + i64::from(offset);
    let (days, in_day) = (local.div_euclid(86_400), local.rem_euclid(86_400));
    let (year, month, day) = civil_from_days(days);
    if !(1..=9999).contains(&year) {
        return None;
    }
    // Written digit by digit: this runs once per value of a list.
    let mut out = String::with_capacity(38);
    push_digits(&mut out, year as u32, 4);
    out.push('-');
    push_digits(&mut out, month as u32, 2);
    out.push('-');
    push_digits(&mut out, day as u32, 2);
    out.push('T');
    push_digits(&mut out, (in_day / 3_600) as u32, 2);
    out.push(':');
    push_digits(&mut out, (in_day % 3_600 / 60) as u32, 2);
    out.push(':');
    push_digits(&mut out, (in_day % 60) as u32, 2);
    if microsecond != 0 {
        out.push('.');
        push_digits(&mut out, microsecond, 6);
    }
    if offset == 0 {
        out.push('Z');
    } else {
        out.push(if offset < 0 { '-' } else { '+' });
        let size = offset.unsigned_abs();
        push_digits(&mut out, size / 3_600, 2);
        out.push(':');
        push_digits(&mut out, size % 3_600 / 60, 2);
        if !size.is_multiple_of(60) {
            out.push(':');
            push_digits(&mut out, size % 60, 2);
        }
    }
    Some(out)
}

/// Seconds since the epoch and microseconds of a datetime as Django's SQLite backend stores it (naive UTC
/// text, `YYYY-MM-DD HH:MM:SS` with `.ffffff` when there are microseconds; "T" is read as the separator too),
/// or `None` for any other text or an impossible date or time (Python's parsing then decides).
pub fn parse_stored(text: &[u8]) -> Option<(i64, u32)> {
    if !(text.len() == 19 || text.len() == 26) {
        return None;
    }
    let number = |from: usize, to: usize| -> Option<u32> {
        text[from..to].iter().try_fold(0u32, |n, &b| {
            b.is_ascii_digit().then(|| n * 10 + u32::from(b - b'0'))
        })
    };
    let separators = [(4, b'-'), (7, b'-'), (13, b':'), (16, b':')];
    if separators.iter().any(|&(at, sep)| text[at] != sep) || !matches!(text[10], b' ' | b'T') {
        return None;
    }
    let (year, month, day) = (number(0, 4)?, number(5, 7)?, number(8, 10)?);
    let (hour, minute, second) = (number(11, 13)?, number(14, 16)?, number(17, 19)?);
    let microsecond = if text.len() == 26 {
        if text[19] != b'.' {
            return None;
        }
        number(20, 26)?
    } else {
        0
    };
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let month_days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    if year == 0 || day == 0 || day > month_days || hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    let seconds = epoch_seconds(
        year as i32,
        month as u8,
        day as u8,
        hour as u8,
        minute as u8,
        second as u8,
    );
    Some((seconds, microsecond))
}

/// `value` zero-padded to `width` digits (`value` has at most `width` digits).
fn push_digits(out: &mut String, value: u32, width: u32) {
    let mut unit = 10u32.pow(width - 1);
    while unit > 0 {
        out.push(char::from(b'0' + (value / unit % 10) as u8));
        unit /= 10;
    }
}

// Howard Hinnant's days_from_civil / civil_from_days.
fn days_from_civil(year: i32, month: u8, day: u8) -> i64 {
    let y = i64::from(year) - i64::from(month <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_python_isoformat() {
        let noon = epoch_seconds(2026, 1, 1, 12, 1, 0);
        assert_eq!(noon, 1_767_268_860);
        assert_eq!(
            iso_text(noon, 123_456, 0).as_deref(),
            Some("2026-01-01T12:01:00.123456Z")
        );
        assert_eq!(
            iso_text(noon, 0, -6 * 3_600).as_deref(),
            Some("2026-01-01T06:01:00-06:00")
        );
        assert_eq!(
            iso_text(noon, 5, 19_800).as_deref(),
            Some("2026-01-01T17:31:00.000005+05:30")
        );
        // Chicago's local mean time before 1883: an offset with seconds.
        assert_eq!(
            iso_text(0, 0, -21_036).as_deref(),
            Some("1969-12-31T18:09:24-05:50:36")
        );
        assert_eq!(iso_text(epoch_seconds(1, 1, 1, 0, 0, 0), 0, -60), None);
        assert_eq!(
            iso_text(epoch_seconds(2024, 2, 29, 23, 59, 59), 0, 1).as_deref(),
            Some("2024-03-01T00:00:00+00:00:01")
        );
    }

    #[test]
    fn stored_text_is_read_only_in_the_form_django_writes() {
        let at = |text: &str| parse_stored(text.as_bytes());
        assert_eq!(
            at("2024-02-29 23:59:59.000001"),
            Some((epoch_seconds(2024, 2, 29, 23, 59, 59), 1))
        );
        assert_eq!(at("1970-01-01T00:00:00"), Some((0, 0)));
        for other in [
            "2023-02-29 00:00:00",
            "2024-13-01 00:00:00",
            "2024-01-01 24:00:00",
            "0000-01-01 00:00:00",
            "2024-01-01 00:00:00.123",
            "2024-01-01 00:00:00+00:00",
            "2024-01-01 00:00:0a",
            "2024-01-01",
        ] {
            assert_eq!(at(other), None, "{other}");
        }
    }
}
