//! Queries assembled from parts (filters, searches): the values they bind, in order, and the
//! pieces of SQL every such query shares.

use shared::policy::CaseScope;
use sqlx::AssertSqlSafe;

/// Parameters bound to a dynamically assembled query, in order ($1, $2, …).
#[derive(Default)]
pub struct Binds(Vec<String>);

impl Binds {
    /// Adds a value and returns its placeholder.
    pub fn push(&mut self, v: impl Into<String>) -> String {
        self.0.push(v.into());
        format!("${}", self.0.len())
    }

    /// Adds each value and returns their placeholders, comma-separated (for `IN (…)`).
    pub fn push_list<S: AsRef<str>>(&mut self, values: &[S]) -> String {
        values
            .iter()
            .map(|v| self.push(v.as_ref()))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Adds a `LIKE` pattern matching `text` anywhere, its wildcards taken literally, and
    /// returns the condition (`column LIKE $n ESCAPE '\'`).
    pub fn contains(&mut self, column: &str, text: &str) -> String {
        let escaped: String = text
            .chars()
            .flat_map(|c| match c {
                '%' | '_' | '\\' => vec!['\\', c],
                c => vec![c],
            })
            .collect();
        let p = self.push(format!("%{escaped}%"));
        format!("{column} LIKE {p} ESCAPE '\\'")
    }

    /// The values bound, in order (for query kinds not built here).
    pub fn values(&self) -> &[String] {
        &self.0
    }

    pub fn query<'q>(
        &'q self,
        sql: &'q str,
    ) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments> {
        let mut q = sqlx::query(AssertSqlSafe(sql));
        for b in &self.0 {
            q = q.bind(b.as_str());
        }
        q
    }

    pub fn query_as<'q, T>(
        &'q self,
        sql: &'q str,
    ) -> sqlx::query::QueryAs<'q, sqlx::Any, T, sqlx::any::AnyArguments>
    where
        T: for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow>,
    {
        let mut q = sqlx::query_as(AssertSqlSafe(sql));
        for b in &self.0 {
            q = q.bind(b.as_str());
        }
        q
    }

    pub fn scalar<'q>(
        &'q self,
        sql: &'q str,
    ) -> sqlx::query::QueryScalar<'q, sqlx::Any, i64, sqlx::any::AnyArguments> {
        let mut q = sqlx::query_scalar(AssertSqlSafe(sql));
        for b in &self.0 {
            q = q.bind(b.as_str());
        }
        q
    }
}

/// The SQL condition on `family f` that keeps only cases in `scope`.
pub fn scope_condition(scope: &CaseScope, binds: &mut Binds) -> String {
    // A record merged into another is no case of its own any more: lists show the survivor.
    match scope {
        CaseScope::Nothing => "1 = 0".into(),
        CaseScope::Country(c) => format!(
            "f.country = {} AND f.merged_into IS NULL",
            binds.push(c.code())
        ),
        CaseScope::Areas(_, areas) if areas.is_empty() => "1 = 0".into(),
        CaseScope::Areas(c, areas) => {
            let country = binds.push(c.code());
            let list = binds.push_list(areas);
            format!("f.country = {country} AND f.province IN ({list}) AND f.merged_into IS NULL")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_wildcards_typed_are_taken_literally() {
        let mut b = Binds::default();
        let cond = b.contains("LOWER(u.email)", "50%_a\\b");
        assert_eq!(cond, "LOWER(u.email) LIKE $1 ESCAPE '\\'");
        assert_eq!(b.0, vec!["%50\\%\\_a\\\\b%".to_string()]);
    }
}
