//! The command line: `bilim` (= `bilim serve`), `bilim migrate`, `bilim openapi`.

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "bilim",
    version,
    about = "Bilim: the backend of an online education platform"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Apply migrations and serve the API (the default).
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Print the OpenAPI document as JSON.
    Openapi,
}
