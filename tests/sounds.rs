//! `supple sounds` on a machine where ALSA cannot work: the command still succeeds, says why
//! in one line, and none of ALSA's own error prints reach the terminal.

#![cfg(target_os = "linux")]

use std::path::Path;

use assert_cmd::Command;

/// `supple sounds` in `dir` (config and data there too), with an ALSA configuration that does
/// not exist: libasound then writes "ALSA lib conf.c:...: Cannot access file" to fd 2 and
/// fails, wherever the test runs, with or without a sound card.
fn sounds_without_alsa(dir: &Path) -> std::process::Output {
    Command::cargo_bin("supple")
        .unwrap()
        .arg("sounds")
        .current_dir(dir)
        .env("SUPPLE_CONFIG_DIR", dir)
        .env("SUPPLE_DATA_DIR", dir)
        .env("ALSA_CONFIG_PATH", dir.join("no-such-alsa.conf"))
        .output()
        .unwrap()
}

#[test]
fn without_audio_the_sounds_command_explains_and_alsa_prints_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let output = sounds_without_alsa(dir.path());
    assert!(output.status.success(), "{output:?}");
    assert_eq!(String::from_utf8_lossy(&output.stderr), "", "nothing on stderr");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{stdout}");
    assert!(lines[0].starts_with("no audio device: "), "{stdout}");
    assert_eq!(lines[1], "cues will be shown as a flash on screen instead");
}

#[test]
fn a_configured_sound_that_is_not_audio_is_named_and_replaced_by_the_bundled_one() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("tick.wav"), "not a sound").unwrap();
    let config = format!("[sounds]\ntick = \"{}\"\n", dir.path().join("tick.wav").display());
    std::fs::write(dir.path().join("config.toml"), config).unwrap();
    let output = sounds_without_alsa(dir.path());
    assert!(output.status.success(), "{output:?}");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let first = stdout.lines().next().unwrap_or_default();
    assert!(first.starts_with("sound for tick: "), "{stdout}");
    assert!(first.ends_with("tick.wav: not a WAV file; using the bundled sound"), "{stdout}");
}
