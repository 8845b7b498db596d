/*
 * ledger.h: the durable record of what people decided: the interface
 * every caller uses, whatever engine keeps it (store/engine.h; this build:
 * SQLite, store/sqlite.c, picked for any ledger setting that is not a
 * scheme:// URI).
 *
 * Payments, reversals, suspensions, resumptions, terminations,
 * non-renewal notices and reminders to pay are appended, never updated or
 * deleted: a mistake is corrected by a reversing entry.  The daemon also keeps
 * here the history of every state transition it computed and (issue 4) the
 * notification outbox.  In SQLite, the database is in WAL mode, so leaselinectl
 * writes while leaselined reads; an append that returned 0 is on disk
 * (synchronous = FULL) and survives kill -9 of either program.
 *
 * Ownership and threads: ledger_open returns a ledger its caller owns and
 * frees with ledger_close; one thread uses it at a time (leaselined's
 * evaluation and serving threads each open their own).  Arrays and
 * strings returned are the caller's, freed with entry_array_free,
 * ledger_transitions_free, ledger_notifications_free or free.
 */
#ifndef LL_LEDGER_H
#define LL_LEDGER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/entry.h"
#include "core/model.h"

#define LEDGER_ERRLEN	      512
#define LEDGER_SCHEMA_VERSION 3

/* A state change the daemon computed, for `leaselinectl history`. */
struct ledger_transition {
	int64_t id;
	char *contract;
	ll_day day; /* the day the contract crossed the line */
	char *what; /* e.g. "service", "billing", "installment 1" */
	int from;   /* MIB enumeration values */
	int to;
	int64_t recorded_at;
	char *key; /* ledger_queue: the event's identity, recorded once */
};

/* A notification waiting for (or sent through) the master agent. */
struct ledger_notification {
	int64_t id;
	char *contract;
	char *name;    /* the MIB notification, e.g. "llContractSuspended" */
	ll_day day;    /* the day of the event it tells */
	char *key;     /* the event's identity: queued once, sent once */
	char *payload; /* its varbinds, as notify.c writes them */
	int64_t created_at;
	int64_t sent_at; /* 0 while waiting */
};

struct ledger;

enum ledger_mode {
	LEDGER_READ_ONLY = 0,  /* `status`, `timeline` and `history` */
	LEDGER_READ_WRITE = 1, /* the daemon and every write: creates the
				* file and migrates the schema */
};

/* Whether path is a URI (scheme://...): no file is behind it. */
bool ledger_path_is_uri(const char *path);
/* path as messages and logs may show it: a URI's password left out (an
 * unknown scheme shows only the scheme), into buf; returns buf. */
const char *ledger_display(const char *path, char *buf, size_t buflen);
/* Whether path holds a password (user:PASSWORD@ or password=... in a
 * URI).  ledger_open refuses such a path: a password on a command line
 * shows in ps, and one in a setting would reach logs and llConfigFile;
 * the passfile or the service file keeps it instead. */
bool ledger_holds_password(const char *path);

/* Opens (and in read-write mode creates or migrates) the ledger at path.
 * NULL with a message in err on failure. */
struct ledger *ledger_open(const char *path, enum ledger_mode mode, char *err,
			   size_t errlen);
void ledger_close(struct ledger *l);

/* Checks the whole file, as `leaselinectl check` and a restore need:
 * every page, table, index and constraint (PRAGMA integrity_check), then
 * the reversals' links (foreign_key_check).  0 when sound; 1 when
 * damaged, with what SQLite found first in err; -1 when the check could
 * not run, with why in err. */
int ledger_verify(struct ledger *l, char *err, size_t errlen);

/* Appends e (its id and recorded_at are set here) in one transaction.
 * Returns 0 once durable, -1 with a message in err. */
int ledger_append(struct ledger *l, struct entry *e, char *err, size_t errlen);

/* Every entry of one contract (or of all when contract is NULL), sorted by
 * contract, day, id.  The caller frees with entry_array_free. */
int ledger_entries(struct ledger *l, const char *contract, struct entry **out,
		   size_t *n, char *err, size_t errlen);

/* One entry by id; 0 when found, 1 when absent, -1 on error. */
int ledger_entry(struct ledger *l, int64_t id, struct entry *out, char *err,
		 size_t errlen);

