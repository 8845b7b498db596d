/*
 * test_codec: the payload an outbox row keeps (snmp/notify_int.h).  What
 * the rules write is read back into the varbinds they meant, of every
 * type the payload has; a row that is not a payload (hand-edited,
 * damaged, or from a version that wrote another type) is refused whole,
 * never sent in part.
 */
#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "snmp/mib.h"
#include "snmp/notify_int.h"

/* leaselineMIB.1.2.1.COLUMN.1 */
static const char *
column_oid(int column)
{
	static char buf[NOTIFY_OID_LEN];

	snprintf(buf, sizeof(buf), "%s.1.2.1.%d.1", mib_leaseline_dotted(),
		 column);
	return buf;
}

/* dotted into want[]: the test's own reading, not the codec's */
static size_t
parse_dotted(const char *dotted, oid *want)
{
	size_t len = 0;
	char *end;

	while (*dotted != '\0') {
		assert_true(len < MAX_OID_LEN);
		want[len++] = strtoul(dotted, &end, 10);
		assert_true(end != dotted);
		dotted = *end == '.' ? end + 1 : end;
	}
	return len;
}

static void
assert_name(const netsnmp_variable_list *v, const char *dotted)
{
	oid want[MAX_OID_LEN];
	size_t len = parse_dotted(dotted, want);

	assert_non_null(v);
	assert_int_equal(v->name_length, len);
	assert_memory_equal(v->name, want, len * sizeof(oid));
}

static void
test_round_trip(void **state)
{
	static const unsigned char octets[] = {0x00, 0xff, 0x7f, 0x0a,
					       0xe5, 0xb8, 0xb8};
	struct notify_payload p = {0};
	netsnmp_variable_list *vars, *v;
	char trap[NOTIFY_OID_LEN];
	const uint64_t big = 0x123456789abcdef0u;

	(void)state;
	notify_payload_octets(&p, column_oid(MIB_CONTRACT_NUMBER), octets,
			      sizeof(octets));
	notify_payload_octets(&p, column_oid(MIB_CONTRACT_SUSPENSION_NOTE), "",
			      0);
	notify_payload_number(&p, column_oid(MIB_CONTRACT_DAYS_OVERDUE), 'i',
			      -2147483647 - 1);
	notify_payload_number(&p, column_oid(MIB_CONTRACT_SERVICE_STATE), 'i',
			      2147483647);
	notify_payload_number(&p, column_oid(MIB_CONTRACT_DAYS_SUSPENDED), 'u',
			      4294967295);
	notify_payload_number(&p, column_oid(MIB_CONTRACT_TERMINATION_DATE),
			      'C', 7);
	notify_payload_number(&p, column_oid(MIB_CONTRACT_LATE_FEE), 'c',
			      (int64_t)big);
	assert_false(p.failed);
	assert_non_null(p.text);

	vars = notify_payload_decode("llContractSuspended", p.text, 4242);
	assert_non_null(vars);
	/* sysUpTime.0 and snmpTrapOID.0 first */
	v = vars;
	assert_name(v, "1.3.6.1.2.1.1.3.0");
	assert_int_equal(v->type, ASN_TIMETICKS);
	assert_int_equal(*v->val.integer, 4242);
	v = v->next_variable;
	assert_name(v, "1.3.6.1.6.3.1.1.4.1.0");
	assert_int_equal(v->type, ASN_OBJECT_ID);
	snprintf(trap, sizeof(trap), "%s.0.%d", mib_leaseline_dotted(),
		 MIB_CONTRACT_SUSPENDED);
	{
		oid want[MAX_OID_LEN];
		size_t len = parse_dotted(trap, want);

		assert_int_equal(v->val_len, len * sizeof(oid));
		assert_memory_equal(v->val.objid, want, len * sizeof(oid));
	}
	/* then the payload's, in its order, with its types */
	v = v->next_variable;
	assert_name(v, column_oid(MIB_CONTRACT_NUMBER));
	assert_int_equal(v->type, ASN_OCTET_STR);
	assert_int_equal(v->val_len, sizeof(octets));
	assert_memory_equal(v->val.string, octets, sizeof(octets));
	v = v->next_variable;
	assert_name(v, column_oid(MIB_CONTRACT_SUSPENSION_NOTE));
	assert_int_equal(v->type, ASN_OCTET_STR);
	assert_int_equal(v->val_len, 0);
	v = v->next_variable;
	assert_int_equal(v->type, ASN_INTEGER);
	assert_int_equal(*v->val.integer, -2147483647L - 1);
	v = v->next_variable;
	assert_int_equal(v->type, ASN_INTEGER);
	assert_int_equal(*v->val.integer, 2147483647L);
	v = v->next_variable;
	assert_name(v, column_oid(MIB_CONTRACT_DAYS_SUSPENDED));
	assert_int_equal(v->type, ASN_GAUGE);
	assert_int_equal((unsigned long)*v->val.integer, 4294967295UL);
	v = v->next_variable;
	assert_int_equal(v->type, ASN_COUNTER);
	assert_int_equal(*v->val.integer, 7);
	v = v->next_variable;
	assert_name(v, column_oid(MIB_CONTRACT_LATE_FEE));
	assert_int_equal(v->type, ASN_COUNTER64);
	assert_int_equal(v->val.counter64->high, big >> 32);
	assert_int_equal(v->val.counter64->low, big & 0xffffffffu);
	assert_null(v->next_variable);
	snmp_free_varbind(vars);
	notify_payload_free(&p);
	assert_null(p.text);
}

