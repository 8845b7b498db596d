/*
 * config.c: reads leaseline.conf into a model, checking everything.
 *
 * The file is libconfig syntax (leaseline.conf(5)).  It is read into
 * memory, scanned once for what libconfig 1.5 gets silently wrong
 * (integers above 32 bits without an L suffix wrap around), parsed, and
 * walked field by field in a fixed order.  The first problem stops the
 * load with one message naming file, line, field, what is wrong and what
 * is expected: the operator fixes one thing and runs the check again.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libconfig.h>

#include "config/config.h"
#include "core/day.h"
#include "core/money.h"
#include "core/rate.h"
#include "core/text.h"

#define MAX_FILE_SIZE (16 * 1024 * 1024)
#define MAX_INDEX     4294967295LL
#define MAX_CIRCUITS  100000 /* per contract, to bound memory */
#define MAX_INSTALLMENTS                                                       \
	99 /* BILLING_TERM_STRIDE - 1: indexes of a term stay in its hundred   \
	    */
#define MAX_NOTES		 1000
#define MAX_DAYS		 3650 /* ten years: any longer delay is a typo */
#define MAX_RENEW_MONTHS	 120
#define MAX_IF_INDEX		 2147483647 /* InterfaceIndex (IF-MIB) */
#define INSTALLMENT_SLACK_MONTHS 12

#define TEXT_EXPECT                                                            \
	"UTF-8 text of at most 255 octets (the SNMP SnmpAdminString limit) "   \
	"without control characters"
#define DATE_EXPECT "a quoted date YYYY-MM-DD"
#define RATE_EXPECT                                                            \
	"a quoted rate such as \"1000M\", \"100 Mbit/s\", \"2G\" or \"512k\" " \
	"(a plain number is kbit/s)"
#define PERCENT_EXPECT                                                         \
	"a quoted percentage such as \"20%\", \"50%\" or \"12.5%\", at "       \
	"most 100%"
#define APPLIES_EXPECT                                                         \
	"a list [\"any\"] or of termination reasons: nonpayment, "             \
	"violation, administrative, regulatory, transit, misuse"
#define LATE_FEE_EXPECT                                                        \
	"a quoted daily rate with its unit, such as \"3%\", "                  \
	"\"3\xe2\x80\xb0\", \"0.05%\" or \"300ppm\", at most 100%"
#define FEE_CAP_EXPECT                                                         \
	"a quoted share of the installment with its unit, such as \"30%\", "   \
	"at most 100%, or a quoted amount in CNY such as \"100,000.00\" "      \
	"(issue 13: the most late fee one installment accrues)"

/*
 * Contracts already loaded, found by index and by number, so that checking
 * ten thousand of them for duplicates does not take 50 million compares.
 * Slots hold a position in the model's contracts plus one; 0 is empty.
 */
struct seen {
	size_t *by_index;
	size_t *by_number;
	size_t cap; /* slots of each table, a power of two */
};

struct loader {
	char *err;
	size_t errlen;
	const char *file;	       /* the file being read */
	char who[TEXT_ADMIN_MAX + 32]; /* "contract NUMBER", or "" at the top */
	struct ll_model *model;
	size_t cap;		      /* contracts allocated in model */
	struct ll_contract *contract; /* being loaded */
	size_t pool_cap;	      /* its strings pool's room */
	char money_expect[256];	      /* names MONEY_MAX, whatever it is */
	struct seen seen;	      /* the contracts loaded so far */
};

/* Where a circuit got its id, to point at it if the id is a duplicate. */
struct origin {
	const config_setting_t *at;
	size_t group;	 /* 1-based position in circuit_groups */
	size_t override; /* 1-based position in circuits, 0 for none */
};

struct name_value {
	const char *name;
	int value;
};

static const struct name_value payment_methods[] = {
    {"cash", LL_PAY_CASH},
    {"transfer", LL_PAY_TRANSFER},
    {"debit", LL_PAY_DEBIT},
    {"other", LL_PAY_OTHER},
    {NULL, 0},
};

static const struct name_value service_types[] = {
    {"dedicated", LL_SVC_DEDICATED},
    {"internet", LL_SVC_INTERNET},
    {"vpn", LL_SVC_VPN},
    {"egov", LL_SVC_EGOV},
    {"other", LL_SVC_OTHER},
    {NULL, 0},
};

static const struct name_value billing_modes[] = {
    {"installments", LL_BILLING_INSTALLMENTS},
    {"monthly", LL_BILLING_MONTHLY},
    {NULL, 0},
};

static const struct name_value termination_modes[] = {
    {"cancel", LL_TERMINATION_CANCEL},
    {"prorate", LL_TERMINATION_PRORATE},
    {NULL, 0},
};

/* Issue 13, clauses 2.3.3, 2.3.4 and 7.1(4): who suspends for
 * nonpayment. */
static const struct name_value suspension_modes[] = {
    {"automatic", LL_SUSPENSION_AUTOMATIC},
    {"decided", LL_SUSPENSION_DECIDED},
    {NULL, 0},
};

static const struct name_value circuit_states[] = {
    {"in_service", LL_CIRCUIT_IN_SERVICE},
    {"planned", LL_CIRCUIT_PLANNED},
    {"ceased", LL_CIRCUIT_CEASED},
    {NULL, 0},
};

/* Issue 4: llPaymentDueSoon 30, 7 and 1 days before a due date;
 * llRenewalNoticeDue 60, 30 and 7 days before the notice deadline. */
static const uint32_t default_due_soon[] = {30, 7, 1};
static const uint32_t default_notice[] = {60, 30, 7};

static const char *const main_keys[] = {"include_dir", "contracts", NULL};
static const char *const included_keys[] = {"contracts", NULL};
static const char *const contract_keys[] = {"index",
					    "number",
					    "title",
					    "customer",
					    "provider",
					    "signed",
					    "service_location",
					    "term",
					    "annual_fee",
					    "billing",
					    "payment_method",
					    "late_fee_rate",
					    "suspend_after_days",
					    "terminate_after_days",
					    "on_termination",
					    "late_fee_cap",
					    "renew_while_suspended",
					    "suspension",
					    "blocked_ports",
					    "due_soon_days",
					    "notice_reminder_days",
					    "support",
					    "installments",
					    "term_schedules",
					    "circuit_groups",
					    "notes",
					    "termination_charges",
					    "reclaim_after_days",
					    NULL};
static const char *const party_keys[] = {"name", "address", "representative",
					 NULL};
static const char *const term_keys[] = {
    "start", "end", "auto_renew", "renew_months", "notice_days", NULL};
static const char *const installment_keys[] = {"due", "amount", NULL};
static const char *const term_schedule_keys[] = {"term", "installments", NULL};
static const char *const group_keys[] = {
    "name",	 "clause", "service", "count",	  "first_index", "rate_up",
    "rate_down", "a_end",  "z_end",   "circuits", NULL};
static const char *const charge_keys[] = {"clause",
					  "applies_to",
					  "fixed",
					  "per_line_discount",
					  "percent_of_total",
					  "percent_of_unperformed",
					  "plus_unpaid",
					  NULL};
static const char *const override_keys[] = {
    "index", "id", "service", "a_end", "z_end", "if_index", "state", NULL};

/* ---- messages ---- */

static int __attribute__((format(printf, 4, 0)))
vfail_at(struct loader *ld, const char *file, int line, const char *fmt,
	 va_list ap)
{
	int n;

	if (line > 0)
		n = snprintf(ld->err, ld->errlen, "%s:%d: %s%s", file, line,
			     ld->who, ld->who[0] != '\0' ? ": " : "");
	else
		n = snprintf(ld->err, ld->errlen, "%s: %s%s", file, ld->who,
			     ld->who[0] != '\0' ? ": " : "");
	if (n >= 0 && (size_t)n < ld->errlen)
		vsnprintf(ld->err + n, ld->errlen - (size_t)n, fmt, ap);
	return -1;
}

/* A problem with the whole file, or at a line libconfig reported. */
static int __attribute__((format(printf, 4, 5)))
fail_at(struct loader *ld, const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfail_at(ld, file, line, fmt, ap);
	va_end(ap);
	return -1;
}

/* A problem with a setting: its line (a missing setting: its group's). */
static int __attribute__((format(printf, 3, 4)))
fail(struct loader *ld, const config_setting_t *at, const char *fmt, ...)
{
	va_list ap;
	int line = at != NULL ? config_setting_source_line(at) : 0;

	va_start(ap, fmt);
	/* The root group has line 0: name the first line instead. */
	vfail_at(ld, ld->file, line > 0 ? line : 1, fmt, ap);
	va_end(ap);
	return -1;
}

/* "group.name", or "name" at the top of a contract. */
static const char *
join(char *buf, size_t n, const char *group, const char *name)
{
	if (group[0] == '\0')
		snprintf(buf, n, "%s", name);
	else
		snprintf(buf, n, "%s.%s", group, name);
	return buf;
}

/* ---- text ---- */

/* Offset of the first C0 or C1 control character or DEL, or -1.  The
 * text must be valid UTF-8. */
static long
control_at(const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i;

	for (i = 0; s[i] != '\0'; i++) {
		if (s[i] < 0x20 || s[i] == 0x7f)
			return (long)i;
		/* U+0080..U+009F are encoded C2 80..C2 9F */
		if (s[i] == 0xc2 && s[i + 1] >= 0x80 && s[i + 1] <= 0x9f)
			return (long)i;
	}
	return -1;
}

/* Why s cannot be published as an SnmpAdminString, or NULL. */
static const char *
text_problem(const char *s, char *buf, size_t n)
{
	size_t len = strlen(s);
	long at;

	if (len > TEXT_ADMIN_MAX) {
		snprintf(buf, n, "is %zu octets long", len);
		return buf;
	}
	at = text_utf8_invalid_at(s);
	if (at >= 0) {
		snprintf(buf, n, "is not valid UTF-8 (octet %ld)", at + 1);
		return buf;
	}
	at = control_at(s);
	if (at >= 0) {
		snprintf(buf, n, "contains a control character (octet %ld)",
			 at + 1);
		return buf;
	}
	return NULL;
}

/* ---- settings ---- */

static bool
setting_int(const config_setting_t *s, int64_t *v)
{
	switch (config_setting_type(s)) {
	case CONFIG_TYPE_INT: *v = config_setting_get_int(s); return true;
	case CONFIG_TYPE_INT64: *v = config_setting_get_int64(s); return true;
	default: return false;
	}
}

/* What a setting is, for "VALUE is a TYPE; expected ...". */
static const char *
describe(const config_setting_t *s, char *buf, size_t n)
{
	char why[64];
	const char *str;
	int64_t v;

	switch (config_setting_type(s)) {
	case CONFIG_TYPE_INT:
	case CONFIG_TYPE_INT64:
		setting_int(s, &v);
		snprintf(buf, n, "%" PRId64 " is an integer", v);
		break;
	case CONFIG_TYPE_FLOAT:
		snprintf(buf, n, "is a floating-point number");
		break;
	case CONFIG_TYPE_STRING:
		str = config_setting_get_string(s);
		if (strlen(str) <= 64 &&
		    text_problem(str, why, sizeof(why)) == NULL)
			snprintf(buf, n, "\"%s\" is a string", str);
		else
			snprintf(buf, n, "is a string");
		break;
	case CONFIG_TYPE_BOOL:
		snprintf(buf, n, "%s is a boolean",
			 config_setting_get_bool(s) ? "true" : "false");
		break;
	case CONFIG_TYPE_GROUP: snprintf(buf, n, "is a group { }"); break;
	case CONFIG_TYPE_ARRAY: snprintf(buf, n, "is an array [ ]"); break;
	case CONFIG_TYPE_LIST: snprintf(buf, n, "is a list ( )"); break;
	default: snprintf(buf, n, "is of an unknown type"); break;
	}
	return buf;
}