int ledger_add_transition(struct ledger *l, struct ledger_transition *t,
			  char *err, size_t errlen);
int ledger_transitions(struct ledger *l, const char *contract,
		       struct ledger_transition **out, size_t *n, char *err,
		       size_t errlen);
void ledger_transitions_free(struct ledger_transition *t, size_t n);

/* Records the transitions t[0..nt) and queues the notifications
 * q[0..nq), in one transaction; a transition or a notification whose key
 * is already there is left out, so computing the same events again queues
 * nothing twice, also when a ledger written before issue 12 holds it
 * under its key cut to 159 octets (store/engine.h).  *queued tells how many
 * notifications were new. */
int ledger_queue(struct ledger *l, const struct ledger_transition *t, size_t nt,
		 const struct ledger_notification *q, size_t nq, size_t *queued,
		 char *err, size_t errlen);
/* Many ledger_queue() calls in one transaction: one sync of the WAL for
 * them all.  A failed ledger_queue() inside a batch rolls it back. */
int ledger_batch_begin(struct ledger *l, char *err, size_t errlen);
int ledger_batch_commit(struct ledger *l, char *err, size_t errlen);
void ledger_batch_abort(struct ledger *l);

/* At most max notifications not yet sent, oldest first. */
int ledger_outbox_pending(struct ledger *l, size_t max,
			  struct ledger_notification **out, size_t *n,
			  char *err, size_t errlen);
/* The newest notification of contract whose name is one of names[0..n),
 * n <= 4: its id and name (owned by the caller), or id 0 when none. */
int ledger_outbox_last(struct ledger *l, const char *contract,
		       const char *const *names, size_t n, int64_t *id,
		       char **name, char *err, size_t errlen);
/* Deletes the notifications sent and dated before day `before`, but the
 * newest of each contract among those named keep[0..n), n <= 4: what was
 * last told of a contract stays.  *deleted tells how many went. */
int ledger_outbox_prune(struct ledger *l, ll_day before,
			const char *const *keep, size_t n, size_t *deleted,
			char *err, size_t errlen);
/* Marks notification id sent (the master agent acknowledged it). */
int ledger_outbox_sent(struct ledger *l, int64_t id, char *err, size_t errlen);
/* Marks the notifications ids[0..n) sent in one transaction (one sync,
 * not n): all of them (0), or none (-1).  With wait false, a ledger held
 * by another writer is not waited for: 1, nothing marked (the serving
 * thread tries again at its next turn rather than wait out the
 * evaluation thread's transaction). */
int ledger_outbox_sent_many(struct ledger *l, const int64_t *ids, size_t n,
			    bool wait, char *err, size_t errlen);
void ledger_notifications_free(struct ledger_notification *q, size_t n);

/*
 * Issue 17 item 4: several agents may share one ledger (PostgreSQL, or
 * one SQLite file on a host), and most notifications are anyone's to
 * send, once.  llConfigRejected is not: it tells of ONE agent's
 * configuration, so it goes out through that agent's snmpd only.
 *
 * ledger_set_agent gives l the identity of the agent using it, made of
 * this host's name and the absolute path of its configuration file
 * config (realpath; as given when it cannot be resolved): stable across
 * a restart (what an agent queued before dying it still sends after),
 * distinct for two agents on one host.  The daemon calls it right after
 * each ledger_open, on every connection it queues or sends with.  Its
 * form is the key prefix LEDGER_AGENT_PREFIX "HOST/HASH/", HASH the
 * path's 64-bit FNV-1a in 16 hex digits (the key stays short whatever
 * the path: 88 octets at most, engine.h's LEDGER_CUT_KEY_LEN is 159).
 * ledger_agent returns it, NULL until set.
 *
 * An agent's own notification is queued with contract
 * LEDGER_AGENT_CONTRACT and a key that begins with its identity.
 * ledger_outbox_pending returns such a row only to a ledger of the same
 * identity (none to a ledger without one); every other row (any
 * contract's, and llConfigRejected's older keys "config/rejected/...",
 * which no identity begins) is anyone's, as before.  No schema change:
 * the key says it all.
 */
#define LEDGER_AGENT_PREFIX   "agent/"
#define LEDGER_AGENT_CONTRACT "-"
int ledger_set_agent(struct ledger *l, const char *config, char *err,
		     size_t errlen);
