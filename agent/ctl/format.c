/*
 * format.c: leaselinectl's text output: display widths, tables, days
 * and times, and the words for states and events (format.h, ctl.h).
 */
#include <stdio.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "ctl/ctl.h"
#include "ctl/format.h"
#include "core/day.h"
#include "core/text.h"

#define CTL_BAD_CHAR 0xFFFFFFFFu /* what ctl_utf8_next returns on bad input */

/*
 * Decodes one UTF-8 character at *s and advances *s past it.  What is not
 * UTF-8 (text.h) skips its first octet alone and gives CTL_BAD_CHAR.  At
 * most 4 octets are looked at, and a NUL ends a character short, so the
 * decoder never reads past the end of s.
 */
static uint32_t
ctl_utf8_next(const char **s)
{
	uint32_t cp;
	size_t u = text_utf8_char((const unsigned char *)*s, 4, &cp);

	if (u == 0) {
		*s += 1;
		return CTL_BAD_CHAR;
	}
	*s += u;
	return cp;
}

struct ctl_range {
	uint32_t first, last;
};

/*
 * Characters of Unicode's East Asian Width classes W and F, by block.
 * Unassigned code points inside a wide block are counted wide too, which
 * is what terminals do.  Emoji are covered by their main blocks only.
 */
/* One block a line: reads better than clang-format's packing. */
/* clang-format off */
static const struct ctl_range ctl_wide[] = {
	{0x1100, 0x115F},	/* Hangul Jamo leading consonants */
	{0x231A, 0x231B},	/* watch, hourglass */
	{0x2329, 0x232A},	/* angle brackets */
	/* emoji of width 2 among the miscellaneous symbols */
	{0x23E9, 0x23EC}, {0x23F0, 0x23F0}, {0x23F3, 0x23F3},
	{0x25FD, 0x25FE}, {0x2614, 0x2615}, {0x2648, 0x2653},
	{0x267F, 0x267F}, {0x2693, 0x2693}, {0x26A1, 0x26A1},
	{0x26AA, 0x26AB}, {0x26BD, 0x26BE}, {0x26C4, 0x26C5},
	{0x26CE, 0x26CE}, {0x26D4, 0x26D4}, {0x26EA, 0x26EA},
	{0x26F2, 0x26F3}, {0x26F5, 0x26F5}, {0x26FA, 0x26FA},
	{0x26FD, 0x26FD}, {0x2705, 0x2705}, {0x270A, 0x270B},
	{0x2728, 0x2728}, {0x274C, 0x274C}, {0x274E, 0x274E},
	{0x2753, 0x2755}, {0x2757, 0x2757}, {0x2795, 0x2797},
	{0x27B0, 0x27B0}, {0x27BF, 0x27BF}, {0x2B1B, 0x2B1C},
	{0x2B50, 0x2B50}, {0x2B55, 0x2B55},
	{0x2E80, 0x303E},	/* CJK radicals, Kangxi, CJK symbols: 、。 */
	{0x3041, 0x33FF},	/* kana, Bopomofo, Hangul compatibility */
	{0x3400, 0x4DBF},	/* CJK extension A */
	{0x4E00, 0x9FFF},	/* CJK unified ideographs */
	{0xA000, 0xA4CF},	/* Yi */
	{0xA960, 0xA97F},	/* Hangul Jamo extended A */
	{0xAC00, 0xD7A3},	/* Hangul syllables */
	{0xF900, 0xFAFF},	/* CJK compatibility ideographs */
	{0xFE10, 0xFE19},	/* vertical forms */
	{0xFE30, 0xFE6F},	/* CJK compatibility forms, small forms */
	{0xFF00, 0xFF60},	/* fullwidth forms: ，；：（） */
	{0xFFE0, 0xFFE6},	/* fullwidth signs: ￥ */
	{0x16FE0, 0x16FE4},	/* ideographic symbols */
	{0x17000, 0x18CFF},	/* Tangut */
	{0x1B000, 0x1B2FF},	/* kana supplement and extensions */
	{0x1F004, 0x1F004}, {0x1F0CF, 0x1F0CF}, {0x1F18E, 0x1F18E},
	{0x1F191, 0x1F19A},	/* squared words */
	{0x1F200, 0x1F2FF},	/* enclosed ideographic supplement */
	{0x1F300, 0x1F64F},	/* pictographs, emoticons */
	{0x1F680, 0x1F6FF},	/* transport and map symbols */
	{0x1F7E0, 0x1F7EB},	/* coloured circles and squares */
	{0x1F90C, 0x1F9FF},	/* supplemental pictographs */
	{0x1FA70, 0x1FAFF},	/* symbols and pictographs extended A */
	{0x20000, 0x2FFFD},	/* CJK extensions B to F */
	{0x30000, 0x3FFFD},	/* CJK extension G */
};

