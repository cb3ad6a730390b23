//! The commands beyond `build` and `check` (which are the pipeline itself, driven from
//! `main.rs`): `serve` (live preview), `export` (one guide as one file) and `init`.

pub mod export;
pub mod init;
pub mod serve;
