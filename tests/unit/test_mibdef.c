/*
 * test_mibdef: snmp/mibdef's table of LEASELINE-MIB against the MIB's text,
 * both ways (issue 15).  Every OBJECT-TYPE and NOTIFICATION-TYPE of
 * mibs/LEASELINE-MIB.txt must be in the table with the same number,
 * parent, syntax, enumeration labels and OBJECTS (in order), and every
 * row of the table must be in the text.  A small reader of the MIB's own
 * layout does it (one definition per block, "::= { parent n }" closing
 * it), no MIB compiler.  The check is also run on altered copies of the
 * text, each of which it must refuse: it can fail.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/billing.h"
#include "snmp/mibdef.h"
#include "testlib.h"

/* mibs/LEASELINE-MIB.txt, whole, NUL-terminated. */
static char *
read_mib(void)
{
	return testlib_read_file("mibs/LEASELINE-MIB.txt", NULL);
}

/* What the check found wrong: a count and the first few, for the log. */
struct report {
	unsigned int errors;
	char first[1024];
};

static void __attribute__((format(printf, 2, 3)))
report(struct report *r, const char *fmt, ...)
{
	size_t off = strlen(r->first);
	va_list ap;

	r->errors++;
	if (off + 2 >= sizeof(r->first))
		return;
	va_start(ap, fmt);
	vsnprintf(r->first + off, sizeof(r->first) - off, fmt, ap);
	va_end(ap);
	off = strlen(r->first);
	if (off + 1 < sizeof(r->first))
		strcpy(r->first + off, "\n");
}

static const char *
skip_space(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	return p;
}

/* Copies the identifier at p into out; returns what follows it. */
static const char *
ident(const char *p, char *out, size_t size)
{
	size_t n = 0;

	while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
	       (*p >= '0' && *p <= '9') || *p == '-') {
		if (n + 1 < size)
			out[n++] = *p;
		p++;
	}
	out[n] = '\0';
	return p;
}

/* The MIB syntax word an object of the table has. */
static const char *
syntax_word(enum mibdef_syntax s)
{
	switch (s) {
	case MIBDEF_TEXT: return "SnmpAdminString";
	case MIBDEF_DATE: return "DateAndTime";
	case MIBDEF_INTEGER32: return "Integer32";
	case MIBDEF_UNSIGNED32: return "Unsigned32";
	case MIBDEF_COUNTER32: return "Counter32";
	case MIBDEF_GAUGE32: return "Gauge32";
	case MIBDEF_MONEY: return "LlMoney";
	case MIBDEF_TRUTH: return "TruthValue";
	case MIBDEF_ENUM: return "INTEGER";
	}
	return "?";
}

/* One definition of the text, from its name to its "::= { parent n }". */
struct def {
	char name[64];
	char kind[32]; /* OBJECT-TYPE, NOTIFICATION-TYPE, OBJECT */
	char syntax[64];
	char parent[64];
	unsigned long number;
	const char *body, *end; /* body .. "::=" */
};

/* The definition starting at a line's start p, or NULL if none starts
 * there (a line of a description, a comment, an import). */
static const char *
parse_def(const char *p, struct def *d)
{
	const char *q, *assign;

	memset(d, 0, sizeof(*d));
	q = ident(p, d->name, sizeof(d->name));
	if (d->name[0] < 'a' || d->name[0] > 'z' || *q != ' ')
		return NULL;
	q = ident(skip_space(q), d->kind, sizeof(d->kind));
	if (strcmp(d->kind, "OBJECT-TYPE") != 0 &&
	    strcmp(d->kind, "NOTIFICATION-TYPE") != 0 &&
	    strcmp(d->kind, "MODULE-IDENTITY") != 0 &&
	    strcmp(d->kind, "OBJECT") != 0)
		return NULL;
	assign = strstr(q, "::= {");
	if (assign == NULL)
		return NULL;
	d->body = q;
	d->end = assign;
	q = ident(skip_space(assign + 5), d->parent, sizeof(d->parent));
	d->number = strtoul(q, NULL, 10);
	q = strstr(d->body, "SYNTAX");
	if (q != NULL && q < d->end)
		ident(skip_space(q + 6), d->syntax, sizeof(d->syntax));
	return strchr(assign, '}');
}

/* The text between "WORD {" and "}" in d's body, or NULL. */
static const char *
braces(const struct def *d, const char *word, const char **close)
{
	const char *p = strstr(d->body, word);

	if (p == NULL || p > d->end || (p = strchr(p, '{')) == NULL)
		return NULL;
	*close = strchr(p, '}');
	return *close != NULL ? p + 1 : NULL;
}

