//! The `homeward` command line: serve, migrate, and provision without the web interface.

use app::backend::clock::Clock;
use clap::{Parser, Subcommand};
use server::env_config::Settings;
use server::startup::{prepare_database, Application, BoxError};
use server::{backup, demo, provision, synthetic};
use std::io::Read;

#[derive(Parser)]
#[command(
    name = "homeward",
    version,
    about = "Case management for the reintegration of returnees"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the web application (the default). Migrations are applied first.
    Serve {
        /// Load the demo organisations and accounts (one per role and country) if missing.
        /// Their password is published, so this is refused unless the server listens on a
        /// loopback address only, or `--demo-on-network` says that is really meant.
        #[arg(long)]
        demo: bool,
        /// Allow `--demo` on an address other machines can reach (a training room).
        #[arg(long, requires = "demo")]
        demo_on_network: bool,
    },
    /// Apply database migrations and reference data, then exit.
    Migrate,
    /// Write a consistent copy of the whole database to PATH while the server runs
    /// (SQLite: a database file; PostgreSQL: a pg_dump archive in custom format).
    Backup { path: std::path::PathBuf },
    /// Restore a backup made by `homeward backup` into the database of DATABASE_URL, which
    /// must be empty (a new SQLite file, or a PostgreSQL database without tables).
    Restore { path: std::path::PathBuf },
    /// Anonymise the closed cases and delete the audit entries whose retention period has
    /// ended (HOMEWARD_ANONYMISE_AFTER_DAYS, HOMEWARD_AUDIT_RETENTION_DAYS), as the server
    /// does every ten minutes.
    Retention {
        /// List what would be removed, and change nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Add realistic synthetic families (both countries, both scripts) for benchmarks.
    Generate {
        #[arg(long, default_value_t = 100_000)]
        families: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Create an organisation.
    CreateOrg {
        #[arg(long)]
        code: String,
        #[arg(long)]
        name: String,
        /// ministry, partner or programme.
        #[arg(long)]
        kind: String,
        /// AF or IQ (required for a ministry; none for the programme).
        #[arg(long, default_value = "")]
        country: String,
    },
    /// Create a user account. The password is read from standard input.
    CreateUser {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// caseworker, supervisor, partner, programme_manager or admin.
        #[arg(long)]
        role: String,
        /// The organisation's code (morr, momd, programme, …).
        #[arg(long)]
        org: String,
        /// A province/governorate for a caseworker: ISO code (AF-KAB) or English name. Repeat.
        #[arg(long = "area")]
        areas: Vec<String>,
        /// Interface language: en, fa-AF, ps or ar.
        #[arg(long, default_value = "en")]
        language: String,
    },
}

fn main() {
    // Before the runtime starts its threads.
    keep_large_allocations_returnable();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build();
    match runtime {
        Ok(rt) => rt.block_on(start()),
        Err(e) => {
            eprintln!("error: could not start the async runtime: {e}");
            std::process::exit(1);
        }
    }
}

async fn start() {
    if let Err(e) = init_logs() {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
    if let Err(e) = run(Cli::parse()).await {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

/// Logs go to standard error, as text for people or as one JSON object per line for a log
/// collector (`HOMEWARD_LOG_FORMAT=json`); each line of a request carries its id.
fn init_logs() -> Result<(), String> {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| "info,sqlx=error,tower_http=warn".into());
    let logs = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match std::env::var("HOMEWARD_LOG_FORMAT").as_deref() {
        Ok("json") => logs
            .json()
            .with_current_span(true)
            .with_span_list(false)
            .init(),
        Ok("text") | Ok("") | Err(_) => logs.init(),
        Ok(other) => return Err(format!("HOMEWARD_LOG_FORMAT: {other} (text or json)")),
    }
    Ok(())
}

/// Each password hash takes 19 MiB. glibc raises its mmap threshold to the size of the first
/// such block freed, and from then on keeps every freed block in its arenas instead of giving
/// it back: a burst of 500 sign-ins (four hashed at a time, the rest answered "busy") left the
/// server at 800 MB. A fixed threshold of 1 MiB hands large blocks back on free: the same
/// burst peaks at about 100 MB (bench/sign_in_burst.sh).
fn keep_large_allocations_returnable() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets an allocator parameter; it is called before any thread starts.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 1 << 20);
    }
}

