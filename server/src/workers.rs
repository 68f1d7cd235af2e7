//! Background work that runs beside the web server.

use app::backend::auth::to_chrono;
use app::backend::outbox::{self, Transport};
use app::backend::retention::{self, Done};
use app::backend::store::{sessions, throttle};
use app::backend::{emails, AppState};
use std::time::Duration as StdDuration;
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// Waits for the next tick of `tick`, or answers false when the server is stopping. Work
/// already started is never cut: a worker only stops between rounds, so the email being
/// sent is sent and marked.
async fn next_round(tick: &mut tokio::time::Interval, stop: &mut watch::Receiver<bool>) -> bool {
    if *stop.borrow() {
        return false;
    }
    tokio::select! {
        _ = tick.tick() => true,
        _ = stop.changed() => false,
    }
}

/// Starts the workers. They finish their round and end when `stop` turns true.
pub fn spawn(state: AppState, stop: watch::Receiver<bool>) -> Vec<JoinHandle<()>> {
    let housekeeping = {
        let state = state.clone();
        let mut stop = stop.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(StdDuration::from_secs(600));
            while next_round(&mut tick, &mut stop).await {
                if let Err(e) = sweep(&state).await {
                    tracing::error!(error = %e, "housekeeping failed");
                }
                if let Err(e) = retention_round(&state).await {
                    tracing::error!(error = %e, "retention failed");
                }
            }
        })
    };
    let mut workers = vec![housekeeping];
    if let Some(interval) = state.config.overview_refresh {
        let state = state.clone();
        let mut stop = stop.clone();
        workers.push(tokio::spawn(async move {
            let mut tick = tokio::time::interval(interval);
            while next_round(&mut tick, &mut stop).await {
                let started = std::time::Instant::now();
                let result = state
                    .indicators
                    .refresh(&state.db, &state.config, &state.clock)
                    .await;
                if let Err(e) = &result {
                    tracing::error!(error = %e, "the programme indicators could not be computed");
                }
                state
                    .metrics
                    .overview_refreshed(result.is_ok().then(|| started.elapsed()));
            }
        }));
    }
    let Some(interval) = state.config.outbox_interval else {
        return workers;
    };
    let mut stop = stop;
    let mail = tokio::spawn(async move {
        let transport = match Transport::from_config(&state.config) {
            Ok(t) => t,
            Err(e) => {
                tracing::error!(error = %e, "email cannot be sent: check the SMTP settings");
                return;
            }
        };
        let mut tick = tokio::time::interval(interval);
        while next_round(&mut tick, &mut stop).await {
            if let Err(e) = mail_round(&state, &transport).await {
                tracing::error!(error = %e, "email round failed");
            }
        }
    });
    workers.push(mail);
    workers
}

/// One round of the mail worker: queue due reminders and morning digests, then deliver what
/// is due.
pub async fn mail_round(state: &AppState, transport: &Transport) -> Result<usize, sqlx::Error> {
    let now = state.clock.now();
    emails::queue_overdue_reminders(&state.db, &state.config.public_url, now).await?;
    emails::queue_digests(&state.db, &state.config.public_url, now).await?;
    outbox::deliver_due(&state.db, transport, &state.config.mail_from, now).await
}

/// Deletes what has expired: sessions past their timeouts, unclaimed form flashes, and
/// sign-in failure counters whose lock and window have passed.
pub async fn sweep(state: &AppState) -> Result<(), sqlx::Error> {
    let now = state.clock.now();
    let config = &state.config;
    let mut conn = state.db.pool.acquire().await?;
    sessions::sweep(
        &mut conn,
        now - to_chrono(config.session_idle),
        now - to_chrono(config.session_absolute),
    )
    .await?;
    throttle::sweep(&mut conn, now, now - to_chrono(config.lockout)).await?;
    drop(conn);
    app::backend::flash::sweep(&state.db, now).await?;
    state.db.optimize().await?;
    Ok(())
}

/// Anonymises the closed cases and deletes the audit entries whose retention period has
/// ended (counts only in the log).
pub async fn retention_round(state: &AppState) -> Result<Done, sqlx::Error> {
    let done = retention::run(&state.db, &state.config, state.clock.now()).await?;
    if done != Done::default() {
        tracing::info!(
            anonymised = done.anonymised,
            audit_deleted = done.audit_deleted,
            "retention periods ended"
        );
    }
    Ok(done)
}
