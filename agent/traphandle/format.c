/*
 * format.c: the one line leaseline-traphandle writes for a notification.
 *
 * Each value is decoded by the syntax mibdef gives its object, whether
 * snmptrapd printed it by the MIB's DISPLAY-HINT or, without the MIB, as
 * raw octets or numbers: both give the same line.  No floating point.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/day.h"
#include "core/money.h"
#include "core/text.h"
#include "traphandle/traphandle.h"

static void
traphandle_put(struct traphandle_buf *b, const void *data, size_t n)
{
	if (b->failed)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		char *p;

		while (cap < b->len + n + 1)
			cap *= 2;
		p = realloc(b->p, cap);
		if (p == NULL) {
			b->failed = true;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, data, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void
traphandle_puts(struct traphandle_buf *b, const char *s)
{
	traphandle_put(b, s, strlen(s));
}

static void
traphandle_putc(struct traphandle_buf *b, char c)
{
	traphandle_put(b, &c, 1);
}

/* ---- values ---- */

/*
 * net-snmp's hex dump of octets it cannot print as text: each octet as
 * two digits and a space, a line break after every 16 ("E5 B8 B8 ").
 * The form is kept to the letter, the last space included, so that a
 * text such as "AB 12" is not taken for one.  Decodes into out (at least
 * n / 3 + 1 bytes); returns the count, or -1 if s is no such dump.
 */
static long
traphandle_unhex(const char *s, size_t n, unsigned char *out)
{
	size_t i = 0, k = 0;

	if (n == 0)
		return -1;
	while (i < n) {
		int hi, lo;

		if (i + 2 >= n || s[i + 2] != ' ')
			return -1;
		hi = text_hexval(s[i]);
		lo = text_hexval(s[i + 1]);
		if (hi < 0 || lo < 0)
			return -1;
		out[k++] = (unsigned char)(hi << 4 | lo);
		i += 3;
		if (i < n && s[i] == '\n')
			i++;
	}
	return (long)k;
}

/*
 * The octets of a string value: "text" is unquoted (net-snmp escapes
 * '"' and '\'), a hex dump decoded (*dump then says so), a hinted value
 * or anything else taken as it is.  out holds at least strlen(v) + 1
 * bytes.
 */
static size_t
traphandle_octets(const char *v, bool hinted, unsigned char *out, bool *dump)
{
	size_t n = strlen(v), k = 0;
	long h;

	*dump = false;
	if (hinted || n < 2 || v[0] != '"' || traphandle_open_quote(v, n)) {
		memcpy(out, v, n);
		return n;
	}
	v++;
	n -= 2;
	h = traphandle_unhex(v, n, out);
	if (h >= 0) {
		bool text = true;

		/* net-snmp dumps in hex only what it cannot print: octets
		 * that are all printable were a string that merely looks
		 * like a dump. */
		for (long i = 0; i < h; i++)
			if (out[i] < 0x20 || out[i] > 0x7e)
				text = false;
		if (!text) {
			*dump = true;
			return (size_t)h;
		}
	}
	for (size_t i = 0; i < n; i++) {
		if (v[i] == '\\' && i + 1 < n &&
		    (v[i + 1] == '"' || v[i + 1] == '\\'))
			i++;
		out[k++] = (unsigned char)v[i];
	}
	return k;
}

/*
 * Appends octets as one field of the line: control characters become
 * spaces (the line stays one line), octets that are not UTF-8 become
 * \xNN, and the field is quoted when it holds a space, a quote, a
 * backslash or nothing, so that a reader can split the line on spaces.
 */
static void
traphandle_field(struct traphandle_buf *b, const unsigned char *s, size_t n)
{
	struct traphandle_buf f = {0};
	bool quote = n == 0;

	for (size_t i = 0; i < n;) {
		size_t u = text_utf8_char(s + i, n - i, NULL);
		char hex[5];

		if (u == 0) {
			snprintf(hex, sizeof(hex), "\\x%02X", s[i]);
			traphandle_puts(&f, hex);
			quote = true;
			i++;
			continue;
		}
		if (u == 1) {
			char c = (char)s[i];

			if (s[i] < 0x20 || s[i] == 0x7f)
				c = ' ';
			if (c == ' ')
				quote = true;
			if (c == '"' || c == '\\') {
				traphandle_putc(&f, '\\');
				quote = true;
			}
			traphandle_putc(&f, c);
		} else {
			traphandle_put(&f, s + i, u);
		}
		i += u;
	}
	if (f.failed) {
		b->failed = true;
	} else {
		if (quote)
			traphandle_putc(b, '"');
		traphandle_put(b, f.p ? f.p : "", f.len);
		if (quote)
			traphandle_putc(b, '"');
	}
	free(f.p);
}

