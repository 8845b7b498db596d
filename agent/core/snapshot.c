/*
 * snapshot.c: see snapshot.h.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "core/snapshot.h"

/* Contracts from which two threads evaluate, half each.  A contract
 * takes about 5 us; below a few thousand the second thread would save
 * less than it costs to start.  Contracts are independent and billing is
 * pure, so only the halves' ends need care (snapshot_evaluate). */
#define SNAPSHOT_SPLIT_MIN 4096

/* Compares a row index (k sub-identifiers) with an OID suffix, in OID
 * order: element by element, then the shorter first. */
static int
snapshot_cmp_index(const uint32_t *key, size_t k, const unsigned long *idx,
		   size_t len)
{
	for (size_t i = 0; i < k && i < len; i++) {
		if (key[i] != idx[i])
			return key[i] < idx[i] ? -1 : 1;
	}
	if (k == len)
		return 0;
	return k < len ? -1 : 1;
}

typedef const uint32_t *(*snapshot_key_fn)(const void *base, size_t i);

/* The first position in [0, n) whose key is past the suffix (or equal to
 * it, with `inclusive`): a lower bound by binary search. */
static size_t
snapshot_lower_bound(const void *base, size_t n, snapshot_key_fn key, size_t k,
		     const unsigned long *idx, size_t len, bool inclusive)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = snapshot_cmp_index(key(base, mid), k, idx, len);

		if (c > 0 || (inclusive && c == 0))
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

static const uint32_t *
snapshot_row_key(const void *base, size_t i)
{
	return &((const struct snapshot_row *)base)[i].contract_index;
}

static const uint32_t *
snapshot_contract_key(const void *base, size_t i)
{
	return &((const struct ll_contract *)base)[i].index;
}

size_t
snapshot_row_search(const struct snapshot_row *rows, size_t n,
		    const unsigned long *idx, size_t len, bool inclusive)
{
	return snapshot_lower_bound(rows, n, snapshot_row_key, 2, idx, len,
				    inclusive);
}

size_t
snapshot_contract_search(const struct snapshot *snap, const unsigned long *idx,
			 size_t len, bool inclusive)
{
	return snapshot_lower_bound(
	    snap->model->contracts, snap->model->n_contracts,
	    snapshot_contract_key, 1, idx, len, inclusive);
}

const struct entry *
snapshot_entries_of(const struct snapshot *snap, const char *number, size_t *n)
{
	size_t lo = 0, hi = snap->n_entries, first;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(snap->entries[mid].contract, number) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	first = lo;
	while (lo < snap->n_entries &&
	       strcmp(snap->entries[lo].contract, number) == 0)
		lo++;
	*n = lo - first;
	return snap->entries + first;
}

/* Contracts [from, to) of a snapshot, evaluated by one thread. */
struct snapshot_part {
	struct snapshot *snap;
	size_t from, to;
	size_t done; /* evaluated from `from` on */
	int rc;
};

static void *
snapshot_evaluate_part(void *arg)
{
	struct snapshot_part *p = arg;
	struct snapshot *snap = p->snap;

	p->rc = 0;
	for (p->done = 0; p->from + p->done < p->to; p->done++) {
		size_t i = p->from + p->done, n;
		const struct ll_contract *c = &snap->model->contracts[i];
		const struct entry *e =
		    snapshot_entries_of(snap, c->number, &n);

		/* with the events up to today, for notify.c */
		if (billing_evaluate(c, e, n, snap->today, snap->today,
				     &snap->eval[i]) < 0) {
			p->rc = -1;
			break;
		}
		if (charges_of_contract(c, e, n, &snap->eval[i],
					&snap->charges[i]) < 0) {
			billing_contract_free(&snap->eval[i]);
			p->rc = -1;
			break;
		}
	}
	return NULL;
}

static int
snapshot_evaluate(struct snapshot *snap)
{
	const struct ll_model *m = snap->model;
	struct snapshot_part a = {snap, 0, m->n_contracts, 0, 0}, b;
	pthread_t t;
	bool split;

	snap->eval =
	    calloc(m->n_contracts ? m->n_contracts : 1, sizeof(*snap->eval));
	snap->charges =
	    calloc(m->n_contracts ? m->n_contracts : 1, sizeof(*snap->charges));
	if (snap->eval == NULL || snap->charges == NULL)
		return -1;
	b = a;
	split = m->n_contracts >= SNAPSHOT_SPLIT_MIN;
	if (split) {
		a.to = b.from = m->n_contracts / 2;
		split =
		    pthread_create(&t, NULL, snapshot_evaluate_part, &b) == 0;
		if (!split)
			a.to = m->n_contracts;
	}
	snapshot_evaluate_part(&a);
	if (!split) {
		snap->n_eval = a.done;
		return a.rc;
	}
	pthread_join(t, NULL);
	/* n_eval counts the contracts evaluated from the first on, for
	 * snapshot_free; those past a gap are freed here. */
	snap->n_eval = a.done;
	if (a.rc == 0) {
		snap->n_eval += b.done;
		return b.rc;
	}
	for (size_t i = b.from; i < b.from + b.done; i++)
		billing_contract_free(&snap->eval[i]);
	return -1;
}

/* Rows of both tables, in index order: contracts are sorted by index and
 * each contract's circuits and installments by theirs, so walking them in
 * order yields sorted rows without a sort. */
