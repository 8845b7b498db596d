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
 *
 * copy FROM TO (issue 17 item 6) copies a whole ledger into an empty one
 * of either engine (store/copy.c), then prints the row counts and
 * checksums of both sides; exit 1 when they differ.  TO is a file that
 * does not exist yet (made here, and removed again when nothing could
 * be copied) or a PostgreSQL database after `ledger init` holding no row.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

/* The file TO a failed copy made: gone again, with SQLite's own. */
static void
ctl_copy_unlink(const char *path)
{
	static const char *const tails[] = {"", "-wal", "-shm", "-journal"};
	char name[4096];

	for (size_t i = 0; i < sizeof(tails) / sizeof(tails[0]); i++) {
		snprintf(name, sizeof(name), "%s%s", path, tails[i]);
		unlink(name);
	}
}

static void
ctl_copy_print(const struct ledger_sums *fs, const struct ledger_sums *ts,
	       const char *from, const char *to)
{
	printf("%-12s %10s  %-16s  %10s  %s\n", "TABLE", "FROM ROWS",
	       "FROM CHECKSUM", "TO ROWS", "TO CHECKSUM");
	for (int t = 0; t < LEDGER_NTABLES; t++) {
		bool same =
		    fs->rows[t] == ts->rows[t] && fs->sum[t] == ts->sum[t];

		printf("%-12s %10zu  %016llx  %10zu  %016llx%s\n",
		       ledger_table_name(t), fs->rows[t],
		       (unsigned long long)fs->sum[t], ts->rows[t],
		       (unsigned long long)ts->sum[t], same ? "" : "  DIFFERS");
	}
	printf("%-12s %10s  %016llx  %10s  %016llx%s\n", "all", "",
	       (unsigned long long)fs->all, "", (unsigned long long)ts->all,
	       fs->all == ts->all ? "" : "  DIFFERS");
	printf("from %s\nto   %s\n", from, to);
}

static int
ctl_ledger_copy(struct ctl *ctl)
{
	const char *from = ctl->args[1], *to = ctl->args[2];
	char err[LEDGER_ERRLEN], fshown[512], tshown[512], what[128];
	struct ledger *src = NULL, *dst = NULL;
	struct ledger_sums fs, ts;
	struct stat sb;
	bool made = false;
	int rc;

	ledger_display(from, fshown, sizeof(fshown));
	ledger_display(to, tshown, sizeof(tshown));
	if (!ledger_pg_accepts(to)) {
		if (stat(to, &sb) == 0 || errno != ENOENT)
			return ctl_refuse(ctl,
					  "ledger %s exists already: a copy "
					  "goes into a new file or an empty "
					  "PostgreSQL ledger; nothing done",
					  tshown);
	}
	src = ledger_open(from, LEDGER_READ_ONLY, err, sizeof(err));
	if (!src)
		return ctl_refuse(ctl, "%s", err);
	made = !ledger_pg_accepts(to);
	dst = ledger_open(to, LEDGER_READ_WRITE, err, sizeof(err));
	if (!dst) {
		ledger_close(src);
		if (made)
			ctl_copy_unlink(to);
		return ctl_refuse(ctl, "%s", err);
	}
	rc = ledger_copy(src, dst, &fs, &ts, err, sizeof(err));
	ledger_close(src);
	ledger_close(dst);
	if (rc < 0) {
		if (made)
			ctl_copy_unlink(to);
		return ctl_refuse(ctl, "%s", err);
	}
	ctl_copy_print(&fs, &ts, fshown, tshown);
	if (rc > 0) {
		what[0] = '\0';
		for (int t = 0; t < LEDGER_NTABLES; t++)
			if (fs.rows[t] != ts.rows[t] || fs.sum[t] != ts.sum[t])
				snprintf(what + strlen(what),
					 sizeof(what) - strlen(what), "%s%s",
					 what[0] ? ", " : "",
					 ledger_table_name(t));
		return ctl_refuse(ctl,
				  "the copy in %s differs from %s (%s): "
				  "counts or checksums not equal; it is kept "
				  "for inspection",
				  tshown, fshown, what[0] ? what : "all");
	}
	printf("copied: every count and checksum equal\n");
	return CTL_EXIT_OK;
}

int
ctl_cmd_ledger(struct ctl *ctl)
{
	bool init = strcmp(ctl->args[0], "init") == 0;
	bool copy = strcmp(ctl->args[0], "copy") == 0;

	if (!init && !copy && strcmp(ctl->args[0], "upgrade") != 0) {
		ctl_warn(ctl,
			 "unknown action \"%s\": expected init, upgrade or "
			 "copy",
			 ctl->args[0]);
		return CTL_EXIT_USAGE;
	}
	if (copy && ctl->nargs != 3) {
		ctl_warn(ctl, "copy takes FROM and TO: ledger copy FROM TO");
		return CTL_EXIT_USAGE;
	}
	if (!copy && ctl->nargs != 1) {
		ctl_warn(ctl, "%s takes no argument: the ledger is -l's",
			 ctl->args[0]);
		return CTL_EXIT_USAGE;
	}
	if (copy)
		return ctl_ledger_copy(ctl);
	if (ledger_pg_accepts(ctl->ledger_path))
		return ctl_ledger_pg(ctl, init);
	return ctl_ledger_sqlite(ctl, init);
}
