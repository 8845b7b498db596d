/*
 * test_decide: the rules on what a person may record (core/decide.h),
 * on the real contract (conf/leaseline.conf, JSCZE2208138CGN00) and the
 * dates of DIGEST.md's timeline: installment 1 (359,600.00) due
 * 2022-12-31, suspended for nonpayment from 2023-01-31 (clause 2.3.4),
 * termination possible from 2023-04-01, notice deadline of term 1
 * 2022-10-02.  Each gate is tested refusing and letting through.
 *
 * The file is found under $srcdir (the top source directory; "." when
 * unset), as test_config does.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "config/config.h"
#include "core/billing.h"
#include "core/day.h"
#include "core/decide.h"

#define NUMBER "JSCZE2208138CGN00"

static struct ll_model *model;
static struct ll_contract contract; /* a copy a test may change */
static struct entry entries[8];
static size_t n_entries;
static char why[DECIDE_WHYLEN];

static ll_day
d(const char *s)
{
	ll_day day = LL_NO_DAY;

	assert_true(day_parse(s, &day));
	return day;
}

static int
setup(void **state)
{
	const char *top = getenv("srcdir");
	char path[4096], err[CONFIG_ERRLEN];

	(void)state;
	if (top == NULL || top[0] == '\0')
		top = ".";
	snprintf(path, sizeof(path), "%s/conf/leaseline.conf", top);
	model = config_load(path, err, sizeof(err));
	if (model == NULL)
		fail_msg("%s did not load: %s", path, err);
	assert_int_equal(model->n_contracts, 1);
	contract = model->contracts[0];
	assert_string_equal(contract.number, NUMBER);
	n_entries = 0;
	why[0] = '\0';
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	model_free(model);
	model = NULL;
	return 0;
}

/* Adds an entry; tests add them in day order, as the ledger gives them. */
static struct entry *
add(enum entry_kind kind, const char *day, ll_fen amount, int reason)
{
	struct entry *e = &entries[n_entries];

	assert_true(n_entries < sizeof(entries) / sizeof(entries[0]));
	*e = (struct entry){
	    .id = (int64_t)++n_entries,
	    .kind = kind,
	    .contract = NUMBER,
	    .day = d(day),
	    .amount = amount,
	    .reason = reason,
	    .note = "",
	};
	return e;
}

/* The contract on `day` from the entries so far; events up to `horizon`
 * when it is not NULL. */
static void
evaluate(const char *day, const char *horizon, struct billing_contract *bc)
{
	assert_int_equal(billing_evaluate(&contract, entries, n_entries, d(day),
					  horizon ? d(horizon) : LL_NO_DAY, bc),
			 0);
}

/* Any decision: not on a contract terminated or expired. */
static void
test_ended(void **state)
{
	struct billing_contract bc;

	(void)state;
	evaluate("2022-06-02", NULL, &bc);
	assert_int_equal(decide_may_decide(&contract, &bc, why, sizeof(why)),
			 DECIDE_OK);
	billing_contract_free(&bc);

	add(ENTRY_TERMINATE, "2022-06-01", 0, REASON_VIOLATION);
	evaluate("2022-06-02", NULL, &bc);
	assert_int_equal(decide_may_decide(&contract, &bc, why, sizeof(why)),
			 DECIDE_ENDED);
	assert_string_equal(why, "contract " NUMBER " is terminated "
				 "(violation): nothing more can be decided "
				 "on it");
	/* Every decision checks it first. */
	assert_int_equal(decide_may_suspend(&contract, &bc, why, sizeof(why)),
			 DECIDE_ENDED);
	assert_int_equal(decide_may_resume(&contract, &bc, why, sizeof(why)),
			 DECIDE_ENDED);
	assert_int_equal(decide_may_terminate(&contract, &bc, REASON_VIOLATION,
					      why, sizeof(why)),
			 DECIDE_ENDED);
	assert_int_equal(
	    decide_may_give_notice(&contract, &bc, &bc, why, sizeof(why)),
	    DECIDE_ENDED);
	billing_contract_free(&bc);
}

