/*
 * config.c: reads leaseline.conf into a model, checking everything; the
 * whole model, from config_load() down to each contract.
 *
 * The file is libconfig syntax (leaseline.conf(5)).  It is read into
 * memory, scanned once for what libconfig 1.5 gets silently wrong
 * (integers above 32 bits without an L suffix wrap around), parsed
 * (cfg_file.c), and walked field by field in a fixed order (here, then
 * cfg_contract.c and cfg_circuit.c).  The first problem stops the load
 * with one message naming file, line, field, what is wrong and what is
 * expected (cfg_value.c): the operator fixes one thing and runs the check
 * again.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/cfg.h"
#include "config/config.h"
#include "core/money.h"
#include "core/rate.h"

#define CFG_LATE_FEE_EXPECT                                                    \
	"a quoted daily rate with its unit, such as \"3%\", "                  \
	"\"3\xe2\x80\xb0\", \"0.05%\" or \"300ppm\", at most 100%"
#define CFG_FEE_CAP_EXPECT                                                     \
	"a quoted share of the installment with its unit, such as \"30%\", "   \
	"at most 100%, or a quoted amount in CNY such as \"100,000.00\" "      \
	"(issue 13: the most late fee one installment accrues)"

static const struct cfg_name_value cfg_payment_methods[] = {
    {"cash", LL_PAY_CASH},
    {"transfer", LL_PAY_TRANSFER},
    {"debit", LL_PAY_DEBIT},
    {"other", LL_PAY_OTHER},
    {NULL, 0},
};

static const struct cfg_name_value cfg_billing_modes[] = {
    {"installments", LL_BILLING_INSTALLMENTS},
    {"monthly", LL_BILLING_MONTHLY},
    {NULL, 0},
};

static const struct cfg_name_value cfg_termination_modes[] = {
    {"cancel", LL_TERMINATION_CANCEL},
    {"prorate", LL_TERMINATION_PRORATE},
    {NULL, 0},
};

/* Issue 13, clauses 2.3.3, 2.3.4 and 7.1(4): who suspends for
 * nonpayment. */
static const struct cfg_name_value cfg_suspension_modes[] = {
    {"automatic", LL_SUSPENSION_AUTOMATIC},
    {"decided", LL_SUSPENSION_DECIDED},
    {NULL, 0},
};

/* Issue 4: llPaymentDueSoon 30, 7 and 1 days before a due date;
 * llRenewalNoticeDue 60, 30 and 7 days before the notice deadline. */
static const uint32_t cfg_default_due_soon[] = {30, 7, 1};
static const uint32_t cfg_default_notice[] = {60, 30, 7};

