//! Property tests for routine files, from both sides.
//!
//! Valid routines are generated as a shape (blocks, rounds, exercises, sets, sides, pauses)
//! and written out as TOML in every spelling the format allows. The expected step count and
//! length are computed from the shape alone, not by the planner, and compared with what the
//! parser and planner make of the text and with what `supple show` prints for it.
//!
//! Hostile text (token soup, mutated routines, deep nesting, huge numbers, control characters)
//! must never panic the parser, and whatever it reports must be printable as is.

use std::path::Path;
use std::time::Duration;

use assert_cmd::Command;
use proptest::prelude::*;
use supple::plan::Plan;
use supple::routine::{Pauses, Routine, file, seconds};

/// A duration and how to write it.
#[derive(Debug, Clone)]
struct Dur {
    secs: u64,
    style: u8,
    /// Spaces inside the quotes, which the format ignores.
    padded: bool,
}

impl Dur {
    fn toml(&self) -> String {
        let n = self.secs;
        let (h, m, s) = (n / 3600, n / 60 % 60, n % 60);
        let text = match self.style % 9 {
            0 => return n.to_string(),
            1 => n.to_string(),
            2 => format!("{n}s"),
            3 => format!("{}m{s}s", n / 60),
            4 => format!("{}m {s}s", n / 60),
            5 => format!("{}:{s:02}", n / 60),
            6 => format!("{h}:{m:02}:{s:02}"),
            7 => format!("{h}h{m}m{s}s"),
            _ if n > 0 && n % 3600 == 0 => format!("{h}h"),
            _ if n > 0 && n % 60 == 0 => format!("{}m", n / 60),
            _ => format!("{n}s"),
        };
        if self.padded { format!("\" {text} \"") } else { format!("\"{text}\"") }
    }
}

/// A range hold `min-max` and how to write it.
#[derive(Debug, Clone)]
struct Range {
    min: u64,
    max: u64,
    style: u8,
}

impl Range {
    fn toml(&self) -> String {
        let (a, b) = (self.min, self.max);
        let clock = |n: u64| format!("{}:{:02}", n / 60, n % 60);
        let units = |n: u64| format!("{}m{}s", n / 60, n % 60);
        let text = match self.style % 6 {
            // A bare number on the left takes the right side's unit.
            0 => format!("{a}-{b}s"),
            1 => format!("{a}s-{b}s"),
            2 => format!("{}-{}", clock(a), clock(b)),
            3 => format!("{} - {}", clock(a), clock(b)),
            4 => format!("{}-{}", units(a), units(b)),
            _ if a % 60 == 0 && b % 60 == 0 => format!("{}-{}m", a / 60, b / 60),
            _ => format!("{a}-{b}s"),
        };
        format!("\"{text}\"")
    }
}

#[derive(Debug, Clone)]
enum WorkSpec {
    Hold(Dur),
    Range(Range),
    Reps { count: u32, tempo: Option<Dur> },
}

/// `prepare`, `rest`, `switch`, `set_rest`, each given or not.
type PauseSpec = [Option<Dur>; 4];
const PAUSE_KEYS: [&str; 4] = ["prepare", "rest", "switch", "set_rest"];
/// The format's documented defaults for the four pauses, in the order above.
const FORMAT_DEFAULTS: [u64; 4] = [5, 0, 3, 15];

#[derive(Debug, Clone)]
struct ExerciseSpec {
    name: Text,
    notes: Option<Text>,
    work: WorkSpec,
    each_side: Option<bool>,
    sets: Option<u32>,
    pauses: PauseSpec,
}

#[derive(Debug, Clone)]
enum Body {
    /// Top-level `[[exercise]]`.
    Exercises(Vec<ExerciseSpec>),
    /// `[[block]]` with optional `rounds` and `[[block.exercise]]`.
    Blocks(Vec<(Option<u32>, Vec<ExerciseSpec>)>),
}

#[derive(Debug, Clone)]
struct RoutineSpec {
    name: Text,
    description: Option<Text>,
    tags: Vec<Text>,
    defaults: Option<PauseSpec>,
    body: Body,
}

/// A string value and whether to write it as a literal (`'...'`) when TOML allows it.
#[derive(Debug, Clone)]
struct Text {
    value: String,
    literal: bool,
}

