//! Drawing. Pure functions of the state and the time: they read a [`Guide`] and never change
//! it, so every screen can be tested on ratatui's `TestBackend`.

pub mod checkin_view;
pub mod footer;
pub mod history_view;
pub mod home_view;
pub mod session_view;
pub mod summary_view;
pub mod theme;

use std::time::Instant;

use ratatui::Frame;

use crate::guide::Guide;
use crate::ui::theme::Theme;

/// Draws the run screen, or its summary once the session has ended.
pub fn render_run(frame: &mut Frame, guide: &Guide, theme: &Theme, now: Instant) {
    if guide.session().ended().is_some() {
        summary_view::render(frame, guide, theme);
    } else {
        session_view::render(frame, guide, theme, now);
    }
}