/* A decimal integer at the start of s (after blanks), as net-snmp prints
 * INTEGER, Integer32, Counter32 and Counter64. */
static bool
traphandle_integer(const char *s, bool *negative, uint64_t *magnitude)
{
	uint64_t v = 0;
	size_t digits = 0;

	while (*s == ' ')
		s++;
	*negative = *s == '-';
	if (*negative)
		s++;
	for (; *s >= '0' && *s <= '9'; s++, digits++) {
		if (v > (UINT64_MAX - 9) / 10)
			return false;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	*magnitude = v;
	return digits > 0 && (*s == '\0' || *s == ' ' || *s == '(' ||
			      *s == ')' || *s == '\n');
}

/*
 * A date as net-snmp prints a DateAndTime, "2023-1-31,0:0:0.0,+8:0" with
 * the MIB or its octets without it: the day it names, or LL_NO_DAY for
 * the 8-octet "no date"; false when it is neither.
 */
static bool
traphandle_date(const char *v, bool hinted, ll_day *out)
{
	unsigned char oct[64];
	int y, m, d, used = 0;
	bool dump = false;
	size_t n = 0;

	if (strlen(v) < sizeof(oct))
		n = traphandle_octets(v, hinted, oct, &dump);
	if (dump) {
		if (n != 8 && n != 11)
			return false;
		y = oct[0] << 8 | oct[1];
		m = oct[2];
		d = oct[3];
	} else if (sscanf(v, "%d-%d-%d%n", &y, &m, &d, &used) != 3 ||
		   (v[used] != ',' && v[used] != '\0')) {
		return false;
	}
	if (y == 0 && m == 0 && d == 0) {
		*out = LL_NO_DAY;
		return true;
	}
	if (!day_valid(y, m, d))
		return false;
	*out = day_from_ymd(y, m, d);
	return true;
}

/* An enumeration: from its number ("2", "suspended(2)"), or from its
 * label as the MIB prints it, checked against mibdef's labels (which
 * test_mibdef holds to the agent's names). */
static const char *
traphandle_label(const char *v, const struct mibdef_object *def, char *buf,
		 size_t len)
{
	const char *paren = strchr(v, '(');
	bool neg;
	uint64_t n;

	if (traphandle_integer(paren ? paren + 1 : v, &neg, &n) && !neg &&
	    n < 100) {
		const char *name = mibdef_label(def, (long)n);

		if (name != NULL)
			return name;
		snprintf(buf, len, "%" PRIu64, n);
		return buf;
	}
	return v; /* a label this build does not know: as printed */
}

/* Appends " key=value" for one varbind; nothing for an empty string or
 * "no date", which say only that there is nothing to say. */
static void
traphandle_value(struct traphandle_buf *b, const struct traphandle_object *obj,
		 const struct traphandle_varbind *vb)
{
	const struct mibdef_object *def =
	    mibdef_object(obj->group, obj->number);
	enum mibdef_syntax kind = def->syntax;
	const char *v = vb->value;
	size_t vlen = strlen(v);
	unsigned char *oct = malloc(vlen + 1);
	char text[MONEY_STRLEN + DAY_STRLEN + 32];
	const char *shown = NULL;
	const unsigned char *field = oct;
	size_t n;
	bool neg, dump;
	uint64_t mag;
	ll_day day;

	if (oct == NULL) {
		b->failed = true;
		return;
	}
	switch (kind) {
	case MIBDEF_DATE:
		if (traphandle_date(v, vb->hinted, &day)) {
			if (day == LL_NO_DAY)
				goto out;
			shown = day_format(day, text);
		}
		break;
	case MIBDEF_MONEY:
		if (traphandle_integer(v, &neg, &mag) && !neg &&
		    mag <= (uint64_t)INT64_MAX)
			shown = money_format((ll_fen)mag, text);
		break;
	case MIBDEF_INTEGER32:
	case MIBDEF_UNSIGNED32:
	case MIBDEF_COUNTER32:
	case MIBDEF_GAUGE32:
		if (traphandle_integer(v, &neg, &mag)) {
			snprintf(text, sizeof(text), "%s%" PRIu64,
				 neg ? "-" : "", mag);
			shown = text;
		}
		break;
	case MIBDEF_ENUM:
		shown = traphandle_label(v, def, text, sizeof(text));
		break;
	case MIBDEF_TEXT:
	case MIBDEF_TRUTH: break; /* none is carried: as printed */
	}
	if (shown != NULL) {
		n = strlen(shown);
		field = (const unsigned char *)shown;
	} else {
		/* Text, or a value not of the expected form: its octets,
		 * or for a number or a date, its dump as it came. */
		n = traphandle_octets(v, vb->hinted, oct, &dump);
		if (dump && kind != MIBDEF_TEXT) {
			for (n = vlen - 2; n > 0 && v[n] == ' '; n--)
				;
			memcpy(oct, v + 1, n);
		}
		if (n == 0)
			goto out;
	}
	traphandle_putc(b, ' ');
	traphandle_puts(b, obj->key);
	traphandle_putc(b, '=');
	traphandle_field(b, field, n);
out:
	free(oct);
}

/* A text varbind as one of the line's leading fields. */
static void
traphandle_leading(struct traphandle_buf *b,
		   const struct traphandle_varbind *vb)
{
	unsigned char *oct = malloc(strlen(vb->value) + 1);
	bool dump;

	if (oct == NULL) {
		b->failed = true;
		return;
	}
	traphandle_putc(b, ' ');
	traphandle_field(b, oct,
			 traphandle_octets(vb->value, vb->hinted, oct, &dump));
	free(oct);
}

/* The sender: the address in "UDP: [127.0.0.1]:4711->[...]:162", else
 * the host name snmptrapd gave. */
static void
traphandle_from(struct traphandle_buf *b, const char *host, const char *addr)
{
	const char *open = strchr(addr, '['), *close;
	const char *s = host;
	size_t n = strlen(host);

	if (open != NULL && (close = strchr(open, ']')) != NULL &&
	    close > open + 1) {
		s = open + 1;
		n = (size_t)(close - s);
	}
	if (n == 0)
		return;
	traphandle_puts(b, " from=");
	traphandle_field(b, (const unsigned char *)s, n);
}

/* "2026-11-28T19:24:25+08:00": now, in the contracts' time zone. */
static void
traphandle_now(struct traphandle_buf *b)
{
	time_t t = time(NULL) + DAY_TZ_OFFSET_SECONDS;
	struct tm tm;
	char s[40];

	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(s, sizeof(s), "%Y-%m-%dT%H:%M:%S+08:00", &tm) == 0)
		snprintf(s, sizeof(s), "-");
	traphandle_puts(b, s);
}

