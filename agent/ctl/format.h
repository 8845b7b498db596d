/*
 * format.h: leaselinectl's text output: tables that line up with
 * Chinese text, days and times as people read them (format.c).  The words
 * for states are in ctl.h.
 *
 * Nothing here depends on the locale: display widths come from our own
 * table of East Asian wide characters, so a table lines up the same in a
 * cron job's mail (LANG=C) as in a terminal.
 */
#ifndef LL_CTL_FORMAT_H
#define LL_CTL_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/model.h"

/* Columns that UTF-8 text s takes on a terminal: 2 for each East Asian
 * wide or fullwidth character (Chinese, fullwidth punctuation), 0 for
 * combining marks and zero-width characters, 1 otherwise.  An invalid
 * byte counts as one column. */
size_t ctl_display_width(const char *s);

/* Whether s is valid UTF-8 without control characters: what a note must
 * be to print on one line and in JSON. */
bool ctl_text_ok(const char *s);

/*
 * A table: a header row (or none), then rows of cells, printed with every
 * column as wide as its widest cell and two spaces between columns.
 * Cells are copied.  Out of memory is remembered and reported by
 * ctl_table_print, so callers need not check every cell.
 */
enum ctl_align {
	CTL_LEFT = 0,
	CTL_RIGHT = 1,
};

struct ctl_table;

/* headers: ncols strings, or NULL for a table without a header row. */
struct ctl_table *ctl_table_new(size_t ncols, const char *const *headers,
				const enum ctl_align *align);
/* Starts a new row; the cells that follow fill it from the left. */
void ctl_table_row(struct ctl_table *t);
void ctl_table_cell(struct ctl_table *t, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Prints each line after `indent`; -1 (nothing printed) when out of
 * memory. */
int ctl_table_print(const struct ctl_table *t, FILE *out, const char *indent);
void ctl_table_free(struct ctl_table *t);

/* A Unix time at UTC+08:00, the contracts' time zone (no time zone
 * database: the offset is fixed): "YYYY-MM-DD HH:MM:SS" for people, or
 * with `iso` "YYYY-MM-DDTHH:MM:SS+08:00" (RFC 3339) for scripts. */
#define CTL_TIMESTRLEN 26
char *ctl_format_time(int64_t t, bool iso, char *buf);

/* "YYYY-MM-DD", or "-" for LL_NO_DAY. */
const char *ctl_day(ll_day d, char *buf);

#endif
