//! The programme indicators' cube, kept in memory and recomputed by a worker at an interval
//! (`Config::overview_refresh`, five minutes by default), as analytics tables are in DHIS2:
//! every overview, whatever its filter, is then folded from memory in a few milliseconds
//! instead of grouping the whole caseload per request. Figures carry the time they were
//! computed. Without an interval (tests), every request computes a fresh cube.

use super::clock::Clock;
use super::config::Config;
use super::db::Db;
use super::store::overview;
use shared::overview::Cube;
use std::sync::Arc;
use tokio::sync::RwLock;

#[derive(Clone, Debug, Default)]
pub struct CubeCache(Arc<RwLock<Option<Arc<Cube>>>>);

impl CubeCache {
    /// The cube to answer from: the kept one, or (none kept yet, or no refresh interval) a
    /// fresh one.
    pub async fn get(
        &self,
        db: &Db,
        config: &Config,
        clock: &Clock,
    ) -> Result<Arc<Cube>, sqlx::Error> {
        if config.overview_refresh.is_some() {
            if let Some(cube) = self.0.read().await.clone() {
                return Ok(cube);
            }
            return self.refresh(db, config, clock).await;
        }
        Ok(Arc::new(compute(db, config, clock).await?))
    }

    /// Computes the cube afresh and keeps it.
    pub async fn refresh(
        &self,
        db: &Db,
        config: &Config,
        clock: &Clock,
    ) -> Result<Arc<Cube>, sqlx::Error> {
        let cube = Arc::new(compute(db, config, clock).await?);
        *self.0.write().await = Some(cube.clone());
        Ok(cube)
    }
}

async fn compute(db: &Db, config: &Config, clock: &Clock) -> Result<Cube, sqlx::Error> {
    let now = clock.now();
    let lost_before = now.date_naive() - chrono::Duration::days(config.lost_after_days);
    let mut conn = db.pool.acquire().await?;
    let mut cube = overview::cube(&mut conn, db.backend, now, lost_before).await?;
    cube.secret = config.overview_secret;
    Ok(cube)
}
