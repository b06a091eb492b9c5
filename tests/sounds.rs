//! `supple sounds` on a machine where ALSA cannot work: the command still succeeds, says why
//! in one line, and none of ALSA's own error prints reach the terminal.

#![cfg(target_os = "linux")]

use assert_cmd::Command;

#[test]
fn without_audio_the_sounds_command_explains_and_alsa_prints_nothing() {
    let dir = tempfile::tempdir().unwrap();
    // A missing ALSA configuration makes libasound write "ALSA lib conf.c:...: Cannot access
    // file" to fd 2 and fail, wherever the test runs, with or without a sound card.
    let output = Command::cargo_bin("supple")
        .unwrap()
        .arg("sounds")
        .current_dir(dir.path())
        .env("ALSA_CONFIG_PATH", dir.path().join("no-such-alsa.conf"))
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    assert_eq!(String::from_utf8_lossy(&output.stderr), "", "nothing on stderr");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{stdout}");
    assert!(lines[0].starts_with("no audio device: "), "{stdout}");
    assert_eq!(lines[1], "cues will be shown as a flash on screen instead");
}
