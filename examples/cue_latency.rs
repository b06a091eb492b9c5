//! Ticks whose gaps, recorded from a `PulseAudio` monitor (`scripts/cue-latency.sh`), show how
//! well cues keep to their moments. Each round plays five ticks one second apart:
//! 1. foreseen, the first sound of a fresh stream;
//! 2. foreseen, on the running stream;
//! 3. not foreseen (as after a key): played when its moment comes, which needs a fresh stream;
//! 4. and 5. foreseen again.
//!
//! Gaps of exactly 1000 ms mean both ticks were on their moments. 2-1 shows a stream keeping
//! its own time, 3-2 minus 1000 how late an unforeseen cue is, and 4-1 minus 3000 whether two
//! streams agree on the clock (each maps its frames to the clock on its own).
//!
//! Arguments: the number of rounds (default 4) and the device period in ms (default: the
//! shipped `PERIOD_MS`).

use std::time::{Duration, Instant};

use supple::audio::rodio_sink::{PERIOD_MS, RodioDevice};
use supple::audio::{AudioSettings, AudioSink, QuietStderr, Sounds};
use supple::clock::Clock;
use supple::cue::{Cue, CueSink};
use supple::runtime::FORESEE;

fn main() {
    let _quiet = QuietStderr::divert_to_null();
    let rounds: u64 = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(4);
    let period = std::env::args().nth(2).and_then(|a| a.parse().ok()).unwrap_or(PERIOD_MS);
    let device = RodioDevice::with_period_ms(period);
    let mut sink = AudioSink::with_device(device, Sounds::bundled(), &AudioSettings::default());
    println!("{:?}", sink.wait_for_status(Duration::from_secs(5)));
    for round in 0..rounds {
        let t0 = Clock.now() + FORESEE;
        let at = |n: u64| t0 + Duration::from_secs(n);
        let foreseen = [0, 1, 3, 4];
        println!("round {round}");
        // As the runtime does: each second, the cues whose moment has come, then what is foreseen.
        for second in 0..(FORESEE.as_secs() + 6) {
            let now = at(second).checked_sub(FORESEE).unwrap_or(t0);
            std::thread::sleep(now.saturating_duration_since(Clock.now()));
            if (FORESEE.as_secs()..FORESEE.as_secs() + 5).contains(&second) {
                sink.play(Cue::Tick);
            }
            let soon = |n: &&u64| at(**n) > now && at(**n) <= now + FORESEE;
            let ahead: Vec<(Instant, Cue)> = foreseen.iter().filter(soon).map(|&n| (at(n), Cue::Tick)).collect();
            sink.schedule(&ahead);
        }
        // Let the stream close before the next round.
        std::thread::sleep(Duration::from_secs(3));
    }
}
