/*
 * test_ledger: the ledger on a real SQLite file, each test in a fresh
 * temporary directory.  Raw sqlite3 connections play the other program
 * (leaselinectl against leaselined) and the administrator with a shell.
 * This file: entries, refusals and reversals, the engine dispatch,
 * concurrency and kill -9, and main, which runs the tests of
 * test_ledger_file.c and test_ledger_outbox.c too (ledger_fixture.h).
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

static void
test_create_reopen(void **state)
{
	struct fixture *f = *state;
	struct entry *v, one;
	struct ledger *l;
	int64_t before = time(NULL), after;
	size_t n;

	l = open_rw(f);
	assert_int_equal(pay(f, l, "HT-2024-001", 19800, 1234567), 1);
	assert_int_equal(append(f, l, ENTRY_SUSPEND, "HT-2024-001", 19850, 0, 0,
				REASON_NONPAYMENT, "欠费停机"),
			 2);
	ledger_close(l);
	after = time(NULL);

	/* both modes see what was appended before */
	for (int mode = LEDGER_READ_ONLY; mode <= LEDGER_READ_WRITE; mode++) {
		l = ledger_open(f->path, mode, f->err, sizeof(f->err));
		if (!l)
			fail_msg("%s", f->err);
		assert_int_equal(ledger_entries(l, "HT-2024-001", &v, &n,
						f->err, sizeof(f->err)),
				 0);
		assert_int_equal(n, 2);
		assert_int_equal(v[0].id, 1);
		assert_int_equal(v[0].kind, ENTRY_PAYMENT);
		assert_string_equal(v[0].contract, "HT-2024-001");
		assert_int_equal(v[0].day, 19800);
		assert_int_equal(v[0].amount, 1234567);
		assert_int_equal(v[0].reverses, 0);
		assert_int_equal(v[0].reason, 0);
		assert_string_equal(v[0].note, "");
		assert_in_range(v[0].recorded_at, before, after);
		assert_int_equal(v[1].id, 2);
		assert_int_equal(v[1].kind, ENTRY_SUSPEND);
		assert_int_equal(v[1].day, 19850);
		assert_int_equal(v[1].amount, 0);
		assert_int_equal(v[1].reason, REASON_NONPAYMENT);
		assert_string_equal(v[1].note, "欠费停机");
		entry_array_free(v, n);

		/* another contract's entries are not these */
		assert_int_equal(ledger_entries(l, "HT-2024-002", &v, &n,
						f->err, sizeof(f->err)),
				 0);
		assert_int_equal(n, 0);
		assert_null(v);
		entry_array_free(v, n);

		assert_int_equal(
		    ledger_entry(l, 2, &one, f->err, sizeof(f->err)), 0);
		assert_int_equal(one.kind, ENTRY_SUSPEND);
		assert_string_equal(one.contract, "HT-2024-001");
		entry_clear(&one);
		assert_null(one.contract);
		assert_int_equal(
		    ledger_entry(l, 3, &one, f->err, sizeof(f->err)), 1);
		ledger_close(l);
	}
}

