/*
 * testlib.c: see testlib.h.
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

#include "config/config.h"
#include "core/day.h"
#include "testlib.h"

char *
testlib_src_path(const char *rel)
{
	const char *top = getenv("srcdir");
	size_t n;
	char *p;

	if (top == NULL || top[0] == '\0')
		top = ".";
	n = strlen(top) + 1 + strlen(rel) + 1;
	p = malloc(n);
	assert_non_null(p);
	snprintf(p, n, "%s/%s", top, rel);
	return p;
}

char *
testlib_read_file(const char *rel, size_t *len)
{
	char *path = testlib_src_path(rel), *buf = NULL;
	FILE *f = fopen(path, "rb");
	size_t n = 0, cap = 0, got;

	if (f == NULL)
		fail_msg("cannot read %s", path);
	do {
		if (cap - n < 4096) {
			cap = cap ? 2 * cap : 8192;
			buf = realloc(buf, cap);
			assert_non_null(buf);
		}
		got = fread(buf + n, 1, cap - n - 1, f);
		n += got;
	} while (got > 0);
	assert_int_equal(ferror(f), 0);
	fclose(f);
	buf[n] = '\0';
	if (len != NULL)
		*len = n;
	free(path);
	return buf;
}

static struct ll_model *
testlib_load(const char *path)
{
	char err[CONFIG_ERRLEN];
	struct ll_model *m;

	err[0] = '\0';
	m = config_load(path, err, sizeof(err));
	if (m == NULL)
		fail_msg("%s did not load: %s", path, err);
	return m;
}

struct ll_model *
testlib_model(const char *conf_text)
{
	char path[] = "/tmp/leaseline-testlib.XXXXXX";
	int fd = mkstemp(path);
	size_t len = strlen(conf_text);
	struct ll_model *m;

	assert_true(fd >= 0);
	assert_int_equal(write(fd, conf_text, len), (ssize_t)len);
	assert_int_equal(close(fd), 0);
	m = testlib_load(path);
	unlink(path);
	return m;
}

static char *
testlib_dup(const char *s)
{
	char *p = strdup(s ? s : "");

	assert_non_null(p);
	return p;
}

/* ledger_entries()'s order: contract, day, id */
static int
testlib_entry_cmp(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	int c = strcmp(x->contract, y->contract);

	if (c != 0)
		return c;
	if (x->day != y->day)
		return x->day < y->day ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

struct snapshot *
testlib_snapshot(struct ll_model *model, const struct testlib_entry *entries,
		 size_t n, const char *day)
{
	struct entry *e = NULL;
	struct snapshot *snap;
	ll_day today;

	if (!day_parse(day, &today))
		fail_msg("not a day: %s", day);
	if (n > 0) {
		e = calloc(n, sizeof(*e));
		assert_non_null(e);
	}
	for (size_t i = 0; i < n; i++) {
		const struct testlib_entry *t = &entries[i];

		e[i].id = (int64_t)i + 1;
		e[i].kind = t->kind;
		e[i].contract = testlib_dup(t->contract);
		if (!day_parse(t->day, &e[i].day))
			fail_msg("not a day: %s", t->day);
		e[i].amount = t->amount;
		e[i].reverses = t->reverses;
		e[i].reason = t->reason;
		e[i].note = testlib_dup(t->note);
	}
	if (n > 1)
		qsort(e, n, sizeof(*e), testlib_entry_cmp);
	snap = snapshot_build(model, e, n, 0, today);
	assert_non_null(snap);
	return snap;
}

struct snapshot *
testlib_snapshot_text(const char *conf_text,
		      const struct testlib_entry *entries, size_t n,
		      const char *day)
{
	return testlib_snapshot(testlib_model(conf_text), entries, n, day);
}

struct snapshot *
testlib_snapshot_file(const char *rel, const struct testlib_entry *entries,
		      size_t n, const char *day)
{
	char *path = testlib_src_path(rel);
	struct ll_model *m = testlib_load(path);

	free(path);
	return testlib_snapshot(m, entries, n, day);
}
