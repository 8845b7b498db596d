/*
 * charges.h: what the end of a contract brings (clauses 6.2, 3.1.11, 6.3
 * and 3.2.10 of the modelled contract).
 *
 * Pure, like billing: no I/O, no clock, no globals.  The clauses are data
 * of the configuration (struct ll_termination_charge); this module adds
 * up their parts for a termination on a day, for a reason:
 * - the total contract amount is the annual fee (clause 1.3), the fee of
 *   one term: every term's schedule adds up to it (leaseline.conf(5));
 * - the unperformed part is the fee of the days of the term in which the
 *   contract ends that service no longer covers: annual fee x days from
 *   the termination day (service ends that day) to the term's last day,
 *   included, / days of the term, rounded half up to the fen;
 * - the fees used and unpaid are the fees of every term before, plus the
 *   annual fee minus the unperformed part, minus what the customer paid
 *   towards fees (every payment minus the late fees it paid); 0 when
 *   that is negative.  Late fees are not fees used: they stay owed as
 *   billing shows them;
 * - a percentage is of an amount in fen, rounded half up to the fen;
 * - a per-line discount counts every line of the contract but those
 *   planned (never installed, so never discounted);
 * - a termination outside the service period (dated after the contract
 *   expired) brings no charge: clause 6.2 says 业务使用期内.
 */
#ifndef LL_CHARGES_H
#define LL_CHARGES_H

#include <stdbool.h>
#include <stddef.h>

#include "core/billing.h"
#include "core/entry.h"
#include "core/model.h"

#define CHARGES_TEXT_MAX 512

enum charges_kind {
	CHARGES_NONE = 0,	 /* the contract runs, or ended without a
				  * termination, or no clause applies */
	CHARGES_RECORDED = 1,	 /* a termination was recorded */
	CHARGES_PROSPECTIVE = 2, /* termination is possible: what one for
				  * nonpayment on `day` would bring */
};

/* One clause that applies, and its parts (0 when not part of it). */
struct charges_item {
	const struct ll_termination_charge *rule; /* the model's */
	ll_fen discounts; /* per_line_discount x lines */
	ll_fen fixed;
	ll_fen of_total;       /* of_total_ppm of total_amount */
	ll_fen of_unperformed; /* of_unperformed_ppm of unperformed */
	ll_fen unpaid;	       /* plus_unpaid: the fees used and unpaid */
	ll_fen amount;	       /* the sum of the above */
};

struct charges {
	enum charges_kind kind;
	ll_day day; /* the termination day (service ends that day) */
	int reason; /* enum billing_reason */
	bool in_service_period;
	uint32_t lines;
	ll_fen total_amount; /* the annual fee */
	ll_day term_start, term_end;
	int32_t term_days, remaining_days;
	ll_fen unperformed;
	ll_fen unpaid;
	struct charges_item items[LL_MAX_CHARGES];
	size_t n_items;
	ll_fen total;	/* every item's amount */
	bool saturated; /* total is BILLING_FEN_MAX: at least that */
	/* Clause 3.2.10: the first day without service (a termination's day,
	 * or the day after the last term of a contract that expired), and
	 * the day its numbers and IP addresses may go to other customers:
	 * ended + reclaim_after_days.  LL_NO_DAY while the contract runs or
	 * when reclaim_after_days is 0. */
	ll_day ended;
	ll_day reclaim;
};

/*
 * The charges of a termination of c for `reason` on `day`, given `at`, c
 * evaluated on that day (its term, its payments).  Fills *out (kind
 * CHARGES_RECORDED; the caller may say otherwise).
 */
void charges_compute(const struct ll_contract *c, int reason, ll_day day,
		     const struct billing_contract *at, struct charges *out);

/*
 * What the end of c brings, for c evaluated as bc from its ledger entries
 * e[0..n) (billing_evaluate's arguments): the charges of the termination
 * in force on bc->today (c evaluated again on its day), or while
 * termination is possible those of a termination for nonpayment on
 * bc->today; and the reclaim date.  Returns 0, or -1 when out of memory.
 */
int charges_of_contract(const struct ll_contract *c, const struct entry *e,
			size_t n, const struct billing_contract *bc,
			struct charges *out);

/* One line for people: "6.2: 30 lines x 2,000.00 + 10,000.00 =
 * 70,000.00", the items parted by "; ", "" when none.  Returns buf. */
char *charges_text(const struct charges *ch, char *buf, size_t len);
/* "20%", "12.5%": a ppm figure as a percentage. */
char *charges_percent(uint32_t ppm, char *buf, size_t len);

#endif
