//! Streak math over civil dates: daily and weekly streaks, and whether one is at risk.
//!
//! Pure: it is handed `today` and the days on which sessions were completed, and never reads a
//! clock or a time zone. Days are local calendar days as the user lived them (the date and time
//! on the wall where the session was done), so a DST change, which only moves the wall clock by
//! an hour, cannot split or merge days. `day_starts_at` shifts the boundary: with `04:00`, a
//! session at 01:00 still belongs to the evening before. Excused days (sick, travel, rest)
//! neither break a daily streak nor extend it; in weekly terms they lower that week's goal.
//!
//! Internally a day is a number (days since 1970-01-01) so the walks below are integer steps.

use std::collections::BTreeMap;

use jiff::civil::{Date, DateTime, Time, Weekday};

/// The user's streak rules (config `week_goal`, `week_start`, `day_starts_at`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StreakSettings {
    /// Completed sessions a week needs to count towards the weekly streak; 0 turns weekly off.
    pub week_goal: u32,
    pub week_start: Weekday,
    /// When a new day begins; sessions before it count for the day before.
    pub day_starts_at: Time,
}

impl Default for StreakSettings {
    fn default() -> Self {
        StreakSettings { week_goal: 3, week_start: Weekday::Monday, day_starts_at: Time::midnight() }
    }
}

impl StreakSettings {
    /// The day a session at local wall time `at` counts for.
    #[must_use]
    pub fn day_of(&self, at: DateTime) -> Date {
        if at.time() < self.day_starts_at { at.date().yesterday().unwrap_or(at.date()) } else { at.date() }
    }

    /// Seconds after midnight at which a day starts: the store computes days in SQL with it.
    #[must_use]
    pub fn day_start_secs(&self) -> i64 {
        i64::from(self.day_starts_at.hour()) * 3600
            + i64::from(self.day_starts_at.minute()) * 60
            + i64::from(self.day_starts_at.second())
    }

    /// The first day of the week holding `day`.
    #[must_use]
    pub fn week_of(&self, day: Date) -> Date {
        from_day_number(week_start_number(day_number(day), self.week_start))
    }
}

/// Streaks as of one day.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Streaks {
    /// Consecutive days up to today (or yesterday, while today is not done yet).
    pub current_days: u32,
    /// First day of the current daily streak (an excused day when it begins with one).
    pub current_days_since: Option<Date>,
    pub longest_days: u32,
    /// Consecutive weeks that met the goal, up to this week once met, else up to last week.
    pub current_weeks: u32,
    /// First day of the first week of the current weekly streak.
    pub current_weeks_since: Option<Date>,
    pub longest_weeks: u32,
    pub week_goal: u32,
    /// Completed sessions this week.
    pub this_week: u32,
    /// This week's goal after excused days are taken off it.
    pub this_week_goal: u32,
    pub done_today: bool,
    pub excused_today: bool,
    pub at_risk: Option<AtRisk>,
}

/// A streak that ends unless the user does something soon.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AtRisk {
    /// Nothing done today yet, and the daily streak runs up to yesterday.
    Daily { days: u32 },
    /// The week's goal can only still be met with a session on every day left.
    Weekly { weeks: u32, needed: u32, days_left: u32 },
}

impl AtRisk {
    /// The line shown on home and by `stats`.
    #[must_use]
    pub fn message(self) -> String {
        match self {
            AtRisk::Daily { days } => format!("do one today to keep your {days}-day streak"),
            AtRisk::Weekly { weeks, needed, days_left } => {
                let sessions = if needed == 1 { "session" } else { "sessions" };
                let days = if days_left == 1 { "today".to_string() } else { format!("in the {days_left} days left") };
                format!("{needed} more {sessions} {days} to keep your {weeks}-week streak")
            }
        }
    }
}

impl Streaks {
    /// Streaks from the local wall times of completed sessions.
    pub fn from_sessions(
        today: Date,
        completed: impl IntoIterator<Item = DateTime>,
        excused: &[Date],
        settings: &StreakSettings,
    ) -> Streaks {
        let mut per_day: BTreeMap<Date, u32> = BTreeMap::new();
        for at in completed {
            *per_day.entry(settings.day_of(at)).or_default() += 1;
        }
        let days: Vec<(Date, u32)> = per_day.into_iter().collect();
        Streaks::from_days(today, &days, excused, settings)
    }

