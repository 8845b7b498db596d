-- postgresql-roles.sql: the two roles of a PostgreSQL ledger (issue 17),
-- least privilege: run it as the database's owner, after
--   leaselinectl ledger init -l postgresql://OWNER@HOST/DB
-- made the schema, in that database:
--   psql -v ON_ERROR_STOP=1 -d DB -f postgresql-roles.sql
-- Running it again is harmless.
--
-- leaseline_agent: what leaselined (and the snmpd module) need.  Reads
--   the entries, records transitions, queues and marks notifications,
--   keeps its meta values.  It cannot append an entry: a payment is
--   finance's to record, and a compromised monitoring host cannot record
--   one.
-- leaseline_finance: what leaselinectl's writing commands need.  Appends
--   entries (payments, reversals, decisions) and reads everything; it
--   cannot change or delete an entry (nobody can: the table's triggers
--   refuse, whatever the role), nor touch the daemon's outbox.
--
-- Both are NOLOGIN groups: give each agent host and each clerk a login
-- role of its own in one of them, e.g.
--   CREATE ROLE agent_host1 LOGIN IN ROLE leaseline_agent;
--   CREATE ROLE clerk_wang LOGIN IN ROLE leaseline_finance;
--   \password agent_host1        -- psql asks; nothing in the history
-- Passwords never go in the URI (-l on a command line shows in ps, the
-- ledger setting in llConfigFile and in logs): put them in the passfile
-- of the user the program runs as, mode 0600, ~/.pgpass or PGPASSFILE
--   host1.example:5432:leaseline:agent_host1:THE-PASSWORD
-- or in a service file (PGSERVICEFILE, URI postgresql:///?service=NAME),
-- or use client certificates (sslcert/sslkey in the URI name files).

DO $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'leaseline_agent') THEN
		CREATE ROLE leaseline_agent NOLOGIN;
	END IF;
	IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'leaseline_finance') THEN
		CREATE ROLE leaseline_finance NOLOGIN;
	END IF;
END
$$;

-- The schema `ledger init` made its tables in (public by default).
DO $$
BEGIN
	EXECUTE format('GRANT USAGE ON SCHEMA %I TO leaseline_agent, leaseline_finance',
		       current_schema());
END
$$;

-- Nothing but what is granted below.
REVOKE ALL ON ledger_schema, ledger_changes, entries, transitions, outbox, meta
	FROM PUBLIC, leaseline_agent, leaseline_finance;

-- Both read the schema version and the count of appends (data_version).
GRANT SELECT ON ledger_schema, ledger_changes TO leaseline_agent, leaseline_finance;

-- The agent: reads entries, writes transitions, the outbox and meta.
-- UPDATE on outbox: marking a notification sent, and the claims of
-- several agents sharing it (claimed_by, claimed_until: schema version 2).
-- DELETE on outbox: the pruning of notifications sent long ago.
GRANT SELECT ON entries TO leaseline_agent;
GRANT SELECT, INSERT, UPDATE ON transitions, meta TO leaseline_agent;
GRANT SELECT, INSERT, UPDATE, DELETE ON outbox TO leaseline_agent;
GRANT USAGE ON SEQUENCE transitions_id_seq, outbox_id_seq TO leaseline_agent;

-- Finance: appends entries and reads everything.  UPDATE on
-- ledger_changes: an append's trigger counts it there.
GRANT SELECT, INSERT ON entries TO leaseline_finance;
GRANT USAGE ON SEQUENCE entries_id_seq TO leaseline_finance;
GRANT SELECT ON transitions, outbox, meta TO leaseline_finance;
GRANT UPDATE ON ledger_changes TO leaseline_finance;
