//! Background work that runs beside the web server.

use app::server::clock::timestamp;
use app::server::AppState;
use chrono::Duration;
use std::time::Duration as StdDuration;
use tokio::task::JoinHandle;

/// Starts the workers; the handle stops them.
pub fn spawn(state: AppState) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(StdDuration::from_secs(600));
        loop {
            tick.tick().await;
            if let Err(e) = sweep(&state).await {
                tracing::error!(error = %e, "housekeeping failed");
            }
        }
    })
}

/// Deletes what has expired: sessions past their timeouts, unclaimed form flashes, and
/// sign-in failure counters whose lock and window have passed.
pub async fn sweep(state: &AppState) -> Result<(), sqlx::Error> {
    let now = state.clock.now();
    let config = &state.config;
    let idle = Duration::from_std(config.session_idle).unwrap_or(Duration::MAX);
    let absolute = Duration::from_std(config.session_absolute).unwrap_or(Duration::MAX);
    let lockout = Duration::from_std(config.lockout).unwrap_or(Duration::MAX);
    sqlx::query("DELETE FROM user_session WHERE last_seen_at < $1 OR created_at < $2")
        .bind(timestamp(now - idle))
        .bind(timestamp(now - absolute))
        .execute(&state.db.pool)
        .await?;
    sqlx::query(
        "DELETE FROM sign_in_throttle WHERE last_failure_at < $1 AND (locked_until IS NULL OR locked_until < $2)",
    )
    .bind(timestamp(now - lockout))
    .bind(timestamp(now))
    .execute(&state.db.pool)
    .await?;
    app::server::flash::sweep(&state.db, now).await?;
    state.db.optimize().await?;
    Ok(())
}
