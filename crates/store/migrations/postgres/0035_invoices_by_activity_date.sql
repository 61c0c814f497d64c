-- The year's figures on the reference year (issue 9, docs/benchmarks.md): an activity's
-- invoices by date, with what the turnover needs, so that "was this activity active in the
-- year" is one index probe per activity (instead of gathering the year's 200,000 invoices,
-- contracts and claims into one set) and the net turnover per office is read office by
-- office, activity by activity, without sorting the year's invoices by activity.
-- The SQLite migration of the same name does the same.
CREATE INDEX invoices_by_activity_date ON invoices (activity_id, issue_date, kind,
    tax_exclusive_cents);