static void
test_refusals(void **state)
{
	struct fixture *f = *state;
	struct ledger *l = open_rw(f), *ro;
	struct entry e;

	assert_int_equal(pay(f, l, "A", 100, 500), 1);

#define ENTRY(k, c, d, a, rv, rs)                                              \
	(struct entry){                                                        \
	    .kind = (k),                                                       \
	    .contract = (char *)(c),                                           \
	    .day = (d),                                                        \
	    .amount = (a),                                                     \
	    .reverses = (rv),                                                  \
	    .reason = (rs),                                                    \
	    .note = "",                                                        \
	}
	e = ENTRY(ENTRY_PAYMENT, "A", 100, 0, 0, 0);
	refused(f, l, &e, "the amount must be positive, not 0 fen", 1);
	e = ENTRY(ENTRY_PAYMENT, "A", 100, -5, 0, 0);
	refused(f, l, &e, "the amount must be positive, not -5 fen", 1);
	e = ENTRY(ENTRY_SUSPEND, "A", 100, 1, 0, REASON_NONPAYMENT);
	refused(f, l, &e,
		"suspension of contract A: only a payment has an amount (got 1 "
		"fen)",
		1);
	e = ENTRY(ENTRY_REVERSAL, "A", 100, 500, 1, 0);
	refused(f, l, &e, "only a payment has an amount (got 500 fen)", 1);
	e = ENTRY(ENTRY_PAYMENT, "", 100, 5, 0, 0);
	refused(f, l, &e, "refusing a payment without a contract number", 1);
	e = ENTRY(ENTRY_NOTICE, NULL, 100, 0, 0, 0);
	refused(f, l, &e,
		"refusing a non-renewal notice without a contract number", 1);
	e = ENTRY(ENTRY_PAYMENT, "A", LL_NO_DAY, 5, 0, 0);
	refused(f, l, &e, "refusing a payment of contract A without a day", 1);
	e = ENTRY(ENTRY_SUSPEND, "A", 100, 0, 0, 0);
	refused(f, l, &e, "the reason must be from 1 to 7, not 0", 1);
	e = ENTRY(ENTRY_TERMINATE, "A", 100, 0, 0, 8);
	refused(f, l, &e,
		"refusing a termination of contract A: the reason must be "
		"from 1 to 7, not 8",
		1);
	e = ENTRY(ENTRY_RESUME, "A", 100, 0, 0, REASON_NONPAYMENT);
	refused(f, l, &e,
		"only a suspension or termination has a reason (got 2)", 1);
	e = ENTRY(0, "A", 100, 0, 0, 0);
	refused(f, l, &e, "refusing an entry of unknown kind 0", 1);
	e = ENTRY(8, "A", 100, 0, 0, 0);
	refused(f, l, &e, "refusing an entry of unknown kind 8", 1);
	e = ENTRY(ENTRY_PAYMENT, "A", 100, 5, 1, 0);
	refused(f, l, &e, "only a reversal cancels another entry", 1);
	e = ENTRY(ENTRY_REVERSAL, "A", 100, 0, 0, 0);
	refused(f, l, &e, "it must name the payment it cancels", 1);
	e = ENTRY(ENTRY_REVERSAL, "A", 100, 0, 42, 0);
	refused(f, l, &e, "entry 42 does not exist", 1);
	e = ENTRY(ENTRY_REVERSAL, "B", 100, 0, 1, 0);
	refused(f, l, &e,
		"refusing a reversal of contract B: payment 1 belongs to "
		"contract A",
		1);

	/* the edges that are accepted */
	assert_int_equal(
	    append(f, l, ENTRY_SUSPEND, "A", 101, 0, 0, REASON_NONE, NULL), 2);
	assert_int_equal(append(f, l, ENTRY_TERMINATE, "A", 102, 0, 0,
				REASON_REGULATORY, ""),
			 3);
	assert_int_equal(pay(f, l, "A", -2147483647, 1), 4);

	/* a read-only ledger refuses before SQLite would */
	ro = open_ro(f);
	e = ENTRY(ENTRY_PAYMENT, "A", 100, 5, 0, 0);
	assert_int_equal(ledger_append(ro, &e, f->err, sizeof(f->err)), -1);
	assert_err_has(f->err, "is open read-only: cannot append");
	ledger_close(ro);
#undef ENTRY
	ledger_close(l);
}

static void
test_reversals(void **state)
{
	struct fixture *f = *state;
	struct ledger *l = open_rw(f);
	struct entry e = {
	    .kind = ENTRY_REVERSAL, .contract = "A", .day = 120, .note = ""};
	struct entry *v;
	size_t n;

	assert_int_equal(pay(f, l, "A", 100, 500), 1);
	assert_int_equal(
	    append(f, l, ENTRY_REVERSAL, "A", 110, 0, 1, 0, "wrong amount"), 2);

	/* a reversal of a reversal */
	e.reverses = 2;
	refused(f, l, &e,
		"entry 2 is a reversal, and only a payment can be reversed", 2);
	/* a second reversal of the same payment */
	e.reverses = 1;
	refused(f, l, &e, "payment 1 is already reversed by entry 2", 2);
	/* neither is a non-payment */
	assert_int_equal(append(f, l, ENTRY_NOTICE, "A", 111, 0, 0, 0, ""), 3);
	e.reverses = 3;
	refused(f, l, &e, "entry 3 is a non-renewal notice", 3);

	assert_int_equal(ledger_entries(l, "A", &v, &n, f->err, sizeof(f->err)),
			 0);
	assert_int_equal(n, 3);
	assert_int_equal(v[1].kind, ENTRY_REVERSAL);
	assert_int_equal(v[1].reverses, 1);
	assert_string_equal(v[1].note, "wrong amount");
	entry_array_free(v, n);
	ledger_close(l);
}

