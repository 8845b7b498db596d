/*
 * test_notify: the notification rules (snmp/notify_rules.c) on the real
 * contract, conf/leaseline.conf (JSCZE2208138CGN00): installment 1,
 * 359,600.00 due 2022-12-31, left unpaid is overdue on 2023-01-01 and
 * suspended for nonpayment on 2023-01-31 (clause 2.3.4); paying its
 * arrears restores the service.  Snapshots are built as leaselined builds
 * them; what the rules queue is read back from a real ledger (a SQLite
 * file in a temporary directory), and each payload is checked against
 * the notification's OBJECTS in mibs/LEASELINE-MIB.txt.
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
#include <unistd.h>
#include <cmocka.h>

#include "core/billing.h"
#include "core/day.h"
#include "snmp/mib.h"
#include "snmp/notify.h"
#include "snmp/notify_int.h"
#include "store/ledger.h"
#include "testlib.h"

#define CONF   "conf/leaseline.conf"
#define NUMBER "JSCZE2208138CGN00"

struct fixture {
	char dir[64];
	char path[96];
	struct ledger *l;
	char *mib; /* mibs/LEASELINE-MIB.txt */
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char err[LEDGER_ERRLEN];

	assert_non_null(f);
	snprintf(f->dir, sizeof(f->dir), "/tmp/leaseline-notify.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof(f->path), "%s/ledger.db", f->dir);
	f->l = ledger_open(f->path, LEDGER_READ_WRITE, err, sizeof(err));
	if (f->l == NULL)
		fail_msg("%s", err);
	f->mib = testlib_read_file("mibs/LEASELINE-MIB.txt", NULL);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;
	char side[128];

	ledger_close(f->l);
	unlink(f->path);
	/* SQLite's WAL and shared memory, when left */
	snprintf(side, sizeof(side), "%s-wal", f->path);
	unlink(side);
	snprintf(side, sizeof(side), "%s-shm", f->path);
	unlink(side);
	rmdir(f->dir);
	free(f->mib);
	free(f);
	return 0;
}

static ll_day
day(const char *s)
{
	ll_day d;

	assert_true(day_parse(s, &d));
	return d;
}

/* What waits in the outbox, oldest first. */
static size_t
outbox(struct fixture *f, struct ledger_notification **q)
{
	char err[LEDGER_ERRLEN];
	size_t n = 0;

	if (ledger_outbox_pending(f->l, 100, q, &n, err, sizeof(err)) < 0)
		fail_msg("%s", err);
	return n;
}

/* How many of q[0..n) are notification `name`; *which the last. */
static size_t
count(const struct ledger_notification *q, size_t n, const char *name,
      size_t *which)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++)
		if (strcmp(q[i].name, name) == 0) {
			k++;
			if (which != NULL)
				*which = i;
		}
	return k;
}

/* The column number the MIB's text gives `object` ("::= { PARENT N }"). */
static unsigned long
mib_column(const char *mib, const char *object)
{
	char head[96];
	const char *p, *assign;

	snprintf(head, sizeof(head), "\n%s OBJECT-TYPE", object);
	p = strstr(mib, head);
	if (p == NULL)
		fail_msg("%s is not an OBJECT-TYPE of the MIB", object);
	assign = strstr(p, "::=");
	assert_non_null(assign);
	p = strchr(assign, '}');
	assert_non_null(p);
	while (p > assign && (p[-1] == ' ' || p[-1] == '\t'))
		p--;
	while (p > assign && p[-1] >= '0' && p[-1] <= '9')
		p--;
	return strtoul(p, NULL, 10);
}

/*
 * The payload of q decoded, checked against its notification's OBJECTS
 * in the MIB's text: as many varbinds, in that order, each of the column
 * the MIB gives it, in the row of contract 1.  Returns the varbinds (the
 * caller frees them).
 */