impl Text {
    fn toml(&self) -> String {
        let literal_ok = !self.value.contains('\'') && !self.value.chars().any(|c| c.is_control() && c != '\t');
        if self.literal && literal_ok {
            return format!("'{}'", self.value);
        }
        let mut out = String::from("\"");
        for c in self.value.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                '\t' => out.push('\t'),
                c if c.is_control() => out.push_str(&format!("\\u{:04X}", u32::from(c))),
                c => out.push(c),
            }
        }
        out.push('"');
        out
    }
}

/// Characters for names: ASCII, quotes and backslashes (escaped in TOML), accents, combining
/// marks, wide CJK, emoji with joiners, right-to-left script, and a few hostile ones
/// (escape, bell, C1, bidi override) that must come out cleaned, never refused.
const NAME_CHARS: &[char] = &[
    'a', 'b', 'P', 'z', '0', '7', ' ', ' ', '-', '\'', '"', '\\', '(', 'é', '\u{301}', 'ß', 'ω', '猫', 'の', 'ポ',
    '🧘', '🐈', '\u{200d}', '♀', 'ש', 'ל', '\t', '\u{1b}', '\u{7}', '\u{9b}', '\u{202e}',
];

fn text(max_chars: usize, newlines: bool) -> impl Strategy<Value = Text> {
    let chars = prop::collection::vec(prop::sample::select(NAME_CHARS), 1..=max_chars);
    let lines = prop::collection::vec(chars, 1..=if newlines { 3 } else { 1 });
    (lines, any::<bool>()).prop_map(|(lines, literal)| Text {
        value: lines.iter().map(|l| l.iter().collect::<String>()).collect::<Vec<_>>().join("\n"),
        literal,
    })
}

/// A one-line name that is not blank, even after control characters are cleaned out (a name
/// of only a bidi override, joiners or combining marks is refused: it would show as nothing).
fn name(max_chars: usize) -> impl Strategy<Value = Text> {
    text(max_chars, false).prop_filter("blank names are refused", |t| {
        t.value
            .chars()
            .any(|c| !c.is_whitespace() && !c.is_control() && !['\u{202e}', '\u{200d}', '\u{301}'].contains(&c))
    })
}

fn dur(range: std::ops::RangeInclusive<u64>) -> impl Strategy<Value = Dur> {
    (range, any::<u8>(), prop::bool::weighted(0.1)).prop_map(|(secs, style, padded)| Dur { secs, style, padded })
}

fn pauses() -> impl Strategy<Value = PauseSpec> {
    let one = || prop::option::weighted(0.3, dur(0..=120));
    [one(), one(), one(), one()]
}

fn work() -> impl Strategy<Value = WorkSpec> {
    prop_oneof![
        dur(1..=300).prop_map(WorkSpec::Hold),
        (1..=240u64, 1..=60u64, any::<u8>())
            .prop_map(|(min, extra, style)| WorkSpec::Range(Range { min, max: (min + extra).min(300), style }))
            .prop_filter("min below max", |w| matches!(w, WorkSpec::Range(r) if r.min < r.max)),
        (1..=30u32, prop::option::of(dur(1..=10))).prop_map(|(count, tempo)| WorkSpec::Reps { count, tempo }),
    ]
}

fn exercise() -> impl Strategy<Value = ExerciseSpec> {
    (
        name(30),
        prop::option::weighted(0.3, text(20, true)),
        work(),
        prop::option::of(any::<bool>()),
        prop::option::of(1..=3u32),
        pauses(),
    )
        .prop_map(|(name, notes, work, each_side, sets, pauses)| ExerciseSpec {
            name,
            notes,
            work,
            each_side,
            sets,
            pauses,
        })
}

/// Sized so that even the largest routine stays within 2000 steps and 24 h.
fn routine() -> impl Strategy<Value = RoutineSpec> {
    let body = prop_oneof![
        prop::collection::vec(exercise(), 1..=4).prop_map(Body::Exercises),
        prop::collection::vec((prop::option::of(1..=3u32), prop::collection::vec(exercise(), 1..=3)), 1..=3)
            .prop_map(Body::Blocks),
    ];
    (
        name(40),
        prop::option::weighted(0.3, text(30, true)),
        prop::collection::vec(name(12), 0..=3),
        prop::option::of(pauses()),
        body,
    )
        .prop_map(|(name, description, tags, defaults, body)| RoutineSpec {
            name,
            description,
            tags,
            defaults,
            body,
        })
}

