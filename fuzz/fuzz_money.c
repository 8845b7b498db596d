/*
 * fuzz_money.c: libFuzzer harness for money_parse() and money_format().
 *
 * The input, as a NUL-terminated string, goes to money_parse().
 * Properties that must hold, or the harness aborts so that the fuzzer
 * reports it:
 *   - an accepted amount is 0..MONEY_MAX fen, and the input holds no '-';
 *   - money_format() of it fits MONEY_STRLEN, and money_parse() reads
 *     that back as the same amount of fen;
 *   - money_format() of any ll_fen (the first eight octets of the input,
 *     INT64_MIN included) fits MONEY_STRLEN, has a sign exactly when the
 *     amount is negative, and reads back as the same amount when it is
 *     0..MONEY_MAX.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/money.h"

/* libFuzzer's entry points. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void __attribute__((noreturn)) fail(const char *what, const char *s)
{
	fprintf(stderr, "fuzz_money: property failed: %s (input \"%s\")\n",
		what, s);
	abort();
}

static int64_t
get_i64(const uint8_t *data, size_t size)
{
	uint64_t v = 0;
	size_t i;

	for (i = 0; i < 8; i++)
		v = (v << 8) | (i < size ? data[i] : 0);
	return (int64_t)v;
}

/* money_format(fen) into a guarded buffer: no byte past MONEY_STRLEN. */
static void
format_checked(ll_fen fen, char *buf, const char *input)
{
	memset(buf, 'X', MONEY_STRLEN + 8);
	buf[MONEY_STRLEN + 7] = '\0';
	money_format(fen, buf);
	if (memchr(buf, '\0', MONEY_STRLEN) == NULL || buf[MONEY_STRLEN] != 'X')
		fail("money_format wrote past MONEY_STRLEN", input);
	if ((buf[0] == '-') != (fen < 0))
		fail("money_format's sign is wrong", input);
}

static void
check_round_trip(ll_fen fen, const char *input)
{
	char buf[MONEY_STRLEN + 8];
	ll_fen back = -1;

	format_checked(fen, buf, input);
	if (fen < 0 || fen > MONEY_MAX)
		return;
	if (!money_parse(buf, &back))
		fail("money_parse refused what money_format wrote", input);
	if (back != fen)
		fail("money_parse(money_format(fen)) is not fen", input);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	ll_fen fen = -1;

	if (s == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';

	if (money_parse(s, &fen)) {
		if (fen < 0 || fen > MONEY_MAX)
			fail("money_parse accepted an amount out of range", s);
		if (strchr(s, '-') != NULL)
			fail("money_parse accepted a negative amount", s);
		check_round_trip(fen, s);
	}
	check_round_trip(get_i64(data, size), s);

	free(s);
	return 0;
}