/* What the administrator with sqlite3 cannot do either. */
static void
test_raw_sql_refused(void **state)
{
	struct fixture *f = *state;
	struct ledger *l = open_rw(f);
	struct entry *v;
	sqlite3 *db;
	size_t n;

	assert_int_equal(pay(f, l, "A", 100, 500), 1);
	assert_int_equal(pay(f, l, "B", 100, 700), 2);
	assert_int_equal(append(f, l, ENTRY_REVERSAL, "A", 110, 0, 1, 0, ""),
			 3);
	ledger_close(l);

	db = raw_open(f);
	raw_exec(db, "PRAGMA foreign_keys = ON");
	raw_refused(db, "UPDATE entries SET amount = 1 WHERE id = 1",
		    "ledger entries are never changed: record a reversal");
	raw_refused(db, "DELETE FROM entries WHERE id = 1",
		    "ledger entries are never changed: record a reversal");
	raw_refused(db, "DELETE FROM entries",
		    "ledger entries are never changed: record a reversal");
	raw_refused(db,
		    "INSERT INTO entries (kind, contract, day, reverses, "
		    "recorded_at) VALUES (2, 'A', 120, 1, 0)",
		    "UNIQUE constraint failed: entries.reverses");
	raw_refused(db,
		    "INSERT INTO entries (kind, contract, day, reverses, "
		    "recorded_at) VALUES (2, 'A', 120, 2, 0)",
		    "a reversal cancels a payment of the same contract");
	raw_refused(db,
		    "INSERT INTO entries (kind, contract, day, reverses, "
		    "recorded_at) VALUES (2, 'A', 120, 3, 0)",
		    "a reversal cancels a payment of the same contract");
	raw_refused(db,
		    "INSERT INTO entries (kind, contract, day, amount, "
		    "recorded_at) VALUES (1, 'A', 120, 0, 0)",
		    "CHECK constraint failed");
	raw_refused(db,
		    "INSERT INTO entries (kind, contract, day, amount, "
		    "recorded_at) VALUES (1, 'A', 120, '12abc', 0)",
		    "CHECK constraint failed");
	raw_refused(db,
		    "INSERT INTO entries (kind, contract, day, reason, "
		    "recorded_at) VALUES (3, 'A', 120, 0, 0)",
		    "CHECK constraint failed");
	raw_refused(db,
		    "INSERT INTO entries (kind, contract, day, recorded_at) "
		    "VALUES (8, 'A', 120, 0)",
		    "CHECK constraint failed");
	sqlite3_close(db);

	l = open_ro(f);
	assert_int_equal(
	    ledger_entries(l, NULL, &v, &n, f->err, sizeof(f->err)), 0);
	assert_int_equal(n, 3);
	assert_int_equal(v[0].amount, 500);
	entry_array_free(v, n);
	ledger_close(l);
}

static void
test_data_version(void **state)
{
	struct fixture *f = *state;
	struct ledger *w = open_rw(f), *r = open_ro(f);
	int64_t v0, v1, v2;

	assert_int_equal(ledger_data_version(r, &v0), 0);
	assert_int_equal(ledger_data_version(r, &v1), 0);
	assert_int_equal(v1, v0);
	pay(f, w, "A", 100, 500);
	assert_int_equal(ledger_data_version(r, &v1), 0);
	assert_int_not_equal(v1, v0);
	/* nothing new, no change */
	assert_int_equal(ledger_data_version(r, &v2), 0);
	assert_int_equal(v2, v1);
	ledger_close(w);
	ledger_close(r);
}

/* WAL: a reader's open transaction does not block a writer, and a writer's
 * open transaction does not block a reader; each sees committed data only. */
