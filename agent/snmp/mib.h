/*
 * mib.h: LEASELINE-MIB served from the current snapshot.
 *
 * One handler covers llObjects (scalars and the three tables): GET and
 * GETNEXT are answered by binary search on the snapshot's sorted rows,
 * O(log n), and a GETNEXT of the row a table last answered with (what a
 * walk sends) in O(1), from the row after it.
 *
 * Everything here runs on the thread that serves SNMP (leaselined's loop,
 * snmpd's in the module): net-snmp is not thread-safe, and the snapshot
 * and status published stay the caller's (service.c's).  The numbers and
 * names of LEASELINE-MIB are snmp/mibdef.h's.
 */
#ifndef LL_MIB_H
#define LL_MIB_H

#include <stdbool.h>
#include <stdint.h>

#include "core/snapshot.h"
#include "core/text.h"
#include "snmp/mibdef.h" /* enum mib_object, enum mib_notification */

#define MIB_ERRLEN (TEXT_ADMIN_MAX + 1)

/*
 * A sub-identifier of a request as SNMP means it.  AgentX carries
 * sub-identifiers as unsigned 32-bit integers, but snmpd 5.9.3 hands a
 * subagent those of 2^31 and above sign-extended to 64 bits (index
 * 4294967295 as 18446744073709551615): these are taken back to their 32
 * bits.  Any other value above 4294967295 is returned as it is: no index
 * reaches it, so a GETNEXT orders it after every row, as it must.
 */
unsigned long mib_subid(unsigned long v);

/*
 * llContractBlockedPorts: the ports as decimal numbers separated by
 * commas ("80,8080,443") in out, NUL-terminated; returns the length.  A
 * list longer than the TEXT_ADMIN_MAX octets of an SnmpAdminString ends
 * after the last whole port that leaves room for ",...", and then with
 * ",...": never with part of a number, which would name another port.
 */
size_t mib_ports_text(const uint16_t *ports, size_t n,
		      char out[TEXT_ADMIN_MAX + 1]);

/* Agent-wide facts that change without a new snapshot. */
struct mib_status {
	const char *config_file;
	uint32_t reloads; /* configurations accepted, the first included */
	uint32_t rejects; /* reloads refused */
	char last_error[MIB_ERRLEN];
	/* llLedgerState unreachable(2) when set, else ok(1); what the
	 * ledger answered in ledger_error, "" when it is reachable. */
	bool ledger_unreachable;
	char ledger_error[MIB_ERRLEN];
};

/* Registers the handler with the agent library; 0 or -1. */
int mib_init(void);
/* Unregisters it (a dlmod module being unloaded). */
void mib_shutdown(void);
/* What the handler serves from now on; both stay owned by the caller and
 * must outlive their use (until the next mib_publish). */
void mib_publish(const struct snapshot *snap, const struct mib_status *status);

/*
 * For tests: the handler's GETNEXT and GET on the snapshot published,
 * with names as suffixes under llObjects (leaselineMIB.1).  mib_next_name
 * writes the name of the object past name[0..len) (at it, when
 * inclusive; at most 8 sub-identifiers) to out; 0, or -1 past the last
 * object.  mib_get_name is 0 when name is an object, else -1.
 * mib_successor_hits counts the lookups answered from where the table's
 * last answer was, without a search.
 */
int mib_next_name(const unsigned long *name, size_t len, bool inclusive,
		  unsigned long *out, size_t *out_len);
int mib_get_name(const unsigned long *name, size_t len);
unsigned long mib_successor_hits(void);

/* DateAndTime of 00:00 +08:00 on day (MIB_DATE_LEN octets), or the eight
 * zero octets of "no date" for LL_NO_DAY; returns the length. */
#define MIB_DATE_LEN 11
size_t mib_day_octets(ll_day day, unsigned char *out);

/* "llContractSuspended" for MIB_CONTRACT_SUSPENDED; NULL for a number the
 * module does not define. */
const char *mib_notification_name(unsigned int n);
/* The number of the notification named name[0..len), or 0. */
unsigned int mib_notification_number(const char *name, size_t len);
/* leaselineMIB, dotted: mibdef_root_dotted(). */
const char *mib_leaseline_dotted(void);

/* The OID prefix of the module, leaselineMIB (MIBDEF_ROOT_ARCS), for tests
 * and notify. */
extern const unsigned long mib_leaseline_oid[];
extern const size_t mib_leaseline_oid_len;

#endif
