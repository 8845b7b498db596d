/*
 * snapshot.c: see snapshot.h.
 */
#include <stdlib.h>

#include "snapshot.h"

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

static int
snapshot_evaluate(struct snapshot *snap)
{
	const struct ll_model *m = snap->model;

	snap->eval =
	    calloc(m->n_contracts ? m->n_contracts : 1, sizeof(*snap->eval));
	if (snap->eval == NULL)
		return -1;
	for (; snap->n_eval < m->n_contracts; snap->n_eval++)
		if (billing_evaluate(&m->contracts[snap->n_eval], snap->today,
				     &snap->eval[snap->n_eval]) < 0)
			return -1;
	return 0;
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

static struct snapshot *
snapshot_new(struct ll_model *model, time_t loaded_at, ll_day today)
{
	struct snapshot *snap = calloc(1, sizeof(*snap));

	if (snap == NULL)
		return NULL;
	snap->model = model;
	snap->loaded_at = loaded_at;
	snap->today = today;
	if (snapshot_evaluate(snap) < 0 || snapshot_index(snap) < 0) {
		snap->model = NULL; /* the caller decides who owns it */
		snapshot_free(snap);
		return NULL;
	}
	return snap;
}

struct snapshot *
snapshot_build(struct ll_model *model, time_t loaded_at, ll_day today)
{
	struct snapshot *snap = snapshot_new(model, loaded_at, today);

	if (snap == NULL)
		model_free(model);
	return snap;
}

struct snapshot *
snapshot_reevaluate(struct snapshot *old, ll_day today)
{
	struct snapshot *snap = snapshot_new(old->model, old->loaded_at, today);

	if (snap == NULL)
		return NULL;
	old->model = NULL;
	snapshot_free(old);
	return snap;
}

void
snapshot_free(struct snapshot *snap)
{
	if (snap == NULL)
		return;
	for (size_t i = 0; i < snap->n_eval; i++)
		billing_contract_free(&snap->eval[i]);
	free(snap->eval);
	free(snap->circuits);
	free(snap->installments);
	model_free(snap->model);
	free(snap);
}
