//! `supple history`, `supple export` and `supple import`: the stored sessions as a listing,
//! as JSON or CSV, and back in from a JSON export.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use jiff::civil::Date;
use unicode_width::UnicodeWidthStr;

use super::Context;
use crate::record::{SessionRecord, Status};
use crate::routine::seconds;
use crate::sanitize;
use crate::store::SessionFilter;
use crate::store::exchange::{self, HistoryFile};

/// Imports larger than this are refused before reading: no real history comes near it.
const MAX_IMPORT_BYTES: u64 = 1 << 30;

/// Columns a quit reason may take in the listing when it does not go to a terminal: as long
/// as the run screen lets one be typed. Longer ones (from an import) are cut; `--csv` and
/// `--json` keep them whole.
const REASON_COLUMNS: usize = 60;

/// Columns a quit reason keeps on a terminal narrower than the line: cut shorter, it would no
/// longer say anything; the terminal wraps the line instead.
const REASON_MIN_COLUMNS: usize = 20;

#[derive(Debug, Clone, clap::Args)]
pub struct HistoryArgs {
    /// Print the sessions as JSON (the export format)
    #[arg(long, conflicts_with = "csv")]
    pub json: bool,
    /// Print the sessions as CSV, one row per session, with a header row
    #[arg(long)]
    pub csv: bool,
    /// Only sessions of this routine (its short name, e.g. post-ride)
    #[arg(long, value_name = "ROUTINE")]
    pub routine: Option<String>,
    /// Only sessions started on this date or later
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = super::parse_date)]
    pub since: Option<Date>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Json,
    Csv,
}

#[derive(Debug, Clone, clap::Args)]
pub struct ExportArgs {
    /// json keeps everything and can be imported; csv is one row per session [default: json,
    /// or csv for an -o FILE ending in .csv]
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Write to this file instead of standard output
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
}

impl ExportArgs {
    /// The format asked for, else the one the output file's name promises (`-o week.csv`
    /// writing JSON into a `.csv` file would surprise whoever opens it), else JSON.
    #[must_use]
    pub fn format(&self) -> Format {
        let named_csv =
            || self.output.as_deref().and_then(Path::extension).is_some_and(|x| x.eq_ignore_ascii_case("csv"));
        self.format.unwrap_or(if named_csv() { Format::Csv } else { Format::Json })
    }
}

#[derive(Debug, Clone, clap::Args)]
pub struct ImportArgs {
    /// A file written by `supple export` (JSON); sessions already there are skipped
    pub file: PathBuf,
}

/// `supple history`. `checkin` is the config's setting: off, the listing leaves out the
/// check-in column, as `supple stats` leaves out its averages, while `--json` and `--csv` keep
/// the answers stored earlier (their fields are stable for scripts and `import`).
pub fn history(args: &HistoryArgs, ctx: &Context, checkin: bool, out: &mut dyn Write) -> Result<(), String> {
    let filter =
        SessionFilter { routine: args.routine.clone(), since: args.since, last: None, without_steps: !args.json };
    let mut sessions = match ctx.read_store()? {
        Some(store) => store.sessions(&filter).map_err(|e| e.to_string())?,
        None => Vec::new(),
    };
    if args.json || args.csv {
        sessions.retain(is_finished);
    }
    let written = if args.json {
        HistoryFile::new(&sessions, None).write(out)
    } else if args.csv {
        // Cleaned even into a pipe: `| less` or `| column` ends on a terminal just the same.
        exchange::write_csv(out, &sessions, true)
    } else {
        let filtered = args.routine.is_some() || args.since.is_some();
        write_listing(out, &sessions, filtered, checkin, terminal_columns())
    };
    written.map_err(|e| format!("cannot write the history: {e}"))
}

/// A session still being run in another terminal is not part of the exchange formats, whose
/// statuses are completed, stopped and interrupted (and `import` reads only those); the
/// listing shows it as running.
fn is_finished(session: &SessionRecord) -> bool {
    session.status != Status::Running
}

