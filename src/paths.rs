//! Where supple keeps its files: user routines and config, and the history database.
//! `SUPPLE_CONFIG_DIR` and `SUPPLE_DATA_DIR` override the platform folders (tests and
//! portable setups use them). Folders are created on first write, never on read.

use std::path::PathBuf;

/// The folders in use for this run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paths {
    /// Holds `config.toml` and the `routines/` folder.
    pub config_dir: PathBuf,
    /// Holds `history.db`.
    pub data_dir: PathBuf,
}

impl Paths {
    /// Reads the overrides from the environment, else the platform's usual folders
    /// (`~/.config/supple`, `~/.local/share/supple` on Linux, honouring XDG variables).
    #[must_use]
    pub fn from_env() -> Paths {
        let dirs = directories::ProjectDirs::from("", "", "supple");
        let pick = |var: &str, fallback: Option<PathBuf>, default_leaf: &str| {
            std::env::var_os(var)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
                .or(fallback)
                .unwrap_or_else(|| PathBuf::from(".supple").join(default_leaf))
        };
        Paths {
            config_dir: pick("SUPPLE_CONFIG_DIR", dirs.as_ref().map(|d| d.config_dir().to_path_buf()), "config"),
            data_dir: pick("SUPPLE_DATA_DIR", dirs.as_ref().map(|d| d.data_dir().to_path_buf()), "data"),
        }
    }

    #[must_use]
    pub fn routines_dir(&self) -> PathBuf {
        self.config_dir.join("routines")
    }

    #[must_use]
    pub fn config_file(&self) -> PathBuf {
        self.config_dir.join("config.toml")
    }

    #[must_use]
    pub fn history_db(&self) -> PathBuf {
        self.data_dir.join("history.db")
    }
}
