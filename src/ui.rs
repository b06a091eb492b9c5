//! Screens, each a pure render of prepared data onto a ratatui buffer.

pub mod history_view;
