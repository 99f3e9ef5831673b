//! Argon2id on a few fixed threads, each reusing one wiped 19 MiB workspace. A sign-in burst
//! then costs the same memory as one sign-in per thread: on tokio's blocking pool every hash
//! could land on another of hundreds of threads, each keeping its allocator arena's memory.
//! Jobs beyond the threads wait in a bounded queue, in order.

use std::sync::mpsc::{Receiver, SyncSender, TrySendError, sync_channel};
use std::sync::{Arc, Mutex};

use kluis_crypto::{CryptoError, PasswordWorkspace};
use tokio::sync::{Semaphore, oneshot};
use zeroize::Zeroizing;

use crate::error::ServerError;

/// Jobs that may wait per worker thread; further callers wait for a place, not in memory.
const QUEUE_PER_THREAD: usize = 8;

enum Work {
    Verify {
        phc: String,
        password: Zeroizing<String>,
    },
    Hash {
        password: Zeroizing<String>,
    },
}

enum Done {
    Verified(bool),
    Hashed(String),
}

struct Job {
    work: Work,
    reply: oneshot::Sender<Result<Done, CryptoError>>,
}

pub struct HashPool {
    jobs: SyncSender<Job>,
    places: Semaphore,
    threads: usize,
}

impl std::fmt::Debug for HashPool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "HashPool({} threads)", self.threads)
    }
}

impl HashPool {
    /// `threads` workers (at least one), named `kluis-argon2-N`.
    pub fn new(threads: usize) -> Result<HashPool, ServerError> {
        let threads = threads.max(1);
        let (jobs, queue) = sync_channel::<Job>(threads * QUEUE_PER_THREAD);
        let queue = Arc::new(Mutex::new(queue));
        for n in 0..threads {
            let queue = queue.clone();
            std::thread::Builder::new()
                .name(format!("kluis-argon2-{n}"))
                .spawn(move || work(&queue))?;
        }
        Ok(HashPool {
            jobs,
            places: Semaphore::new(threads * QUEUE_PER_THREAD),
            threads,
        })
    }

    /// As many workers as cores, at most `max`.
    pub fn for_this_machine(max: usize) -> Result<HashPool, ServerError> {
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        HashPool::new(cores.min(max))
    }

    async fn run(&self, work: Work) -> Result<Done, ServerError> {
        let _place = self
            .places
            .acquire()
            .await
            .map_err(|e| ServerError::Task(e.to_string()))?;
        let (reply, answer) = oneshot::channel();
        match self.jobs.try_send(Job { work, reply }) {
            Ok(()) => {}
            // The places bound the queue, so it is never full; a closed one means the
            // workers are gone.
            Err(TrySendError::Full(_) | TrySendError::Disconnected(_)) => {
                return Err(ServerError::Task("the password workers are gone".into()));
            }
        }
        answer
            .await
            .map_err(|_| ServerError::Task("a password worker stopped".into()))?
            .map_err(ServerError::Crypto)
    }

    /// Whether `password` matches the stored PHC string.
    pub async fn verify(&self, phc: String, password: String) -> Result<bool, ServerError> {
        let work = Work::Verify {
            phc,
            password: Zeroizing::new(password),
        };
        match self.run(work).await? {
            Done::Verified(ok) => Ok(ok),
            Done::Hashed(_) => Err(ServerError::Task("a worker answered another job".into())),
        }
    }

    /// A new PHC string for `password`.
    pub async fn hash(&self, password: String) -> Result<String, ServerError> {
        let work = Work::Hash {
            password: Zeroizing::new(password),
        };
        match self.run(work).await? {
            Done::Hashed(phc) => Ok(phc),
            Done::Verified(_) => Err(ServerError::Task("a worker answered another job".into())),
        }
    }
}

fn work(queue: &Mutex<Receiver<Job>>) {
    let mut workspace = PasswordWorkspace::new();
    loop {
        let job = {
            let queue = queue.lock().unwrap_or_else(|p| p.into_inner());
            queue.recv()
        };
        // Every sender is gone: the server stopped.
        let Ok(job) = job else { return };
        let done = match &job.work {
            Work::Verify { phc, password } => workspace.verify(phc, password).map(Done::Verified),
            Work::Hash { password } => workspace.hash(password).map(Done::Hashed),
        };
        let _ = job.reply.send(done);
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[tokio::test]
    async fn a_burst_is_answered_in_full_by_two_workers() {
        let pool = HashPool::new(2).unwrap();
        let phc = pool.hash("a long enough passphrase".into()).await.unwrap();
        let checks = (0..24).map(|i| {
            let password = if i % 3 == 0 {
                "wrong".to_string()
            } else {
                "a long enough passphrase".to_string()
            };
            pool.verify(phc.clone(), password)
        });
        let answers = futures_util::future::join_all(checks).await;
        for (i, a) in answers.into_iter().enumerate() {
            assert_eq!(a.unwrap(), i % 3 != 0);
        }
        assert!(pool.verify("not a hash".into(), "x".into()).await.is_err());
    }
}
