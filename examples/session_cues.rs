//! A process for scripts/measure-session.sh: the cues of a 60 s routine as the runtime sends
//! them (`runtime.rs`: every second, the cues foreseen within `FORESEE`; each cue again at its
//! moment). Four 15 s steps; each ends with a 3-2-1 countdown (ticks one second apart) and the
//! next step's cue (go, rest, go, done).

use std::time::{Duration, Instant};

use supple::audio::{AudioSettings, AudioSink, QuietStderr, Sounds};
use supple::clock::Clock;
use supple::cue::{Cue, CueSink};
use supple::runtime::FORESEE;

fn main() {
    let _quiet = QuietStderr::divert_to_null();
    let mut sink = AudioSink::start(Sounds::bundled(), &AudioSettings::default());
    sink.wait_for_status(Duration::from_secs(5));
    let t0 = Clock.now();
    let mut cues: Vec<(Instant, Cue)> = Vec::new();
    for (step, cue) in [Cue::Go, Cue::Rest, Cue::Go, Cue::Done].into_iter().enumerate() {
        let end = 15 * (step as u64 + 1);
        for before in [3, 2, 1] {
            cues.push((t0 + Duration::from_secs(end - before), Cue::Tick));
        }
        cues.push((t0 + Duration::from_secs(end), cue));
    }
    for second in 0..=60 {
        let now = t0 + Duration::from_secs(second);
        std::thread::sleep(now.saturating_duration_since(Clock.now()));
        for &(_, cue) in cues.iter().filter(|c| c.0 == now) {
            sink.play(cue);
        }
        let ahead: Vec<(Instant, Cue)> = cues.iter().copied().filter(|c| c.0 > now && c.0 <= now + FORESEE).collect();
        sink.schedule(&ahead);
    }
}
