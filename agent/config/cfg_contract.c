/*
 * cfg_contract.c: the parts of a contract but its lines: the parties, the
 * term (clause 11.1), blocked ports (1.5), reminders (issue 4), the
 * payment schedule (2.2) and the schedules of renewed terms, notes, and
 * termination charges (6.2, 3.1.11, 6.3).  Each reads settings of one
 * contract group into the contract being loaded; config.c calls them in a
 * fixed order, so that the first problem reported is always the same one.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/cfg.h"
#include "core/day.h"
#include "core/model.h"
#include "core/money.h"

/* BILLING_TERM_STRIDE - 1: the indexes of a term stay in its hundred. */
#define CFG_MAX_INSTALLMENTS	     99
#define CFG_MAX_NOTES		     1000
#define CFG_MAX_RENEW_MONTHS	     120
#define CFG_INSTALLMENT_SLACK_MONTHS 12

#define CFG_APPLIES_EXPECT                                                     \
	"a list [\"any\"] or of termination reasons: nonpayment, "             \
	"violation, administrative, regulatory, transit, misuse"

static const char *const cfg_party_keys[] = {"name", "address",
					     "representative", NULL};
static const char *const cfg_term_keys[] = {
    "start", "end", "auto_renew", "renew_months", "notice_days", NULL};
static const char *const cfg_installment_keys[] = {"due", "amount", NULL};
static const char *const cfg_term_schedule_keys[] = {"term", "installments",
						     NULL};
static const char *const cfg_charge_keys[] = {"clause",
					      "applies_to",
					      "fixed",
					      "per_line_discount",
					      "percent_of_total",
					      "percent_of_unperformed",
					      "plus_unpaid",
					      NULL};

int
cfg_load_party(struct cfg_loader *ld, const config_setting_t *c,
	       const char *name, const char *what, struct ll_party *p)
{
	const config_setting_t *g = cfg_member(c, name);
	const char *s;
	char expect[128];

	/* What is expected is written out only for the message. */
	if (g == NULL || config_setting_type(g) != CONFIG_TYPE_GROUP) {
		snprintf(expect, sizeof(expect),
			 "a group { name = \"...\"; address = \"...\"; "
			 "representative = \"...\"; } for the %s",
			 what);
		if (cfg_lookup(ld, c, "", name, CFG_T(GROUP), true, expect,
			       &g) < 0)
			return -1;
	}
	if (cfg_check_keys(ld, g, name, cfg_party_keys) < 0)
		return -1;
	s = NULL;
	if (cfg_get_text(ld, g, name, "name", CFG_REQUIRED, "the party's name",
			 &s) < 0 ||
	    cfg_dup_str(ld, g, s, &p->name) < 0)
		return -1;
	s = NULL;
	if (cfg_get_text(ld, g, name, "address", CFG_OPTIONAL, CFG_TEXT_EXPECT,
			 &s) < 0 ||
	    (s != NULL && cfg_dup_str(ld, g, s, &p->address) < 0))
		return -1;
	s = NULL;
	if (cfg_get_text(ld, g, name, "representative", CFG_OPTIONAL,
			 CFG_TEXT_EXPECT, &s) < 0 ||
	    (s != NULL && cfg_dup_str(ld, g, s, &p->representative) < 0))
		return -1;
	return 0;
}

/* Clause 11.1: the term, and how it renews. */
int
cfg_load_term(struct cfg_loader *ld, const config_setting_t *c,
	      struct ll_contract *k)
{
	const config_setting_t *t, *s;
	char a[DAY_STRLEN], b[DAY_STRLEN];
	int64_t v;
	ll_day next, renewal;