static int
wrong_type(struct loader *ld, const config_setting_t *s, const char *field,
	   const char *expect)
{
	char what[128];

	return fail(ld, s, "%s: %s; expected %s", field,
		    describe(s, what, sizeof(what)), expect);
}

/* Unknown settings are refused: a typo must not silently become a
 * default.  Checked before the fields, since a misspelt name is the
 * likeliest reason for a "missing" one. */
static int
check_keys(struct loader *ld, const config_setting_t *grp, const char *gpath,
	   const char *const *allowed)
{
	char field[160], list[512];
	size_t i, len;
	int j;

	for (j = 0; j < config_setting_length(grp); j++) {
		const config_setting_t *s = config_setting_get_elem(grp, j);
		const char *name = config_setting_name(s);

		for (i = 0; allowed[i] != NULL; i++)
			if (strcmp(name, allowed[i]) == 0)
				break;
		if (allowed[i] != NULL)
			continue;
		list[0] = '\0';
		for (i = 0, len = 0; allowed[i] != NULL && len < sizeof(list);
		     i++)
			len += (size_t)snprintf(list + len, sizeof(list) - len,
						"%s%s", i > 0 ? ", " : "",
						allowed[i]);
		return fail(ld, s, "%s: unknown setting; expected one of %s",
			    join(field, sizeof(field), gpath, name), list);
	}
	return 0;
}

/*
 * Looks up group.name.  When absent: *out is NULL and the call fails
 * only if the setting is required.  types is a bit mask of accepted
 * CONFIG_TYPE_ values.
 */
static int
lookup(struct loader *ld, const config_setting_t *grp, const char *gpath,
       const char *name, unsigned int types, bool required, const char *expect,
       const config_setting_t **out)
{
	const config_setting_t *s = config_setting_get_member(grp, name);
	char field[160];

	*out = NULL;
	/* The field's name is written out only for a message: a lookup is
	 * made a million times loading 100,000 circuits. */
	if (s == NULL) {
		if (required)
			return fail(ld, grp, "%s: missing; expected %s",
				    join(field, sizeof(field), gpath, name),
				    expect);
		return 0;
	}
	if (!(types & (1u << config_setting_type(s))))
		return wrong_type(
		    ld, s, join(field, sizeof(field), gpath, name), expect);
	*out = s;
	return 0;
}

#define T(type) (1u << CONFIG_TYPE_##type)

/* How a text setting may be given. */
enum text_need {
	OPTIONAL, /* may be absent or "" */
	NONEMPTY, /* may be absent, not "" */
	REQUIRED, /* present and not "" */
};

/* A string setting that must be publishable text; *out is left alone
 * when the setting is optional and absent. */
static int
get_text(struct loader *ld, const config_setting_t *grp, const char *gpath,
	 const char *name, enum text_need need, const char *expect,
	 const char **out)
{
	const config_setting_t *s;
	const char *str, *why;
	char field[160], buf[64];

	if (lookup(ld, grp, gpath, name, T(STRING), need == REQUIRED, expect,
		   &s) < 0)
		return -1;
	if (s == NULL)
		return 0;
	str = config_setting_get_string(s);
	if (need != OPTIONAL && str[0] == '\0')
		return fail(ld, s, "%s: is empty; expected %s",
			    join(field, sizeof(field), gpath, name), expect);
	why = text_problem(str, buf, sizeof(buf));
	if (why != NULL)
		return fail(ld, s, "%s: %s; expected %s",
			    join(field, sizeof(field), gpath, name), why,
			    TEXT_EXPECT);
	*out = str;
	return 0;
}

static int
get_int(struct loader *ld, const config_setting_t *grp, const char *gpath,
	const char *name, bool required, int64_t min, int64_t max,
	const char *expect, int64_t *out)
{
	const config_setting_t *s;
	char field[160];
	int64_t v = 0;

	if (lookup(ld, grp, gpath, name, T(INT) | T(INT64), required, expect,
		   &s) < 0)
		return -1;
	if (s == NULL)
		return 0;
	setting_int(s, &v);
	if (v < min || v > max)
		return fail(ld, s,
			    "%s: %" PRId64 " is out of range; expected %s",
			    join(field, sizeof(field), gpath, name), v, expect);
	*out = v;
	return 0;
}

static int
get_date(struct loader *ld, const config_setting_t *grp, const char *gpath,
	 const char *name, bool required, const char *expect, ll_day *out)
{
	const char *str = NULL;
	char field[160];

	if (get_text(ld, grp, gpath, name, required ? REQUIRED : NONEMPTY,
		     expect, &str) < 0)
		return -1;
	if (str == NULL)
		return 0;
	if (!day_parse(str, out))
		return fail(ld, config_setting_get_member(grp, name),
			    "%s: \"%s\" is not a calendar date; expected "
			    "YYYY-MM-DD",
			    join(field, sizeof(field), gpath, name), str);
	return 0;
}

static int
get_enum(struct loader *ld, const config_setting_t *grp, const char *gpath,
	 const char *name, bool required, const struct name_value *table,
	 int *out)
{
	const config_setting_t *s = config_setting_get_member(grp, name);
	const char *str = NULL;
	char field[160], list[128];
	size_t i, len = 0;

	/* A value of the table is taken at once; anything else goes the
	 * long way, to the message that lists the table. */
	str = s != NULL ? config_setting_get_string(s) : NULL;
	for (i = 0; str != NULL && table[i].name != NULL; i++) {
		if (strcmp(str, table[i].name) == 0) {
			*out = table[i].value;
			return 0;
		}
	}
	str = NULL;
	list[0] = '\0';
	for (i = 0; table[i].name != NULL && len < sizeof(list); i++)
		len +=
		    (size_t)snprintf(list + len, sizeof(list) - len, "%s%s",
				     i > 0 ? ", " : "one of ", table[i].name);
	if (get_text(ld, grp, gpath, name, required ? REQUIRED : NONEMPTY, list,
		     &str) < 0)
		return -1;
	if (str == NULL)
		return 0;
	for (i = 0; table[i].name != NULL; i++) {
		if (strcmp(str, table[i].name) == 0) {
			*out = table[i].value;
			return 0;
		}
	}
	return fail(ld, config_setting_get_member(grp, name),
		    "%s: \"%s\" is not a valid value; expected %s",
		    join(field, sizeof(field), gpath, name), str, list);
}

/* Amounts must be strings: 450000 could be yuan or fen. */
static int
get_money(struct loader *ld, const config_setting_t *grp, const char *gpath,
	  const char *name, ll_fen *out)
{
	const config_setting_t *s;
	const char *str = NULL;
	char field[160];

	if (get_text(ld, grp, gpath, name, REQUIRED, ld->money_expect, &str) <
	    0)
		return -1;
	s = config_setting_get_member(grp, name);
	if (str[0] != '-' && money_parse(str, out) && *out != 0)
		return 0;
	join(field, sizeof(field), gpath, name);
	if (str[0] == '-')
		return fail(ld, s, "%s: \"%s\" is negative; expected %s", field,
			    str, ld->money_expect);
	if (!money_parse(str, out))
		return fail(ld, s,
			    "%s: \"%s\" is not an amount in CNY; "
			    "expected %s",
			    field, str, ld->money_expect);
	if (*out == 0)
		return fail(ld, s, "%s: \"%s\" is zero; expected %s", field,
			    str, ld->money_expect);
	return 0;
}

static int
get_rate(struct loader *ld, const config_setting_t *grp, const char *gpath,
	 const char *name, uint32_t *out)
{
	const char *str = NULL;
	char field[160];

	if (get_text(ld, grp, gpath, name, REQUIRED, RATE_EXPECT, &str) < 0)
		return -1;
	if (!rate_parse_line(str, out))
		return fail(ld, config_setting_get_member(grp, name),
			    "%s: \"%s\" is not a line rate above zero in "
			    "whole kbit/s; expected %s",
			    join(field, sizeof(field), gpath, name), str,
			    RATE_EXPECT);
	return 0;
}

static int
dup_str(struct loader *ld, const config_setting_t *at, const char *s,
	char **out)
{
	*out = strdup(s);
	if (*out == NULL)
		return fail(ld, at,
			    "out of memory; expected enough memory to "
			    "load the configuration");
	return 0;
}

/* A string many circuits share, kept once in the contract's pool (which
 * model_free() frees). */
static int
pool_str(struct loader *ld, const config_setting_t *at, const char *s,
	 const char **out)
{
	struct ll_contract *k = ld->contract;
	char *copy;

	if (k->n_strings == ld->pool_cap) {
		size_t cap = ld->pool_cap ? 2 * ld->pool_cap : 16;
		char **p = realloc(k->strings, cap * sizeof(*p));

		if (p == NULL)
			return fail(ld, at,
				    "out of memory; expected enough memory "
				    "to load the configuration");
		k->strings = p;
		ld->pool_cap = cap;
	}
	copy = strdup(s);
	if (copy == NULL)
		return fail(ld, at,
			    "out of memory; expected enough memory to "
			    "load the configuration");
	k->strings[k->n_strings++] = copy;
	*out = copy;
	return 0;
}

/* ---- contract parts ---- */

static int
load_party(struct loader *ld, const config_setting_t *c, const char *name,
	   const char *what, struct ll_party *p)
{
	const config_setting_t *g;
	const char *s;
	char expect[128];

	snprintf(expect, sizeof(expect),
		 "a group { name = \"...\"; address = \"...\"; "
		 "representative = \"...\"; } for the %s",
		 what);
	if (lookup(ld, c, "", name, T(GROUP), true, expect, &g) < 0 ||
	    check_keys(ld, g, name, party_keys) < 0)
		return -1;
	s = NULL;
	if (get_text(ld, g, name, "name", REQUIRED, "the party's name", &s) <
		0 ||
	    dup_str(ld, g, s, &p->name) < 0)
		return -1;
	s = NULL;
	if (get_text(ld, g, name, "address", OPTIONAL, TEXT_EXPECT, &s) < 0 ||
	    (s != NULL && dup_str(ld, g, s, &p->address) < 0))
		return -1;
	s = NULL;
	if (get_text(ld, g, name, "representative", OPTIONAL, TEXT_EXPECT, &s) <
		0 ||
	    (s != NULL && dup_str(ld, g, s, &p->representative) < 0))
		return -1;
	return 0;
}

