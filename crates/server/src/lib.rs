//! The `bilim` server: settings, telemetry, wiring of adapters into services and
//! the HTTP app (the one composition root), and the command line.

pub mod cli;
pub mod commands;
pub mod settings;
pub mod startup;
pub mod telemetry;
pub mod wiring;

pub use settings::Settings;
pub use startup::Application;
