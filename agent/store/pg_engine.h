/*
 * pg_engine.h: the PostgreSQL engine's own header, for its four files
 * only (pg.c: connection, schema, meta, check and the engine's table;
 * pg_entries.c: entries and transitions; pg_outbox.c: the notification
 * queue; pg_copy.c: `ledger copy`).
 *
 * l->db is the PGconn, owned by pg.c from ledger_pg_open to
 * ledger_pg_close; results are cleared within one call, so nothing else
 * outlives a call.  Every statement that carries a value passes it as a
 * bound parameter (PQexecParams, text format): nothing from a contract,
 * a note or a key is ever spliced into SQL.
 */
#ifndef LL_STORE_PG_ENGINE_H
#define LL_STORE_PG_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libpq-fe.h>

#include "store/engine.h"
#include "store/pg.h"

/* Room for an int64 as decimal text, a parameter's form. */
#define LEDGER_PG_INTLEN 24

/* pg.c: helpers of all three files */
/* "ledger URI: what: PostgreSQL's words" (from res, else the
 * connection); call it before a ROLLBACK, which would replace them. */
void ledger_pg_err(const struct ledger *l, const PGresult *res, char *err,
		   size_t errlen, const char *what);
/* Runs sql with the n text parameters p (NULL: SQL NULL); the result
 * when it succeeded (the caller clears it), NULL with err set. */
PGresult *ledger_pg_exec(struct ledger *l, const char *sql, int n,
			 const char *const *p, const char *what, char *err,
			 size_t errlen);
/* The same for a statement whose result is not needed: 0 or -1. */
int ledger_pg_run(struct ledger *l, const char *sql, int n,
		  const char *const *p, const char *what, char *err,
		  size_t errlen);
void ledger_pg_rollback(struct ledger *l);
/* Whether a transaction (a batch) is open on the connection. */
bool ledger_pg_in_transaction(const struct ledger *l);
const char *ledger_pg_int(char *buf, int64_t v);
int64_t ledger_pg_getint(const PGresult *res, int row, int col);
char *ledger_pg_getstr(const PGresult *res, int row, int col);
/* Runs sql (parameters p) for one integer; -1 with err set. */
int ledger_pg_query_int(struct ledger *l, const char *sql, int n,
			const char *const *p, int64_t *value, const char *what,
			char *err, size_t errlen);

/* pg_entries.c */
int ledger_pg_append(struct ledger *l, struct entry *e, char *err,
		     size_t errlen);
int ledger_pg_entries(struct ledger *l, const char *contract,
		      struct entry **out, size_t *n, char *err, size_t errlen);
int ledger_pg_entry(struct ledger *l, int64_t id, struct entry *out, char *err,
		    size_t errlen);
int ledger_pg_add_transition(struct ledger *l, struct ledger_transition *t,
			     char *err, size_t errlen);
int ledger_pg_transitions(struct ledger *l, const char *contract,
			  struct ledger_transition **out, size_t *n, char *err,
			  size_t errlen);
int ledger_pg_last_entry_id(struct ledger *l, int64_t *id);
int ledger_pg_data_version(struct ledger *l, int64_t *version);

/* pg_outbox.c */
/* How long an agent's claim on a pending notification holds (seconds):
 * longer than notify_send.c's wait for the master's answer (10 s), so a
 * living agent renews it before it runs out; a dead agent's claims are
 * sent by another agent after it. */
#define LEDGER_PG_CLAIM_SECONDS 30
/* Room for an agent's identity, "host:pid:open". */
#define LEDGER_PG_AGENTLEN 160
/* This open's identity as claimed_by records it, into buf. */
const char *ledger_pg_agent(const struct ledger *l, char *buf, size_t buflen);
int ledger_pg_queue(struct ledger *l, const struct ledger_transition *t,
		    size_t nt, const struct ledger_notification *q, size_t nq,
		    size_t *queued, char *err, size_t errlen);
/* Fills q from row of a result of id, contract, notification, day, key,
 * payload, created_at (columns 0..6); -1 when out of memory. */
int ledger_pg_read_notification(PGresult *res, int row,
				struct ledger_notification *q);
int ledger_pg_outbox_pending(struct ledger *l, size_t max,
			     struct ledger_notification **out, size_t *n,
			     char *err, size_t errlen);
int ledger_pg_outbox_last(struct ledger *l, const char *contract,
			  const char *const *names, size_t n, int64_t *id,
			  char **name, char *err, size_t errlen);
int ledger_pg_outbox_prune(struct ledger *l, ll_day before,
			   const char *const *keep, size_t n, size_t *deleted,
			   char *err, size_t errlen);
int ledger_pg_outbox_sent(struct ledger *l, int64_t id, char *err,
			  size_t errlen);
int ledger_pg_outbox_sent_many(struct ledger *l, const int64_t *ids, size_t n,
			       bool wait, char *err, size_t errlen);

/* pg_copy.c: `ledger copy` (engine.h's dump and import) */
int ledger_pg_dump(struct ledger *l, struct ledger_dump *d, char *err,
		   size_t errlen);
int ledger_pg_import(struct ledger *l, const struct ledger_dump *d, char *err,
		     size_t errlen);

#endif
