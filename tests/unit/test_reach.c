/*
 * test_reach: the ledger's state and its backoff (daemon/reach.c): the
 * waits 1, 2, 4, 8, 16, then 30 s; a reason published once until it
 * changes, cut at 255 octets between characters; ok again clears it;
 * and a SQLite ledger's newest entry read through reach_last_entry.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "daemon/reach.h"

static void
test_backoff(void **state)
{
	static const int waits[] = {1, 2, 4, 8, 16, 30, 30, 30};
	struct reach r = {0};
	struct mib_status st = {0};

	(void)state;
	assert_true(reach_due(&r, &st)); /* reachable: always */
	for (size_t i = 0; i < sizeof(waits) / sizeof(waits[0]); i++) {
		/* published the first time, not again for the same reason */
		assert_int_equal(reach_failed(&r, &st, "ledger x: down"),
				 i == 0);
		assert_int_equal(r.wait, waits[i]);
		assert_true(st.ledger_unreachable);
		assert_string_equal(st.ledger_error, "ledger x: down");
		assert_false(reach_due(&r, &st)); /* a second at least */
	}
	assert_true(reach_failed(&r, &st, "ledger x: refused")); /* changed */
	assert_int_equal(r.wait, 30);
	assert_string_equal(st.ledger_error, "ledger x: refused");
	assert_true(reach_ok(&r, &st, "x"));
	assert_false(st.ledger_unreachable);
	assert_string_equal(st.ledger_error, "");
	assert_int_equal(r.wait, 0);
	assert_true(reach_due(&r, &st));
	assert_false(reach_ok(&r, &st, "x")); /* nothing to publish */
	/* after ok, the next failure starts from 1 s again */
	assert_true(reach_failed(&r, &st, "ledger x: down"));
	assert_int_equal(r.wait, 1);
}

static void
test_reason_cut(void **state)
{
	struct reach r = {0};
	struct mib_status st = {0};
	char err[1024] = "a";

	(void)state;
	/* 1 + 3 * 100 octets: the cut falls inside a character */
	for (int i = 0; i < 100; i++)
		strcat(err, "账");
	assert_true(reach_failed(&r, &st, err));
	assert_int_equal(strlen(st.ledger_error), 1 + 3 * 84);
	assert_memory_equal(st.ledger_error, err, 1 + 3 * 84);
	/* the same long reason again: not published again */
	assert_false(reach_failed(&r, &st, err));
}

static void
test_last_entry(void **state)
{
	char dir[] = "/tmp/test_reach.XXXXXX", path[64], err[LEDGER_ERRLEN];
	struct ledger *l;
	int64_t last = -1;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/ledger.db", dir);
	l = ledger_open(path, LEDGER_READ_WRITE, err, sizeof(err));
	if (l == NULL)
		print_error("%s\n", err);
	assert_non_null(l);
	assert_int_equal(reach_last_entry(l, path, &last, err, sizeof(err)), 0);
	assert_int_equal(last, 0); /* a new ledger: no entry */
	ledger_close(l);
	unlink(path);
	rmdir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_backoff),
	    cmocka_unit_test(test_reason_cut),
	    cmocka_unit_test(test_last_entry),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
