/*
 * test_ledger_outbox.c: what the daemon writes to the ledger (part of
 * test_ledger): transitions, the notification outbox (queued once, sent,
 * pruned) and the keys cut to 159 octets by ledgers before issue 12.
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

void
test_transitions(void **state)
{
	struct fixture *f = *state;
	struct ledger *l = open_rw(f), *ro;
	struct ledger_transition *v;
	int64_t before = time(NULL);
	size_t n;
	struct ledger_transition t[] = {
	    {.contract = "B",
	     .day = 200,
	     .what = "billing",
	     .from = 1,
	     .to = 2},
	    {.contract = "A",
	     .day = 300,
	     .what = "service",
	     .from = 1,
	     .to = 2},
	    {.contract = "A",
	     .day = 100,
	     .what = "installment 1",
	     .from = 2,
	     .to = 3},
	};

	for (size_t i = 0; i < 3; i++) {
		assert_int_equal(
		    ledger_add_transition(l, &t[i], f->err, sizeof(f->err)), 0);
		assert_int_equal(t[i].id, (int64_t)i + 1);
		assert_in_range(t[i].recorded_at, before, time(NULL));
	}
	struct ledger_transition bad = {.contract = "A", .day = 1, .what = ""};
	assert_int_equal(ledger_add_transition(l, &bad, f->err, sizeof(f->err)),
			 -1);
	assert_err_has(f->err, "refusing a transition without a contract, a "
			       "day and what changed");
	bad.what = "service";
	bad.day = LL_NO_DAY;
	assert_int_equal(ledger_add_transition(l, &bad, f->err, sizeof(f->err)),
			 -1);
	ledger_close(l);

	ro = open_ro(f);
	assert_int_equal(
	    ledger_add_transition(ro, &t[0], f->err, sizeof(f->err)), -1);
	assert_err_has(f->err, "is open read-only: cannot record a transition");
	assert_int_equal(
	    ledger_transitions(ro, NULL, &v, &n, f->err, sizeof(f->err)), 0);
	assert_int_equal(n, 3);
	assert_int_equal(v[0].id, 3);
	assert_string_equal(v[0].contract, "A");
	assert_int_equal(v[0].day, 100);
	assert_string_equal(v[0].what, "installment 1");
	assert_int_equal(v[0].from, 2);
	assert_int_equal(v[0].to, 3);
	assert_int_equal(v[0].recorded_at, t[2].recorded_at);
	assert_int_equal(v[1].id, 2);
	assert_string_equal(v[1].what, "service");
	assert_int_equal(v[2].id, 1);
	assert_string_equal(v[2].contract, "B");
	assert_int_equal(v[2].day, 200);
	ledger_transitions_free(v, n);
	assert_int_equal(
	    ledger_transitions(ro, "B", &v, &n, f->err, sizeof(f->err)), 0);
	assert_int_equal(n, 1);
	assert_string_equal(v[0].what, "billing");
	ledger_transitions_free(v, n);
	ledger_close(ro);
}

/* The keys of the outbox, in id order, joined by commas. */
static void
outbox_keys(struct fixture *f, char *out, size_t len)
{
	sqlite3 *db = raw_open(f);
	sqlite3_stmt *st;
	size_t off = 0;

	out[0] = '\0';
	assert_int_equal(
	    sqlite3_prepare_v2(db, "SELECT key FROM outbox ORDER BY id", -1,
			       &st, NULL),
	    SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW && off < len)
		off += (size_t)snprintf(
		    out + off, len - off, "%s%s", off ? "," : "",
		    (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	sqlite3_close(db);
}

/* The ids of the notifications waiting, "1,3". */
static void
pending_ids(struct ledger *l, struct fixture *f, char *out, size_t len)
{
	struct ledger_notification *q = NULL;
	size_t n = 0, off = 0;

	out[0] = '\0';
	assert_int_equal(
	    ledger_outbox_pending(l, 100, &q, &n, f->err, sizeof(f->err)), 0);
	for (size_t i = 0; i < n && off < len; i++)
		off += (size_t)snprintf(out + off, len - off, "%s%" PRId64,
					i ? "," : "", q[i].id);
	ledger_notifications_free(q, n);
}

/* Issue 16: acknowledgements marked in batches, in one transaction: all
 * of a batch or none, never one sent twice, a read-only ledger refused. */
void
test_outbox_sent_many(void **state)
{
	struct fixture *f = *state;
	struct ledger *l = open_rw(f), *ro;
	struct ledger_notification q[6];
	const int64_t first[] = {2, 4, 5}, again[] = {2, 3}, bad[] = {1, 6};
	char keys[6][8], ids[64];
	size_t queued = 0;
	sqlite3 *db;

	memset(q, 0, sizeof(q));
	for (size_t i = 0; i < 6; i++) {
		snprintf(keys[i], sizeof(keys[i]), "A/%zu", i + 1);
		q[i].contract = "A";
		q[i].name = "llPaymentOverdue";
		q[i].day = 100;
		q[i].key = keys[i];
		q[i].payload = "";
	}
	assert_int_equal(
	    ledger_queue(l, NULL, 0, q, 6, &queued, f->err, sizeof(f->err)), 0);
	assert_int_equal(queued, 6);
	assert_int_equal(
	    ledger_outbox_sent_many(l, NULL, 0, true, f->err, sizeof(f->err)),
	    0);

	assert_int_equal(
	    ledger_outbox_sent_many(l, first, 3, true, f->err, sizeof(f->err)),
	    0);
	pending_ids(l, f, ids, sizeof(ids));
	assert_string_equal(ids, "1,3,6");
	/* one already marked: the other is, the first stays as it was */
	assert_int_equal(
	    ledger_outbox_sent_many(l, again, 2, true, f->err, sizeof(f->err)),
	    0);
	pending_ids(l, f, ids, sizeof(ids));
	assert_string_equal(ids, "1,6");

	/* A batch that fails half-way marks none of it. */
	db = raw_open(f);
	assert_int_equal(
	    sqlite3_exec(db,
			 "CREATE TRIGGER test_fail BEFORE UPDATE ON outbox "
			 "WHEN NEW.id = 6 BEGIN SELECT RAISE(ABORT, 'no'); "
			 "END",
			 NULL, NULL, NULL),
	    SQLITE_OK);
	assert_int_equal(
	    ledger_outbox_sent_many(l, bad, 2, true, f->err, sizeof(f->err)),
	    -1);
	pending_ids(l, f, ids, sizeof(ids));
	assert_string_equal(ids, "1,6");
	assert_int_equal(
	    sqlite3_exec(db, "DROP TRIGGER test_fail", NULL, NULL, NULL),
	    SQLITE_OK);
	/* Another writer holds the ledger: without waiting, 1 at once and
	 * nothing marked. */
	assert_int_equal(sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL),
			 SQLITE_OK);
	assert_int_equal(
	    ledger_outbox_sent_many(l, bad, 2, false, f->err, sizeof(f->err)),
	    1);
	assert_int_equal(sqlite3_exec(db, "COMMIT", NULL, NULL, NULL),
			 SQLITE_OK);
	sqlite3_close(db);
	pending_ids(l, f, ids, sizeof(ids));
	assert_string_equal(ids, "1,6");
	assert_int_equal(
	    ledger_outbox_sent_many(l, bad, 2, true, f->err, sizeof(f->err)),
	    0);
	pending_ids(l, f, ids, sizeof(ids));
	assert_string_equal(ids, "");

	ro = open_ro(f);
	assert_int_equal(
	    ledger_outbox_sent_many(ro, again, 2, true, f->err, sizeof(f->err)),
	    -1);
	assert_non_null(strstr(f->err, "read-only"));
	ledger_close(ro);
	ledger_close(l);
}

/* Pruning deletes old sent notifications, never one waiting, never a
 * recent one, never the last service notification of a contract. */
void
test_outbox_prune(void **state)
{
	static const char *const service[] = {"llContractSuspended",
					      "llContractRestored"};
	struct fixture *f = *state;
	struct ledger *l = open_rw(f), *ro;
	struct ledger_notification q[] = {
	    {.contract = "A",
	     .name = "llPaymentOverdue",
	     .day = 100,
	     .key = "A/1"},
	    {.contract = "A",
	     .name = "llContractSuspended",
	     .day = 110,
	     .key = "A/2"},
	    {.contract = "A",
	     .name = "llContractRestored",
	     .day = 120,
	     .key = "A/3"},
	    {.contract = "A",
	     .name = "llPaymentDueSoon",
	     .day = 130,
	     .key = "A/4"},
	    {.contract = "B",
	     .name = "llContractSuspended",
	     .day = 90,
	     .key = "B/1"},
	    {.contract = "B",
	     .name = "llPaymentOverdue",
	     .day = 95,
	     .key = "B/2"},
	    {.contract = "A",
	     .name = "llPaymentOverdue",
	     .day = 500,
	     .key = "A/5"},
	};
	size_t nq = sizeof(q) / sizeof(q[0]), queued = 0, deleted = 99;
	char keys[256], *last = NULL;
	int64_t id;

	for (size_t i = 0; i < nq; i++)
		q[i].payload = "";
	assert_int_equal(
	    ledger_queue(l, NULL, 0, q, nq, &queued, f->err, sizeof(f->err)),
	    0);
	assert_int_equal(queued, nq);
	/* every one sent but A/4 */
	for (int64_t i = 1; i <= (int64_t)nq; i++)
		if (i != 4)
			assert_int_equal(
			    ledger_outbox_sent(l, i, f->err, sizeof(f->err)),
			    0);

	assert_int_equal(ledger_outbox_prune(l, 200, service, 2, &deleted,
					     f->err, sizeof(f->err)),
			 0);
	assert_int_equal(deleted, 3);
	outbox_keys(f, keys, sizeof(keys));
	assert_string_equal(keys, "A/3,A/4,B/1,A/5");
	assert_int_equal(ledger_outbox_last(l, "A", service, 2, &id, &last,
					    f->err, sizeof(f->err)),
			 0);
	assert_int_equal(id, 3);
	assert_string_equal(last, "llContractRestored");
	free(last);

	/* Nothing more to prune; a later day prunes A/5 too. */
	assert_int_equal(ledger_outbox_prune(l, 200, service, 2, &deleted,
					     f->err, sizeof(f->err)),
			 0);
	assert_int_equal(deleted, 0);
	assert_int_equal(ledger_outbox_prune(l, 501, service, 2, &deleted,
					     f->err, sizeof(f->err)),
			 0);
	assert_int_equal(deleted, 1);
	outbox_keys(f, keys, sizeof(keys));
	assert_string_equal(keys, "A/3,A/4,B/1");
	ledger_close(l);

	ro = open_ro(f);
	assert_int_equal(ledger_outbox_prune(ro, 1000, service, 2, &deleted,
					     f->err, sizeof(f->err)),
			 -1);
	assert_err_has(f->err, "is open read-only: cannot prune the outbox");
	ledger_close(ro);
}

/* The count of rows of `table` whose key is `key`. */
static int
rows_keyed(struct fixture *f, const char *table, const char *key)
{
	sqlite3 *db = raw_open(f);
	sqlite3_stmt *st;
	char sql[96];
	int n = -1;

	snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s WHERE key = ?1",
		 table);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return n;
}