fn write_exercise(out: &mut String, header: &str, e: &ExerciseSpec) {
    out.push_str(&format!("{header}\nname = {}\n", e.name.toml()));
    match &e.work {
        WorkSpec::Hold(d) => out.push_str(&format!("duration = {}\n", d.toml())),
        WorkSpec::Range(r) => out.push_str(&format!("duration = {}\n", r.toml())),
        WorkSpec::Reps { count, tempo } => {
            out.push_str(&format!("reps = {count}\n"));
            if let Some(t) = tempo {
                out.push_str(&format!("tempo = {}\n", t.toml()));
            }
        }
    }
    if let Some(each_side) = e.each_side {
        out.push_str(&format!("each_side = {each_side}\n"));
    }
    if let Some(sets) = e.sets {
        out.push_str(&format!("sets = {sets}\n"));
    }
    if let Some(notes) = &e.notes {
        out.push_str(&format!("notes = {}\n", notes.toml()));
    }
    write_pauses(out, &e.pauses);
}

fn write_pauses(out: &mut String, pauses: &PauseSpec) {
    for (key, value) in PAUSE_KEYS.iter().zip(pauses) {
        if let Some(d) = value {
            out.push_str(&format!("{key} = {}\n", d.toml()));
        }
    }
}

fn to_toml(spec: &RoutineSpec) -> String {
    let mut out = format!("# generated\nname = {}\n", spec.name.toml());
    if let Some(description) = &spec.description {
        out.push_str(&format!("description = {}\n", description.toml()));
    }
    if !spec.tags.is_empty() {
        let tags: Vec<String> = spec.tags.iter().map(Text::toml).collect();
        out.push_str(&format!("tags = [{}]\n", tags.join(", ")));
    }
    if let Some(defaults) = &spec.defaults {
        out.push_str("\n[defaults]\n");
        write_pauses(&mut out, defaults);
    }
    match &spec.body {
        Body::Exercises(exercises) => {
            for e in exercises {
                write_exercise(&mut out, "\n[[exercise]]", e);
            }
        }
        Body::Blocks(blocks) => {
            for (rounds, exercises) in blocks {
                out.push_str("\n[[block]]\n");
                if let Some(rounds) = rounds {
                    out.push_str(&format!("rounds = {rounds}\n"));
                }
                for e in exercises {
                    write_exercise(&mut out, "  [[block.exercise]]", e);
                }
            }
        }
    }
    out
}

/// Steps and seconds the routine should plan to, worked out from its shape: per exercise
/// a prepare, sets x sides of work, switches between sides, rests between sets and a rest
/// after, zero-length pauses left out, and no rest after the very last exercise.
fn expected(spec: &RoutineSpec) -> (usize, u64) {
    let mut defaults = FORMAT_DEFAULTS;
    for (slot, given) in defaults.iter_mut().zip(spec.defaults.iter().flatten()) {
        if let Some(d) = given {
            *slot = d.secs;
        }
    }
    let blocks: Vec<(u32, &[ExerciseSpec])> = match &spec.body {
        Body::Exercises(list) => vec![(1, list.as_slice())],
        Body::Blocks(blocks) => blocks.iter().map(|(r, list)| (r.unwrap_or(1), list.as_slice())).collect(),
    };
    let (mut steps, mut seconds_total) = (0usize, 0u64);
    let mut last_rest = 0u64;
    for (rounds, exercises) in blocks {
        for _ in 0..rounds {
            for e in exercises {
                let mut p = defaults;
                for (slot, given) in p.iter_mut().zip(&e.pauses) {
                    if let Some(d) = given {
                        *slot = d.secs;
                    }
                }
                let [prepare, rest, switch, set_rest] = p;
                let sets = u64::from(e.sets.unwrap_or(1));
                let sides = if e.each_side == Some(true) { 2 } else { 1 };
                let work = match &e.work {
                    WorkSpec::Hold(d) => d.secs,
                    WorkSpec::Range(r) => r.max,
                    WorkSpec::Reps { count, tempo } => u64::from(*count) * tempo.as_ref().map_or(3, |t| t.secs),
                };
                let nonzero = |d: u64| u64::from(d > 0);
                steps += usize::try_from(
                    nonzero(prepare)
                        + sets * sides
                        + nonzero(switch) * sets * (sides - 1)
                        + nonzero(set_rest) * (sets - 1)
                        + nonzero(rest),
                )
                .unwrap();
                seconds_total +=
                    prepare + sets * sides * work + switch * sets * (sides - 1) + set_rest * (sets - 1) + rest;
                last_rest = rest;
            }
        }
    }
    if last_rest > 0 {
        steps -= 1;
        seconds_total -= last_rest;
    }
    (steps, seconds_total)
}

