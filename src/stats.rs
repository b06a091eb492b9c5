//! What the history adds up to: streaks, totals, per-routine counts and the check-in trend,
//! gathered from the store for `supple stats`, the home screen and the history screen.
//!
//! The store aggregates in SQL (sessions per day, per routine, check-in rows), so 100,000
//! sessions come back as a few thousand rows and the rest is the pure math of [`crate::streak`].

use std::collections::BTreeMap;
use std::io::{self, Write};

use jiff::Zoned;
use jiff::civil::Date;
use serde_json::{Value, json};

use crate::record::SessionRecord;
use crate::sanitize;
use crate::store::exchange::rfc3339;
use crate::store::{self, CheckIn, RoutineAnswers, RoutineCount, SessionFilter, Store};
use crate::streak::{StreakSettings, Streaks};

/// How many weeks, the current one included, the check-in trend covers.
pub const TREND_WEEKS: i64 = 26;

/// Everything `supple stats` reports.
#[derive(Debug, Clone, PartialEq)]
pub struct Stats {
    pub streaks: Streaks,
    pub sessions_total: u64,
    pub completed_total: u64,
    pub excused_days: u64,
    /// The most recent session of any status, without steps.
    pub last_session: Option<SessionRecord>,
    /// Completed sessions per routine, most recently done first.
    pub per_routine: Vec<RoutineCount>,
    pub checkin: CheckinStats,
}

/// Check-in answers ("How does your back feel? 0-10") summed up.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CheckinStats {
    /// Per routine, most answers first: which routine actually helps.
    pub routines: Vec<RoutineCheckin>,
    /// All routines together, week by week over the last [`TREND_WEEKS`] weeks, oldest first.
    pub weeks: Vec<CheckinAverage>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RoutineCheckin {
    pub routine: String,
    pub overall: CheckinAverage,
    /// Week by week, oldest first.
    pub weeks: Vec<CheckinAverage>,
}

/// Averages over a set of sessions; `week` is the first day of the week when per week.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct CheckinAverage {
    pub week: Option<Date>,
    /// Sessions with at least one answer.
    pub sessions: u32,
    pub before: Option<f64>,
    pub after: Option<f64>,
    /// Mean of (after - before) over sessions that have both: negative means it eased.
    pub change: Option<f64>,
}

/// What the home screen shows next to each routine, and the streak line.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct HomeSummary {
    pub per_routine: Vec<RoutineCount>,
    pub streaks: Streaks,
}

impl HomeSummary {
    /// Reads only what home needs: per-routine counts (kept by triggers, so a few rows) and
    /// the streaks, longest included, from every completed day (one pass over an index). An
    /// absent history is an empty summary.
    pub fn load(store: Option<&Store>, settings: &StreakSettings, today: Date) -> store::Result<HomeSummary> {
        let Some(store) = store else {
            return Ok(HomeSummary { per_routine: Vec::new(), streaks: Streaks::from_days(today, &[], &[], settings) });
        };
        Ok(HomeSummary { per_routine: store.routine_counts()?, streaks: store.streaks(settings, today)? })
    }

    /// (completed count, last done) for a routine stem, compared case-insensitively.
    pub fn routine(&self, stem: &str) -> Option<&RoutineCount> {
        self.per_routine.iter().find(|r| r.routine.eq_ignore_ascii_case(stem))
    }
}

/// Everything the history screen shows, prepared so the view is a pure function of it.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryData {
    pub today: Date,
    pub settings: StreakSettings,
    /// Completed sessions per day for the calendar, oldest first (the last year or so).
    pub days: Vec<(Date, u32)>,
    pub excused: Vec<Date>,
    pub stats: Stats,
    /// The latest sessions, newest first, without steps.
    pub recent: Vec<SessionRecord>,
}

/// How many sessions the history screen lists.
pub const RECENT_SESSIONS: usize = 8;