/* Combining marks and invisible format characters: no column. */
static const struct ctl_range ctl_zero[] = {
	{0x0300, 0x036F},	/* combining diacritical marks */
	{0x0483, 0x0489}, {0x0591, 0x05BD}, {0x0610, 0x061A},
	{0x064B, 0x065F}, {0x1AB0, 0x1AFF}, {0x1DC0, 0x1DFF},
	{0x200B, 0x200F},	/* zero width space, joiners, marks */
	{0x202A, 0x202E},	/* bidirectional embedding */
	{0x2060, 0x2064},	/* word joiner, invisible operators */
	{0x20D0, 0x20FF},	/* combining marks for symbols */
	{0x302A, 0x302D},	/* ideographic tone marks */
	{0x3099, 0x309A},	/* combining kana voicing marks */
	{0xFE00, 0xFE0F},	/* variation selectors */
	{0xFE20, 0xFE2F},	/* combining half marks */
	{0xFEFF, 0xFEFF},	/* byte order mark */
	{0xE0100, 0xE01EF},	/* variation selectors supplement */
};
/* clang-format on */

static bool
ctl_in(uint32_t cp, const struct ctl_range *r, size_t n)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (cp > r[mid].last)
			lo = mid + 1;
		else if (cp < r[mid].first)
			hi = mid;
		else
			return true;
	}
	return false;
}

static size_t
ctl_char_width(uint32_t cp)
{
	if (cp == CTL_BAD_CHAR)
		return 1;
	if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0))
		return 0;
	/* Zero-width is checked first: U+3099 lies in a wide block. */
	if (ctl_in(cp, ctl_zero, sizeof(ctl_zero) / sizeof(ctl_zero[0])))
		return 0;
	if (ctl_in(cp, ctl_wide, sizeof(ctl_wide) / sizeof(ctl_wide[0])))
		return 2;
	return 1;
}

size_t
ctl_display_width(const char *s)
{
	size_t w = 0;

	while (*s != '\0')
		w += ctl_char_width(ctl_utf8_next(&s));
	return w;
}

bool
ctl_text_ok(const char *s)
{
	while (*s != '\0') {
		uint32_t cp = ctl_utf8_next(&s);

		if (cp == CTL_BAD_CHAR || cp < 0x20 ||
		    (cp >= 0x7F && cp < 0xA0) || cp == 0x2028 || cp == 0x2029)
			return false;
	}
	return true;
}

/* ------------------------------------------------------------ tables -- */

struct ctl_table {
	size_t ncols;
	char **headers; /* NULL: no header row */
	enum ctl_align *align;
	char **cells; /* rows * ncols, NULL for a cell never filled */
	size_t rows, cap_rows;
	size_t col; /* next cell of the last row */
	bool failed;
};

struct ctl_table *
ctl_table_new(size_t ncols, const char *const *headers,
	      const enum ctl_align *align)
{
	struct ctl_table *t = calloc(1, sizeof(*t));

	if (t == NULL)
		return NULL;
	t->ncols = ncols;
	t->align = calloc(ncols, sizeof(*t->align));
	if (t->align == NULL)
		goto fail;
	if (align != NULL)
		memcpy(t->align, align, ncols * sizeof(*align));
	if (headers != NULL) {
		t->headers = calloc(ncols, sizeof(*t->headers));
		if (t->headers == NULL)
			goto fail;
		for (size_t i = 0; i < ncols; i++)
			if ((t->headers[i] = strdup(headers[i])) == NULL)
				goto fail;
	}
	return t;
fail:
	ctl_table_free(t);
	return NULL;
}