/* Issue 12, defect 3: notify.c used to cut event keys to 159 octets, so
 * that every event of a contract numbered with 160 octets or more had one
 * key, and contracts sharing their first 159 octets shared keys.  An
 * existing ledger holds the one event that got through under the cut
 * key: queued again under its whole key, that very event (same contract,
 * notification, day and payload; same transition) is recognised and not
 * told again; the others that shared its cut key are queued. */
void
test_cut_keys(void **state)
{
	struct fixture *f = *state;
	struct ledger *l = open_rw(f);
	char a[200], b[200], a_over[256], a_susp[256], b_over[256], cut[160];
	size_t queued = 99;
	int64_t id;

	memset(a, 'x', 170);
	memcpy(b, a, 170);
	strcpy(a + 170, "-A");
	strcpy(b + 170, "-B");
	snprintf(a_over, sizeof(a_over), "%s/overdue/1/0", a);
	snprintf(a_susp, sizeof(a_susp), "%s/suspended/19388/1/nonpayment", a);
	snprintf(b_over, sizeof(b_over), "%s/overdue/1/0", b);
	/* cut as notify.c's snprintf() into char[160] did */
	memcpy(cut, a_over, sizeof(cut) - 1);
	cut[sizeof(cut) - 1] = '\0';
	assert_int_equal(strlen(cut), 159);

	struct ledger_transition t[] = {
	    {.contract = a,
	     .day = 100,
	     .what = "installment 1",
	     .from = 2,
	     .to = 3,
	     .key = a_over},
	    {.contract = a,
	     .day = 130,
	     .what = "service",
	     .from = 1,
	     .to = 2,
	     .key = a_susp},
	    {.contract = b,
	     .day = 100,
	     .what = "installment 1",
	     .from = 2,
	     .to = 3,
	     .key = b_over},
	};
	struct ledger_notification q[] = {
	    {.contract = a,
	     .name = "llPaymentOverdue",
	     .day = 100,
	     .key = a_over,
	     .payload = "1.2 s 41\n"},
	    {.contract = a,
	     .name = "llContractSuspended",
	     .day = 130,
	     .key = a_susp,
	     .payload = "1.2 s 41\n"},
	    {.contract = b,
	     .name = "llPaymentOverdue",
	     .day = 100,
	     .key = b_over,
	     .payload = "1.2 s 42\n"},
	};

	/* the ledger as the old notify.c left it: A's overdue under the
	 * cut key, told */
	t[0].key = q[0].key = cut;
	assert_int_equal(
	    ledger_queue(l, t, 1, q, 1, &queued, f->err, sizeof(f->err)), 0);
	assert_int_equal(queued, 1);
	assert_int_equal(ledger_outbox_sent(l, 1, f->err, sizeof(f->err)), 0);
	t[0].key = q[0].key = a_over;

	/* the same events computed again, with whole keys */
	assert_int_equal(
	    ledger_queue(l, t, 3, q, 3, &queued, f->err, sizeof(f->err)), 0);
	assert_int_equal(queued, 2);
	assert_int_equal(rows_keyed(f, "outbox", cut), 0);
	assert_int_equal(rows_keyed(f, "outbox", a_over), 1);
	assert_int_equal(rows_keyed(f, "outbox", a_susp), 1);
	assert_int_equal(rows_keyed(f, "outbox", b_over), 1);
	assert_int_equal(rows_keyed(f, "transitions", cut), 0);
	assert_int_equal(rows_keyed(f, "transitions", a_over), 1);
	assert_int_equal(rows_keyed(f, "transitions", a_susp), 1);
	assert_int_equal(rows_keyed(f, "transitions", b_over), 1);

	/* A's overdue is still the one told: only the other two wait */
	struct ledger_notification *v = NULL;
	size_t n = 0;

	assert_int_equal(
	    ledger_outbox_pending(l, 10, &v, &n, f->err, sizeof(f->err)), 0);
	assert_int_equal(n, 2);
	assert_string_equal(v[0].key, a_susp);
	assert_string_equal(v[1].key, b_over);
	id = v[0].id;
	ledger_notifications_free(v, n);
	assert_true(id > 1);

	/* and again: nothing new */
	assert_int_equal(
	    ledger_queue(l, t, 3, q, 3, &queued, f->err, sizeof(f->err)), 0);
	assert_int_equal(queued, 0);
	ledger_close(l);
}