/* Clause 11.1: the term, and how it renews. */
static int
load_term(struct loader *ld, const config_setting_t *c, struct ll_contract *k)
{
	const config_setting_t *t, *s;
	char a[DAY_STRLEN], b[DAY_STRLEN];
	int64_t v;
	ll_day next, renewal;

	if (lookup(ld, c, "", "term", T(GROUP), true,
		   "a group { start = \"YYYY-MM-DD\"; end = \"YYYY-MM-DD\"; } "
		   "(clause 11.1)",
		   &t) < 0 ||
	    check_keys(ld, t, "term", term_keys) < 0)
		return -1;
	if (get_date(ld, t, "term", "start", true,
		     DATE_EXPECT " for the first day of the term",
		     &k->term_start) < 0 ||
	    get_date(ld, t, "term", "end", true,
		     DATE_EXPECT " for the last day of the term",
		     &k->term_end) < 0)
		return -1;
	if (k->term_end <= k->term_start)
		return fail(ld, config_setting_get_member(t, "end"),
			    "term.end: %s is not after term.start %s; "
			    "expected the last day of the term, after its "
			    "first",
			    day_format(k->term_end, a),
			    day_format(k->term_start, b));
	if (lookup(ld, t, "term", "auto_renew", T(BOOL), false, "true or false",
		   &s) < 0)
		return -1;
	k->auto_renew = s != NULL && config_setting_get_bool(s);
	v = 12;
	if (get_int(ld, t, "term", "renew_months", false, 1, MAX_RENEW_MONTHS,
		    "an integer from 1 to 120 (months of each renewal term)",
		    &v) < 0)
		return -1;
	k->renew_months = (uint32_t)v;
	v = 0;
	if (get_int(ld, t, "term", "notice_days", false, 0, MAX_DAYS,
		    "an integer from 0 to 3650 (days of notice before the term "
		    "ends)",
		    &v) < 0)
		return -1;
	k->notice_days = (uint32_t)v;
	/* Notice must fall inside the term it ends, or it is due before
	 * the term begins. */
	s = config_setting_get_member(t, "notice_days");
	if (s == NULL)
		s = t; /* the default is 0: unreachable, but point somewhere */
	if (k->notice_days >= (uint32_t)(k->term_end - k->term_start + 1))
		return fail(ld, s,
			    "term.notice_days: %" PRIu32
			    " is not less than the %" PRId32
			    " days of the term; expected fewer days",
			    k->notice_days, k->term_end - k->term_start + 1);
	next = k->term_end + 1;
	renewal = day_add_months(next, (int)k->renew_months) - next;
	if (k->auto_renew && k->notice_days >= (uint32_t)renewal)
		return fail(ld, s,
			    "term.notice_days: %" PRIu32
			    " is not less than the %" PRId32
			    " days of a %" PRIu32
			    "-month renewal term; expected fewer days, or "
			    "longer renew_months",
			    k->notice_days, renewal, k->renew_months);
	return 0;
}

/* Clause 1.5: ports closed on these lines. */
static int
load_ports(struct loader *ld, const config_setting_t *c, struct ll_contract *k)
{
	const config_setting_t *p, *e;
	unsigned char seen[65536 / 8];
	char field[64], what[128];
	int64_t v;
	int i, n;

	if (lookup(ld, c, "", "blocked_ports", T(ARRAY) | T(LIST), false,
		   "an array of port numbers such as [80, 8080, 443]", &p) < 0)
		return -1;
	if (p == NULL)
		return 0;
	n = config_setting_length(p);
	if (n == 0)
		return 0;
	k->blocked_ports = calloc((size_t)n, sizeof(*k->blocked_ports));
	if (k->blocked_ports == NULL)
		return fail(ld, p,
			    "out of memory; expected enough memory to "
			    "load the configuration");
	memset(seen, 0, sizeof(seen));
	for (i = 0; i < n; i++) {
		e = config_setting_get_elem(p, i);
		snprintf(field, sizeof(field), "blocked_ports[%d]", i + 1);
		if (!setting_int(e, &v))
			return fail(ld, e,
				    "%s: %s; expected a port number "
				    "from 1 to 65535",
				    field, describe(e, what, sizeof(what)));
		if (v < 1 || v > 65535)
			return fail(ld, e,
				    "%s: %" PRId64 " is out of range; "
				    "expected a port number from 1 to "
				    "65535",
				    field, v);
		if (seen[v / 8] & (1u << (v % 8)))
			return fail(ld, e,
				    "%s: port %" PRId64 " is listed "
				    "twice; expected each port once",
				    field, v);
		seen[v / 8] |= (unsigned char)(1u << (v % 8));
		k->blocked_ports[i] = (uint16_t)v;
		k->n_blocked_ports++;
	}
	return 0;
}

/* Reminders (issue 4): a list of day counts, each from 1 to 3650, in
 * decreasing order; the defaults when the setting is absent. */
static int
load_reminders(struct loader *ld, const config_setting_t *c, const char *name,
	       const uint32_t *defaults, size_t n_defaults, uint32_t *out,
	       size_t *n_out)
{
	const config_setting_t *p, *e;
	char field[64], what[128];
	int64_t v;
	int i, n;

	if (lookup(ld, c, "", name, T(ARRAY) | T(LIST), false,
		   "an array of day counts such as [30, 7, 1]", &p) < 0)
		return -1;
	if (p == NULL) {
		memcpy(out, defaults, n_defaults * sizeof(*out));
		*n_out = n_defaults;
		return 0;
	}
	n = config_setting_length(p);
	if (n > LL_MAX_REMINDERS)
		return fail(ld, p, "%s: %d reminders; expected at most %d",
			    name, n, LL_MAX_REMINDERS);
	*n_out = 0;
	for (i = 0; i < n; i++) {
		e = config_setting_get_elem(p, i);
		snprintf(field, sizeof(field), "%s[%d]", name, i + 1);
		if (!setting_int(e, &v))
			return fail(ld, e,
				    "%s: %s; expected a number of days from 1 "
				    "to 3650",
				    field, describe(e, what, sizeof(what)));
		if (v < 1 || v > MAX_DAYS)
			return fail(ld, e,
				    "%s: %" PRId64 " is out of range; expected "
				    "a number of days from 1 to 3650",
				    field, v);
		if (i > 0 && (uint32_t)v >= out[i - 1])
			return fail(ld, e,
				    "%s: %" PRId64 " after %u; expected day "
				    "counts in decreasing order, each once",
				    field, v, out[i - 1]);
		out[i] = (uint32_t)v;
		(*n_out)++;
	}
	return 0;
}

/* Clause 2.2: the payment schedule. */
/* One payment schedule (clause 2.2): a list of { due; amount; } in
 * due-date order, within 12 months of the term [start, end] (and, for a
 * renewed term, not before it starts: its installments are billed when it
 * starts), adding up to the annual fee.  `name` is the list's path, for
 * messages. */
static int
load_schedule(struct loader *ld, const config_setting_t *list, const char *name,
	      const struct ll_contract *k, ll_day start, ll_day end,
	      bool renewal, struct ll_installment **out, size_t *n_out)
{
	const config_setting_t *g;
	char path[96], field[112], what[128];
	char a[DAY_STRLEN], b[DAY_STRLEN], x[MONEY_STRLEN], y[MONEY_STRLEN];
	struct ll_installment *v;
	ll_day lo, hi;
	ll_fen sum = 0;
	int i, n;

	n = config_setting_length(list);
	if (n < 1 || n > MAX_INSTALLMENTS)
		return fail(ld, list, "%s: %d installments; expected 1 to %d",
			    name, n, MAX_INSTALLMENTS);
	v = *out = calloc((size_t)n, sizeof(**out));
	if (v == NULL)
		return fail(ld, list,
			    "out of memory; expected enough memory "
			    "to load the configuration");
	/* A due date far outside the term is a typo (2032 for 2023). */
	lo = renewal ? start : day_add_months(start, -INSTALLMENT_SLACK_MONTHS);
	hi = day_add_months(end, INSTALLMENT_SLACK_MONTHS);
	for (i = 0; i < n; i++) {
		struct ll_installment *in = &v[i];

		g = config_setting_get_elem(list, i);
		snprintf(path, sizeof(path), "%s[%d]", name, i + 1);
		if (config_setting_type(g) != CONFIG_TYPE_GROUP)
			return wrong_type(ld, g, path,
					  "a group { due = \"YYYY-MM-DD\"; "
					  "amount = \"...\"; }");
		if (check_keys(ld, g, path, installment_keys) < 0 ||
		    get_date(ld, g, path, "due", true,
			     DATE_EXPECT ", the last day to pay on time",
			     &in->due) < 0)
			return -1;
		in->index = (uint32_t)i + 1;
		join(field, sizeof(field), path, "due");
		if (in->due < lo || in->due > hi)
			return fail(ld, config_setting_get_member(g, "due"),
				    "%s: %s is outside the term it bills; "
				    "expected a date from %s to %s",
				    field, day_format(in->due, what),
				    day_format(lo, a), day_format(hi, b));
		if (i > 0 && in->due <= v[i - 1].due)
			return fail(ld, config_setting_get_member(g, "due"),
				    "%s: %s is not after %s[%d].due "
				    "%s; expected installments in due-date "
				    "order",
				    field, day_format(in->due, a), name, i,
				    day_format(v[i - 1].due, b));
		if (get_money(ld, g, path, "amount", &in->amount) < 0)
			return -1;
		(*n_out)++;
		/* Stop at the first excess: the sum stays below 2 MONEY_MAX. */
		sum += in->amount;
		if (sum > k->annual_fee)
			return fail(ld, config_setting_get_member(g, "amount"),
				    "%s.amount: installments 1 to %d add up to "
				    "%s, more than annual_fee %s; expected "
				    "installments adding up to annual_fee",
				    path, i + 1, money_format(sum, x),
				    money_format(k->annual_fee, y));
	}
	if (sum != k->annual_fee)
		return fail(ld, list,
			    "%s: the amounts add up to %s, less "
			    "than annual_fee %s; expected installments adding "
			    "up to annual_fee",
			    name, money_format(sum, x),
			    money_format(k->annual_fee, y));
	return 0;
}

/* Clause 2.2: the payment schedule. */
static int
load_installments(struct loader *ld, const config_setting_t *c,
		  struct ll_contract *k)
{
	const config_setting_t *list;

	/* Monthly bills come from the general terms, not a schedule. */
	if (k->billing_mode == LL_BILLING_MONTHLY) {
		list = config_setting_get_member(c, "installments");
		if (list == NULL)
			list = config_setting_get_member(c, "term_schedules");
		if (list != NULL)
			return fail(ld, list,
				    "%s: a schedule is not used when "
				    "billing is \"monthly\"; expected no "
				    "%s, or billing = \"installments\"",
				    config_setting_name(list),
				    config_setting_name(list));
		return 0;
	}
	if (lookup(
		ld, c, "", "installments", T(LIST), true,
		"a list ( { due = \"YYYY-MM-DD\"; amount = \"...\"; }, ... ) "
		"(clause 2.2)",
		&list) < 0)
		return -1;
	return load_schedule(ld, list, "installments", k, k->term_start,
			     k->term_end, false, &k->installments,
			     &k->n_installments);
}

/* Clause 11.1: renewed terms with a schedule of their own, e.g.
 *     term_schedules = ( { term = 2; installments = ( ... ); } );
 * in increasing term order; the others repeat the configured one. */
static int
load_term_schedules(struct loader *ld, const config_setting_t *c,
		    struct ll_contract *k)
{
	const config_setting_t *list, *g, *inst;
	char path[64], name[96];
	int64_t term;
	int i, n;