    /// Streaks from (day, completed sessions that day) pairs, as the store aggregates them.
    /// Days after `today` are ignored (a future excuse must not count yet).
    #[must_use]
    pub fn from_days(today: Date, days: &[(Date, u32)], excused: &[Date], settings: &StreakSettings) -> Streaks {
        let today_n = day_number(today);
        // Sorted day numbers with their counts, and sorted excused days: the walks below are
        // merges and binary searches (the store already hands them over in order).
        let mut done: Vec<(i32, u32)> =
            days.iter().map(|&(d, c)| (day_number(d), c)).filter(|&(n, c)| n <= today_n && c > 0).collect();
        done.sort_unstable_by_key(|&(n, _)| n);
        done.dedup_by(|later, kept| {
            let same = later.0 == kept.0;
            if same {
                kept.1 += later.1;
            }
            same
        });
        let mut excused: Vec<i32> = excused.iter().map(|d| day_number(*d)).filter(|n| *n <= today_n).collect();
        excused.sort_unstable();
        excused.dedup();

        let (current_days, longest_days, current_days_since) = daily(today_n, &done, &excused);
        let weekly = weekly(today_n, &done, &excused, settings);
        let done_today = is_done(&done, today_n);
        let excused_today = excused.binary_search(&today_n).is_ok();

        let at_risk = if current_days > 0 && !done_today && !excused_today {
            Some(AtRisk::Daily { days: current_days })
        } else if weekly.current > 0 && weekly.this_week < weekly.this_week_goal {
            let needed = weekly.this_week_goal - weekly.this_week;
            // Today is still open, so it counts among the days left.
            let days_left = u32::try_from(7 - (today_n - week_start_number(today_n, settings.week_start))).unwrap_or(0);
            (needed >= days_left).then_some(AtRisk::Weekly { weeks: weekly.current, needed, days_left })
        } else {
            None
        };

        Streaks {
            current_days,
            current_days_since,
            longest_days,
            current_weeks: weekly.current,
            current_weeks_since: weekly.since,
            longest_weeks: weekly.longest,
            week_goal: settings.week_goal,
            this_week: weekly.this_week,
            this_week_goal: weekly.this_week_goal,
            done_today,
            excused_today,
            at_risk,
        }
    }
}

fn is_done(done: &[(i32, u32)], n: i32) -> bool {
    done.binary_search_by_key(&n, |&(d, _)| d).is_ok()
}

/// (current, longest, first day of current) daily streaks, counted in done days.
fn daily(today: i32, done: &[(i32, u32)], excused: &[i32]) -> (u32, u32, Option<Date>) {
    let covered = |n: i32| is_done(done, n) || excused.binary_search(&n).is_ok();

    // Runs of covered days, merging the two sorted lists; a run counts its done days.
    let (mut i, mut j) = (0, 0);
    let (mut longest, mut run) = (0, 0);
    let mut prev: Option<i32> = None;
    while i < done.len() || j < excused.len() {
        let next_done = done.get(i).map(|&(n, _)| n);
        let next_excused = excused.get(j).copied();
        let (n, is_done_day) = match (next_done, next_excused) {
            (Some(d), Some(e)) if d <= e => {
                i += 1;
                if d == e {
                    j += 1;
                }
                (d, true)
            }
            (Some(d), None) => {
                i += 1;
                (d, true)
            }
            (_, Some(e)) => {
                j += 1;
                (e, false)
            }
            (None, None) => break,
        };
        if prev.is_some_and(|p| n != p + 1) {
            run = 0;
        }
        if is_done_day {
            run += 1;
        }
        longest = longest.max(run);
        prev = Some(n);
    }

    // Today still being open does not break the streak: start from yesterday then.
    let mut n = if covered(today) { today } else { today - 1 };
    let mut current = 0;
    while covered(n) {
        if is_done(done, n) {
            current += 1;
        }
        n -= 1;
    }
    let since = (current > 0).then(|| from_day_number(n + 1));
    (current, longest, since)
}

enum Outcome {
    Met,
    Skipped,
    Missed,
}

struct Weekly {
    current: u32,
    longest: u32,
    since: Option<Date>,
    this_week: u32,
    this_week_goal: u32,
}

