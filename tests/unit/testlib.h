/*
 * testlib.h: what the unit tests share to stand on real inputs: files
 * under $srcdir, and a snapshot built as leaselined builds one (config's
 * loader, then snapshot_build) from a configuration's text and the
 * entries a person would record.  Every helper fails the running cmocka
 * test (fail_msg) rather than return an error.
 */
#ifndef LL_TESTLIB_H
#define LL_TESTLIB_H

#include <stddef.h>

#include "core/entry.h"
#include "core/model.h"
#include "core/snapshot.h"

/* $srcdir/rel ("." when srcdir is unset); the caller frees it. */
char *testlib_src_path(const char *rel);
/* The whole of $srcdir/rel, NUL-terminated; the caller frees it. */
char *testlib_read_file(const char *rel, size_t *len);

/* The model of a configuration's text, written to a temporary file and
 * loaded by config_load (the file is removed). */
struct ll_model *testlib_model(const char *conf_text);

/* An entry as a test writes it: day as YYYY-MM-DD, amount in fen. */
struct testlib_entry {
	enum entry_kind kind;
	const char *contract;
	const char *day;
	ll_fen amount;
	int64_t reverses;
	int reason;
	const char *note;
};

/* The snapshot of model (taken over) with entries[0..n) (ids 1..n in
 * their order, sorted as ledger_entries() returns them) on day. */
struct snapshot *testlib_snapshot(struct ll_model *model,
				  const struct testlib_entry *entries, size_t n,
				  const char *day);

/* The same from a configuration's text, or from a file under $srcdir. */
struct snapshot *testlib_snapshot_text(const char *conf_text,
				       const struct testlib_entry *entries,
				       size_t n, const char *day);
struct snapshot *testlib_snapshot_file(const char *rel,
				       const struct testlib_entry *entries,
				       size_t n, const char *day);

#endif
