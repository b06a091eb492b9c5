//! Every colour and emphasis the screens use, in one place. `NO_COLOR` (no-color.org) selects
//! the monochrome variant, which tells states apart by bold, dim and reverse video alone. The
//! user's config may recolour the countdown per kind of step ([`KindColors`]); the colour names
//! it accepts are listed here too.

use ratatui::style::{Color, Modifier, Style};

use crate::plan::StepKind;

/// Styles by role, not by colour, so the monochrome variant is a drop-in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub title: Style,
    pub dim: Style,
    pub exercise: Style,
    pub prepare: Style,
    pub work: Style,
    /// Rest and switch steps.
    pub rest: Style,
    pub paused: Style,
    /// The countdown while a cue flashes because it cannot be heard.
    pub flash: Style,
    pub gauge_filled: Style,
    pub gauge_empty: Style,
    pub key: Style,
    pub warning: Style,
    pub good: Style,
    pub border: Style,
}

impl Theme {
    pub const COLOR: Theme = Theme {
        title: Style::new().add_modifier(Modifier::BOLD),
        dim: Style::new().fg(Color::DarkGray),
        exercise: Style::new().add_modifier(Modifier::BOLD),
        prepare: Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD),
        work: Style::new().fg(Color::Green).add_modifier(Modifier::BOLD),
        rest: Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
        paused: Style::new().fg(Color::Magenta).add_modifier(Modifier::BOLD),
        flash: Style::new().fg(Color::Black).bg(Color::White).add_modifier(Modifier::BOLD),
        gauge_filled: Style::new().fg(Color::Green),
        gauge_empty: Style::new().fg(Color::DarkGray),
        key: Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
        warning: Style::new().fg(Color::Yellow),
        good: Style::new().fg(Color::Green),
        border: Style::new().fg(Color::Cyan),
    };

    pub const MONOCHROME: Theme = Theme {
        title: Style::new().add_modifier(Modifier::BOLD),
        dim: Style::new().add_modifier(Modifier::DIM),
        exercise: Style::new().add_modifier(Modifier::BOLD),
        prepare: Style::new(),
        work: Style::new().add_modifier(Modifier::BOLD),
        rest: Style::new(),
        paused: Style::new().add_modifier(Modifier::DIM),
        flash: Style::new().add_modifier(Modifier::REVERSED),
        gauge_filled: Style::new(),
        gauge_empty: Style::new().add_modifier(Modifier::DIM),
        key: Style::new().add_modifier(Modifier::BOLD),
        warning: Style::new().add_modifier(Modifier::BOLD),
        good: Style::new(),
        border: Style::new(),
    };

    /// The theme for this run: monochrome when `NO_COLOR` is set to anything non-empty.
    #[must_use]
    pub fn from_no_color(no_color: Option<&std::ffi::OsStr>) -> Theme {
        if no_color.is_some_and(|v| !v.is_empty()) { Theme::MONOCHROME } else { Theme::COLOR }
    }

    /// The theme for this run: monochrome when the config says `color = false` or `NO_COLOR`
    /// is set (either wins over `[colors]`), else colour with the user's countdown colours.
    #[must_use]
    pub fn for_run(color: bool, no_color: Option<&std::ffi::OsStr>, colors: &KindColors) -> Theme {
        if color { Theme::from_no_color(no_color).recoloured(colors) } else { Theme::MONOCHROME }
    }

    /// The countdown styles with the user's colours. Only a style that already has a colour
    /// takes one, so the monochrome theme stays monochrome whatever the config says.
    #[must_use]
    pub fn recoloured(mut self, colors: &KindColors) -> Theme {
        for (style, color) in [
            (&mut self.prepare, colors.prepare),
            (&mut self.work, colors.work),
            (&mut self.rest, colors.rest),
            (&mut self.paused, colors.paused),
        ] {
            if let (Some(color), Some(_)) = (color, style.fg) {
                style.fg = Some(color);
            }
        }
        self
    }

    /// The countdown's style for a step of this kind.
    #[must_use]
    pub fn kind(&self, kind: StepKind) -> Style {
        match kind {
            StepKind::Prepare => self.prepare,
            StepKind::Work => self.work,
            StepKind::Rest | StepKind::Switch => self.rest,
        }
    }
}

