/*
 * copy.c: a whole ledger copied into an empty one, for `leaselinectl
 * ledger copy FROM TO` (issue 17 item 6), engine-independent: reads a
 * ledger through ledger.h (entries) and the engine's dump (transitions,
 * outbox, meta), writes it into an empty ledger of any engine through its
 * import, in one transaction, ids and times kept, and verifies the copy
 * by reading both back: the row count of each table and a checksum of
 * its rows as canonical text.
 *
 * The checksum is 64-bit FNV-1a over each row's fields in order, each
 * integer as decimal text and each string as its length, a colon and
 * its bytes (NULL as "-"), a row ended by a newline: two rows hash the
 * same text only when every field is the same, whatever the engine
 * stored it as.  It finds a copy that differs, not a forgery.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/engine.h"

static const char *const ledger_table_names[LEDGER_NTABLES] = {
    [LEDGER_TABLE_ENTRIES] = "entries",
    [LEDGER_TABLE_TRANSITIONS] = "transitions",
    [LEDGER_TABLE_OUTBOX] = "outbox",
    [LEDGER_TABLE_META] = "meta",
};

/* One table's hash and the whole ledger's, fed together. */
struct ledger_hash {
	uint64_t *table;
	uint64_t *all;
};

static void
ledger_hash_bytes(struct ledger_hash *h, const void *p, size_t n)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < n; i++) {
		*h->table = (*h->table ^ b[i]) * LEDGER_FNV_PRIME;
		*h->all = (*h->all ^ b[i]) * LEDGER_FNV_PRIME;
	}
}

static void
ledger_hash_int(struct ledger_hash *h, int64_t v)
{
	char buf[32];
	int n = snprintf(buf, sizeof(buf), "%" PRId64 ";", v);

	ledger_hash_bytes(h, buf, (size_t)n);
}

static void
ledger_hash_str(struct ledger_hash *h, const char *s)
{
	char buf[32];
	int n;

	if (!s) {
		ledger_hash_bytes(h, "-;", 2);
		return;
	}
	n = snprintf(buf, sizeof(buf), "%zu:", strlen(s));
	ledger_hash_bytes(h, buf, (size_t)n);
	ledger_hash_bytes(h, s, strlen(s));
	ledger_hash_bytes(h, ";", 1);
}

static void
ledger_hash_end_row(struct ledger_hash *h)
{
	ledger_hash_bytes(h, "\n", 1);
}

const char *
ledger_table_name(enum ledger_table t)
{
	return t < LEDGER_NTABLES ? ledger_table_names[t] : "?";
}

void
ledger_dump_sums(const struct ledger_dump *d, struct ledger_sums *s)
{
	struct ledger_hash h = {.all = &s->all};

	memset(s, 0, sizeof(*s));
	s->all = LEDGER_FNV_OFFSET;
	for (int t = 0; t < LEDGER_NTABLES; t++) {
		s->sum[t] = LEDGER_FNV_OFFSET;
		h.table = &s->sum[t];
		ledger_hash_str(&h, ledger_table_names[t]);
		ledger_hash_end_row(&h);
	}
	h.table = &s->sum[LEDGER_TABLE_ENTRIES];
	s->rows[LEDGER_TABLE_ENTRIES] = d->nentries;
	for (size_t i = 0; i < d->nentries; i++) {
		const struct entry *e = &d->entries[i];

		ledger_hash_int(&h, e->id);
		ledger_hash_int(&h, e->kind);
		ledger_hash_str(&h, e->contract);
		ledger_hash_int(&h, e->day);
		ledger_hash_int(&h, e->amount);
		ledger_hash_int(&h, e->reverses);
		ledger_hash_int(&h, e->reason);
		ledger_hash_str(&h, e->note);
		ledger_hash_int(&h, e->recorded_at);
		ledger_hash_end_row(&h);
	}
	h.table = &s->sum[LEDGER_TABLE_TRANSITIONS];
	s->rows[LEDGER_TABLE_TRANSITIONS] = d->ntransitions;
	for (size_t i = 0; i < d->ntransitions; i++) {
		const struct ledger_transition *t = &d->transitions[i];

		ledger_hash_int(&h, t->id);
		ledger_hash_str(&h, t->contract);
		ledger_hash_int(&h, t->day);
		ledger_hash_str(&h, t->what);
		ledger_hash_int(&h, t->from);
		ledger_hash_int(&h, t->to);
		ledger_hash_int(&h, t->recorded_at);
		ledger_hash_str(&h, t->key);
		ledger_hash_end_row(&h);
	}
	h.table = &s->sum[LEDGER_TABLE_OUTBOX];
	s->rows[LEDGER_TABLE_OUTBOX] = d->noutbox;
	for (size_t i = 0; i < d->noutbox; i++) {
		const struct ledger_notification *q = &d->outbox[i];

		ledger_hash_int(&h, q->id);
		ledger_hash_str(&h, q->contract);
		ledger_hash_str(&h, q->name);
		ledger_hash_int(&h, q->day);
		ledger_hash_str(&h, q->key);
		ledger_hash_str(&h, q->payload);
		ledger_hash_int(&h, q->created_at);
		ledger_hash_int(&h, q->sent_at);
		ledger_hash_end_row(&h);
	}
	h.table = &s->sum[LEDGER_TABLE_META];
	s->rows[LEDGER_TABLE_META] = d->nmeta;
	for (size_t i = 0; i < d->nmeta; i++) {
		ledger_hash_str(&h, d->meta[i].name);
		ledger_hash_int(&h, d->meta[i].value);
		ledger_hash_end_row(&h);
	}
}