static void
check_labels(const struct def *d, const struct mibdef_object *o,
	     struct report *r)
{
	const char *p, *end;
	unsigned int seen = 0, labelled = 0;

	for (unsigned int v = 0; v < o->n_labels; v++)
		labelled += o->labels[v] != NULL;
	p = braces(d, "INTEGER", &end);
	if (p == NULL) {
		report(r, "%s: no INTEGER { } in the text", d->name);
		return;
	}
	while (p < end) {
		char label[64];
		unsigned int v;
		int used = 0;

		if (sscanf(p, " %63[A-Za-z0-9](%u)%n", label, &v, &used) != 2)
			break;
		if (mibdef_label(o, (long)v) == NULL ||
		    strcmp(mibdef_label(o, (long)v), label) != 0)
			report(r, "%s: %s(%u) is %s in mibdef", d->name, label,
			       v,
			       mibdef_label(o, (long)v) ? mibdef_label(o, v)
							: "missing");
		seen++;
		p += used;
		while (p < end && (*p == ',' || *p == ' ' || *p == '\n'))
			p++;
	}
	if (seen != labelled)
		report(r, "%s: %u labels in the text, %u in mibdef", d->name,
		       seen, labelled);
}

static void
check_object(const struct def *d, bool *seen, struct report *r)
{
	bool entry = false;
	const struct mibdef_group_def *g;
	const struct mibdef_object *o;

	/* A table or its entry: an arc of mibdef's groups. */
	g = mibdef_group_named(d->name, strlen(d->name), &entry);
	if (g != NULL) {
		if (!entry && (strcmp(d->parent, "llObjects") != 0 ||
			       d->number != (unsigned long)g->arc))
			report(r, "%s: { %s %lu }, mibdef says llObjects %d",
			       d->name, d->parent, d->number, g->arc);
		if (entry && (strcmp(d->parent, g->name) != 0 ||
			      d->number != MIBDEF_ENTRY_ARC))
			report(r, "%s: { %s %lu }, mibdef says %s %d", d->name,
			       d->parent, d->number, g->name, MIBDEF_ENTRY_ARC);
		return;
	}
	o = mibdef_object_named(d->name, strlen(d->name));
	if (o == NULL) {
		report(r, "%s: in the text, not in mibdef", d->name);
		return;
	}
	seen[o - mibdef_objects] = true;
	g = &mibdef_groups[o->group - 1];
	if (strcmp(d->parent, g->entry ? g->entry : g->name) != 0 ||
	    d->number != o->number)
		report(r, "%s: { %s %lu } in the text, { %s %u } in mibdef",
		       d->name, d->parent, d->number,
		       g->entry ? g->entry : g->name, o->number);
	if (o->number > g->last)
		report(r, "%s: past its group's last, %u", d->name, g->last);
	if (strcmp(d->syntax, syntax_word(o->syntax)) != 0)
		report(r, "%s: SYNTAX %s in the text, %s in mibdef", d->name,
		       d->syntax, syntax_word(o->syntax));
	if (o->syntax == MIBDEF_ENUM)
		check_labels(d, o, r);
}

static void
check_notification(const struct def *d, bool *seen, struct report *r)
{
	const struct mibdef_notification *n;
	const char *p, *end;
	size_t k = 0;

	n = mibdef_notification_named(d->name, strlen(d->name));
	if (n == NULL) {
		report(r, "%s: in the text, not in mibdef", d->name);
		return;
	}
	seen[n - mibdef_notifications] = true;
	if (strcmp(d->parent, "llNotifications") != 0 ||
	    d->number != (unsigned long)n->number)
		report(r, "%s: { %s %lu } in the text, llNotifications %d",
		       d->name, d->parent, d->number, n->number);
	p = braces(d, "OBJECTS", &end);
	if (p == NULL) {
		report(r, "%s: no OBJECTS in the text", d->name);
		return;
	}
	while ((p = skip_space(p)) < end) {
		char name[64];
		const struct mibdef_object *o = NULL;

		p = ident(p, name, sizeof(name));
		if (name[0] == '\0')
			break;
		if (k < n->n_objects)
			o = mibdef_object(n->objects[k].group,
					  n->objects[k].number);
		if (o == NULL || strcmp(o->name, name) != 0)
			report(r, "%s: OBJECTS[%zu] is %s, mibdef has %s",
			       d->name, k, name, o ? o->name : "none");
		k++;
		p = skip_space(p);
		if (*p == ',')
			p++;
	}
	if (k != n->n_objects)
		report(r, "%s: %zu OBJECTS in the text, %zu in mibdef", d->name,
		       k, n->n_objects);
}