static void
test_wal_concurrency(void **state)
{
	struct fixture *f = *state;
	struct ledger *w = open_rw(f), *r;
	struct entry *v;
	sqlite3 *db;
	sqlite3_stmt *st;
	time_t start;
	size_t n;

	pay(f, w, "A", 100, 500);
	db = raw_open(f);
	assert_int_equal(
	    sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), "wal");
	sqlite3_finalize(st);

	/* a reader holds a snapshot; the append still commits at once
	 * (rollback-journal mode would wait out busy_timeout and fail) */
	raw_exec(db, "BEGIN");
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM entries",
					    -1, &st, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), 1);
	sqlite3_reset(st);
	start = time(NULL);
	assert_int_equal(pay(f, w, "A", 101, 600), 2);
	assert_true(time(NULL) - start <= 1);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), 1);
	sqlite3_finalize(st);
	raw_exec(db, "COMMIT");

	/* a writer holds an open transaction; the reader reads what was
	 * committed, without waiting */
	raw_exec(db, "BEGIN IMMEDIATE");
	raw_exec(db, "INSERT INTO entries (kind, contract, day, amount, "
		     "recorded_at) VALUES (1, 'A', 102, 700, 0)");
	r = open_ro(f);
	start = time(NULL);
	assert_int_equal(ledger_entries(r, "A", &v, &n, f->err, sizeof(f->err)),
			 0);
	assert_true(time(NULL) - start <= 1);
	assert_int_equal(n, 2);
	assert_int_equal(v[1].amount, 600);
	entry_array_free(v, n);
	raw_exec(db, "COMMIT");
	assert_int_equal(ledger_entries(r, "A", &v, &n, f->err, sizeof(f->err)),
			 0);
	assert_int_equal(n, 3);
	assert_int_equal(v[2].amount, 700);
	entry_array_free(v, n);
	sqlite3_close(db);
	ledger_close(r);
	ledger_close(w);
}

static void
test_sorted(void **state)
{
	struct fixture *f = *state;
	struct ledger *l = open_rw(f);
	struct entry *v;
	size_t n;
	/* appended in this order: ids 1 to 6 */
	static const struct {
		const char *contract;
		ll_day day;
	} in[] = {{"B", 30}, {"A", 20}, {"B", 10},
		  {"A", 20}, {"A", -5}, {"B", 10}};
	static const int64_t all[] = {5, 2, 4, 3, 6, 1};
	static const ll_day days[] = {-5, 20, 20, 10, 10, 30};

	for (size_t i = 0; i < 6; i++)
		assert_int_equal(
		    pay(f, l, in[i].contract, in[i].day, (ll_fen)(i + 1) * 100),
		    (int64_t)i + 1);
	assert_int_equal(
	    ledger_entries(l, NULL, &v, &n, f->err, sizeof(f->err)), 0);
	assert_int_equal(n, 6);
	for (size_t i = 0; i < 6; i++) {
		assert_int_equal(v[i].id, all[i]);
		assert_int_equal(v[i].day, days[i]);
		assert_string_equal(v[i].contract, i < 3 ? "A" : "B");
		assert_int_equal(v[i].amount, all[i] * 100);
	}
	entry_array_free(v, n);

	assert_int_equal(ledger_entries(l, "B", &v, &n, f->err, sizeof(f->err)),
			 0);
	assert_int_equal(n, 3);
	assert_int_equal(v[0].id, 3);
	assert_int_equal(v[1].id, 6);
	assert_int_equal(v[2].id, 1);
	entry_array_free(v, n);
	ledger_close(l);
}

/* A ledger setting naming an engine this build lacks is refused by
 * name, for reading and writing, before anything is created; the rest of
 * the URI, which may hold a password, is not repeated.  A postgresql://
 * URI (issue 17) reaches the PostgreSQL engine, whose messages leave the
 * password out too (port 1 of 127.0.0.1: nothing listens).  A file name
 * with a colon is still an SQLite file. */
