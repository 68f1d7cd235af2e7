//! Password hashing with argon2id (OWASP's parameters: 19 MiB, 2 passes), off the async
//! threads because each hash takes tens of milliseconds of CPU on purpose — and a few at a
//! time: each takes 19 MiB, so without a cap a few hundred parallel sign-ins exhaust memory.
//! Checking a typed password asks for a permit and is answered "busy" at once when none is
//! free; hashing a new password (administration, one's own change) waits for one.
//! How the allocator is kept from holding on to their memory is in `server/src/main.rs`.

use crate::error::AppError;
use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;
use std::sync::{Arc, OnceLock};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// Hashes running at once, at most, in one instance of the server, by default.
pub const MAX_CONCURRENT_HASHES: usize = 4;

/// The permits of one server instance (part of its state).
#[derive(Clone, Debug)]
pub struct Hashing(Arc<Semaphore>);

impl Default for Hashing {
    fn default() -> Self {
        Hashing::new(MAX_CONCURRENT_HASHES)
    }
}

impl Hashing {
    pub fn new(permits: usize) -> Self {
        Hashing(Arc::new(Semaphore::new(permits.max(1))))
    }

    /// A permit to check a password now, or `Busy` (429) when every permit is taken.
    pub fn permit(&self) -> Result<OwnedSemaphorePermit, AppError> {
        self.0
            .clone()
            .try_acquire_owned()
            .map_err(|_| AppError::Busy)
    }
}

/// Runs `work` off the async threads (the caller holds a permit, so at most as many run as
/// there are permits).
async fn off_the_async_threads<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, AppError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|_| AppError::Internal)
}

/// Hashes a password for storage.
pub async fn hash(hashing: &Hashing, password: String) -> Result<String, AppError> {
    let _permit = hashing.0.acquire().await.map_err(|_| AppError::Internal)?;
    off_the_async_threads(move || {
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
    _permit: &OwnedSemaphorePermit,
    password: String,
    stored: Option<String>,
) -> bool {
    off_the_async_threads(move || {
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
        assert!(verify(&p, "correct horse battery".into(), Some(h.clone())).await);
        assert!(!verify(&p, "wrong horse battery".into(), Some(h)).await);
        assert!(!verify(&p, "no account has this password".into(), None).await);
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