void
ctl_table_row(struct ctl_table *t)
{
	if (t->failed)
		return;
	if (t->rows == t->cap_rows) {
		size_t cap = t->cap_rows ? 2 * t->cap_rows : 16;
		char **p = realloc(t->cells, cap * t->ncols * sizeof(*p));

		if (p == NULL) {
			t->failed = true;
			return;
		}
		t->cells = p;
		t->cap_rows = cap;
	}
	memset(&t->cells[t->rows * t->ncols], 0, t->ncols * sizeof(char *));
	t->rows++;
	t->col = 0;
}

void
ctl_table_cell(struct ctl_table *t, const char *fmt, ...)
{
	va_list ap, again;
	char *s;
	int n;

	if (t->failed || t->rows == 0 || t->col >= t->ncols)
		return;
	va_start(ap, fmt);
	va_copy(again, ap);
	n = vsnprintf(NULL, 0, fmt, ap);
	s = n < 0 ? NULL : malloc((size_t)n + 1);
	if (s != NULL)
		vsnprintf(s, (size_t)n + 1, fmt, again);
	va_end(again);
	va_end(ap);
	if (s == NULL) {
		t->failed = true;
		return;
	}
	t->cells[(t->rows - 1) * t->ncols + t->col++] = s;
}

static void
ctl_pad(FILE *out, size_t n)
{
	while (n-- > 0)
		fputc(' ', out);
}

static void
ctl_table_line(const struct ctl_table *t, char *const *cells,
	       const size_t *width, FILE *out, const char *indent)
{
	size_t last = t->ncols;

	/* No trailing blanks: the last non-empty left-aligned cell ends the
	 * line. */
	while (last > 0 && (cells[last - 1] == NULL || !*cells[last - 1]))
		last--;
	fputs(indent, out);
	for (size_t i = 0; i < last; i++) {
		const char *s = cells[i] ? cells[i] : "";
		size_t w = ctl_display_width(s);

		if (i > 0)
			fputs("  ", out);
		if (t->align[i] == CTL_RIGHT)
			ctl_pad(out, width[i] - w);
		fputs(s, out);
		if (t->align[i] == CTL_LEFT && i + 1 < last)
			ctl_pad(out, width[i] - w);
	}
	fputc('\n', out);
}

int
ctl_table_print(const struct ctl_table *t, FILE *out, const char *indent)
{
	size_t *width;

	if (t == NULL || t->failed)
		return -1;
	width = calloc(t->ncols ? t->ncols : 1, sizeof(*width));
	if (width == NULL)
		return -1;
	for (size_t c = 0; c < t->ncols; c++) {
		if (t->headers != NULL)
			width[c] = ctl_display_width(t->headers[c]);
		for (size_t r = 0; r < t->rows; r++) {
			const char *s = t->cells[r * t->ncols + c];
			size_t w = s ? ctl_display_width(s) : 0;

			if (w > width[c])
				width[c] = w;
		}
	}
	if (t->headers != NULL)
		ctl_table_line(t, t->headers, width, out, indent);
	for (size_t r = 0; r < t->rows; r++)
		ctl_table_line(t, &t->cells[r * t->ncols], width, out, indent);
	free(width);
	return 0;
}