	if (k->billing_mode == LL_BILLING_MONTHLY)
		return 0; /* refused by load_installments */
	if (lookup(ld, c, "", "term_schedules", T(LIST), false,
		   "a list ( { term = 2; installments = ( ... ); }, ... )",
		   &list) < 0)
		return -1;
	if (list == NULL)
		return 0;
	n = config_setting_length(list);
	k->term_schedules =
	    calloc(n ? (size_t)n : 1, sizeof(*k->term_schedules));
	if (k->term_schedules == NULL)
		return fail(ld, list,
			    "out of memory; expected enough memory "
			    "to load the configuration");
	for (i = 0; i < n; i++) {
		struct ll_term_schedule *ts = &k->term_schedules[i];
		ll_day start, end;

		g = config_setting_get_elem(list, i);
		snprintf(path, sizeof(path), "term_schedules[%d]", i + 1);
		if (config_setting_type(g) != CONFIG_TYPE_GROUP)
			return wrong_type(ld, g, path,
					  "a group { term = 2; installments = "
					  "( ... ); }");
		if (check_keys(ld, g, path, term_schedule_keys) < 0 ||
		    get_int(ld, g, path, "term", true, 2, 1000,
			    "a renewal term number from 2 (the first renewal) "
			    "to 1000",
			    &term) < 0)
			return -1;
		if (i > 0 && (uint32_t)term <= k->term_schedules[i - 1].term)
			return fail(ld, config_setting_get_member(g, "term"),
				    "%s.term: %" PRId64 " after %u; expected "
				    "terms in increasing order, each once",
				    path, term, k->term_schedules[i - 1].term);
		if (!k->auto_renew)
			return fail(ld, config_setting_get_member(g, "term"),
				    "%s.term: the contract does not renew "
				    "(term.auto_renew is false); expected no "
				    "term_schedules",
				    path);
		ts->term = (uint32_t)term;
		/* Counted now, so that model_free() frees what a failing
		 * schedule has already allocated. */
		k->n_term_schedules++;
		snprintf(name, sizeof(name), "%s.installments", path);
		if (lookup(ld, g, path, "installments", T(LIST), true,
			   "a list ( { due = \"YYYY-MM-DD\"; amount = "
			   "\"...\"; }, ... )",
			   &inst) < 0)
			return -1;
		model_term_bounds(k, ts->term, &start, &end);
		if (load_schedule(ld, inst, name, k, start, end, true,
				  &ts->installments, &ts->n_installments) < 0)
			return -1;
	}
	return 0;
}

/* Group ranges seen so far in a contract, to refuse overlaps. */
struct range {
	int64_t first, last;
	int line;
};

/* Replaces *dst by a copy of the text setting name of o, if given: owned
 * by the circuit (its id), or by the contract's pool (pooled). */
static int
override_text(struct loader *ld, const config_setting_t *o, const char *path,
	      const char *name, enum text_need need, const char *expect,
	      char **dst, const char **pooled)
{
	const char *str = NULL;

	if (get_text(ld, o, path, name, need, expect, &str) < 0)
		return -1;
	if (str == NULL)
		return 0;
	if (pooled != NULL)
		return pool_str(ld, o, str, pooled);
	free(*dst);
	*dst = NULL;
	return dup_str(ld, o, str, dst);
}

/* One entry of "circuits = ( { index = N; ... } )". */
static int
load_override(struct loader *ld, const config_setting_t *o, const char *path,
	      struct ll_circuit *ci, struct origin *orig, size_t pos)
{
	int64_t v = 0;
	int e;

	if (config_setting_get_member(o, "id") != NULL) {
		orig->at = config_setting_get_member(o, "id");
		orig->override = pos;
	}
	if (override_text(ld, o, path, "id", NONEMPTY,
			  "a circuit id unique in the contract", &ci->id,
			  NULL) < 0)
		return -1;
	e = (int)ci->service;
	if (get_enum(ld, o, path, "service", false, service_types, &e) < 0)
		return -1;
	ci->service = (enum ll_service_type)e;
	if (override_text(ld, o, path, "a_end", OPTIONAL, TEXT_EXPECT, NULL,
			  &ci->a_end) < 0 ||
	    override_text(ld, o, path, "z_end", OPTIONAL, TEXT_EXPECT, NULL,
			  &ci->z_end) < 0)
		return -1;
	if (get_int(ld, o, path, "if_index", false, 1, MAX_IF_INDEX,
		    "an ifIndex from 1 to 2147483647 (leave it out for none)",
		    &v) < 0)
		return -1;
	ci->if_index = (uint32_t)v;
	e = (int)ci->admin;
	if (get_enum(ld, o, path, "state", false, circuit_states, &e) < 0)
		return -1;
	ci->admin = (enum ll_circuit_admin)e;
	return 0;
}

/* Per-circuit settings of a group whose circuits are circ[0 .. count). */
static int
load_overrides(struct loader *ld, const config_setting_t *grp,
	       const char *gpath, int64_t first, int64_t last,
	       struct ll_circuit *circ, struct origin *orig)
{
	const config_setting_t *list, *o;
	char path[96], range[96];
	int *seen = NULL; /* per circuit: 1 + position of its entry */
	int64_t v;
	int i, n, rc = -1;

	if (lookup(ld, grp, gpath, "circuits", T(LIST), false,
		   "a list ( { index = N; id = \"...\"; }, ... ) of "
		   "per-circuit settings",
		   &list) < 0)
		return -1;
	if (list == NULL)
		return 0;
	seen = calloc((size_t)(last - first + 1), sizeof(*seen));
	if (seen == NULL)
		return fail(ld, list,
			    "out of memory; expected enough memory to "
			    "load the configuration");
	snprintf(range, sizeof(range),
		 "an index of this group, from %" PRId64 " to %" PRId64, first,
		 last);
	n = config_setting_length(list);
	for (i = 0; i < n; i++) {
		o = config_setting_get_elem(list, i);
		snprintf(path, sizeof(path), "%s.circuits[%d]", gpath, i + 1);
		if (config_setting_type(o) != CONFIG_TYPE_GROUP) {
			wrong_type(ld, o, path, "a group { index = N; ... }");
			goto out;
		}
		v = 0;
		if (check_keys(ld, o, path, override_keys) < 0 ||
		    get_int(ld, o, path, "index", true, first, last, range,
			    &v) < 0)
			goto out;
		/* Two entries for one circuit: which one wins is unclear. */
		if (seen[v - first] != 0) {
			const config_setting_t *p =
			    config_setting_get_elem(list, seen[v - first] - 1);

			fail(ld, config_setting_get_member(o, "index"),
			     "%s.index: circuit %" PRId64 " is already set at "
			     "line %d; expected each circuit once",
			     path, v, config_setting_source_line(p));
			goto out;
		}
		seen[v - first] = i + 1;
		if (load_override(ld, o, path, &circ[v - first],
				  &orig[v - first], (size_t)i + 1) < 0)
			goto out;
	}
	rc = 0;
out:
	free(seen);
	return rc;
}

/* Clause 1.3: one group of lines, expanded into circuits. */
static int
load_group(struct loader *ld, const config_setting_t *g, size_t gpos,
	   struct ll_contract *k, struct range *ranges, struct origin **origp)
{
	const char *name = NULL, *clause = NULL, *a_end, *z_end = "";
	char path[48];
	struct ll_circuit *circ;
	struct origin *orig;
	int64_t count = 0, first = 0, last, j;
	uint32_t up, down;
	size_t i, n;
	int svc = 0;

	snprintf(path, sizeof(path), "circuit_groups[%zu]", gpos);
	if (config_setting_type(g) != CONFIG_TYPE_GROUP)
		return wrong_type(ld, g, path,
				  "a group { name = \"...\"; clause = \"...\"; "
				  "count = N; first_index = N; ... }");
	if (check_keys(ld, g, path, group_keys) < 0 ||
	    get_text(ld, g, path, "name", REQUIRED,
		     "the group's name, as the contract writes it",
		     &name) < 0 ||
	    get_text(ld, g, path, "clause", REQUIRED,
		     "the number of the clause describing the group, such as "
		     "\"1.3.2\"",
		     &clause) < 0 ||
	    get_enum(ld, g, path, "service", true, service_types, &svc) < 0 ||
	    get_int(ld, g, path, "count", true, 1, MAX_CIRCUITS,
		    "the number of lines in the group, from 1 to 100000",
		    &count) < 0 ||
	    get_int(ld, g, path, "first_index", true, 1, MAX_INDEX,
		    "the index of the group's first circuit, from 1 to "
		    "4294967295, never changed once published",
		    &first) < 0)
		return -1;
	last = first + count - 1;
	if (last > MAX_INDEX)
		return fail(ld, config_setting_get_member(g, "first_index"),
			    "%s.first_index: %" PRId64 " + count %" PRId64
			    " goes past 4294967295; expected a smaller "
			    "first_index",
			    path, first, count);
	for (i = 0; i + 1 < gpos; i++)
		if (first <= ranges[i].last && ranges[i].first <= last)
			return fail(ld,
				    config_setting_get_member(g, "first_index"),
				    "%s: circuits %" PRId64 " to %" PRId64
				    " overlap circuits %" PRId64 " to %" PRId64
				    " of circuit_groups[%zu] at line %d; "
				    "expected a first_index whose range is "
				    "unused (never renumber existing circuits)",
				    path, first, last, ranges[i].first,
				    ranges[i].last, i + 1, ranges[i].line);
	ranges[gpos - 1].first = first;
	ranges[gpos - 1].last = last;
	ranges[gpos - 1].line = config_setting_source_line(g);
	if (k->n_circuits + (size_t)count > MAX_CIRCUITS)
		return fail(ld, config_setting_get_member(g, "count"),
			    "%s.count: the contract would have %zu circuits; "
			    "expected at most %d in one contract",
			    path, k->n_circuits + (size_t)count, MAX_CIRCUITS);
	if (get_rate(ld, g, path, "rate_up", &up) < 0 ||
	    get_rate(ld, g, path, "rate_down", &down) < 0)
		return -1;
	a_end = k->service_location; /* clause 1.4 */
	if (get_text(ld, g, path, "a_end", OPTIONAL, TEXT_EXPECT, &a_end) < 0 ||
	    get_text(ld, g, path, "z_end", OPTIONAL, TEXT_EXPECT, &z_end) < 0)
		return -1;

