/*
 * test_calloc.c: leaselined's calloc (agent/daemon/calloc.c), linked into
 * this program as into leaselined: zeroed memory from blocks malloc hands
 * out again, overflow refused, and the libraries finding this calloc
 * (glibc's in a sanitizer build, where calloc.c defines none).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

/* calloc.c defines calloc only without AddressSanitizer, whose runtime
 * then answers, and aborts on an overflow (not this file's to test). */
#if defined(__SANITIZE_ADDRESS__)
#define OWN_CALLOC 0
#else
#define OWN_CALLOC 1
#endif

/* The sizes net-snmp asks for (a varbind, a PDU, a session), the largest
 * the thread cache holds, and past it. */
static const size_t sizes[] = {1,    24,   64,	 200,  400,
			       1000, 1024, 1025, 4096, 1 << 20};

static void
assert_zero(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != 0)
			fail_msg("byte %zu of %zu is 0x%02x, not 0", i, n,
				 p[i]);
}

/* A block freed dirty comes back zeroed. */
static void
test_reused_block_zeroed(void **state)
{
	(void)state;
	for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		size_t n = sizes[k];
		unsigned char *dirty = malloc(n);

		assert_non_null(dirty);
		memset(dirty, 0xA5, n);
		free(dirty);
		for (int round = 0; round < 3; round++) {
			unsigned char *p = calloc(1, n);

			assert_non_null(p);
			assert_zero(p, n);
			memset(p, 0x5A, n);
			free(p);
		}
	}
}

/* n elements of size bytes: the product, zeroed, as ISO C asks. */
static void
test_elements(void **state)
{
	uint32_t *v = calloc(250, sizeof(*v));

	(void)state;
	assert_non_null(v);
	assert_zero((const unsigned char *)v, 250 * sizeof(*v));
	v[249] = 7; /* the whole block is ours */
	free(v);
}

#if OWN_CALLOC
/* A product past SIZE_MAX is refused with ENOMEM, never wrapped into a
 * small block. */
static void
test_overflow(void **state)
{
	/* volatile: the compiler would refuse the call it can compute */
	volatile size_t half = SIZE_MAX / 2;
	volatile size_t root = (size_t)1 << (sizeof(size_t) * 4);

	(void)state;
	errno = 0;
	assert_null(calloc(half, 3));
	assert_int_equal(errno, ENOMEM);
	errno = 0;
	assert_null(calloc(root, root));
	assert_int_equal(errno, ENOMEM);
}
#endif

/* Zero bytes: NULL or a block free() takes, as glibc's. */
static void
test_zero_bytes(void **state)
{
	(void)state;
	free(calloc(0, 16));
	free(calloc(16, 0));
}

/* What a library's call of calloc lands on.  In a plain build the one of
 * this program, ahead of glibc's (RTLD_NEXT); in a sanitizer build
 * calloc.c defines none, and the runtime's is the only one found. */
static void
test_libraries_find_it(void **state)
{
	void *first = dlsym(RTLD_DEFAULT, "calloc");
	void *next = dlsym(RTLD_NEXT, "calloc");

	(void)state;
	assert_non_null(first);
#if OWN_CALLOC
	assert_non_null(next);
	assert_ptr_equal(first, (void *)calloc);
	assert_ptr_not_equal(first, next);
#else
	assert_ptr_equal(first, next);
#endif
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reused_block_zeroed),
		cmocka_unit_test(test_elements),
#if OWN_CALLOC
		cmocka_unit_test(test_overflow),
#endif
		cmocka_unit_test(test_zero_bytes),
		cmocka_unit_test(test_libraries_find_it),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
