/*
 * traphandle.h: the parts of leaseline-traphandle (one process, one
 * thread, run by snmptrapd once per notification).
 *
 *   main.c   reading stdin, opening the log safely, the one write(2)
 *   input.c  cutting snmptrapd's text into host, address and varbinds
 *   oid.c    naming: OIDs as snmptrapd prints them, resolved against
 *            snmp/mibdef's LEASELINE-MIB and the few framework names
 *   format.c the line: values decoded by their object's syntax
 *
 * Every buffer belongs to main(), which frees it; the input is cut in
 * place and the varbinds point into it.
 */
#ifndef LL_TRAPHANDLE_H
#define LL_TRAPHANDLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "snmp/mibdef.h"

#define TRAPHANDLE_PROG	     "leaseline-traphandle"
#define TRAPHANDLE_MAX_INPUT (1024 * 1024) /* a PDU is at most 64 KiB */
#define TRAPHANDLE_MAX_ARCS  128	   /* MAX_OID_LEN of net-snmp */

struct traphandle_oid {
	uint32_t arc[TRAPHANDLE_MAX_ARCS];
	size_t len;
};

/* A growing string; once an allocation failed, it stays failed. */
struct traphandle_buf {
	char *p;
	size_t len, cap;
	bool failed;
};

/* One varbind, both halves pointing into the input. */
struct traphandle_varbind {
	char *name;
	char *value;
	bool hinted; /* named by our MIB: printed by its DISPLAY-HINT */
};

/* An object the notifications carry (mibdef says which), with the key
 * the line calls it by: NULL for the contract number and the customer,
 * the line's first two fields. */
struct traphandle_object {
	enum mibdef_group group;
	unsigned int number;
	const char *key;
};

/* oid.c */
const struct traphandle_object *traphandle_object(const char *name);
unsigned traphandle_notification(const char *value);
bool traphandle_is_trap_oid(const char *name);
bool traphandle_hinted(const char *name);

/* input.c */
bool traphandle_open_quote(const char *v, size_t n);
long traphandle_split(char *in, size_t len, char **host, char **addr,
		      struct traphandle_varbind **out);

/* format.c */
bool traphandle_format(struct traphandle_buf *b, const char *host,
		       const char *addr, const struct traphandle_varbind *vb,
		       size_t n);

#endif