	/* Grow both arrays; every new slot is zeroed so that model_free
	 * copes with a half-filled one. */
	n = k->n_circuits + (size_t)count;
	circ = realloc(k->circuits, n * sizeof(*circ));
	if (circ == NULL)
		return fail(ld, g,
			    "out of memory; expected enough memory to "
			    "load the configuration");
	k->circuits = circ;
	memset(circ + k->n_circuits, 0, (size_t)count * sizeof(*circ));
	orig = realloc(*origp, n * sizeof(*orig));
	if (orig == NULL)
		return fail(ld, g,
			    "out of memory; expected enough memory to "
			    "load the configuration");
	*origp = orig;
	circ += k->n_circuits;
	orig += k->n_circuits;
	k->n_circuits = n;
	if (pool_str(ld, g, name, &name) < 0 ||
	    pool_str(ld, g, clause, &clause) < 0 ||
	    pool_str(ld, g, a_end, &a_end) < 0 ||
	    pool_str(ld, g, z_end, &z_end) < 0)
		return -1;
	for (j = 0; j < count; j++) {
		struct ll_circuit *ci = &circ[j];
		char id[TEXT_ADMIN_MAX + 32];

		/* "1.3.2-07": the clause and the line's place in it. */
		snprintf(id, sizeof(id), "%s-%02" PRId64, clause, j + 1);
		if (strlen(id) > TEXT_ADMIN_MAX)
			return fail(ld, config_setting_get_member(g, "clause"),
				    "%s.clause: the default circuit id \"%s-"
				    "NN\" is longer than 255 octets; expected "
				    "a shorter clause",
				    path, clause);
		ci->index = (uint32_t)(first + j);
		ci->service = (enum ll_service_type)svc;
		ci->rate_up = up;
		ci->rate_down = down;
		ci->admin = LL_CIRCUIT_IN_SERVICE;
		orig[j].at = g;
		orig[j].group = gpos;
		orig[j].override = 0;
		ci->group = name;
		ci->clause = clause;
		ci->a_end = a_end;
		ci->z_end = z_end;
		if (dup_str(ld, g, id, &ci->id) < 0)
			return -1;
	}
	return load_overrides(ld, g, path, first, last, circ, orig);
}

/* By id, then by place in the array (pointers into one array). */
static int
cmp_by_id(const void *a, const void *b)
{
	const struct ll_circuit *x = *(const struct ll_circuit *const *)a;
	const struct ll_circuit *y = *(const struct ll_circuit *const *)b;
	int r = strcmp(x->id, y->id);

	if (r != 0)
		return r;
	return x < y ? -1 : x > y;
}

/* Circuit ids are unique within a contract: the NMS matches them. */
static int
check_ids(struct loader *ld, const struct ll_contract *k,
	  const struct origin *orig)
{
	const struct ll_circuit **order;
	size_t i;
	int rc = 0;

	if (k->n_circuits < 2)
		return 0;
	order = calloc(k->n_circuits, sizeof(*order));
	if (order == NULL)
		return fail(ld, orig[0].at,
			    "out of memory; expected enough memory to load "
			    "the configuration");
	for (i = 0; i < k->n_circuits; i++)
		order[i] = &k->circuits[i];
	qsort(order, k->n_circuits, sizeof(*order), cmp_by_id);
	for (i = 1; i < k->n_circuits; i++) {
		const struct ll_circuit *a = order[i - 1], *b = order[i];
		const struct origin *o;
		char field[96];

		if (strcmp(a->id, b->id) != 0)
			continue;
		/* Blame an id someone wrote rather than a default one. */
		if (orig[b - k->circuits].override == 0 &&
		    orig[a - k->circuits].override > 0) {
			a = order[i];
			b = order[i - 1];
		}
		o = &orig[b - k->circuits];
		if (o->override > 0)
			snprintf(field, sizeof(field),
				 "circuit_groups[%zu].circuits[%zu].id",
				 o->group, o->override);
		else
			snprintf(field, sizeof(field),
				 "circuit_groups[%zu]: the default id of "
				 "circuit %" PRIu32,
				 o->group, b->index);
		rc = fail(ld, o->at,
			  "%s: \"%s\" is already the id of circuit %" PRIu32
			  "; expected ids unique within the contract%s",
			  field, b->id, a->index,
			  o->override > 0 ? ""
					  : " (set id in circuits, or give "
					    "each group its own clause)");
		break;
	}
	free(order);
	return rc;
}

static int
cmp_circuit(const void *a, const void *b)
{
	const struct ll_circuit *x = a, *y = b;

	return x->index < y->index ? -1 : x->index > y->index;
}

static int
load_groups(struct loader *ld, const config_setting_t *c, struct ll_contract *k)
{
	const config_setting_t *list;
	struct range *ranges;
	struct origin *orig = NULL;
	int i, n, rc = -1;

	if (lookup(
		ld, c, "", "circuit_groups", T(LIST), true,
		"a list ( { name = \"...\"; clause = \"1.3.1\"; ... }, ... ) "
		"of the lines of clause 1.3",
		&list) < 0)
		return -1;
	n = config_setting_length(list);
	if (n == 0)
		return fail(ld, list,
			    "circuit_groups: is empty; expected at "
			    "least one group of lines (clause 1.3)");
	ranges = calloc((size_t)n, sizeof(*ranges));
	if (ranges == NULL)
		return fail(ld, list,
			    "out of memory; expected enough memory "
			    "to load the configuration");
	for (i = 0; i < n; i++)
		if (load_group(ld, config_setting_get_elem(list, i),
			       (size_t)i + 1, k, ranges, &orig) < 0)
			goto out;
	if (check_ids(ld, k, orig) < 0)
		goto out;
	/* Groups do not overlap, so sorted indexes are unique. */
	qsort(k->circuits, k->n_circuits, sizeof(*k->circuits), cmp_circuit);
	rc = 0;
out:
	free(orig);
	free(ranges);
	return rc;
}

static int
load_notes(struct loader *ld, const config_setting_t *c, struct ll_contract *k)
{
	const config_setting_t *list, *e;
	const char *why;
	char field[32], what[128];
	int i, n;

	if (lookup(ld, c, "", "notes", T(LIST) | T(ARRAY), false,
		   "a list ( \"...\", ... ) of strings", &list) < 0)
		return -1;
	if (list == NULL)
		return 0;
	n = config_setting_length(list);
	if (n > MAX_NOTES)
		return fail(ld, list, "notes: %d notes; expected at most %d", n,
			    MAX_NOTES);
	if (n == 0)
		return 0;
	k->notes = calloc((size_t)n, sizeof(*k->notes));
	if (k->notes == NULL)
		return fail(ld, list,
			    "out of memory; expected enough memory "
			    "to load the configuration");
	for (i = 0; i < n; i++) {
		e = config_setting_get_elem(list, i);
		snprintf(field, sizeof(field), "notes[%d]", i + 1);
		if (config_setting_type(e) != CONFIG_TYPE_STRING)
			return wrong_type(ld, e, field, "a quoted string");
		if (config_setting_get_string(e)[0] == '\0')
			return fail(ld, e,
				    "%s: is empty; expected the text "
				    "of a clause, or no note",
				    field);
		why = text_problem(config_setting_get_string(e), what,
				   sizeof(what));
		if (why != NULL)
			return fail(ld, e, "%s: %s; expected %s", field, why,
				    TEXT_EXPECT);
		if (dup_str(ld, e, config_setting_get_string(e), &k->notes[i]) <
		    0)
			return -1;
		k->n_notes++;
	}
	return 0;
}

/* The termination reasons a charge may apply to: the values of
 * llContractSuspensionReason (billing.h), one bit each. */
static const struct name_value charge_reasons[] = {
    {"nonpayment", 2}, {"violation", 3}, {"administrative", 4},
    {"regulatory", 5}, {"transit", 6},	 {"misuse", 7},
    {NULL, 0}};

/* An optional amount; *out is 0 when absent. */
static int
get_money_opt(struct loader *ld, const config_setting_t *grp, const char *gpath,
	      const char *name, ll_fen *out)
{
	*out = 0;
	if (config_setting_get_member(grp, name) == NULL)
		return 0;
	return get_money(ld, grp, gpath, name, out);
}

/* An optional percentage in parts per million; *out is 0 when absent. */
static int
get_percent_opt(struct loader *ld, const config_setting_t *grp,
		const char *gpath, const char *name, uint32_t *out)
{
	const char *str = NULL;
	char field[160];

	*out = 0;
	if (get_text(ld, grp, gpath, name, NONEMPTY, PERCENT_EXPECT, &str) < 0)
		return -1;
	if (str == NULL)
		return 0;
	if (!rate_parse_late_fee(str, out) || *out == 0)
		return fail(ld, config_setting_get_member(grp, name),
			    "%s: \"%s\" is not a percentage above 0; "
			    "expected %s",
			    join(field, sizeof(field), gpath, name), str,
			    PERCENT_EXPECT);
	return 0;
}

static int
load_applies(struct loader *ld, const config_setting_t *g, const char *path,
	     uint32_t *applies)
{
	const config_setting_t *list, *e;
	char field[160];
	const char *str;
	int i, n, j;

	if (lookup(ld, g, path, "applies_to", T(ARRAY) | T(LIST), true,
		   APPLIES_EXPECT, &list) < 0)
		return -1;
	join(field, sizeof(field), path, "applies_to");
	n = config_setting_length(list);
	if (n == 0)
		return fail(ld, list, "%s: is empty; expected %s", field,
			    APPLIES_EXPECT);
	*applies = 0;
	for (i = 0; i < n; i++) {
		e = config_setting_get_elem(list, i);
		if (config_setting_type(e) != CONFIG_TYPE_STRING)
			return wrong_type(ld, e, field, APPLIES_EXPECT);
		str = config_setting_get_string(e);
		if (strcmp(str, "any") == 0) {
			*applies = LL_CHARGE_ANY;
			continue;
		}
		for (j = 0; charge_reasons[j].name != NULL; j++)
			if (strcmp(str, charge_reasons[j].name) == 0)
				break;
		if (charge_reasons[j].name == NULL)
			return fail(ld, e,
				    "%s: \"%s\" is not a termination reason; "
				    "expected %s",
				    field, str, APPLIES_EXPECT);
		*applies |= 1u << charge_reasons[j].value;
	}
	return 0;
}

/* Clauses 6.2, 3.1.11, 6.3: termination_charges, each a clause written
 * as data (leaseline.conf(5)); clause 3.2.10: reclaim_after_days. */
static int
load_charges(struct loader *ld, const config_setting_t *c,
	     struct ll_contract *k)
{
	const config_setting_t *list, *g, *b;
	const char *str;
	char path[48];
	int64_t v = 0;
	int i, n;

	if (get_int(ld, c, "", "reclaim_after_days", false, 0, MAX_DAYS,
		    "an integer from 0 to 3650 (days after the contract ends "
		    "before its numbers and IP addresses go to other "
		    "customers, clause 3.2.10; 0: not said)",
		    &v) < 0)
		return -1;
	k->reclaim_after_days = (uint32_t)v;
	if (lookup(ld, c, "", "termination_charges", T(LIST), false,
		   "a list ( { clause = \"6.2\"; applies_to = [\"any\"]; "
		   "... }, ... ) of termination charges",
		   &list) < 0)
		return -1;
	if (list == NULL)
		return 0;
	n = config_setting_length(list);
	if (n > LL_MAX_CHARGES)
		return fail(ld, list,
			    "termination_charges: %d charges; expected at "
			    "most %d",
			    n, LL_MAX_CHARGES);
	if (n == 0)
		return 0;
	k->charges = calloc((size_t)n, sizeof(*k->charges));
	if (k->charges == NULL)
		return fail(ld, list,
			    "out of memory; expected enough memory "
			    "to load the configuration");
	for (i = 0; i < n; i++) {
		struct ll_termination_charge *ch = &k->charges[i];

		g = config_setting_get_elem(list, i);
		snprintf(path, sizeof(path), "termination_charges[%d]", i + 1);
		if (config_setting_type(g) != CONFIG_TYPE_GROUP)
			return wrong_type(ld, g, path,
					  "a group { clause = \"6.2\"; "
					  "applies_to = [\"any\"]; ... }");
		k->n_charges++;
		str = NULL;
		if (check_keys(ld, g, path, charge_keys) < 0 ||
		    get_text(ld, g, path, "clause", REQUIRED,
			     "the clause the charge comes from, such as "
			     "\"6.2\"",
			     &str) < 0 ||
		    dup_str(ld, g, str, &ch->clause) < 0 ||
		    load_applies(ld, g, path, &ch->applies) < 0 ||
		    get_money_opt(ld, g, path, "fixed", &ch->fixed) < 0 ||
		    get_money_opt(ld, g, path, "per_line_discount",
				  &ch->per_line_discount) < 0 ||
		    get_percent_opt(ld, g, path, "percent_of_total",
				    &ch->of_total_ppm) < 0 ||
		    get_percent_opt(ld, g, path, "percent_of_unperformed",
				    &ch->of_unperformed_ppm) < 0 ||
		    lookup(ld, g, path, "plus_unpaid", T(BOOL), false,
			   "true or false", &b) < 0)
			return -1;
		ch->plus_unpaid = b != NULL && config_setting_get_bool(b);
		if (ch->fixed == 0 && ch->per_line_discount == 0 &&
		    ch->of_total_ppm == 0 && ch->of_unperformed_ppm == 0 &&
		    !ch->plus_unpaid)
			return fail(ld, g,
				    "%s: charges nothing; expected at least "
				    "one of fixed, per_line_discount, "
				    "percent_of_total, percent_of_unperformed "
				    "or plus_unpaid = true",
				    path);
	}
	return 0;
}