static const char *const cfg_contract_keys[] = {"index",
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

/* The name a contract goes by in messages, before its fields are
 * checked: its number if that is usable, else its place in the list. */
static void
cfg_name_contract(struct cfg_loader *ld, const config_setting_t *c, int pos)
{
	const config_setting_t *s = cfg_member(c, "number");
	const char *num;
	char buf[64];

	if (s != NULL && config_setting_type(s) == CONFIG_TYPE_STRING) {
		num = config_setting_get_string(s);
		if (num[0] != '\0' &&
		    cfg_text_problem(num, buf, sizeof(buf)) == NULL) {
			snprintf(ld->who, sizeof(ld->who), "contract %s", num);
			return;
		}
	}
	snprintf(ld->who, sizeof(ld->who), "contracts[%d]", pos);
}

static uint32_t
cfg_seen_hash_number(const char *s)
{
	uint32_t h = 2166136261u; /* FNV-1a */

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static uint32_t
cfg_seen_hash_index(uint32_t v)
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
cfg_seen_find(const struct cfg_seen *t, const struct ll_model *m,
	      const struct ll_contract *k)
{
	size_t none = m->n_contracts - 1, best = none, mask = t->cap - 1, p;

	if (t->cap == 0)
		return none;
	for (p = cfg_seen_hash_index(k->index) & mask; t->by_index[p] != 0;
	     p = (p + 1) & mask)
		if (m->contracts[t->by_index[p] - 1].index == k->index) {
			best = t->by_index[p] - 1;
			break;
		}
	for (p = cfg_seen_hash_number(k->number) & mask; t->by_number[p] != 0;
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
cfg_seen_put(struct cfg_seen *t, const struct ll_model *m, size_t pos)
{
	const struct ll_contract *k = &m->contracts[pos];
	size_t mask = t->cap - 1, p;

	for (p = cfg_seen_hash_index(k->index) & mask; t->by_index[p] != 0;
	     p = (p + 1) & mask)
		;
	t->by_index[p] = pos + 1;
	for (p = cfg_seen_hash_number(k->number) & mask; t->by_number[p] != 0;
	     p = (p + 1) & mask)
		;
	t->by_number[p] = pos + 1;
}

/* Remembers the last contract of m, growing the tables at half full. */
static int
cfg_seen_add(struct cfg_seen *t, const struct ll_model *m)
{
	if (2 * m->n_contracts > t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 64, i;
		struct cfg_seen n = {calloc(cap, sizeof(size_t)),
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
			cfg_seen_put(t, m, i);
	}
	cfg_seen_put(t, m, m->n_contracts - 1);
	return 0;
}

static void
cfg_seen_free(struct cfg_seen *t)
{
	free(t->by_index);
	free(t->by_number);
	memset(t, 0, sizeof(*t));
}

static int
cfg_load_identity(struct cfg_loader *ld, const config_setting_t *c,
		  struct ll_contract *k)
{
	const struct ll_model *m = ld->model;
	const char *num = NULL;
	int64_t v = 0;
	size_t i;

	if (cfg_get_int(
		ld, c, "", "index", true, 1, CFG_MAX_INDEX,
		"a unique integer from 1 to 4294967295 that never changes "
		"(write values above 2147483647 with an L suffix)",
		&v) < 0)
		return -1;
	k->index = (uint32_t)v;
	if (cfg_get_text(ld, c, "", "number", CFG_REQUIRED,
			 "the contract number as a quoted string, such as "
			 "\"JSCZE2208138CGN00\"",
			 &num) < 0)
		return -1;
	if (strchr(num, ' ') != NULL)
		return cfg_fail(ld, cfg_member(c, "number"),
				"number: \"%s\" contains a space; expected the "
				"contract number without spaces",
				num);
	if (cfg_dup_str(ld, c, num, &k->number) < 0)
		return -1;
	/* The contract being loaded is the last one of the model. */
	i = cfg_seen_find(&ld->seen, m, k);
	if (i < m->n_contracts - 1) {
		const struct ll_contract *o = &m->contracts[i];

		if (o->index == k->index)
			return cfg_fail(
			    ld, cfg_member(c, "index"),
			    "index: %" PRIu32 " is already the index of "
			    "contract %s at %s:%d; expected an index "
			    "unique across all files (give this "
			    "contract an unused one; never renumber "
			    "the other)",
			    k->index, o->number, o->file, o->line);
		return cfg_fail(ld, cfg_member(c, "number"),
				"number: \"%s\" is already configured at "
				"%s:%d; expected each contract once, across "
				"all files",
				k->number, o->file, o->line);
	}
	if (cfg_seen_add(&ld->seen, m) < 0)
		return cfg_fail(ld, c,
				"out of memory; expected enough memory to load "
				"the configuration");
	return 0;
}

/* Issue 13: what a termination does to the running term (clauses 2.3.4,
 * 6.2), the cap on late fees (Civil Code art. 585: the text sets none),
 * renewal while suspended (11.1 read with 2.3.4) and who suspends for
 * nonpayment (2.3.3 and 7.1(4) give a right, 2.3.4 says it "will"). */
static int
cfg_load_issue13(struct cfg_loader *ld, const config_setting_t *c,
		 struct ll_contract *k)
{
	const config_setting_t *s = NULL;
	const char *str = NULL;
	int e = LL_TERMINATION_CANCEL;

	if (cfg_get_enum(ld, c, "", "on_termination", false,
			 cfg_termination_modes, &e) < 0)
		return -1;
	k->on_termination = (enum ll_on_termination)e;
	if (cfg_get_text(ld, c, "", "late_fee_cap", CFG_NONEMPTY,
			 CFG_FEE_CAP_EXPECT, &str) < 0)
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
			return cfg_fail(
			    ld, cfg_member(c, "late_fee_cap"),
			    "late_fee_cap: \"%s\" is neither a share "
			    "nor an amount; expected %s",
			    str, CFG_FEE_CAP_EXPECT);
		}
	}
	if (cfg_lookup(
		ld, c, "", "renew_while_suspended", CFG_T(BOOL), false,
		"true or false (clause 11.1: whether a suspended contract "
		"renews)",
		&s) < 0)
		return -1;
	k->suspension_stops_renewal = s != NULL && !config_setting_get_bool(s);
	e = LL_SUSPENSION_AUTOMATIC;
	if (cfg_get_enum(ld, c, "", "suspension", false, cfg_suspension_modes,
			 &e) < 0)
		return -1;
	k->suspension = (enum ll_suspension)e;
	return 0;
}

static int
cfg_load_contract(struct cfg_loader *ld, const config_setting_t *c, int pos,
		  struct ll_contract *k)
{
	const char *s;
	int64_t v;
	int e;

	k->signed_on = LL_NO_DAY;
	k->line = config_setting_source_line(c);
	ld->contract = k;
	ld->pool_cap = 0;
	if (cfg_dup_str(ld, c, ld->file, &k->file) < 0)
		return -1;
	cfg_name_contract(ld, c, pos);
	if (cfg_check_keys(ld, c, "", cfg_contract_keys) < 0 ||
	    cfg_load_identity(ld, c, k) < 0)
		return -1;

	s = NULL;
	if (cfg_get_text(ld, c, "", "title", CFG_REQUIRED,
			 "the contract's title", &s) < 0 ||
	    cfg_dup_str(ld, c, s, &k->title) < 0)
		return -1;
	if (cfg_load_party(ld, c, "customer", "customer (甲方)", &k->customer) <
		0 ||
	    cfg_load_party(ld, c, "provider", "provider (乙方)", &k->provider) <
		0)
		return -1;
	if (cfg_get_date(ld, c, "", "signed", false, CFG_DATE_EXPECT,
			 &k->signed_on) < 0)
		return -1;
	s = NULL;
	if (cfg_get_text(ld, c, "", "service_location", CFG_REQUIRED,
			 "the address where the service is delivered (clause "
			 "1.4)",
			 &s) < 0 ||
	    cfg_dup_str(ld, c, s, &k->service_location) < 0)
		return -1;
	if (cfg_load_term(ld, c, k) < 0)
		return -1;

	/* Clauses 1.3 and 2.1 to 2.3: money. */
	if (cfg_get_money(ld, c, "", "annual_fee", &k->annual_fee) < 0)
		return -1;
	e = LL_BILLING_INSTALLMENTS;
	if (cfg_get_enum(ld, c, "", "billing", false, cfg_billing_modes, &e) <
	    0)
		return -1;
	k->billing_mode = (enum ll_billing_mode)e;
	e = 0;
	if (cfg_get_enum(ld, c, "", "payment_method", true, cfg_payment_methods,
			 &e) < 0)
		return -1;
	k->payment_method = (enum ll_payment_method)e;
	s = NULL;
	if (cfg_get_text(ld, c, "", "late_fee_rate", CFG_REQUIRED,
			 CFG_LATE_FEE_EXPECT, &s) < 0)
		return -1;
	if (!rate_parse_late_fee(s, &k->late_fee_ppm))
		return cfg_fail(ld, cfg_member(c, "late_fee_rate"),
				"late_fee_rate: \"%s\" is not a valid daily "
				"rate; expected %s (clause 2.3.3)",
				s, CFG_LATE_FEE_EXPECT);
	/* Clause 2.3.4: 30 days to suspension, 60 more to termination. */
	v = 30;
	if (cfg_get_int(ld, c, "", "suspend_after_days", false, 1, CFG_MAX_DAYS,
			"an integer from 1 to 3650 (days overdue before "
			"suspension, clause 2.3.4)",
			&v) < 0)
		return -1;
	k->suspend_after_days = (uint32_t)v;
	v = 60;
	if (cfg_get_int(ld, c, "", "terminate_after_days", false, 1,
			CFG_MAX_DAYS,
			"an integer from 1 to 3650 (days of suspension before "
			"termination, clause 2.3.4)",
			&v) < 0)
		return -1;
	k->terminate_after_days = (uint32_t)v;
	if (cfg_load_issue13(ld, c, k) < 0)
		return -1;

	if (cfg_load_ports(ld, c, k) < 0)
		return -1;
	if (cfg_load_reminders(ld, c, "due_soon_days", cfg_default_due_soon,
			       sizeof(cfg_default_due_soon) / sizeof(uint32_t),
			       k->due_soon_days, &k->n_due_soon_days) < 0 ||
	    cfg_load_reminders(
		ld, c, "notice_reminder_days", cfg_default_notice,
		sizeof(cfg_default_notice) / sizeof(uint32_t),
		k->notice_reminder_days, &k->n_notice_reminder_days) < 0)
		return -1;
	s = "";
	if (cfg_get_text(ld, c, "", "support", CFG_OPTIONAL, CFG_TEXT_EXPECT,
			 &s) < 0 ||
	    cfg_dup_str(ld, c, s, &k->support) < 0)
		return -1;
	if (cfg_load_installments(ld, c, k) < 0 ||
	    cfg_load_term_schedules(ld, c, k) < 0 ||
	    cfg_load_groups(ld, c, k) < 0 || cfg_load_notes(ld, c, k) < 0 ||
	    cfg_load_charges(ld, c, k) < 0)
		return -1;
	return 0;
}

int
cfg_load_contracts(struct cfg_loader *ld, const config_setting_t *root)
{
	const config_setting_t *list;
	config_setting_t *c;
	struct ll_model *m = ld->model;
	int i, n;

	if (cfg_lookup(
		ld, root, "", "contracts", CFG_T(LIST), false,
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
			return cfg_wrong_type(ld, c, field,
					      "a group { index = N; number = "
					      "\"...\"; ... } describing one "
					      "contract");
		}
		if (m->n_contracts == ld->cap) {
			size_t cap = ld->cap ? ld->cap * 2 : 8;
			struct ll_contract *p;

			p = realloc(m->contracts, cap * sizeof(*p));
			if (p == NULL)
				return cfg_fail(
				    ld, c,
				    "out of memory; expected enough "
				    "memory to load the configuration");
			m->contracts = p;
			ld->cap = cap;
		}
		/* Counted at once, so model_free frees a half-loaded one. */
		memset(&m->contracts[m->n_contracts], 0,
		       sizeof(m->contracts[0]));
		m->n_contracts++;
		if (cfg_load_contract(ld, c, i + 1,
				      &m->contracts[m->n_contracts - 1]) < 0)
			return -1;
		ld->who[0] = '\0';
	}
	return 0;
}

static int
cfg_cmp_contract(const void *a, const void *b)
{
	const struct ll_contract *x = a, *y = b;

	return x->index < y->index ? -1 : x->index > y->index;
}

struct ll_model *
config_load(const char *path, char *err, size_t errlen)
{
	struct cfg_loader ld;
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
		cfg_fail_at(&ld, path, 0,
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
	if (cfg_load_file(&ld, path, true) < 0)
		goto fail;
	if (m->n_contracts == 0) {
		cfg_fail_at(
		    &ld, path, 0,
		    "no contract configured; expected at least one "
		    "contract in \"contracts\" of this file or of a *.conf "
		    "file in its include_dir");
		goto fail;
	}
	cfg_seen_free(&ld.seen);
	qsort(m->contracts, m->n_contracts, sizeof(*m->contracts),
	      cfg_cmp_contract);
	for (i = 0; i < m->n_contracts; i++) {
		m->n_circuits += m->contracts[i].n_circuits;
		m->n_installments += m->contracts[i].n_installments;
	}
	return m;
fail:
	cfg_seen_free(&ld.seen);
	model_free(m);
	return NULL;
}