fn weekly(today: i32, done: &[(i32, u32)], excused: &[i32], settings: &StreakSettings) -> Weekly {
    let goal = settings.week_goal;
    let start = settings.week_start;
    // Days are sorted, so their weeks come in order: run-length counts per week.
    let per_week = |days: &mut dyn Iterator<Item = (i32, u32)>| {
        let mut weeks: Vec<(i32, u32)> = Vec::new();
        for (n, count) in days {
            let week = week_start_number(n, start);
            match weeks.last_mut() {
                Some((w, c)) if *w == week => *c += count,
                _ => weeks.push((week, count)),
            }
        }
        weeks
    };
    let sessions = per_week(&mut done.iter().copied());
    let excused_in = per_week(&mut excused.iter().map(|&n| (n, 1)));
    let count_in =
        |weeks: &[(i32, u32)], week: i32| weeks.binary_search_by_key(&week, |&(w, _)| w).map_or(0, |i| weeks[i].1);
    // A week with excused days asks for proportionally fewer sessions; a fully excused week
    // asks for none and is skipped over, like an excused day.
    let goal_of = |week: i32| {
        let free = 7 - count_in(&excused_in, week).min(7);
        (goal * free).div_ceil(7)
    };
    let this_week_start = week_start_number(today, start);
    let this_week = count_in(&sessions, this_week_start);
    let this_week_goal = goal_of(this_week_start);
    if goal == 0 {
        return Weekly { current: 0, longest: 0, since: None, this_week, this_week_goal };
    }

    let outcome = |week: i32| {
        let week_goal = goal_of(week);
        let count = count_in(&sessions, week);
        if week_goal == 0 {
            Outcome::Skipped
        } else if count >= week_goal {
            Outcome::Met
        } else {
            Outcome::Missed
        }
    };

    let mut longest = 0;
    let mut current = 0;
    let mut since = None;
    if let Some(&(first, _)) = sessions.first() {
        let mut run = 0;
        let mut run_start: Option<i32> = None;
        let mut week = first;
        while week <= this_week_start {
            match outcome(week) {
                Outcome::Met => {
                    run += 1;
                    run_start.get_or_insert(week);
                }
                Outcome::Skipped => {}
                // The week in progress has not missed yet.
                Outcome::Missed if week == this_week_start => {}
                Outcome::Missed => {
                    run = 0;
                    run_start = None;
                }
            }
            longest = longest.max(run);
            week += 7;
        }
        current = run;
        since = run_start.filter(|_| run > 0).map(from_day_number);
    }
    Weekly { current, longest, since, this_week, this_week_goal }
}

