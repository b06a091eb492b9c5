//! `supple stats`: streaks, totals, this week, per-routine counts and the check-in trend, as
//! a short printed summary or as JSON.

use std::io::Write;

use super::Context;
use crate::stats::Stats;

#[derive(Debug, Clone, clap::Args)]
pub struct StatsArgs {
    /// Print the stats as JSON (keys documented in the README)
    #[arg(long)]
    pub json: bool,
}

/// `checkin` is the config's setting: with check-ins off the printed summary leaves out their
/// averages (a user who turned them off does not want them), while `--json` keeps them, since
/// its keys are stable for scripts and the answers already stored are still data.
pub fn stats(args: &StatsArgs, ctx: &Context, checkin: bool, out: &mut dyn Write) -> Result<(), String> {
    let store = ctx.read_store()?;
    let stats = Stats::gather(store.as_ref(), &ctx.settings, &ctx.now).map_err(|e| e.to_string())?;
    let written = if args.json {
        // Routine names come from file names: escaped so no byte of them acts on a terminal.
        serde_json::to_string_pretty(&stats.to_json())
            .map_err(std::io::Error::other)
            .and_then(|text| writeln!(out, "{}", crate::sanitize::json(&text)))
    } else {
        stats.write_text(out, checkin)
    };
    written.map_err(|e| format!("cannot write the stats: {e}"))
}
