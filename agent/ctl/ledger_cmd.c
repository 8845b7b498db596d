/*
 * ledger_cmd.c: the command `leaselinectl ledger init|upgrade` (issue 17):
 * makes and migrates the ledger's schema, the same two commands for both
 * engines.
 *
 * PostgreSQL: init creates the schema (store/pg.c) and refuses a
 * database that has one; upgrade migrates it.  Both are the database
 * owner's: an agent's role may not create tables, so its open refuses a
 * missing or older schema and names these commands.
 * SQLite: init creates the file as the first write would (and refuses
 * one that exists); upgrade opens it for writing, which migrates it.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "ctl/ctl.h"
#include "store/ledger.h"
#include "store/pg.h"

static int
ctl_ledger_pg(struct ctl *ctl, bool init)
{
	char err[LEDGER_ERRLEN], shown[512];
	int from;

	ledger_display(ctl->ledger_path, shown, sizeof(shown));
	if (init) {
		if (ledger_pg_init(ctl->ledger_path, err, sizeof(err)) < 0)
			return ctl_refuse(ctl, "%s", err);
		printf("ledger %s: schema version %d created\n", shown,
		       LEDGER_PG_SCHEMA_VERSION);
		return CTL_EXIT_OK;
	}
	if (ledger_pg_upgrade(ctl->ledger_path, &from, err, sizeof(err)) < 0)
		return ctl_refuse(ctl, "%s", err);
	if (from == LEDGER_PG_SCHEMA_VERSION)
		printf("ledger %s: schema version %d, the current one: "
		       "nothing to do\n",
		       shown, from);
	else
		printf("ledger %s: schema migrated from version %d to %d\n",
		       shown, from, LEDGER_PG_SCHEMA_VERSION);
	return CTL_EXIT_OK;
}

static int
ctl_ledger_sqlite(struct ctl *ctl, bool init)
{
	struct stat sb;
	bool exists = stat(ctl->ledger_path, &sb) == 0 || errno != ENOENT;

	if (init && exists)
		return ctl_refuse(ctl,
				  "ledger %s exists already: nothing done; "
				  "'%s ledger upgrade' migrates it",
				  ctl->ledger_path, CTL_PROG);
	if (!init && !exists)
		return ctl_refuse(ctl,
				  "ledger %s does not exist: '%s ledger init' "
				  "creates it",
				  ctl->ledger_path, CTL_PROG);
	/* A read-write open creates the file and migrates the schema. */
	if (ctl_open_write(ctl) < 0)
		return CTL_EXIT_REFUSED;
	if (init)
		printf("ledger %s: created (schema version %d)\n",
		       ctl->ledger_path, LEDGER_SCHEMA_VERSION);
	else
		printf("ledger %s: schema version %d, the current one\n",
		       ctl->ledger_path, LEDGER_SCHEMA_VERSION);
	return CTL_EXIT_OK;
}

int
ctl_cmd_ledger(struct ctl *ctl)
{
	bool init = strcmp(ctl->args[0], "init") == 0;

	if (!init && strcmp(ctl->args[0], "upgrade") != 0) {
		ctl_warn(ctl, "unknown action \"%s\": expected init or upgrade",
			 ctl->args[0]);
		return CTL_EXIT_USAGE;
	}
	if (ledger_pg_accepts(ctl->ledger_path))
		return ctl_ledger_pg(ctl, init);
	return ctl_ledger_sqlite(ctl, init);
}
