//! The user's settings (`config.toml` in the config folder): sound, streak rules, check-in,
//! colours, and default pauses for every routine. A missing file means defaults; a bad file is
//! reported like a routine file (`file:line:col: field: what is allowed, got ...`) and the
//! program runs on with defaults.

use std::path::{Path, PathBuf};

use jiff::civil::{Time, Weekday};
use serde::Deserialize;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::cue::Cue;
use crate::routine::Pauses;
use crate::routine::diagnostic::Diagnostic;
use crate::routine::file::{self, read_text};
use crate::ui::theme::{self, KindColors};

/// Settings after validation, every field filled. The flags are independent on/off
/// settings, one per config key, so a bool each is the honest type.
#[derive(Debug, Clone, PartialEq)]
#[allow(clippy::struct_excessive_bools)]
pub struct Config {
    /// Cue volume, 0.0 to 1.0.
    pub volume: f32,
    /// Start every session muted (as `--mute`).
    pub mute: bool,
    /// Ring the terminal bell on cues when no audio device is available.
    pub bell: bool,
    /// Announce exercises with a local speech program (espeak-ng) when installed.
    pub voice: bool,
    /// Sessions a week that make a good week.
    pub week_goal: u32,
    pub week_start: Weekday,
    /// When a new day starts for streaks: a 1 a.m. session with `04:00` counts for the evening before.
    pub day_starts_at: Time,
    /// Ask "how does your back feel? 0-10" before and after a routine.
    pub checkin: bool,
    /// `false` for a monochrome screen (also when `NO_COLOR` is set).
    pub color: bool,
    /// The countdown's colour per kind of step (`[colors]`); ignored on a monochrome screen.
    pub colors: KindColors,
    /// The pauses every routine starts from (`[defaults]`, same keys as a routine's own):
    /// the format's defaults with the config's laid over them. A routine's own `[defaults]`
    /// and an exercise's own values still win.
    pub defaults: Pauses,
    /// A sound file replacing a bundled cue.
    pub sounds: Vec<(Cue, PathBuf)>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            volume: 0.8,
            mute: false,
            bell: false,
            voice: false,
            week_goal: 3,
            week_start: Weekday::Monday,
            day_starts_at: Time::midnight(),
            checkin: false,
            color: true,
            colors: KindColors::default(),
            defaults: Pauses::default(),
            sounds: Vec::new(),
        }
    }
}

/// The settings known at the top of the file, in `[colors]` and in `[sounds]`. Other keys are
/// reported (with a "did you mean") by [`unknown_keys`] rather than refused by serde, so a
/// misspelt key costs only itself, not every other setting.
const KEYS: &[&str] = &[
    "volume",
    "mute",
    "bell",
    "voice",
    "week_goal",
    "week_start",
    "day_starts_at",
    "checkin",
    "color",
    "colors",
    "defaults",
    "sounds",
];
const COLOR_KEYS: &[&str] = &["prepare", "work", "rest", "paused"];
const SOUND_KEYS: &[&str] = &["tick", "go", "rest", "switch", "may_stop", "done"];

/// The file as written; `Spanned` keeps each value's place for error messages.
#[derive(Debug, Deserialize)]
struct RawConfig {
    volume: Option<Spanned<f64>>,
    mute: Option<bool>,
    bell: Option<bool>,
    voice: Option<bool>,
    week_goal: Option<Spanned<i64>>,
    week_start: Option<Spanned<String>>,
    day_starts_at: Option<Spanned<String>>,
    checkin: Option<bool>,
    color: Option<bool>,
    colors: Option<RawColors>,
    /// Checked by the routine format's own code (`file::parse_defaults`), so the keys, the
    /// duration syntax and the messages are exactly a routine's `[defaults]`.
    defaults: Option<serde::de::IgnoredAny>,
    sounds: Option<RawSounds>,
}

