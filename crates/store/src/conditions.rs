//! A `WHERE` clause holding only the filters a list was given.
//!
//! A list query written once with every optional filter as
//! `(CAST($n AS …) IS NULL OR col = $n)` has one plan for every call, and that plan can only
//! scan the table: SQLite cannot choose an index through the `OR`, and PostgreSQL prepares a
//! generic plan after five runs. On small tables this does not matter; on the invoices of a
//! reference year (≈ 200,000 rows) one page of an activity's invoices took over a second.
//! [`Conditions`] writes only the conditions given, so each combination gets its own
//! statement (sqlx caches it by text) and the planner sees which index serves it.

/// A value bound to a condition.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    Int(i64),
    Text(String),
}

impl From<i64> for Value {
    fn from(v: i64) -> Value {
        Value::Int(v)
    }
}

impl From<&str> for Value {
    fn from(v: &str) -> Value {
        Value::Text(v.to_string())
    }
}

impl From<String> for Value {
    fn from(v: String) -> Value {
        Value::Text(v)
    }
}

/// The conditions of a `WHERE`, joined by `AND`, with their values in placeholder order.
#[derive(Debug, Default)]
pub(crate) struct Conditions {
    clauses: Vec<String>,
    values: Vec<Value>,
}

impl Conditions {
    /// Adds `condition`, written with placeholders `?1`, `?2`… for `values` in order (each
    /// may occur several times); they are renumbered after the values already held.
    /// `condition` must be SQL written in the code, never text from a user.
    pub(crate) fn and(&mut self, condition: &'static str, values: Vec<Value>) -> &mut Self {
        let first = self.values.len();
        let mut clause = condition.to_string();
        // Highest first, so that ?1 does not rewrite the start of ?10.
        for i in (1..=values.len()).rev() {
            clause = clause.replace(&format!("?{i}"), &format!("${}", first + i));
        }
        self.clauses.push(clause);
        self.values.extend(values);
        self
    }

    /// Adds `condition` with its one value when there is one.
    pub(crate) fn and_if<V: Into<Value>>(
        &mut self,
        condition: &'static str,
        value: Option<V>,
    ) -> &mut Self {
        if let Some(v) = value {
            self.and(condition, vec![v.into()]);
        }
        self
    }

    /// Adds `column IN (…)` with one placeholder per value; no value matches nothing.
    pub(crate) fn and_in(&mut self, column: &'static str, values: Vec<Value>) -> &mut Self {
        self.and_any_in(&[column], values)
    }

    /// Adds `(a IN (…) OR b IN (…))`: one of `columns` holds one of `values` (bound once);
    /// no value matches nothing.
    pub(crate) fn and_any_in(&mut self, columns: &[&'static str], values: Vec<Value>) -> &mut Self {
        if values.is_empty() {
            self.clauses.push("1 = 0".to_string());
            return self;
        }
        let first = self.values.len();
        let list: Vec<String> = (1..=values.len())
            .map(|i| format!("${}", first + i))
            .collect();
        let list = list.join(", ");
        let each: Vec<String> = columns.iter().map(|c| format!("{c} IN ({list})")).collect();
        self.clauses.push(if each.len() == 1 {
            each.join("")
        } else {
            format!("({})", each.join(" OR "))
        });
        self.values.extend(values);
        self
    }

    /// ` WHERE a AND b`, or nothing when no condition was given.
    pub(crate) fn sql(&self) -> String {
        if self.clauses.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", self.clauses.join(" AND "))
        }
    }

    /// The number of the next free placeholder (for `LIMIT`, `OFFSET`…).
    pub(crate) fn next(&self) -> usize {
        self.values.len() + 1
    }

    pub(crate) fn values(&self) -> &[Value] {
        &self.values
    }
}

/// Binds the values of `$conditions` (a [`Conditions`]) to the query `$query`, in order;
/// evaluates to the query.
macro_rules! bind_conditions {
    ($query:expr, $conditions:expr) => {{
        let mut query = $query;
        for value in $conditions.values() {
            query = match value {
                $crate::conditions::Value::Int(v) => query.bind(*v),
                $crate::conditions::Value::Text(v) => query.bind(v.as_str()),
            };
        }
        query
    }};
}
pub(crate) use bind_conditions;