	if (cfg_lookup(
		ld, c, "", "term", CFG_T(GROUP), true,
		"a group { start = \"YYYY-MM-DD\"; end = \"YYYY-MM-DD\"; } "
		"(clause 11.1)",
		&t) < 0 ||
	    cfg_check_keys(ld, t, "term", cfg_term_keys) < 0)
		return -1;
	if (cfg_get_date(ld, t, "term", "start", true,
			 CFG_DATE_EXPECT " for the first day of the term",
			 &k->term_start) < 0 ||
	    cfg_get_date(ld, t, "term", "end", true,
			 CFG_DATE_EXPECT " for the last day of the term",
			 &k->term_end) < 0)
		return -1;
	if (k->term_end <= k->term_start)
		return cfg_fail(ld, cfg_member(t, "end"),
				"term.end: %s is not after term.start %s; "
				"expected the last day of the term, after its "
				"first",
				day_format(k->term_end, a),
				day_format(k->term_start, b));
	if (cfg_lookup(ld, t, "term", "auto_renew", CFG_T(BOOL), false,
		       "true or false", &s) < 0)
		return -1;
	k->auto_renew = s != NULL && config_setting_get_bool(s);
	v = 12;
	if (cfg_get_int(
		ld, t, "term", "renew_months", false, 1, CFG_MAX_RENEW_MONTHS,
		"an integer from 1 to 120 (months of each renewal term)",
		&v) < 0)
		return -1;
	k->renew_months = (uint32_t)v;
	v = 0;
	if (cfg_get_int(
		ld, t, "term", "notice_days", false, 0, CFG_MAX_DAYS,
		"an integer from 0 to 3650 (days of notice before the term "
		"ends)",
		&v) < 0)
		return -1;
	k->notice_days = (uint32_t)v;
	/* Notice must fall inside the term it ends, or it is due before
	 * the term begins. */
	s = cfg_member(t, "notice_days");
	if (s == NULL)
		s = t; /* the default is 0: unreachable, but point somewhere */
	if (k->notice_days >= (uint32_t)(k->term_end - k->term_start + 1))
		return cfg_fail(ld, s,
				"term.notice_days: %" PRIu32
				" is not less than the %" PRId32
				" days of the term; expected fewer days",
				k->notice_days,
				k->term_end - k->term_start + 1);
	next = k->term_end + 1;
	renewal = day_add_months(next, (int)k->renew_months) - next;
	if (k->auto_renew && k->notice_days >= (uint32_t)renewal)
		return cfg_fail(ld, s,
				"term.notice_days: %" PRIu32
				" is not less than the %" PRId32
				" days of a %" PRIu32
				"-month renewal term; expected fewer days, or "
				"longer renew_months",
				k->notice_days, renewal, k->renew_months);
	return 0;
}

/* Clause 1.5: ports closed on these lines. */
int
cfg_load_ports(struct cfg_loader *ld, const config_setting_t *c,
	       struct ll_contract *k)
{
	const config_setting_t *p, *e;
	unsigned char seen[65536 / 8];
	char field[64], what[128];
	int64_t v;
	int i, n;

