/*
 * oid.c: what the OIDs snmptrapd prints name, for leaseline-traphandle.
 *
 * snmptrapd prints a name by the MIBs it has: "LEASELINE-MIB::
 * llContractNumber.1", "iso.3.6.1.4.1.8072...", ".1.3.6.1...", or the -Of
 * path ".iso.org.dod...".  Each is resolved to numbers: LEASELINE-MIB's
 * names and numbers come from snmp/mibdef (no second copy here), the
 * framework's few from the table below.
 */
#include <stdio.h>
#include <string.h>

#include "traphandle/traphandle.h"

static const char traphandle_trap_oid[] = "1.3.6.1.6.3.1.1.4.1.0";

/* The objects the notifications carry and what the line calls them. */
static const struct traphandle_object traphandle_objects[] = {
    {MIBDEF_AGENT, MIB_CONFIG_FILE, "file"},
    {MIBDEF_AGENT, MIB_CONFIG_REJECTS, "rejects"},
    {MIBDEF_AGENT, MIB_CONFIG_LAST_ERROR, "lastError"},
    {MIBDEF_CONTRACTS, MIB_CONTRACT_NUMBER, NULL},
    {MIBDEF_CONTRACTS, MIB_CONTRACT_CUSTOMER, NULL},
    {MIBDEF_CONTRACTS, MIB_CONTRACT_TERM_END, "termEnd"},
    {MIBDEF_CONTRACTS, MIB_CONTRACT_NOTICE_DEADLINE, "noticeDeadline"},
    {MIBDEF_CONTRACTS, MIB_CONTRACT_DAYS_TO_NOTICE, "daysToNotice"},
    {MIBDEF_CONTRACTS, MIB_CONTRACT_SERVICE_STATE, "state"},
    {MIBDEF_CONTRACTS, MIB_CONTRACT_SUSPENSION_REASON, "reason"},
    {MIBDEF_CONTRACTS, MIB_CONTRACT_SUSPENSION_NOTE, "note"},
    {MIBDEF_CONTRACTS, MIB_CONTRACT_SUSPENDED_SINCE, "since"},
    {MIBDEF_CONTRACTS, MIB_CONTRACT_DAYS_SUSPENDED, "daysSuspended"},
    {MIBDEF_CONTRACTS, MIB_CONTRACT_TERMINATION_DATE, "terminationDate"},
    {MIBDEF_CONTRACTS, MIB_CONTRACT_OUTSTANDING, "outstanding"},
    {MIBDEF_CONTRACTS, MIB_CONTRACT_OVERDUE_AMOUNT, "overdue"},
    {MIBDEF_CONTRACTS, MIB_CONTRACT_LATE_FEE, "lateFee"},
    {MIBDEF_CONTRACTS, MIB_CONTRACT_DAYS_OVERDUE, "daysOverdue"},
    {MIBDEF_CONTRACTS, MIB_CONTRACT_TERMINATION_CHARGE, "terminationCharge"},
    {MIBDEF_CONTRACTS, MIB_CONTRACT_TERMINATION_CHARGE_BASIS, "chargeBasis"},
    {MIBDEF_CONTRACTS, MIB_CONTRACT_RECLAIM_DATE, "reclaimDate"},
    {MIBDEF_INSTALLMENTS, MIB_INSTALLMENT_DUE_DATE, "dueDate"},
    {MIBDEF_INSTALLMENTS, MIB_INSTALLMENT_DAYS_TO_DUE, "daysToDue"},
    {MIBDEF_INSTALLMENTS, MIB_INSTALLMENT_OUTSTANDING, "outstanding"},
    {MIBDEF_INSTALLMENTS, MIB_INSTALLMENT_DAYS_OVERDUE, "daysOverdue"},
    {MIBDEF_INSTALLMENTS, MIB_INSTALLMENT_LATE_FEE, "lateFee"},
};

#define TRAPHANDLE_N_OBJECTS                                                   \
	(sizeof(traphandle_objects) / sizeof(traphandle_objects[0]))

/*
 * Names snmptrapd may print for the OIDs above LEASELINE-MIB, with the
 * MIBs it happens to have: the full path of -Of, the SNMPv2-SMI names
 * when SNMPv2-MIB is missing, NET-SNMP-MIB's when only LEASELINE-MIB is.
 * The module's own parent (netSnmpPlaypen) is mibdef's.
 */