void
ctl_table_free(struct ctl_table *t)
{
	if (t == NULL)
		return;
	if (t->headers != NULL)
		for (size_t i = 0; i < t->ncols; i++)
			free(t->headers[i]);
	free(t->headers);
	for (size_t i = 0; i < t->rows * t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	free(t->align);
	free(t);
}

/* ------------------------------------------------------ days, times -- */

const char *
ctl_day(ll_day d, char *buf)
{
	if (d == LL_NO_DAY)
		return "-";
	return day_format(d, buf);
}

char *
ctl_format_time(int64_t t, bool iso, char *buf)
{
	ll_day d = day_of_time((time_t)t);
	int64_t secs = t - (int64_t)day_start_time(d);
	char day[DAY_STRLEN];

	snprintf(buf, CTL_TIMESTRLEN, "%s%c%02d:%02d:%02d%s",
		 day_format(d, day), iso ? 'T' : ' ', (int)(secs / 3600),
		 (int)(secs / 60 % 60), (int)(secs % 60), iso ? "+08:00" : "");
	return buf;
}

/* ------------------------------------------------ words for states -- */

/* leaseline.conf(5) suspension */
const char *
ctl_suspension_mode(enum ll_suspension m)
{
	return m == LL_SUSPENSION_DECIDED ? "decided" : "automatic";
}

/* "suspended (nonpayment)", "active", "terminated (violation)" */
const char *
ctl_service_text(const struct billing_contract *bc, char *buf, size_t len)
{
	if (bc->reason == REASON_NONE || bc->service == SERVICE_ACTIVE)
		snprintf(buf, len, "%s", billing_service_name(bc->service));
	else
		snprintf(buf, len, "%s (%s)", billing_service_name(bc->service),
			 billing_reason_name(bc->reason));
	return buf;
}

const char *
ctl_event_text(const struct billing_event *ev, char *buf, size_t len)
{
	switch (ev->kind) {
	case BILLING_EV_DUE: snprintf(buf, len, "installment due"); break;
	case BILLING_EV_OVERDUE: snprintf(buf, len, "first day overdue"); break;
	case BILLING_EV_PAYMENT: snprintf(buf, len, "payment received"); break;
	case BILLING_EV_PAID:
		snprintf(buf, len, "installment paid in full");
		break;
	case BILLING_EV_SUSPENDED:
		snprintf(buf, len, "service suspended (%s)",
			 billing_reason_name(ev->reason));
		break;
	case BILLING_EV_RESTORED:
		/* issue 13: payment in full ends a suspension due too */
		snprintf(buf, len, "%s",
			 ev->from == SERVICE_SUSPENSION_DUE
			     ? "suspension no longer due"
			     : "service restored");
		break;
	case BILLING_EV_SUSPENSION_DUE:
		snprintf(buf, len,
			 "suspension due (%s), for a person to record",
			 billing_reason_name(ev->reason));
		break;
	case BILLING_EV_REMINDER:
		snprintf(buf, len, "reminder to pay sent (clause 7.1(4))");
		break;
	case BILLING_EV_TERMINATION_POSSIBLE:
		snprintf(buf, len, "termination possible");
		break;
	case BILLING_EV_TERMINATED:
		snprintf(buf, len, "service terminated (%s)",
			 billing_reason_name(ev->reason));
		break;
	case BILLING_EV_NOTICE_GIVEN:
		snprintf(buf, len, "non-renewal notice given");
		break;
	case BILLING_EV_NOTICE_DEADLINE:
		snprintf(buf, len, "last day for non-renewal notice");
		break;
	case BILLING_EV_RENEWED:
		/* issue 13: a term billed for a service suspended */
		if (ev->reason != REASON_NONE)
			snprintf(buf, len,
				 "term renewed and billed while suspended (%s)",
				 billing_reason_name(ev->reason));
		else
			snprintf(buf, len, "term renewed");
		break;
	case BILLING_EV_EXPIRED:
		if (ev->reason != REASON_NONE)
			snprintf(
			    buf, len,
			    "contract expired: suspended (%s) when its term "
			    "would renew",
			    billing_reason_name(ev->reason));
		else
			snprintf(buf, len, "contract expired");
		break;
	case BILLING_EV_DUE_SOON:
		snprintf(buf, len, "reminder: due in %d day%s", ev->days,
			 ev->days == 1 ? "" : "s");
		break;
	case BILLING_EV_NOTICE_DUE:
		snprintf(buf, len, "reminder: notice deadline in %d day%s",
			 ev->days, ev->days == 1 ? "" : "s");
		break;
	default: snprintf(buf, len, "%s", billing_event_name(ev->kind)); break;
	}
	return buf;
}

/* Events whose amount means something (the others carry 0). */
bool
ctl_event_has_amount(const struct billing_event *ev)
{
	switch (ev->kind) {
	case BILLING_EV_DUE:
	case BILLING_EV_OVERDUE:
	case BILLING_EV_PAYMENT:
	case BILLING_EV_PAID:
	case BILLING_EV_DUE_SOON:
	case BILLING_EV_SUSPENSION_DUE:
	case BILLING_EV_REMINDER:
	case BILLING_EV_TERMINATION_POSSIBLE: return true;
	case BILLING_EV_SUSPENDED: return ev->reason == REASON_NONPAYMENT;
	default: return false;
	}
}

/* Reminders (the days leaselined sends llPaymentDueSoon and
 * llRenewalNoticeDue) are events of the timeline, not transitions of the
 * contract's state. */
bool
ctl_event_is_reminder(const struct billing_event *ev)
{
	return ev->kind == BILLING_EV_DUE_SOON ||
	       ev->kind == BILLING_EV_NOTICE_DUE;
}
