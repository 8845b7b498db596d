/*
 * ledger_fixture.c: the fixture and helpers of test_ledger (see
 * ledger_fixture.h): each test in a fresh temporary directory, removed
 * whole afterwards.
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

int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	snprintf(f->dir, sizeof(f->dir), "/tmp/test_ledger.XXXXXX");
	if (!mkdtemp(f->dir)) {
		free(f);
		return -1;
	}
	snprintf(f->path, sizeof(f->path), "%s/ledger.db", f->dir);
	*state = f;
	return 0;
}

static int
remove_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

int
teardown(void **state)
{
	struct fixture *f = *state;
	int rc = nftw(f->dir, remove_one, 8, FTW_DEPTH | FTW_PHYS);

	free(f);
	return rc;
}

struct ledger *
open_rw(struct fixture *f)
{
	struct ledger *l =
	    ledger_open(f->path, LEDGER_READ_WRITE, f->err, sizeof(f->err));

	if (!l)
		fail_msg("%s", f->err);
	return l;
}

struct ledger *
open_ro(struct fixture *f)
{
	struct ledger *l =
	    ledger_open(f->path, LEDGER_READ_ONLY, f->err, sizeof(f->err));

	if (!l)
		fail_msg("%s", f->err);
	return l;
}

int64_t
append(struct fixture *f, struct ledger *l, enum entry_kind kind,
       const char *contract, ll_day day, ll_fen amount, int64_t reverses,
       int reason, const char *note)
{
	struct entry e = {
	    .kind = kind,
	    .contract = (char *)contract,
	    .day = day,
	    .amount = amount,
	    .reverses = reverses,
	    .reason = reason,
	    .note = (char *)note,
	};

	if (ledger_append(l, &e, f->err, sizeof(f->err)) < 0)
		fail_msg("%s", f->err);
	return e.id;
}

int64_t
pay(struct fixture *f, struct ledger *l, const char *contract, ll_day day,
    ll_fen amount)
{
	return append(f, l, ENTRY_PAYMENT, contract, day, amount, 0, 0, "");
}

/* Expects ledger_append to refuse e with a message holding `want`, and the
 * ledger to hold `count` entries afterwards. */
void
refused(struct fixture *f, struct ledger *l, struct entry *e, const char *want,
	size_t count)
{
	struct entry *v;
	size_t n;

	f->err[0] = '\0';
	e->id = -7;
	assert_int_equal(ledger_append(l, e, f->err, sizeof(f->err)), -1);
	if (!strstr(f->err, want))
		fail_msg("message \"%s\" lacks \"%s\"", f->err, want);
	/* every message names the file */
	if (!strstr(f->err, f->path))
		fail_msg("message \"%s\" lacks the file name", f->err);
	assert_int_equal(e->id, -7);
	assert_int_equal(
	    ledger_entries(l, NULL, &v, &n, f->err, sizeof(f->err)), 0);
	assert_int_equal(n, count);
	entry_array_free(v, n);
}

void
raw_exec(sqlite3 *db, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		fail_msg("%s: %s", sql, msg ? msg : "?");
	}
}

/* Runs sql, which must fail with a message holding `want`. */
void
raw_refused(sqlite3 *db, const char *sql, const char *want)
{
	char *msg = NULL;

	assert_int_not_equal(sqlite3_exec(db, sql, NULL, NULL, &msg),
			     SQLITE_OK);
	assert_non_null(msg);
	if (!strstr(msg, want))
		fail_msg("%s: \"%s\" lacks \"%s\"", sql, msg, want);
	sqlite3_free(msg);
}

/* One integer from raw SQL: a pragma, or sqlite_master. */
int64_t
raw_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	int64_t v;

	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

sqlite3 *
raw_open(struct fixture *f)
{
	sqlite3 *db;

	assert_int_equal(
	    sqlite3_open_v2(f->path, &db, SQLITE_OPEN_READWRITE, NULL),
	    SQLITE_OK);
	sqlite3_busy_timeout(db, 5000);
	return db;
}

void
assert_err_has(const char *err, const char *want)
{
	if (!strstr(err, want))
		fail_msg("message \"%s\" lacks \"%s\"", err, want);
}