static const struct {
	const char *name;
	const char *oid;
} traphandle_symbols[] = {
    {"iso", "1"},
    {"org", "1.3"},
    {"dod", "1.3.6"},
    {"internet", "1.3.6.1"},
    {"private", "1.3.6.1.4"},
    {"enterprises", "1.3.6.1.4.1"},
    {"snmpV2", "1.3.6.1.6"},
    {"snmpModules", "1.3.6.1.6.3"},
    {"snmpMIB", "1.3.6.1.6.3.1"},
    {"snmpMIBObjects", "1.3.6.1.6.3.1.1"},
    {"snmpTrap", "1.3.6.1.6.3.1.1.4"},
    {"snmpTrapOID", "1.3.6.1.6.3.1.1.4.1"},
    {"netSnmp", "1.3.6.1.4.1.8072"},
    {"netSnmpExperimental", "1.3.6.1.4.1.8072.9999"},
};

/* The entry of traphandle_objects for an object, or NULL. */
static const struct traphandle_object *
traphandle_keyed(enum mibdef_group group, unsigned long number)
{
	for (size_t i = 0; i < TRAPHANDLE_N_OBJECTS; i++)
		if (traphandle_objects[i].group == group &&
		    traphandle_objects[i].number == number)
			return &traphandle_objects[i];
	return NULL;
}

static bool
traphandle_is(const char *name, const char *s, size_t n)
{
	return strlen(name) == n && memcmp(name, s, n) == 0;
}
/* Appends the dotted decimal arcs of s; false on anything else. */
static bool
traphandle_numeric(const char *s, size_t n, struct traphandle_oid *o)
{
	size_t i = 0;

	while (i < n) {
		uint64_t v = 0;
		size_t start = i;

		while (i < n && s[i] >= '0' && s[i] <= '9') {
			v = v * 10 + (uint64_t)(s[i] - '0');
			if (v > UINT32_MAX)
				return false;
			i++;
		}
		if (i == start || o->len == TRAPHANDLE_MAX_ARCS)
			return false;
		o->arc[o->len++] = (uint32_t)v;
		if (i < n && s[i++] != '.')
			return false;
	}
	return n == 0 || s[n - 1] != '.';
}

/* *o = leaselineMIB's first root_len arcs, then arcs[0..n). */
static bool
traphandle_mib_oid(struct traphandle_oid *o, size_t root_len,
		   const uint32_t *arcs, size_t n)
{
	o->len = 0;
	for (size_t i = 0; i < root_len; i++)
		o->arc[o->len++] = (uint32_t)mibdef_root[i];
	for (size_t i = 0; i < n; i++)
		o->arc[o->len++] = arcs[i];
	return true;
}

/* The OID a symbol names, replacing *o; false if unknown. */
static bool
traphandle_symbol(const char *s, size_t n, struct traphandle_oid *o)
{
	const struct mibdef_notification *notification;
	const struct mibdef_group_def *g;
	const struct mibdef_object *ob;
	size_t root = mibdef_root_len;
	bool entry;

	o->len = 0;
	for (size_t i = 0;
	     i < sizeof(traphandle_symbols) / sizeof(traphandle_symbols[0]);
	     i++) {
		const char *oid = traphandle_symbols[i].oid;

		if (traphandle_is(traphandle_symbols[i].name, s, n))
			return traphandle_numeric(oid, strlen(oid), o);
	}
	if (traphandle_is(MIBDEF_ROOT_PARENT, s, n))
		return traphandle_mib_oid(o, root - 1, NULL, 0);
	if (traphandle_is(MIBDEF_ROOT_NAME, s, n))
		return traphandle_mib_oid(o, root, NULL, 0);
	if (traphandle_is(MIBDEF_NOTIFICATIONS_NAME, s, n))
		return traphandle_mib_oid(
		    o, root, (const uint32_t[]){MIBDEF_NOTIFICATIONS_ARC}, 1);
	if (traphandle_is(MIBDEF_OBJECTS_NAME, s, n))
		return traphandle_mib_oid(
		    o, root, (const uint32_t[]){MIBDEF_OBJECTS_ARC}, 1);
	if ((g = mibdef_group_named(s, n, &entry)) != NULL)
		return traphandle_mib_oid(o, root,
					  (const uint32_t[]){MIBDEF_OBJECTS_ARC,
							     g->arc,
							     MIBDEF_ENTRY_ARC},
					  entry ? 3 : 2);
	if ((ob = mibdef_object_named(s, n)) != NULL) {
		if (ob->group == MIBDEF_AGENT)
			return traphandle_mib_oid(
			    o, root,
			    (const uint32_t[]){MIBDEF_OBJECTS_ARC, ob->group,
					       ob->number},
			    3);
		return traphandle_mib_oid(
		    o, root,
		    (const uint32_t[]){MIBDEF_OBJECTS_ARC, ob->group,
				       MIBDEF_ENTRY_ARC, ob->number},
		    4);
	}
	notification = mibdef_notification_named(s, n);
	if (notification != NULL)
		return traphandle_mib_oid(
		    o, root,
		    (const uint32_t[]){MIBDEF_NOTIFICATIONS_ARC,
				       notification->number},
		    2);
	return false;
}
/*
 * An OID as snmptrapd prints it: "LEASELINE-MIB::llContractNumber.1",
 * "iso.3.6.1.4.1.8072...", ".1.3.6.1...", or the -Of path
 * ".iso.org.dod...".  Each known name restarts the OID at the place it
 * names; an unknown one is forgiven if a known one follows.
 */
