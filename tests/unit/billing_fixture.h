/*
 * billing_fixture.h: the contract the billing tests share, built in
 * memory as DIGEST.md models it (JSCZE2208138CGN00), the entries of one
 * test, and the helpers that record and evaluate them.  cmocka runs one
 * test at a time, on one thread: setup() resets everything.
 */
#ifndef LL_BILLING_FIXTURE_H
#define LL_BILLING_FIXTURE_H

#include <stddef.h>

#include "core/billing.h"

extern struct ll_installment schedule[2];
extern struct ll_contract contract;
extern struct entry entries[64];
extern size_t n_entries;
ll_day d(const char *s);
int setup(void **state);
void evaluate(const char *day, struct billing_contract *bc);
void add_on(enum entry_kind kind, ll_day day, ll_fen amount, int reason);
void add(enum entry_kind kind, const char *day, ll_fen amount, int reason);
void run_on(ll_day day, struct billing_contract *bc);
void run(const char *day, struct billing_contract *bc);

#endif