/* ---- contracts ---- */

/* The name a contract goes by in messages, before its fields are
 * checked: its number if that is usable, else its place in the list. */
static void
name_contract(struct loader *ld, const config_setting_t *c, int pos)
{
	const config_setting_t *s = config_setting_get_member(c, "number");
	const char *num;
	char buf[64];

	if (s != NULL && config_setting_type(s) == CONFIG_TYPE_STRING) {
		num = config_setting_get_string(s);
		if (num[0] != '\0' &&
		    text_problem(num, buf, sizeof(buf)) == NULL) {
			snprintf(ld->who, sizeof(ld->who), "contract %s", num);
			return;
		}
	}
	snprintf(ld->who, sizeof(ld->who), "contracts[%d]", pos);
}

static uint32_t
seen_hash_number(const char *s)
{
	uint32_t h = 2166136261u; /* FNV-1a */

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static uint32_t
seen_hash_index(uint32_t v)
{
	return v * 2654435761u; /* Knuth's multiplicative hash */
}

/*
 * The first contract before the last one of m (the one being loaded) with
 * k's index or k's number, as a position; m->n_contracts - 1 if none.
 * When two differ, the earlier one is named, as a reader of the files
 * would find it.
 */
static size_t
seen_find(const struct seen *t, const struct ll_model *m,
	  const struct ll_contract *k)
{
	size_t none = m->n_contracts - 1, best = none, mask = t->cap - 1, p;

	if (t->cap == 0)
		return none;
	for (p = seen_hash_index(k->index) & mask; t->by_index[p] != 0;
	     p = (p + 1) & mask)
		if (m->contracts[t->by_index[p] - 1].index == k->index) {
			best = t->by_index[p] - 1;
			break;
		}
	for (p = seen_hash_number(k->number) & mask; t->by_number[p] != 0;
	     p = (p + 1) & mask)
		if (strcmp(m->contracts[t->by_number[p] - 1].number,
			   k->number) == 0) {
			if (t->by_number[p] - 1 < best)
				best = t->by_number[p] - 1;
			break;
		}
	return best;
}

static void
seen_put(struct seen *t, const struct ll_model *m, size_t pos)
{
	const struct ll_contract *k = &m->contracts[pos];
	size_t mask = t->cap - 1, p;

	for (p = seen_hash_index(k->index) & mask; t->by_index[p] != 0;
	     p = (p + 1) & mask)
		;
	t->by_index[p] = pos + 1;
	for (p = seen_hash_number(k->number) & mask; t->by_number[p] != 0;
	     p = (p + 1) & mask)
		;
	t->by_number[p] = pos + 1;
}

/* Remembers the last contract of m, growing the tables at half full. */
static int
seen_add(struct seen *t, const struct ll_model *m)
{
	if (2 * m->n_contracts > t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 64, i;
		struct seen n = {calloc(cap, sizeof(size_t)),
				 calloc(cap, sizeof(size_t)), cap};

		if (n.by_index == NULL || n.by_number == NULL) {
			free(n.by_index);
			free(n.by_number);
			return -1;
		}
		free(t->by_index);
		free(t->by_number);
		*t = n;
		for (i = 0; i + 1 < m->n_contracts; i++)
			seen_put(t, m, i);
	}
	seen_put(t, m, m->n_contracts - 1);
	return 0;
}

static void
seen_free(struct seen *t)
{
	free(t->by_index);
	free(t->by_number);
	memset(t, 0, sizeof(*t));
}

static int
load_identity(struct loader *ld, const config_setting_t *c,
	      struct ll_contract *k)
{
	const struct ll_model *m = ld->model;
	const char *num = NULL;
	int64_t v = 0;
	size_t i;

	if (get_int(ld, c, "", "index", true, 1, MAX_INDEX,
		    "a unique integer from 1 to 4294967295 that never changes "
		    "(write values above 2147483647 with an L suffix)",
		    &v) < 0)
		return -1;
	k->index = (uint32_t)v;
	if (get_text(ld, c, "", "number", REQUIRED,
		     "the contract number as a quoted string, such as "
		     "\"JSCZE2208138CGN00\"",
		     &num) < 0)
		return -1;
	if (strchr(num, ' ') != NULL)
		return fail(ld, config_setting_get_member(c, "number"),
			    "number: \"%s\" contains a space; expected the "
			    "contract number without spaces",
			    num);
	if (dup_str(ld, c, num, &k->number) < 0)
		return -1;
	/* The contract being loaded is the last one of the model. */
	i = seen_find(&ld->seen, m, k);
	if (i < m->n_contracts - 1) {
		const struct ll_contract *o = &m->contracts[i];

		if (o->index == k->index)
			return fail(ld, config_setting_get_member(c, "index"),
				    "index: %" PRIu32
				    " is already the index of "
				    "contract %s at %s:%d; expected an index "
				    "unique across all files (give this "
				    "contract an unused one; never renumber "
				    "the other)",
				    k->index, o->number, o->file, o->line);
		return fail(ld, config_setting_get_member(c, "number"),
			    "number: \"%s\" is already configured at "
			    "%s:%d; expected each contract once, across "
			    "all files",
			    k->number, o->file, o->line);
	}
	if (seen_add(&ld->seen, m) < 0)
		return fail(ld, c,
			    "out of memory; expected enough memory to load "
			    "the configuration");
	return 0;
}

/* Issue 13: what a termination does to the running term (clauses 2.3.4,
 * 6.2), the cap on late fees (Civil Code art. 585: the text sets none),
 * renewal while suspended (11.1 read with 2.3.4) and who suspends for
 * nonpayment (2.3.3 and 7.1(4) give a right, 2.3.4 says it "will"). */
static int
load_issue13(struct loader *ld, const config_setting_t *c,
	     struct ll_contract *k)
{
	const config_setting_t *s = NULL;
	const char *str = NULL;
	int e = LL_TERMINATION_CANCEL;

	if (get_enum(ld, c, "", "on_termination", false, termination_modes,
		     &e) < 0)
		return -1;
	k->on_termination = (enum ll_on_termination)e;
	if (get_text(ld, c, "", "late_fee_cap", NONEMPTY, FEE_CAP_EXPECT,
		     &str) < 0)
		return -1;
	if (str != NULL) {
		size_t n = strlen(str);
		bool share =
		    (n > 0 && str[n - 1] == '%') ||
		    (n >= 3 && strcmp(str + n - 3, "\xe2\x80\xb0") == 0) ||
		    (n >= 3 && strcmp(str + n - 3, "ppm") == 0);

		if (share && rate_parse_late_fee(str, &k->late_fee_cap_ppm)) {
			k->late_fee_cap_kind = LL_FEE_CAP_PERCENT;
		} else if (!share && str[0] != '-' &&
			   money_parse(str, &k->late_fee_cap)) {
			k->late_fee_cap_kind = LL_FEE_CAP_AMOUNT;
		} else {
			return fail(
			    ld, config_setting_get_member(c, "late_fee_cap"),
			    "late_fee_cap: \"%s\" is neither a share "
			    "nor an amount; expected %s",
			    str, FEE_CAP_EXPECT);
		}
	}
	if (lookup(ld, c, "", "renew_while_suspended", T(BOOL), false,
		   "true or false (clause 11.1: whether a suspended contract "
		   "renews)",
		   &s) < 0)
		return -1;
	k->suspension_stops_renewal = s != NULL && !config_setting_get_bool(s);
	e = LL_SUSPENSION_AUTOMATIC;
	if (get_enum(ld, c, "", "suspension", false, suspension_modes, &e) < 0)
		return -1;
	k->suspension = (enum ll_suspension)e;
	return 0;
}

static int
load_contract(struct loader *ld, const config_setting_t *c, int pos,
	      struct ll_contract *k)
{
	const char *s;
	int64_t v;
	int e;

	k->signed_on = LL_NO_DAY;
	k->line = config_setting_source_line(c);
	ld->contract = k;
	ld->pool_cap = 0;
	if (dup_str(ld, c, ld->file, &k->file) < 0)
		return -1;
	name_contract(ld, c, pos);
	if (check_keys(ld, c, "", contract_keys) < 0 ||
	    load_identity(ld, c, k) < 0)
		return -1;

	s = NULL;
	if (get_text(ld, c, "", "title", REQUIRED, "the contract's title", &s) <
		0 ||
	    dup_str(ld, c, s, &k->title) < 0)
		return -1;
	if (load_party(ld, c, "customer", "customer (甲方)", &k->customer) <
		0 ||
	    load_party(ld, c, "provider", "provider (乙方)", &k->provider) < 0)
		return -1;
	if (get_date(ld, c, "", "signed", false, DATE_EXPECT, &k->signed_on) <
	    0)
		return -1;
	s = NULL;
	if (get_text(ld, c, "", "service_location", REQUIRED,
		     "the address where the service is delivered (clause "
		     "1.4)",
		     &s) < 0 ||
	    dup_str(ld, c, s, &k->service_location) < 0)
		return -1;
	if (load_term(ld, c, k) < 0)
		return -1;

	/* Clauses 1.3 and 2.1 to 2.3: money. */
	if (get_money(ld, c, "", "annual_fee", &k->annual_fee) < 0)
		return -1;
	e = LL_BILLING_INSTALLMENTS;
	if (get_enum(ld, c, "", "billing", false, billing_modes, &e) < 0)
		return -1;
	k->billing_mode = (enum ll_billing_mode)e;
	e = 0;
	if (get_enum(ld, c, "", "payment_method", true, payment_methods, &e) <
	    0)
		return -1;
	k->payment_method = (enum ll_payment_method)e;
	s = NULL;
	if (get_text(ld, c, "", "late_fee_rate", REQUIRED, LATE_FEE_EXPECT,
		     &s) < 0)
		return -1;
	if (!rate_parse_late_fee(s, &k->late_fee_ppm))
		return fail(ld, config_setting_get_member(c, "late_fee_rate"),
			    "late_fee_rate: \"%s\" is not a valid daily "
			    "rate; expected %s (clause 2.3.3)",
			    s, LATE_FEE_EXPECT);
	/* Clause 2.3.4: 30 days to suspension, 60 more to termination. */
	v = 30;
	if (get_int(ld, c, "", "suspend_after_days", false, 1, MAX_DAYS,
		    "an integer from 1 to 3650 (days overdue before "
		    "suspension, clause 2.3.4)",
		    &v) < 0)
		return -1;
	k->suspend_after_days = (uint32_t)v;
	v = 60;
	if (get_int(ld, c, "", "terminate_after_days", false, 1, MAX_DAYS,
		    "an integer from 1 to 3650 (days of suspension before "
		    "termination, clause 2.3.4)",
		    &v) < 0)
		return -1;
	k->terminate_after_days = (uint32_t)v;
	if (load_issue13(ld, c, k) < 0)
		return -1;

	if (load_ports(ld, c, k) < 0)
		return -1;
	if (load_reminders(ld, c, "due_soon_days", default_due_soon,
			   sizeof(default_due_soon) / sizeof(uint32_t),
			   k->due_soon_days, &k->n_due_soon_days) < 0 ||
	    load_reminders(ld, c, "notice_reminder_days", default_notice,
			   sizeof(default_notice) / sizeof(uint32_t),
			   k->notice_reminder_days,
			   &k->n_notice_reminder_days) < 0)
		return -1;
	s = "";
	if (get_text(ld, c, "", "support", OPTIONAL, TEXT_EXPECT, &s) < 0 ||
	    dup_str(ld, c, s, &k->support) < 0)
		return -1;
	if (load_installments(ld, c, k) < 0 ||
	    load_term_schedules(ld, c, k) < 0 || load_groups(ld, c, k) < 0 ||
	    load_notes(ld, c, k) < 0 || load_charges(ld, c, k) < 0)
		return -1;
	return 0;
}

static int
load_contracts(struct loader *ld, const config_setting_t *root)
{
	const config_setting_t *list;
	config_setting_t *c;
	struct ll_model *m = ld->model;
	int i, n;

	if (lookup(ld, root, "", "contracts", T(LIST), false,
		   "a list ( { index = 1; number = \"...\"; ... }, ... ) of "
		   "contracts",
		   &list) < 0)
		return -1;
	if (list == NULL)
		return 0;
	n = config_setting_length(list);
	for (i = 0; i < n; i++) {
		c = config_setting_get_elem(list, i);
		if (config_setting_type(c) != CONFIG_TYPE_GROUP) {
			char field[32];

			snprintf(field, sizeof(field), "contracts[%d]", i + 1);
			return wrong_type(ld, c, field,
					  "a group { index = N; number = "
					  "\"...\"; ... } describing one "
					  "contract");
		}
		if (m->n_contracts == ld->cap) {
			size_t cap = ld->cap ? ld->cap * 2 : 8;
			struct ll_contract *p;

			p = realloc(m->contracts, cap * sizeof(*p));
			if (p == NULL)
				return fail(ld, c,
					    "out of memory; expected enough "
					    "memory to load the configuration");
			m->contracts = p;
			ld->cap = cap;
		}
		/* Counted at once, so model_free frees a half-loaded one. */
		memset(&m->contracts[m->n_contracts], 0,
		       sizeof(m->contracts[0]));
		m->n_contracts++;
		if (load_contract(ld, c, i + 1,
				  &m->contracts[m->n_contracts - 1]) < 0)
			return -1;
		ld->who[0] = '\0';
	}
	return 0;
}

/* ---- files ---- */

/*
 * The literal starting at p, which libconfig 1.5 reads with atoi() (or
 * atoll() with an L suffix): refuses one that would not fit.  *end is
 * set past it.
 */
static int
check_number(struct loader *ld, const char *p, int line, const char **end)
{
	const char *d = p, *w;
	uint64_t v = 0, base = 10, max32, max64;
	bool neg = *p == '-', over = false, is_long;

	for (w = p; *w != '\0' && strchr("0123456789abcdefABCDEFxXL.+-", *w);
	     w++)
		;
	*end = w;
	if (*d == '+' || *d == '-')
		d++;
	if (d[0] == '0' && (d[1] == 'x' || d[1] == 'X')) {
		base = 16;
		d += 2;
	}
	for (; d < w; d++) {
		uint64_t digit;

		if (*d >= '0' && *d <= '9')
			digit = (uint64_t)(*d - '0');
		else if (base == 16 && strchr("abcdef", *d | 0x20) != NULL)
			digit = (uint64_t)((*d | 0x20) - 'a' + 10);
		else
			break;
		if (v > (UINT64_MAX - digit) / base)
			over = true;
		else
			v = v * base + digit;
	}
	/* d stops at the end of a 32-bit literal, at the L of a 64-bit one;
	 * anything else is a float, or an error libconfig reports. */
	is_long =
	    d < w && d[0] == 'L' && (d + 1 == w || (d[1] == 'L' && d + 2 == w));
	max32 = neg ? 2147483648u : 2147483647u;
	max64 = neg ? (uint64_t)INT64_MAX + 1 : INT64_MAX;
	if (d == w && (over || v > max32))
		return fail_at(ld, ld->file, line,
			       "%.*s: integer too large for libconfig's 32 "
			       "bits; expected at most 2147483647, or an L "
			       "suffix (%.*sL)",
			       (int)(w - p), p, (int)(w - p), p);
	if (is_long && (over || v > max64))
		return fail_at(ld, ld->file, line,
			       "%.*s: integer too large for 64 bits; expected "
			       "at most 9223372036854775807L",
			       (int)(w - p), p);
	return 0;
}

/*
 * libconfig 1.5 reads an integer literal with atoi(): 5000000000 becomes
 * 705032704 without a word.  Finds such literals in the text before
 * parsing (outside strings and comments) and refuses them.  Also refuses
 * @include: include_dir is the one way to split the configuration, so
 * every setting's file is known.
 */
static int
prescan(struct loader *ld, const char *text)
{
	const char *p = text;
	int line = 1;

	while (*p != '\0') {
		if (*p == '\n') {
			line++;
			p++;
		} else if (*p == '#' || (p[0] == '/' && p[1] == '/')) {
			while (*p != '\0' && *p != '\n')
				p++;
		} else if (p[0] == '/' && p[1] == '*') {
			for (p += 2;
			     *p != '\0' && !(p[0] == '*' && p[1] == '/'); p++)
				if (*p == '\n')
					line++;
			if (*p != '\0')
				p += 2;
		} else if (*p == '"') {
			for (p++; *p != '\0' && *p != '"'; p++) {
				if (*p == '\n')
					line++;
				if (*p == '\\' && p[1] != '\0') {
					p++; /* an escaped quote or newline */
					if (*p == '\n')
						line++;
				}
			}
			if (*p != '\0')
				p++;
		} else if (*p == '@') {
			if (strncmp(p, "@include", 8) == 0)
				return fail_at(ld, ld->file, line,
					       "@include is not supported; "
					       "expected include_dir in the "
					       "main file (leaseline.conf(5))");
			p++;
		} else if ((*p >= '0' && *p <= '9') || *p == '+' || *p == '-' ||
			   *p == '.') {
			if (check_number(ld, p, line, &p) < 0)
				return -1;
		} else if ((*p >= 'A' && *p <= 'Z') ||
			   (*p >= 'a' && *p <= 'z') || *p == '*') {
			/* A name, whose digits are not numbers. */
			while (*p != '\0' && (strchr("-_*", *p) != NULL ||
					      (*p >= 'A' && *p <= 'Z') ||
					      (*p >= 'a' && *p <= 'z') ||
					      (*p >= '0' && *p <= '9')))
				p++;
		} else {
			p++;
		}
	}
	return 0;
}

/*
 * Opens a configuration file for reading, refusing anything but a regular
 * file.  A FIFO would block open() until a writer comes, holding up the
 * evaluation thread, snmpd or leaselinectl for ever: the file is opened
 * without blocking, and the check is made on what was opened (fstat), so
 * that a file swapped for a FIFO after a stat() cannot slip through.
 */
static FILE *
open_text(struct loader *ld, const char *path)
{
	struct stat st;
	FILE *f;
	int fd, flags;

	fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0) {
		fail_at(ld, path, 0,
			"cannot open the file: %s; expected a readable "
			"configuration file",
			strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		fail_at(ld, path, 0,
			"is not a regular file; expected a configuration "
			"file");
		close(fd);
		return NULL;
	}
	/* A regular file never blocks; reads are plain from here on. */
	flags = fcntl(fd, F_GETFL);
	if (flags < 0 || fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) < 0 ||
	    (f = fdopen(fd, "rb")) == NULL) {
		fail_at(ld, path, 0,
			"cannot open the file: %s; expected a readable "
			"configuration file",
			strerror(errno));
		close(fd);
		return NULL;
	}
	return f;
}