static netsnmp_variable_list *
check_objects(const char *mib, const struct ledger_notification *q)
{
	char head[96], name[64];
	const char *p, *end;
	netsnmp_variable_list *vars, *v;
	size_t root = mib_leaseline_oid_len;

	vars = notify_payload_decode(q->name, q->payload, 0);
	assert_non_null(vars);
	snprintf(head, sizeof(head), "\n%s NOTIFICATION-TYPE", q->name);
	p = strstr(mib, head);
	assert_non_null(p);
	p = strstr(p, "OBJECTS");
	assert_non_null(p);
	p = strchr(p, '{');
	end = strchr(p, '}');
	assert_non_null(end);
	v = vars->next_variable->next_variable; /* past uptime, trap OID */
	for (p++; p < end;) {
		size_t n = 0;

		while (p < end &&
		       (*p == ' ' || *p == ',' || *p == '\n' || *p == '\t'))
			p++;
		if (p == end)
			break;
		while (p < end && *p != ' ' && *p != ',' && *p != '\n' &&
		       n < sizeof(name) - 1)
			name[n++] = *p++;
		name[n] = '\0';
		if (v == NULL)
			fail_msg("%s: no varbind for %s", q->name, name);
		/* leaselineMIB.1.TABLE.1.COLUMN.1[.INSTALLMENT] */
		assert_true(v->name_length >= root + 5);
		assert_memory_equal(v->name, mib_leaseline_oid,
				    root * sizeof(oid));
		if (v->name[root + 3] != mib_column(mib, name))
			fail_msg("%s: varbind %lu is not %s (column %lu)",
				 q->name, (unsigned long)v->name[root + 3],
				 name, mib_column(mib, name));
		assert_int_equal(v->name[root + 4], 1); /* contract 1 */
		v = v->next_variable;
	}
	if (v != NULL)
		fail_msg("%s: more varbinds than OBJECTS", q->name);
	return vars;
}

/* The value of varbind `column` of a contract's or installment's row. */
static const netsnmp_variable_list *
column(const netsnmp_variable_list *vars, unsigned long col)
{
	for (const netsnmp_variable_list *v = vars; v; v = v->next_variable)
		if (v->name_length > mib_leaseline_oid_len + 4 &&
		    v->name[mib_leaseline_oid_len + 3] == col &&
		    v->name[mib_leaseline_oid_len] == 1)
			return v;
	fail_msg("no varbind of column %lu", col);
	return NULL;
}

static uint64_t
c64(const netsnmp_variable_list *v)
{
	assert_int_equal(v->type, ASN_COUNTER64);
	return (uint64_t)v->val.counter64->high << 32 | v->val.counter64->low;
}

/* Installment 1 unpaid: on 2023-01-31 llContractSuspended, once, with
 * the key that names the suspension; computed again, nothing new. */
static void
test_suspended_once(void **state)
{
	struct fixture *f = *state;
	struct snapshot *snap =
	    testlib_snapshot_file(CONF, NULL, 0, "2023-01-31");
	struct ledger_notification *q = NULL;
	netsnmp_variable_list *vars;
	size_t n, i = 0;

	assert_int_equal(notify_collect(f->l, snap, day("2023-01-01")), 2);
	n = outbox(f, &q);
	assert_int_equal(n, 2);
	assert_int_equal(count(q, n, "llPaymentOverdue", NULL), 1);
	assert_int_equal(count(q, n, "llContractSuspended", &i), 1);
	assert_string_equal(q[i].contract, NUMBER);
	assert_int_equal(q[i].day, day("2023-01-31"));
	assert_string_equal(q[i].key, NUMBER "/suspended/2023-01-31/2/"
					     "nonpayment");
	vars = check_objects(f->mib, &q[i]);
	assert_int_equal(*column(vars, MIB_CONTRACT_SERVICE_STATE)->val.integer,
			 SERVICE_SUSPENDED);
	assert_int_equal(c64(column(vars, MIB_CONTRACT_OVERDUE_AMOUNT)),
			 snap->eval[0].overdue);
	assert_int_equal(c64(column(vars, MIB_CONTRACT_LATE_FEE)),
			 snap->eval[0].late_fee);
	snmp_free_varbind(vars);
	ledger_notifications_free(q, n);

	/* the same snapshot again, and from an earlier day: nothing new */
	assert_int_equal(notify_collect(f->l, snap, day("2023-01-01")), 0);
	assert_int_equal(notify_collect(f->l, snap, day("2022-12-01")), 0);
	n = outbox(f, &q);
	assert_int_equal(n, 2);
	assert_int_equal(count(q, n, "llContractSuspended", NULL), 1);
	ledger_notifications_free(q, n);
	snapshot_free(snap);
}

