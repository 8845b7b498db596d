/*
 * billing_result.c: what the replay of a contract publishes (billing.c):
 * the billing_contract of billing.h, every figure capped at
 * BILLING_FEN_MAX and flagged when it is (billing_contract.saturated),
 * and the names of states, reasons and events as the MIB spells them.
 */
#include <stdlib.h>
#include <string.h>

#include "core/billing_sim.h"
#include "core/day.h"

/* The state on `today`, from the replay stopped at the end of that day.
 * Amounts are added up in 128 bits and published capped (billing_cap). */
int
billing_result(struct billing_sim *s, struct billing_contract *out)
{
	const struct ll_contract *c = s->c;
	struct billing_wide outstanding = {0, 0}, overdue = {0, 0}, arrears;
	bool *sat = &out->saturated;
	const char *note;

	out->today = s->today;
	out->term_number = s->term;
	out->term_start = s->term_start;
	out->term_end = s->term_end;
	out->notice_deadline = billing_deadline(s);
	out->notice_given = s->notice_term == s->term;
	out->renewed_while_suspended = s->renewed_suspended;
	out->expired_while_suspended = s->expired_suspended;
	out->paid = billing_cap(&s->paid, sat);
	out->credit = billing_cap(&s->credit, sat);
	out->next_due = LL_NO_DAY;
	out->suspended_since = LL_NO_DAY;
	out->termination_date = LL_NO_DAY;
	out->suspension_due_since = LL_NO_DAY;

	out->installments =
	    malloc((s->n_inst ? s->n_inst : 1) * sizeof(*out->installments));
	if (out->installments == NULL)
		return -1;
	memcpy(out->installments, s->inst, s->n_inst * sizeof(*s->inst));
	out->n_installments = s->n_inst;
	for (size_t i = 0; i < s->n_inst; i++, s->work++) {
		struct billing_installment *in = &out->installments[i];

		billing_catch_up(s, i);
		in->late_fee = billing_cap(&s->acc[i].fee, sat);
		in->late_fee_paid = billing_cap(&s->acc[i].fee_paid, sat);
		if (in->outstanding == 0) {
			in->state = INSTALLMENT_PAID;
		} else if (s->today > in->due) {
			in->state = INSTALLMENT_OVERDUE;
			in->days_overdue = s->today - in->due;
			billing_wide_add(&overdue, (uint64_t)in->outstanding);
			if (in->days_overdue > out->days_overdue)
				out->days_overdue = in->days_overdue;
		} else if (in->due - s->today <= BILLING_DUE_SOON_DAYS) {
			in->state = INSTALLMENT_DUE_SOON;
		} else {
			in->state = INSTALLMENT_PENDING;
		}
		billing_wide_add(&outstanding, (uint64_t)in->outstanding);
		if (in->outstanding > 0 && out->next_due == LL_NO_DAY) {
			out->next_due = in->due;
			out->next_due_amount = in->outstanding;
		}
	}
	out->outstanding = billing_cap(&outstanding, sat);
	out->overdue = billing_cap(&overdue, sat);
	out->late_fee = billing_cap(&s->fee, sat);
	arrears = overdue;
	billing_wide_sum(&arrears, &s->fee);
	out->arrears = billing_cap(&arrears, sat);

	out->service = SERVICE_ACTIVE;
	out->reason = REASON_NONE;
	if (s->ended) {
		out->service = SERVICE_TERMINATED;
		if (s->terminated)
			out->reason = s->terminate_reason;
	} else if (s->manual_since != LL_NO_DAY) {
		out->service = SERVICE_SUSPENDED;
		out->reason = s->manual_reason;
		out->suspended_since = s->manual_since;
	} else if (s->np_since != LL_NO_DAY) {
		out->service = SERVICE_SUSPENDED;
		out->reason = REASON_NONPAYMENT;
		out->suspended_since = s->np_since;
	} else if (s->due_since != LL_NO_DAY) {
		/* issue 13, suspension "decided" */
		out->service = SERVICE_SUSPENSION_DUE;
		out->reason = REASON_NONPAYMENT;
	}
	if (!s->ended) {
		out->suspension_due_since = s->due_since;
		if (s->np_since != LL_NO_DAY) {
			out->termination_date =
			    s->np_since + (ll_day)c->terminate_after_days;
			if (s->today >= out->termination_date)
				out->service = SERVICE_TERMINATION_POSSIBLE;
		}
	}
	note = s->manual_note;
	if (note == NULL && !s->ended && s->np_since != LL_NO_DAY)
		note = s->np_note; /* a suspension recorded for nonpayment */
	if (note != NULL && *note != '\0' && out->service != SERVICE_ACTIVE) {
		out->note = strdup(note);
		if (out->note == NULL)
			return -1;
	}
	out->reminders = s->reminders;
	out->last_reminder = s->last_reminder;
	out->reminder_unpaid = billing_reminder_unpaid(s, s->today);

	if (out->service == SERVICE_TERMINATED)
		out->state = BILLING_TERMINATED;
	else if (out->service == SERVICE_TERMINATION_POSSIBLE)
		out->state = BILLING_TERMINATION_POSSIBLE;
	else if (out->service == SERVICE_SUSPENDED)
		out->state = BILLING_SUSPENDED;
	else if (out->overdue > 0 || out->late_fee > 0)
		out->state = BILLING_OVERDUE;
	else if (out->next_due != LL_NO_DAY &&
		 out->next_due - s->today <= BILLING_DUE_SOON_DAYS)
		out->state = BILLING_DUE_SOON;
	else
		out->state = BILLING_UP_TO_DATE;
	return 0;
}

