/*
 * decide.h: the contract's rules on what a person may record, as a core
 * type: whether a suspension, resumption, termination, reminder,
 * non-renewal notice or reversal may go into the ledger, and if not, why.
 *
 * Pure, like billing: no I/O, no clock, no globals, nothing allocated.
 * Each decide_may_* takes the contract and billing's evaluation of it on
 * the day the function names, which the caller made and owns, and
 * returns DECIDE_OK or the rule that refuses, with the refusal written to
 * why[0..len): one sentence for people, naming the contract, the day and
 * the clause.  A front end prints it as it is; where the way out is
 * another entry, the sentence names leaselinectl's command for it
 * (DECIDE_CTL), the one program that records entries.
 */
#ifndef LL_DECIDE_H
#define LL_DECIDE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/billing.h"
#include "core/entry.h"
#include "core/model.h"

#define DECIDE_CTL    "leaselinectl" /* named in the ways out */
#define DECIDE_WHYLEN 512	     /* enough for every refusal */

/* Which rule refused an entry; DECIDE_OK when none did. */
enum decide_verdict {
	DECIDE_OK = 0,
	DECIDE_ENDED,		  /* terminated or expired: nothing more */
	DECIDE_ALREADY_SUSPENDED, /* by a person: resume first */
	DECIDE_NOT_DUE,		  /* nonpayment: no ground to suspend yet */
	DECIDE_NOT_SUSPENDED,	  /* nothing a person suspended */
	DECIDE_SUSPENSION_DUE,	  /* due for nonpayment, not recorded */
	DECIDE_NONPAYMENT,	  /* suspended for nonpayment: paying lifts */
	DECIDE_TOO_EARLY,	  /* termination for nonpayment not yet */
	DECIDE_NOTHING_OVERDUE,	  /* a reminder with nothing late */
	DECIDE_NO_RENEWAL,	  /* a notice for a contract that ends */
	DECIDE_NOTICE_GIVEN,	  /* a notice for that term exists */
	DECIDE_NOT_PAYMENT,	  /* only payments are reversed */
	DECIDE_REVERSED,	  /* a payment is reversed once */
};

/* The word for an entry kind in people's messages: "payment", ... */
const char *decide_kind_name(enum entry_kind k);

/* Suspended by a person for another reason than nonpayment (clause
 * 7.1): what only a resumption lifts. */
bool decide_suspended_by_person(const struct billing_contract *bc);

/* The id of the entry among all[0..n) that reverses payment `id`, 0 when
 * none does. */
int64_t decide_reversed_by(const struct entry *all, size_t n, int64_t id);

/* Clause 11.1: the term a non-renewal notice given on `on` ends, bc
 * evaluated on that day: the current one when on or before its deadline,
 * else the next. */
uint32_t decide_notice_term(const struct billing_contract *bc, ll_day on);

/* Any decision: not on a contract terminated or expired (bc evaluated on
 * the day the decision takes effect). */
enum decide_verdict decide_may_decide(const struct ll_contract *c,
				      const struct billing_contract *bc,
				      char *why, size_t len);

/* A suspension, bc on the day it takes effect: not on an ended contract,
 * nor on one a person already suspended (the reason changes by resuming
 * first). */
enum decide_verdict decide_may_suspend(const struct ll_contract *c,
				       const struct billing_contract *bc,
				       char *why, size_t len);

/* Issue 13, suspension "decided": a suspension for nonpayment, `at`
 * evaluated on its own day, only on billing's grounds
 * (billing_may_suspend: clauses 2.3.4, 7.1(4)). */
enum decide_verdict
decide_may_suspend_nonpayment(const struct ll_contract *c,
			      const struct billing_contract *at, char *why,
			      size_t len);

/* A resumption, bc on the day it takes effect: only of a suspension a
 * person recorded; one for nonpayment is lifted by paying the arrears and
 * late fees (clause 2.3.5). */
enum decide_verdict decide_may_resume(const struct ll_contract *c,
				      const struct billing_contract *bc,
				      char *why, size_t len);

/* A termination for `reason`, bc on the day it takes effect: for
 * nonpayment only once termination is possible, terminate_after_days into
 * the suspension (clause 2.3.4). */
enum decide_verdict decide_may_terminate(const struct ll_contract *c,
					 const struct billing_contract *bc,
					 enum billing_reason reason, char *why,
					 size_t len);

/* Clause 7.1(4): a reminder to pay, `at` evaluated on the day it was
 * sent: only while something is overdue. */
enum decide_verdict decide_may_remind(const struct ll_contract *c,
				      const struct billing_contract *at,
				      char *why, size_t len);

/* Clause 11.1: a non-renewal notice only for a contract that renews. */
enum decide_verdict decide_may_notice(const struct ll_contract *c, char *why,
				      size_t len);

/* A non-renewal notice given on at->today (`at` evaluated on that day):
 * not on an ended contract, and once for the term it ends; `given` is an
 * evaluation on the same day with its events (those that say which
 * notices are recorded). */
enum decide_verdict decide_may_give_notice(const struct ll_contract *c,
					   const struct billing_contract *at,
					   const struct billing_contract *given,
					   char *why, size_t len);

/* Reversing entry p, all[0..n) the entries of its contract: only a
 * payment, and only once. */
enum decide_verdict decide_may_reverse(const struct entry *p,
				       const struct entry *all, size_t n,
				       char *why, size_t len);

#endif
