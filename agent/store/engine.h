/*
 * engine.h: what a ledger engine implements, for store/ only.
 *
 * ledger.h is the interface every caller uses; ledger.c checks the
 * arguments and the rules any engine shares (which entries may be
 * recorded, read-only refusals, the names of kinds) and then calls the
 * engine that struct ledger points to.  An engine keeps the entries, the
 * transitions, the outbox and the daemon's meta values durable in its own
 * way.  Adding an engine (issue 17: PostgreSQL, picked by a postgresql://
 * ledger setting) is a new file that defines a struct ledger_engine, its
 * declaration here and one line in ledger.c's ledger_engines[]; nothing
 * in core/ or snmp/ changes.
 *
 * Threads: a struct ledger is used by one thread at a time (when
 * leaselined runs threaded, its evaluation and serving threads each open
 * their own); an engine needs no locking of its own.
 */
#ifndef LL_STORE_ENGINE_H
#define LL_STORE_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/ledger.h"

struct ledger_engine;

/* Owned by ledger.c (allocated by ledger_open, freed by ledger_close);
 * the engine owns what db points to, from its open to its close. */
struct ledger {
	const struct ledger_engine *engine;
	void *db;   /* the engine's connection: a sqlite3 * for SQLite */
	char *path; /* the ledger setting as given, for messages */
	enum ledger_mode mode;
	/* ledger_change_fd was called: the engine keeps l subscribed to
	 * the entries others append, across its reconnections; missed
	 * until the next ledger_changes says so once (re)subscribed. */
	bool listening, missed;
	/* ledger_set_agent's identity, "agent/HOST/HASH/"; NULL until set:
	 * outbox_pending returns an agent's own rows only to it. */
	char *agent;
};

/*
 * An engine's operations.  ledger.c has checked, before any call: l and
 * the out-pointers are not NULL, a writing call is made on a
 * LEDGER_READ_WRITE ledger, an entry or transition passed the shared
 * rules, a list of names holds 1 to 4 of them, and a call with nothing to
 * do never reaches the engine.  Each returns as its ledger_* function in
 * ledger.h does, with the same messages in err.
 */
struct ledger_engine {
	const char *name;
	/* Whether this engine keeps the ledger named by path. */
	bool (*accepts)(const char *path);
	/* path as a message may show it, a password left out, into buf;
	 * NULL when the engine's paths hold none (a file name). */
	const char *(*redact)(const char *path, char *buf, size_t buflen);
	/* Sets l->db; on failure leaves nothing open. */
	int (*open)(struct ledger *l, char *err, size_t errlen);
	void (*close)(struct ledger *l);
	int (*verify)(struct ledger *l, char *err, size_t errlen);

	/* The entries people record, and the transitions the daemon
	 * computed.  append checks a reversal's target (with
	 * ledger_reversal_target_ok and ledger_reversal_once_ok) inside
	 * the transaction that inserts it. */
	int (*append)(struct ledger *l, struct entry *e, char *err,
		      size_t errlen);
	int (*entries)(struct ledger *l, const char *contract,
		       struct entry **out, size_t *n, char *err, size_t errlen);
	int (*entry)(struct ledger *l, int64_t id, struct entry *out, char *err,
		     size_t errlen);
	int (*add_transition)(struct ledger *l, struct ledger_transition *t,
			      char *err, size_t errlen);
	int (*transitions)(struct ledger *l, const char *contract,
			   struct ledger_transition **out, size_t *n, char *err,
			   size_t errlen);
	int (*last_entry_id)(struct ledger *l, int64_t *id);
	int (*data_version)(struct ledger *l, int64_t *version);
	/* Optional, NULL when the engine tells nothing (SQLite: callers
	 * poll last_entry_id): ledger.h's ledger_change_fd and
	 * ledger_changes. */
	int (*change_fd)(struct ledger *l);
	int (*changes)(struct ledger *l, ledger_change_fn *fn, void *arg,
		       bool *missed);

	/* The outbox the daemon writes. */
	int (*queue)(struct ledger *l, const struct ledger_transition *t,
		     size_t nt, const struct ledger_notification *q, size_t nq,
		     size_t *queued, char *err, size_t errlen);
	int (*batch_begin)(struct ledger *l, char *err, size_t errlen);
	int (*batch_commit)(struct ledger *l, char *err, size_t errlen);
	void (*batch_abort)(struct ledger *l);
	int (*outbox_pending)(struct ledger *l, size_t max,
			      struct ledger_notification **out, size_t *n,
			      char *err, size_t errlen);
	int (*outbox_last)(struct ledger *l, const char *contract,
			   const char *const *names, size_t n, int64_t *id,
			   char **name, char *err, size_t errlen);
	int (*outbox_prune)(struct ledger *l, ll_day before,
			    const char *const *keep, size_t n, size_t *deleted,
			    char *err, size_t errlen);
	int (*outbox_sent)(struct ledger *l, int64_t id, char *err,
			   size_t errlen);
	int (*outbox_sent_many)(struct ledger *l, const int64_t *ids, size_t n,
				bool wait, char *err, size_t errlen);

	/* The daemon's named integers. */
	int (*meta_get)(struct ledger *l, const char *name, int64_t *value,
			bool *found, char *err, size_t errlen);
	int (*meta_set)(struct ledger *l, const char *name, int64_t value,
			char *err, size_t errlen);

	/* `ledger copy` (issue 17 item 6, store/copy.c; the engines'
	 * sqlite_copy.c and pg_copy.c).  dump reads every transition and
	 * notification in id order and the meta values by name into d
	 * (its entries are ledger_entries'); import writes all of d, ids
	 * kept, in one transaction into a ledger with no row in any table
	 * (else refused, naming what it holds), and moves the ids on past
	 * the highest. */
	int (*dump)(struct ledger *l, struct ledger_dump *d, char *err,
		    size_t errlen);
	int (*import)(struct ledger *l, const struct ledger_dump *d, char *err,
		      size_t errlen);
};

/* The engines of this build (store/sqlite.c, store/pg.c). */
extern const struct ledger_engine ledger_sqlite_engine;
extern const struct ledger_engine ledger_pg_engine;

/*
 * Before issue 12, notify.c cut event keys to 159 octets, so a ledger it
 * wrote may hold, under the first 159 octets of its key, an event whose
 * whole key is longer.  Queued again under its whole key, the event is
 * that row when everything else the row records is the same (contract,
 * day, and the notification's name and payload, or the transition's
 * states): an engine gives the row the whole key, so that the event is
 * not told or recorded a second time.  The other events that shared the
 * cut key differ in what they record, were never told, and are queued.
 * Should the whole key be there already, the row stays as it is.
 */
#define LEDGER_CUT_KEY_LEN 159

/* 64-bit FNV-1a, the store's one hash: copy.c's checksums and
 * ledger.c's agent identity. */
#define LEDGER_FNV_OFFSET 14695981039346656037ULL
#define LEDGER_FNV_PRIME  1099511628211ULL

/* The rules every engine shares (ledger.c). */
void ledger_seterr(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
const char *ledger_kind_name(int kind);
/* The reversal e names is an existing payment (found, kind and owner its
 * entry's) of e's own contract: 0, or -1 with why in err. */
int ledger_reversal_target_ok(const struct ledger *l, const struct entry *e,
			      bool found, int kind, const char *owner,
			      char *err, size_t errlen);
/* ...and no entry (reversed_by, 0 when none) reversed it already. */
int ledger_reversal_once_ok(const struct ledger *l, const struct entry *e,
			    int64_t reversed_by, char *err, size_t errlen);

#endif
