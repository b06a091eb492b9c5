//! A process for scripts/measure-idle.sh: one "go" cue, foreseen a second ahead, then twelve
//! seconds without cues. With `open` as argument it foresees a tick every second instead, so
//! that the output stays open the whole time, as a timer that never closes its stream would.
//! A second argument sets the device period in ms (default: the shipped `PERIOD_MS`).

use std::time::{Duration, Instant};

use supple::audio::rodio_sink::{PERIOD_MS, RodioDevice};
use supple::audio::{AudioSettings, AudioSink, QuietStderr, Sounds};
use supple::clock::Clock;
use supple::cue::{Cue, CueSink};
use supple::runtime::FORESEE;

fn main() {
    let _quiet = QuietStderr::divert_to_null();
    let keep_open = std::env::args().nth(1).as_deref() == Some("open");
    let period = std::env::args().nth(2).and_then(|a| a.parse().ok()).unwrap_or(PERIOD_MS);
    let device = RodioDevice::with_period_ms(period);
    let mut sink = AudioSink::with_device(device, Sounds::bundled(), &AudioSettings::default());
    sink.wait_for_status(Duration::from_secs(5));
    let t0 = Clock.now();
    let go = t0 + Duration::from_secs(1);
    sink.schedule(&[(go, Cue::Go)]);
    for second in 1..=12 {
        let now = t0 + Duration::from_secs(second);
        std::thread::sleep(now.saturating_duration_since(Clock.now()));
        if keep_open {
            // As far ahead as the runtime foresees: a tick foreseen later than the stream has
            // rendered would need a fresh stream (its buffer is ~2.7 s), every second.
            let ticks: Vec<(Instant, Cue)> =
                (1..=FORESEE.as_secs()).map(|s| (now + Duration::from_secs(s), Cue::Tick)).collect();
            sink.schedule(&ticks);
        }
    }
}
