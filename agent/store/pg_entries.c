/*
 * pg_entries.c: the PostgreSQL engine's entries (what people record) and
 * transitions (what the daemon computed), as sqlite_entries.c keeps them
 * in SQLite: the same rows, order and messages.  The entries table is
 * append-only (its triggers, pg.c); ledger.c has checked an entry against
 * the shared rules before it gets here.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/pg_engine.h"

#define ENTRY_COLUMNS                                                          \
	"id, kind, contract, day, amount, reverses, reason, note, recorded_at"
#define TRANSITION_COLUMNS                                                     \
	"id, contract, day, what, from_state, to_state, recorded_at"

/* A reversal cancels one existing payment of its own contract, once (the
 * rules are ledger.c's).  Run inside the append's transaction; the unique
 * index entries_reversed_once refuses a second reversal committed by
 * somebody else meanwhile. */
static int
ledger_pg_check_reversal(struct ledger *l, const struct entry *e, char *err,
			 size_t errlen)
{
	char id[LEDGER_PG_INTLEN];
	const char *p[1] = {ledger_pg_int(id, e->reverses)};
	PGresult *res;
	int rc;

	res = ledger_pg_exec(
	    l, "SELECT kind, contract FROM entries WHERE id = $1", 1, p,
	    "cannot look up the reversed entry", err, errlen);
	if (!res)
		return -1;
	rc = ledger_reversal_target_ok(
	    l, e, PQntuples(res) == 1,
	    PQntuples(res) == 1 ? (int)ledger_pg_getint(res, 0, 0) : 0,
	    PQntuples(res) == 1 ? PQgetvalue(res, 0, 1) : NULL, err, errlen);
	PQclear(res);
	if (rc < 0)
		return -1;
	res =
	    ledger_pg_exec(l, "SELECT id FROM entries WHERE reverses = $1", 1,
			   p, "cannot look up earlier reversals", err, errlen);
	if (!res)
		return -1;
	rc = ledger_reversal_once_ok(
	    l, e, PQntuples(res) > 0 ? ledger_pg_getint(res, 0, 0) : 0, err,
	    errlen);
	PQclear(res);
	return rc;
}

int
ledger_pg_append(struct ledger *l, struct entry *e, char *err, size_t errlen)
{
	int64_t now = (int64_t)time(NULL);
	char kind[LEDGER_PG_INTLEN], day[LEDGER_PG_INTLEN],
	    amount[LEDGER_PG_INTLEN], rev[LEDGER_PG_INTLEN],
	    reason[LEDGER_PG_INTLEN], at[LEDGER_PG_INTLEN];
	const char *p[8] = {
	    ledger_pg_int(kind, e->kind),
	    e->contract,
	    ledger_pg_int(day, e->day),
	    ledger_pg_int(amount, e->amount),
	    e->kind == ENTRY_REVERSAL ? ledger_pg_int(rev, e->reverses) : NULL,
	    ledger_pg_int(reason, e->reason),
	    e->note ? e->note : "",
	    ledger_pg_int(at, now),
	};
	PGresult *res;
	int64_t id;

	if (ledger_pg_run(l, "BEGIN", 0, NULL, "cannot start the append", err,
			  errlen) < 0)
		return -1;
	if (e->kind == ENTRY_REVERSAL &&
	    ledger_pg_check_reversal(l, e, err, errlen) < 0)
		goto rollback;
	res =
	    ledger_pg_exec(l,
			   "INSERT INTO entries (kind, contract, day, amount, "
			   "reverses, reason, note, recorded_at) "
			   "VALUES ($1, $2, $3, $4, $5, $6, $7, $8) "
			   "RETURNING id",
			   8, p, "cannot append", err, errlen);
	if (!res)
		goto rollback;
	id = ledger_pg_getint(res, 0, 0);
	PQclear(res);
	if (ledger_pg_run(l, "COMMIT", 0, NULL, "cannot commit the append", err,
			  errlen) < 0)
		goto rollback;
	e->id = id;
	e->recorded_at = now;
	return 0;

rollback:
	ledger_pg_rollback(l);
	return -1;
}

/* Fills e from row r of ENTRY_COLUMNS; on failure e holds nothing. */
static int
ledger_pg_read_entry(const PGresult *res, int r, struct entry *e)
{
	memset(e, 0, sizeof(*e));
	e->id = ledger_pg_getint(res, r, 0);
	e->kind = (enum entry_kind)ledger_pg_getint(res, r, 1);
	e->day = (ll_day)ledger_pg_getint(res, r, 3);
	e->amount = ledger_pg_getint(res, r, 4);
	e->reverses = ledger_pg_getint(res, r, 5); /* NULL reads as 0 */
	e->reason = (int)ledger_pg_getint(res, r, 6);
	e->recorded_at = ledger_pg_getint(res, r, 8);
	e->contract = ledger_pg_getstr(res, r, 2);
	e->note = ledger_pg_getstr(res, r, 7);
	if (!e->contract || !e->note) {
		entry_clear(e);
		return -1;
	}
	return 0;
}

/*
 * Entries sort by contract as SQLite's BINARY collation does (octets):
 * COLLATE "C", whatever the database's locale.
 */
