//! Password hashing with argon2id (OWASP's parameters: 19 MiB, 2 passes), off the async
//! threads because each hash takes tens of milliseconds of CPU on purpose — and a few at a
//! time: each takes 19 MiB, so without a cap a few hundred parallel sign-ins exhaust memory.
//! Checking a typed password asks for a permit and is answered "busy" at once when none is
//! free; hashing a new password (administration, one's own change) waits for one.
//!
//! The hashes run on a few threads of their own, one per permit, rather than on tokio's
//! blocking pool (which grows to hundreds of threads). How the allocator is kept from holding
//! on to their memory is in `server/src/main.rs`.

use crate::error::AppError;
use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;
use std::sync::mpsc;
use std::sync::{Arc, Mutex, OnceLock};
use tokio::sync::{oneshot, OwnedSemaphorePermit, Semaphore};

/// Hashes running at once, at most, in one instance of the server, by default.
pub const MAX_CONCURRENT_HASHES: usize = 4;

type Job = Box<dyn FnOnce() + Send>;

/// The hashing threads and their permits, of one server instance (part of its state). The
/// threads end when the last clone of it is dropped.
#[derive(Clone)]
pub struct Hashing {
    permits: Arc<Semaphore>,
    jobs: mpsc::Sender<Job>,
}

impl std::fmt::Debug for Hashing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Hashing")
            .field("free", &self.permits.available_permits())
            .finish()
    }
}

impl Default for Hashing {
    fn default() -> Self {
        Hashing::new(MAX_CONCURRENT_HASHES)
    }
}

impl Hashing {
    pub fn new(threads: usize) -> Self {
        let threads = threads.max(1);
        let (jobs, queue) = mpsc::channel::<Job>();
        let queue = Arc::new(Mutex::new(queue));
        for i in 0..threads {
            let queue = queue.clone();
            let spawned = std::thread::Builder::new()
                .name(format!("password-hash-{i}"))
                .spawn(move || loop {
                    let job = match queue.lock() {
                        Ok(q) => q.recv(),
                        Err(_) => return,
                    };
                    match job {
                        Ok(job) => job(),
                        Err(_) => return,
                    }
                });
            if let Err(e) = spawned {
                tracing::error!(error = %e, "could not start a password hashing thread");
            }
        }
        Hashing {
            permits: Arc::new(Semaphore::new(threads)),
            jobs,
        }
    }

    /// A permit to check a password now, or `Busy` (429) when every permit is taken.
    pub fn permit(&self) -> Result<OwnedSemaphorePermit, AppError> {
        self.permits
            .clone()
            .try_acquire_owned()
            .map_err(|_| AppError::Busy)
    }

    /// Runs `work` on a hashing thread (the caller holds a permit).
    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, AppError> {
        let (tx, rx) = oneshot::channel();
        let job: Job = Box::new(move || {
            let _ = tx.send(work());
        });
        self.jobs.send(job).map_err(|_| AppError::Internal)?;
        rx.await.map_err(|_| AppError::Internal)
    }
}

/// Hashes a password for storage.
pub async fn hash(hashing: &Hashing, password: String) -> Result<String, AppError> {
    let _permit = hashing
        .permits
        .acquire()
        .await
        .map_err(|_| AppError::Internal)?;
    hashing
        .run(move || {
            let salt = SaltString::generate(&mut OsRng);
            Argon2::default()
                .hash_password(password.as_bytes(), &salt)
                .map(|h| h.to_string())
        })
        .await?
        .map_err(|e| {
            tracing::error!(error = %e, "password hashing failed");
            AppError::Internal
        })
}

/// Checks a password against a stored hash, holding `permit`. With no hash (no such
/// account) it verifies against a fixed dummy hash anyway, so that the answer takes as long
/// either way and the timing does not tell which email addresses have accounts.
pub async fn verify(
    hashing: &Hashing,
    _permit: &OwnedSemaphorePermit,
    password: String,
    stored: Option<String>,
) -> bool {
    hashing
        .run(move || {
            let (hash, real) = match &stored {
                Some(h) => (h.as_str(), true),
                None => (dummy_hash(), false),
            };
            let Ok(parsed) = PasswordHash::new(hash) else {
                return false;
            };
            let ok = Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok();
            ok && real
        })
        .await
        .unwrap_or(false)
}

fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(b"no account has this password", &salt)
            .map(|h| h.to_string())
            .unwrap_or_default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_verifies_its_password_only() {
        let hashing = Hashing::default();
        let h = hash(&hashing, "correct horse battery".into())
            .await
            .unwrap();
        assert!(h.starts_with("$argon2id$"));
        let p = hashing.permit().unwrap();
        assert!(
            verify(
                &hashing,
                &p,
                "correct horse battery".into(),
                Some(h.clone())
            )
            .await
        );
        assert!(!verify(&hashing, &p, "wrong horse battery".into(), Some(h)).await);
        assert!(!verify(&hashing, &p, "no account has this password".into(), None).await);
    }

    #[test]
    fn permits_run_out_instead_of_queueing() {
        let hashing = Hashing::default();
        let held: Vec<_> = (0..MAX_CONCURRENT_HASHES)
            .filter_map(|_| hashing.permit().ok())
            .collect();
        assert_eq!(held.len(), MAX_CONCURRENT_HASHES);
        assert_eq!(hashing.permit().err(), Some(AppError::Busy));
        drop(held);
        assert!(hashing.permit().is_ok());
    }
}
