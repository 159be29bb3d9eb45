//! The raw Argon2id rate of this machine with the server's own parameters:
//! `THREADS` threads each call `bilim_service::passwords::hash_blocking` in a
//! loop for `SECONDS` seconds (after one unmeasured hash each), then it prints
//! one line that `scripts/bench.sh` reads:
//!
//! ```text
//! argon2id params=m=19456,t=2,p=1 threads=2 seconds=10.02 hashes=412 rate=41.12
//! ```
//!
//! Run it with `cargo run --release -p bilim-service --example argon2_rate -- [THREADS] [SECONDS]`
//! (defaults: one thread per core, 10 seconds). A hash and a verification cost
//! the same: both compute one Argon2id of the password with the stored parameters.

use bilim_service::passwords::hash_blocking;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

const PASSWORD: &str = "Bilim-demo-2026!";

fn main() -> ExitCode {
    match run() {
        Ok(line) => {
            println!("{line}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("argon2_rate: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<String, String> {
    let mut args = std::env::args().skip(1);
    let threads = match args.next() {
        Some(value) => value
            .parse::<usize>()
            .ok()
            .filter(|n| *n > 0)
            .ok_or_else(|| format!("THREADS must be a positive number, not {value:?}"))?,
        None => std::thread::available_parallelism().map_or(2, usize::from),
    };
    let seconds = match args.next() {
        Some(value) => value
            .parse::<f64>()
            .ok()
            .filter(|s| s.is_finite() && *s > 0.0)
            .ok_or_else(|| format!("SECONDS must be a positive number, not {value:?}"))?,
        None => 10.0,
    };

    // One hash to read the parameters back from the PHC string ($argon2id$v=19$m=…,t=…,p=…$…).
    let sample = hash_blocking(PASSWORD).map_err(|e| e.to_string())?;
    let params = sample.split('$').nth(3).unwrap_or("unknown").to_owned();

    let stop = Arc::new(AtomicBool::new(false));
    let start = Arc::new(std::sync::Barrier::new(threads + 1));
    let workers: Vec<_> = (0..threads)
        .map(|_| {
            let stop = Arc::clone(&stop);
            let start = Arc::clone(&start);
            std::thread::spawn(move || -> Result<u64, String> {
                hash_blocking(PASSWORD).map_err(|e| e.to_string())?;
                start.wait();
                let mut hashes = 0u64;
                while !stop.load(Ordering::Relaxed) {
                    hash_blocking(PASSWORD).map_err(|e| e.to_string())?;
                    hashes += 1;
                }
                Ok(hashes)
            })
        })
        .collect();
    start.wait();
    let began = Instant::now();
    std::thread::sleep(Duration::from_secs_f64(seconds));
    stop.store(true, Ordering::Relaxed);
    let mut hashes = 0u64;
    for worker in workers {
        hashes += worker
            .join()
            .map_err(|_| "a hashing thread panicked".to_owned())??;
    }
    // The hashes that were running when `stop` was set finish after it: count
    // the time until the last one ended.
    let elapsed = began.elapsed().as_secs_f64();
    #[allow(clippy::cast_precision_loss)]
    let rate = hashes as f64 / elapsed;
    Ok(format!(
        "argon2id params={params} threads={threads} seconds={elapsed:.2} hashes={hashes} rate={rate:.2}"
    ))
}