/* llPaymentOverdue carries billing's late fee of the installment's first
 * day overdue, not a figure of its own. */
static void
test_overdue_late_fee(void **state)
{
	struct fixture *f = *state;
	struct snapshot *snap =
	    testlib_snapshot_file(CONF, NULL, 0, "2023-01-01");
	const struct billing_contract *bc = &snap->eval[0];
	struct ledger_notification *q = NULL;
	netsnmp_variable_list *vars;
	const struct billing_event *ev = NULL;
	size_t n, i = 0;

	for (size_t k = 0; k < bc->n_events; k++)
		if (bc->events[k].kind == BILLING_EV_OVERDUE &&
		    bc->events[k].day == day("2023-01-01"))
			ev = &bc->events[k];
	assert_non_null(ev);
	assert_true(ev->installment_late_fee > 0);
	assert_int_equal(notify_collect(f->l, snap, day("2023-01-01")), 1);
	n = outbox(f, &q);
	assert_int_equal(count(q, n, "llPaymentOverdue", &i), 1);
	assert_string_equal(q[i].key, NUMBER "/overdue/1/0");
	vars = check_objects(f->mib, &q[i]);
	assert_int_equal(c64(column(vars, MIB_INSTALLMENT_LATE_FEE)),
			 ev->installment_late_fee);
	assert_int_equal(c64(column(vars, MIB_INSTALLMENT_OUTSTANDING)),
			 35960000);
	snmp_free_varbind(vars);
	ledger_notifications_free(q, n);
	snapshot_free(snap);
}

/* Paying the arrears on 2023-02-10 restores the service:
 * llContractRestored, once; the pair (before, after) computed twice
 * queues the same keys, nothing more. */
static void
test_paid_restored(void **state)
{
	struct fixture *f = *state;
	struct snapshot *before =
	    testlib_snapshot_file(CONF, NULL, 0, "2023-02-10");
	struct testlib_entry pay = {
	    .kind = ENTRY_PAYMENT,
	    .contract = NUMBER,
	    .day = "2023-02-10",
	    .amount = before->eval[0].arrears,
	};
	struct snapshot *after =
	    testlib_snapshot_file(CONF, &pay, 1, "2023-02-10");
	struct ledger_notification *q = NULL;
	netsnmp_variable_list *vars;
	size_t n, i = 0;
	int64_t first_id;

	assert_int_equal(before->eval[0].service, SERVICE_SUSPENDED);
	assert_int_equal(after->eval[0].service, SERVICE_ACTIVE);
	assert_true(notify_collect(f->l, before, day("2023-01-01")) > 0);
	assert_int_equal(notify_collect(f->l, after, day("2023-01-31")), 1);
	n = outbox(f, &q);
	assert_int_equal(count(q, n, "llContractSuspended", NULL), 1);
	assert_int_equal(count(q, n, "llContractRestored", &i), 1);
	assert_string_equal(q[i].key, NUMBER "/restored/2023-02-10/2/none");
	first_id = q[i].id;
	vars = check_objects(f->mib, &q[i]);
	assert_int_equal(*column(vars, MIB_CONTRACT_SERVICE_STATE)->val.integer,
			 SERVICE_ACTIVE);
	assert_int_equal(c64(column(vars, MIB_CONTRACT_LATE_FEE)), 0);
	snmp_free_varbind(vars);
	ledger_notifications_free(q, n);

	/* the same pair again: nothing new, the same rows */
	assert_int_equal(notify_collect(f->l, before, day("2023-01-01")), 0);
	assert_int_equal(notify_collect(f->l, after, day("2023-01-31")), 0);
	n = outbox(f, &q);
	assert_int_equal(count(q, n, "llContractRestored", &i), 1);
	assert_int_equal(q[i].id, first_id);
	assert_int_equal(count(q, n, "llContractSuspended", NULL), 1);
	ledger_notifications_free(q, n);
	snapshot_free(before);
	snapshot_free(after);
}

