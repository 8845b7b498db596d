/*
 * money.c: CNY amounts as integer fen, parsed and printed exactly.
 */
#include <stdint.h>
#include <string.h>

#include "core/money.h"

#define YEN_SIGN      "\xc2\xa5"     /* U+00A5 ¥ */
#define FULLWIDTH_YEN "\xef\xbf\xa5" /* U+FFE5 ￥, common in Chinese text */
#define YUAN	      "\xe5\x85\x83" /* 元 */

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static const char *
skip_prefix(const char *s, const char *prefix)
{
	size_t n = strlen(prefix);

	return strncmp(s, prefix, n) == 0 ? s + n : NULL;
}

/*
 * Reads the yuan part: plain digits, or digits grouped by thousands
 * ("359,600"; the first group 1 to 3 digits, each next one exactly 3).
 * Returns the end of the number or NULL; *yuan is bounded by MONEY_MAX.
 */
static const char *
parse_yuan(const char *s, uint64_t *yuan)
{
	const uint64_t limit = (uint64_t)MONEY_MAX / 100;
	uint64_t v = 0;
	int group = 0; /* digits since the last comma or start */
	bool commas = false;

	if (!is_digit(*s))
		return NULL;
	for (;; s++) {
		if (is_digit(*s)) {
			v = v * 10 + (uint64_t)(*s - '0');
			if (v > limit)
				return NULL;
			group++;
			if (commas && group > 3)
				return NULL;
		} else if (*s == ',') {
			if (commas ? group != 3 : group > 3)
				return NULL;
			commas = true;
			group = 0;
		} else {
			break;
		}
	}
	if (commas && group != 3)
		return NULL;
	*yuan = v;
	return s;
}

bool
money_parse(const char *s, ll_fen *out)
{
	const char *p, *unit;
	uint64_t yuan, fen = 0;

	if (s == NULL)
		return false;
	if ((p = skip_prefix(s, YEN_SIGN)) != NULL ||
	    (p = skip_prefix(s, FULLWIDTH_YEN)) != NULL)
		s = p;
	s = parse_yuan(s, &yuan);
	if (s == NULL)
		return false;
	if (*s == '.') {
		s++;
		if (!is_digit(s[0]))
			return false;
		fen = (uint64_t)(s[0] - '0') * 10;
		s++;
		if (is_digit(s[0])) {
			fen += (uint64_t)(s[0] - '0');
			s++;
		}
		if (is_digit(s[0]))
			return false; /* a third decimal is not a fen */
	}
	/* Spaces only between the number and its unit: "100 CNY", not
	 * "100 " (nor " 100", which parse_yuan refuses), so that an amount
	 * is the same text wherever it is written. */
	unit = s + strspn(s, " ");
	if ((p = skip_prefix(unit, "CNY")) != NULL ||
	    (p = skip_prefix(unit, YUAN)) != NULL)
		s = p;
	if (*s != '\0')
		return false;
	if (yuan * 100 + fen > (uint64_t)MONEY_MAX)
		return false;
	*out = (ll_fen)(yuan * 100 + fen);
	return true;
}

char *
money_format(ll_fen fen, char *buf)
{
	char digits[24];
	uint64_t v;
	size_t n = 0, i, len = 0;

	/* The magnitude as unsigned: -INT64_MIN does not fit an int64_t. */
	v = fen < 0 ? (uint64_t)0 - (uint64_t)fen : (uint64_t)fen;
	do {
		digits[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v > 0 || n < 3);
	/* digits[] holds the number backwards, at least "0.00". */
	if (fen < 0)
		buf[len++] = '-';
	for (i = n; i > 2; i--) {
		buf[len++] = digits[i - 1];
		if (i - 3 > 0 && (i - 3) % 3 == 0)
			buf[len++] = ',';
	}
	buf[len++] = '.';
	buf[len++] = digits[1];
	buf[len++] = digits[0];
	buf[len] = '\0';
	return buf;
}