static void
test_unknown_engine(void **state)
{
	struct fixture *f = *state;
	const char *pg[] = {
	    "postgresql://leaseline:s3cret@127.0.0.1:1,127.0.0.1:1/leaseline",
	    "postgres://127.0.0.1:1/leaseline?password=s3cret",
	};
	const char *uris[] = {
	    "mysql://localhost/leaseline",
	};
	char colon[160];
	struct stat sb;
	struct ledger *l;

	char shown[LEDGER_ERRLEN];

	/* A password in the URI: refused before any connection, and never
	 * repeated (issue 17: not in argv, logs or llConfigFile). */
	for (size_t i = 0; i < sizeof(pg) / sizeof(pg[0]); i++) {
		f->err[0] = '\0';
		assert_true(ledger_holds_password(pg[i]));
		assert_null(strstr(ledger_display(pg[i], shown, sizeof(shown)),
				   "s3cret"));
		assert_null(ledger_open(pg[i], LEDGER_READ_WRITE, f->err,
					sizeof(f->err)));
		assert_err_has(f->err, "the URI holds a password");
		assert_err_has(f->err, "PGPASSFILE");
		assert_null(strstr(f->err, "s3cret"));
	}
	/* Without one: the engine tries the server (nobody on port 1). */
	assert_false(ledger_holds_password(
	    "postgresql://leaseline@127.0.0.1:1/leaseline"));
	f->err[0] = '\0';
	assert_null(ledger_open("postgresql://leaseline@127.0.0.1:1/leaseline",
				LEDGER_READ_WRITE, f->err, sizeof(f->err)));
	assert_err_has(f->err, "cannot connect to ledger postgres");
	/* A file name is shown as it is, whatever it holds. */
	assert_false(ledger_holds_password("/var/lib/a:b@c.db"));
	assert_string_equal(
	    ledger_display("/var/lib/a:b@c.db", shown, sizeof(shown)),
	    "/var/lib/a:b@c.db");

	for (size_t i = 0; i < sizeof(uris) / sizeof(uris[0]); i++) {
		for (int mode = LEDGER_READ_ONLY; mode <= LEDGER_READ_WRITE;
		     mode++) {
			f->err[0] = '\0';
			assert_null(ledger_open(uris[i], (enum ledger_mode)mode,
						f->err, sizeof(f->err)));
			assert_err_has(f->err, "no such ledger engine in this "
					       "build");
			assert_err_has(f->err, "the ledger setting");
			assert_err_has(f->err, "-l option");
			assert_null(strstr(f->err, "s3cret"));
			assert_null(strstr(f->err, "localhost"));
		}
	}
	assert_err_has(f->err, "mysql://");
	/* nothing was made of the URI as a relative path */
	assert_int_equal(stat("postgresql:", &sb), -1);
	assert_int_equal(stat("mysql:", &sb), -1);

	snprintf(colon, sizeof(colon), "%s/lease:line.db", f->dir);
	l = ledger_open(colon, LEDGER_READ_WRITE, f->err, sizeof(f->err));
	if (!l)
		fail_msg("%s", f->err);
	ledger_close(l);
	assert_int_equal(stat(colon, &sb), 0);
}

/* What ledger.c checks for every engine: each write on a read-only
 * ledger is refused naming the file and what was asked; a list of
 * notification names holds 1 to 4; a call with nothing to do succeeds
 * without asking the engine, even on a read-only ledger. */
static void
test_engine_independent_checks(void **state)
{
	struct fixture *f = *state;
	const char *five[] = {"a", "b", "c", "d", "e"};
	struct ledger_transition t = {.contract = "HT-1",
				      .day = 19800,
				      .what = "service",
				      .from = 1,
				      .to = 2,
				      .key = "k1"};
	struct ledger_notification q = {.contract = "HT-1",
					.name = "llContractSuspended",
					.day = 19800,
					.key = "k2",
					.payload = ""};
	struct ledger_notification *pending = (void *)1;
	int64_t ids[] = {1}, id = 7;
	char *name = (char *)"x";
	size_t n = 9;
	struct ledger *l;

	l = open_rw(f);
	assert_int_equal(
	    ledger_queue(l, NULL, 0, NULL, 0, &n, f->err, sizeof(f->err)), 0);
	assert_int_equal(n, 0);
	assert_int_equal(
	    ledger_outbox_pending(l, 0, &pending, &n, f->err, sizeof(f->err)),
	    0);
	assert_null(pending);
	assert_int_equal(n, 0);
	f->err[0] = '\0';
	assert_int_equal(ledger_outbox_last(l, "HT-1", five, 0, &id, &name,
					    f->err, sizeof(f->err)),
			 -1);
	assert_err_has(f->err, "1 to 4 names, not 0");
	assert_int_equal(id, 0);
	assert_null(name);
	assert_int_equal(
	    ledger_outbox_prune(l, 19800, five, 5, &n, f->err, sizeof(f->err)),
	    -1);
	assert_err_has(f->err, "1 to 4 names, not 5");
	ledger_close(l);

	l = open_ro(f);
	assert_int_equal(
	    ledger_outbox_sent_many(l, ids, 0, true, f->err, sizeof(f->err)),
	    0);
	assert_int_equal(ledger_add_transition(l, &t, f->err, sizeof(f->err)),
			 -1);
	assert_err_has(f->err, "is open read-only: cannot record a transition");
	assert_int_equal(
	    ledger_queue(l, &t, 1, &q, 1, &n, f->err, sizeof(f->err)), -1);
	assert_err_has(f->err, "is open read-only: cannot queue notifications");
	assert_int_equal(ledger_outbox_sent(l, 1, f->err, sizeof(f->err)), -1);
	assert_err_has(f->err,
		       "is open read-only: cannot mark a notification sent");
	assert_int_equal(
	    ledger_outbox_sent_many(l, ids, 1, false, f->err, sizeof(f->err)),
	    -1);
	assert_err_has(f->err,
		       "is open read-only: cannot mark notifications sent");
	assert_int_equal(
	    ledger_meta_set(l, "first_day", 19800, f->err, sizeof(f->err)), -1);
	assert_err_has(f->err, "is open read-only: cannot record a setting");
	assert_err_has(f->err, f->path);
	/* and nothing of it reached the file */
	assert_int_equal(
	    ledger_outbox_pending(l, 8, &pending, &n, f->err, sizeof(f->err)),
	    0);
	assert_int_equal(n, 0);
	ledger_notifications_free(pending, n);
	ledger_close(l);
}