/* Reads a whole file into a NUL-terminated buffer. */
static int
read_text(struct loader *ld, const char *path, char **out)
{
	FILE *f;
	char *buf = NULL, *p;
	size_t len = 0, cap = 0, n;
	int rc = -1;

	*out = NULL;
	f = open_text(ld, path);
	if (f == NULL)
		return -1;
	do {
		if (cap - len < 2) {
			cap = cap ? cap * 2 : 65536;
			p = realloc(buf, cap);
			if (p == NULL) {
				fail_at(ld, path, 0,
					"out of memory; expected enough memory "
					"to load the configuration");
				goto out;
			}
			buf = p;
		}
		n = fread(buf + len, 1, cap - len - 1, f);
		len += n;
		if (len > MAX_FILE_SIZE) {
			fail_at(ld, path, 0,
				"is larger than 16 MiB; expected "
				"a configuration file");
			goto out;
		}
	} while (n > 0);
	if (ferror(f)) {
		fail_at(ld, path, 0,
			"cannot read the file: %s; expected a readable "
			"configuration file",
			strerror(errno));
		goto out;
	}
	/* libconfig would stop at a NUL and hide the rest of the file. */
	if (memchr(buf, '\0', len) != NULL) {
		fail_at(ld, path, 0,
			"contains a NUL byte; expected a text "
			"file");
		goto out;
	}
	buf[len] = '\0';
	*out = buf;
	buf = NULL;
	rc = 0;
out:
	free(buf);
	fclose(f);
	return rc;
}

static int
syntax_error(struct loader *ld, const config_t *cf)
{
	const char *text = config_error_text(cf);
	const char *expect = "valid libconfig syntax (leaseline.conf(5))";

	if (text == NULL)
		text = "unreadable";
	if (strcmp(text, "syntax error") == 0)
		expect = "settings written name = value; with groups in { }, "
			 "arrays in [ ], lists in ( ) and strings in double "
			 "quotes (look for a missing ';', quote or bracket "
			 "here or on the line before)";
	else if (strcmp(text, "duplicate setting name") == 0)
		expect = "each setting once in its group";
	else if (strcmp(text, "mismatched element type in array") == 0)
		expect = "array elements [ ] all of one type (use a list ( ) "
			 "for groups)";
	return fail_at(ld, ld->file, config_error_line(cf), "%s; expected %s",
		       text, expect);
}

static int load_file(struct loader *ld, const char *path, bool is_main);
struct tree_job;
static int load_tree(struct loader *ld, struct tree_job *job, bool is_main);