void
billing_contract_free(struct billing_contract *bc)
{
	if (bc == NULL)
		return;
	free(bc->installments);
	free(bc->events);
	free(bc->note);
	memset(bc, 0, sizeof(*bc));
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
	case SERVICE_ACTIVE:
	case SERVICE_SUSPENSION_DUE: break; /* served until suspended */
	}
	return CIRCUIT_ACTIVE;
}

#define BILLING_NAME(table, v)                                                 \
	((size_t)(v) < sizeof(table) / sizeof(table[0]) && table[(v)]          \
	     ? table[(v)]                                                      \
	     : "unknown")

const char *
billing_state_name(enum billing_state s)
{
	static const char *const names[] = {
	    [BILLING_UP_TO_DATE] = "upToDate",
	    [BILLING_DUE_SOON] = "dueSoon",
	    [BILLING_OVERDUE] = "overdue",
	    [BILLING_SUSPENDED] = "suspended",
	    [BILLING_TERMINATION_POSSIBLE] = "terminationPossible",
	    [BILLING_TERMINATED] = "terminated",
	};
	return BILLING_NAME(names, s);
}

const char *
billing_service_name(enum billing_service s)
{
	static const char *const names[] = {
	    [SERVICE_ACTIVE] = "active",
	    [SERVICE_SUSPENDED] = "suspended",
	    [SERVICE_TERMINATION_POSSIBLE] = "terminationPossible",
	    [SERVICE_TERMINATED] = "terminated",
	    [SERVICE_SUSPENSION_DUE] = "suspensionDue",
	};
	return BILLING_NAME(names, s);
}

const char *
billing_reason_name(enum billing_reason r)
{
	static const char *const names[] = {
	    [REASON_NONE] = "none",
	    [REASON_NONPAYMENT] = "nonpayment",
	    [REASON_VIOLATION] = "violation",
	    [REASON_ADMINISTRATIVE] = "administrative",
	    [REASON_REGULATORY] = "regulatory",
	    [REASON_TRANSIT] = "transit",
	    [REASON_MISUSE] = "misuse",
	};
	return BILLING_NAME(names, r);
}

const char *
billing_installment_state_name(enum billing_installment_state s)
{
	static const char *const names[] = {
	    [INSTALLMENT_PENDING] = "pending",
	    [INSTALLMENT_DUE_SOON] = "dueSoon",
	    [INSTALLMENT_OVERDUE] = "overdue",
	    [INSTALLMENT_PAID] = "paid",
	};
	return BILLING_NAME(names, s);
}

const char *
billing_event_name(enum billing_event_kind k)
{
	static const char *const names[] = {
	    [BILLING_EV_DUE] = "due",
	    [BILLING_EV_OVERDUE] = "overdue",
	    [BILLING_EV_PAYMENT] = "payment",
	    [BILLING_EV_PAID] = "paid",
	    [BILLING_EV_SUSPENDED] = "suspended",
	    [BILLING_EV_RESTORED] = "restored",
	    [BILLING_EV_TERMINATION_POSSIBLE] = "terminationPossible",
	    [BILLING_EV_TERMINATED] = "terminated",
	    [BILLING_EV_NOTICE_GIVEN] = "noticeGiven",
	    [BILLING_EV_NOTICE_DEADLINE] = "noticeDeadline",
	    [BILLING_EV_RENEWED] = "renewed",
	    [BILLING_EV_EXPIRED] = "expired",
	    [BILLING_EV_DUE_SOON] = "dueSoon",
	    [BILLING_EV_NOTICE_DUE] = "noticeDue",
	    [BILLING_EV_SUSPENSION_DUE] = "suspensionDue",
	    [BILLING_EV_REMINDER] = "reminder",
	};
	return BILLING_NAME(names, k);
}
