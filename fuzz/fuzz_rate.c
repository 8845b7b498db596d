/*
 * fuzz_rate.c: libFuzzer harness for rate_parse_line() and
 * rate_parse_late_fee().
 *
 * The input, as a NUL-terminated string, goes to both parsers.
 * Properties that must hold, or the harness aborts so that the fuzzer
 * reports it:
 *   - a line rate is 1..UINT32_MAX kbit/s (zero refused), a late fee
 *     0..1000000 ppm (at most 100% a day);
 *   - an accepted input starts with a digit: no sign, no space;
 *   - what was accepted reads back the same written plainly: a line
 *     rate of N kbit/s as "N" and "Nk" (and in Mbit/s or G when whole), a
 *     late fee of N ppm as "Nppm" and as a percentage with four decimals
 *     (and in ‰ when whole).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/rate.h"

/* libFuzzer's entry points. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define PER_MILLE "\xe2\x80\xb0" /* U+2030 ‰ */

static void __attribute__((noreturn)) fail(const char *what, const char *s)
{
	fprintf(stderr, "fuzz_rate: property failed: %s (input \"%s\")\n", what,
		s);
	abort();
}

static void
line_reads_back(const char *text, uint32_t expect, const char *input)
{
	uint32_t v = 0;

	if (!rate_parse_line(text, &v))
		fail("rate_parse_line refused the rate written plainly", input);
	if (v != expect)
		fail("rate_parse_line read the rate written plainly "
		     "differently",
		     input);
}

static void
late_fee_reads_back(const char *text, uint32_t expect, const char *input)
{
	uint32_t v = UINT32_MAX;

	if (!rate_parse_late_fee(text, &v))
		fail("rate_parse_late_fee refused the rate written plainly",
		     input);
	if (v != expect)
		fail("rate_parse_late_fee read the rate written plainly "
		     "differently",
		     input);
}

static void
check_line(const char *s)
{
	char buf[64];
	uint32_t kbps = 0;

	if (!rate_parse_line(s, &kbps))
		return;
	if (kbps == 0)
		fail("rate_parse_line accepted zero", s);
	if (s[0] < '0' || s[0] > '9')
		fail("rate_parse_line accepted a rate not starting with a "
		     "digit",
		     s);
	snprintf(buf, sizeof(buf), "%u", kbps);
	line_reads_back(buf, kbps, s);
	snprintf(buf, sizeof(buf), "%uk", kbps);
	line_reads_back(buf, kbps, s);
	if (kbps % 1000 == 0) {
		snprintf(buf, sizeof(buf), "%u Mbit/s", kbps / 1000);
		line_reads_back(buf, kbps, s);
	}
	if (kbps % 1000000 == 0) {
		snprintf(buf, sizeof(buf), "%uG", kbps / 1000000);
		line_reads_back(buf, kbps, s);
	}
}

static void
check_late_fee(const char *s)
{
	char buf[64];
	uint32_t ppm = UINT32_MAX;

	if (!rate_parse_late_fee(s, &ppm))
		return;
	if (ppm > 1000000)
		fail("rate_parse_late_fee accepted more than 100% a day", s);
	if (s[0] < '0' || s[0] > '9')
		fail("rate_parse_late_fee accepted a rate not starting with a "
		     "digit",
		     s);
	snprintf(buf, sizeof(buf), "%uppm", ppm);
	late_fee_reads_back(buf, ppm, s);
	snprintf(buf, sizeof(buf), "%u.%04u%%", ppm / 10000, ppm % 10000);
	late_fee_reads_back(buf, ppm, s);
	if (ppm % 1000 == 0) {
		snprintf(buf, sizeof(buf), "%u" PER_MILLE, ppm / 1000);
		late_fee_reads_back(buf, ppm, s);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (s == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	check_line(s);
	check_late_fee(s);
	free(s);
	return 0;
}