impl HistoryData {
    pub fn load(store: Option<&Store>, settings: &StreakSettings, now: &Zoned) -> store::Result<HistoryData> {
        let today = today(now, settings);
        let stats = Stats::gather(store, settings, now)?;
        let Some(store) = store else {
            return Ok(HistoryData {
                today,
                settings: *settings,
                days: Vec::new(),
                excused: Vec::new(),
                stats,
                recent: Vec::new(),
            });
        };
        // A year of weeks plus the current one is what the calendar can show.
        let first = settings.week_of(today).checked_sub(jiff::Span::new().weeks(53)).unwrap_or(today);
        let days = store.completed_days_from(settings, Some(first))?;
        let excused = store.excused()?.into_iter().map(|(d, _)| d).filter(|d| *d >= first).collect();
        let mut recent = store.sessions(&SessionFilter {
            last: Some(RECENT_SESSIONS),
            without_steps: true,
            ..SessionFilter::default()
        })?;
        recent.reverse();
        Ok(HistoryData { today, settings: *settings, days, excused, stats, recent })
    }
}

/// "Today" for streaks: the wall date, moved back a day before `day_starts_at`.
pub fn today(now: &Zoned, settings: &StreakSettings) -> Date {
    settings.day_of(now.datetime())
}

impl Stats {
    /// Gathers the stats as of `now`; an absent history gives zeros.
    pub fn gather(store: Option<&Store>, settings: &StreakSettings, now: &Zoned) -> store::Result<Stats> {
        let today = today(now, settings);
        let Some(store) = store else {
            return Ok(Stats {
                streaks: Streaks::from_days(today, &[], &[], settings),
                sessions_total: 0,
                completed_total: 0,
                excused_days: 0,
                last_session: None,
                per_routine: Vec::new(),
                checkin: CheckinStats::default(),
            });
        };
        let excused: Vec<Date> = store.excused()?.into_iter().map(|(d, _)| d).collect();
        let streaks = Streaks::from_days(today, &store.completed_days(settings)?, &excused, settings);
        let (sessions_total, completed_total) = store.totals()?;
        let last = SessionFilter { last: Some(1), without_steps: true, ..SessionFilter::default() };
        Ok(Stats {
            streaks,
            sessions_total,
            completed_total,
            excused_days: excused.iter().filter(|d| **d <= today).count() as u64,
            last_session: store.sessions(&last)?.pop(),
            per_routine: store.routine_counts()?,
            checkin: CheckinStats::from_answers(&store.checkins(settings)?, settings, today),
        })
    }

    /// The `stats --json` document (documented in the README; keys are stable).
    pub fn to_json(&self) -> Value {
        let s = &self.streaks;
        json!({
            "current_streak_days": s.current_days,
            "longest_streak_days": s.longest_days,
            "current_streak_weeks": s.current_weeks,
            "longest_streak_weeks": s.longest_weeks,
            "week_goal": s.week_goal,
            "this_week": s.this_week,
            "sessions_total": self.sessions_total,
            "completed_total": self.completed_total,
            "excused_days": self.excused_days,
            "streak_at_risk": s.at_risk.is_some(),
            "streak_at_risk_message": s.at_risk.map(crate::streak::AtRisk::message),
            "done_today": s.done_today,
            "last_session": self.last_session.as_ref().map(|r| json!({
                "id": r.id,
                "routine": r.routine,
                "title": r.title,
                "started_at": rfc3339(&r.started_at),
                "status": r.status.name(),
            })),
            "per_routine": self.per_routine.iter().map(|r| json!({
                "routine": r.routine,
                "count": r.count,
                "last": r.last.as_ref().map(rfc3339),
            })).collect::<Vec<_>>(),
            "checkin": {
                "routines": self.checkin.routines.iter().map(|r| {
                    let mut entry = average_json(&r.overall);
                    entry["routine"] = json!(r.routine);
                    entry["weeks"] = r.weeks.iter().map(average_json).collect();
                    entry
                }).collect::<Vec<_>>(),
                "weeks": self.checkin.weeks.iter().map(average_json).collect::<Vec<_>>(),
            },
        })
    }