/* An append that returned 0 is there after kill -9 of the appender, which
 * is killed from outside while its connection is still open. */
static void
test_kill9(void **state)
{
	struct fixture *f = *state;
	struct entry one;
	struct ledger *l;
	int status, fds[2];
	char ok;
	pid_t pid;

	ledger_close(open_rw(f));
	assert_int_equal(pipe(fds), 0);
	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		char err[LEDGER_ERRLEN];
		struct entry e = {.kind = ENTRY_PAYMENT,
				  .contract = "A",
				  .day = 100,
				  .amount = 999,
				  .note = ""};
		struct ledger *cl =
		    ledger_open(f->path, LEDGER_READ_WRITE, err, sizeof(err));

		close(fds[0]);
		if (cl && ledger_append(cl, &e, err, sizeof(err)) == 0 &&
		    write(fds[1], "y", 1) == 1)
			for (;;)
				pause();
		_exit(1);
	}
	close(fds[1]);
	assert_int_equal(read(fds[0], &ok, 1), 1);
	close(fds[0]);
	assert_int_equal(kill(pid, SIGKILL), 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGKILL);

	l = open_ro(f);
	assert_int_equal(ledger_entry(l, 1, &one, f->err, sizeof(f->err)), 0);
	assert_int_equal(one.amount, 999);
	entry_clear(&one);
	ledger_close(l);
}

/* test_ledger_copy.c (issue 17 item 6) */
void test_copy_sqlite(void **state);

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_create_reopen, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_refusals, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_reversals, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_raw_sql_refused, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_verify_damaged_page, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_verify_foreign_key, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_ro_missing, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_rw_missing_dir, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_newer_schema, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_older_schema, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_schema_1_migrates, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_schema_2_migrates, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_not_a_ledger, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_data_version, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_wal_concurrency, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_sorted, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_file_mode, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_transitions, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_outbox_prune, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_outbox_sent_many, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_cut_keys, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_copy_sqlite, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_kill9, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_unknown_engine, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_engine_independent_checks,
					    setup, teardown),
	    /* last: it needs root, see below */
	    cmocka_unit_test_setup_teardown(test_group_reader, setup, teardown),
	};
	size_t n = sizeof(tests) / sizeof(tests[0]);

	/* test_group_reader reads the ledger as user nobody, which takes
	 * root.  Not run otherwise (make check or dpkg-buildpackage as a
	 * user, as the README builds): cmocka reports a skip() as "not ok
	 * # SKIP", which automake's TAP driver counts as a failure. */
	if (geteuid() != 0) {
		fprintf(stderr, "# test_group_reader not run: it needs root "
				"(it reads the ledger as user nobody)\n");
		n--;
	}
	return _cmocka_run_group_tests("tests", tests, n, NULL, NULL);
}
