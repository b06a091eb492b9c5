//! Tests for `streak`, kept beside it in their own file so the module itself stays readable.

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
    let s =
        streaks("2026-03-18", &["2026-03-09", "2026-03-10", "2026-03-12", "2026-03-13", "2026-03-17"], &["2026-03-16"]);
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
fn the_streak_line_reads_as_on_home() {
    // 2026-11-23 is a Monday: the week holds only today.
    assert_eq!(
        streaks("2026-11-23", &[], &[]).line(),
        "no streak yet: finish a routine to start one · 0 of 3 this week"
    );
    assert_eq!(
        streaks("2026-11-23", &["2026-11-20", "2026-11-23"], &[]).line(),
        "1-day streak (longest 1) · 1 of 3 this week"
    );
    assert_eq!(
        streaks("2026-11-25", &["2026-11-20", "2026-11-21"], &[]).line(),
        "no current streak (longest 2 days) · 0 of 3 this week"
    );
    assert_eq!(
        streaks("2026-11-26", &["2026-11-23", "2026-11-24", "2026-11-25", "2026-11-26"], &[]).line(),
        "4-day streak (longest 4) · 4, goal of 3 met this week"
    );
    let weekly_off = StreakSettings { week_goal: 0, ..StreakSettings::default() };
    let s = Streaks::from_sessions(d("2026-11-23"), days(&["2026-11-22", "2026-11-23"]), &[], &weekly_off);
    assert_eq!(s.line(), "2-day streak (longest 2)");
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
