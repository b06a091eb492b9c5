//! The history's file formats: the JSON of `history --json`, `export` and `import`
//! (`{"version":1,"sessions":[...]}`, documented in the README), and the CSV of `--csv`.
//!
//! Import reads exactly what export writes and checks all of it before anything is stored, so
//! a malformed file is rejected whole with a message naming the place, and imports nothing.

use std::io::{self, Write};

use jiff::civil::Date;
use jiff::fmt::temporal::Pieces;
use jiff::tz::TimeZone;
use jiff::{Timestamp, Zoned};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{kind_from_name, side_from_name, status_from_name};
use crate::record::{SessionRecord, Status, StepRecord};

pub const FORMAT_VERSION: u32 = 1;

/// What a file holds: sessions, and excused days with their reasons.
pub type Parsed = (Vec<SessionRecord>, Vec<(Date, Option<String>)>);

/// The whole file.
#[derive(Debug, Serialize, Deserialize)]
pub struct HistoryFile {
    pub version: u32,
    pub sessions: Vec<SessionJson>,
    /// Excused days; written by `export` so a backup keeps them, absent from `history --json`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub excused: Option<Vec<ExcuseJson>>,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct SessionJson {
    pub id: Uuid,
    pub routine: String,
    pub title: String,
    #[serde(default)]
    pub routine_hash: String,
    /// RFC 3339 with the offset in force where the session was done.
    pub started_at: String,
    pub ended_at: Option<String>,
    pub status: String,
    pub planned_secs: u64,
    pub active_secs: u64,
    pub steps_total: u32,
    pub steps_done: u32,
    pub steps_skipped: u32,
    pub pain_before: Option<u8>,
    pub pain_after: Option<u8>,
    pub note: Option<String>,
    #[serde(default)]
    pub quit_reason: Option<String>,
    pub steps: Vec<StepJson>,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct StepJson {
    pub index: u32,
    pub exercise: String,
    pub side: Option<String>,
    pub set: u32,
    pub round: u32,
    pub kind: String,
    pub planned_secs: u64,
    pub active_secs: u64,
    pub reps_target: Option<u32>,
    pub reps_done: Option<u32>,
    pub skipped: bool,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct ExcuseJson {
    pub date: String,
    pub reason: Option<String>,
}

/// RFC 3339 with the local offset, e.g. `2026-11-23T07:30:00+01:00`.
pub fn rfc3339(z: &Zoned) -> String {
    z.timestamp().display_with_offset(z.offset()).to_string()
}

/// Parses an RFC 3339 time keeping its offset.
pub fn parse_rfc3339(text: &str) -> Option<Zoned> {
    let pieces = Pieces::parse(text).ok()?;
    let offset = pieces.offset()?.to_numeric_offset();
    let datetime = pieces.date().to_datetime(pieces.time()?);
    let ts: Timestamp = offset.to_timestamp(datetime).ok()?;
    Some(ts.to_zoned(TimeZone::fixed(offset)))
}

impl SessionJson {
    pub fn from_record(r: &SessionRecord) -> SessionJson {
        SessionJson {
            id: r.id,
            routine: r.routine.clone(),
            title: r.title.clone(),
            routine_hash: r.routine_hash.clone(),
            started_at: rfc3339(&r.started_at),
            ended_at: r.ended_at.as_ref().map(rfc3339),
            status: r.status.name().to_string(),
            planned_secs: r.planned_secs,
            active_secs: r.active_secs,
            steps_total: r.steps_total,
            steps_done: r.steps_done,
            steps_skipped: r.steps_skipped,
            pain_before: r.pain_before,
            pain_after: r.pain_after,
            note: r.note.clone(),
            quit_reason: r.quit_reason.clone(),
            steps: r
                .steps
                .iter()
                .map(|s| StepJson {
                    index: s.index,
                    exercise: s.exercise.clone(),
                    side: s.side.map(|side| side.name().to_string()),
                    set: s.set,
                    round: s.round,
                    kind: s.kind.name().to_string(),
                    planned_secs: s.planned_secs,
                    active_secs: s.active_secs,
                    reps_target: s.reps_target,
                    reps_done: s.reps_done,
                    skipped: s.skipped,
                })
                .collect(),
        }
    }

    /// Checks every field; the error says which one and why.
    fn to_record(&self) -> Result<SessionRecord, String> {
        let time = |field: &str, text: &str| {
            parse_rfc3339(text).ok_or_else(|| format!("{field} is not an RFC 3339 time with an offset: {text:?}"))
        };
        let status = status_from_name(&self.status)
            .filter(|s| *s != Status::Running)
            .ok_or_else(|| format!("status must be completed, stopped or interrupted, got {:?}", self.status))?;
        for (field, pain) in [("pain_before", self.pain_before), ("pain_after", self.pain_after)] {
            if let Some(p) = pain.filter(|p| *p > 10) {
                return Err(format!("{field} must be 0-10, got {p}"));
            }
        }
        if self.routine.trim().is_empty() {
            return Err("routine must name the routine done, e.g. \"post-ride\"".into());
        }
        let started_at = time("started_at", &self.started_at)?;
        let ended_at = self.ended_at.as_deref().map(|t| time("ended_at", t)).transpose()?;
        // A hand-edited time out of order would give a negative length everywhere it is shown.
        if ended_at.as_ref().is_some_and(|end| end.timestamp() < started_at.timestamp()) {
            return Err(format!(
                "ended_at {:?} is before started_at {:?}",
                self.ended_at.as_deref().unwrap_or(""),
                self.started_at
            ));
        }
        let mut steps = Vec::with_capacity(self.steps.len());
        for (n, s) in self.steps.iter().enumerate() {
            let side = match s.side.as_deref() {
                None => None,
                Some(name) => Some(
                    side_from_name(name)
                        .ok_or_else(|| format!("step {}: side must be \"left\" or \"right\", got {name:?}", n + 1))?,
                ),
            };
            let kind = kind_from_name(&s.kind).ok_or_else(|| {
                format!("step {}: kind must be work, rest, prepare or switch, got {:?}", n + 1, s.kind)
            })?;
            steps.push(StepRecord {
                index: s.index,
                exercise: s.exercise.clone(),
                side,
                set: s.set,
                round: s.round,
                kind,
                planned_secs: s.planned_secs,
                active_secs: s.active_secs,
                reps_target: s.reps_target,
                reps_done: s.reps_done,
                skipped: s.skipped,
            });
        }
        Ok(SessionRecord {
            id: self.id,
            routine: self.routine.clone(),
            title: self.title.clone(),
            routine_hash: self.routine_hash.clone(),
            started_at,
            ended_at,
            status,
            planned_secs: self.planned_secs,
            active_secs: self.active_secs,
            steps_total: self.steps_total,
            steps_done: self.steps_done,
            steps_skipped: self.steps_skipped,
            pain_before: self.pain_before,
            pain_after: self.pain_after,
            note: self.note.clone(),
            quit_reason: self.quit_reason.clone(),
            steps,
        })
    }
}

impl HistoryFile {
    pub fn new(sessions: &[SessionRecord], excused: Option<&[(Date, Option<String>)]>) -> HistoryFile {
        HistoryFile {
            version: FORMAT_VERSION,
            sessions: sessions.iter().map(SessionJson::from_record).collect(),
            excused: excused.map(|days| {
                days.iter().map(|(d, reason)| ExcuseJson { date: d.to_string(), reason: reason.clone() }).collect()
            }),
        }
    }

    /// Writes pretty JSON. Control and bidi characters are written as `\u` escapes, so the
    /// output is safe on a terminal and still means the same text to a JSON reader.
    pub fn write(&self, out: &mut dyn Write) -> io::Result<()> {
        let text = serde_json::to_string_pretty(self).map_err(io::Error::other)?;
        out.write_all(crate::sanitize::json(&text).as_bytes())?;
        out.write_all(b"\n")
    }

    /// Parses and checks a whole file. `name` is how the file is named in messages.
    pub fn parse(name: &str, text: &str) -> Result<Parsed, String> {
        // "expected value at line 1" would not tell the user what went wrong.
        if text.starts_with(CSV_HEADER) {
            return Err(format!(
                "{name}: this is a CSV export, which leaves out the steps and cannot be imported; \
                 import a JSON export (`supple export -o FILE.json`)"
            ));
        }
        let file: HistoryFile = serde_json::from_str(text).map_err(|e| json_error(name, &e))?;
        if file.version != FORMAT_VERSION {
            return Err(format!(
                "{name}: unsupported version {} (this supple reads version {FORMAT_VERSION})",
                file.version
            ));
        }
        let mut sessions = Vec::with_capacity(file.sessions.len());
        for (n, s) in file.sessions.iter().enumerate() {
            sessions.push(s.to_record().map_err(|why| format!("{name}: session {} ({}): {why}", n + 1, s.id))?);
        }
        let mut excused = Vec::new();
        for e in file.excused.unwrap_or_default() {
            let day: Date =
                e.date.parse().map_err(|_| format!("{name}: excused day {:?} is not a date (YYYY-MM-DD)", e.date))?;
            excused.push((day, e.reason));
        }
        Ok((sessions, excused))
    }
}

/// `file:line:col: what`, without serde's own "at line L column C" tail.
fn json_error(name: &str, e: &serde_json::Error) -> String {
    let text = e.to_string();
    let what = text.split(" at line ").next().unwrap_or(&text);
    if e.line() == 0 {
        format!("{name}: not a supple history export: {what}")
    } else if e.is_eof() {
        // serde says "EOF while parsing a list" at column 0 of the line after the last.
        format!("{name}:{}:1: the file ends early, as if cut off: not a whole supple history export", e.line())
    } else {
        format!("{name}:{}:{}: not a supple history export: {what}", e.line(), e.column())
    }
}

const CSV_HEADER: &str = "id,routine,title,started_at,ended_at,status,planned_secs,active_secs,steps_total,steps_done,steps_skipped,pain_before,pain_after,note,quit_reason";

/// Writes one row per session, RFC 4180 quoting. For standard output (`for_terminal`), text
/// fields are cleaned of control characters first; to a file (`-o`) they are kept exactly.
pub fn write_csv(out: &mut dyn Write, sessions: &[SessionRecord], for_terminal: bool) -> io::Result<()> {
    writeln!(out, "{CSV_HEADER}")?;
    let text = |s: &str| {
        let s = if for_terminal { crate::sanitize::multiline(s) } else { s.to_string() };
        csv_field(&s)
    };
    let num = |n: Option<u8>| n.map(|n| n.to_string()).unwrap_or_default();
    for r in sessions {
        writeln!(
            out,
            "{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}",
            r.id,
            text(&r.routine),
            text(&r.title),
            rfc3339(&r.started_at),
            r.ended_at.as_ref().map(rfc3339).unwrap_or_default(),
            r.status.name(),
            r.planned_secs,
            r.active_secs,
            r.steps_total,
            r.steps_done,
            r.steps_skipped,
            num(r.pain_before),
            num(r.pain_after),
            text(r.note.as_deref().unwrap_or("")),
            text(r.quit_reason.as_deref().unwrap_or("")),
        )?;
    }
    Ok(())
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) || s.starts_with(' ') || s.ends_with(' ') {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}
