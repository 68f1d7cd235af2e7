//! The two migration sets are written by hand, one per database: this compares what they
//! build, so that they cannot drift apart. Tables, their columns and which may be empty,
//! primary keys, unique constraints and indexes (with their columns) must be the same;
//! column types may differ (REAL / DOUBLE PRECISION, INTEGER / BIGINT), by design.

use crate::common::*;
use crate::on_both_databases;
use app::backend::db::Backend;
use sqlx::{AnyPool, Row};
use std::collections::BTreeMap;

/// A database's shape: table → description lines, sorted.
type Schema = BTreeMap<String, Vec<String>>;

async fn strings(pool: &AnyPool, sql: &str, arg: Option<&str>) -> Vec<Vec<String>> {
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql.to_string()));
    if let Some(a) = arg {
        q = q.bind(a.to_string());
    }
    q.fetch_all(pool)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .iter()
        .map(|r| {
            (0..r.len())
                .map(|i| {
                    r.try_get::<String, _>(i)
                        .or_else(|_| r.try_get::<i64, _>(i).map(|n| n.to_string()))
                        .or_else(|_| r.try_get::<i32, _>(i).map(|n| n.to_string()))
                        .unwrap_or_else(|e| panic!("{sql} column {i}: {e}"))
                })
                .collect()
        })
        .collect()
}

async fn sqlite_schema(pool: &AnyPool) -> Schema {
    let mut schema = Schema::new();
    let tables = strings(
        pool,
        "SELECT name FROM sqlite_master WHERE type = 'table'
         AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_sqlx%' ORDER BY name",
        None,
    )
    .await;
    for t in tables.iter().map(|r| r[0].clone()) {
        let mut lines = Vec::new();
        for c in strings(
            pool,
            "SELECT name, \"notnull\", pk FROM pragma_table_info($1)",
            Some(&t),
        )
        .await
        {
            let not_null = c[1] == "1" || c[2] != "0";
            lines.push(format!("column {} {}", c[0], nullability(not_null)));
            if c[2] != "0" {
                lines.push(format!("primary key part {} {}", c[2], c[0]));
            }
        }
        for i in strings(
            pool,
            "SELECT name, \"unique\", origin, partial FROM pragma_index_list($1)",
            Some(&t),
        )
        .await
        {
            let (name, unique, origin, partial) = (&i[0], i[1] == "1", &i[2], i[3] == "1");
            if origin == "pk" {
                continue;
            }
            let columns: Vec<String> = strings(
                pool,
                "SELECT name FROM pragma_index_info($1) ORDER BY seqno",
                Some(name),
            )
            .await
            .into_iter()
            .map(|r| r[0].clone())
            .collect();
            lines.push(index_line(origin == "u", name, unique, partial, &columns));
        }
        lines.sort();
        schema.insert(t, lines);
    }
    schema
}

async fn postgres_schema(pool: &AnyPool) -> Schema {
    let mut schema = Schema::new();
    let tables = strings(
        pool,
        "SELECT table_name::text FROM information_schema.tables
         WHERE table_schema = 'public' AND table_name NOT LIKE '\\_sqlx%' ORDER BY table_name",
        None,
    )
    .await;
    for t in tables.iter().map(|r| r[0].clone()) {
        let mut lines = Vec::new();
        for c in strings(
            pool,
            "SELECT column_name::text, is_nullable::text FROM information_schema.columns
             WHERE table_schema = 'public' AND table_name = $1",
            Some(&t),
        )
        .await
        {
            lines.push(format!("column {} {}", c[0], nullability(c[1] == "NO")));
        }
        for k in strings(
            pool,
            "SELECT k.ordinal_position::bigint, k.column_name::text
             FROM information_schema.table_constraints c
             JOIN information_schema.key_column_usage k
               ON k.constraint_name = c.constraint_name AND k.table_name = c.table_name
             WHERE c.table_schema = 'public' AND c.table_name = $1
               AND c.constraint_type = 'PRIMARY KEY'",
            Some(&t),
        )
        .await
        {
            lines.push(format!("primary key part {} {}", k[0], k[1]));
        }
        for i in strings(
            pool,
            "SELECT i.relname::text,
                    CASE WHEN x.indisunique THEN 1 ELSE 0 END::bigint,
                    CASE WHEN con.contype = 'u' THEN 1 ELSE 0 END::bigint,
                    CASE WHEN x.indpred IS NULL THEN 0 ELSE 1 END::bigint,
                    array_to_string(ARRAY(
                        SELECT a.attname FROM unnest(x.indkey::int2[]) WITH ORDINALITY k(n, o)
                        JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.n
                        ORDER BY k.o), ',')
             FROM pg_index x
             JOIN pg_class i ON i.oid = x.indexrelid
             JOIN pg_class t ON t.oid = x.indrelid
             LEFT JOIN pg_constraint con ON con.conindid = x.indexrelid
             WHERE t.relname = $1 AND NOT x.indisprimary",
            Some(&t),
        )
        .await
        {
            let columns: Vec<String> = i[4].split(',').map(str::to_string).collect();
            lines.push(index_line(
                i[2] == "1",
                &i[0],
                i[1] == "1",
                i[3] == "1",
                &columns,
            ));
        }
        lines.sort();
        schema.insert(t, lines);
    }
    schema
}

fn nullability(not_null: bool) -> &'static str {
    if not_null {
        "not null"
    } else {
        "null"
    }
}

/// An index as compared: unique constraints by their columns (SQLite names them itself),
/// indexes by name and columns.
fn index_line(
    constraint: bool,
    name: &str,
    unique: bool,
    partial: bool,
    columns: &[String],
) -> String {
    let cols = columns.join(", ");
    if constraint {
        return format!("unique constraint ({cols})");
    }
    let kind = if unique { "unique index" } else { "index" };
    let partial = if partial { " where …" } else { "" };
    format!("{kind} {name} ({cols}){partial}")
}

/// The schema of an application's database.
async fn schema_of(app: &TestApp) -> Schema {
    match app.state.db.backend {
        Backend::Sqlite => sqlite_schema(&app.state.db.pool).await,
        Backend::Postgres => postgres_schema(&app.state.db.pool).await,
    }
}

async fn both_databases_are_migrated_to_the_same_schema(app: TestApp) {
    let other = match app.state.db.backend {
        Backend::Sqlite => TestApp::spawn(Backend::Postgres).await,
        Backend::Postgres => TestApp::spawn(Backend::Sqlite).await,
    };
    let (mine, theirs) = (schema_of(&app).await, schema_of(&other).await);
    assert!(mine.len() > 20, "{} tables found", mine.len());
    let names = |s: &Schema| s.keys().cloned().collect::<Vec<_>>();
    assert_eq!(names(&mine), names(&theirs), "the same tables");
    for (table, lines) in &mine {
        let other_lines = &theirs[table];
        let only_here: Vec<_> = lines.iter().filter(|l| !other_lines.contains(l)).collect();
        let only_there: Vec<_> = other_lines.iter().filter(|l| !lines.contains(l)).collect();
        assert!(
            only_here.is_empty() && only_there.is_empty(),
            "{table}: only on {:?}: {only_here:#?}; only on the other: {only_there:#?}",
            app.state.db.backend
        );
    }
}

on_both_databases!(both_databases_are_migrated_to_the_same_schema);
