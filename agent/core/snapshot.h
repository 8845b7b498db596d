/*
 * snapshot.h: what the agent publishes, immutable once built.
 *
 * A snapshot holds a model and its evaluation on one day, with the rows of
 * every table sorted by their SNMP index, so that a request is answered by
 * binary search and never touches the configuration, the ledger or the
 * clock.  A reload or a new day builds a new snapshot and swaps it in whole.
 */
#ifndef LL_SNAPSHOT_H
#define LL_SNAPSHOT_H

#include <stdatomic.h>
#include <stdbool.h>
#include <time.h>

#include "core/billing.h"
#include "core/charges.h"
#include "core/model.h"

/* One row of a table indexed by (contract index, item index). */
struct snapshot_row {
	uint32_t contract_index;
	uint32_t item_index;
	uint32_t contract; /* position in model->contracts and eval[] */
	uint32_t item;	   /* position in that contract's array */
};

/* What snapshots of one model share: the model, or the ledger's entries.
 * Counted, since the evaluation thread builds a snapshot from what the one
 * being served holds, and either may be freed first. */
struct snapshot_share;

struct snapshot {
	struct ll_model *model; /* shared, read-only */
	struct entry *entries;	/* shared, by contract, day, id */
	size_t n_entries;
	struct snapshot_share *model_share;
	struct snapshot_share *entries_share;
	atomic_uint refs; /* the thread that builds it, the one serving it */
	struct billing_contract *eval; /* one per contract, owned */
	size_t n_eval;		       /* evaluated so far: all, once built */
	struct charges *charges;       /* eval[i]'s are charges[i], owned */
	/* Every eval[i].installments, once compacted (snapshot_compact). */
	struct billing_installment *installment_block;
	ll_day today;
	time_t loaded_at; /* when the model was read from its files */

	struct snapshot_row *circuits; /* sorted by (contract, circuit) */
	size_t n_circuits;
	struct snapshot_row *installments; /* sorted by (contract, inst.) */
	size_t n_installments;
};

/* Evaluates model with the ledger's entries (sorted as ledger_entries()
 * returns them) on `today`, half the contracts on a short thread of its
 * own past a few thousand.  Takes ownership of model and entries, also on
 * failure; NULL when out of memory. */
struct snapshot *snapshot_build(struct ll_model *model, struct entry *entries,
				size_t n_entries, time_t loaded_at,
				ll_day today);
/* The model of base evaluated on another day, or with the ledger's
 * entries as they are now (`entries` is then owned by the snapshots, also
 * on failure).  base is left as it is; NULL when out of memory. */
struct snapshot *snapshot_reevaluate(const struct snapshot *base, ll_day today);
struct snapshot *snapshot_with_entries(const struct snapshot *base,
				       struct entry *entries, size_t n_entries);
/*
 * Moves the installments of every evaluation into one array, so that the
 * small arrays freed, with the events freed later and the evaluation's
 * scratch, leave whole pages to give back to the system.  Only while no
 * other thread reads snap; 0, or -1 when out of memory (the installments
 * then stay where they were).
 */
int snapshot_compact(struct snapshot *snap);
/*
 * Frees the events of every evaluation (eval[i].events), which notify.c
 * reads once, when the snapshot is built, and nothing serves: kept, they
 * were 146 bytes a circuit, more than a third of a snapshot.  Safe while
 * another thread serves snap: nothing that serves reads the events.
 */
void snapshot_drop_events(struct snapshot *snap);
/* One more holder of snap; snapshot_free() releases a hold, and frees
 * snap with the last (its model and entries go with the last snapshot
 * using them).  Safe from any thread. */
struct snapshot *snapshot_ref(struct snapshot *snap);
void snapshot_free(struct snapshot *snap);

/*
 * Binary search for the first row whose index, as an OID suffix, is greater
 * than (or, with `inclusive`, equal to) the suffix idx[0..len).  The suffix
 * may be shorter or longer than the two sub-identifiers of a row index, or
 * hold values above 2^32, as a GETNEXT may ask.  Returns the position, or
 * n when there is none.
 */
size_t snapshot_row_search(const struct snapshot_row *rows, size_t n,
			   const unsigned long *idx, size_t len,
			   bool inclusive);

/* The entries of contract `number`: *n of them from the one returned, a
 * range of snap->entries (*n is 0 when the contract has none). */
const struct entry *snapshot_entries_of(const struct snapshot *snap,
					const char *number, size_t *n);

/* Position of contract `index` in model->contracts, or n_contracts. */
size_t snapshot_contract_search(const struct snapshot *snap,
				const unsigned long *idx, size_t len,
				bool inclusive);

#endif
