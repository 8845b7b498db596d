/*
 * test_ledger_copy.c: `ledger copy` between two SQLite files (part of
 * test_ledger; issue 17 item 6): every row of every table with its id,
 * keys and sent marks, the counts and checksums of both sides equal, a
 * target that is not empty or read-only refused with nothing changed,
 * appends continuing after the copied ids, and a checksum that tells a
 * changed row.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <sqlite3.h>

#include "store/ledger.h"
#include "ledger_fixture.h"

void test_copy_sqlite(void **state);

/* A ledger with each kind of row: entries (a reversal, a note in
 * Chinese), transitions with and without a key, notifications sent and
 * waiting, and a meta value. */
static void
fill(struct fixture *f, struct ledger *l)
{
	struct ledger_transition t[] = {
	    {.contract = "A",
	     .day = 20,
	     .what = "service",
	     .from = 1,
	     .to = 2,
	     .key = "A|service|20"},
	};
	struct ledger_notification q[] = {
	    {.contract = "A",
	     .name = "llContractSuspended",
	     .day = 20,
	     .key = "A|suspended|20",
	     .payload = "note=违规使用"},
	    {.contract = "B",
	     .name = "llPaymentDueSoon",
	     .day = 21,
	     .key = "B|due|21",
	     .payload = ""},
	};
	struct ledger_transition plain = {
	    .contract = "B", .day = 22, .what = "billing", .from = 1, .to = 3};
	struct ledger_notification *pending;
	size_t queued, n;
	int64_t p;

	p = pay(f, l, "A", 10, 100000);
	pay(f, l, "B", 11, 250);
	append(f, l, ENTRY_REVERSAL, "A", 12, 0, p, 0, "退票");
	append(f, l, ENTRY_SUSPEND, "A", 20, 0, 0, 1, "违规使用 线路转租");
	append(f, l, ENTRY_REMINDER, "B", 21, 0, 0, 0, "电话催告");
	assert_int_equal(
	    ledger_queue(l, t, 1, q, 2, &queued, f->err, sizeof(f->err)), 0);
	assert_int_equal(queued, 2);
	assert_int_equal(
	    ledger_add_transition(l, &plain, f->err, sizeof(f->err)), 0);
	assert_int_equal(
	    ledger_outbox_pending(l, 1, &pending, &n, f->err, sizeof(f->err)),
	    0);
	assert_int_equal(n, 1);
	assert_int_equal(
	    ledger_outbox_sent(l, pending[0].id, f->err, sizeof(f->err)), 0);
	ledger_notifications_free(pending, n);
	assert_int_equal(
	    ledger_meta_set(l, "first_day", 19000, f->err, sizeof(f->err)), 0);
}

void
test_copy_sqlite(void **state)
{
	struct fixture *f = *state;
	struct ledger *a = open_rw(f), *b, *ro;
	struct ledger_sums fs, ts, again;
	struct ledger_dump da, db;
	char to[192];
	struct entry e = {0};
	sqlite3 *raw;

	fill(f, a);
	snprintf(to, sizeof(to), "%s/copy.db", f->dir);
	b = ledger_open(to, LEDGER_READ_WRITE, f->err, sizeof(f->err));
	assert_non_null(b);
	assert_int_equal(ledger_copy(a, b, &fs, &ts, f->err, sizeof(f->err)),
			 0);
	assert_memory_equal(&fs, &ts, sizeof(fs));
	assert_int_equal(fs.rows[LEDGER_TABLE_ENTRIES], 5);
	assert_int_equal(fs.rows[LEDGER_TABLE_TRANSITIONS], 2);
	assert_int_equal(fs.rows[LEDGER_TABLE_OUTBOX], 2);
	assert_int_equal(fs.rows[LEDGER_TABLE_META], 1);

	/* Field by field, as the engine-independent reads give them. */
	assert_int_equal(ledger_dump(a, &da, f->err, sizeof(f->err)), 0);
	assert_int_equal(ledger_dump(b, &db, f->err, sizeof(f->err)), 0);
	for (size_t i = 0; i < da.nentries; i++) {
		assert_int_equal(da.entries[i].id, db.entries[i].id);
		assert_int_equal(da.entries[i].reverses,
				 db.entries[i].reverses);
		assert_int_equal(da.entries[i].recorded_at,
				 db.entries[i].recorded_at);
		assert_string_equal(da.entries[i].note, db.entries[i].note);
	}
	assert_string_equal(da.transitions[0].key, db.transitions[0].key);
	assert_null(db.transitions[1].key);
	assert_int_equal(da.outbox[0].sent_at, db.outbox[0].sent_at);
	assert_true(db.outbox[0].sent_at > 0);
	assert_int_equal(db.outbox[1].sent_at, 0);
	assert_string_equal(db.outbox[0].payload, "note=违规使用");
	ledger_dump_free(&da);
	ledger_dump_free(&db);

	/* A target that is not empty: refused, nothing changed. */
	assert_int_equal(ledger_copy(a, b, &fs, &ts, f->err, sizeof(f->err)),
			 -1);
	assert_err_has(f->err, "is not empty: its entries table holds 5 rows");
	assert_int_equal(ledger_dump(b, &db, f->err, sizeof(f->err)), 0);
	ledger_dump_sums(&db, &again);
	ledger_dump_free(&db);
	assert_memory_equal(&again, &ts, sizeof(ts));

	/* Read-only: refused. */
	ro = open_ro(f);
	assert_int_equal(ledger_dump(a, &da, f->err, sizeof(f->err)), 0);
	assert_int_equal(ledger_import(ro, &da, f->err, sizeof(f->err)), -1);
	assert_err_has(f->err, "read-only");
	ledger_dump_free(&da);
	ledger_close(ro);

	/* Appends go on after the copied ids. */
	assert_int_equal(pay(f, b, "A", 30, 5), 6);
	assert_int_equal(ledger_entry(b, 3, &e, f->err, sizeof(f->err)), 0);
	assert_int_equal(e.reverses, 1);
	assert_string_equal(e.note, "退票");
	entry_clear(&e);
	ledger_close(b);

	/* One changed row shows in its table's checksum, and only there. */
	raw = raw_open(f);
	raw_exec(raw, "UPDATE outbox SET sent_at = sent_at + 1 WHERE id = 1");
	sqlite3_close(raw);
	assert_int_equal(ledger_dump(a, &da, f->err, sizeof(f->err)), 0);
	ledger_dump_sums(&da, &again);
	ledger_dump_free(&da);
	assert_int_equal(again.sum[LEDGER_TABLE_ENTRIES],
			 fs.sum[LEDGER_TABLE_ENTRIES]);
	assert_int_equal(again.rows[LEDGER_TABLE_OUTBOX],
			 fs.rows[LEDGER_TABLE_OUTBOX]);
	assert_true(again.sum[LEDGER_TABLE_OUTBOX] !=
		    fs.sum[LEDGER_TABLE_OUTBOX]);
	assert_true(again.all != fs.all);
	ledger_close(a);
}
