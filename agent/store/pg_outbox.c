/*
 * pg_outbox.c: the PostgreSQL engine's notification outbox (issue 4), as
 * sqlite_outbox.c keeps it: each event's transition and notification are
 * recorded once under their unique key (INSERT ... ON CONFLICT DO
 * NOTHING), marked sent when the master agent acknowledged them, and
 * pruned long after.  Only the daemon writes here.
 *
 * Several agents share this outbox (issue 17, item 4), each under its own
 * snmpd, and each notification is sent once across them:
 * - Queueing: the keys are unique, so an agent evaluating an event
 *   another one queued already queues nothing new (ON CONFLICT DO
 *   NOTHING waits for the other's transaction, then does nothing).
 * - Sending: ledger_pg_outbox_pending claims what it returns, in one
 *   statement: claimed_by = this agent, claimed_until = now() +
 *   LEDGER_PG_CLAIM_SECONDS (the server's clock, so the hosts' clocks do
 *   not matter), over the oldest rows not sent and not claimed by another
 *   agent whose claim still holds, FOR UPDATE SKIP LOCKED, so that two
 *   agents looking at once take different rows and neither waits.  An
 *   agent's own claims come back to it (notify_send.c skips those in
 *   flight, and sends again one whose answer is overdue), and each look
 *   renews them.  A mark (sent) clears the claim.
 * - A dead agent's claims expire after LEDGER_PG_CLAIM_SECONDS, and
 *   another agent (or the same one restarted: a new identity) sends them.
 * - "Once": a notification is told at most once more per agent crash.
 *   An agent that dies after its master accepted a notification and
 *   before the mark was committed (the window notify_send.c describes:
 *   up to NOTIFY_AGENTX_WINDOW in flight, and the answers of one turn of
 *   its loop) leaves those rows unsent; they are sent again once the
 *   claim expires.  Nothing is lost: a row is marked only once accepted.
 * - The agent's identity, claimed_by: "host:pid:open", the host name, the
 *   process and the struct ledger of this open (the serving thread's own
 *   open, engine.h), fixed from the open to the close; a reconnect keeps
 *   it.
 *
 * What else several agents share, and why it may be shared:
 * - transitions: keyed as the outbox is, recorded once by whichever
 *   agent evaluates the event first.
 * - meta: the daemon's one named integer is first_day (service.c), the
 *   first day evaluated with this ledger; it is the ledger's, not an
 *   agent's, so it stays shared: a second agent tells from the ledger's
 *   first day, and what it would tell again is there under its key.
 * - prune: the same rule from every agent (sent, older than the keep
 *   days, but the newest service notification of each contract), over
 *   every contract; two agents pruning at once delete the same rows.
 * - reconcile (notify_rules.c): its key names the last service
 *   notification of the contract (its outbox id), the same row for every
 *   agent, so a correction is queued once, whichever agent sees it.
 * - Not shared: llConfigRejected tells of one agent's configuration, so
 *   it goes out through that agent's snmpd only.  Its key begins with the
 *   agent's identity (ledger.h's ledger_set_agent: "agent/HOST/HASH/",
 *   the host name and the hashed absolute path of the configuration
 *   file; not claimed_by, which changes with each start), so two agents
 *   refusing a reload in the same second queue two rows, and the pending
 *   query above returns such a row only to the agent of that identity,
 *   or to it restarted.  Rows under llConfigRejected's older keys
 *   ("config/rejected/SECOND/COUNT", which no identity begins) stay
 *   anyone's: an upgraded ledger loses none.  The claim works on these
 *   rows as on the rest (one agent's two connections, a restart).
 *
 * Keys cut to LEDGER_CUT_KEY_LEN octets (engine.h) are SQLite's past
 * only: no PostgreSQL ledger was written before issue 12, so nothing here
 * looks for them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "store/pg_engine.h"

/* The error code PostgreSQL gives a NOWAIT lock it cannot take. */
#define LEDGER_PG_LOCK_NOT_AVAILABLE "55P03"

const char *
ledger_pg_agent(const struct ledger *l, char *buf, size_t buflen)
{
	char host[LEDGER_PG_AGENTLEN / 2];

	if (gethostname(host, sizeof(host)) != 0)
		snprintf(host, sizeof(host), "unknown");
	host[sizeof(host) - 1] = '\0';
	snprintf(buf, buflen, "%s:%ld:%p", host, (long)getpid(),
		 (const void *)l);
	return buf;
}

