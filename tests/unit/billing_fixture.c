/*
 * billing_fixture.c: see billing_fixture.h.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "core/billing.h"
#include "core/day.h"
#include "core/money.h"
#include "billing_fixture.h"

struct ll_installment schedule[2];
struct ll_contract contract;
/* Ledger entries for a test, in day order. */
struct entry entries[64];
size_t n_entries;

ll_day
d(const char *s)
{
	ll_day day = LL_NO_DAY;

	assert_true(day_parse(s, &day));
	return day;
}

/* JSCZE2208138CGN00 as DIGEST.md models it. */
int
setup(void **state)
{
	(void)state;
	n_entries = 0;
	schedule[0] = (struct ll_installment){1, d("2022-12-31"), 35960000};
	schedule[1] = (struct ll_installment){2, d("2023-06-01"), 9040000};
	contract = (struct ll_contract){
	    .index = 1,
	    .number = "JSCZE2208138CGN00",
	    .term_start = d("2022-01-01"),
	    .term_end = d("2022-12-31"),
	    .auto_renew = true,
	    .renew_months = 12,
	    .notice_days = 90,
	    .annual_fee = 45000000,
	    .late_fee_ppm = 30000,
	    .suspend_after_days = 30,
	    .terminate_after_days = 60,
	    .installments = schedule,
	    .n_installments = 2,
	};
	return 0;
}

void
evaluate(const char *day, struct billing_contract *bc)
{
	assert_int_equal(
	    billing_evaluate(&contract, NULL, 0, d(day), LL_NO_DAY, bc), 0);
}

void
add_on(enum entry_kind kind, ll_day day, ll_fen amount, int reason)
{
	struct entry *e = &entries[n_entries];

	assert_true(n_entries < sizeof(entries) / sizeof(entries[0]));
	memset(e, 0, sizeof(*e));
	e->id = (int64_t)++n_entries;
	e->kind = kind;
	e->contract = "JSCZE2208138CGN00";
	e->day = day;
	e->amount = amount;
	e->reason = reason;
	e->note = kind == ENTRY_SUSPEND ? "lines used for transit" : "";
}

void
add(enum entry_kind kind, const char *day, ll_fen amount, int reason)
{
	add_on(kind, d(day), amount, reason);
}

void
run_on(ll_day day, struct billing_contract *bc)
{
	assert_int_equal(
	    billing_evaluate(&contract, entries, n_entries, day, LL_NO_DAY, bc),
	    0);
}

void
run(const char *day, struct billing_contract *bc)
{
	run_on(d(day), bc);
}