/// The user's countdown colours (config `[colors]`); `None` keeps the theme's own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct KindColors {
    pub prepare: Option<Color>,
    pub work: Option<Color>,
    /// Rest and switch steps.
    pub rest: Option<Color>,
    pub paused: Option<Color>,
}

/// The colour names a config may use: the sixteen every terminal has, named as ratatui does.
pub const COLOR_NAMES: &[(&str, Color)] = &[
    ("black", Color::Black),
    ("red", Color::Red),
    ("green", Color::Green),
    ("yellow", Color::Yellow),
    ("blue", Color::Blue),
    ("magenta", Color::Magenta),
    ("cyan", Color::Cyan),
    ("gray", Color::Gray),
    ("dark_gray", Color::DarkGray),
    ("light_red", Color::LightRed),
    ("light_green", Color::LightGreen),
    ("light_yellow", Color::LightYellow),
    ("light_blue", Color::LightBlue),
    ("light_magenta", Color::LightMagenta),
    ("light_cyan", Color::LightCyan),
    ("white", Color::White),
];

/// A colour as written in the config: a name of [`COLOR_NAMES`] (any case; `-` or a space
/// may stand for `_`, and `grey` for `gray`) or `#rrggbb`.
#[must_use]
pub fn parse_color(text: &str) -> Option<Color> {
    let text = text.trim();
    if let Some(hex) = text.strip_prefix('#') {
        if hex.len() != 6 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let channel = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
        return Some(Color::Rgb(channel(0)?, channel(2)?, channel(4)?));
    }
    let name = text.to_ascii_lowercase().replace(['-', ' '], "_").replace("grey", "gray");
    COLOR_NAMES.iter().find(|(known, _)| *known == name).map(|(_, color)| *color)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_color_set_to_anything_selects_monochrome_without_any_colour() {
        let mono = Theme::from_no_color(Some(std::ffi::OsStr::new("1")));
        assert_eq!(mono, Theme::MONOCHROME);
        assert_eq!(Theme::from_no_color(Some(std::ffi::OsStr::new(""))), Theme::COLOR);
        assert_eq!(Theme::from_no_color(None), Theme::COLOR);
        for style in [mono.prepare, mono.work, mono.rest, mono.paused, mono.flash, mono.key, mono.warning, mono.border]
        {
            assert_eq!((style.fg, style.bg), (None, None));
        }
    }

    #[test]
    fn colours_are_read_by_name_or_as_hex() {
        assert_eq!(parse_color("red"), Some(Color::Red));
        assert_eq!(parse_color("Light-Blue"), Some(Color::LightBlue));
        assert_eq!(parse_color("dark grey"), Some(Color::DarkGray));
        assert_eq!(parse_color("#ff8800"), Some(Color::Rgb(255, 136, 0)));
        for bad in ["purple", "#ff88", "#gg0000", "", "#ff880000", "dark_grayish"] {
            assert_eq!(parse_color(bad), None, "{bad}");
        }
    }

    #[test]
    fn configured_countdown_colours_never_colour_a_monochrome_run() {
        let colors = KindColors { work: Some(Color::Rgb(1, 2, 3)), paused: Some(Color::Red), ..KindColors::default() };
        let theme = Theme::for_run(true, None, &colors);
        assert_eq!(
            (theme.work.fg, theme.paused.fg, theme.prepare),
            (Some(Color::Rgb(1, 2, 3)), Some(Color::Red), Theme::COLOR.prepare)
        );
        assert_eq!(Theme::for_run(true, Some(std::ffi::OsStr::new("1")), &colors), Theme::MONOCHROME);
        assert_eq!(Theme::for_run(false, None, &colors), Theme::MONOCHROME);
    }
}