/* A contract that does not renew expires after its term. */
static void
test_expired(void **state)
{
	struct billing_contract bc;

	(void)state;
	contract.auto_renew = false;
	add(ENTRY_PAYMENT, "2022-12-30", 45000000, 0);
	evaluate("2022-12-31", NULL, &bc);
	assert_int_equal(decide_may_decide(&contract, &bc, why, sizeof(why)),
			 DECIDE_OK);
	billing_contract_free(&bc);
	evaluate("2023-01-05", NULL, &bc);
	assert_int_equal(decide_may_decide(&contract, &bc, why, sizeof(why)),
			 DECIDE_ENDED);
	assert_string_equal(why, "contract " NUMBER " expired after its last "
				 "term ended on 2022-12-31: nothing more can "
				 "be decided on it");
	billing_contract_free(&bc);
}

/* A person suspends once; the reason changes by resuming first. */
static void
test_suspend_once(void **state)
{
	struct billing_contract bc;

	(void)state;
	evaluate("2022-06-02", NULL, &bc);
	assert_int_equal(decide_may_suspend(&contract, &bc, why, sizeof(why)),
			 DECIDE_OK);
	billing_contract_free(&bc);

	add(ENTRY_SUSPEND, "2022-06-01", 0, REASON_VIOLATION);
	evaluate("2022-06-02", NULL, &bc);
	assert_true(decide_suspended_by_person(&bc));
	assert_int_equal(decide_may_suspend(&contract, &bc, why, sizeof(why)),
			 DECIDE_ALREADY_SUSPENDED);
	assert_string_equal(why, "contract " NUMBER " is already suspended "
				 "(violation) since 2022-06-01: to change "
				 "the reason, resume first");
	billing_contract_free(&bc);
}

/* Issue 13, suspension "decided": for nonpayment only once due (clause
 * 2.3.4, the 31st day late: 2023-01-31) or after a reminder left unpaid
 * (clause 7.1(4)). */
static void
test_suspend_nonpayment(void **state)
{
	struct billing_contract bc;

	(void)state;
	contract.suspension = LL_SUSPENSION_DECIDED;
	evaluate("2023-01-30", NULL, &bc);
	assert_int_equal(
	    decide_may_suspend_nonpayment(&contract, &bc, why, sizeof(why)),
	    DECIDE_NOT_DUE);
	assert_non_null(strstr(why, "contract " NUMBER " cannot be suspended "
				    "for nonpayment on 2023-01-30: "));
	billing_contract_free(&bc);

	evaluate("2023-01-31", NULL, &bc);
	assert_int_equal(
	    decide_may_suspend_nonpayment(&contract, &bc, why, sizeof(why)),
	    DECIDE_OK);
	billing_contract_free(&bc);

	/* A reminder sent while overdue: from the next day on. */
	add(ENTRY_REMINDER, "2023-01-05", 0, 0);
	evaluate("2023-01-05", NULL, &bc);
	assert_int_equal(
	    decide_may_suspend_nonpayment(&contract, &bc, why, sizeof(why)),
	    DECIDE_NOT_DUE);
	billing_contract_free(&bc);
	evaluate("2023-01-06", NULL, &bc);
	assert_int_equal(
	    decide_may_suspend_nonpayment(&contract, &bc, why, sizeof(why)),
	    DECIDE_OK);
	billing_contract_free(&bc);
}

/* Only what a person suspended is resumed; nonpayment lifts by paying
 * (clause 2.3.5). */
