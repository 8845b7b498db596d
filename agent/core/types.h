/*
 * types.h: the two quantities every layer counts in.
 *
 * Money is integer fen and dates are calendar days in the contract's time
 * zone: never floating point.  Everything from the day arithmetic up to
 * the MIB handler speaks these two types, so they live below them all.
 */
#ifndef LL_TYPES_H
#define LL_TYPES_H

#include <stdint.h>

/* Money is integer fen (0.01 CNY), never floating point. */
typedef int64_t ll_fen;

/* A calendar day in the contract's time zone (UTC+08:00): days since
 * 1970-01-01.  Differences of two days are day counts. */
typedef int32_t ll_day;
#define LL_NO_DAY INT32_MIN /* a date the configuration did not give */

#endif
