/*
 * ledger_fixture.h: what the files of the test_ledger binary share.
 *
 * test_ledger.c (entries, the engine dispatch, concurrency; and main),
 * test_ledger_file.c (the file: checks, schemas, modes) and
 * test_ledger_outbox.c (transitions and the outbox) test the ledger on a
 * real SQLite file.  Each test owns a struct fixture, made by setup() and
 * freed with its temporary directory by teardown(); the helpers fail the
 * running test (cmocka) rather than return an error.
 */
#ifndef LL_TEST_LEDGER_FIXTURE_H
#define LL_TEST_LEDGER_FIXTURE_H

#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>

#include "store/ledger.h"

struct fixture {
	char dir[64];
	char path[128];
	char err[LEDGER_ERRLEN];
};

int setup(void **state);
int teardown(void **state);
struct ledger *open_rw(struct fixture *f);
struct ledger *open_ro(struct fixture *f);
int64_t append(struct fixture *f, struct ledger *l, enum entry_kind kind,
	       const char *contract, ll_day day, ll_fen amount,
	       int64_t reverses, int reason, const char *note);
int64_t pay(struct fixture *f, struct ledger *l, const char *contract,
	    ll_day day, ll_fen amount);
void refused(struct fixture *f, struct ledger *l, struct entry *e,
	     const char *want, size_t count);
/* Raw connections play the other program and the administrator. */
sqlite3 *raw_open(struct fixture *f);
void raw_exec(sqlite3 *db, const char *sql);
void raw_refused(sqlite3 *db, const char *sql, const char *want);
int64_t raw_int(sqlite3 *db, const char *sql);
void assert_err_has(const char *err, const char *want);

/* test_ledger_file.c */
void test_verify_damaged_page(void **state);
void test_verify_foreign_key(void **state);
void test_ro_missing(void **state);
void test_rw_missing_dir(void **state);
void test_newer_schema(void **state);
void test_older_schema(void **state);
void test_schema_1_migrates(void **state);
void test_schema_2_migrates(void **state);
void test_not_a_ledger(void **state);
void test_file_mode(void **state);
void test_group_reader(void **state);

/* test_ledger_outbox.c */
void test_transitions(void **state);
void test_outbox_sent_many(void **state);
void test_outbox_prune(void **state);
void test_cut_keys(void **state);

#endif