/*
 * The line for the notification in vb[0..n), or false when it is not one
 * of LEASELINE-MIB's.  The contract number and the customer come first,
 * then every other object of ours in the order sent.
 */
bool
traphandle_format(struct traphandle_buf *b, const char *host, const char *addr,
		  const struct traphandle_varbind *vb, size_t n)
{
	static const unsigned int leading[] = {MIB_CONTRACT_NUMBER,
					       MIB_CONTRACT_CUSTOMER};
	const struct traphandle_object *obj;
	unsigned notification = 0;
	char name[32];

	for (size_t i = 0; i < n && notification == 0; i++)
		if (traphandle_is_trap_oid(vb[i].name))
			notification = traphandle_notification(vb[i].value);
	if (notification == 0)
		return false;
	traphandle_now(b);
	traphandle_putc(b, ' ');
	if (mibdef_notification(notification) != NULL) {
		traphandle_puts(b, mibdef_notification(notification)->name);
	} else {
		/* From a newer agent than this handler: still told. */
		snprintf(name, sizeof(name), MIBDEF_NOTIFICATIONS_NAME ".%u",
			 notification);
		traphandle_puts(b, name);
	}
	for (size_t k = 0; k < sizeof(leading) / sizeof(leading[0]); k++)
		for (size_t i = 0; i < n; i++) {
			obj = traphandle_object(vb[i].name);
			if (obj != NULL && obj->group == MIBDEF_CONTRACTS &&
			    obj->number == leading[k]) {
				traphandle_leading(b, &vb[i]);
				break;
			}
		}
	for (size_t i = 0; i < n; i++) {
		obj = traphandle_object(vb[i].name);
		if (obj != NULL && obj->key != NULL)
			traphandle_value(b, obj, &vb[i]);
	}
	traphandle_from(b, host, addr);
	traphandle_putc(b, '\n');
	return !b->failed;
}
