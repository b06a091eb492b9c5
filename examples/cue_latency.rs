//! Measures how late a cue sounds after the output was opened by `prepare` `lead` ms earlier.
//!
//! For each lead time it prepares, waits `lead`, plays a tick, waits exactly one second and
//! plays a second tick on the now steady stream, then lets the stream close. Recorded from a
//! `PulseAudio` monitor (`scripts/cue-latency.sh`), the gap between the two ticks minus 1000 ms is
//! how much later the first cue sounded than a cue on a stream that is already running.

use std::time::Duration;

use supple::audio::{AudioSettings, AudioSink, QuietStderr, Sounds};
use supple::cue::{Cue, CueSink};

fn main() {
    let _quiet = QuietStderr::divert_to_null();
    let leads: Vec<u64> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    let leads = if leads.is_empty() { vec![0, 100, 300, 500] } else { leads };
    let mut sink = AudioSink::start(Sounds::bundled(), &AudioSettings::default());
    println!("{:?}", sink.wait_for_status(Duration::from_secs(5)));
    for lead in leads {
        // Let the probe's (or the previous round's) stream close first.
        std::thread::sleep(Duration::from_millis(2500));
        println!("lead {lead} ms");
        sink.prepare();
        std::thread::sleep(Duration::from_millis(lead));
        sink.play(Cue::Tick);
        std::thread::sleep(Duration::from_secs(1));
        sink.play(Cue::Tick);
    }
    std::thread::sleep(Duration::from_millis(2500));
}
