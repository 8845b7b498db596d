/*
 * billing.c: the billing clock of a contract (see billing.h).
 *
 * Conventions, from DIGEST.md's worked timeline:
 * - an installment due on day D is on time through D and overdue from D+1,
 *   which is its first day overdue;
 * - clause 2.3.4: "more than suspend_after_days" overdue means suspension
 *   on day D + suspend_after_days + 1 (the 31st day overdue);
 * - termination becomes possible terminate_after_days after the suspension
 *   date (suspension date + 60);
 * - clause 2.3.3: each day overdue accrues rate x unpaid amount, computed
 *   per installment per day and rounded half up to the fen.
 *
 * Payments and decisions recorded by people come from the ledger; until an
 * installment has a payment, it is unpaid.
 */
#include <stdlib.h>
#include <string.h>

#include "billing.h"
#include "day.h"

ll_fen
billing_daily_late_fee(ll_fen owed, uint32_t ppm)
{
	/* owed * ppm can exceed 64 bits for large amounts:
	 * split owed so that each product stays below 2^63. */
	ll_fen whole = owed / 1000000, part = owed % 1000000;

	return whole * (ll_fen)ppm + (part * (ll_fen)ppm + 500000) / 1000000;
}

/* Clause 11.1: the term renews by renew_months at a time, without limit,
 * while auto_renew holds.  Returns the number of the term holding today. */
static uint32_t
billing_current_term(const struct ll_contract *c, ll_day today, ll_day *start,
		     ll_day *end)
{
	uint32_t n = 1;

	*start = c->term_start;
	*end = c->term_end;
	while (c->auto_renew && c->renew_months > 0 && today > *end) {
		*start = *end + 1;
		*end = day_add_months(*start, (int)c->renew_months) - 1;
		n++;
	}
	return n;
}

/* Clause 2.3.3: an unpaid installment's age and accrued fee on today. */
static void
billing_installment(const struct ll_contract *c,
		    const struct ll_installment *in, ll_day today,
		    struct billing_installment *out)
{
	memset(out, 0, sizeof(*out));
	out->index = in->index;
	out->term = 1;
	out->due = in->due;
	out->amount = in->amount;
	out->paid = 0;
	out->outstanding = in->amount - out->paid;
	out->paid_on = LL_NO_DAY;

	if (out->outstanding == 0) {
		out->state = INSTALLMENT_PAID;
		return;
	}
	if (today > in->due) {
		out->days_overdue = today - in->due;
		out->late_fee =
		    (ll_fen)out->days_overdue *
		    billing_daily_late_fee(out->outstanding, c->late_fee_ppm);
		out->state = INSTALLMENT_OVERDUE;
	} else if (in->due - today <= BILLING_DUE_SOON_DAYS) {
		out->state = INSTALLMENT_DUE_SOON;
	} else {
		out->state = INSTALLMENT_PENDING;
	}
}

/* Clause 2.3.4: suspension and possible termination for nonpayment. */
static void
billing_nonpayment(const struct ll_contract *c, ll_day today,
		   struct billing_contract *bc)
{
	for (size_t i = 0; i < bc->n_installments; i++) {
		const struct billing_installment *in = &bc->installments[i];
		ll_day since;

		if (in->days_overdue <= (int32_t)c->suspend_after_days)
			continue;
		since = in->due + (ll_day)c->suspend_after_days + 1;
		if (bc->suspended_since == LL_NO_DAY ||
		    since < bc->suspended_since)
			bc->suspended_since = since;
	}
	if (bc->suspended_since == LL_NO_DAY)
		return;
	bc->reason = REASON_NONPAYMENT;
	bc->termination_date =
	    bc->suspended_since + (ll_day)c->terminate_after_days;
	bc->service = today >= bc->termination_date
			  ? SERVICE_TERMINATION_POSSIBLE
			  : SERVICE_SUSPENDED;
}

static enum billing_state
billing_overall(const struct billing_contract *bc)
{
	if (bc->service == SERVICE_TERMINATED)
		return BILLING_TERMINATED;
	if (bc->service == SERVICE_TERMINATION_POSSIBLE)
		return BILLING_TERMINATION_POSSIBLE;
	if (bc->service == SERVICE_SUSPENDED)
		return BILLING_SUSPENDED;
	if (bc->overdue > 0)
		return BILLING_OVERDUE;
	for (size_t i = 0; i < bc->n_installments; i++)
		if (bc->installments[i].state == INSTALLMENT_DUE_SOON)
			return BILLING_DUE_SOON;
	return BILLING_UP_TO_DATE;
}

int
billing_evaluate(const struct ll_contract *c, ll_day today,
		 struct billing_contract *out)
{
	memset(out, 0, sizeof(*out));
	out->suspended_since = LL_NO_DAY;
	out->termination_date = LL_NO_DAY;
	out->next_due = LL_NO_DAY;
	out->service = SERVICE_ACTIVE;
	out->reason = REASON_NONE;

	out->term_number =
	    billing_current_term(c, today, &out->term_start, &out->term_end);
	out->notice_deadline = out->term_end - (ll_day)c->notice_days;
	/* A term that ended without renewal ends the service with it. */
	if (today > out->term_end)
		out->service = SERVICE_TERMINATED;

	if (c->n_installments > 0) {
		out->installments =
		    calloc(c->n_installments, sizeof(*out->installments));
		if (out->installments == NULL)
			return -1;
	}
	out->n_installments = c->n_installments;
	for (size_t i = 0; i < c->n_installments; i++) {
		struct billing_installment *in = &out->installments[i];

		billing_installment(c, &c->installments[i], today, in);
		out->outstanding += in->outstanding;
		out->late_fee += in->late_fee;
		if (in->state == INSTALLMENT_OVERDUE) {
			out->overdue += in->outstanding;
			if (in->days_overdue > out->days_overdue)
				out->days_overdue = in->days_overdue;
		}
		if (in->outstanding > 0 && out->next_due == LL_NO_DAY) {
			out->next_due = in->due;
			out->next_due_amount = in->outstanding;
		}
	}
	if (out->service != SERVICE_TERMINATED)
		billing_nonpayment(c, today, out);
	out->state = billing_overall(out);
	return 0;
}

void
billing_contract_free(struct billing_contract *bc)
{
	if (bc == NULL)
		return;
	free(bc->installments);
	bc->installments = NULL;
	bc->n_installments = 0;
}

enum billing_circuit_state
billing_circuit_state(const struct ll_circuit *ci,
		      const struct billing_contract *bc)
{
	if (ci->admin == LL_CIRCUIT_PLANNED)
		return CIRCUIT_PLANNED;
	if (ci->admin == LL_CIRCUIT_CEASED)
		return CIRCUIT_CEASED;
	switch (bc->service) {
	case SERVICE_SUSPENDED:
	case SERVICE_TERMINATION_POSSIBLE: return CIRCUIT_SUSPENDED;
	case SERVICE_TERMINATED: return CIRCUIT_TERMINATED;
	case SERVICE_ACTIVE: break;
	}
	return CIRCUIT_ACTIVE;
}