/// `supple` with its folders in `dir`, so the developer's own routines and history are never seen.
fn supple(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("supple").unwrap();
    cmd.env("SUPPLE_CONFIG_DIR", dir.join("config")).env("SUPPLE_DATA_DIR", dir.join("data"));
    cmd
}

/// The step numbers listed under the `#` header of `supple show`, and its `Total:` line.
fn show_steps_and_total(stdout: &str) -> (Vec<usize>, String) {
    let mut lines = stdout.lines().skip_while(|l| !l.trim_start().starts_with("#   START")).skip(1);
    let numbers = lines
        .by_ref()
        .take_while(|l| !l.is_empty())
        .map(|l| l.split_whitespace().next().unwrap().parse::<usize>().expect("a numbered step line"))
        .collect();
    let total = lines.find(|l| l.starts_with("Total: ")).unwrap_or_default().to_string();
    (numbers, total)
}

fn has_control(text: &str, allow_newline: bool) -> bool {
    text.chars().any(|c| (c.is_control() && !(allow_newline && c == '\n')) || ('\u{202a}'..='\u{202e}').contains(&c))
}

/// Few cases by default, to keep `cargo test` quick; `PROPTEST_CASES=N` asks for a deeper run.
fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(48), ..ProptestConfig::default() })]

    #[test]
    fn generated_routines_parse_plan_and_show_as_computed(spec in routine()) {
        let text = to_toml(&spec);
        let routine = file::parse("gen.toml", &text, Pauses::default())
            .unwrap_or_else(|errors| panic!("refused:\n{text}\n{}", errors.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n")));
        let plan = Plan::new(&routine);
        let (steps, secs) = expected(&spec);
        let sum: Duration = plan.steps.iter().map(supple::plan::Step::planned).sum();
        prop_assert_eq!(plan.total(), sum);
        prop_assert_eq!(plan.total(), Duration::from_secs(secs), "{}", text);
        prop_assert_eq!(plan.steps.len(), steps, "{}", text);

        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("gen.toml");
        std::fs::write(&path, &text).unwrap();
        let out = supple(dir.path()).arg("show").arg(&path).output().unwrap();
        let stdout = String::from_utf8(out.stdout).unwrap();
        prop_assert!(out.status.success(), "{}\n{}", stdout, String::from_utf8_lossy(&out.stderr));
        prop_assert!(!has_control(&stdout, true), "{:?}", stdout);
        prop_assert_eq!(stdout.lines().next(), Some(routine.name.as_str()));
        let (numbers, total) = show_steps_and_total(&stdout);
        prop_assert_eq!(numbers, (1..=steps).collect::<Vec<_>>(), "{}", stdout);
        let want = format!("Total: {} in {steps} steps", seconds::short(plan.total()));
        prop_assert!(total.starts_with(&want), "{:?} vs {:?}", total, want);
    }
}

/// Pieces of TOML and of the routine format, plus hostile values, to be strung together.
const TOKENS: &[&str] = &[
    "\n",
    " ",
    "=",
    "[",
    "]",
    "[[",
    "]]",
    "{",
    "}",
    ",",
    ".",
    "\"",
    "'",
    "\"\"\"",
    "'''",
    "#",
    "\\",
    "\r\n",
    "name",
    "exercise",
    "block",
    "block.exercise",
    "defaults",
    "duration",
    "reps",
    "tempo",
    "sets",
    "rounds",
    "each_side",
    "notes",
    "prepare",
    "rest",
    "switch",
    "set_rest",
    "tags",
    "description",
    "\"30s\"",
    "\"60-90s\"",
    "\"1:30\"",
    "\"1-2m\"",
    "\"1:00:00\"",
    "\"0s\"",
    "30",
    "0",
    "-1",
    "1000",
    "1001",
    "100",
    "101",
    "true",
    "false",
    "99999999999999999999999",
    "-9223372036854775808",
    "0x7fffffffffffffff",
    "0o777",
    "0b1",
    "1_000",
    "1e400",
    "inf",
    "nan",
    "1979-05-27",
    "07:32:00",
    "\u{1b}",
    "\u{1b}]0;x\u{7}",
    "\0",
    "\u{7f}",
    "\u{9b}",
    "\u{202e}",
    "\u{feff}",
    "\\u001b",
    "\\u202e",
    "\\u0000",
    "\\n",
    "猫",
    "🧘",
    "é\u{301}",
];

fn soup() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(TOKENS), 0..60).prop_map(|t| t.concat())
}