int
ledger_pg_queue(struct ledger *l, const struct ledger_transition *t, size_t nt,
		const struct ledger_notification *q, size_t nq, size_t *queued,
		char *err, size_t errlen)
{
	char day[LEDGER_PG_INTLEN], a[LEDGER_PG_INTLEN], b[LEDGER_PG_INTLEN],
	    now[LEDGER_PG_INTLEN];
	size_t added = 0;
	PGresult *res;
	bool own;

	ledger_pg_int(now, (int64_t)time(NULL));
	/* Inside a batch, the batch's transaction holds these rows too. */
	own = !ledger_pg_in_transaction(l);
	if (own && ledger_pg_run(l, "BEGIN", 0, NULL,
				 "cannot queue notifications", err, errlen) < 0)
		return -1;
	for (size_t i = 0; i < nt; i++) {
		const char *p[7] = {t[i].contract,
				    ledger_pg_int(day, t[i].day),
				    t[i].what,
				    ledger_pg_int(a, t[i].from),
				    ledger_pg_int(b, t[i].to),
				    now,
				    t[i].key};

		if (ledger_pg_run(
			l,
			"INSERT INTO transitions (contract, day, what, "
			"from_state, to_state, recorded_at, key) "
			"VALUES ($1, $2, $3, $4, $5, $6, $7) "
			"ON CONFLICT DO NOTHING",
			7, p, "cannot record transitions", err, errlen) < 0)
			goto fail;
	}
	for (size_t i = 0; i < nq; i++) {
		const char *p[6] = {q[i].contract,
				    q[i].name,
				    ledger_pg_int(day, q[i].day),
				    q[i].payload ? q[i].payload : "",
				    now,
				    q[i].key};

		res = ledger_pg_exec(l,
				     "INSERT INTO outbox (contract, "
				     "notification, day, payload, created_at, "
				     "key) VALUES ($1, $2, $3, $4, $5, $6) "
				     "ON CONFLICT DO NOTHING",
				     6, p, "cannot queue notifications", err,
				     errlen);
		if (!res)
			goto fail;
		added += strcmp(PQcmdTuples(res), "1") == 0;
		PQclear(res);
	}
	if (own && ledger_pg_run(l, "COMMIT", 0, NULL,
				 "cannot queue notifications", err, errlen) < 0)
		goto fail;
	if (queued)
		*queued = added;
	return 0;
fail:
	/* As in SQLite: a failure inside a batch rolls the batch back. */
	ledger_pg_rollback(l);
	return -1;
}

int
ledger_pg_read_notification(PGresult *res, int row,
			    struct ledger_notification *q)
{
	q->id = ledger_pg_getint(res, row, 0);
	q->contract = ledger_pg_getstr(res, row, 1);
	q->name = ledger_pg_getstr(res, row, 2);
	q->day = (ll_day)ledger_pg_getint(res, row, 3);
	q->key = ledger_pg_getstr(res, row, 4);
	q->payload = ledger_pg_getstr(res, row, 5);
	q->created_at = ledger_pg_getint(res, row, 6);
	return q->contract && q->name && q->key && q->payload ? 0 : -1;
}

int
ledger_pg_outbox_pending(struct ledger *l, size_t max,
			 struct ledger_notification **out, size_t *n, char *err,
			 size_t errlen)
{
	char lim[LEDGER_PG_INTLEN], lease[LEDGER_PG_INTLEN],
	    me[LEDGER_PG_AGENTLEN];
	const char *p[6] = {ledger_pg_agent(l, me, sizeof(me)),
			    ledger_pg_int(lim, (int64_t)max),
			    ledger_pg_int(lease, LEDGER_PG_CLAIM_SECONDS),
			    LEDGER_AGENT_CONTRACT,
			    LEDGER_AGENT_PREFIX,
			    l->agent};
	struct ledger_notification *v, *q;
	PGresult *res;
	int rows;

	/* One statement, so one transaction: the claim and the read.  An
	 * agent's own row only to its owner ($6, NULL without an identity,
	 * matches none). */
	res = ledger_pg_exec(
	    l,
	    "WITH c AS (UPDATE outbox SET claimed_by = $1, "
	    "claimed_until = now() + make_interval(secs => $3::int) "
	    "WHERE id IN (SELECT id FROM outbox WHERE sent_at IS NULL AND "
	    "(claimed_until IS NULL OR claimed_until < now() OR "
	    "claimed_by = $1) AND (contract <> $4::text OR "
	    "left(key, length($5::text)) <> $5::text OR "
	    "left(key, length($6::text)) = $6::text) "
	    "ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED) "
	    "RETURNING id, contract, notification, day, key, payload, "
	    "created_at) SELECT * FROM c ORDER BY id",
	    6, p, "cannot claim notifications in the outbox", err, errlen);
	if (!res)
		return -1;
	rows = PQntuples(res);
	v = calloc(max, sizeof(*v));
	if (!v) {
		PQclear(res);
		ledger_seterr(err, errlen, "ledger %s: out of memory", l->path);
		return -1;
	}
	for (int r = 0; r < rows && (size_t)r < max; r++) {
		q = &v[r];
		if (ledger_pg_read_notification(res, r, q) < 0) {
			ledger_seterr(err, errlen,
				      "ledger %s: cannot read the outbox: out "
				      "of memory",
				      l->path);
			ledger_notifications_free(v, (size_t)r + 1);
			PQclear(res);
			return -1;
		}
	}
	PQclear(res);
	*out = v;
	*n = (size_t)rows;
	return 0;
}

