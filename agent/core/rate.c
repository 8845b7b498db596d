/*
 * rate.c: line rates (kbit/s) and daily late-fee rates (ppm), exactly.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/rate.h"

#define PERCENT_FULLWIDTH "\xef\xbc\x85" /* U+FF05 ％ */
#define PER_MILLE	  "\xe2\x80\xb0" /* U+2030 ‰ */

/* A decimal number "123" or "1.5", digits only, as integer and fraction. */
struct decimal {
	uint64_t whole;
	uint64_t frac;	   /* the digits after the point, as an integer */
	unsigned int ndec; /* how many there were */
};

#define MAX_WHOLE    10000000000ULL /* more than any valid rate */
#define MAX_DECIMALS 9

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static const char *
parse_decimal(const char *s, struct decimal *d)
{
	memset(d, 0, sizeof(*d));
	if (!is_digit(*s))
		return NULL;
	for (; is_digit(*s); s++) {
		d->whole = d->whole * 10 + (uint64_t)(*s - '0');
		if (d->whole > MAX_WHOLE)
			return NULL;
	}
	if (*s != '.')
		return s;
	s++;
	if (!is_digit(*s))
		return NULL;
	for (; is_digit(*s); s++) {
		if (++d->ndec > MAX_DECIMALS)
			return NULL;
		d->frac = d->frac * 10 + (uint64_t)(*s - '0');
	}
	return s;
}

static uint64_t
power_of_ten(unsigned int n)
{
	uint64_t p = 1;

	while (n-- > 0)
		p *= 10;
	return p;
}

/* d * unit exactly, or false when that is not a whole number. */
static bool
scale(const struct decimal *d, uint64_t unit, uint64_t *out)
{
	uint64_t frac = d->frac * unit; /* < 1e9 * 1e6 */
	uint64_t p = power_of_ten(d->ndec);

	if (frac % p != 0)
		return false;
	*out = d->whole * unit + frac / p; /* < 1e10 * 1e6 + 1e6 */
	return true;
}

static const char *
skip_spaces(const char *s)
{
	while (*s == ' ')
		s++;
	return s;
}

bool
rate_parse_line(const char *s, uint32_t *kbps)
{
	static const char *const suffixes[] = {"bit/s", "bps", "b/s", ""};
	struct decimal d;
	uint64_t unit, v;
	size_t i;
	const char *after;

	if (s == NULL || (after = parse_decimal(s, &d)) == NULL)
		return false;
	s = skip_spaces(after);
	/* Decimal prefixes; "m" can only mean mega for a line rate. */
	switch (*s) {
	case '\0':
		/* A plain number is kbit/s; a space may only separate the
		 * number from its unit, as in "100 Mbit/s". */
		if (s != after)
			return false;
		unit = 0;
		break;
	case 'k':
	case 'K': unit = 1; break;
	case 'm':
	case 'M': unit = 1000; break;
	case 'g':
	case 'G': unit = 1000000; break;
	default: return false;
	}
	if (unit == 0) {
		unit = 1;
	} else {
		s++;
		for (i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++)
			if (strcmp(s, suffixes[i]) == 0)
				break;
		if (i == sizeof(suffixes) / sizeof(suffixes[0]))
			return false;
	}
	if (!scale(&d, unit, &v) || v == 0 || v > UINT32_MAX)
		return false;
	*kbps = (uint32_t)v;
	return true;
}

bool
rate_parse_late_fee(const char *s, uint32_t *ppm)
{
	struct decimal d;
	uint64_t unit, v;
	unsigned int maxdec;

	if (s == NULL || (s = parse_decimal(s, &d)) == NULL)
		return false;
	s = skip_spaces(s);
	if (strcmp(s, "%") == 0 || strcmp(s, PERCENT_FULLWIDTH) == 0) {
		unit = 10000;
		maxdec = 4;
	} else if (strcmp(s, PER_MILLE) == 0) {
		unit = 1000;
		maxdec = 3;
	} else if (strcmp(s, "ppm") == 0) {
		unit = 1;
		maxdec = 0;
	} else {
		return false; /* no unit: "3" could be 3% or 3‰ */
	}
	if (d.ndec > maxdec || !scale(&d, unit, &v) || v > 1000000)
		return false;
	*ppm = (uint32_t)v;
	return true;
}

/* The inverse of rate_parse_late_fee for what it accepts: the shortest of
 * "N%", "N‰" and the percent with its decimals (rate.h). */
char *
rate_format_late_fee(uint32_t ppm, char *buf)
{
	size_t n;

	if (ppm % 10000 == 0) {
		snprintf(buf, RATE_STRLEN, "%u%%", ppm / 10000);
		return buf;
	}
	if (ppm % 1000 == 0) {
		snprintf(buf, RATE_STRLEN, "%u" PER_MILLE, ppm / 1000);
		return buf;
	}
	/* Percent with the decimals it needs: 500 ppm is 0.05%. */
	snprintf(buf, RATE_STRLEN, "%u.%04u", ppm / 10000, ppm % 10000);
	n = strlen(buf);
	while (buf[n - 1] == '0')
		buf[--n] = '\0';
	snprintf(buf + n, RATE_STRLEN - n, "%%");
	return buf;
}
