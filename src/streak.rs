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
    /// The streak as home shows it, e.g. "12-day streak (longest 30) · 2 of 3 this week".
    #[must_use]
    pub fn line(&self) -> String {
        let mut line = match (self.current_days, self.longest_days) {
            (0, 0) => "no streak yet: finish a routine to start one".to_string(),
            (0, longest) => format!("no current streak (longest {longest} days)"),
            (days, longest) => format!("{days}-day streak (longest {longest})"),
        };
        if self.week_goal > 0 {
            line.push_str(&format!(" · {} this week", self.week_progress()));
        }
        line
    }

    /// This week against its goal: "2 of 3", and once past the goal "4, goal of 3 met" rather
    /// than a "4 of 3" that reads like a mistake.
    #[must_use]
    pub fn week_progress(&self) -> String {
        if self.this_week > self.this_week_goal {
            format!("{}, goal of {} met", self.this_week, self.this_week_goal)
        } else {
            format!("{} of {}", self.this_week, self.this_week_goal)
        }
    }

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
mod tests;