/*
 * A file read, checked for what libconfig would misread (prescan) and
 * parsed into libconfig's tree, by a thread of its own; the tree is freed
 * by another.  Two reasons:
 *
 * - Memory.  glibc then takes the tree's nodes from another malloc arena
 *   than the model copied out of it.  Built and freed in the loading
 *   thread, the tree's nodes and the model's strings and arrays were
 *   interleaved in one heap, and the holes the tree left (smaller than a
 *   page, between live model data) stayed resident: 45 MB of 99 MB at
 *   100,000 circuits in one file.  Freed by another thread, the nodes go
 *   back to their arena without passing through the loading thread's
 *   cache, from which its next allocations would take them, and leave
 *   whole free pages that go back to the system.
 * - Time.  The files of an include_dir are parsed one ahead: the next
 *   file's tree is built while this one's contracts are converted, on a
 *   second core when there is one.
 *
 * Without a thread (or with MALLOC_ARENA_MAX=1) all is done here, as
 * before.  A file's own problems (unreadable, too large, @include, a
 * number out of range) are kept in the job and reported when its turn
 * comes, so that messages come in file order whatever ran ahead.
 */
struct tree_job {
	const char *path;
	char *text;
	config_t cf;
	bool read_ok; /* text read and prescanned; else err says why */
	int rc;	      /* config_read_string's */
	bool running; /* a thread is at it */
	pthread_t thread;
	char err[CONFIG_ERRLEN];
};

static int prescan(struct loader *ld, const char *text);
static int read_text(struct loader *ld, const char *path, char **out);

static void *
tree_build(void *arg)
{
	struct tree_job *job = arg;
	struct loader ld;
	const char *body;

	memset(&ld, 0, sizeof(ld));
	ld.err = job->err;
	ld.errlen = sizeof(job->err);
	ld.file = job->path;
	job->rc = CONFIG_FALSE;
	config_init(&job->cf);
	if (read_text(&ld, job->path, &job->text) < 0)
		return NULL;
	/* Some Windows editors start UTF-8 files with a byte order mark. */
	body = job->text;
	if (strncmp(body, "\xef\xbb\xbf", 3) == 0)
		body += 3;
	if (prescan(&ld, body) < 0)
		return NULL;
	job->read_ok = true;
	job->rc = config_read_string(&job->cf, body);
	return NULL;
}

static void *
tree_free(void *arg)
{
	struct tree_job *job = arg;

	config_destroy(&job->cf);
	free(job->text);
	job->text = NULL;
	return NULL;
}

/* Starts building path's tree (in a thread when one can be had). */
static void
tree_start(struct tree_job *job, const char *path)
{
	memset(job, 0, sizeof(*job));
	job->path = path;
	job->running = pthread_create(&job->thread, NULL, tree_build, job) == 0;
	if (!job->running)
		tree_build(job);
}

static void
tree_wait(struct tree_job *job)
{
	if (job->running)
		pthread_join(job->thread, NULL);
	job->running = false;
}

/* Waits for the job, then frees its tree and text by another thread. */
static void
tree_done(struct tree_job *job)
{
	pthread_t t;

	tree_wait(job);
	if (pthread_create(&t, NULL, tree_free, job) == 0)
		pthread_join(t, NULL);
	else
		tree_free(job);
}

/* "dir/name" from the first dirlen octets of dir, or NULL. */
static char *
path_join(const char *dir, size_t dirlen, const char *name)
{
	size_t n = dirlen + 1 + strlen(name) + 1;
	char *p = malloc(n);

	if (p != NULL)
		snprintf(p, n, "%.*s/%s", (int)dirlen, dir, name);
	return p;
}

static int
cmp_names(const void *a, const void *b)
{
	/* strcmp, not strcoll: the order must not depend on the locale. */
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool
is_conf_name(const char *name)
{
	size_t len = strlen(name);

	/* Hidden files are editors' and packagers' leftovers. */
	return name[0] != '.' && len > 5 &&
	       strcmp(name + len - 5, ".conf") == 0;
}

/* Every *.conf in the directory include_dir names, in name order. */
static int
load_dir(struct loader *ld, const char *main_path, const config_setting_t *inc)
{
	const char *dir = config_setting_get_string(inc);
	const char *slash = strrchr(main_path, '/');
	char *dirpath = NULL, **names = NULL, **paths = NULL;
	struct tree_job jobs[2];
	size_t n = 0, cap = 0, i;
	struct stat main_st, st;
	struct dirent *de;
	DIR *d;
	int rc = -1;

	/* Relative to the directory of the main file, not the cwd. */
	if (dir[0] == '/' || slash == NULL)
		dirpath = strdup(dir);
	else
		dirpath =
		    path_join(main_path, (size_t)(slash - main_path), dir);
	if (dirpath == NULL)
		return fail(ld, inc,
			    "out of memory; expected enough memory to "
			    "load the configuration");
	d = opendir(dirpath);
	if (d == NULL) {
		fail(ld, inc,
		     "include_dir: \"%s\" cannot be opened: %s; expected a "
		     "directory of *.conf files, relative to the directory of "
		     "this file",
		     dir, strerror(errno));
		goto out;
	}
	while ((de = readdir(d)) != NULL) {
		if (!is_conf_name(de->d_name))
			continue;
		if (n == cap) {
			char **p;

			cap = cap ? cap * 2 : 16;
			p = realloc(names, cap * sizeof(*p));
			if (p == NULL)
				break;
			names = p;
		}
		names[n] = strdup(de->d_name);
		if (names[n] == NULL)
			break;
		n++;
	}
	if (de != NULL) {
		closedir(d);
		fail(ld, inc,
		     "out of memory; expected enough memory to load "
		     "the configuration");
		goto out;
	}
	closedir(d);
	if (n > 1) /* qsort(NULL, 0, ...) is undefined */
		qsort(names, n, sizeof(*names), cmp_names);
	if (stat(main_path, &main_st) < 0)
		memset(&main_st, 0, sizeof(main_st));
	/* Full paths first: the main file itself is refused before any is
	 * read. */
	paths = calloc(n ? n : 1, sizeof(*paths));
	if (paths == NULL) {
		fail(ld, inc,
		     "out of memory; expected enough memory "
		     "to load the configuration");
		goto out;
	}
	for (i = 0; i < n; i++) {
		paths[i] = path_join(dirpath, strlen(dirpath), names[i]);
		if (paths[i] == NULL) {
			fail(ld, inc,
			     "out of memory; expected enough memory "
			     "to load the configuration");
			goto out;
		}
		if (stat(paths[i], &st) == 0 && st.st_dev == main_st.st_dev &&
		    st.st_ino == main_st.st_ino) {
			fail(ld, inc,
			     "include_dir: \"%s\" holds this file itself; "
			     "expected a separate directory, such as "
			     "\"contracts.d\"",
			     dir);
			goto out;
		}
	}
	/* Each file's tree is built while the one before is converted. */
	if (n > 0)
		tree_start(&jobs[0], paths[0]);
	for (i = 0; i < n; i++) {
		struct tree_job *job = &jobs[i % 2];
		int r;

		tree_wait(job);
		if (i + 1 < n)
			tree_start(&jobs[(i + 1) % 2], paths[i + 1]);
		r = load_tree(ld, job, false);
		tree_done(job);
		if (r < 0) {
			if (i + 1 < n)
				tree_done(&jobs[(i + 1) % 2]);
			goto out;
		}
	}
	rc = 0;
out:
	for (i = 0; paths != NULL && i < n; i++)
		free(paths[i]);
	free(paths);
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	free(dirpath);
	return rc;
}

/* The rest of a file once its tree is built (or not: job says why). */
static int
load_tree(struct loader *ld, struct tree_job *job, bool is_main)
{
	const char *saved = ld->file;
	const config_setting_t *root, *inc = NULL;
	int rc = -1;

	ld->file = job->path;
	ld->who[0] = '\0';
	if (!job->read_ok) {
		snprintf(ld->err, ld->errlen, "%s", job->err);
		goto out;
	}
	if (job->rc != CONFIG_TRUE) {
		syntax_error(ld, &job->cf);
		goto out;
	}
	root = config_root_setting(&job->cf);
	if (!is_main &&
	    config_setting_get_member(root, "include_dir") != NULL) {
		fail(ld, config_setting_get_member(root, "include_dir"),
		     "include_dir: is not allowed in an included file; "
		     "expected include_dir only in the main file");
		goto out;
	}
	if (check_keys(ld, root, "", is_main ? main_keys : included_keys) < 0)
		goto out;
	if (is_main &&
	    (lookup(ld, root, "", "include_dir", T(STRING), false,
		    "a quoted directory name, such as \"contracts.d\"",
		    &inc) < 0 ||
	     (inc != NULL && config_setting_get_string(inc)[0] == '\0' &&
	      fail(ld, inc,
		   "include_dir: is empty; expected a quoted "
		   "directory name, such as \"contracts.d\"") < 0)))
		goto out;
	if (load_contracts(ld, root) < 0)
		goto out;
	if (inc != NULL && load_dir(ld, job->path, inc) < 0)
		goto out;
	rc = 0;
out:
	ld->file = saved;
	return rc;
}

static int
load_file(struct loader *ld, const char *path, bool is_main)
{
	struct tree_job job;
	int rc;

	tree_start(&job, path);
	tree_wait(&job);
	rc = load_tree(ld, &job, is_main);
	tree_done(&job);
	return rc;
}

static int
cmp_contract(const void *a, const void *b)
{
	const struct ll_contract *x = a, *y = b;

	return x->index < y->index ? -1 : x->index > y->index;
}

struct ll_model *
config_load(const char *path, char *err, size_t errlen)
{
	struct loader ld;
	struct ll_model *m;
	char dummy[1], buf[MONEY_STRLEN];
	size_t i;

	if (err == NULL || errlen == 0) {
		err = dummy;
		errlen = sizeof(dummy);
	}
	err[0] = '\0';
	memset(&ld, 0, sizeof(ld));
	ld.err = err;
	ld.errlen = errlen;
	ld.file = path;
	m = calloc(1, sizeof(*m));
	if (m == NULL) {
		fail_at(&ld, path, 0,
			"out of memory; expected enough memory "
			"to load the configuration");
		return NULL;
	}
	ld.model = m;
	snprintf(ld.money_expect, sizeof(ld.money_expect),
		 "a quoted amount in CNY above zero, at most %s with at most 2 "
		 "decimals, such as \"450,000.00\" (quoted, so that yuan and "
		 "fen cannot be confused)",
		 money_format(MONEY_MAX, buf));
	if (load_file(&ld, path, true) < 0)
		goto fail;
	if (m->n_contracts == 0) {
		fail_at(&ld, path, 0,
			"no contract configured; expected at least one "
			"contract in \"contracts\" of this file or of a *.conf "
			"file in its include_dir");
		goto fail;
	}
	seen_free(&ld.seen);
	qsort(m->contracts, m->n_contracts, sizeof(*m->contracts),
	      cmp_contract);
	for (i = 0; i < m->n_contracts; i++) {
		m->n_circuits += m->contracts[i].n_circuits;
		m->n_installments += m->contracts[i].n_installments;
	}
	return m;
fail:
	seen_free(&ld.seen);
	model_free(m);
	return NULL;
}
