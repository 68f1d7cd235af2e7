//! Multi-row inserts: the one way bulk loads write rows.

use sqlx::AssertSqlSafe;

/// Multi-row INSERTs of one table, in chunks under both databases' parameter limits.
pub(crate) async fn insert_rows(
    tx: &mut sqlx::AnyConnection,
    table: &str,
    columns: &[&str],
    rows: Vec<Vec<Value>>,
) -> Result<(), sqlx::Error> {
    // A few hundred rows per statement: bigger statements only cost SQLite more to parse.
    let per_chunk = (3_000 / columns.len()).max(1);
    for chunk in rows.chunks(per_chunk) {
        let mut sql = format!("INSERT INTO {table} ({}) VALUES ", columns.join(", "));
        let mut n = 0;
        for (i, _) in chunk.iter().enumerate() {
            if i > 0 {
                sql.push_str(", ");
            }
            sql.push('(');
            for c in 0..columns.len() {
                if c > 0 {
                    sql.push_str(", ");
                }
                n += 1;
                sql.push_str(&format!("${n}"));
            }
            sql.push(')');
        }
        let mut q = sqlx::query(AssertSqlSafe(sql));
        for row in chunk {
            for v in row {
                q = match v {
                    Value::Text(s) => q.bind(s.clone()),
                    Value::OptText(s) => q.bind(s.clone()),
                    Value::Int(i) => q.bind(*i),
                    Value::OptInt(i) => q.bind(*i),
                    Value::Real(r) => q.bind(*r),
                };
            }
        }
        q.execute(&mut *tx).await?;
    }
    Ok(())
}

pub(crate) enum Value {
    Text(String),
    OptText(Option<String>),
    Int(i64),
    OptInt(Option<i64>),
    Real(f64),
}

pub(crate) fn t(s: impl Into<String>) -> Value {
    Value::Text(s.into())
}
