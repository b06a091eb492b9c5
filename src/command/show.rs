//! `supple show <ROUTINE>`: the expanded timeline, so a user can see exactly what a routine
//! will ask of them, and for how long, before starting it.

use std::io::Write;
use std::time::Duration;

use super::{CommandResult, Failure, write_cell};
use crate::plan::{Plan, Step, StepKind};
use crate::routine::library::Library;
use crate::routine::{Work, seconds};
use crate::sanitize;

pub fn run(name: &str, library: &Library, out: &mut dyn Write) -> CommandResult {
    let (entry, routine) = library.resolve(name).map_err(|e| Failure::new(e.to_string()))?;
    let plan = Plan::new(&routine);
    let overrides = if entry.overrides_bundled { ", overrides the bundled one" } else { "" };
    writeln!(out, "{}", routine.name)?;
    writeln!(out, "{} ({}{overrides})", sanitize::line(&entry.stem), entry.source.name())?;
    if let Some(description) = &routine.description {
        writeln!(out, "{description}")?;
    }
    if !routine.tags.is_empty() {
        writeln!(out, "Tags: {}", routine.tags.join(", "))?;
    }
    writeln!(out)?;
    writeln!(out, "   #   START      TIME  STEP")?;
    let mut start = Duration::ZERO;
    for (i, step) in plan.steps.iter().enumerate() {
        write!(out, "{:>4}  {:>6}  {:>8}  ", i + 1, seconds::clock(start), length(step))?;
        write_cell(out, step.kind.name(), 9)?;
        writeln!(out, "{}", describe(step))?;
        start += step.planned();
    }
    writeln!(out)?;
    writeln!(out, "Total: {} in {} steps{}", seconds::short(plan.total()), plan.steps.len(), footnote(&plan))?;
    Ok(())
}

/// The TIME column: the planned length, or the range of a range hold.
fn length(step: &Step) -> String {
    match step.work {
        Work::RangeHold { min, max } if step.kind == StepKind::Work => seconds::range(min, max),
        _ => seconds::short(step.planned()),
    }
}

/// `Couch stretch · left · set 1/2 · round 1/2 · 15 reps, self-paced`
fn describe(step: &Step) -> String {
    let mut parts = vec![step.exercise.clone()];
    if let Some(side) = step.side {
        parts.push(side.name().to_string());
    }
    if step.kind == StepKind::Work {
        if step.sets > 1 {
            parts.push(format!("set {}/{}", step.set, step.sets));
        }
        if step.rounds > 1 {
            parts.push(format!("round {}/{}", step.round, step.rounds));
        }
        match step.work {
            Work::Reps { count, tempo: Some(t) } => {
                parts.push(format!("{count} reps, one every {}", seconds::short(t)));
            }
            Work::Reps { count, tempo: None } => parts.push(format!("{count} reps, self-paced")),
            Work::RangeHold { min, .. } => parts.push(format!("hold; Enter ends it after {}", seconds::short(min))),
            Work::Hold(_) => {}
        }
    }
    parts.join(" · ")
}

/// Says how estimates were made, but only when they apply.
fn footnote(plan: &Plan) -> String {
    let works = || plan.steps.iter().filter(|s| s.kind == StepKind::Work);
    let mut notes = Vec::new();
    if works().any(|s| matches!(s.work, Work::RangeHold { .. })) {
        notes.push("range holds counted at their maximum");
    }
    if works().any(|s| matches!(s.work, Work::Reps { tempo: None, .. })) {
        notes.push("self-paced reps at 3s each");
    }
    if notes.is_empty() { String::new() } else { format!(" ({})", notes.join("; ")) }
}
