//! `supple log` (a session done without the timer) and `supple excuse` (a day that keeps the
//! streak without a session).

use std::io::Write;

use jiff::civil::Date;
use uuid::Uuid;

use super::Context;
use crate::plan::Plan;
use crate::record::{SessionRecord, Status};
use crate::sanitize;
use crate::stats::{HomeSummary, today};

#[derive(Debug, Clone, clap::Args)]
pub struct LogArgs {
    /// The routine that was done: a name (e.g. `post-ride`) or a path to a .toml file
    pub routine: String,
    /// The day it was done, when not today
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = super::parse_date)]
    pub date: Option<Date>,
}

#[derive(Debug, Clone, clap::Args)]
pub struct ExcuseArgs {
    /// The day to excuse (default: today)
    #[arg(value_name = "YYYY-MM-DD", value_parser = super::parse_date)]
    pub date: Option<Date>,
    /// Why, e.g. sick, travel, rest day
    #[arg(long, value_name = "TEXT", conflicts_with = "undo")]
    pub reason: Option<String>,
    /// Take back the excuse for that day
    #[arg(long)]
    pub undo: bool,
}

/// What `log` records for a routine, taken from the resolved routine file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Logged {
    pub stem: String,
    pub title: String,
    pub hash: String,
    pub planned_secs: u64,
    pub steps_total: u32,
}

/// `supple log ROUTINE [--date]`: the routine is resolved like `run` resolves it (a name or a
/// path), so the session carries its title, hash and planned length; an unknown or broken
/// routine is a user error.
pub fn log(args: &LogArgs, ctx: &Context, out: &mut dyn Write) -> Result<(), String> {
    let name = args.routine.trim();
    if name.is_empty() {
        return Err("name the routine that was done, e.g. `supple log post-ride`".into());
    }
    let (entry, routine) = ctx.resolve(name).map_err(|e| e.to_string())?;
    let plan = Plan::new(&routine);
    let logged = Logged {
        stem: entry.stem.clone(),
        title: routine.name.clone(),
        hash: entry.hash.clone(),
        planned_secs: plan.total().as_secs(),
        steps_total: u32::try_from(plan.steps.len()).unwrap_or(u32::MAX),
    };
    log_routine(&logged, args.date, ctx, out)
}

/// Records a completed session of `routine` on `date` (noon local time) or now.
pub fn log_routine(routine: &Logged, date: Option<Date>, ctx: &Context, out: &mut dyn Write) -> Result<(), String> {
    let today = today(&ctx.now, &ctx.settings);
    let started_at = match date {
        Some(day) if day > today => return Err(format!("{day} is in the future; log a session on or before {today}")),
        // Noon is inside the day whatever `day_starts_at` says.
        Some(day) => day
            .at(12, 0, 0, 0)
            .to_zoned(ctx.now.time_zone().clone())
            .map_err(|e| format!("cannot place {day} in your time zone: {e}"))?,
        None => ctx.now.clone(),
    };
    let record = SessionRecord {
        id: Uuid::new_v4(),
        routine: routine.stem.clone(),
        title: routine.title.clone(),
        routine_hash: routine.hash.clone(),
        ended_at: Some(started_at.clone()),
        started_at,
        status: Status::Completed,
        planned_secs: routine.planned_secs,
        active_secs: routine.planned_secs,
        steps_total: routine.steps_total,
        steps_done: routine.steps_total,
        steps_skipped: 0,
        pain_before: None,
        pain_after: None,
        note: Some("logged without the timer".into()),
        quit_reason: None,
        steps: Vec::new(),
    };
    let mut store = ctx.write_store()?;
    store.save_session(&record).map_err(|e| format!("the session was not recorded: {e}"))?;
    let day = ctx.settings.day_of(record.started_at.datetime());
    let summary = HomeSummary::load(Some(&store), &ctx.settings, today).map_err(|e| e.to_string())?;
    writeln!(out, "Logged {} on {day}. {}", sanitize::line(&routine.stem), streak_line(&summary))
        .map_err(|e| e.to_string())
}

/// `supple excuse [DATE] [--reason]`.
pub fn excuse(args: &ExcuseArgs, ctx: &Context, out: &mut dyn Write) -> Result<(), String> {
    let today = today(&ctx.now, &ctx.settings);
    let day = args.date.unwrap_or(today);
    let reason = args.reason.as_deref().map(str::trim).filter(|r| !r.is_empty());
    let mut store = ctx.write_store()?;
    if args.undo {
        let removed = store.unexcuse(day).map_err(|e| format!("the excuse was not taken back: {e}"))?;
        if !removed {
            return Err(format!("{day} was not excused"));
        }
        let summary = HomeSummary::load(Some(&store), &ctx.settings, today).map_err(|e| e.to_string())?;
        return writeln!(out, "{day} is no longer excused. {}", streak_line(&summary)).map_err(|e| e.to_string());
    }
    // An excuse on a day already done would lower that week's goal for a session that
    // counted anyway, and "counts as no session" would not be true.
    let done = store.completed_days_from(&ctx.settings, Some(day)).map_err(|e| e.to_string())?;
    if done.first().is_some_and(|&(first, _)| first == day) {
        return Err(format!("{day} needs no excuse: a session was completed that day (see `supple history`)"));
    }
    store.excuse(day, reason).map_err(|e| format!("the day was not excused: {e}"))?;
    let summary = HomeSummary::load(Some(&store), &ctx.settings, today).map_err(|e| e.to_string())?;
    let why = reason.map(|r| format!(" ({})", sanitize::line(r))).unwrap_or_default();
    writeln!(out, "Excused {day}{why}: it keeps your streak and counts as no session. {}", streak_line(&summary))
        .map_err(|e| e.to_string())
}

fn streak_line(summary: &HomeSummary) -> String {
    match summary.streaks.current_days {
        0 => "No current streak.".to_string(),
        1 => "Streak: 1 day.".to_string(),
        n => format!("Streak: {n} days."),
    }
}
