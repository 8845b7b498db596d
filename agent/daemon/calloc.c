/*
 * calloc.c: leaselined's calloc, small blocks through glibc's thread cache.
 *
 * net-snmp allocates every PDU, varbind, request and agent session it
 * handles with calloc, several per AgentX request.  glibc 2.36 (Debian 12)
 * serves malloc's small blocks from a per-thread cache without a lock, but
 * never calloc's: each calloc takes the arena lock, which costs atomic
 * instructions once the process has started a thread (leaselined has its
 * evaluation thread) and for good, even after the thread is joined.
 * Measured on the build machine, pinned to one CPU, two calloc and two
 * free of 64 and 200 bytes: 110 ns single-threaded, 160 ns with a thread,
 * 30 ns as malloc and memset.  That difference is most of what leaselined
 * paid for a walk above the single-threaded AgentX floor (BENCHMARKS.md).
 *
 * Defined in the executable, this calloc interposes on the one of every
 * library leaselined links (net-snmp, SQLite, libpq, libconfig): the
 * memory still comes from glibc's malloc and goes back through its free.
 * Only blocks the cache can hold go this way; a larger one keeps glibc's
 * calloc, which knows when fresh pages are already zero and leaves them
 * untouched (not resident).  The daemon only: snmpd's calloc is snmpd's,
 * whatever the module defines.
 *
 * Not built under AddressSanitizer, whose runtime defines calloc for its
 * own accounting, nor on a C library other than glibc (the large case
 * needs glibc's __libc_calloc).
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#if defined(__SANITIZE_ADDRESS__)
#define LL_CALLOC 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define LL_CALLOC 0
#endif
#endif
#if !defined(LL_CALLOC) && defined(__GLIBC__)
#define LL_CALLOC 1
#endif

#if LL_CALLOC
/* Exported by glibc for allocators that wrap its own. */
extern void *__libc_calloc(size_t n, size_t size);

/* glibc's thread cache holds blocks of up to 1032 bytes (tcache_max). */
#define CALLOC_CACHED_MAX 1024

/* Exported (the build hides symbols by default): the libraries must
 * find this one. */
__attribute__((visibility("default"))) void *
calloc(size_t n, size_t size)
{
	size_t total;
	void *p;

	if (__builtin_mul_overflow(n, size, &total)) {
		errno = ENOMEM;
		return NULL;
	}
	if (total > CALLOC_CACHED_MAX)
		return __libc_calloc(n, size);
	p = malloc(total);
	/* Hide from the compiler that p is malloc's: it would otherwise
	 * fold malloc and memset back into a call of calloc, this one. */
	__asm__("" : "+r"(p));
	if (p != NULL)
		memset(p, 0, total);
	return p;
}
#else
/* ISO C forbids an empty translation unit. */
typedef int ll_calloc_unused;
#endif