static bool
traphandle_resolve(const char *text, struct traphandle_oid *o)
{
	const char *s = text, *colons;
	bool known = true;

	while ((colons = strstr(s, "::")) != NULL)
		s = colons + 2;
	if (*s == '.')
		s++;
	o->len = 0;
	while (*s != '\0') {
		size_t n = strcspn(s, ".");

		if (n == 0)
			return false;
		if (s[0] >= '0' && s[0] <= '9') {
			if (!known || !traphandle_numeric(s, n, o))
				return false;
		} else {
			known = traphandle_symbol(s, n, o);
		}
		s += n;
		if (*s == '.')
			s++;
	}
	return known && o->len > 0;
}

/* Whether o starts with the dotted prefix p; *rest is what follows. */
static bool
traphandle_under(const struct traphandle_oid *o, const char *p, size_t *rest)
{
	struct traphandle_oid pre = {.len = 0};

	if (!traphandle_numeric(p, strlen(p), &pre) || pre.len > o->len)
		return false;
	for (size_t i = 0; i < pre.len; i++)
		if (o->arc[i] != pre.arc[i])
			return false;
	*rest = pre.len;
	return true;
}

/* The notification an snmpTrapOID value names: its number under
 * llNotifications, or 0 when it is not one of LEASELINE-MIB. */
unsigned
traphandle_notification(const char *value)
{
	struct traphandle_oid o;
	size_t r;

	if (!traphandle_resolve(value, &o) ||
	    !traphandle_under(&o, mibdef_root_dotted(), &r) || o.len != r + 2 ||
	    o.arc[r] != MIBDEF_NOTIFICATIONS_ARC || o.arc[r + 1] == 0)
		return 0;
	return o.arc[r + 1];
}

/* The object of ours a varbind's name is an instance of, or NULL. */
const struct traphandle_object *
traphandle_object(const char *name)
{
	struct traphandle_oid o;
	size_t r;
	uint32_t table, column;

	if (!traphandle_resolve(name, &o) ||
	    !traphandle_under(&o, mibdef_root_dotted(), &r) || o.len < r + 4 ||
	    o.arc[r] != MIBDEF_OBJECTS_ARC)
		return NULL;
	table = o.arc[r + 1];
	if (table == MIBDEF_AGENT) {
		column = o.arc[r + 2];
	} else {
		if (o.arc[r + 2] != MIBDEF_ENTRY_ARC || o.len < r + 5)
			return NULL;
		column = o.arc[r + 3];
	}
	return traphandle_keyed((enum mibdef_group)table, column);
}

bool
traphandle_is_trap_oid(const char *name)
{
	struct traphandle_oid o;
	size_t r;

	return traphandle_resolve(name, &o) &&
	       traphandle_under(&o, traphandle_trap_oid, &r) && r == o.len;
}

/*
 * Whether a varbind's name ends in the name of one of our objects
 * ("LEASELINE-MIB::llContractCustomer.1"): snmptrapd then has the MIB and
 * prints strings by their DISPLAY-HINT, as they are, without quotes or
 * escapes, so that a note starting with '"' is no quoted string.
 */
bool
traphandle_hinted(const char *name)
{
	const char *s = name, *colons, *label = NULL;
	const struct mibdef_object *ob;
	size_t n = 0;

	while ((colons = strstr(s, "::")) != NULL)
		s = colons + 2;
	while (*s != '\0') {
		size_t k = strcspn(s, ".");

		if (k > 0 && !(s[0] >= '0' && s[0] <= '9')) {
			label = s;
			n = k;
		}
		s += k;
		if (*s == '.')
			s++;
	}
	if (label == NULL)
		return false;
	ob = mibdef_object_named(label, n);
	return ob != NULL && traphandle_keyed(ob->group, ob->number) != NULL;
}
