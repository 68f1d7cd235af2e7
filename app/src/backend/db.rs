//! The database: one pool of sqlx's `Any` driver over SQLite or PostgreSQL, chosen by the URL.
//! Queries are written once, in SQL both accept (`$1` placeholders, text timestamps); the few
//! places where the two differ ask [`Db::backend`].

use sqlx::any::{install_default_drivers, AnyPoolOptions};
use sqlx::{Any, AnyConnection, AnyPool, Connection, Executor, Transaction};
use std::time::Duration;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Clone, Debug)]
pub struct Db {
    pub pool: AnyPool,
    pub backend: Backend,
    /// The URL the pool connects with, for a connection of its own (`connect_one`).
    url: String,
}

pub type Tx = Transaction<'static, Any>;

impl Backend {
    pub fn of_url(url: &str) -> Option<Backend> {
        if url.starts_with("sqlite:") {
            Some(Backend::Sqlite)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Some(Backend::Postgres)
        } else {
            None
        }
    }

    /// The file of a `sqlite://…` URL (`None` for PostgreSQL).
    pub fn sqlite_file(url: &str) -> Option<std::path::PathBuf> {
        let path = url.strip_prefix("sqlite:")?.trim_start_matches("//");
        Some(path.split('?').next().unwrap_or_default().into())
    }

    /// The backend a connection talks to.
    pub fn of_connection(conn: &sqlx::AnyConnection) -> Backend {
        if conn.backend_name().eq_ignore_ascii_case("sqlite") {
            Backend::Sqlite
        } else {
            Backend::Postgres
        }
    }

    /// The aggregate that joins text values with a separator.
    pub fn string_agg(self) -> &'static str {
        match self {
            Backend::Sqlite => "group_concat",
            Backend::Postgres => "string_agg",
        }
    }
}

impl Db {
    /// Connects to `url`, creating a SQLite file if it does not exist yet.
    pub async fn connect(url: &str) -> Result<Db, sqlx::Error> {
        install_default_drivers();
        let backend = Backend::of_url(url).ok_or_else(|| {
            sqlx::Error::Configuration(
                "DATABASE_URL must start with sqlite: or postgres:"
                    .to_string()
                    .into(),
            )
        })?;
        let url = match backend {
            Backend::Sqlite if !url.contains('?') => format!("{url}?mode=rwc"),
            _ => url.to_string(),
        };
        let options = AnyPoolOptions::new()
            // When the database is down (PostgreSQL restarting), a request is answered 503
            // after this long instead of hanging; under load a connection comes far sooner.
            .acquire_timeout(Duration::from_secs(3))
            // A connection whose last transaction could neither commit nor roll back (SQLite
            // rolls back by itself when its disk is full, and then sqlx's own ROLLBACK fails)
            // still counts itself inside that transaction, and every `begin` on it would fail
            // for good. It is closed instead of being handed out (bench/drills/disk_full.py).
            .before_acquire(|conn, _| Box::pin(async move { Ok(!conn.is_in_transaction()) }));
        let pool = match backend {
            Backend::Sqlite => {
                options
                    .max_connections(8)
                    .after_connect(|conn, _| Box::pin(prepare_sqlite(conn)))
                    .connect(&url)
                    .await?
            }
            Backend::Postgres => options.max_connections(16).connect(&url).await?,
        };
        Ok(Db { pool, backend, url })
    }

    /// A connection outside the pool, set up as the pool's are (for a worker that must not
    /// wait for the pool, nor hold the pool open).
    pub async fn connect_one(&self) -> Result<AnyConnection, sqlx::Error> {
        let mut conn = AnyConnection::connect(&self.url).await?;
        if self.backend == Backend::Sqlite {
            prepare_sqlite(&mut conn).await?;
        }
        Ok(conn)
    }

    /// Applies the migrations of this backend that are not applied yet.
    pub async fn migrate(&self) -> Result<(), sqlx::migrate::MigrateError> {
        match self.backend {
            Backend::Sqlite => sqlx::migrate!("../migrations/sqlite").run(&self.pool).await,
            Backend::Postgres => {
                sqlx::migrate!("../migrations/postgres")
                    .run(&self.pool)
                    .await
            }
        }
    }

    /// Starts the transaction of one user action that writes. On SQLite it takes the write
    /// lock at once (`BEGIN IMMEDIATE`), so two writers queue instead of one failing when it
    /// upgrades from reading to writing.
    pub async fn begin(&self) -> Result<Tx, sqlx::Error> {
        match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await,
            Backend::Postgres => self.pool.begin().await,
        }
    }

    /// [`Db::begin`] on a connection of its own.
    pub async fn begin_on<'c>(
        &self,
        conn: &'c mut AnyConnection,
    ) -> Result<Transaction<'c, Any>, sqlx::Error> {
        match self.backend {
            Backend::Sqlite => conn.begin_with("BEGIN IMMEDIATE").await,
            Backend::Postgres => conn.begin().await,
        }
    }

    /// True when the database answers (the health check).
    pub async fn ping(&self) -> bool {
        sqlx::query_scalar::<_, i64>("SELECT 1")
            .fetch_one(&self.pool)
            .await
            .is_ok()
    }

    /// Refreshes the query planner's statistics where they drift (SQLite does not do it by
    /// itself; PostgreSQL's autovacuum does).
    pub async fn optimize(&self) -> Result<(), sqlx::Error> {
        if self.backend == Backend::Sqlite {
            sqlx::query("PRAGMA optimize").execute(&self.pool).await?;
        }
        Ok(())
    }

    /// `SELECT … FOR UPDATE` where the backend has it; SQLite's write lock covers it already.
    pub fn for_update_of(backend: Backend) -> &'static str {
        match backend {
            Backend::Sqlite => "",
            Backend::Postgres => " FOR UPDATE",
        }
    }
}

/// WAL lets readers proceed while one writer commits. Each connection keeps 8 MB of pages
/// (the upper levels of the indexes a search walks); the rest comes from the operating
/// system's file cache, which all connections share. 32 MB each and 256 MB of memory-mapped
/// file made searches at 120,000 families about 10 % faster under load, but held the server
/// at 364 MB instead of 199 (`bench/latency.sh`).
async fn prepare_sqlite(conn: &mut AnyConnection) -> Result<(), sqlx::Error> {
    conn.execute("PRAGMA journal_mode = WAL").await?;
    conn.execute("PRAGMA cache_size = -8000").await?;
    conn.execute("PRAGMA temp_store = MEMORY").await?;
    Ok(())
}

/// True when `e` is the violation of the named unique constraint (or, on SQLite, which does
/// not report constraint names, of a unique index over `column`).
pub fn is_unique_violation(e: &sqlx::Error, constraint: &str, column: &str) -> bool {
    let Some(db) = e.as_database_error() else {
        return false;
    };
    if !matches!(db.kind(), sqlx::error::ErrorKind::UniqueViolation) {
        return false;
    }
    match db.constraint() {
        Some(c) => c == constraint,
        None => db.message().contains(column),
    }
}

/// A fresh random id for a new row (never sequential: ids appear in URLs).
pub fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}