    /// The readable summary `supple stats` prints (text from the history is cleaned); the
    /// check-in averages only when `checkin` (the config's setting) is on.
    pub fn write_text(&self, out: &mut dyn Write, checkin: bool) -> io::Result<()> {
        let s = &self.streaks;
        if self.sessions_total == 0 && self.excused_days == 0 {
            return writeln!(
                out,
                "No sessions yet. Run one with `supple run <ROUTINE>`, or record one with `supple log <ROUTINE>`."
            );
        }
        writeln!(out, "Daily streak   {} (longest {})", days(s.current_days), days(s.longest_days))?;
        if s.week_goal > 0 {
            writeln!(
                out,
                "Weekly streak  {} meeting the goal of {} a week (longest {})",
                weeks(s.current_weeks),
                s.week_goal,
                weeks(s.longest_weeks)
            )?;
            writeln!(out, "This week      {}", s.week_progress())?;
        }
        writeln!(
            out,
            "Sessions       {} ({} completed), {} excused {}",
            self.sessions_total,
            self.completed_total,
            self.excused_days,
            if self.excused_days == 1 { "day" } else { "days" }
        )?;
        if let Some(last) = &self.last_session {
            writeln!(
                out,
                "Last session   {} {} ({})",
                last.started_at.strftime("%Y-%m-%d %H:%M"),
                sanitize::line(&last.routine),
                last.status.name()
            )?;
        }
        if let Some(risk) = s.at_risk {
            let message = risk.message();
            let mut chars = message.chars();
            let first = chars.next().map(|c| c.to_uppercase().collect::<String>()).unwrap_or_default();
            writeln!(out, "\n{first}{}.", chars.as_str())?;
        }
        if !self.per_routine.is_empty() {
            let names: Vec<String> = self.per_routine.iter().map(|r| sanitize::line(&r.routine)).collect();
            let width =
                names.iter().map(|n| unicode_width::UnicodeWidthStr::width(n.as_str())).max().unwrap_or(0).max(7);
            writeln!(out, "\n{}  {:>5}  Last done", pad("Routine", width), "Done")?;
            for (r, name) in self.per_routine.iter().zip(&names) {
                let last = r.last.as_ref().map(|z| z.strftime("%Y-%m-%d").to_string()).unwrap_or_default();
                writeln!(out, "{}  {:>5}  {last}", pad(name, width), r.count)?;
            }
        }
        if checkin && !self.checkin.routines.is_empty() {
            writeln!(out, "\nCheck-in (back pain 0-10, average before -> after)")?;
            let names: Vec<String> = self.checkin.routines.iter().map(|r| sanitize::line(&r.routine)).collect();
            let width = names.iter().map(|n| unicode_width::UnicodeWidthStr::width(n.as_str())).max().unwrap_or(0);
            for (r, name) in self.checkin.routines.iter().zip(&names) {
                let a = &r.overall;
                let change = a.change.map(|c| format!("  ({c:+.1})")).unwrap_or_default();
                let trend: Vec<String> =
                    r.weeks.iter().rev().take(6).rev().map(|w| score(w.after.or(w.before))).collect();
                writeln!(
                    out,
                    "{}  {} -> {}{change}  over {} {}; recent weeks after: {}",
                    pad(name, width),
                    score(a.before),
                    score(a.after),
                    a.sessions,
                    if a.sessions == 1 { "session" } else { "sessions" },
                    trend.join(" ")
                )?;
            }
        }
        Ok(())
    }
}

fn average_json(a: &CheckinAverage) -> Value {
    let mut v = json!({
        "sessions": a.sessions,
        "avg_before": a.before,
        "avg_after": a.after,
        "avg_change": a.change,
    });
    if let Some(week) = a.week {
        v["week_start"] = json!(week.to_string());
    }
    v
}

fn score(v: Option<f64>) -> String {
    v.map_or_else(|| "-".to_string(), |v| format!("{v:.1}"))
}

fn days(n: u32) -> String {
    if n == 1 { "1 day".into() } else { format!("{n} days") }
}

fn weeks(n: u32) -> String {
    if n == 1 { "1 week".into() } else { format!("{n} weeks") }
}

fn pad(text: &str, width: usize) -> String {
    let w = unicode_width::UnicodeWidthStr::width(text);
    format!("{text}{}", " ".repeat(width.saturating_sub(w)))
}

/// Running sums for an average.
#[derive(Default, Clone, Copy)]
struct Sums {
    sessions: u32,
    before: (u32, u32),
    after: (u32, u32),
    change: (i32, u32),
}

impl Sums {
    fn add(&mut self, c: CheckIn) {
        self.sessions += 1;
        if let Some(b) = c.before {
            self.before.0 += u32::from(b);
            self.before.1 += 1;
        }
        if let Some(a) = c.after {
            self.after.0 += u32::from(a);
            self.after.1 += 1;
        }
        if let (Some(b), Some(a)) = (c.before, c.after) {
            self.change.0 += i32::from(a) - i32::from(b);
            self.change.1 += 1;
        }
    }

