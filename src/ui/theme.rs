//! Every colour and emphasis the screens use, in one place. `NO_COLOR` (no-color.org) selects
//! the monochrome variant, which tells states apart by bold, dim and reverse video alone.

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
}