/* A refused reload: llConfigRejected with the file, the error and the
 * count, as the agent's scalars. */
static void
test_config_rejected(void **state)
{
	struct fixture *f = *state;
	struct ledger_notification *q = NULL;
	netsnmp_variable_list *vars;
	const netsnmp_variable_list *v;
	size_t n, i = 0;
	size_t root = mib_leaseline_oid_len;

	assert_int_equal(notify_config_rejected(f->l, "/etc/x.conf",
						"x.conf:3: bad", 4,
						day("2023-03-01")),
			 0);
	n = outbox(f, &q);
	assert_int_equal(count(q, n, "llConfigRejected", &i), 1);
	assert_string_equal(q[i].contract, "-");
	vars = notify_payload_decode(q[i].name, q[i].payload, 0);
	assert_non_null(vars);
	v = vars->next_variable->next_variable;
	/* leaselineMIB.1.1.COLUMN.0, the order of the MIB's OBJECTS */
	assert_int_equal(v->name[root + 2], MIB_CONFIG_FILE);
	assert_int_equal(v->name[root + 3], 0);
	assert_int_equal(v->val_len, strlen("/etc/x.conf"));
	assert_memory_equal(v->val.string, "/etc/x.conf", v->val_len);
	v = v->next_variable;
	assert_int_equal(v->name[root + 2], MIB_CONFIG_LAST_ERROR);
	v = v->next_variable;
	assert_int_equal(v->name[root + 2], MIB_CONFIG_REJECTS);
	assert_int_equal(v->type, ASN_COUNTER);
	assert_int_equal(*v->val.integer, 4);
	assert_null(v->next_variable);
	snmp_free_varbind(vars);
	ledger_notifications_free(q, n);
}

/* A connection to f's ledger named for the agent configured by file
 * name in f's directory (created, so that realpath resolves it). */
static struct ledger *
agent_open(struct fixture *f, const char *name)
{
	char err[LEDGER_ERRLEN], conf[160];
	struct ledger *l;
	FILE *fp;

	snprintf(conf, sizeof(conf), "%s/%s", f->dir, name);
	fp = fopen(conf, "w");
	assert_non_null(fp);
	fclose(fp);
	l = ledger_open(f->path, LEDGER_READ_WRITE, err, sizeof(err));
	if (l == NULL)
		fail_msg("%s", err);
	/* "DIR/./NAME": the identity is the absolute path's */
	snprintf(conf, sizeof(conf), "%s/./%s", f->dir, name);
	if (ledger_set_agent(l, conf, err, sizeof(err)) < 0)
		fail_msg("%s", err);
	return l;
}

/* The keys l may send, oldest first, joined by commas. */
static void
pending_keys(struct ledger *l, char *out, size_t len)
{
	struct ledger_notification *q = NULL;
	char err[LEDGER_ERRLEN];
	size_t n = 0, off = 0;

	out[0] = '\0';
	if (ledger_outbox_pending(l, 100, &q, &n, err, sizeof(err)) < 0)
		fail_msg("%s", err);
	for (size_t i = 0; i < n && off < len; i++)
		off += (size_t)snprintf(out + off, len - off, "%s%s",
					i ? "," : "", q[i].key);
	ledger_notifications_free(q, n);
}

/* Issue 17 item 4: two agents sharing one ledger file each send their
 * own llConfigRejected and not the other's; the rest is anyone's. */