/// A valid routine with a few edits: a token inserted, a span deleted or replaced.
fn mutated() -> impl Strategy<Value = String> {
    let edit = (any::<prop::sample::Index>(), 0..8usize, prop::option::of(prop::sample::select(TOKENS)));
    (routine(), prop::collection::vec(edit, 1..4)).prop_map(|(spec, edits)| {
        let mut text = to_toml(&spec);
        for (at, delete, insert) in edits {
            let mut start = at.index(text.len() + 1);
            while !text.is_char_boundary(start) {
                start -= 1;
            }
            let mut end = (start + delete).min(text.len());
            while !text.is_char_boundary(end) {
                end += 1;
            }
            text.replace_range(start..end, insert.unwrap_or(""));
        }
        text
    })
}

/// Nesting far past anything real, and numbers far past any limit.
fn extreme() -> impl Strategy<Value = String> {
    prop_oneof![
        (1..5000usize).prop_map(|n| format!("name = \"x\"\ntags = {}{}\n", "[".repeat(n), "]".repeat(n))),
        (1..2000usize).prop_map(|n| format!("name = \"x\"\ndefaults = {}1{}\n", "{a=".repeat(n), "}".repeat(n))),
        (1..2000usize).prop_map(|n| format!("[{}]\nname = \"x\"\n", vec!["a"; n].join("."))),
        (1..2000usize).prop_map(|n| format!("[[{}]]\nname = \"x\"\n", vec!["block"; n].join("."))),
        ("[1-9][0-9]{0,400}", prop::sample::select(&["sets", "reps", "rounds", "duration", "prepare", "tempo"][..]))
            .prop_map(|(digits, key)| format!(
                "name = \"x\"\n[[block]]\nrounds = {digits}\n[[block.exercise]]\nname = \"y\"\n{key} = {digits}\nduration = \"{digits}s\"\n"
            )),
    ]
}

/// Whatever comes back is safe to print: located diagnostics without control characters, or a
/// routine within the limits whose text is clean.
fn check_outcome(result: &Result<Routine, Vec<supple::routine::diagnostic::Diagnostic>>) -> Result<(), TestCaseError> {
    match result {
        Ok(routine) => {
            let plan = Plan::new(routine);
            prop_assert!(!plan.steps.is_empty() && plan.steps.len() <= file::MAX_STEPS);
            prop_assert!(plan.total() <= file::MAX_TOTAL);
            prop_assert!(!routine.name.trim().is_empty() && !has_control(&routine.name, false), "{:?}", routine.name);
            for e in routine.exercises() {
                prop_assert!(!e.name.trim().is_empty() && !has_control(&e.name, false), "{:?}", e.name);
                prop_assert!(!has_control(e.notes.as_deref().unwrap_or(""), true));
            }
            for tag in &routine.tags {
                prop_assert!(!tag.trim().is_empty() && !has_control(tag, false), "{:?}", tag);
            }
            prop_assert!(!has_control(routine.description.as_deref().unwrap_or(""), true));
        }
        Err(diagnostics) => {
            prop_assert!(!diagnostics.is_empty());
            for d in diagnostics {
                let shown = d.to_string();
                prop_assert!(d.line >= 1 && d.column >= 1, "{}", shown);
                prop_assert!(!has_control(&shown, false), "{:?}", shown);
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(400), ..ProptestConfig::default() })]

    #[test]
    fn hostile_text_never_panics_and_errors_are_printable(
        text in prop_oneof![4 => soup(), 4 => mutated(), 1 => extreme(), 1 => any::<String>()]
    ) {
        check_outcome(&file::parse("hostile\u{1b}[31m.toml", &text, Pauses::default()))?;
    }
}