async fn run(cli: Cli) -> Result<(), BoxError> {
    let settings = Settings::from_env()?;
    let clock = Clock::System;
    let serve = Command::Serve {
        demo: false,
        demo_on_network: false,
    };
    match cli.command.unwrap_or(serve) {
        Command::Serve {
            demo,
            demo_on_network,
        } => {
            if demo && !demo_on_network && !settings.site_addr.ip().is_loopback() {
                return Err(format!(
                    "--demo creates accounts with a published password; {} can be reached from \
                     other machines. Listen on 127.0.0.1 (LEPTOS_SITE_ADDR), or add \
                     --demo-on-network if that is really meant.",
                    settings.site_addr
                )
                .into());
            }
            let app = Application::build(settings, clock.clone()).await?;
            if demo {
                demo::load(&app.state.db, clock.now()).await?;
                demo::load_families(&app.state.db, clock.now()).await?;
                println!("{}", demo::accounts_table());
            }
            println!("Homeward is listening on http://{}", app.addr);
            app.run().await?;
        }
        Command::Migrate => {
            prepare_database(&settings, &clock).await?;
            println!("Database is up to date.");
        }
        Command::Backup { path } => {
            let started = std::time::Instant::now();
            let bytes = backup::backup(&settings.config.database_url, &path).await?;
            println!(
                "Backed up to {} ({bytes} bytes) in {:.1?}.",
                path.display(),
                started.elapsed()
            );
        }
        Command::Restore { path } => {
            backup::restore(&settings.config.database_url, &path).await?;
            // A backup from an older version gets this version's migrations.
            prepare_database(&settings, &clock).await?;
            println!("Restored {}.", path.display());
        }
        Command::Retention { dry_run } => {
            let db = prepare_database(&settings, &clock).await?;
            let now = clock.now();
            if dry_run {
                let due = app::backend::retention::due(&db, &settings.config, now).await?;
                print!("{}", retention_report(&due));
                println!("Nothing was changed (--dry-run).");
            } else {
                let done = app::backend::retention::run(&db, &settings.config, now).await?;
                println!(
                    "Anonymised {} closed cases; deleted {} audit entries.",
                    done.anonymised, done.audit_deleted
                );
            }
        }
        Command::Generate { families, seed } => {
            let db = prepare_database(&settings, &clock).await?;
            let started = std::time::Instant::now();
            let plan = synthetic::Plan {
                families,
                seed,
                areas: None,
                created_by: None,
                statuses: synthetic::MIXED_STATUSES,
            };
            let people = synthetic::generate(&db, &plan, clock.now()).await?;
            println!(
                "Generated {families} families ({people} people) in {:.1?}.",
                started.elapsed()
            );
        }
        Command::CreateOrg {
            code,
            name,
            kind,
            country,
        } => {
            let db = prepare_database(&settings, &clock).await?;
            let id =
                provision::create_organisation(&db, clock.now(), &code, &name, &kind, &country)
                    .await?;
            println!("Created organisation {code} ({id}).");
        }
        Command::CreateUser {
            email,
            name,
            role,
            org,
            areas,
            language,
        } => {
            if !app::api::account::LANGUAGES.contains(&language.as_str()) {
                return Err(format!(
                    "language: expected one of {:?}",
                    app::api::account::LANGUAGES
                )
                .into());
            }
            let mut password = String::new();
            std::io::stdin().read_to_string(&mut password)?;
            let password = password.trim_end_matches(['\r', '\n']).to_string();
            let db = prepare_database(&settings, &clock).await?;
            let id = provision::create_user(
                &db,
                clock.now(),
                &email,
                &name,
                &role,
                &org,
                &areas,
                password,
                &language,
            )
            .await?;
            println!("Created user {email} ({id}).");
        }
    }
    Ok(())
}

/// What `homeward retention --dry-run` prints: each case that would be anonymised, and how
/// many audit entries would be deleted.
fn retention_report(due: &app::backend::retention::Due) -> String {
    let mut out = String::new();
    match due.closed_before {
        None => out
            .push_str("Closed cases are never anonymised (HOMEWARD_ANONYMISE_AFTER_DAYS=never).\n"),
        Some(before) => {
            out.push_str(&format!(
                "Closed cases that would be anonymised (closed before {}): {}\n",
                before.format("%Y-%m-%d %H:%M UTC"),
                due.cases.len()
            ));
            for case in &due.cases {
                out.push_str(&format!(
                    "  {}  closed {}\n",
                    case.case_number, case.closed_at
                ));
            }
        }
    }
    match due.audit_before {
        None => {
            out.push_str("Audit entries are kept for ever (HOMEWARD_AUDIT_RETENTION_DAYS=never).\n")
        }
        Some(before) => out.push_str(&format!(
            "Audit entries that would be deleted (written before {}): {}{}\n",
            before.format("%Y-%m-%d %H:%M UTC"),
            due.audit_entries,
            due.oldest_audit_entry
                .as_deref()
                .map(|t| format!(", the oldest of {t}"))
                .unwrap_or_default()
        )),
    }
    out
}
