//! A process for scripts/measure-session.sh: the cues of a 60 s routine as the runtime sends
//! them (`runtime.rs`: `prepare` 300 ms before every cue). Four 15 s steps; each ends with a
//! 3-2-1 countdown (ticks one second apart) and the next step's cue (go, rest, go, done).

use std::time::Duration;

use supple::audio::{AudioSettings, AudioSink, QuietStderr, Sounds};
use supple::cue::{Cue, CueSink};

fn main() {
    let _quiet = QuietStderr::divert_to_null();
    let mut sink = AudioSink::start(Sounds::bundled(), &AudioSettings::default());
    sink.wait_for_status(Duration::from_secs(5));
    let step_cues = [Cue::Go, Cue::Rest, Cue::Go, Cue::Done];
    for cue in step_cues {
        // 15 s step: 12 s quiet, then three ticks a second apart, then the cue.
        std::thread::sleep(Duration::from_millis(11_700));
        for _ in 0..3 {
            sink.prepare();
            std::thread::sleep(Duration::from_millis(300));
            sink.play(Cue::Tick);
            std::thread::sleep(Duration::from_millis(700));
        }
        sink.prepare();
        std::thread::sleep(Duration::from_millis(300));
        sink.play(cue);
    }
}