	if (cfg_lookup(
		ld, c, "", "blocked_ports", CFG_T(ARRAY) | CFG_T(LIST), false,
		"an array of port numbers such as [80, 8080, 443]", &p) < 0)
		return -1;
	if (p == NULL)
		return 0;
	n = config_setting_length(p);
	if (n == 0)
		return 0;
	k->blocked_ports = calloc((size_t)n, sizeof(*k->blocked_ports));
	if (k->blocked_ports == NULL)
		return cfg_fail(ld, p,
				"out of memory; expected enough memory to "
				"load the configuration");
	memset(seen, 0, sizeof(seen));
	for (i = 0; i < n; i++) {
		e = config_setting_get_elem(p, i);
		cfg_path_index(field, sizeof(field), "blocked_ports", i + 1);
		if (!cfg_setting_int(e, &v))
			return cfg_fail(ld, e,
					"%s: %s; expected a port number "
					"from 1 to 65535",
					field,
					cfg_describe(e, what, sizeof(what)));
		if (v < 1 || v > 65535)
			return cfg_fail(ld, e,
					"%s: %" PRId64 " is out of range; "
					"expected a port number from 1 to "
					"65535",
					field, v);
		if (seen[v / 8] & (1u << (v % 8)))
			return cfg_fail(ld, e,
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
int
cfg_load_reminders(struct cfg_loader *ld, const config_setting_t *c,
		   const char *name, const uint32_t *defaults,
		   size_t n_defaults, uint32_t *out, size_t *n_out)
{
	const config_setting_t *p, *e;
	char field[64], what[128];
	int64_t v;
	int i, n;

	if (cfg_lookup(ld, c, "", name, CFG_T(ARRAY) | CFG_T(LIST), false,
		       "an array of day counts such as [30, 7, 1]", &p) < 0)
		return -1;
	if (p == NULL) {
		memcpy(out, defaults, n_defaults * sizeof(*out));
		*n_out = n_defaults;
		return 0;
	}
	n = config_setting_length(p);
	if (n > LL_MAX_REMINDERS)
		return cfg_fail(ld, p, "%s: %d reminders; expected at most %d",
				name, n, LL_MAX_REMINDERS);
	*n_out = 0;
	for (i = 0; i < n; i++) {
		e = config_setting_get_elem(p, i);
		cfg_path_index(field, sizeof(field), name, i + 1);
		if (!cfg_setting_int(e, &v))
			return cfg_fail(
			    ld, e,
			    "%s: %s; expected a number of days from 1 "
			    "to 3650",
			    field, cfg_describe(e, what, sizeof(what)));
		if (v < 1 || v > CFG_MAX_DAYS)
			return cfg_fail(ld, e,
					"%s: %" PRId64
					" is out of range; expected "
					"a number of days from 1 to 3650",
					field, v);
		if (i > 0 && (uint32_t)v >= out[i - 1])
			return cfg_fail(ld, e,
					"%s: %" PRId64
					" after %u; expected day "
					"counts in decreasing order, each once",
					field, v, out[i - 1]);
		out[i] = (uint32_t)v;
		(*n_out)++;
	}
	return 0;
}

/* One payment schedule (clause 2.2): a list of { due; amount; } in
 * due-date order, within 12 months of the term [start, end] (and, for a
 * renewed term, not before it starts: its installments are billed when it
 * starts), adding up to the annual fee.  `name` is the list's path, for
 * messages. */
static int
cfg_load_schedule(struct cfg_loader *ld, const config_setting_t *list,
		  const char *name, const struct ll_contract *k, ll_day start,
		  ll_day end, bool renewal, struct ll_installment **out,
		  size_t *n_out)
{
	const config_setting_t *g;
	char path[96], field[112], what[128];
	char a[DAY_STRLEN], b[DAY_STRLEN], x[MONEY_STRLEN], y[MONEY_STRLEN];
	struct ll_installment *v;
	ll_day lo, hi;
	ll_fen sum = 0;
	int i, n;

	n = config_setting_length(list);
	if (n < 1 || n > CFG_MAX_INSTALLMENTS)
		return cfg_fail(ld, list,
				"%s: %d installments; expected 1 to %d", name,
				n, CFG_MAX_INSTALLMENTS);
	v = *out = calloc((size_t)n, sizeof(**out));
	if (v == NULL)
		return cfg_fail(ld, list,
				"out of memory; expected enough memory "
				"to load the configuration");
	/* A due date far outside the term is a typo (2032 for 2023). */
	lo = renewal ? start
		     : day_add_months(start, -CFG_INSTALLMENT_SLACK_MONTHS);
	hi = day_add_months(end, CFG_INSTALLMENT_SLACK_MONTHS);
	for (i = 0; i < n; i++) {
		struct ll_installment *in = &v[i];

		g = config_setting_get_elem(list, i);
		cfg_path_index(path, sizeof(path), name, i + 1);
		if (config_setting_type(g) != CONFIG_TYPE_GROUP)
			return cfg_wrong_type(ld, g, path,
					      "a group { due = \"YYYY-MM-DD\"; "
					      "amount = \"...\"; }");
		if (cfg_check_keys(ld, g, path, cfg_installment_keys) < 0 ||
		    cfg_get_date(ld, g, path, "due", true,
				 CFG_DATE_EXPECT
				 ", the last day to pay on time",
				 &in->due) < 0)
			return -1;
		in->index = (uint32_t)i + 1;
		cfg_join(field, sizeof(field), path, "due");
		if (in->due < lo || in->due > hi)
			return cfg_fail(ld, cfg_member(g, "due"),
					"%s: %s is outside the term it bills; "
					"expected a date from %s to %s",
					field, day_format(in->due, what),
					day_format(lo, a), day_format(hi, b));
		if (i > 0 && in->due <= v[i - 1].due)
			return cfg_fail(ld, cfg_member(g, "due"),
					"%s: %s is not after %s[%d].due "
					"%s; expected installments in due-date "
					"order",
					field, day_format(in->due, a), name, i,
					day_format(v[i - 1].due, b));
		if (cfg_get_money(ld, g, path, "amount", &in->amount) < 0)
			return -1;
		(*n_out)++;
		/* Stop at the first excess: the sum stays below 2 MONEY_MAX. */
		sum += in->amount;
		if (sum > k->annual_fee)
			return cfg_fail(
			    ld, cfg_member(g, "amount"),
			    "%s.amount: installments 1 to %d add up to "
			    "%s, more than annual_fee %s; expected "
			    "installments adding up to annual_fee",
			    path, i + 1, money_format(sum, x),
			    money_format(k->annual_fee, y));
	}
	if (sum != k->annual_fee)
		return cfg_fail(
		    ld, list,
		    "%s: the amounts add up to %s, less "
		    "than annual_fee %s; expected installments adding "
		    "up to annual_fee",
		    name, money_format(sum, x), money_format(k->annual_fee, y));
	return 0;
}

/* Clause 2.2: the payment schedule. */
int
cfg_load_installments(struct cfg_loader *ld, const config_setting_t *c,
		      struct ll_contract *k)
{
	const config_setting_t *list;

	/* Monthly bills come from the general terms, not a schedule. */
	if (k->billing_mode == LL_BILLING_MONTHLY) {
		list = cfg_member(c, "installments");
		if (list == NULL)
			list = cfg_member(c, "term_schedules");
		if (list != NULL)
			return cfg_fail(ld, list,
					"%s: a schedule is not used when "
					"billing is \"monthly\"; expected no "
					"%s, or billing = \"installments\"",
					config_setting_name(list),
					config_setting_name(list));
		return 0;
	}
	if (cfg_lookup(
		ld, c, "", "installments", CFG_T(LIST), true,
		"a list ( { due = \"YYYY-MM-DD\"; amount = \"...\"; }, ... ) "
		"(clause 2.2)",
		&list) < 0)
		return -1;
	return cfg_load_schedule(ld, list, "installments", k, k->term_start,
				 k->term_end, false, &k->installments,
				 &k->n_installments);
}

/* Clause 11.1: renewed terms with a schedule of their own, e.g.
 *     term_schedules = ( { term = 2; installments = ( ... ); } );
 * in increasing term order; the others repeat the configured one. */
int
cfg_load_term_schedules(struct cfg_loader *ld, const config_setting_t *c,
			struct ll_contract *k)
{
	const config_setting_t *list, *g, *inst;
	char path[64], name[96];
	int64_t term;
	int i, n;

	if (k->billing_mode == LL_BILLING_MONTHLY)
		return 0; /* refused by cfg_load_installments */
	if (cfg_lookup(ld, c, "", "term_schedules", CFG_T(LIST), false,
		       "a list ( { term = 2; installments = ( ... ); }, ... )",
		       &list) < 0)
		return -1;
	if (list == NULL)
		return 0;
	n = config_setting_length(list);
	k->term_schedules =
	    calloc(n ? (size_t)n : 1, sizeof(*k->term_schedules));
	if (k->term_schedules == NULL)
		return cfg_fail(ld, list,
				"out of memory; expected enough memory "
				"to load the configuration");
	for (i = 0; i < n; i++) {
		struct ll_term_schedule *ts = &k->term_schedules[i];
		ll_day start, end;

		g = config_setting_get_elem(list, i);
		cfg_path_index(path, sizeof(path), "term_schedules", i + 1);
		if (config_setting_type(g) != CONFIG_TYPE_GROUP)
			return cfg_wrong_type(
			    ld, g, path,
			    "a group { term = 2; installments = "
			    "( ... ); }");
		if (cfg_check_keys(ld, g, path, cfg_term_schedule_keys) < 0 ||
		    cfg_get_int(
			ld, g, path, "term", true, 2, 1000,
			"a renewal term number from 2 (the first renewal) "
			"to 1000",
			&term) < 0)
			return -1;
		if (i > 0 && (uint32_t)term <= k->term_schedules[i - 1].term)
			return cfg_fail(
			    ld, cfg_member(g, "term"),
			    "%s.term: %" PRId64 " after %u; expected "
			    "terms in increasing order, each once",
			    path, term, k->term_schedules[i - 1].term);
		if (!k->auto_renew)
			return cfg_fail(
			    ld, cfg_member(g, "term"),
			    "%s.term: the contract does not renew "
			    "(term.auto_renew is false); expected no "
			    "term_schedules",
			    path);
		ts->term = (uint32_t)term;
		/* Counted now, so that model_free() frees what a failing
		 * schedule has already allocated. */
		k->n_term_schedules++;
		snprintf(name, sizeof(name), "%s.installments", path);
		if (cfg_lookup(ld, g, path, "installments", CFG_T(LIST), true,
			       "a list ( { due = \"YYYY-MM-DD\"; amount = "
			       "\"...\"; }, ... )",
			       &inst) < 0)
			return -1;
		model_term_bounds(k, ts->term, &start, &end);
		if (cfg_load_schedule(ld, inst, name, k, start, end, true,
				      &ts->installments,
				      &ts->n_installments) < 0)
			return -1;
	}
	return 0;
}

int
cfg_load_notes(struct cfg_loader *ld, const config_setting_t *c,
	       struct ll_contract *k)
{
	const config_setting_t *list, *e;
	const char *why;
	char field[32], what[128];
	int i, n;

	if (cfg_lookup(ld, c, "", "notes", CFG_T(LIST) | CFG_T(ARRAY), false,
		       "a list ( \"...\", ... ) of strings", &list) < 0)
		return -1;
	if (list == NULL)
		return 0;
	n = config_setting_length(list);
	if (n > CFG_MAX_NOTES)
		return cfg_fail(ld, list,
				"notes: %d notes; expected at most %d", n,
				CFG_MAX_NOTES);
	if (n == 0)
		return 0;
	k->notes = calloc((size_t)n, sizeof(*k->notes));
	if (k->notes == NULL)
		return cfg_fail(ld, list,
				"out of memory; expected enough memory "
				"to load the configuration");
	for (i = 0; i < n; i++) {
		e = config_setting_get_elem(list, i);
		cfg_path_index(field, sizeof(field), "notes", i + 1);
		if (config_setting_type(e) != CONFIG_TYPE_STRING)
			return cfg_wrong_type(ld, e, field, "a quoted string");
		if (config_setting_get_string(e)[0] == '\0')
			return cfg_fail(ld, e,
					"%s: is empty; expected the text "
					"of a clause, or no note",
					field);
		why = cfg_text_problem(config_setting_get_string(e), what,
				       sizeof(what));
		if (why != NULL)
			return cfg_fail(ld, e, "%s: %s; expected %s", field,
					why, CFG_TEXT_EXPECT);
		if (cfg_dup_str(ld, e, config_setting_get_string(e),
				&k->notes[i]) < 0)
			return -1;
		k->n_notes++;
	}
	return 0;
}

/* The termination reasons a charge may apply to: the values of
 * llContractSuspensionReason (billing.h), one bit each. */
static const struct cfg_name_value cfg_charge_reasons[] = {
    {"nonpayment", 2}, {"violation", 3}, {"administrative", 4},
    {"regulatory", 5}, {"transit", 6},	 {"misuse", 7},
    {NULL, 0}};

static int
cfg_load_applies(struct cfg_loader *ld, const config_setting_t *g,
		 const char *path, uint32_t *applies)
{
	const config_setting_t *list, *e;
	char field[160];
	const char *str;
	int i, n, j;

	if (cfg_lookup(ld, g, path, "applies_to", CFG_T(ARRAY) | CFG_T(LIST),
		       true, CFG_APPLIES_EXPECT, &list) < 0)
		return -1;
	cfg_join(field, sizeof(field), path, "applies_to");
	n = config_setting_length(list);
	if (n == 0)
		return cfg_fail(ld, list, "%s: is empty; expected %s", field,
				CFG_APPLIES_EXPECT);
	*applies = 0;
	for (i = 0; i < n; i++) {
		e = config_setting_get_elem(list, i);
		if (config_setting_type(e) != CONFIG_TYPE_STRING)
			return cfg_wrong_type(ld, e, field, CFG_APPLIES_EXPECT);
		str = config_setting_get_string(e);
		if (strcmp(str, "any") == 0) {
			*applies = LL_CHARGE_ANY;
			continue;
		}
		for (j = 0; cfg_charge_reasons[j].name != NULL; j++)
			if (strcmp(str, cfg_charge_reasons[j].name) == 0)
				break;
		if (cfg_charge_reasons[j].name == NULL)
			return cfg_fail(
			    ld, e,
			    "%s: \"%s\" is not a termination reason; "
			    "expected %s",
			    field, str, CFG_APPLIES_EXPECT);
		*applies |= 1u << cfg_charge_reasons[j].value;
	}
	return 0;
}

/* Clauses 6.2, 3.1.11, 6.3: termination_charges, each a clause written
 * as data (leaseline.conf(5)); clause 3.2.10: reclaim_after_days. */
int
cfg_load_charges(struct cfg_loader *ld, const config_setting_t *c,
		 struct ll_contract *k)
{
	const config_setting_t *list, *g, *b;
	const char *str;
	char path[48];
	int64_t v = 0;
	int i, n;

	if (cfg_get_int(
		ld, c, "", "reclaim_after_days", false, 0, CFG_MAX_DAYS,
		"an integer from 0 to 3650 (days after the contract ends "
		"before its numbers and IP addresses go to other "
		"customers, clause 3.2.10; 0: not said)",
		&v) < 0)
		return -1;
	k->reclaim_after_days = (uint32_t)v;
	if (cfg_lookup(ld, c, "", "termination_charges", CFG_T(LIST), false,
		       "a list ( { clause = \"6.2\"; applies_to = [\"any\"]; "
		       "... }, ... ) of termination charges",
		       &list) < 0)
		return -1;
	if (list == NULL)
		return 0;
	n = config_setting_length(list);
	if (n > LL_MAX_CHARGES)
		return cfg_fail(ld, list,
				"termination_charges: %d charges; expected at "
				"most %d",
				n, LL_MAX_CHARGES);
	if (n == 0)
		return 0;
	k->charges = calloc((size_t)n, sizeof(*k->charges));
	if (k->charges == NULL)
		return cfg_fail(ld, list,
				"out of memory; expected enough memory "
				"to load the configuration");
	for (i = 0; i < n; i++) {
		struct ll_termination_charge *ch = &k->charges[i];

		g = config_setting_get_elem(list, i);
		cfg_path_index(path, sizeof(path), "termination_charges",
			       i + 1);
		if (config_setting_type(g) != CONFIG_TYPE_GROUP)
			return cfg_wrong_type(ld, g, path,
					      "a group { clause = \"6.2\"; "
					      "applies_to = [\"any\"]; ... }");
		k->n_charges++;
		str = NULL;
		if (cfg_check_keys(ld, g, path, cfg_charge_keys) < 0 ||
		    cfg_get_text(ld, g, path, "clause", CFG_REQUIRED,
				 "the clause the charge comes from, such as "
				 "\"6.2\"",
				 &str) < 0 ||
		    cfg_dup_str(ld, g, str, &ch->clause) < 0 ||
		    cfg_load_applies(ld, g, path, &ch->applies) < 0 ||
		    cfg_get_money_opt(ld, g, path, "fixed", &ch->fixed) < 0 ||
		    cfg_get_money_opt(ld, g, path, "per_line_discount",
				      &ch->per_line_discount) < 0 ||
		    cfg_get_percent_opt(ld, g, path, "percent_of_total",
					&ch->of_total_ppm) < 0 ||
		    cfg_get_percent_opt(ld, g, path, "percent_of_unperformed",
					&ch->of_unperformed_ppm) < 0 ||
		    cfg_lookup(ld, g, path, "plus_unpaid", CFG_T(BOOL), false,
			       "true or false", &b) < 0)
			return -1;
		ch->plus_unpaid = b != NULL && config_setting_get_bool(b);
		if (ch->fixed == 0 && ch->per_line_discount == 0 &&
		    ch->of_total_ppm == 0 && ch->of_unperformed_ppm == 0 &&
		    !ch->plus_unpaid)
			return cfg_fail(
			    ld, g,
			    "%s: charges nothing; expected at least "
			    "one of fixed, per_line_discount, "
			    "percent_of_total, percent_of_unperformed "
			    "or plus_unpaid = true",
			    path);
	}
	return 0;
}