static int
ledger_entry_by_id(const void *a, const void *b)
{
	int64_t x = ((const struct entry *)a)->id;
	int64_t y = ((const struct entry *)b)->id;

	return (x > y) - (x < y);
}

void
ledger_dump_free(struct ledger_dump *d)
{
	if (!d)
		return;
	entry_array_free(d->entries, d->nentries);
	ledger_transitions_free(d->transitions, d->ntransitions);
	ledger_notifications_free(d->outbox, d->noutbox);
	for (size_t i = 0; i < d->nmeta; i++)
		free(d->meta[i].name);
	free(d->meta);
	memset(d, 0, sizeof(*d));
}

int
ledger_dump(struct ledger *l, struct ledger_dump *d, char *err, size_t errlen)
{
	if (!d)
		return -1;
	memset(d, 0, sizeof(*d));
	if (!l) {
		ledger_seterr(err, errlen, "ledger: nothing to read");
		return -1;
	}
	/* ledger_entries sorts by contract and day: a copy goes by id. */
	if (ledger_entries(l, NULL, &d->entries, &d->nentries, err, errlen) < 0)
		return -1;
	if (d->nentries > 1)
		qsort(d->entries, d->nentries, sizeof(*d->entries),
		      ledger_entry_by_id);
	if (l->engine->dump(l, d, err, errlen) < 0) {
		ledger_dump_free(d);
		return -1;
	}
	return 0;
}

int
ledger_import(struct ledger *l, const struct ledger_dump *d, char *err,
	      size_t errlen)
{
	if (!l || !d) {
		ledger_seterr(err, errlen, "ledger: nothing to copy into");
		return -1;
	}
	if (l->mode != LEDGER_READ_WRITE) {
		ledger_seterr(err, errlen,
			      "ledger %s is open read-only: cannot copy into "
			      "it",
			      l->path);
		return -1;
	}
	/* A reversal's payment goes in first: entries by id, a reversal
	 * after what it cancels (ledger_append made it so). */
	for (size_t i = 0; i < d->nentries; i++) {
		const struct entry *e = &d->entries[i];

		if ((i > 0 && e->id <= d->entries[i - 1].id) ||
		    (e->kind == ENTRY_REVERSAL && e->reverses >= e->id)) {
			ledger_seterr(err, errlen,
				      "ledger %s: entry %" PRId64
				      " is out of order: nothing copied",
				      l->path, e->id);
			return -1;
		}
	}
	return l->engine->import(l, d, err, errlen);
}

int
ledger_copy(struct ledger *from, struct ledger *to, struct ledger_sums *fs,
	    struct ledger_sums *ts, char *err, size_t errlen)
{
	struct ledger_dump src, dst;
	int rc;

	if (ledger_dump(from, &src, err, errlen) < 0)
		return -1;
	if (ledger_import(to, &src, err, errlen) < 0) {
		ledger_dump_free(&src);
		return -1;
	}
	/* What was read from FROM, against TO read back through the same
	 * interface. */
	ledger_dump_sums(&src, fs);
	ledger_dump_free(&src);
	if (ledger_dump(to, &dst, err, errlen) < 0)
		return -1;
	ledger_dump_sums(&dst, ts);
	ledger_dump_free(&dst);
	rc = memcmp(fs->rows, ts->rows, sizeof(fs->rows)) != 0 ||
	     memcmp(fs->sum, ts->sum, sizeof(fs->sum)) != 0 ||
	     fs->all != ts->all;
	return rc;
}