static void
test_resume(void **state)
{
	struct billing_contract bc;

	(void)state;
	evaluate("2022-06-02", NULL, &bc);
	assert_int_equal(decide_may_resume(&contract, &bc, why, sizeof(why)),
			 DECIDE_NOT_SUSPENDED);
	assert_string_equal(why, "contract " NUMBER " is not suspended by a "
				 "person: nothing to resume");
	billing_contract_free(&bc);

	/* suspension = "automatic": suspended for nonpayment since
	 * 2023-01-31; arrears on 2023-02-15 as status shows them. */
	evaluate("2023-02-15", NULL, &bc);
	assert_int_equal(decide_may_resume(&contract, &bc, why, sizeof(why)),
			 DECIDE_NONPAYMENT);
	assert_string_equal(why, "contract " NUMBER " is suspended for "
				 "nonpayment, which a person does not lift: "
				 "paying the arrears and late fees does "
				 "(clause 2.3.5): 'leaselinectl pay " NUMBER
				 " \"855,848.00\"'");
	billing_contract_free(&bc);

	contract.suspension = LL_SUSPENSION_DECIDED;
	evaluate("2023-02-15", NULL, &bc);
	assert_int_equal(decide_may_resume(&contract, &bc, why, sizeof(why)),
			 DECIDE_SUSPENSION_DUE);
	assert_non_null(strstr(why, "a suspension for nonpayment is due, not "
				    "recorded"));
	billing_contract_free(&bc);

	add(ENTRY_SUSPEND, "2022-06-01", 0, REASON_ADMINISTRATIVE);
	evaluate("2022-06-02", NULL, &bc);
	assert_int_equal(decide_may_resume(&contract, &bc, why, sizeof(why)),
			 DECIDE_OK);
	billing_contract_free(&bc);
}

/* Clause 2.3.4: termination for nonpayment only 60 days into the
 * suspension, from 2023-04-01; for another reason at any time. */
static void
test_terminate(void **state)
{
	struct billing_contract bc;

	(void)state;
	evaluate("2022-06-02", NULL, &bc);
	assert_int_equal(decide_may_terminate(&contract, &bc, REASON_NONPAYMENT,
					      why, sizeof(why)),
			 DECIDE_NOT_SUSPENDED);
	assert_string_equal(why, "contract " NUMBER " is not suspended for "
				 "nonpayment");
	assert_int_equal(decide_may_terminate(&contract, &bc, REASON_VIOLATION,
					      why, sizeof(why)),
			 DECIDE_OK);
	billing_contract_free(&bc);

	evaluate("2023-03-31", NULL, &bc);
	assert_int_equal(decide_may_terminate(&contract, &bc, REASON_NONPAYMENT,
					      why, sizeof(why)),
			 DECIDE_TOO_EARLY);
	assert_string_equal(why, "termination of contract " NUMBER " for "
				 "nonpayment becomes possible on 2023-04-01 "
				 "(clause 2.3.4)");
	billing_contract_free(&bc);

	evaluate("2023-04-01", NULL, &bc);
	assert_int_equal(decide_may_terminate(&contract, &bc, REASON_NONPAYMENT,
					      why, sizeof(why)),
			 DECIDE_OK);
	billing_contract_free(&bc);

	contract.suspension = LL_SUSPENSION_DECIDED;
	evaluate("2023-02-15", NULL, &bc);
	assert_int_equal(decide_may_terminate(&contract, &bc, REASON_NONPAYMENT,
					      why, sizeof(why)),
			 DECIDE_SUSPENSION_DUE);
	assert_non_null(strstr(why, "a suspension is due since 2023-01-31"));
	billing_contract_free(&bc);
}

/* Clause 7.1(4): a reminder only while something is overdue. */
static void
test_remind(void **state)
{
	struct billing_contract bc;

	(void)state;
	evaluate("2022-12-31", NULL, &bc);
	assert_int_equal(decide_may_remind(&contract, &bc, why, sizeof(why)),
			 DECIDE_NOTHING_OVERDUE);
	assert_string_equal(why, "contract " NUMBER ": nothing is overdue on "
				 "2022-12-31: a reminder to pay (催告, clause "
				 "7.1(4)) is for a late payment");
	billing_contract_free(&bc);

	evaluate("2023-01-01", NULL, &bc);
	assert_int_equal(decide_may_remind(&contract, &bc, why, sizeof(why)),
			 DECIDE_OK);
	billing_contract_free(&bc);
}