static int
snapshot_index(struct snapshot *snap)
{
	const struct ll_model *m = snap->model;
	size_t nc = 0, ni = 0;

	for (size_t i = 0; i < m->n_contracts; i++) {
		nc += m->contracts[i].n_circuits;
		ni += snap->eval[i].n_installments;
	}
	snap->circuits = calloc(nc ? nc : 1, sizeof(*snap->circuits));
	snap->installments = calloc(ni ? ni : 1, sizeof(*snap->installments));
	if (snap->circuits == NULL || snap->installments == NULL)
		return -1;

	for (uint32_t i = 0; i < m->n_contracts; i++) {
		const struct ll_contract *c = &m->contracts[i];
		const struct billing_contract *bc = &snap->eval[i];

		for (uint32_t j = 0; j < c->n_circuits; j++)
			snap->circuits[snap->n_circuits++] =
			    (struct snapshot_row){c->index,
						  c->circuits[j].index, i, j};
		for (uint32_t j = 0; j < bc->n_installments; j++)
			snap->installments[snap->n_installments++] =
			    (struct snapshot_row){
				c->index, bc->installments[j].index, i, j};
	}
	return 0;
}

struct snapshot_share {
	atomic_uint refs;
	struct ll_model *model; /* or */
	struct entry *entries;	/* with */
	size_t n_entries;
};

static struct snapshot_share *
snapshot_share_new(struct ll_model *model, struct entry *entries,
		   size_t n_entries)
{
	struct snapshot_share *sh = calloc(1, sizeof(*sh));

	if (sh == NULL)
		return NULL;
	atomic_init(&sh->refs, 1);
	sh->model = model;
	sh->entries = entries;
	sh->n_entries = n_entries;
	return sh;
}

static struct snapshot_share *
snapshot_share_ref(struct snapshot_share *sh)
{
	atomic_fetch_add(&sh->refs, 1);
	return sh;
}

static void
snapshot_share_release(struct snapshot_share *sh)
{
	if (sh == NULL || atomic_fetch_sub(&sh->refs, 1) != 1)
		return;
	model_free(sh->model);
	entry_array_free(sh->entries, sh->n_entries);
	free(sh);
}

/* A snapshot of shared model and entries (one reference each, taken over
 * by the snapshot, also on failure) evaluated on today. */
static struct snapshot *
snapshot_new(struct snapshot_share *model, struct snapshot_share *entries,
	     time_t loaded_at, ll_day today)
{
	struct snapshot *snap = calloc(1, sizeof(*snap));

	if (snap == NULL) {
		snapshot_share_release(model);
		snapshot_share_release(entries);
		return NULL;
	}
	atomic_init(&snap->refs, 1);
	snap->model_share = model;
	snap->entries_share = entries;
	snap->model = model->model;
	snap->entries = entries->entries;
	snap->n_entries = entries->n_entries;
	snap->loaded_at = loaded_at;
	snap->today = today;
	if (snapshot_evaluate(snap) < 0 || snapshot_index(snap) < 0) {
		snapshot_free(snap);
		return NULL;
	}
	return snap;
}

struct snapshot *
snapshot_build(struct ll_model *model, struct entry *entries, size_t n_entries,
	       time_t loaded_at, ll_day today)
{
	struct snapshot_share *m = snapshot_share_new(model, NULL, 0);
	struct snapshot_share *e = snapshot_share_new(NULL, entries, n_entries);

	if (m == NULL || e == NULL) {
		if (m == NULL)
			model_free(model);
		if (e == NULL)
			entry_array_free(entries, n_entries);
		snapshot_share_release(m);
		snapshot_share_release(e);
		return NULL;
	}
	return snapshot_new(m, e, loaded_at, today);
}

struct snapshot *
snapshot_reevaluate(const struct snapshot *base, ll_day today)
{
	return snapshot_new(snapshot_share_ref(base->model_share),
			    snapshot_share_ref(base->entries_share),
			    base->loaded_at, today);
}

struct snapshot *
snapshot_with_entries(const struct snapshot *base, struct entry *entries,
		      size_t n_entries)
{
	struct snapshot_share *e = snapshot_share_new(NULL, entries, n_entries);

	if (e == NULL) {
		entry_array_free(entries, n_entries);
		return NULL;
	}
	return snapshot_new(snapshot_share_ref(base->model_share), e,
			    base->loaded_at, base->today);
}

int
snapshot_compact(struct snapshot *snap)
{
	struct billing_installment *block;
	size_t n = 0, at = 0;

	if (snap->installment_block != NULL)
		return 0;
	for (size_t i = 0; i < snap->n_eval; i++)
		n += snap->eval[i].n_installments;
	block = malloc((n ? n : 1) * sizeof(*block));
	if (block == NULL)
		return -1; /* each evaluation keeps its own array */
	for (size_t i = 0; i < snap->n_eval; i++) {
		struct billing_contract *bc = &snap->eval[i];

		memcpy(block + at, bc->installments,
		       bc->n_installments * sizeof(*block));
		free(bc->installments);
		bc->installments = block + at;
		at += bc->n_installments;
	}
	snap->installment_block = block;
	return 0;
}

void
snapshot_drop_events(struct snapshot *snap)
{
	for (size_t i = 0; i < snap->n_eval; i++) {
		free(snap->eval[i].events);
		snap->eval[i].events = NULL;
		snap->eval[i].n_events = 0;
	}
}

struct snapshot *
snapshot_ref(struct snapshot *snap)
{
	atomic_fetch_add(&snap->refs, 1);
	return snap;
}

void
snapshot_free(struct snapshot *snap)
{
	if (snap == NULL || atomic_fetch_sub(&snap->refs, 1) != 1)
		return;
	for (size_t i = 0; i < snap->n_eval; i++) {
		if (snap->installment_block != NULL)
			snap->eval[i].installments = NULL; /* in the block */
		billing_contract_free(&snap->eval[i]);
	}
	free(snap->installment_block);
	free(snap->eval);
	free(snap->charges);
	free(snap->circuits);
	free(snap->installments);
	snapshot_share_release(snap->model_share);
	snapshot_share_release(snap->entries_share);
	free(snap);
}