/// The width of the terminal standard output goes to; `None` for a pipe or a file, which have
/// no width to fit.
fn terminal_columns() -> Option<usize> {
    if !std::io::stdout().is_terminal() {
        return None;
    }
    crossterm::terminal::size().ok().map(|(columns, _)| usize::from(columns))
}

/// One line per session, oldest first so the latest is next to the prompt; with `checkin`,
/// the answers before and after; last, why a stopped session was stopped, cut to the rest of
/// a terminal's `columns` (or to [`REASON_COLUMNS`] when there is no terminal).
fn write_listing(
    out: &mut dyn Write,
    sessions: &[SessionRecord],
    filtered: bool,
    checkin: bool,
    columns: Option<usize>,
) -> std::io::Result<()> {
    if sessions.is_empty() {
        let what = if filtered { "No sessions match." } else { "No sessions yet." };
        return writeln!(out, "{what}");
    }
    let names: Vec<String> = sessions.iter().map(|s| sanitize::line(&s.routine)).collect();
    let width = names.iter().map(|n| n.width()).max().unwrap_or(0).clamp(7, 30);
    let reasons: Vec<Option<String>> = sessions
        .iter()
        .map(|s| s.quit_reason.as_deref().map(|r| sanitize::line(r.trim())).filter(|r| !r.is_empty()))
        .collect();
    let any_reason = reasons.iter().any(Option::is_some);
    // Check-in answers ("10 -> 10" at most) are padded only when a reason follows them.
    let checkin_width = if any_reason { "Check-in".len() } else { 0 };
    let mut header =
        format!("{:<16}  {}  {:<11}  {:>6}  {:>7}", "Started", pad("Routine", width), "Status", "Time", "Steps");
    if checkin {
        header.push_str(&format!("  {:<checkin_width$}", "Check-in"));
    }
    if any_reason {
        header.push_str("  Reason");
    }
    writeln!(out, "{}", header.trim_end())?;
    for ((s, name), reason) in sessions.iter().zip(&names).zip(&reasons) {
        let steps = if s.steps_total == 0 { "-".to_string() } else { format!("{}/{}", s.steps_done, s.steps_total) };
        let time = if s.active_secs == 0 && s.steps_total == 0 {
            "-".to_string()
        } else {
            seconds::clock(Duration::from_secs(s.active_secs))
        };
        let mut line = format!(
            "{:<16}  {}  {:<11}  {:>6}  {:>7}",
            s.started_at.strftime("%Y-%m-%d %H:%M").to_string(),
            pad(name, width),
            s.status.name(),
            time,
            steps,
        );
        if checkin {
            let answers = match (s.pain_before, s.pain_after) {
                (None, None) => String::new(),
                (b, a) => format!(
                    "{} -> {}",
                    b.map_or("-".into(), |v| v.to_string()),
                    a.map_or("-".into(), |v| v.to_string())
                ),
            };
            line.push_str(&format!("  {answers:<checkin_width$}"));
        }
        if let Some(reason) = reason {
            let room = columns.map_or(REASON_COLUMNS, |c| c.saturating_sub(line.width() + 2).max(REASON_MIN_COLUMNS));
            line.push_str(&format!("  {}", super::fit(reason, room)));
        }
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(())
}

/// Pads or cuts to `width` terminal columns.
fn pad(text: &str, width: usize) -> String {
    let mut cut = String::new();
    for c in text.chars() {
        if (cut.clone() + &c.to_string()).width() > width {
            break;
        }
        cut.push(c);
    }
    let w = cut.width();
    cut + &" ".repeat(width.saturating_sub(w))
}

/// `supple export`.
pub fn export(args: &ExportArgs, ctx: &Context, out: &mut dyn Write) -> Result<(), String> {
    let store = ctx.read_store()?;
    let (sessions, excused) = match &store {
        Some(store) => (
            store
                .sessions(&SessionFilter::default())
                .map_err(|e| e.to_string())?
                .into_iter()
                .filter(is_finished)
                .collect(),
            store.excused().map_err(|e| e.to_string())?,
        ),
        None => (Vec::new(), Vec::new()),
    };
    let write = |out: &mut dyn Write, for_terminal: bool| match args.format() {
        Format::Json => HistoryFile::new(&sessions, Some(&excused)).write(out),
        Format::Csv => exchange::write_csv(out, &sessions, for_terminal),
    };
    match &args.output {
        None => write(out, true).map_err(|e| format!("cannot write the export: {e}")),
        Some(path) => {
            // Written beside the target and renamed, so a failed export never leaves half a file
            // where a good backup was.
            let tmp = path.with_file_name(format!(
                ".{}.partial",
                path.file_name().map_or_else(|| "export".into(), |n| n.to_string_lossy())
            ));
            let shown = sanitize::line(&path.display().to_string());
            let result = std::fs::File::create(&tmp).and_then(|file| {
                let mut buffered = std::io::BufWriter::new(file);
                write(&mut buffered, false)?;
                buffered.into_inner().map_err(std::io::IntoInnerError::into_error)?.sync_all()
            });
            if let Err(e) = result.and_then(|()| std::fs::rename(&tmp, path)) {
                let _ = std::fs::remove_file(&tmp);
                return Err(format!("cannot write {shown}: {e}"));
            }
            // CSV has no place for excused days; JSON carries them, as `import` will say.
            let excused = if args.format() == Format::Json { excused.len() } else { 0 };
            eprintln!("Exported {} to {shown}.", counted(sessions.len(), excused));
            Ok(())
        }
    }
}

/// `supple import FILE`: all or nothing, and idempotent by session id.
pub fn import(args: &ImportArgs, ctx: &Context, out: &mut dyn Write) -> Result<(), String> {
    let shown = sanitize::line(&args.file.display().to_string());
    let size = std::fs::metadata(&args.file).map_err(|e| format!("cannot read {shown}: {e}"))?.len();
    if size > MAX_IMPORT_BYTES {
        return Err(format!("{shown}: too large for a history export ({size} bytes)"));
    }
    let bytes = std::fs::read(&args.file).map_err(|e| format!("cannot read {shown}: {e}"))?;
    let text =
        String::from_utf8(bytes).map_err(|_| format!("{shown}: not a supple history export (not UTF-8 text)"))?;
    let (sessions, excused) = HistoryFile::parse(&shown, &text).map_err(|e| sanitize::line(&e))?;
    let mut store = ctx.write_store()?;
    let count = store.import(&sessions, &excused).map_err(|e| format!("nothing was imported: {e}"))?;
    let already =
        if count.already_there > 0 { format!(" ({} already there)", count.already_there) } else { String::new() };
    let excused = if count.excuses_added > 0 {
        format!(" and {}", plural(count.excuses_added, "excused day"))
    } else {
        String::new()
    };
    writeln!(out, "Imported {}{already}{excused}.", plural(count.added, "session")).map_err(|e| e.to_string())
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 { format!("{n} {word}") } else { format!("{n} {word}s") }
}

/// "3 sessions and 1 excused day", the excused days left out when there are none.
fn counted(sessions: usize, excused: usize) -> String {
    match excused {
        0 => plural(sessions, "session"),
        n => format!("{} and {}", plural(sessions, "session"), plural(n, "excused day")),
    }
}

#[cfg(test)]
mod tests {
    use uuid::Uuid;

    use super::*;

    fn session(minute: i8, status: Status, reason: Option<&str>) -> SessionRecord {
        let started = jiff::civil::date(2026, 11, 23).at(19, minute, 0, 0).in_tz("Europe/Berlin").unwrap();
        SessionRecord {
            id: Uuid::from_u128(minute as u128),
            routine: "post-ride".into(),
            title: "Post-ride reset".into(),
            routine_hash: String::new(),
            ended_at: Some(started.clone()),
            started_at: started,
            status,
            planned_secs: 241,
            active_secs: 6,
            steps_total: 14,
            steps_done: 1,
            steps_skipped: 0,
            pain_before: Some(6),
            pain_after: None,
            note: None,
            quit_reason: reason.map(str::to_string),
            steps: Vec::new(),
        }
    }

    fn listing(sessions: &[SessionRecord], checkin: bool, columns: Option<usize>) -> String {
        let mut out = Vec::new();
        write_listing(&mut out, sessions, false, checkin, columns).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn export_to_a_csv_file_writes_csv_unless_a_format_is_given() {
        let args = |format, output: Option<&str>| ExportArgs { format, output: output.map(PathBuf::from) };
        assert_eq!(args(None, None).format(), Format::Json);
        assert_eq!(args(None, Some("backup.json")).format(), Format::Json);
        assert_eq!(args(None, Some("week.CSV")).format(), Format::Csv);
        assert_eq!(args(Some(Format::Json), Some("week.csv")).format(), Format::Json);
        assert_eq!(args(Some(Format::Csv), None).format(), Format::Csv);
    }

    #[test]
    fn a_stopped_session_shows_why_it_was_stopped() {
        let sessions = [session(0, Status::Completed, None), session(5, Status::Stopped, Some(" knee pain "))];
        let text = listing(&sessions, false, None);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "Started           Routine    Status         Time    Steps  Reason", "{text}");
        assert_eq!(lines[1], "2026-11-23 19:00  post-ride  completed      0:06     1/14", "{text}");
        assert_eq!(lines[2], "2026-11-23 19:05  post-ride  stopped        0:06     1/14  knee pain", "{text}");
    }

    #[test]
    fn without_reasons_there_is_no_reason_column() {
        let text = listing(&[session(5, Status::Stopped, None), session(6, Status::Stopped, Some("  "))], false, None);
        assert!(!text.contains("Reason"), "{text}");
        assert!(text.lines().all(|l| l == l.trim_end()), "{text:?}");
    }

    #[test]
    fn with_check_ins_the_reason_comes_after_the_answers_in_its_own_column() {
        let mut answered = session(5, Status::Stopped, Some("pain"));
        answered.pain_after = Some(8);
        let sessions = [session(0, Status::Stopped, Some("phone")), answered, session(9, Status::Completed, None)];
        let text = listing(&sessions, true, None);
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines[0].ends_with("Steps  Check-in  Reason"), "{text}");
        assert!(lines[1].ends_with("1/14  6 -> -    phone"), "{text}");
        assert!(lines[2].ends_with("1/14  6 -> 8    pain"), "{text}");
        assert!(lines[3].ends_with("1/14  6 -> -"), "{text}");
    }

    #[test]
    fn a_long_or_hostile_reason_is_cleaned_and_cut_to_the_terminal() {
        let long = format!("knee\u{1b}]0;pwned\u{7} {}", "hurts ".repeat(40));
        let sessions = [session(5, Status::Stopped, Some(&long))];
        let on_terminal = listing(&sessions, false, Some(80));
        let line = on_terminal.lines().nth(1).unwrap();
        assert!(!line.chars().any(char::is_control), "{line:?}");
        assert!(line.contains("knee\u{FFFD}]0;pwned\u{FFFD} hurts"), "{line}");
        assert_eq!(line.width(), 80, "{line}");
        assert!(line.ends_with('…'), "{line}");
        // A narrow terminal still shows a readable part and wraps the rest of the line.
        let narrow = listing(&sessions, false, Some(40));
        let reason = narrow.lines().nth(1).unwrap().split("1/14  ").nth(1).unwrap();
        assert_eq!(reason, "knee\u{FFFD}]0;pwned\u{FFFD} hurt…");
        // Into a pipe, as long as the run screen lets a reason be typed.
        let piped = listing(&sessions, false, None);
        let reason = piped.lines().nth(1).unwrap().split("1/14  ").nth(1).unwrap();
        assert_eq!(reason.width(), REASON_COLUMNS, "{reason}");
    }
}
