/*
 * sqlite.h: the SQLite engine's own header, for its four files only.
 *
 * sqlite.c opens the file (schema, migrations, meta, check) and holds the
 * engine's table; sqlite_entries.c keeps the entries and transitions;
 * sqlite_outbox.c the notification queue; sqlite_copy.c `ledger copy`.
 * l->db is the sqlite3 connection, owned by sqlite.c from
 * ledger_sqlite_open to ledger_sqlite_close; statements are prepared and
 * finalized within one call, so nothing else outlives a call.
 */
#ifndef LL_STORE_SQLITE_H
#define LL_STORE_SQLITE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>

#include "store/engine.h"

/* Long enough for a leaselinectl append to wait out another one. */
#define LEDGER_SQLITE_BUSY_TIMEOUT_MS 5000

/* Helpers of all three files (sqlite.c). */
void ledger_sqlite_err(const struct ledger *l, char *err, size_t errlen,
		       const char *what);
int ledger_sqlite_exec(struct ledger *l, const char *sql, const char *what,
		       char *err, size_t errlen);
void ledger_sqlite_rollback(struct ledger *l);
int ledger_sqlite_prepare(struct ledger *l, const char *sql, sqlite3_stmt **st,
			  const char *what, char *err, size_t errlen);
int ledger_sqlite_query_int(struct ledger *l, const char *sql, int64_t *value,
			    const char *what, char *err, size_t errlen);
char *ledger_sqlite_column_strdup(sqlite3_stmt *st, int col);
int ledger_sqlite_update(struct ledger *l, const char *sql, const char *text,
			 int64_t a, int64_t b, const char *what, char *err,
			 size_t errlen);

/* sqlite_entries.c */
int ledger_sqlite_append(struct ledger *l, struct entry *e, char *err,
			 size_t errlen);
int ledger_sqlite_entries(struct ledger *l, const char *contract,
			  struct entry **out, size_t *n, char *err,
			  size_t errlen);
int ledger_sqlite_entry(struct ledger *l, int64_t id, struct entry *out,
			char *err, size_t errlen);
int ledger_sqlite_add_transition(struct ledger *l, struct ledger_transition *t,
				 char *err, size_t errlen);
int ledger_sqlite_transitions(struct ledger *l, const char *contract,
			      struct ledger_transition **out, size_t *n,
			      char *err, size_t errlen);
int ledger_sqlite_last_entry_id(struct ledger *l, int64_t *id);

/* sqlite_outbox.c */
int ledger_sqlite_queue(struct ledger *l, const struct ledger_transition *t,
			size_t nt, const struct ledger_notification *q,
			size_t nq, size_t *queued, char *err, size_t errlen);
/* Fills q from a row of id, contract, notification, day, key, payload,
 * created_at (columns 0..6); -1 when out of memory. */
int ledger_sqlite_read_notification(sqlite3_stmt *st,
				    struct ledger_notification *q);
int ledger_sqlite_outbox_pending(struct ledger *l, size_t max,
				 struct ledger_notification **out, size_t *n,
				 char *err, size_t errlen);
int ledger_sqlite_outbox_last(struct ledger *l, const char *contract,
			      const char *const *names, size_t n, int64_t *id,
			      char **name, char *err, size_t errlen);
int ledger_sqlite_outbox_prune(struct ledger *l, ll_day before,
			       const char *const *keep, size_t n,
			       size_t *deleted, char *err, size_t errlen);
int ledger_sqlite_outbox_sent(struct ledger *l, int64_t id, char *err,
			      size_t errlen);
int ledger_sqlite_outbox_sent_many(struct ledger *l, const int64_t *ids,
				   size_t n, bool wait, char *err,
				   size_t errlen);

/* sqlite_copy.c: `ledger copy` (engine.h's dump and import) */
int ledger_sqlite_dump(struct ledger *l, struct ledger_dump *d, char *err,
		       size_t errlen);
int ledger_sqlite_import(struct ledger *l, const struct ledger_dump *d,
			 char *err, size_t errlen);

#endif
