/*
 * test_ledger_file.c: the ledger as a file (part of test_ledger): the
 * check of a damaged file, opens that must fail and say why, the schema
 * versions and their migrations (tests/data/ledger), the file's mode and
 * a reader who may not write its directory.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <ftw.h>
#include <grp.h>
#include <stdbool.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include <sqlite3.h>

#include "core/billing.h"
#include "store/ledger.h"
#include "ledger_fixture.h"
#include "testlib.h"

/* Issue 12, defect 8: ledger_verify reads the whole file, not only the
 * entries; the outbox's root page overwritten is found. */
void
test_verify_damaged_page(void **state)
{
	struct fixture *f = *state;
	struct ledger *l = open_rw(f);
	struct entry *v;
	int64_t root, psize;
	unsigned char *page;
	sqlite3 *db;
	size_t n;
	int fd;

	assert_int_equal(pay(f, l, "A", 100, 500), 1);
	assert_int_equal(ledger_verify(l, f->err, sizeof(f->err)), 0);
	ledger_close(l);

	/* Everything into the file itself, none of it left in the WAL. */
	db = raw_open(f);
	raw_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)");
	root = raw_int(db, "SELECT rootpage FROM sqlite_master "
			   "WHERE type = 'table' AND name = 'outbox'");
	psize = raw_int(db, "PRAGMA page_size");
	sqlite3_close(db);
	assert_true(root > 1 && psize > 0);
	page = malloc((size_t)psize);
	assert_non_null(page);
	memset(page, 0xff, (size_t)psize);
	fd = open(f->path, O_WRONLY);
	assert_true(fd >= 0);
	assert_int_equal(pwrite(fd, page, (size_t)psize, (root - 1) * psize),
			 psize);
	close(fd);
	free(page);

	l = open_ro(f);
	assert_int_equal(ledger_verify(l, f->err, sizeof(f->err)), 1);
	assert_err_has(f->err, "is damaged: Page ");
	assert_err_has(f->err, f->path);
	/* Reading the entries alone, as check did, sees nothing wrong. */
	assert_int_equal(
	    ledger_entries(l, NULL, &v, &n, f->err, sizeof(f->err)), 0);
	assert_int_equal(n, 1);
	entry_array_free(v, n);
	ledger_close(l);
}

/* A reversal whose payment is not there: only a shell session with the
 * trigger dropped and foreign keys off stores one; verify finds it. */
void
test_verify_foreign_key(void **state)
{
	struct fixture *f = *state;
	struct ledger *l = open_rw(f);
	sqlite3 *db;

	assert_int_equal(pay(f, l, "A", 100, 500), 1);
	ledger_close(l);
	db = raw_open(f);
	raw_exec(db, "PRAGMA foreign_keys = OFF;"
		     "DROP TRIGGER entries_reversal_target;"
		     "INSERT INTO entries (kind, contract, day, reverses, "
		     "recorded_at) VALUES (2, 'A', 120, 99, 0)");
	sqlite3_close(db);

	l = open_ro(f);
	assert_int_equal(ledger_verify(l, f->err, sizeof(f->err)), 1);
	assert_err_has(f->err, "is damaged: row 2 of entries refers to a row "
			       "of entries that is not there");
	ledger_close(l);
}

void
test_ro_missing(void **state)
{
	struct fixture *f = *state;

	assert_null(
	    ledger_open(f->path, LEDGER_READ_ONLY, f->err, sizeof(f->err)));
	assert_err_has(f->err, f->path);
	assert_err_has(f->err, "No such file or directory");
	/* and nothing was created */
	assert_int_equal(access(f->path, F_OK), -1);
}

void
test_rw_missing_dir(void **state)
{
	struct fixture *f = *state;
	char path[192];

	snprintf(path, sizeof(path), "%s/nodir/ledger.db", f->dir);
	assert_null(
	    ledger_open(path, LEDGER_READ_WRITE, f->err, sizeof(f->err)));
	assert_err_has(f->err, path);
	assert_err_has(f->err, "nodir: No such file or directory: create the "
			       "directory first");
}

