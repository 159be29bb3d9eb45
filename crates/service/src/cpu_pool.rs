//! A few low-priority threads for CPU-heavy work (Argon2id, zxcvbn; avatar
//! images on a pool of their own, `CpuPool::named`).
//!
//! Two reasons not to use tokio's blocking pool for it. It is bounded: a burst
//! of logins queues here instead of starting hundreds of threads that each hold
//! 19 MiB of Argon2 memory. And its threads run at a lower priority (nice 19 on
//! Linux), so when logins saturate the CPU, ordinary requests still get it
//! first; when nothing else runs, hashing has every core.

use crate::{ServiceError, ServiceResult};
use std::sync::mpsc::{Receiver, SyncSender, TrySendError, sync_channel};
use std::sync::{Arc, Mutex};

type Job = Box<dyn FnOnce() + Send + 'static>;

/// Jobs waiting per thread before new ones are refused with 503.
const QUEUE_PER_THREAD: usize = 64;
/// How much lower than normal the threads run (`nice` 0 → 19, the lowest):
/// under login load the course page kept a p99 about 25 % lower than at nice
/// 10, and logins their rate (docs/performance.md, finding 3).
const NICENESS: i32 = 19;

#[derive(Clone)]
pub struct CpuPool {
    jobs: SyncSender<Job>,
    /// What the pool does, named in the 503 when its queue is full.
    service: &'static str,
}

impl Default for CpuPool {
    /// One thread per core.
    fn default() -> Self {
        let threads = std::thread::available_parallelism().map_or(2, usize::from);
        Self::new(threads, threads * QUEUE_PER_THREAD)
    }
}

impl CpuPool {
    /// `threads` workers and room for `queue` waiting jobs. The threads end
    /// when the last handle to the pool is dropped.
    pub fn new(threads: usize, queue: usize) -> Self {
        Self::named("password hashing", threads, queue)
    }

    /// As [`CpuPool::new`], for work named `service` in its 503s. At most
    /// `threads` jobs run at once, which bounds the memory they hold.
    pub fn named(service: &'static str, threads: usize, queue: usize) -> Self {
        let (jobs, receiver) = sync_channel::<Job>(queue);
        let receiver = Arc::new(Mutex::new(receiver));
        for index in 0..threads.max(1) {
            let receiver = Arc::clone(&receiver);
            let spawned = std::thread::Builder::new()
                .name(format!("bilim-cpu-{index}"))
                .spawn(move || work(&receiver));
            if let Err(error) = spawned {
                tracing::error!(%error, "could not start a CPU pool thread");
            }
        }
        Self { jobs, service }
    }

    /// Runs `job` on the pool and waits for its result without blocking the
    /// async worker. 503 when the queue is full.
    pub async fn run<T: Send + 'static>(
        &self,
        job: impl FnOnce() -> T + Send + 'static,
    ) -> ServiceResult<T> {
        let (done, result) = tokio::sync::oneshot::channel();
        let job: Job = Box::new(move || {
            // The caller may have gone away (a dropped request): nothing to do.
            let _ = done.send(job());
        });
        match self.jobs.try_send(job) {
            Ok(()) => {}
            Err(TrySendError::Full(_)) => {
                return Err(ServiceError::Unavailable {
                    service: self.service,
                    reason: "the queue is full".to_owned(),
                });
            }
            Err(TrySendError::Disconnected(_)) => {
                return Err(ServiceError::Internal(
                    "the CPU pool has stopped".to_owned(),
                ));
            }
        }
        result
            .await
            .map_err(|_| ServiceError::Internal("a CPU pool job panicked".to_owned()))
    }
}

fn work(receiver: &Mutex<Receiver<Job>>) {
    lower_priority();
    loop {
        let job = match receiver.lock() {
            Ok(receiver) => receiver.recv(),
            Err(_) => return,
        };
        match job {
            Ok(job) => job(),
            Err(_) => return,
        }
    }
}

/// Raises this thread's nice value. On Linux `setpriority` with a thread id
/// changes that one thread; elsewhere the threads keep normal priority.
fn lower_priority() {
    #[cfg(target_os = "linux")]
    {
        let thread = rustix::thread::gettid();
        if let Err(error) = rustix::process::setpriority_process(Some(thread), NICENESS) {
            tracing::warn!(%error, "CPU pool thread keeps normal priority");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Barrier;

    #[tokio::test]
    async fn runs_jobs_and_returns_their_results() {
        let pool = CpuPool::new(2, 32);
        let results = futures_util::future::join_all((0..20).map(|n| {
            let pool = pool.clone();
            async move { pool.run(move || n * 2).await.unwrap() }
        }))
        .await;
        assert_eq!(results, (0..20).map(|n| n * 2).collect::<Vec<_>>());
    }

    #[tokio::test]
    async fn a_full_queue_is_refused_with_503() {
        let pool = CpuPool::new(1, 1);
        let gate = Arc::new(Barrier::new(2));
        let (started, running) = std::sync::mpsc::channel();
        let held = Arc::clone(&gate);
        // The one thread holds a job at the barrier; one more fills the queue.
        pool.jobs
            .try_send(Box::new(move || {
                let _ = started.send(());
                held.wait();
            }))
            .unwrap();
        running.recv().unwrap();
        pool.jobs.try_send(Box::new(|| {})).unwrap();
        let refused = pool.run(|| ()).await;
        assert!(
            matches!(refused, Err(ServiceError::Unavailable { .. })),
            "{refused:?}"
        );
        gate.wait();
    }

    #[cfg(target_os = "linux")]
    #[tokio::test]
    async fn pool_threads_run_at_a_lower_priority() {
        let pool = CpuPool::new(1, 1);
        let nice = pool
            .run(|| rustix::process::getpriority_process(Some(rustix::thread::gettid())))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(nice, NICENESS);
        let caller = rustix::process::getpriority_process(None).unwrap();
        assert!(caller < NICENESS, "the caller runs at {caller}");
    }
}
