//! Durations as people write them in routine files (`45`, `"45s"`, `"1m30s"`, `"1:30"`,
//! ranges like `"60-90s"`) and as the program shows them back.

use std::time::Duration;

/// Parses one duration: `"45"`, `"45s"`, `"1m"`, `"1m30s"`, `"1h"`, `"1:30"`, `"1:02:03"`.
/// Whole seconds only: a routine has no use for milliseconds, and fractions would hide typos.
pub fn parse(text: &str) -> Option<Duration> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    if text.contains(':') {
        return parse_clock(text);
    }
    if text.bytes().all(|b| b.is_ascii_digit()) {
        return text.parse().ok().map(Duration::from_secs);
    }
    parse_units(text)
}

/// `"1:30"` (m:ss) or `"1:02:03"` (h:mm:ss); every part after the first has two digits.
fn parse_clock(text: &str) -> Option<Duration> {
    let parts: Vec<&str> = text.split(':').collect();
    if parts.len() > 3 || parts.iter().any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit())) {
        return None;
    }
    let mut total: u64 = 0;
    for (i, part) in parts.iter().enumerate() {
        let value: u64 = part.parse().ok()?;
        if i > 0 && (part.len() != 2 || value >= 60) {
            return None;
        }
        total = total.checked_mul(60)?.checked_add(value)?;
    }
    Some(Duration::from_secs(total))
}

/// `"1h"`, `"1m30s"`, `"1m 30s"`: units in decreasing order, each at most once.
fn parse_units(text: &str) -> Option<Duration> {
    let mut total: u64 = 0;
    let mut number = String::new();
    let mut last_unit = u64::MAX;
    let mut seen_unit = false;
    for ch in text.chars() {
        if ch.is_ascii_digit() {
            number.push(ch);
            continue;
        }
        if ch == ' ' && number.is_empty() {
            continue;
        }
        let unit = match ch {
            'h' => 3600,
            'm' => 60,
            's' => 1,
            _ => return None,
        };
        if number.is_empty() || unit >= last_unit {
            return None;
        }
        let value: u64 = number.parse().ok()?;
        total = total.checked_add(value.checked_mul(unit)?)?;
        number.clear();
        last_unit = unit;
        seen_unit = true;
    }
    if !number.is_empty() || !seen_unit {
        return None;
    }
    Some(Duration::from_secs(total))
}

/// Parses `"60-90s"`, `"1m-1m30s"` or `"1:00-1:30"` into (min, max). A bare number on the left
/// takes the unit of the right side, so `"1-2m"` means one to two minutes.
pub fn parse_range(text: &str) -> Option<(Duration, Duration)> {
    let (left, right) = text.trim().split_once('-')?;
    let (left, right) = (left.trim(), right.trim());
    let max = parse(right)?;
    let min = if left.bytes().all(|b| b.is_ascii_digit()) && !left.is_empty() {
        let unit = right
            .chars()
            .last()
            .filter(|c| c.is_ascii_alphabetic() && right.trim_end_matches(*c).bytes().all(|b| b.is_ascii_digit()));
        match unit {
            Some(u) => parse(&format!("{left}{u}"))?,
            None => parse(left)?,
        }
    } else {
        parse(left)?
    };
    Some((min, max))
}

/// Short human form for lists and timelines: `45s`, `1m30s`, `2m`, `1h05m`.
#[must_use]
pub fn short(d: Duration) -> String {
    let secs = d.as_secs();
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    match (h, m, s) {
        (0, 0, s) => format!("{s}s"),
        (0, m, 0) => format!("{m}m"),
        (0, m, s) => format!("{m}m{s:02}s"),
        (h, 0, 0) => format!("{h}h"),
        (h, m, _) => format!("{h}h{m:02}m"),
    }
}

/// A range hold's span: `60-90s` for short holds (as people write them), else `2m-3m30s`.
#[must_use]
pub fn range(min: Duration, max: Duration) -> String {
    if max.as_secs() <= 300 {
        format!("{}-{}s", min.as_secs(), max.as_secs())
    } else {
        format!("{}-{}", short(min), short(max))
    }
}

/// Clock form for countdowns: `m:ss`, or `h:mm:ss` past an hour.
#[must_use]
pub fn clock(d: Duration) -> String {
    let secs = d.as_secs();
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    if h > 0 { format!("{h}:{m:02}:{s:02}") } else { format!("{m}:{s:02}") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[allow(clippy::unnecessary_wraps)] // compared against `parse`, which returns Option
    fn secs(n: u64) -> Option<Duration> {
        Some(Duration::from_secs(n))
    }

    #[test]
    fn every_documented_spelling_parses() {
        for (text, want) in [
            ("45", 45),
            ("45s", 45),
            ("1m", 60),
            ("1m30s", 90),
            ("1m 30s", 90),
            ("1:30", 90),
            ("1h", 3600),
            ("0:05", 5),
            ("1:00:00", 3600),
            (" 20s ", 20),
        ] {
            assert_eq!(parse(text), secs(want), "{text}");
        }
    }

    #[test]
    fn nonsense_is_rejected() {
        for text in [
            "",
            "s",
            "1.5s",
            "-5s",
            "1:5",
            "1:60",
            "30s1m",
            "1m1m",
            "5 s s",
            "ten",
            "1d",
            "1:2:3:4",
            "99999999999999999999",
        ] {
            assert_eq!(parse(text), None, "{text}");
        }
    }

    #[test]
    fn ranges_share_the_right_hand_unit() {
        assert_eq!(parse_range("60-90s"), Some((Duration::from_secs(60), Duration::from_secs(90))));
        assert_eq!(parse_range("1-2m"), Some((Duration::from_secs(60), Duration::from_secs(120))));
        assert_eq!(parse_range("1m-1m30s"), Some((Duration::from_secs(60), Duration::from_secs(90))));
        assert_eq!(parse_range("1:00 - 1:30"), Some((Duration::from_secs(60), Duration::from_secs(90))));
        assert_eq!(parse_range("90s"), None);
    }

    #[test]
    fn durations_print_short_and_as_a_clock() {
        assert_eq!(short(Duration::from_secs(45)), "45s");
        assert_eq!(short(Duration::from_secs(90)), "1m30s");
        assert_eq!(short(Duration::from_secs(300)), "5m");
        assert_eq!(short(Duration::from_secs(3900)), "1h05m");
        assert_eq!(short(Duration::from_secs(7200)), "2h");
        assert_eq!(clock(Duration::from_secs(75)), "1:15");
        assert_eq!(range(Duration::from_secs(60), Duration::from_secs(90)), "60-90s");
        assert_eq!(range(Duration::from_secs(120), Duration::from_secs(450)), "2m-7m30s");
        assert_eq!(clock(Duration::from_secs(3725)), "1:02:05");
    }
}
