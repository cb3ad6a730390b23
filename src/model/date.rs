//! Calendar dates as the content writes them (`2025-11-03`, or an RFC 3339 datetime such as
//! `2021-07-08T17:05:00Z`, of which the day is kept) and as readers see them
//! (`3 November 2025`). No time zones: facts are dated by day.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

/// The month names, January first.
pub const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

impl Date {
    /// `3 November 2025`.
    pub fn human(&self) -> String {
        format!(
            "{} {} {}",
            self.day,
            MONTHS[usize::from(self.month - 1)],
            self.year
        )
    }

    /// The day (UTC) of a Unix time in seconds: days to civil date, after H. Hinnant.
    pub fn from_unix(seconds: i64) -> Date {
        let z = seconds.div_euclid(86_400) + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        Date {
            year: u16::try_from(year).unwrap_or(0),
            month: u8::try_from(month).unwrap_or(1),
            day: u8::try_from(day).unwrap_or(1),
        }
    }
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl FromStr for Date {
    type Err = String;

    fn from_str(s: &str) -> Result<Date, String> {
        let bad = || {
            format!(
                "`{s}` is not a date: write it as YYYY-MM-DD, e.g. 2025-11-03 (or an RFC 3339 datetime, 2025-11-03T10:00:00Z)"
            )
        };
        let t = s.trim();
        let (day, time) = match t.get(10..) {
            Some(rest) if rest.starts_with(['T', 't', ' ']) => (&t[..10], Some(&rest[1..])),
            _ => (t, None),
        };
        if time.is_some_and(|time| !is_time(time)) {
            return Err(bad());
        }
        let parts: Vec<&str> = day.split('-').collect();
        let [y, m, d] = parts[..] else {
            return Err(bad());
        };
        if y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return Err(bad());
        }
        let (Ok(year), Ok(month), Ok(day)) = (y.parse(), m.parse(), d.parse()) else {
            return Err(bad());
        };
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return Err(format!("`{s}` is not a day of the calendar"));
        }
        Ok(Date { year, month, day })
    }
}

/// An RFC 3339 time: `17:05:00`, with optional seconds' fraction and `Z` or `±hh:mm` offset
/// (`17:05` alone is accepted too, as Hugo does).
fn is_time(t: &str) -> bool {
    let (clock, offset) = match t.find(['Z', 'z', '+', '-']) {
        Some(i) => (&t[..i], &t[i..]),
        None => (t, ""),
    };
    let clock = clock.split_once('.').map_or(clock, |(c, frac)| {
        if !frac.is_empty() && frac.bytes().all(|b| b.is_ascii_digit()) {
            c
        } else {
            "bad"
        }
    });
    let hms = |part: &str, max: u8| part.len() == 2 && part.parse::<u8>().is_ok_and(|n| n <= max);
    let fields: Vec<&str> = clock.split(':').collect();
    let clock_ok = match fields[..] {
        [h, m] => hms(h, 23) && hms(m, 59),
        [h, m, sec] => hms(h, 23) && hms(m, 59) && hms(sec, 60),
        _ => false,
    };
    let offset_ok = match offset {
        "" | "Z" | "z" => true,
        o => o[1..]
            .split_once(':')
            .is_some_and(|(h, m)| hms(h, 23) && hms(m, 59)),
    };
    clock_ok && offset_ok
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        d.deserialize_any(DateVisitor)
    }
}

/// A date from a string, or from a TOML datetime (which serde sees as a one-entry map).
struct DateVisitor;

impl<'de> serde::de::Visitor<'de> for DateVisitor {
    type Value = Date;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a date, YYYY-MM-DD")
    }

    fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<Date, E> {
        s.parse().map_err(E::custom)
    }

    fn visit_map<M: serde::de::MapAccess<'de>>(self, mut map: M) -> Result<Date, M::Error> {
        let _key: Option<String> = map.next_key()?;
        let value: String = map.next_value()?;
        value.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn unix_days_are_civil_dates() {
        let day = |s: i64| super::Date::from_unix(s).to_string();
        assert_eq!(day(0), "1970-01-01");
        assert_eq!(day(1_772_445_600), "2026-03-02");
        assert_eq!(day(951_782_400), "2000-02-29");
    }

    use super::*;

    #[test]
    fn parses_and_formats() {
        let d: Date = "2025-11-03".parse().unwrap();
        assert_eq!(d.to_string(), "2025-11-03");
        assert_eq!(d.human(), "3 November 2025");
        assert!("2024-02-29".parse::<Date>().is_ok());
        assert!("2025-02-29".parse::<Date>().is_err());
        assert!("2025-13-01".parse::<Date>().is_err());
        assert!("3 Nov 2025".parse::<Date>().is_err());
        let d: Date = "2021-07-08T17:05:00Z".parse().unwrap();
        assert_eq!(d.to_string(), "2021-07-08");
        assert!("2021-07-08T17:05:00.123+02:00".parse::<Date>().is_ok());
        assert!("2021-07-08 17:05:00-05:00".parse::<Date>().is_ok());
        assert!("2021-07-08T25:05:00Z".parse::<Date>().is_err());
        assert!("2021-07-08Tnoon".parse::<Date>().is_err());
    }
}