int
ledger_pg_entries(struct ledger *l, const char *contract, struct entry **out,
		  size_t *n, char *err, size_t errlen)
{
	const char *p[1] = {contract};
	struct entry *v;
	PGresult *res;
	int rows;

	res = ledger_pg_exec(
	    l,
	    contract ? "SELECT " ENTRY_COLUMNS " FROM entries WHERE contract = "
		       "$1 ORDER BY contract COLLATE \"C\", day, id"
		     : "SELECT " ENTRY_COLUMNS " FROM entries"
		       " ORDER BY contract COLLATE \"C\", day, id",
	    contract ? 1 : 0, p, "cannot read entries", err, errlen);
	if (!res)
		return -1;
	rows = PQntuples(res);
	v = calloc(rows > 0 ? (size_t)rows : 1, sizeof(*v));
	if (!v)
		goto nomem;
	for (int r = 0; r < rows; r++)
		if (ledger_pg_read_entry(res, r, &v[r]) < 0) {
			entry_array_free(v, (size_t)r);
			goto nomem;
		}
	PQclear(res);
	*out = v;
	*n = (size_t)rows;
	return 0;

nomem:
	PQclear(res);
	ledger_seterr(err, errlen,
		      "ledger %s: cannot read entries: out of memory", l->path);
	return -1;
}

int
ledger_pg_entry(struct ledger *l, int64_t id, struct entry *out, char *err,
		size_t errlen)
{
	char v[LEDGER_PG_INTLEN];
	const char *p[1] = {ledger_pg_int(v, id)};
	PGresult *res;
	int ret = 0;

	res = ledger_pg_exec(
	    l, "SELECT " ENTRY_COLUMNS " FROM entries WHERE id = $1", 1, p,
	    "cannot read an entry", err, errlen);
	if (!res)
		return -1;
	if (PQntuples(res) == 0) {
		ret = 1;
	} else if (ledger_pg_read_entry(res, 0, out) < 0) {
		ledger_seterr(
		    err, errlen,
		    "ledger %s: cannot read entry %lld: out of memory", l->path,
		    (long long)id);
		ret = -1;
	}
	PQclear(res);
	return ret;
}

int
ledger_pg_add_transition(struct ledger *l, struct ledger_transition *t,
			 char *err, size_t errlen)
{
	int64_t now = (int64_t)time(NULL);
	char day[LEDGER_PG_INTLEN], from[LEDGER_PG_INTLEN],
	    to[LEDGER_PG_INTLEN], at[LEDGER_PG_INTLEN];
	const char *p[6] = {t->contract,
			    ledger_pg_int(day, t->day),
			    t->what,
			    ledger_pg_int(from, t->from),
			    ledger_pg_int(to, t->to),
			    ledger_pg_int(at, now)};
	PGresult *res;

	/* One statement: outside a batch, a transaction of its own. */
	res = ledger_pg_exec(l,
			     "INSERT INTO transitions (contract, day, what, "
			     "from_state, to_state, recorded_at) "
			     "VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
			     6, p, "cannot record a transition", err, errlen);
	if (!res)
		return -1;
	t->id = ledger_pg_getint(res, 0, 0);
	t->recorded_at = now;
	PQclear(res);
	return 0;
}

int
ledger_pg_transitions(struct ledger *l, const char *contract,
		      struct ledger_transition **out, size_t *n, char *err,
		      size_t errlen)
{
	const char *p[1] = {contract};
	struct ledger_transition *v, *t;
	PGresult *res;
	int rows;

	res = ledger_pg_exec(
	    l,
	    contract ? "SELECT " TRANSITION_COLUMNS " FROM transitions WHERE "
		       "contract = $1 ORDER BY contract COLLATE \"C\", day, id"
		     : "SELECT " TRANSITION_COLUMNS " FROM transitions"
		       " ORDER BY contract COLLATE \"C\", day, id",
	    contract ? 1 : 0, p, "cannot read transitions", err, errlen);
	if (!res)
		return -1;
	rows = PQntuples(res);
	v = calloc(rows > 0 ? (size_t)rows : 1, sizeof(*v));
	if (!v)
		goto nomem;
	for (int r = 0; r < rows; r++) {
		t = &v[r];
		t->id = ledger_pg_getint(res, r, 0);
		t->day = (ll_day)ledger_pg_getint(res, r, 2);
		t->from = (int)ledger_pg_getint(res, r, 4);
		t->to = (int)ledger_pg_getint(res, r, 5);
		t->recorded_at = ledger_pg_getint(res, r, 6);
		t->contract = ledger_pg_getstr(res, r, 1);
		t->what = ledger_pg_getstr(res, r, 3);
		if (!t->contract || !t->what) {
			ledger_transitions_free(v, (size_t)r + 1);
			goto nomem;
		}
	}
	PQclear(res);
	*out = v;
	*n = (size_t)rows;
	return 0;

nomem:
	PQclear(res);
	ledger_seterr(err, errlen,
		      "ledger %s: cannot read transitions: out of memory",
		      l->path);
	return -1;
}

/* max(id) is sound because appends commit in id order (pg.c). */
int
ledger_pg_last_entry_id(struct ledger *l, int64_t *id)
{
	return ledger_pg_query_int(
	    l, "SELECT coalesce(max(id), 0) FROM entries", 0, NULL, id,
	    "cannot read the newest entry", NULL, 0);
}

/* The count of committed appends (ledger_changes, pg.c): it changes when
 * any connection commits an entry, this one's included.  Unlike SQLite's
 * PRAGMA data_version, the daemon's own transitions and outbox writes do
 * not change it. */
int
ledger_pg_data_version(struct ledger *l, int64_t *version)
{
	return ledger_pg_query_int(l, "SELECT n FROM ledger_changes", 0, NULL,
				   version, "cannot read the data version",
				   NULL, 0);
}
