/*
 * model.c: freeing and looking up the contract model.
 */
#include <stdlib.h>
#include <string.h>

#include "day.h"
#include "model.h"

static void
party_free(struct ll_party *p)
{
	free(p->name);
	free(p->address);
	free(p->representative);
}

static void
circuit_free(struct ll_circuit *c)
{
	free(c->id); /* the rest is the contract's pool */
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
	for (i = 0; i < c->n_circuits; i++)
		circuit_free(&c->circuits[i]);
	free(c->circuits);
	for (i = 0; i < c->n_strings; i++)
		free(c->strings[i]);
	free(c->strings);
	for (i = 0; i < c->n_notes; i++)
		free(c->notes[i]);
	free(c->notes);
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

void
model_term_bounds(const struct ll_contract *c, uint32_t k, ll_day *start,
		  ll_day *end)
{
	*start = c->term_start;
	*end = c->term_end;
	for (uint32_t i = 1; i < k; i++) {
		*start = *end + 1;
		*end = day_add_months(*start, (int)c->renew_months) - 1;
	}
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
