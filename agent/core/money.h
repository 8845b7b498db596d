/*
 * money.h: amounts of CNY as integer fen (1 CNY = 100 fen).
 */
#ifndef LL_MONEY_H
#define LL_MONEY_H

#include <stdbool.h>
#include <stddef.h>

#include "core/types.h"

/* 1e12 CNY: refuse above, so that a late fee of 100% a day on it for
 * 90,000 days still fits in 64 bits. */
#define MONEY_MAX    ((ll_fen)100000000000000LL)
#define MONEY_STRLEN 32

/*
 * Parses an amount written in CNY: "359600", "359,600.00", "359600.5",
 * "359600.00 CNY", "¥359,600".  Thousands separators must be well placed,
 * at most two decimals, no sign: a negative amount is refused.  No space
 * before or after the amount; one or more may part the number from the
 * unit.  Returns false on anything else or above MONEY_MAX.
 */
bool money_parse(const char *s, ll_fen *out);

/* "359,600.00" (negative amounts get a leading '-'); returns buf, which
 * holds MONEY_STRLEN bytes. */
char *money_format(ll_fen fen, char *buf);

#endif