#[derive(Debug, Deserialize)]
struct RawColors {
    prepare: Option<Spanned<String>>,
    work: Option<Spanned<String>>,
    rest: Option<Spanned<String>>,
    paused: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
struct RawSounds {
    tick: Option<String>,
    go: Option<String>,
    rest: Option<String>,
    switch: Option<String>,
    may_stop: Option<String>,
    done: Option<String>,
}

/// The loaded settings and whatever was wrong with the file (then defaults are used).
#[derive(Debug, Clone, Default)]
pub struct Loaded {
    pub config: Config,
    /// `None` when the file does not exist.
    pub path: Option<PathBuf>,
    pub errors: Vec<Diagnostic>,
    /// The file could not be read as a whole (unreadable, not TOML, an unknown key), so every
    /// setting is at its default; otherwise only those named in `errors` are.
    pub whole_file: bool,
}

impl Config {
    /// Reads `path`; a missing file is not an error.
    #[must_use]
    pub fn load(path: &Path) -> Loaded {
        if !path.exists() {
            let mut loaded = Loaded::default();
            loaded.config.color = std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
            return loaded;
        }
        let shown = path.display().to_string();
        let (mut config, errors, whole_file) = match read_text(path) {
            Ok(text) => match Config::parse_keeping_good(&shown, &text) {
                Ok((config, errors)) => (config, errors, false),
                Err(errors) => (Config::default(), errors, true),
            },
            Err(message) => (Config::default(), vec![Diagnostic::file(&shown, &message)], true),
        };
        // https://no-color.org: the variable wins over the file, whatever its value.
        if std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()) {
            config.color = false;
        }
        Loaded { config, path: Some(path.to_path_buf()), errors, whole_file }
    }

    /// Parses config text; `path` only names the file in messages.
    pub fn parse(path: &str, text: &str) -> Result<Config, Vec<Diagnostic>> {
        match Config::parse_keeping_good(path, text)? {
            (config, errors) if errors.is_empty() => Ok(config),
            (_, errors) => Err(errors),
        }
    }

    /// Parses config text keeping every good value: a bad value leaves only its own setting
    /// at the default, so one typo in `week_goal` does not also turn off the check-in, mute
    /// or the user's sounds. `Err` when the text cannot be read as settings at all.
    pub fn parse_keeping_good(path: &str, text: &str) -> Result<(Config, Vec<Diagnostic>), Vec<Diagnostic>> {
        let (raw, mut errors) = read_raw(path, text)?;
        errors.extend(unknown_keys(path, text));
        let mut error = |span: std::ops::Range<usize>, field: &str, message: String| {
            errors.push(Diagnostic::at(path, text, span.start, "", field, &message));
        };
        let mut config = Config::default();
        if let Some(v) = raw.volume {
            if (0.0..=1.0).contains(v.get_ref()) {
                config.volume = *v.get_ref() as f32;
            } else {
                error(v.span(), "volume", format!("must be from 0.0 to 1.0, got {}", v.get_ref()));
            }
        }
        if let Some(g) = raw.week_goal {
            match u32::try_from(*g.get_ref()) {
                Ok(n) if (1..=7).contains(&n) => config.week_goal = n,
                _ => error(g.span(), "week_goal", format!("must be from 1 to 7 sessions, got {}", g.get_ref())),
            }
        }
        if let Some(w) = raw.week_start {
            match weekday(w.get_ref()) {
                Some(day) => config.week_start = day,
                None => {
                    error(
                        w.span(),
                        "week_start",
                        format!("must be a weekday like \"monday\", got \"{}\"", w.get_ref()),
                    );
                }
            }
        }
        if let Some(t) = raw.day_starts_at {
            match t.get_ref().parse::<Time>() {
                Ok(time) if time.hour() < 12 => config.day_starts_at = time,
                _ => error(
                    t.span(),
                    "day_starts_at",
                    format!("must be a time from \"00:00\" to \"11:59\", got \"{}\"", t.get_ref()),
                ),
            }
        }
        config.mute = raw.mute.unwrap_or(config.mute);
        config.bell = raw.bell.unwrap_or(config.bell);
        config.voice = raw.voice.unwrap_or(config.voice);
        config.checkin = raw.checkin.unwrap_or(config.checkin);
        config.color = raw.color.unwrap_or(config.color);
        if let Some(c) = raw.colors {
            for (key, value, slot) in [
                ("prepare", c.prepare, &mut config.colors.prepare),
                ("work", c.work, &mut config.colors.work),
                ("rest", c.rest, &mut config.colors.rest),
                ("paused", c.paused, &mut config.colors.paused),
            ] {
                let Some(value) = value else { continue };
                match theme::parse_color(value.get_ref()) {
                    Some(color) => *slot = Some(color),
                    None => error(value.span(), &format!("colors.{key}"), color_message(value.get_ref())),
                }
            }
        }
        if raw.defaults.is_some() {
            match file::parse_defaults(path, text, Pauses::default()) {
                Ok(pauses) => config.defaults = pauses,
                Err(problems) => errors.extend(problems),
            }
        }
        if let Some(s) = raw.sounds {
            let pairs = [
                (Cue::Tick, s.tick),
                (Cue::Go, s.go),
                (Cue::Rest, s.rest),
                (Cue::Switch, s.switch),
                (Cue::MayStop, s.may_stop),
                (Cue::Done, s.done),
            ];
            config.sounds = pairs.into_iter().filter_map(|(cue, p)| p.map(|p| (cue, expand_home(&p)))).collect();
        }
        errors.sort_by_key(|d| (d.line, d.column));
        Ok((config, errors))
    }
}

