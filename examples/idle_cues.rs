//! A process for scripts/measure-idle.sh: one "go" cue (prepared 300 ms ahead), then twelve
//! seconds without cues. With `open` as argument it calls `prepare` every second instead,
//! keeping the output open the whole time, as a timer that never closes its stream would.
//! A second argument sets the device period in ms (default: the shipped `PERIOD_MS`).

use std::time::Duration;

use supple::audio::rodio_sink::{PERIOD_MS, RodioDevice};
use supple::audio::{AudioSettings, AudioSink, QuietStderr, Sounds};
use supple::cue::{Cue, CueSink};

fn main() {
    let _quiet = QuietStderr::divert_to_null();
    let keep_open = std::env::args().nth(1).as_deref() == Some("open");
    let period = std::env::args().nth(2).and_then(|a| a.parse().ok()).unwrap_or(PERIOD_MS);
    let device = RodioDevice::with_period_ms(period);
    let mut sink = AudioSink::with_device(device, Sounds::bundled(), &AudioSettings::default());
    sink.wait_for_status(Duration::from_secs(5));
    sink.prepare();
    std::thread::sleep(Duration::from_millis(300));
    sink.play(Cue::Go);
    for _ in 0..12 {
        std::thread::sleep(Duration::from_secs(1));
        if keep_open {
            sink.prepare();
        }
    }
}
