/*
 * mib.h: LEASELINE-MIB served from the current snapshot.
 *
 * One handler covers llObjects (scalars and the three tables): GET and
 * GETNEXT are answered by binary search on the snapshot's sorted rows, so a
 * walk costs O(log n) per varbind whatever the number of circuits.
 */
#ifndef LL_MIB_H
#define LL_MIB_H

#include <stdint.h>

#include "snapshot.h"

#define MIB_ERRLEN 256 /* an SnmpAdminString holds 255 octets */

/* Agent-wide facts that change without a new snapshot. */
struct mib_status {
	const char *config_file;
	uint32_t reloads; /* configurations accepted, the first included */
	uint32_t rejects; /* reloads refused */
	char last_error[MIB_ERRLEN];
};

/* Registers the handler with the agent library; 0 or -1. */
int mib_init(void);
/* What the handler serves from now on; both stay owned by the caller and
 * must outlive their use (until the next mib_publish). */
void mib_publish(const struct snapshot *snap, const struct mib_status *status);

/* The OID prefix of the module, leaselineMIB, for tests and notify. */
extern const unsigned long mib_leaseline_oid[];
extern const size_t mib_leaseline_oid_len;

#endif
