//! Feeds arbitrary bytes to the WAV reader, the path a user's own cue file (config `[sounds]`)
//! and espeak-ng's speech take.
//!
//! Beyond "does not panic or hang": an accepted file gives at most five seconds of samples, all
//! within full scale, in whole frames; a refused one gives a reason that fits on one line.

#![no_main]

use std::time::Duration;

use libfuzzer_sys::fuzz_target;
use supple::audio::wav;

fuzz_target!(|data: &[u8]| {
    match wav::decode(data, Duration::from_secs(5)) {
        Ok(w) => {
            let channels = u64::from(w.channels.get());
            assert!(w.samples.len() as u64 <= 5 * u64::from(w.sample_rate.get()) * channels);
            assert_eq!(w.samples.len() as u64 % channels, 0, "whole frames only");
            assert!(w.samples.iter().all(|s| (-1.0..=1.0).contains(s)), "within full scale");
        }
        Err(e) => {
            let reason = e.to_string();
            assert!(!reason.is_empty() && !reason.contains('\n'), "{reason:?}");
        }
    }
});