/// The settings as written, and a diagnostic for each value of the wrong type (`mute = "yes"`).
/// Such a value is blanked out of the text, keeping every other byte's place, and the rest is
/// read again: it costs only its own setting. Text that is not TOML at all is `Err`.
fn read_raw(path: &str, text: &str) -> Result<(RawConfig, Vec<Diagnostic>), Vec<Diagnostic>> {
    // Well-formed TOML can only fail below on a value's type, never on the file's shape.
    let well_formed = DeTable::parse(text).is_ok();
    let mut errors = Vec::new();
    let mut reading = text.to_owned();
    loop {
        let e = match toml::from_str::<RawConfig>(&reading) {
            Ok(raw) => return Ok((raw, errors)),
            Err(e) => e,
        };
        let span = e.span().unwrap_or(0..0);
        let message = e.message().lines().next().unwrap_or("").trim().to_string();
        let line_start = text[..span.start.min(text.len())].rfind('\n').map_or(0, |i| i + 1);
        // The parser's span for a repeated key is the key itself, for a bad value the value:
        // either way the key is what starts its line, named as routine files do.
        let written = match message.as_str() {
            "duplicate key" => text.get(span.clone()),
            _ => text.get(line_start..span.start).and_then(|before| before.split('=').next()),
        };
        let field = written.map(|k| file::key_name(k.trim())).unwrap_or_default();
        errors.push(Diagnostic::at(path, text, span.start, "", &field, &message));
        // Blanking stops once nothing is left to blank, so the loop ends within the file's length.
        let blanked = blank(&reading, line_start..span.end);
        if !well_formed || span.is_empty() || blanked == reading {
            return Err(errors);
        }
        reading = blanked;
    }
}

/// `text` with `range` turned into spaces, its line breaks kept, so every later byte keeps its
/// place: a character of several bytes becomes as many spaces.
fn blank(text: &str, range: std::ops::Range<usize>) -> String {
    let Some(part) = text.get(range.clone()) else { return text.to_owned() };
    let spaces: String =
        part.chars().map(|c| if c == '\n' { "\n".to_owned() } else { " ".repeat(c.len_utf8()) }).collect();
    format!("{}{spaces}{}", &text[..range.start], &text[range.end..])
}

/// Keys the config does not know, at the top and in `[colors]` and `[sounds]` (`[defaults]`
/// is checked by the routine format's code). The text parsed already, so it parses here too.
fn unknown_keys(path: &str, text: &str) -> Vec<Diagnostic> {
    let Ok(doc) = DeTable::parse(text) else { return Vec::new() };
    let doc = doc.get_ref();
    let mut found = file::unknown_keys(path, text, doc, KEYS, "");
    for (section, known) in [("colors", COLOR_KEYS), ("sounds", SOUND_KEYS)] {
        if let Some(DeValue::Table(table)) = doc.get(section).map(Spanned::get_ref) {
            found.extend(file::unknown_keys(path, text, table, known, section));
        }
    }
    found
}

fn color_message(found: &str) -> String {
    let names: Vec<&str> = theme::COLOR_NAMES.iter().map(|(name, _)| *name).collect();
    format!("must be a colour name ({}) or \"#rrggbb\", got \"{found}\"", names.join(", "))
}

fn weekday(name: &str) -> Option<Weekday> {
    let days = [
        ("monday", Weekday::Monday),
        ("tuesday", Weekday::Tuesday),
        ("wednesday", Weekday::Wednesday),
        ("thursday", Weekday::Thursday),
        ("friday", Weekday::Friday),
        ("saturday", Weekday::Saturday),
        ("sunday", Weekday::Sunday),
    ];
    let name = name.trim().to_ascii_lowercase();
    days.iter().find(|(full, _)| name.len() >= 3 && full.starts_with(&name)).map(|(_, d)| *d)
}