/* Money is signed in the model: what is written negative comes back as
 * its 64 bits, as it always was sent. */
static void
test_negative_money(void **state)
{
	struct notify_payload p = {0};
	netsnmp_variable_list *vars, *v;

	(void)state;
	notify_payload_number(&p, column_oid(MIB_CONTRACT_OUTSTANDING), 'c',
			      -1);
	vars = notify_payload_decode("llContractRestored", p.text, 0);
	assert_non_null(vars);
	v = vars->next_variable->next_variable;
	assert_int_equal(v->type, ASN_COUNTER64);
	assert_int_equal(v->val.counter64->high, 0xffffffffu);
	assert_int_equal(v->val.counter64->low, 0xffffffffu);
	snmp_free_varbind(vars);
	notify_payload_free(&p);
}

/* A notification with no object (none has, but the codec allows it). */
static void
test_empty_payload(void **state)
{
	netsnmp_variable_list *vars;

	(void)state;
	vars = notify_payload_decode("llConfigRejected", "", 1);
	assert_non_null(vars);
	assert_non_null(vars->next_variable);
	assert_null(vars->next_variable->next_variable);
	snmp_free_varbind(vars);
}

static void
test_refused(void **state)
{
	static const char *const bad[] = {
	    "1.3.6.1 s",		      /* no value separator */
	    "1.3.6.1",			      /* no type */
	    "1.3.6.1 x 1",		      /* unknown type */
	    "1.3.6.1 ss 00",		      /* a type of two letters */
	    "1.3.6.1 s 0",		      /* half an octet */
	    "1.3.6.1 s zz",		      /* not hex */
	    "1.3.6.1 i ",		      /* no number */
	    "1.3.6.1 i 12abc",		      /* more than a number */
	    "1.3.6.1 i 99999999999999999999", /* out of range */
	    "1.3.6.1 C x",		      /* not a number */
	    "1.3.6.1 c 1.5",		      /* not whole */
	    "1.3.x.1 i 1",		      /* an OID that is not one */
	    " i 1",			      /* no OID */
	};
	char text[128];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		/* a good line first: a bad one anywhere refuses the whole */
		snprintf(text, sizeof(text), "1.3.6.1.2 i 1\n%s\n", bad[i]);
		if (notify_payload_decode("llContractSuspended", text, 0) !=
		    NULL)
			fail_msg("payload line accepted: '%s'", bad[i]);
	}
	/* a name the MIB does not define, or no payload at all */
	assert_null(notify_payload_decode("llNoSuchThing", "1.3.6.1 i 1\n", 0));
	assert_null(notify_payload_decode("", "1.3.6.1 i 1\n", 0));
	assert_null(notify_payload_decode("llContractSuspended", NULL, 0));
}

/* The writer refuses what the reader could not read. */
static void
test_writer_refuses(void **state)
{
	struct notify_payload p = {0};

	(void)state;
	notify_payload_number(&p, "1.3.6.1", 'x', 1);
	assert_true(p.failed);
	/* failed stays failed: nothing more is written */
	notify_payload_number(&p, "1.3.6.1", 'i', 1);
	assert_null(p.text);
	notify_payload_free(&p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_round_trip),
	    cmocka_unit_test(test_negative_money),
	    cmocka_unit_test(test_empty_payload),
	    cmocka_unit_test(test_refused),
	    cmocka_unit_test(test_writer_refuses),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