void
test_newer_schema(void **state)
{
	struct fixture *f = *state;
	char want[256];
	sqlite3 *db;

	ledger_close(open_rw(f));
	db = raw_open(f);
	raw_exec(db, "PRAGMA user_version = 4");
	sqlite3_close(db);

	snprintf(want, sizeof(want),
		 "ledger %s has schema version 4; this leaseline knows up to "
		 "3: upgrade leaseline",
		 f->path);
	assert_null(
	    ledger_open(f->path, LEDGER_READ_ONLY, f->err, sizeof(f->err)));
	assert_string_equal(f->err, want);
	assert_null(
	    ledger_open(f->path, LEDGER_READ_WRITE, f->err, sizeof(f->err)));
	assert_string_equal(f->err, want);
}

void
test_older_schema(void **state)
{
	struct fixture *f = *state;
	struct entry *v;
	sqlite3 *db;
	struct ledger *l;
	sqlite3_stmt *st;
	int64_t version;
	size_t n;

	/* an empty SQLite file, as an interrupted first run leaves */
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	raw_exec(db, "PRAGMA user_version = 0");
	sqlite3_close(db);

	assert_null(
	    ledger_open(f->path, LEDGER_READ_ONLY, f->err, sizeof(f->err)));
	assert_err_has(f->err, "has schema version 0; this leaseline needs 3: "
			       "run a leaselinectl command that writes to the "
			       "ledger, which migrates it");

	/* read-write migrates it, then read-only is happy */
	ledger_close(open_rw(f));
	ledger_close(open_ro(f));
	db = raw_open(f);
	assert_int_equal(
	    sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	version = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	assert_int_equal(version, LEDGER_SCHEMA_VERSION);

	l = open_rw(f);
	assert_int_equal(
	    ledger_entries(l, NULL, &v, &n, f->err, sizeof(f->err)), 0);
	assert_int_equal(n, 0);
	ledger_close(l);
}

/* Issue 13: a ledger of schema version 1 (tests/data/ledger/schema-v1.sql,
 * as leaselinectl wrote it) migrates to 2 with its entries as they were,
 * its guards in place, and takes the reasons transit and misuse, which
 * version 1 refused. */
void
test_schema_1_migrates(void **state)
{
	struct fixture *f = *state;
	char *sql, *msg = NULL;
	struct entry *v;
	struct ledger *l;
	sqlite3 *db;
	size_t n;

	sql = testlib_read_file("tests/data/ledger/schema-v1.sql", NULL);
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	raw_exec(db, sql);
	free(sql);
	/* version 1 refused the reason transit (6) */
	assert_int_not_equal(
	    sqlite3_exec(db,
			 "INSERT INTO entries (kind, contract, day, reason,"
			 " recorded_at) VALUES (5, 'A', 1, 6, 1)",
			 NULL, NULL, &msg),
	    SQLITE_OK);
	sqlite3_free(msg);
	sqlite3_close(db);

	l = open_rw(f);
	assert_int_equal(
	    ledger_entries(l, NULL, &v, &n, f->err, sizeof(f->err)), 0);
	assert_int_equal(n, 3);
	assert_int_equal(v[0].id, 1);
	assert_int_equal(v[0].kind, ENTRY_PAYMENT);
	assert_int_equal(v[0].amount, 100000);
	assert_int_equal(v[1].kind, ENTRY_REVERSAL);
	assert_int_equal(v[1].reverses, 1);
	assert_string_equal(v[1].note, "typo");
	assert_int_equal(v[2].kind, ENTRY_SUSPEND);
	assert_int_equal(v[2].reason, REASON_VIOLATION);
	entry_array_free(v, n);
	/* the guards came along: no second reversal, no update */
	{
		struct entry e = {.kind = ENTRY_REVERSAL,
				  .contract = "JSCZE2208138CGN00",
				  .day = 19146,
				  .reverses = 1,
				  .note = "again"};

		assert_int_equal(ledger_append(l, &e, f->err, sizeof(f->err)),
				 -1);
	}
	db = raw_open(f);
	assert_int_not_equal(
	    sqlite3_exec(db, "UPDATE entries SET amount = 1", NULL, NULL, &msg),
	    SQLITE_OK);
	sqlite3_free(msg);
	sqlite3_close(db);
	/* and the new reasons are taken */
	assert_int_equal(append(f, l, ENTRY_TERMINATE, "JSCZE2208138CGN00",
				19146, 0, 0, REASON_TRANSIT, "3.1.11"),
			 4);
	assert_int_equal(
	    append(f, l, ENTRY_SUSPEND, "B", 19146, 0, 0, REASON_MISUSE, "6.3"),
	    5);
	assert_int_equal(ledger_verify(l, f->err, sizeof(f->err)), 0);
	ledger_close(l);
}

/* Issue 13, item 7: a ledger of schema version 2
 * (tests/data/ledger/schema-v2.sql, as leaselinectl wrote it) migrates
 * to 3 with every entry as it was and its guards in place, and takes the
 * kind reminder (7, clause 7.1(4)), which version 2 refused. */
void
test_schema_2_migrates(void **state)
{
	struct fixture *f = *state;
	char *sql, *msg = NULL;
	struct entry *v;
	struct ledger *l;
	sqlite3 *db;
	size_t n;

	sql = testlib_read_file("tests/data/ledger/schema-v2.sql", NULL);
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	raw_exec(db, sql);
	free(sql);
	/* version 2 refused the kind reminder (7) */
	assert_int_not_equal(
	    sqlite3_exec(db,
			 "INSERT INTO entries (kind, contract, day,"
			 " recorded_at) VALUES (7, 'A', 1, 1)",
			 NULL, NULL, &msg),
	    SQLITE_OK);
	sqlite3_free(msg);
	sqlite3_close(db);

	l = open_rw(f);
	assert_int_equal(
	    ledger_entries(l, NULL, &v, &n, f->err, sizeof(f->err)), 0);
	assert_int_equal(n, 5);
	/* sorted by day: payment, suspension, notice, termination,
	 * reversal */
	assert_int_equal(v[0].id, 1);
	assert_int_equal(v[0].kind, ENTRY_PAYMENT);
	assert_int_equal(v[0].day, 19362);
	assert_int_equal(v[0].amount, 100000);
	assert_int_equal(v[0].recorded_at, 1796213478);
	assert_int_equal(v[1].id, 3);
	assert_int_equal(v[1].kind, ENTRY_SUSPEND);
	assert_int_equal(v[1].reason, REASON_MISUSE);
	assert_string_equal(v[1].note, "6.3 letter");
	assert_int_equal(v[2].id, 4);
	assert_int_equal(v[2].kind, ENTRY_NOTICE);
	assert_string_equal(v[2].note, "written notice");
	assert_int_equal(v[3].id, 5);
	assert_int_equal(v[3].kind, ENTRY_TERMINATE);
	assert_int_equal(v[3].reason, REASON_TRANSIT);
	assert_int_equal(v[4].id, 2);
	assert_int_equal(v[4].kind, ENTRY_REVERSAL);
	assert_int_equal(v[4].reverses, 1);
	assert_string_equal(v[4].note, "typo");
	entry_array_free(v, n);
	/* the guards came along: no second reversal, no update, no
	 * delete */
	{
		struct entry e = {.kind = ENTRY_REVERSAL,
				  .contract = "JSCZE2208138CGN00",
				  .day = 19400,
				  .reverses = 1,
				  .note = "again"};

		assert_int_equal(ledger_append(l, &e, f->err, sizeof(f->err)),
				 -1);
	}
	db = raw_open(f);
	assert_int_not_equal(
	    sqlite3_exec(db, "UPDATE entries SET amount = 1", NULL, NULL, &msg),
	    SQLITE_OK);
	sqlite3_free(msg);
	msg = NULL;
	assert_int_not_equal(
	    sqlite3_exec(db, "DELETE FROM entries", NULL, NULL, &msg),
	    SQLITE_OK);
	sqlite3_free(msg);
	msg = NULL;
	/* a reminder carries no reason */
	assert_int_not_equal(
	    sqlite3_exec(db,
			 "INSERT INTO entries (kind, contract, day, reason,"
			 " recorded_at) VALUES (7, 'A', 1, 2, 1)",
			 NULL, NULL, &msg),
	    SQLITE_OK);
	sqlite3_free(msg);
	sqlite3_close(db);
	/* and the new kind is taken */
	assert_int_equal(append(f, l, ENTRY_REMINDER, "JSCZE2208138CGN00",
				19400, 0, 0, 0, "催告函 2023-02-01"),
			 6);
	assert_int_equal(ledger_verify(l, f->err, sizeof(f->err)), 0);
	ledger_close(l);
	/* read-only opens it now */
	ledger_close(open_ro(f));
}

/* A wrong path must not turn another file into a ledger. */
void
test_not_a_ledger(void **state)
{
	struct fixture *f = *state;
	sqlite3 *db;
	FILE *fp;

	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	raw_exec(db, "CREATE TABLE users (name TEXT)");
	sqlite3_close(db);
	assert_null(
	    ledger_open(f->path, LEDGER_READ_WRITE, f->err, sizeof(f->err)));
	assert_err_has(f->err, "is an SQLite database but not a leaseline "
			       "ledger (it has tables of its own)");

	db = raw_open(f);
	raw_exec(db, "PRAGMA application_id = 42");
	sqlite3_close(db);
	assert_null(
	    ledger_open(f->path, LEDGER_READ_ONLY, f->err, sizeof(f->err)));
	assert_err_has(f->err, "not a leaseline ledger (application_id 42)");

	assert_int_equal(unlink(f->path), 0);
	fp = fopen(f->path, "w");
	assert_non_null(fp);
	for (int i = 0; i < 200; i++)
		fputs("this is not an SQLite file\n", fp);
	fclose(fp);
	for (int mode = LEDGER_READ_ONLY; mode <= LEDGER_READ_WRITE; mode++) {
		assert_null(ledger_open(f->path, mode, f->err, sizeof(f->err)));
		assert_err_has(f->err, f->path);
		assert_err_has(f->err, "cannot read the schema version: file "
				       "is not a database");
	}
}

void
test_file_mode(void **state)
{
	struct fixture *f = *state;
	mode_t old = umask(077);
	struct ledger *l =
	    ledger_open(f->path, LEDGER_READ_WRITE, f->err, sizeof(f->err));
	struct stat sb;

	umask(old);
	if (!l)
		fail_msg("%s", f->err);
	assert_int_equal(stat(f->path, &sb), 0);
	assert_int_equal(sb.st_mode & 07777, 0640);
	ledger_close(l);

	/* the -wal and -shm files stay, emptied, with the same mode */
	for (int i = 0; i < 2; i++) {
		char side[160];

		snprintf(side, sizeof(side), "%s%s", f->path,
			 i ? "-shm" : "-wal");
		assert_int_equal(stat(side, &sb), 0);
		assert_int_equal(sb.st_mode & 07777, 0640);
		if (!i)
			assert_int_equal(sb.st_size, 0);
	}

	/* an existing file keeps the mode its owner gave it */
	assert_int_equal(chmod(f->path, 0600), 0);
	ledger_close(open_rw(f));
	assert_int_equal(stat(f->path, &sb), 0);
	assert_int_equal(sb.st_mode & 07777, 0600);
}

/* Reads the ledger as a user who may not write the directory or the
 * files; the child exits 0 when the outcome is `want_ok`. */
static int
read_as_nobody(struct fixture *f, bool want_ok, const char *want_err)
{
	int status;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		struct entry *v;
		struct ledger *l;
		size_t n;

		if (setgroups(0, NULL) < 0 || setgid(65534) < 0 ||
		    setuid(65534) < 0)
			_exit(2);
		l = ledger_open(f->path, LEDGER_READ_ONLY, f->err,
				sizeof(f->err));
		if (!l)
			_exit(!want_ok && strstr(f->err, want_err) ? 0 : 3);
		if (ledger_entries(l, NULL, &v, &n, f->err, sizeof(f->err)) < 0)
			_exit(4);
		entry_array_free(v, n);
		ledger_close(l);
		_exit(want_ok && n == 1 ? 0 : 5);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

/* The deployment where staff in the ledger's group read a 0640 ledger:
 * they cannot create the -wal and -shm files, so the writers keep them. */
void
test_group_reader(void **state)
{
	struct fixture *f = *state;
	char side[160];
	struct ledger *l;

	assert_int_equal(geteuid(), 0); /* main() runs it as root only */
	l = open_rw(f);
	pay(f, l, "A", 100, 500);
	ledger_close(l);
	/* "other" stands for the group here: no setgid helper needed */
	assert_int_equal(chmod(f->dir, 0755), 0);
	assert_int_equal(chmod(f->path, 0644), 0);
	snprintf(side, sizeof(side), "%s-wal", f->path);
	assert_int_equal(chmod(side, 0644), 0);
	snprintf(side, sizeof(side), "%s-shm", f->path);
	assert_int_equal(chmod(side, 0644), 0);
	assert_int_equal(read_as_nobody(f, true, NULL), 0);

	/* without them, a message that says what to do */
	assert_int_equal(unlink(side), 0);
	snprintf(side, sizeof(side), "%s-wal", f->path);
	assert_int_equal(unlink(side), 0);
	assert_int_equal(read_as_nobody(f, false,
					"its -wal and -shm files are missing "
					"and this user may not create them"),
			 0);
}