/* The whole check of text against mibdef, both ways. */
static void
check(const char *text, struct report *r)
{
	bool *obj_seen = calloc(mibdef_n_objects, sizeof(bool));
	bool *notif_seen = calloc(mibdef_n_notifications, sizeof(bool));
	bool root = false, arcs[2] = {false, false};
	const char *p = text;

	assert_non_null(obj_seen);
	assert_non_null(notif_seen);
	memset(r, 0, sizeof(*r));
	while (p != NULL && *p != '\0') {
		struct def d;
		const char *next = parse_def(p, &d);

		if (next == NULL) {
			p = strchr(p, '\n');
			p = p != NULL ? p + 1 : NULL;
			continue;
		}
		if (strcmp(d.kind, "OBJECT-TYPE") == 0) {
			check_object(&d, obj_seen, r);
		} else if (strcmp(d.kind, "NOTIFICATION-TYPE") == 0) {
			check_notification(&d, notif_seen, r);
		} else if (strcmp(d.kind, "MODULE-IDENTITY") == 0) {
			root = true;
			if (strcmp(d.name, MIBDEF_ROOT_NAME) != 0 ||
			    strcmp(d.parent, MIBDEF_ROOT_PARENT) != 0 ||
			    d.number != mibdef_root[mibdef_root_len - 1])
				report(r,
				       "%s ::= { %s %lu }: not mibdef's root",
				       d.name, d.parent, d.number);
		} else if (strcmp(d.name, "llNotifications") == 0 ||
			   strcmp(d.name, "llObjects") == 0) {
			bool objects = d.name[2] == 'O';

			arcs[objects] = true;
			if (strcmp(d.parent, MIBDEF_ROOT_NAME) != 0 ||
			    d.number != (objects ? MIBDEF_OBJECTS_ARC
						 : MIBDEF_NOTIFICATIONS_ARC))
				report(r, "%s: not at mibdef's arc", d.name);
		}
		p = next;
	}
	if (!root || !arcs[0] || !arcs[1])
		report(r, "the root, llNotifications or llObjects is missing");
	for (size_t i = 0; i < mibdef_n_objects; i++)
		if (!obj_seen[i])
			report(r, "%s: in mibdef, not in the text",
			       mibdef_objects[i].name);
	for (size_t i = 0; i < mibdef_n_notifications; i++)
		if (!notif_seen[i])
			report(r, "%s: in mibdef, not in the text",
			       mibdef_notifications[i].name);
	free(obj_seen);
	free(notif_seen);
}

/* The MIB's text and mibdef agree. */
static void
test_text_matches(void **state)
{
	char *mib = read_mib();
	struct report r;

	(void)state;
	check(mib, &r);
	if (r.errors != 0)
		print_error("%s", r.first);
	assert_int_equal(r.errors, 0);
	assert_int_equal(mibdef_n_objects, 12 + 44 + 12 + 13);
	assert_int_equal(mibdef_n_notifications, 9);
	free(mib);
}

/* The text with the first `from` after `after` replaced by `to`. */
static char *
altered(const char *after, const char *from, const char *to)
{
	char *mib = read_mib(), *out, *at;
	size_t head;

	at = strstr(mib, after);
	assert_non_null(at);
	at = strstr(at, from);
	assert_non_null(at);
	head = (size_t)(at - mib);
	out = malloc(strlen(mib) - strlen(from) + strlen(to) + 1);
	assert_non_null(out);
	memcpy(out, mib, head);
	strcpy(out + head, to);
	strcat(out, at + strlen(from));
	free(mib);
	return out;
}

