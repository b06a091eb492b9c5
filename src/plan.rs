//! Turns a routine into the ordered list of steps a session walks through.
//!
//! For each block round, each exercise, each set, each side: a `prepare` before the first
//! set/side of the exercise, the `work`, a `switch` between sides, a `set_rest` between sets,
//! and a `rest` after the exercise, except after the routine's very last step. Zero-length
//! pauses are dropped, so a routine with `rest = 0` simply has no rest steps.

use std::time::Duration;

use crate::routine::{Routine, Work};

/// What kind of step this is; decides colour, cue and what the user is asked to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StepKind {
    /// Get into position for the exercise that follows.
    Prepare,
    Work,
    /// Rest after an exercise or between sets.
    Rest,
    /// Change sides.
    Switch,
}

impl StepKind {
    /// The word used in history exports (`"work"`, `"rest"`, ...).
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            StepKind::Prepare => "prepare",
            StepKind::Work => "work",
            StepKind::Rest => "rest",
            StepKind::Switch => "switch",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Side {
    Left,
    Right,
}

impl Side {
    /// Lower-case, as stored in history.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Side::Left => "left",
            Side::Right => "right",
        }
    }
}

/// One step of a planned routine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub kind: StepKind,
    /// The exercise this step belongs to; for pauses, the exercise about to be done
    /// (prepare, switch) or just done (rest).
    pub exercise: String,
    pub notes: Option<String>,
    pub side: Option<Side>,
    /// 1-based set number, and how many sets the exercise has.
    pub set: u32,
    pub sets: u32,
    /// 1-based round of the block, and how many rounds it has.
    pub round: u32,
    pub rounds: u32,
    /// What is done in the step; pauses are [`Work::Hold`] of their length.
    pub work: Work,
}

impl Step {
    /// How long the step is planned to take (range holds: their maximum).
    #[must_use]
    pub fn planned(&self) -> Duration {
        self.work.planned()
    }
}

/// The ordered steps of a routine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub steps: Vec<Step>,
}

impl Plan {
    #[must_use]
    pub fn new(routine: &Routine) -> Plan {
        let mut steps = Vec::new();
        for block in &routine.blocks {
            for round in 1..=block.rounds {
                for exercise in &block.exercises {
                    let step = |kind, side, set, work| Step {
                        kind,
                        exercise: exercise.name.clone(),
                        notes: exercise.notes.clone(),
                        side,
                        set,
                        sets: exercise.sets,
                        round,
                        rounds: block.rounds,
                        work,
                    };
                    let pause =
                        |kind, side, set, d: Duration| (!d.is_zero()).then(|| step(kind, side, set, Work::Hold(d)));
                    let sides: &[Option<Side>] =
                        if exercise.each_side { &[Some(Side::Left), Some(Side::Right)] } else { &[None] };
                    let first_side = sides[0];
                    steps.extend(pause(StepKind::Prepare, first_side, 1, exercise.pauses.prepare));
                    for set in 1..=exercise.sets {
                        if set > 1 {
                            steps.extend(pause(StepKind::Rest, first_side, set, exercise.pauses.set_rest));
                        }
                        for (i, &side) in sides.iter().enumerate() {
                            if i > 0 {
                                steps.extend(pause(StepKind::Switch, side, set, exercise.pauses.switch));
                            }
                            steps.push(step(StepKind::Work, side, set, exercise.work));
                        }
                    }
                    steps.extend(pause(StepKind::Rest, None, exercise.sets, exercise.pauses.rest));
                }
            }
        }
        // The rule is "no rest after the very last step": a trailing rest would only delay "done".
        while steps.last().is_some_and(|s| s.kind != StepKind::Work) {
            steps.pop();
        }
        Plan { steps }
    }

    /// The estimated length: every step's planned time, self-paced reps at 3 s each.
    #[must_use]
    pub fn total(&self) -> Duration {
        self.steps.iter().map(Step::planned).sum()
    }

    /// How many steps are exercise work (a side, a set or a round each), the count the
    /// summary gives as "exercises": prepare, rest and switch steps are not the user's work.
    #[must_use]
    pub fn exercises(&self) -> usize {
        self.steps.iter().filter(|s| s.kind == StepKind::Work).count()
    }

