//! How long after `play` the device callback starts pulling a cue's samples: the software
//! part of cue latency (the device buffer, two periods, and the sound server come on top).
//! Each trial opens the output as `prepare` does, waits 300 ms, then adds a cue to the mixer.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rodio::Source;
use supple::audio::engine::{Command, Device, StreamFailed};
use supple::audio::rodio_sink::RodioDevice;
use supple::audio::{QuietStderr, Sounds};
use supple::clock::Clock;
use supple::cue::Cue;

/// A source that notes when its 64th sample is taken: resampling reads a few samples ahead
/// when the mixer receives a source, so the very first sample is taken at `add` time.
struct Stamped<S> {
    inner: S,
    taken: usize,
    first: Arc<Mutex<Option<Instant>>>,
}

impl<S: Source> Iterator for Stamped<S> {
    type Item = f32;
    fn next(&mut self) -> Option<f32> {
        self.taken += 1;
        if self.taken == 64
            && let Ok(mut first) = self.first.lock()
        {
            *first = Some(Clock.now());
        }
        self.inner.next()
    }
}

impl<S: Source> Source for Stamped<S> {
    fn current_span_len(&self) -> Option<usize> {
        self.inner.current_span_len()
    }
    fn channels(&self) -> rodio::ChannelCount {
        self.inner.channels()
    }
    fn sample_rate(&self) -> rodio::SampleRate {
        self.inner.sample_rate()
    }
    fn total_duration(&self) -> Option<Duration> {
        self.inner.total_duration()
    }
}

fn main() {
    let _quiet = QuietStderr::divert_to_null();
    let sounds = Sounds::bundled();
    let (tx, _rx) = std::sync::mpsc::channel::<Command>();
    let mut device = RodioDevice::default();
    let mut delays = Vec::new();
    for trial in 0..10 {
        let output = match device.open(StreamFailed::new(trial, tx.clone())) {
            Ok(output) => output,
            Err(why) => {
                println!("no device: {why}");
                return;
            }
        };
        std::thread::sleep(Duration::from_millis(300));
        let first = Arc::new(Mutex::new(None));
        let played = Clock.now();
        let tick = sounds.get(Cue::Tick).source();
        output.mixer().add(Stamped { inner: tick, taken: 0, first: Arc::clone(&first) });
        std::thread::sleep(Duration::from_secs(1));
        let pulled = first.lock().ok().and_then(|f| *f);
        match pulled {
            Some(pulled) => delays.push(pulled.duration_since(played)),
            None => println!("trial {trial}: not started within 1 s"),
        }
        drop(output);
        std::thread::sleep(Duration::from_millis(200));
    }
    delays.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    if let (Some(min), Some(max)) = (delays.first(), delays.last()) {
        println!(
            "play -> first sample pulled, {} trials: min {:.1} ms, median {:.1} ms, max {:.1} ms",
            delays.len(),
            ms(*min),
            ms(delays[delays.len() / 2]),
            ms(*max)
        );
    }
}