/// Days since 1970-01-01 (negative before). Plain integer arithmetic on the proleptic
/// Gregorian calendar (Howard Hinnant's `days_from_civil`): the stats walk thousands of days,
/// and this is several times cheaper than going through durations.
#[must_use]
pub fn day_number(date: Date) -> i32 {
    let (y, m, d) = (i32::from(date.year()), i32::from(date.month()), i32::from(date.day()));
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let year_of_era = y - era * 400;
    let day_of_year = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The date `n` days after 1970-01-01 (the inverse of [`day_number`]); clamps to jiff's range.
#[must_use]
pub fn from_day_number(n: i32) -> Date {
    let shifted = n + 719_468;
    let era = shifted.div_euclid(146_097);
    let day_of_era = shifted - era * 146_097;
    let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = year_of_era + era * 400 + i32::from(month <= 2);
    match (i16::try_from(year), i8::try_from(month), i8::try_from(day)) {
        (Ok(y), Ok(m), Ok(d)) => Date::new(y, m, d).unwrap_or(if n < 0 { Date::MIN } else { Date::MAX }),
        _ => {
            if n < 0 {
                Date::MIN
            } else {
                Date::MAX
            }
        }
    }
}

/// The day number of the first day of the week holding day `n`.
fn week_start_number(n: i32, start: Weekday) -> i32 {
    // 1970-01-01 was a Thursday, three days after a Monday.
    let weekday = (n + 3).rem_euclid(7);
    n - (weekday - i32::from(start.to_monday_zero_offset())).rem_euclid(7)
}

#[cfg(test)]
mod tests {
    use jiff::civil::{date, time};
    use jiff::tz::TimeZone;

    use super::*;

    /// (today, done days, excused days, current, longest)
    type DailyCase<'a> = (&'a str, &'a [&'a str], &'a [&'a str], u32, u32);
    /// (today, done, excused, current weeks, longest weeks, this week)
    type WeeklyCase<'a> = (&'a str, Vec<&'a str>, Vec<&'a str>, u32, u32, u32);

    fn join<'a>(parts: &[&[&'a str]]) -> Vec<&'a str> {
        parts.concat()
    }

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    fn at(s: &str) -> DateTime {
        s.parse().unwrap()
    }

    fn days(list: &[&str]) -> Vec<DateTime> {
        list.iter().map(|s| at(&format!("{s}T18:00"))).collect()
    }

    fn streaks(today: &str, done: &[&str], excused: &[&str]) -> Streaks {
        let excused: Vec<Date> = excused.iter().map(|s| d(s)).collect();
        Streaks::from_sessions(d(today), days(done), &excused, &StreakSettings::default())
    }

    #[test]
    fn daily_streaks_table() {
        // (today, done days, excused days, current, longest)
        let cases: &[DailyCase] = &[
            ("2026-03-10", &[], &[], 0, 0),
            ("2026-03-10", &["2026-03-10"], &[], 1, 1),
            // Today not done yet: the streak through yesterday is still current.
            ("2026-03-10", &["2026-03-07", "2026-03-08", "2026-03-09"], &[], 3, 3),
            // Two days ago is too late.
            ("2026-03-10", &["2026-03-07", "2026-03-08"], &[], 0, 2),
            // A gap splits the streak; the longest is remembered.
            (
                "2026-03-10",
                &["2026-03-01", "2026-03-02", "2026-03-03", "2026-03-05", "2026-03-09", "2026-03-10"],
                &[],
                2,
                3,
            ),
            // An excused day bridges the gap but is not counted.
            ("2026-03-10", &["2026-03-07", "2026-03-09", "2026-03-10"], &["2026-03-08"], 3, 3),
            // Excused yesterday, nothing yet today: still current.
            ("2026-03-10", &["2026-03-07", "2026-03-08"], &["2026-03-09"], 2, 2),
            // Excused days alone make no streak.
            ("2026-03-10", &[], &["2026-03-09", "2026-03-10"], 0, 0),
            // A future excuse does not count yet.
            ("2026-03-10", &["2026-03-09"], &["2026-03-11"], 1, 1),
            // Across a year end.
            ("2026-01-01", &["2025-12-30", "2025-12-31", "2026-01-01"], &[], 3, 3),
        ];
        for &(today, done, excused, current, longest) in cases {
            let s = streaks(today, done, excused);
            assert_eq!(
                (s.current_days, s.longest_days),
                (current, longest),
                "today {today}, done {done:?}, excused {excused:?}"
            );
        }
    }

    #[test]
    fn current_streaks_say_where_they_begin() {
        let s = streaks(
            "2026-03-18",
            &["2026-03-09", "2026-03-10", "2026-03-12", "2026-03-13", "2026-03-17"],
            &["2026-03-16"],
        );
        assert_eq!((s.current_days, s.current_days_since), (1, Some(d("2026-03-16"))));
        let s = streaks(
            "2026-03-18",
            &["2026-03-02", "2026-03-03", "2026-03-04", "2026-03-09", "2026-03-10", "2026-03-11"],
            &[],
        );
        assert_eq!((s.current_weeks, s.current_weeks_since), (2, Some(d("2026-03-02"))));
        assert_eq!(streaks("2026-03-18", &[], &[]).current_weeks_since, None);
    }

    #[test]
    fn several_sessions_a_day_count_once_for_the_daily_streak() {
        let s = streaks("2026-03-10", &["2026-03-10", "2026-03-10", "2026-03-09"], &[]);
        assert_eq!(s.current_days, 2);
        assert_eq!(s.this_week, 3);
    }

    #[test]
    fn streak_at_risk_when_today_is_not_done() {
        let done: Vec<String> = (1..=12).map(|n| format!("2026-03-{n:02}")).collect();
        let done: Vec<&str> = done.iter().map(String::as_str).collect();
        let s = streaks("2026-03-13", &done, &[]);
        assert_eq!(s.at_risk, Some(AtRisk::Daily { days: 12 }));
        assert_eq!(s.at_risk.unwrap().message(), "do one today to keep your 12-day streak");
        assert_eq!(streaks("2026-03-12", &done, &[]).at_risk, None, "done today: nothing at risk");
        assert_eq!(streaks("2026-03-13", &done, &["2026-03-13"]).at_risk, None, "excused today");
    }

    #[test]
    fn day_start_moves_late_sessions_to_the_evening_before() {
        let settings = StreakSettings { day_starts_at: time(4, 0, 0, 0), ..StreakSettings::default() };
        assert_eq!(settings.day_of(at("2026-03-10T01:00")), d("2026-03-09"));
        assert_eq!(settings.day_of(at("2026-03-10T03:59:59")), d("2026-03-09"));
        assert_eq!(settings.day_of(at("2026-03-10T04:00")), d("2026-03-10"));
        // Evening of the 8th, then 1 a.m. "on" the 10th belongs to the 9th: unbroken.
        let sessions = [at("2026-03-08T20:00"), at("2026-03-10T01:00")];
        let s = Streaks::from_sessions(d("2026-03-10"), sessions, &[], &settings);
        assert_eq!((s.current_days, s.done_today), (2, false));
        let midnight = Streaks::from_sessions(d("2026-03-10"), sessions, &[], &StreakSettings::default());
        assert_eq!((midnight.current_days, midnight.done_today), (1, true));
    }

    /// Sessions at local wall times around DST changes, converted from real instants in each zone,
    /// land on the day the user saw on the wall.
    #[test]
    fn dst_changes_neither_split_nor_merge_days() {
        // (zone, local wall times of sessions across the change, today, expected current streak)
        let cases: &[(&str, &[&str], &str, u32)] = &[
            // US spring forward 2026-03-08 02:00 -> 03:00.
            (
                "America/New_York",
                &["2026-03-07T23:30", "2026-03-08T00:30", "2026-03-08T03:30", "2026-03-09T00:15"],
                "2026-03-09",
                3,
            ),
            // US fall back 2026-11-01 02:00 -> 01:00: 01:30 happens twice, same day.
            ("America/New_York", &["2026-10-31T23:59", "2026-11-01T01:30", "2026-11-02T00:01"], "2026-11-02", 3),
            // EU spring forward 2026-03-29 02:00 -> 03:00.
            ("Europe/Berlin", &["2026-03-28T23:00", "2026-03-29T03:00", "2026-03-30T23:59"], "2026-03-31", 3),
            // EU fall back 2026-10-25 03:00 -> 02:00.
            ("Europe/Berlin", &["2026-10-24T22:00", "2026-10-25T02:30", "2026-10-26T00:00"], "2026-10-26", 3),
        ];
        for &(zone, walls, today, expected) in cases {
            let tz = TimeZone::get(zone).unwrap();
            // Go through the instant, as the store does, and back to the wall time in that zone.
            let sessions: Vec<DateTime> =
                walls.iter().map(|w| tz.to_zoned(at(w)).unwrap().timestamp().to_zoned(tz.clone()).datetime()).collect();
            let s = Streaks::from_sessions(d(today), sessions, &[], &StreakSettings::default());
            assert_eq!(s.current_days, expected, "{zone} {walls:?}");
        }
    }

    #[test]
    fn weekly_streaks_table() {
        // Weeks start Monday; 2026-03-02, -09, -16 and -23 are Mondays. Goal 3.
        let wk1 = ["2026-03-02", "2026-03-04", "2026-03-06"];
        let wk2 = ["2026-03-09", "2026-03-10", "2026-03-15"];
        let wk3_two = ["2026-03-16", "2026-03-17"];
        // (today, done, excused, current weeks, longest weeks, this week)
        let cases: Vec<WeeklyCase> = vec![
            // Week 3 in progress and not yet met: the streak through week 2 is current.
            ("2026-03-18", join(&[&wk1, &wk2, &wk3_two]), vec![], 2, 2, 2),
            // Week 3 met once its third session is done.
            ("2026-03-18", join(&[&wk1, &wk2, &wk3_two, &["2026-03-18"]]), vec![], 3, 3, 3),
            // Week 3 missed, now in week 4: streak over, longest kept.
            ("2026-03-23", join(&[&wk1, &wk2, &wk3_two]), vec![], 0, 2, 0),
            // Week 3 had 4 excused days: its goal drops to ceil(3*3/7) = 2, met.
            (
                "2026-03-23",
                join(&[&wk1, &wk2, &wk3_two]),
                vec!["2026-03-18", "2026-03-19", "2026-03-20", "2026-03-21"],
                3,
                3,
                0,
            ),
            // A fully excused week is skipped over.
            (
                "2026-03-23",
                join(&[&wk1, &wk2]),
                vec!["2026-03-16", "2026-03-17", "2026-03-18", "2026-03-19", "2026-03-20", "2026-03-21", "2026-03-22"],
                2,
                2,
                0,
            ),
        ];
        for (today, done, excused, current, longest, this_week) in cases {
            let s = streaks(today, &done, &excused);
            assert_eq!((s.current_weeks, s.longest_weeks, s.this_week), (current, longest, this_week), "today {today}");
        }
    }

    #[test]
    fn weekly_goal_across_a_year_end_with_sunday_weeks() {
        // 2025-12-28 is a Sunday; that week runs into 2026.
        let settings = StreakSettings { week_start: Weekday::Sunday, week_goal: 2, ..StreakSettings::default() };
        let sessions = days(&["2025-12-22", "2025-12-24", "2025-12-29", "2026-01-02", "2026-01-04", "2026-01-05"]);
        let s = Streaks::from_sessions(d("2026-01-05"), sessions.clone(), &[], &settings);
        // Weeks: 12-21 (2), 12-28 (2), 01-04 (2, met): three.
        assert_eq!((s.current_weeks, s.this_week), (3, 2));
        assert_eq!(settings.week_of(d("2026-01-02")), d("2025-12-28"));
        // With Monday weeks the same sessions split differently: 12-22 (2), 12-29 (3), 01-05 (1).
        let monday = StreakSettings { week_goal: 2, ..StreakSettings::default() };
        let s = Streaks::from_sessions(d("2026-01-05"), sessions, &[], &monday);
        assert_eq!((s.current_weeks, s.longest_weeks, s.this_week), (2, 2, 1));
        assert_eq!(monday.week_of(d("2026-01-04")), d("2025-12-29"));
    }

    #[test]
    fn weekly_streak_at_risk_only_when_every_day_left_is_needed() {
        // Goal 3, last week met; this week (from Monday 03-09) has one session.
        let done = ["2026-03-02", "2026-03-03", "2026-03-04", "2026-03-09"];
        // Saturday: two needed, two days left (Sat, Sun); today done so no daily risk applies.
        let mut with_today = done.to_vec();
        with_today.push("2026-03-14");
        let s = streaks("2026-03-14", &with_today, &[]);
        assert_eq!(s.at_risk, None, "one needed, two days left");
        let s = streaks("2026-03-15", &done, &[]);
        assert_eq!(s.at_risk, Some(AtRisk::Weekly { weeks: 1, needed: 2, days_left: 1 }));
        assert_eq!(s.at_risk.unwrap().message(), "2 more sessions today to keep your 1-week streak");
        assert_eq!(streaks("2026-03-11", &done, &[]).at_risk, None, "plenty of days left");
    }

    #[test]
    fn day_numbers_round_trip() {
        for s in ["0001-01-01", "1600-02-29", "1969-12-31", "1970-01-01", "2000-02-29", "2026-03-08", "2099-12-31"] {
            assert_eq!(from_day_number(day_number(d(s))), d(s));
        }
        // Every day of several years, against jiff's own arithmetic.
        let epoch = date(1970, 1, 1);
        let mut day = date(1899, 12, 25);
        while day < date(2101, 1, 5) {
            let n = day_number(day);
            assert_eq!(i64::from(n), day.duration_since(epoch).as_hours() / 24, "{day}");
            assert_eq!(from_day_number(n), day);
            day = day.tomorrow().unwrap();
        }
        assert_eq!(day_number(date(1970, 1, 2)), 1);
        assert_eq!(day_number(date(1969, 12, 31)), -1);
    }

    proptest::proptest! {
        /// The merged walks agree with a plain day-by-day count over the same calendar.
        #[test]
        fn daily_streaks_match_a_day_by_day_count(
            done in proptest::collection::btree_set(0_i32..120, 0..80),
            excused in proptest::collection::btree_set(0_i32..120, 0..20),
            today in 0_i32..125,
        ) {
            let base = day_number(date(2026, 1, 1));
            let day = |n: i32| from_day_number(base + n);
            let days: Vec<(Date, u32)> = done.iter().map(|&n| (day(n), 1)).collect();
            let excused_days: Vec<Date> = excused.iter().map(|&n| day(n)).collect();
            let s = Streaks::from_days(day(today), &days, &excused_days, &StreakSettings::default());

            let is_done = |n: i32| n <= today && done.contains(&n);
            let covered = |n: i32| is_done(n) || (n <= today && excused.contains(&n));
            let (mut longest, mut run) = (0, 0);
            for n in 0..=today {
                if !covered(n) { run = 0; } else if is_done(n) { run += 1; }
                longest = longest.max(run);
            }
            let mut n = if covered(today) { today } else { today - 1 };
            let mut current = 0;
            while n >= 0 && covered(n) {
                if is_done(n) { current += 1; }
                n -= 1;
            }
            proptest::prop_assert_eq!((s.current_days, s.longest_days), (current, longest));
        }
    }
}