    /// Time planned from step `index` (inclusive) to the end.
    #[must_use]
    pub fn remaining_from(&self, index: usize) -> Duration {
        self.steps.iter().skip(index).map(Step::planned).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::routine::{Block, Exercise, Pauses};

    fn secs(n: u64) -> Duration {
        Duration::from_secs(n)
    }

    fn exercise(name: &str, work: Work, each_side: bool, sets: u32, pauses: Pauses) -> Exercise {
        Exercise { name: name.into(), notes: None, work, each_side, sets, pauses }
    }

    fn shape(plan: &Plan) -> Vec<String> {
        plan.steps
            .iter()
            .map(|s| {
                let side = s.side.map_or("", |x| if x == Side::Left { " L" } else { " R" });
                format!(
                    "{} {}{side} set{} round{} {}s",
                    s.kind.name(),
                    s.exercise,
                    s.set,
                    s.round,
                    s.planned().as_secs()
                )
            })
            .collect()
    }

    fn routine(blocks: Vec<Block>) -> Routine {
        Routine { name: "t".into(), description: None, tags: vec![], blocks }
    }

    #[test]
    fn sides_sets_and_rounds_expand_in_order_with_their_pauses() {
        let pauses = Pauses { prepare: secs(5), rest: secs(10), switch: secs(3), set_rest: secs(15) };
        let r = routine(vec![Block {
            rounds: 2,
            exercises: vec![
                exercise("Clam", Work::Reps { count: 15, tempo: None }, true, 2, pauses),
                exercise("Dog", Work::Hold(secs(20)), false, 1, pauses),
            ],
        }]);
        assert_eq!(
            shape(&Plan::new(&r)),
            [
                "prepare Clam L set1 round1 5s",
                "work Clam L set1 round1 45s",
                "switch Clam R set1 round1 3s",
                "work Clam R set1 round1 45s",
                "rest Clam L set2 round1 15s",
                "work Clam L set2 round1 45s",
                "switch Clam R set2 round1 3s",
                "work Clam R set2 round1 45s",
                "rest Clam set2 round1 10s",
                "prepare Dog set1 round1 5s",
                "work Dog set1 round1 20s",
                "rest Dog set1 round1 10s",
                "prepare Clam L set1 round2 5s",
                "work Clam L set1 round2 45s",
                "switch Clam R set1 round2 3s",
                "work Clam R set1 round2 45s",
                "rest Clam L set2 round2 15s",
                "work Clam L set2 round2 45s",
                "switch Clam R set2 round2 3s",
                "work Clam R set2 round2 45s",
                "rest Clam set2 round2 10s",
                "prepare Dog set1 round2 5s",
                "work Dog set1 round2 20s",
            ]
        );
    }

    #[test]
    fn zero_pauses_are_dropped_and_nothing_follows_the_last_work() {
        let none =
            Pauses { prepare: Duration::ZERO, rest: Duration::ZERO, switch: Duration::ZERO, set_rest: Duration::ZERO };
        let r = routine(vec![Block {
            rounds: 1,
            exercises: vec![exercise("Plank", Work::RangeHold { min: secs(60), max: secs(90) }, true, 2, none)],
        }]);
        assert_eq!(
            shape(&Plan::new(&r)),
            [
                "work Plank L set1 round1 90s",
                "work Plank R set1 round1 90s",
                "work Plank L set2 round1 90s",
                "work Plank R set2 round1 90s"
            ]
        );
    }

    #[test]
    fn total_counts_paced_reps_by_tempo_and_self_paced_at_three_seconds() {
        let none = Pauses { prepare: Duration::ZERO, rest: secs(30), switch: Duration::ZERO, set_rest: Duration::ZERO };
        let r = routine(vec![Block {
            rounds: 1,
            exercises: vec![
                exercise("Cat-camel", Work::Reps { count: 20, tempo: Some(secs(2)) }, false, 1, none),
                exercise("Clam", Work::Reps { count: 10, tempo: None }, false, 1, none),
            ],
        }]);
        let plan = Plan::new(&r);
        assert_eq!(plan.total(), secs(40 + 30 + 30));
        assert_eq!(plan.remaining_from(1), secs(60));
    }
}