int
ledger_pg_outbox_sent(struct ledger *l, int64_t id, char *err, size_t errlen)
{
	char a[LEDGER_PG_INTLEN], b[LEDGER_PG_INTLEN];
	const char *p[2] = {ledger_pg_int(a, id),
			    ledger_pg_int(b, (int64_t)time(NULL))};

	return ledger_pg_run(l,
			     "UPDATE outbox SET sent_at = $2, claimed_by = "
			     "NULL, claimed_until = NULL WHERE id = $1 AND "
			     "sent_at IS NULL",
			     2, p, "cannot mark a notification sent", err,
			     errlen);
}

int
ledger_pg_outbox_sent_many(struct ledger *l, const int64_t *ids, size_t n,
			   bool wait, char *err, size_t errlen)
{
	const char *what = "cannot mark notifications sent";
	char a[LEDGER_PG_INTLEN], b[LEDGER_PG_INTLEN];
	const char *p[2] = {a, ledger_pg_int(b, (int64_t)time(NULL))};
	PGresult *res;
	const char *code;

	if (ledger_pg_run(l, "BEGIN", 0, NULL, what, err, errlen) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		ledger_pg_int(a, ids[i]);
		/* Without waiting, a row another transaction holds (the
		 * evaluation thread's) makes it return 1 at once. */
		if (!wait) {
			res =
			    PQexecParams(l->db,
					 "SELECT id FROM outbox WHERE id = $1 "
					 "FOR UPDATE NOWAIT",
					 1, NULL, p, NULL, NULL, 0);
			code = PQresultErrorField(res, PG_DIAG_SQLSTATE);
			if (PQresultStatus(res) != PGRES_TUPLES_OK && code &&
			    strcmp(code, LEDGER_PG_LOCK_NOT_AVAILABLE) == 0) {
				PQclear(res);
				ledger_pg_rollback(l);
				return 1;
			}
			if (PQresultStatus(res) != PGRES_TUPLES_OK) {
				ledger_pg_err(l, res, err, errlen, what);
				PQclear(res);
				goto fail;
			}
			PQclear(res);
		}
		if (ledger_pg_run(
			l,
			"UPDATE outbox SET sent_at = $2, claimed_by = NULL, "
			"claimed_until = NULL WHERE id = $1 AND sent_at IS "
			"NULL",
			2, p, what, err, errlen) < 0)
			goto fail;
	}
	if (ledger_pg_run(l, "COMMIT", 0, NULL, what, err, errlen) < 0)
		goto fail;
	return 0;
fail:
	ledger_pg_rollback(l);
	return -1;
}

/* "$FIRST, $FIRST+1, ..." for n (1 to 4, ledger.c) names, into in. */
static void
ledger_pg_placeholders(char *in, size_t inlen, int first, size_t n)
{
	size_t off = 0;

	in[0] = '\0';
	for (size_t i = 0; i < n && off < inlen; i++)
		off += (size_t)snprintf(in + off, inlen - off, "%s$%d",
					i ? ", " : "", first + (int)i);
}

int
ledger_pg_outbox_last(struct ledger *l, const char *contract,
		      const char *const *names, size_t n, int64_t *id,
		      char **name, char *err, size_t errlen)
{
	const char *p[5] = {contract};
	char in[32], sql[256];
	PGresult *res;

	for (size_t i = 0; i < n; i++)
		p[1 + i] = names[i];
	ledger_pg_placeholders(in, sizeof(in), 2, n);
	snprintf(sql, sizeof(sql),
		 "SELECT id, notification FROM outbox WHERE contract = $1 "
		 "AND notification IN (%s) ORDER BY id DESC LIMIT 1",
		 in);
	res = ledger_pg_exec(l, sql, 1 + (int)n, p, "cannot read the outbox",
			     err, errlen);
	if (!res)
		return -1;
	if (PQntuples(res) == 1) {
		*id = ledger_pg_getint(res, 0, 0);
		*name = ledger_pg_getstr(res, 0, 1);
		if (!*name) {
			*id = 0;
			ledger_seterr(err, errlen,
				      "ledger %s: cannot read the outbox: out "
				      "of memory",
				      l->path);
			PQclear(res);
			return -1;
		}
	}
	PQclear(res);
	return 0;
}

int
ledger_pg_outbox_prune(struct ledger *l, ll_day before, const char *const *keep,
		       size_t n, size_t *deleted, char *err, size_t errlen)
{
	char day[LEDGER_PG_INTLEN], in[32], sql[384];
	const char *p[5] = {ledger_pg_int(day, before)};
	PGresult *res;

	for (size_t i = 0; i < n; i++)
		p[1 + i] = keep[i];
	ledger_pg_placeholders(in, sizeof(in), 2, n);
	snprintf(sql, sizeof(sql),
		 "DELETE FROM outbox WHERE sent_at IS NOT NULL AND day < $1 "
		 "AND id NOT IN (SELECT max(id) FROM outbox WHERE "
		 "notification IN (%s) GROUP BY contract)",
		 in);
	res = ledger_pg_exec(l, sql, 1 + (int)n, p, "cannot prune the outbox",
			     err, errlen);
	if (!res)
		return -1;
	*deleted = (size_t)strtoul(PQcmdTuples(res), NULL, 10);
	PQclear(res);
	return 0;
}
