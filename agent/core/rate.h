/*
 * rate.h: line rates and daily late-fee rates, written as people write them.
 */
#ifndef LL_RATE_H
#define LL_RATE_H

#include <stdbool.h>
#include <stdint.h>

/*
 * A line rate in kbit/s from "1000M", "100 Mbit/s", "2G", "512k",
 * "10Mbps" (decimal units: 1M = 1000k, 1G = 1000000k).  A plain
 * number is kbit/s.  Zero, fractions of a kbit/s and rates above
 * UINT32_MAX kbit/s are refused.
 */
bool rate_parse_line(const char *s, uint32_t *kbps);

/*
 * A daily late-fee rate in parts per million from "3%", "3‰", "0.05%",
 * "300ppm" (at most 4 decimals for %, 3 for ‰; exact, never rounded).
 * Refuses negatives and rates above 100% per day.
 */
bool rate_parse_late_fee(const char *s, uint32_t *ppm);

/*
 * A daily late-fee rate in parts per million as people write it: "3%",
 * "3‰", "0.05%" (whole percent, else whole per mille, else percent with
 * the decimals it needs).  What it writes rate_parse_late_fee reads back
 * to the same ppm.  buf holds RATE_STRLEN octets.
 */
#define RATE_STRLEN 24
char *rate_format_late_fee(uint32_t ppm, char *buf);

#endif
