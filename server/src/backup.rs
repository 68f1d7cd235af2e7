//! `homeward backup PATH` and `homeward restore PATH`: a consistent copy of the whole database
//! taken while the server runs, and that copy put into an empty database.
//!
//! SQLite copies itself (`VACUUM INTO`, one read transaction, so writers carry on); the copy is
//! an ordinary database file, checked with `PRAGMA integrity_check` before it is reported done
//! and again before it is restored. PostgreSQL's own tools do the same for it (`pg_dump` in
//! custom format, `pg_restore` in one transaction); they must be on PATH, at least the server's
//! major version.

use app::backend::db::{Backend, Db};
use sqlx::{AnyConnection, Connection};
use std::path::{Path, PathBuf};
use std::process::Command;

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("{0} already exists; a backup never overwrites a file")]
    Exists(PathBuf),
    #[error("{0} does not exist")]
    Missing(PathBuf),
    #[error(
        "the database to restore into is not empty ({0} tables); restore only into a new, \
         empty database"
    )]
    NotEmpty(i64),
    #[error("the backup failed its integrity check: {0}")]
    Corrupt(String),
    #[error(
        "{0} was not found on PATH; install the PostgreSQL client tools (Debian: \
         postgresql-client) at least as new as the server"
    )]
    ToolMissing(&'static str),
    #[error("{tool} failed: {message}")]
    ToolFailed { tool: &'static str, message: String },
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// Writes a backup of the database at `url` to `path`. Answers its size in bytes.
pub async fn backup(url: &str, path: &Path) -> Result<u64, BackupError> {
    if path.exists() {
        return Err(BackupError::Exists(path.to_path_buf()));
    }
    match backend(url)? {
        Backend::Sqlite => {
            let db = Db::connect(url).await?;
            let mut conn = db.connect_one().await?;
            sqlx::query("VACUUM INTO $1")
                .bind(path.to_string_lossy().into_owned())
                .execute(&mut conn)
                .await?;
            conn.close().await?;
            check_sqlite_file(path).await?;
        }
        Backend::Postgres => {
            let file = path.to_string_lossy();
            run_tool(
                "pg_dump",
                &[
                    "--format=custom",
                    "--no-owner",
                    "--file",
                    &file,
                    "--dbname",
                    url,
                ],
            )?;
        }
    }
    Ok(std::fs::metadata(path)?.len())
}

/// Restores the backup at `path` into the database at `url`, which must be empty (a SQLite
/// file that does not exist yet, or a PostgreSQL database without tables).
pub async fn restore(url: &str, path: &Path) -> Result<(), BackupError> {
    if !path.exists() {
        return Err(BackupError::Missing(path.to_path_buf()));
    }
    match backend(url)? {
        Backend::Sqlite => {
            check_sqlite_file(path).await?;
            let target = Backend::sqlite_file(url).unwrap_or_default();
            if target.exists() {
                let tables = table_count(url).await?;
                if tables > 0 {
                    return Err(BackupError::NotEmpty(tables));
                }
                remove_sqlite_files(&target)?;
            }
            if let Some(parent) = target.parent().filter(|p| !p.as_os_str().is_empty()) {
                std::fs::create_dir_all(parent)?;
            }
            // Copied beside the target and renamed over it: a restore cut short leaves no
            // half-written database behind under the real name.
            let partial = target.with_extension("restoring");
            std::fs::copy(path, &partial)?;
            std::fs::rename(&partial, &target)?;
        }
        Backend::Postgres => {
            let tables = table_count(url).await?;
            if tables > 0 {
                return Err(BackupError::NotEmpty(tables));
            }
            let file = path.to_string_lossy();
            run_tool(
                "pg_restore",
                &[
                    "--exit-on-error",
                    "--single-transaction",
                    "--no-owner",
                    "--no-privileges",
                    "--dbname",
                    url,
                    &file,
                ],
            )?;
        }
    }
    Ok(())
}

fn backend(url: &str) -> Result<Backend, BackupError> {
    Backend::of_url(url).ok_or_else(|| {
        BackupError::Database(sqlx::Error::Configuration(
            "DATABASE_URL must start with sqlite: or postgres:".into(),
        ))
    })
}

fn remove_sqlite_files(path: &Path) -> std::io::Result<()> {
    for suffix in ["", "-wal", "-shm"] {
        let file = PathBuf::from(format!("{}{suffix}", path.display()));
        if file.exists() {
            std::fs::remove_file(file)?;
        }
    }
    Ok(())
}

/// Tables in the database at `url` (only this application's schema on PostgreSQL).
async fn table_count(url: &str) -> Result<i64, BackupError> {
    sqlx::any::install_default_drivers();
    let mut conn = AnyConnection::connect(url).await?;
    let sql = match backend(url)? {
        Backend::Sqlite => {
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        }
        Backend::Postgres => {
            "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public'"
        }
    };
    let n = sqlx::query_scalar::<_, i64>(sql)
        .fetch_one(&mut conn)
        .await?;
    conn.close().await?;
    Ok(n)
}

/// Opens a SQLite file read-only and runs its integrity check.
async fn check_sqlite_file(path: &Path) -> Result<(), BackupError> {
    sqlx::any::install_default_drivers();
    let url = format!("sqlite://{}?mode=ro", path.display());
    let mut conn = AnyConnection::connect(&url).await?;
    let result: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_all(&mut conn)
        .await?;
    conn.close().await?;
    if result != ["ok"] {
        return Err(BackupError::Corrupt(result.join("; ")));
    }
    Ok(())
}

/// Runs one of PostgreSQL's client tools, passing its error output on when it fails.
fn run_tool(tool: &'static str, args: &[&str]) -> Result<(), BackupError> {
    let output = match Command::new(tool).args(args).output() {
        Ok(o) => o,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(BackupError::ToolMissing(tool))
        }
        Err(e) => return Err(e.into()),
    };
    if output.status.success() {
        return Ok(());
    }
    Err(BackupError::ToolFailed {
        tool,
        message: String::from_utf8_lossy(&output.stderr).trim().to_string(),
    })
}