/// `~/sounds/tick.wav` as users write it in config files.
fn expand_home(path: &str) -> PathBuf {
    match (path.strip_prefix("~/"), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) => PathBuf::from(home).join(rest),
        _ => PathBuf::from(path),
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use ratatui::style::Color;

    use super::*;

    fn messages(text: &str) -> Vec<String> {
        Config::parse("config.toml", text).unwrap_err().iter().map(ToString::to_string).collect()
    }

    #[test]
    fn a_bad_value_defaults_only_its_own_setting() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        std::fs::write(&path, "checkin = true\nweek_goal = 9\nmute = true\n").unwrap();
        let loaded = Config::load(&path);
        assert_eq!(loaded.errors.len(), 1);
        assert!(!loaded.whole_file);
        assert!(loaded.config.checkin && loaded.config.mute);
        assert_eq!(loaded.config.week_goal, Config::default().week_goal);
        // A misspelt key is reported with the key meant, and costs only itself.
        std::fs::write(&path, "checkin = true\nweek_gaol = 2\n[colors]\nwrk = \"red\"\n").unwrap();
        let loaded = Config::load(&path);
        let shown = path.display();
        assert_eq!(
            loaded.errors.iter().map(ToString::to_string).collect::<Vec<_>>(),
            [
                format!("{shown}:2:1: week_gaol: unknown key; did you mean `week_goal`?"),
                format!("{shown}:4:1: colors: wrk: unknown key; did you mean `work`?"),
            ]
        );
        assert!(!loaded.whole_file && loaded.config.checkin, "{loaded:?}");
        // A value of the wrong type, too, costs only its own setting, and is named.
        // Each is blanked before the next is read (in key order): "très" must not shift the
        // places of those after it.
        let text =
            "checkin = true\nbell = \"très\"\nmute = \"yes\"\n[colors]\nwork = 3\n[sounds]\ngo = \"/tmp/go.wav\"\n";
        std::fs::write(&path, text).unwrap();
        let loaded = Config::load(&path);
        assert_eq!(
            loaded.errors.iter().map(ToString::to_string).collect::<Vec<_>>(),
            [
                format!("{shown}:2:8: bell: invalid type: string \"très\", expected a boolean"),
                format!("{shown}:3:8: mute: invalid type: string \"yes\", expected a boolean"),
                format!("{shown}:5:8: work: invalid type: integer `3`, expected a string"),
            ]
        );
        assert!(!loaded.whole_file && loaded.config.checkin && !loaded.config.mute, "{loaded:?}");
        assert_eq!(loaded.config.sounds, [(Cue::Go, PathBuf::from("/tmp/go.wav"))]);
        // Text that is not settings at all leaves everything at its default.
        std::fs::write(&path, "checkin = true\nweek_goal = \n").unwrap();
        let loaded = Config::load(&path);
        assert!(loaded.whole_file && !loaded.config.checkin, "{loaded:?}");
    }

    #[test]
    fn an_empty_file_means_defaults() {
        assert_eq!(Config::parse("c", "").unwrap(), Config::default());
    }

    #[test]
    fn every_setting_is_read() {
        let text = "volume = 0.5\nmute = true\nbell = true\nvoice = true\nweek_goal = 4\nweek_start = \"Sun\"\n\
                    day_starts_at = \"04:00\"\ncheckin = true\ncolor = false\n[sounds]\ndone = \"/tmp/done.wav\"\n\
                    [colors]\nprepare = \"light_yellow\"\nwork = \"#FF8800\"\nrest = \"blue\"\npaused = \"dark-grey\"\n\
                    [defaults]\nprepare = 10\nrest = \"20s\"\nswitch = \"1:30\"\nset_rest = 0\n";
        let c = Config::parse("c", text).unwrap();
        assert_eq!(
            c,
            Config {
                volume: 0.5,
                mute: true,
                bell: true,
                voice: true,
                week_goal: 4,
                week_start: Weekday::Sunday,
                day_starts_at: Time::constant(4, 0, 0, 0),
                checkin: true,
                color: false,
                colors: KindColors {
                    prepare: Some(Color::LightYellow),
                    work: Some(Color::Rgb(0xff, 0x88, 0x00)),
                    rest: Some(Color::Blue),
                    paused: Some(Color::DarkGray),
                },
                defaults: Pauses {
                    prepare: Duration::from_secs(10),
                    rest: Duration::from_secs(20),
                    switch: Duration::from_secs(90),
                    set_rest: Duration::ZERO,
                },
                sounds: vec![(Cue::Done, PathBuf::from("/tmp/done.wav"))],
            }
        );
    }

    #[test]
    fn defaults_left_out_keep_the_format_s_own() {
        let c = Config::parse("c", "[defaults]\nrest = \"20s\"\n").unwrap();
        assert_eq!(c.defaults, Pauses { rest: Duration::from_secs(20), ..Pauses::default() });
        assert_eq!(c.colors, KindColors::default());
    }

    #[test]
    fn bad_defaults_are_reported_like_a_routine_s_with_their_place() {
        assert_eq!(
            messages("[defaults]\nrest = \"2h\"\nprepare = \"soon\"\nreste = 5\nswitch = true\n"),
            [
                "config.toml:2:8: defaults: rest: must be between 0s and 1h, got \"2h\"",
                "config.toml:3:11: defaults: prepare: must be a duration like \"45s\", \"1m30s\" or \"1:30\" \
                 (between 0s and 1h), got \"soon\"",
                "config.toml:4:1: defaults: reste: unknown key; did you mean `rest`?",
                "config.toml:5:10: defaults: switch: must be a duration like \"45s\" or a whole number of seconds, \
                 got a boolean",
            ]
        );
        assert_eq!(
            messages("defaults = 5\n"),
            ["config.toml:1:12: defaults: must be a table (`[defaults]`), got an integer"]
        );
    }

    #[test]
    fn unknown_colours_list_the_allowed_ones_and_other_errors_still_show() {
        assert_eq!(
            messages("volume = 2.0\n[colors]\nwork = \"purple\"\npaused = \"#12345\"\n"),
            [
                "config.toml:1:10: volume: must be from 0.0 to 1.0, got 2",
                "config.toml:3:8: colors.work: must be a colour name (black, red, green, yellow, blue, magenta, \
                 cyan, gray, dark_gray, light_red, light_green, light_yellow, light_blue, light_magenta, \
                 light_cyan, white) or \"#rrggbb\", got \"purple\"",
                "config.toml:4:10: colors.paused: must be a colour name (black, red, green, yellow, blue, \
                 magenta, cyan, gray, dark_gray, light_red, light_green, light_yellow, light_blue, \
                 light_magenta, light_cyan, white) or \"#rrggbb\", got \"#12345\"",
            ]
        );
        let out = messages("[colors]\nwrok = \"red\"\n");
        assert_eq!(out, ["config.toml:2:1: colors: wrok: unknown key; did you mean `work`?"]);
        let out = messages("[sounds]\nbeep = \"/tmp/b.wav\"\n");
        assert_eq!(
            out,
            ["config.toml:2:1: sounds: beep: unknown key; allowed here: tick, go, rest, switch, may_stop, done"]
        );
    }

    #[test]
    fn a_key_set_twice_is_named() {
        assert_eq!(messages("volume = 0.5\nvolume = 0.6\n"), ["config.toml:2:1: volume: duplicate key"]);
        assert_eq!(
            messages("[colors]\nwork = \"red\"\n\"work\" = \"blue\"\n"),
            ["config.toml:3:1: work: duplicate key"]
        );
    }

    #[test]
    fn bad_values_are_all_reported_with_their_place() {
        assert_eq!(
            messages("volume = 1.5\nweek_goal = 9\nweek_start = \"someday\"\nday_starts_at = \"25:00\"\n"),
            [
                "config.toml:1:10: volume: must be from 0.0 to 1.0, got 1.5",
                "config.toml:2:13: week_goal: must be from 1 to 7 sessions, got 9",
                "config.toml:3:14: week_start: must be a weekday like \"monday\", got \"someday\"",
                "config.toml:4:17: day_starts_at: must be a time from \"00:00\" to \"11:59\", got \"25:00\"",
            ]
        );
    }

    #[test]
    fn unknown_keys_name_the_closest_or_the_allowed_ones() {
        assert_eq!(messages("volum = 0.5\n"), ["config.toml:1:1: volum: unknown key; did you mean `volume`?"]);
        let out = messages("sound_volume = 0.5\n");
        assert_eq!(out.len(), 1);
        assert!(
            out[0].starts_with("config.toml:1:1: sound_volume: unknown key; allowed here: volume, mute,"),
            "{}",
            out[0]
        );
    }
}
