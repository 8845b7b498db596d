/*
 * model.c: freeing and looking up the contract model.
 */
#include <stdlib.h>
#include <string.h>

#include "core/day.h"
#include "core/model.h"

static void
party_free(struct ll_party *p)
{
	free(p->name);
	free(p->address);
	free(p->representative);
}

static void
contract_free(struct ll_contract *c)
{
	size_t i;

	free(c->number);
	free(c->title);
	party_free(&c->customer);
	party_free(&c->provider);
	free(c->service_location);
	free(c->installments);
	for (i = 0; i < c->n_term_schedules; i++)
		free(c->term_schedules[i].installments);
	free(c->term_schedules);
	free(c->blocked_ports);
	free(c->support);
	/* A circuit's other strings are always the pool's. */
	for (i = 0; !c->ids_pooled && i < c->n_circuits; i++)
		free((char *)c->circuits[i].id);
	free(c->circuits);
	for (i = 0; i < c->n_strings; i++)
		free(c->strings[i]);
	free(c->strings);
	for (i = 0; i < c->n_notes; i++)
		free(c->notes[i]);
	free(c->notes);
	for (i = 0; i < c->n_charges; i++)
		free(c->charges[i].clause);
	free(c->charges);
	free(c->file);
}

void
model_free(struct ll_model *model)
{
	size_t i;

	if (model == NULL)
		return;
	for (i = 0; i < model->n_contracts; i++)
		contract_free(&model->contracts[i]);
	free(model->contracts);
	free(model);
}

/* Months as day_add_months takes them; past any date a day can hold (the
 * year 9999 is 96,000 months away) it saturates anyway. */
static int
model_months(int64_t months)
{
	return months > INT32_MAX ? INT32_MAX : (int)months;
}

/* Clause 11.1: renewal k (k >= 2) starts (k - 2) renewals after the
 * first one, the day after the configured term, and ends the day before
 * the next starts.  Each is derived from that first day, never stepped
 * from the term before: stepping clamps for ever once a short month
 * clamped it (2024-02-29, then the 28th every year after; the 31st,
 * then the 28th every month after). */
void
model_term_bounds(const struct ll_contract *c, uint32_t k, ll_day *start,
		  ll_day *end)
{
	ll_day first = c->term_end + 1;
	int64_t months;

	if (k <= 1) {
		*start = c->term_start;
		*end = c->term_end;
		return;
	}
	months = (int64_t)(k - 2) * c->renew_months;
	*start = day_add_months(first, model_months(months));
	*end =
	    day_add_months(first, model_months(months + c->renew_months)) - 1;
}

const struct ll_term_schedule *
model_term_schedule(const struct ll_contract *c, uint32_t k)
{
	for (size_t i = 0; i < c->n_term_schedules; i++)
		if (c->term_schedules[i].term == k)
			return &c->term_schedules[i];
	return NULL;
}

const struct ll_contract *
model_contract_by_index(const struct ll_model *model, uint32_t index)
{
	size_t lo = 0, hi;

	if (model == NULL)
		return NULL;
	hi = model->n_contracts;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct ll_contract *c = &model->contracts[mid];

		if (c->index == index)
			return c;
		if (c->index < index)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

const struct ll_contract *
model_contract_by_number(const struct ll_model *model, const char *number)
{
	size_t i;

	if (model == NULL || number == NULL)
		return NULL;
	for (i = 0; i < model->n_contracts; i++)
		if (strcmp(model->contracts[i].number, number) == 0)
			return &model->contracts[i];
	return NULL;
}