/// One page of `$ty` rows of `$store` and the count of all of them: `$select` (`SELECT … FROM
/// …`) with the conditions `$conditions`, then `$order` (` ORDER BY …`) and the page's bounds;
/// `$count` (`SELECT COUNT(*) FROM …`) with the same conditions. Evaluates to
/// `Result<Page<$ty>>`. `$select`, `$count` and `$order` are the code's own SQL: both
/// statements are built from it and placeholders only.
macro_rules! page_where {
    ($store:expr, $ty:ty, $count:expr, $select:expr, $order:expr, $conditions:expr, $page:expr) => {{
        let conditions: &$crate::conditions::Conditions = &$conditions;
        let page: $crate::PageRequest = $page;
        let count = format!("{}{}", $count, conditions.sql());
        let next = conditions.next();
        let list = format!(
            "{}{}{} LIMIT ${next} OFFSET ${}",
            $select,
            conditions.sql(),
            $order,
            next + 1
        );
        with_db!($store, pool => {
            let (total,): (i64,) = $crate::conditions::bind_conditions!(
                sqlx::query_as(sqlx::AssertSqlSafe(count.as_str())),
                conditions
            )
            .fetch_one(pool)
            .await?;
            // An empty list, or a page past its end, has no rows to read.
            let items = if page.offset() >= total {
                Vec::new()
            } else {
                $crate::conditions::bind_conditions!(
                    sqlx::query_as::<_, $ty>(sqlx::AssertSqlSafe(list.as_str())),
                    conditions
                )
                .bind(page.per_page)
                .bind(page.offset())
                .fetch_all(pool)
                .await?
            };
            Ok(page.of(items, total))
        })
    }};
}
pub(crate) use page_where;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_condition_writes_no_where() {
        let c = Conditions::default();
        assert_eq!(c.sql(), "");
        assert_eq!(c.next(), 1);
    }

    #[test]
    fn placeholders_are_numbered_after_the_values_held() {
        let mut c = Conditions::default();
        c.and_if("a = ?1", Some(7_i64))
            .and_if("b = ?1", None::<i64>)
            .and("(n LIKE ?1 OR m LIKE ?1)", vec!["%x%".into()])
            .and(
                "d BETWEEN ?1 AND ?2",
                vec!["2023-01-01".into(), "2023-12-31".into()],
            );
        assert_eq!(
            c.sql(),
            " WHERE a = $1 AND (n LIKE $2 OR m LIKE $2) AND d BETWEEN $3 AND $4"
        );
        assert_eq!(c.next(), 5);
        assert_eq!(c.values()[0], Value::Int(7));
        assert_eq!(c.values()[3], Value::Text("2023-12-31".into()));
    }

    #[test]
    fn a_list_gets_one_placeholder_per_value_and_an_empty_one_matches_nothing() {
        let mut c = Conditions::default();
        c.and_if("a = ?1", Some("x"))
            .and_in("id", vec![Value::Int(3), Value::Int(4)]);
        assert_eq!(c.sql(), " WHERE a = $1 AND id IN ($2, $3)");
        c.and_any_in(&["s.office", "b.office"], vec![Value::Int(5)]);
        assert_eq!(
            c.sql(),
            " WHERE a = $1 AND id IN ($2, $3) AND (s.office IN ($4) OR b.office IN ($4))"
        );
        let mut none = Conditions::default();
        none.and_in("id", vec![]);
        assert_eq!(none.sql(), " WHERE 1 = 0");
        assert!(none.values().is_empty());
    }

    #[test]
    fn ten_values_or_more_keep_their_numbers() {
        let mut c = Conditions::default();
        for i in 0..9 {
            c.and("x = ?1", vec![Value::Int(i)]);
        }
        c.and("y IN (?1, ?2)", vec![Value::Int(1), Value::Int(2)]);
        assert!(c.sql().ends_with("y IN ($10, $11)"), "{}", c.sql());
    }
}
