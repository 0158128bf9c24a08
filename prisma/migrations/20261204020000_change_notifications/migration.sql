-- Change notifications: every replica keeps short-lived caches (signed-in sessions, pages of
-- the runs list) and drops them when the rows behind them change, whoever changed them: another
-- replica, the reconciler, or a person with psql. One NOTIFY per statement, carrying the table
-- name; PostgreSQL folds identical notifications of one transaction into one.
CREATE FUNCTION "chaosgate_notify_change"() RETURNS trigger AS $$
BEGIN
  PERFORM pg_notify('chaosgate_changes', TG_TABLE_NAME);
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "experiment_runs_notify_change"
  AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "experiment_runs"
  FOR EACH STATEMENT EXECUTE FUNCTION "chaosgate_notify_change"();

-- New sessions and users need no notice: nothing about them is cached before they exist.
CREATE TRIGGER "sessions_notify_change"
  AFTER UPDATE OR DELETE OR TRUNCATE ON "sessions"
  FOR EACH STATEMENT EXECUTE FUNCTION "chaosgate_notify_change"();

CREATE TRIGGER "users_notify_change"
  AFTER UPDATE OR DELETE OR TRUNCATE ON "users"
  FOR EACH STATEMENT EXECUTE FUNCTION "chaosgate_notify_change"();