static void
test_config_rejected_own(void **state)
{
	struct fixture *f = *state;
	struct ledger *a = agent_open(f, "a.conf");
	struct ledger *b = agent_open(f, "b.conf");
	char err[LEDGER_ERRLEN], ka[512], kb[512], want[1024], got[1024];
	char ida[128], idb[128];
	struct ledger_notification *q = NULL;
	size_t n, queued = 0;
	const struct ledger_notification shared[] = {
	    {.contract = NUMBER,
	     .name = "llContractSuspended",
	     .day = 1,
	     .key = NUMBER "/service/2023-01-31",
	     .payload = ""},
	    /* llConfigRejected queued before issue 17 item 4 */
	    {.contract = "-",
	     .name = "llConfigRejected",
	     .day = 1,
	     .key = "config/rejected/1700000000/1",
	     .payload = ""},
	    /* a contract numbered "agent" is no agent's own */
	    {.contract = "agent",
	     .name = "llContractSuspended",
	     .day = 1,
	     .key = "agent/service/2023-01-31",
	     .payload = ""},
	};

	snprintf(ida, sizeof(ida), "%s", ledger_agent(a));
	snprintf(idb, sizeof(idb), "%s", ledger_agent(b));
	assert_string_not_equal(ida, idb);
	assert_int_equal(
	    strncmp(ida, LEDGER_AGENT_PREFIX, strlen(LEDGER_AGENT_PREFIX)), 0);
	/* Short enough for any key it begins (engine.h's 159 octets). */
	assert_true(strlen(ida) <= 88);
	assert_int_equal(
	    ledger_queue(f->l, NULL, 0, shared, 3, &queued, err, sizeof(err)),
	    0);
	assert_int_equal(queued, 3);

	/* The same count, one right after the other: two rows. */
	assert_int_equal(notify_config_rejected(a, "/a.conf", "a.conf:1: bad",
						1, day("2023-03-01")),
			 0);
	assert_int_equal(notify_config_rejected(b, "/b.conf", "b.conf:1: bad",
						1, day("2023-03-01")),
			 0);
	assert_int_equal(
	    ledger_outbox_pending(f->l, 100, &q, &n, err, sizeof(err)), 0);
	/* f->l has no identity: only what is anyone's */
	assert_int_equal(n, 3);
	ledger_notifications_free(q, n);

	pending_keys(a, got, sizeof(got));
	assert_non_null(strstr(got, ida));
	assert_null(strstr(got, idb));
	snprintf(ka, sizeof(ka), "%s", strrchr(got, ',') + 1);
	assert_int_equal(strncmp(ka, ida, strlen(ida)), 0);
	assert_int_equal(strncmp(ka + strlen(ida), "config/rejected/", 16), 0);
	snprintf(want, sizeof(want), "%s,%s,%s,%s", shared[0].key,
		 shared[1].key, shared[2].key, ka);
	assert_string_equal(got, want);

	pending_keys(b, got, sizeof(got));
	snprintf(kb, sizeof(kb), "%s", strrchr(got, ',') + 1);
	assert_int_equal(strncmp(kb, idb, strlen(idb)), 0);
	snprintf(want, sizeof(want), "%s,%s,%s,%s", shared[0].key,
		 shared[1].key, shared[2].key, kb);
	assert_string_equal(got, want);
	assert_string_not_equal(ka, kb);

	/* a restarted (a new connection, the same file): still its own */
	ledger_close(a);
	a = agent_open(f, "a.conf");
	assert_string_equal(ledger_agent(a), ida);
	pending_keys(a, got, sizeof(got));
	snprintf(want, sizeof(want), "%s,%s,%s,%s", shared[0].key,
		 shared[1].key, shared[2].key, ka);
	assert_string_equal(got, want);
	ledger_close(a);
	ledger_close(b);
	snprintf(got, sizeof(got), "%s/a.conf", f->dir);
	unlink(got);
	snprintf(got, sizeof(got), "%s/b.conf", f->dir);
	unlink(got);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_suspended_once, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_overdue_late_fee, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_paid_restored, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_config_rejected, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_config_rejected_own, setup,
					    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