/* Clause 11.1: a notice for a contract that renews, once a term; in time
 * up to 2022-10-02 it ends term 1, after it term 2. */
static void
test_notice(void **state)
{
	struct billing_contract at, given;

	(void)state;
	assert_int_equal(decide_may_notice(&contract, why, sizeof(why)),
			 DECIDE_OK);
	contract.auto_renew = false;
	assert_int_equal(decide_may_notice(&contract, why, sizeof(why)),
			 DECIDE_NO_RENEWAL);
	assert_string_equal(why, "contract " NUMBER " does not renew "
				 "automatically: it ends with its term, no "
				 "notice needed");
	contract.auto_renew = true;

	evaluate("2022-10-02", NULL, &at);
	assert_int_equal(decide_notice_term(&at, d("2022-10-02")), 1);
	assert_int_equal(decide_notice_term(&at, d("2022-10-03")), 2);
	billing_contract_free(&at);

	add(ENTRY_NOTICE, "2022-09-01", 0, 0);
	evaluate("2022-09-15", NULL, &at);
	evaluate("2022-09-15", "2022-09-15", &given);
	assert_int_equal(
	    decide_may_give_notice(&contract, &at, &given, why, sizeof(why)),
	    DECIDE_NOTICE_GIVEN);
	assert_string_equal(why, "contract " NUMBER ": a non-renewal notice "
				 "for term 1 was already given on "
				 "2022-09-01");
	billing_contract_free(&at);
	billing_contract_free(&given);

	/* After the deadline a notice is for term 2: none given yet. */
	evaluate("2022-10-05", NULL, &at);
	evaluate("2022-10-05", "2022-10-05", &given);
	assert_int_equal(
	    decide_may_give_notice(&contract, &at, &given, why, sizeof(why)),
	    DECIDE_OK);
	billing_contract_free(&at);
	billing_contract_free(&given);
}

/* Only a payment is reversed, and only once. */
static void
test_reverse(void **state)
{
	struct entry *paid, *suspended, *reversal, *again;

	(void)state;
	paid = add(ENTRY_PAYMENT, "2022-12-30", 10000, 0);
	suspended = add(ENTRY_SUSPEND, "2022-12-31", 0, REASON_VIOLATION);
	reversal = add(ENTRY_REVERSAL, "2023-01-02", 0, 0);
	reversal->reverses = paid->id;
	again = add(ENTRY_PAYMENT, "2023-01-03", 10000, 0);

	assert_int_equal(decide_reversed_by(entries, n_entries, paid->id),
			 reversal->id);
	assert_int_equal(decide_reversed_by(entries, n_entries, again->id), 0);
	assert_int_equal(
	    decide_may_reverse(suspended, entries, n_entries, why, sizeof(why)),
	    DECIDE_NOT_PAYMENT);
	assert_string_equal(why, "entry 2 is a suspension of contract " NUMBER
				 ", not a payment: only payments are reversed "
				 "(lift a suspension with 'leaselinectl "
				 "resume')");
	assert_int_equal(
	    decide_may_reverse(reversal, entries, n_entries, why, sizeof(why)),
	    DECIDE_NOT_PAYMENT);
	assert_non_null(strstr(why, "(to undo a reversal, record the payment "
				    "again with 'leaselinectl pay')"));
	assert_int_equal(
	    decide_may_reverse(paid, entries, n_entries, why, sizeof(why)),
	    DECIDE_REVERSED);
	assert_string_equal(why, "payment 1 is already reversed by entry 3 "
				 "(on 2023-01-02): a payment is reversed "
				 "once");
	assert_int_equal(
	    decide_may_reverse(again, entries, n_entries, why, sizeof(why)),
	    DECIDE_OK);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_ended, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_expired, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_suspend_once, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_suspend_nonpayment, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_resume, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_terminate, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_remind, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_notice, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_reverse, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