/* Each change of the text, in either direction, is reported. */
static void
test_changed_text_fails(void **state)
{
	static const struct {
		const char *after, *from, *to;
	} changes[] = {
	    /* a column renumbered */
	    {"llContractLateFee OBJECT-TYPE", "llContractEntry 35",
	     "llContractEntry 45"},
	    /* a column moved to another table */
	    {"llInstallmentTerm OBJECT-TYPE", "llInstallmentEntry 3",
	     "llCircuitEntry 3"},
	    /* a syntax changed */
	    {"llContractOutstanding OBJECT-TYPE", "LlMoney", "Counter64"},
	    /* a label renamed, a value renumbered, a value added */
	    {"llContractServiceState OBJECT-TYPE", "suspensionDue(5)",
	     "suspensionIsDue(5)"},
	    {"llCircuitState OBJECT-TYPE", "ceased(5)", "ceased(6)"},
	    {"llInstallmentState OBJECT-TYPE", "paid(4)",
	     "paid(4),\n                void(5)"},
	    /* an object the table lacks; one of the table missing */
	    {"llContractDaysToReclaim OBJECT-TYPE", "llContractDaysToReclaim",
	     "llContractDaysToReclaimed"},
	    /* a notification renumbered, its OBJECTS reordered or cut */
	    {"llConfigRejected NOTIFICATION-TYPE", "llNotifications 7",
	     "llNotifications 10"},
	    {"llPaymentDueSoon NOTIFICATION-TYPE",
	     "llContractNumber,\n                llContractCustomer",
	     "llContractCustomer,\n                llContractNumber"},
	    {"llRenewalNoticeDue NOTIFICATION-TYPE",
	     ",\n                llContractDaysToNotice", ""},
	    /* a table at another arc, the module moved */
	    {"llCircuitTable OBJECT-TYPE", "llObjects 3", "llObjects 5"},
	    {"leaselineMIB MODULE-IDENTITY", "netSnmpPlaypen 42",
	     "netSnmpPlaypen 43"},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(changes) / sizeof(changes[0]); i++) {
		char *text =
		    altered(changes[i].after, changes[i].from, changes[i].to);
		struct report r;

		check(text, &r);
		if (r.errors == 0)
			print_error("not seen: %s -> %s\n", changes[i].from,
				    changes[i].to);
		assert_true(r.errors > 0);
		free(text);
	}
}

/* The labels mibdef gives are the agent's own names of the values it
 * serves (leaseline-traphandle prints them for the numbers it gets). */
static void
test_labels_are_billing_names(void **state)
{
	const struct mibdef_object *service =
	    mibdef_object(MIBDEF_CONTRACTS, MIB_CONTRACT_SERVICE_STATE);
	const struct mibdef_object *reason =
	    mibdef_object(MIBDEF_CONTRACTS, MIB_CONTRACT_SUSPENSION_REASON);
	const struct mibdef_object *billing =
	    mibdef_object(MIBDEF_CONTRACTS, MIB_CONTRACT_BILLING_STATE);
	const struct mibdef_object *inst =
	    mibdef_object(MIBDEF_INSTALLMENTS, MIB_INSTALLMENT_STATE);

	(void)state;
	for (long v = 1; v < (long)service->n_labels; v++)
		assert_string_equal(mibdef_label(service, v),
				    billing_service_name(v));
	for (long v = 1; v < (long)reason->n_labels; v++)
		assert_string_equal(mibdef_label(reason, v),
				    billing_reason_name(v));
	for (long v = 1; v < (long)billing->n_labels; v++)
		assert_string_equal(mibdef_label(billing, v),
				    billing_state_name(v));
	for (long v = 1; v < (long)inst->n_labels; v++)
		assert_string_equal(mibdef_label(inst, v),
				    billing_installment_state_name(v));
	assert_null(mibdef_label(service, 0));
	assert_null(mibdef_label(service, (long)service->n_labels));
}

/* The lookups find what the rows say, and nothing else. */
static void
test_lookups(void **state)
{
	const struct mibdef_object *o;

	(void)state;
	o = mibdef_object(MIBDEF_CONTRACTS, MIB_CONTRACT_LATE_FEE);
	assert_non_null(o);
	assert_string_equal(o->name, "llContractLateFee");
	assert_int_equal(o->syntax, MIBDEF_MONEY);
	assert_ptr_equal(mibdef_object_named("llContractLateFee", 17), o);
	assert_null(mibdef_object(MIBDEF_CONTRACTS, 0));
	assert_null(mibdef_object(MIBDEF_AGENT, MIB_LEDGER_LAST_ERROR + 1));
	assert_null(mibdef_object_named("llContractLateFe", 16));
	assert_string_equal(
	    mibdef_notification(MIB_CONTRACT_SUSPENSION_DUE)->name,
	    "llContractSuspensionDue");
	assert_null(mibdef_notification(0));
	assert_null(mibdef_notification(10));
	/* The dotted root is mibdef_root's arcs, joined by dots. */
	{
		char want[64] = "";
		size_t off = 0;

		for (size_t i = 0; i < mibdef_root_len; i++)
			off += (size_t)snprintf(want + off, sizeof(want) - off,
						"%s%lu", i ? "." : "",
						mibdef_root[i]);
		assert_string_equal(mibdef_root_dotted(), want);
	}
	assert_int_equal(mibdef_root[0], 1);
	assert_int_equal(mibdef_root[1], 3);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_text_matches),
	    cmocka_unit_test(test_changed_text_fails),
	    cmocka_unit_test(test_labels_are_billing_names),
	    cmocka_unit_test(test_lookups),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