const char *ledger_agent(const struct ledger *l);

/* A named integer of the daemon's; *found false when never set. */
int ledger_meta_get(struct ledger *l, const char *name, int64_t *value,
		    bool *found, char *err, size_t errlen);
int ledger_meta_set(struct ledger *l, const char *name, int64_t value,
		    char *err, size_t errlen);

/* The id of the newest entry, 0 when none: entries are only ever appended,
 * so a change of it is a new payment or decision to evaluate (cheaper to
 * watch than data_version, which the daemon's own writes change too). */
int ledger_last_entry_id(struct ledger *l, int64_t *id);

/* A number that changes whenever another connection commits: the daemon
 * polls it to re-evaluate within a second of a `leaselinectl pay`. */
int ledger_data_version(struct ledger *l, int64_t *version);

/*
 * Issue 17 item 3: being told of the entries others append, instead of
 * polling for them.  ledger_change_fd subscribes l (its first call) and
 * returns the descriptor to wait on, readable when something was told;
 * -1 when the engine tells nothing (SQLite: poll ledger_last_entry_id
 * each second) or has no connection now (poll meanwhile: a read makes it
 * again, and subscribes it again).  ledger_changes hands fn the contract
 * of each entry told since the last call, and sets *missed when the
 * subscription was made or made again since then (entries appended
 * meanwhile went untold: read the ledger once).  Call it before waiting:
 * what arrived during another statement waits in l, not on the fd.
 * PostgreSQL: LISTEN leaseline_entries, a trigger NOTIFYs each entry.
 */
typedef void ledger_change_fn(void *arg, const char *contract);
int ledger_change_fd(struct ledger *l);
int ledger_changes(struct ledger *l, ledger_change_fn *fn, void *arg,
		   bool *missed);

/*
 * Issue 17 item 6: `leaselinectl ledger copy FROM TO` (store/copy.c).
 * A ledger's whole content, read through this interface whatever the
 * engine: every entry, transition and notification in id order (with
 * their ids, keys and times), and the meta values by name.
 */
struct ledger_meta {
	char *name;
	int64_t value;
};

struct ledger_dump {
	struct entry *entries;
	size_t nentries;
	struct ledger_transition *transitions;
	size_t ntransitions;
	struct ledger_notification *outbox;
	size_t noutbox;
	struct ledger_meta *meta;
	size_t nmeta;
};

/* The tables a copy checks, in this order. */
enum ledger_table {
	LEDGER_TABLE_ENTRIES,
	LEDGER_TABLE_TRANSITIONS,
	LEDGER_TABLE_OUTBOX,
	LEDGER_TABLE_META,
	LEDGER_NTABLES,
};

/* What a copy verifies on either side: each table's row count and a
 * 64-bit FNV-1a checksum of its rows as canonical text, in id order
 * (meta: by name), and one checksum over the four. */
struct ledger_sums {
	size_t rows[LEDGER_NTABLES];
	uint64_t sum[LEDGER_NTABLES];
	uint64_t all;
};

/* Reads all of l into *d (zeroed first; freed with ledger_dump_free). */
int ledger_dump(struct ledger *l, struct ledger_dump *d, char *err,
		size_t errlen);
void ledger_dump_free(struct ledger_dump *d);
/* The counts and checksums of d. */
void ledger_dump_sums(const struct ledger_dump *d, struct ledger_sums *s);
const char *ledger_table_name(enum ledger_table t);

/* Writes d into l, which must hold no row in any table (else refused,
 * nothing written), in one transaction, every row with its id; later
 * appends continue after the highest id.  The append-only guards stay:
 * each entry is an INSERT, a reversal after the payment it cancels. */
int ledger_import(struct ledger *l, const struct ledger_dump *d, char *err,
		  size_t errlen);

/* Copies from (open, any mode) into to (open read-write, empty), then
 * reads both back: 0 with both sides' sums in *fs and *ts when every
 * count and checksum is equal; 1 when the copy was written but differs
 * (*fs and *ts say where); -1 with why in err when nothing was written
 * or the read back failed. */
int ledger_copy(struct ledger *from, struct ledger *to, struct ledger_sums *fs,
		struct ledger_sums *ts, char *err, size_t errlen);

#endif
