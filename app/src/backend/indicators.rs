//! The programme indicators' cube, kept in memory and recomputed by a worker at an interval
//! (`Config::overview_refresh`, five minutes by default), as analytics tables are in DHIS2:
//! every overview, whatever its filter, is then folded from memory in a few milliseconds
//! instead of grouping the whole caseload per request. Figures carry the time they were
//! computed. Without an interval (tests), every request computes a fresh cube.

use super::clock::Clock;
use super::config::Config;
use super::db::Db;
use super::store::overview;
use shared::overview::{Cube, Filter, Headline, Table};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tokio::sync::RwLock;

/// At most this many filters' tables are kept per cube (there are a few hundred filters: two
/// countries, their provinces, the years; more would only come from someone trying).
const KEPT_FILTERS: usize = 1024;

/// The kept cube, and the turn to compute one: requests arriving before the first cube is
/// ready wait for the one being computed instead of each grouping the whole caseload again
/// (4–9 s each at 120,000 families).
#[derive(Clone, Debug, Default)]
pub struct CubeCache {
    kept: Arc<RwLock<Option<Arc<Kept>>>>,
    computing: Arc<tokio::sync::Mutex<()>>,
}

/// A cube, and what each filter asked of it so far folded to: folding a large caseload's
/// cube takes milliseconds of CPU, which a busy office asking the same few filters should
/// pay once per refresh, not once per request.
#[derive(Debug)]
pub struct Kept {
    pub cube: Cube,
    folded: Mutex<HashMap<String, Arc<Folded>>>,
}

/// The overview of one filter: its tables and its headline figures.
#[derive(Debug)]
pub struct Folded {
    pub tables: Vec<Table>,
    pub headline: Headline,
}

impl Kept {
    fn new(cube: Cube) -> Self {
        Kept {
            cube,
            folded: Mutex::default(),
        }
    }

    /// The overview under `filter`, folded once per cube.
    pub fn folded(&self, filter: &Filter) -> Arc<Folded> {
        let key = filter.query();
        if let Some(t) = self.lock().get(&key) {
            return t.clone();
        }
        // Folded outside the lock: two requests may fold the same filter once each at first.
        let folded = Arc::new(Folded {
            tables: self.cube.tables(filter),
            headline: self.cube.headline(filter),
        });
        let mut kept = self.lock();
        if kept.len() >= KEPT_FILTERS {
            kept.clear();
        }
        kept.insert(key, folded.clone());
        folded
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Arc<Folded>>> {
        // A panic while holding it cannot leave the map half-changed in a way that matters.
        self.folded.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl CubeCache {
    /// The cube to answer from: the kept one, or (none kept yet, or no refresh interval) a
    /// fresh one.
    pub async fn get(
        &self,
        db: &Db,
        config: &Config,
        clock: &Clock,
    ) -> Result<Arc<Kept>, sqlx::Error> {
        if config.overview_refresh.is_none() {
            return Ok(Arc::new(Kept::new(compute(db, config, clock).await?)));
        }
        if let Some(kept) = self.kept.read().await.clone() {
            return Ok(kept);
        }
        let _turn = self.computing.lock().await;
        if let Some(kept) = self.kept.read().await.clone() {
            return Ok(kept);
        }
        self.compute_and_keep(db, config, clock).await
    }

    /// Computes the cube afresh and keeps it.
    pub async fn refresh(
        &self,
        db: &Db,
        config: &Config,
        clock: &Clock,
    ) -> Result<Arc<Kept>, sqlx::Error> {
        let _turn = self.computing.lock().await;
        self.compute_and_keep(db, config, clock).await
    }

    async fn compute_and_keep(
        &self,
        db: &Db,
        config: &Config,
        clock: &Clock,
    ) -> Result<Arc<Kept>, sqlx::Error> {
        let kept = Arc::new(Kept::new(compute(db, config, clock).await?));
        *self.kept.write().await = Some(kept.clone());
        Ok(kept)
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