    fn average(self, week: Option<Date>) -> CheckinAverage {
        let mean = |sum: f64, n: u32| (n > 0).then(|| (sum / f64::from(n) * 10.0).round() / 10.0);
        CheckinAverage {
            week,
            sessions: self.sessions,
            before: mean(f64::from(self.before.0), self.before.1),
            after: mean(f64::from(self.after.0), self.after.1),
            change: mean(f64::from(self.change.0), self.change.1),
        }
    }
}

impl CheckinStats {
    /// Sums answers per routine over all time, and per week over the last [`TREND_WEEKS`]
    /// weeks up to `today` (weeks as configured).
    pub fn from_answers(groups: &[RoutineAnswers], settings: &StreakSettings, today: Date) -> CheckinStats {
        let this_week = settings.week_of(today);
        let first_week = this_week.checked_sub(jiff::Span::new().weeks(TREND_WEEKS - 1)).unwrap_or(this_week);
        let mut per_week: BTreeMap<Date, Sums> = BTreeMap::new();
        let mut routines: Vec<RoutineCheckin> = groups
            .iter()
            .map(|group| {
                let mut overall = Sums::default();
                let mut weeks: BTreeMap<Date, Sums> = BTreeMap::new();
                for answer in &group.answers {
                    overall.add(*answer);
                    let week = settings.week_of(answer.day);
                    if week >= first_week && week <= this_week {
                        weeks.entry(week).or_default().add(*answer);
                        per_week.entry(week).or_default().add(*answer);
                    }
                }
                RoutineCheckin {
                    routine: group.routine.clone(),
                    overall: overall.average(None),
                    weeks: weeks.into_iter().map(|(w, s)| s.average(Some(w))).collect(),
                }
            })
            .collect();
        routines.sort_by(|a, b| b.overall.sessions.cmp(&a.overall.sessions).then_with(|| a.routine.cmp(&b.routine)));
        CheckinStats { routines, weeks: per_week.into_iter().map(|(w, s)| s.average(Some(w))).collect() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answers(routine: &str, list: &[(&str, Option<u8>, Option<u8>)]) -> RoutineAnswers {
        RoutineAnswers {
            routine: routine.to_string(),
            answers: list
                .iter()
                .map(|&(day, before, after)| CheckIn { day: day.parse().unwrap(), before, after })
                .collect(),
        }
    }

    #[test]
    fn checkin_averages_per_routine_and_week() {
        let groups = [
            answers("bedtime", &[("2026-03-09", Some(2), Some(2))]),
            answers(
                "post-ride",
                &[
                    // Long ago: in the overall average, not in the weekly trend.
                    ("2025-01-06", Some(9), Some(9)),
                    ("2026-03-02", Some(6), Some(3)),
                    ("2026-03-04", Some(5), Some(4)),
                    ("2026-03-09", Some(4), None),
                ],
            ),
        ];
        let stats = CheckinStats::from_answers(&groups, &StreakSettings::default(), "2026-03-10".parse().unwrap());
        let ride = &stats.routines[0];
        assert_eq!(ride.routine, "post-ride", "most answers first");
        assert_eq!((ride.overall.sessions, ride.overall.before, ride.overall.after), (4, Some(6.0), Some(5.3)));
        assert_eq!(ride.overall.change, Some(-1.3), "only sessions with both answers count: (0 - 3 - 1) / 3");
        assert_eq!(ride.weeks.len(), 2);
        assert_eq!((ride.weeks[0].week, ride.weeks[0].after), (Some("2026-03-02".parse().unwrap()), Some(3.5)));
        assert_eq!((ride.weeks[1].before, ride.weeks[1].after), (Some(4.0), None));
        assert_eq!(stats.weeks.len(), 2);
        assert_eq!((stats.weeks[1].sessions, stats.weeks[1].before), (2, Some(3.0)));
    }

    #[test]
    fn an_absent_history_gives_zeros() {
        let now: Zoned = "2026-03-10T12:00:00+01:00[Europe/Berlin]".parse().unwrap();
        let stats = Stats::gather(None, &StreakSettings::default(), &now).unwrap();
        let json = stats.to_json();
        assert_eq!(json["sessions_total"], 0);
        assert_eq!(json["last_session"], Value::Null);
        assert_eq!(json["streak_at_risk"], false);
        let mut text = Vec::new();
        stats.write_text(&mut text, true).unwrap();
        assert!(String::from_utf8(text).unwrap().starts_with("No sessions yet."));
    }
}
