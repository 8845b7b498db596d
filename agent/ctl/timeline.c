/*
 * timeline.c: the timeline command (past and coming events) and the
 * history command (the ledger's entries and the transitions computed from
 * them).
 */
#include <stdio.h>
#include <string.h>

#include "core/day.h"
#include "core/decide.h"
#include "ctl/ctl.h"
#include "ctl/format.h"
#include "store/ledger.h"

/* -------------------------------------------------------- timeline -- */

static void
ctl_event_row(struct ctl_table *t, const struct billing_event *ev, ll_day today,
	      bool when)
{
	char m[MONEY_STRLEN], d[DAY_STRLEN], text[128];

	ctl_table_row(t);
	ctl_table_cell(t, "%s", day_format(ev->day, d));
	if (when)
		ctl_table_cell(t, "%s",
			       ev->day < today	  ? "past"
			       : ev->day == today ? "today"
						  : "coming");
	ctl_table_cell(t, "%s", ctl_event_text(ev, text, sizeof(text)));
	ctl_table_cell(t, "%u", ev->term);
	if (ev->installment != 0)
		ctl_table_cell(t, "%u", ev->installment);
	else
		ctl_table_cell(t, "%s", "");
	if (ctl_event_has_amount(ev))
		ctl_table_cell(t, "%s", money_format(ev->amount, m));
	else
		ctl_table_cell(t, "%s", "");
	ctl_table_cell(t, "%s", money_format(ev->late_fee, m));
}

/* Events up to `until`; with `when`, a past/today/coming column (a
 * timeline, reminders included), else the transitions of a history. */
static int
ctl_print_events(const struct billing_contract *bc, ll_day until, bool when,
		 const char *indent)
{
	static const char *const headers[] = {
	    "DATE", "WHEN", "EVENT", "TERM", "INST", "AMOUNT", "LATE FEE"};
	static const enum ctl_align align[] = {CTL_LEFT,  CTL_LEFT,  CTL_LEFT,
					       CTL_RIGHT, CTL_RIGHT, CTL_RIGHT,
					       CTL_RIGHT};
	static const char *const headers_nowhen[] = {
	    "DATE", "EVENT", "TERM", "INST", "AMOUNT", "LATE FEE"};
	static const enum ctl_align align_nowhen[] = {
	    CTL_LEFT, CTL_LEFT, CTL_RIGHT, CTL_RIGHT, CTL_RIGHT, CTL_RIGHT};
	struct ctl_table *t =
	    when ? ctl_table_new(7, headers, align)
		 : ctl_table_new(6, headers_nowhen, align_nowhen);
	int rc;

	if (t == NULL)
		return -1;
	for (size_t i = 0; i < bc->n_events; i++)
		if (bc->events[i].day <= until &&
		    (when || !ctl_event_is_reminder(&bc->events[i])))
			ctl_event_row(t, &bc->events[i], bc->today, when);
	rc = ctl_table_print(t, stdout, indent);
	ctl_table_free(t);
	return rc;
}

/* Default horizon: the end of the term after the current one, as
 * billing renews it (model_term_bounds). */
static ll_day
ctl_default_until(const struct ll_contract *c,
		  const struct billing_contract *bc)
{
	ll_day start, end;

	if (c->renew_months == 0)
		return day_add_months(bc->term_end + 1, 12) - 1;
	model_term_bounds(c, bc->term_number + 1, &start, &end);
	return end;
}

/* After a timeline: what the end of the contract brings (charges.h). */
static void
ctl_print_charges(const struct ll_contract *c, const struct charges *ch)
{
	char a[CTL_MONEYLEN], d[DAY_STRLEN], text[CHARGES_TEXT_MAX];

	if (ch->kind != CHARGES_NONE)
		printf("%s %s: %s (%s: %s)\n", day_format(ch->day, d),
		       ch->kind == CHARGES_RECORDED
			   ? "termination charge"
			   : "charge if terminated today",
		       ctl_money(ch->total, a),
		       billing_reason_name((enum billing_reason)ch->reason),
		       charges_text(ch, text, sizeof(text)));
	if (ch->reclaim != LL_NO_DAY)
		printf("%s numbers and IP addresses go to other customers "
		       "(%u days after the end, clause 3.2.10)\n",
		       day_format(ch->reclaim, d), c->reclaim_after_days);
}

int
ctl_cmd_timeline(struct ctl *ctl)
{
	const struct ll_contract *c = ctl_contract(ctl, ctl->args[0]);
	struct billing_contract now, bc;
	struct charges ch;
	struct entry *e;
	char a[DAY_STRLEN], b[DAY_STRLEN];
	struct ctl_json j;
	ll_day until = LL_NO_DAY;
	size_t n;
	int rc = CTL_EXIT_REFUSED;

	if (c == NULL)
		return CTL_EXIT_REFUSED;
	if (ctl->until_arg != NULL &&
	    ctl_parse_day(ctl, "--until", ctl->until_arg, &until) < 0)
		return CTL_EXIT_REFUSED;
	if (ctl_entries(ctl, c->number, &e, &n) < 0)
		return CTL_EXIT_REFUSED;
	if (ctl_evaluate(ctl, c, e, n, ctl->today, LL_NO_DAY, &now) < 0)
		goto free_entries;
	if (ctl->until_arg == NULL)
		until = ctl_default_until(c, &now);
	if (charges_of_contract(c, e, n, &now, &ch) < 0) {
		billing_contract_free(&now);
		ctl_refuse(ctl, "out of memory");
		goto free_entries;
	}
	billing_contract_free(&now);
	/* billing lists events only with a horizon; an --until in the past
	 * still needs the events up to today, filtered below. */
	if (ctl_evaluate(ctl, c, e, n, ctl->today,
			 until > ctl->today ? until : ctl->today, &bc) < 0)
		goto free_entries;
	if (ctl->json) {
		ctl_json_init(&j, stdout);
		ctl_json_object(&j, NULL);
		ctl_json_string(&j, "contract", c->number);
		ctl_json_day(&j, "date", ctl->today);
		ctl_json_day(&j, "until", until);
		ctl_json_array(&j, "events");
		for (size_t i = 0; i < bc.n_events; i++)
			if (bc.events[i].day <= until)
				ctl_json_event(&j, &bc.events[i], ctl->today);
		ctl_json_end(&j, ']');
		ctl_json_charges(&j, &ch);
		ctl_json_end(&j, '}');
		rc = CTL_EXIT_OK;
	} else {
		printf("%s %s\n", c->number, c->title);
		printf("evaluated on %s, events up to %s; coming events assume "
		       "nothing more is paid or decided\n",
		       day_format(ctl->today, a), day_format(until, b));
		if (ctl_print_events(&bc, until, true, "") < 0)
			ctl_refuse(ctl, "out of memory");
		else
			rc = CTL_EXIT_OK;
		ctl_print_charges(c, &ch);
	}
	billing_contract_free(&bc);
free_entries:
	entry_array_free(e, n);
	return rc;
}

/* --------------------------------------------------------- history -- */

static int
ctl_print_entries(const struct entry *e, size_t n)
{
	static const char *const headers[] = {"ID",
					      "DAY",
					      "KIND",
					      "AMOUNT",
					      "REASON",
					      "CORRECTION",
					      "RECORDED AT (UTC+08:00)",
					      "NOTE"};
	static const enum ctl_align align[] = {CTL_RIGHT, CTL_LEFT, CTL_LEFT,
					       CTL_RIGHT, CTL_LEFT, CTL_LEFT,
					       CTL_LEFT,  CTL_LEFT};
	struct ctl_table *t = ctl_table_new(8, headers, align);
	char m[MONEY_STRLEN], d[DAY_STRLEN], tm[CTL_TIMESTRLEN];
	int rc;

	if (t == NULL)
		return -1;
	for (size_t i = 0; i < n; i++) {
		int64_t by = decide_reversed_by(e, n, e[i].id);

		ctl_table_row(t);
		ctl_table_cell(t, "%lld", (long long)e[i].id);
		ctl_table_cell(t, "%s", day_format(e[i].day, d));
		ctl_table_cell(t, "%s", decide_kind_name(e[i].kind));
		ctl_table_cell(t, "%s",
			       e[i].kind == ENTRY_PAYMENT
				   ? money_format(e[i].amount, m)
				   : "");
		ctl_table_cell(
		    t, "%s",
		    e[i].reason
			? billing_reason_name((enum billing_reason)e[i].reason)
			: "");
		if (e[i].kind == ENTRY_REVERSAL)
			ctl_table_cell(t, "reverses %lld",
				       (long long)e[i].reverses);
		else if (by != 0)
			ctl_table_cell(t, "reversed by %lld", (long long)by);
		else
			ctl_table_cell(t, "%s", "");
		ctl_table_cell(t, "%s",
			       ctl_format_time(e[i].recorded_at, false, tm));
		ctl_table_cell(t, "%s", e[i].note);
	}
	rc = ctl_table_print(t, stdout, "  ");
	ctl_table_free(t);
	return rc;
}

/* The name of a recorded transition's state, from what changed. */
static const char *
ctl_transition_state(const char *what, int v)
{
	if (strcmp(what, "service") == 0)
		return billing_service_name((enum billing_service)v);
	if (strcmp(what, "billing") == 0)
		return billing_state_name((enum billing_state)v);
	if (strcmp(what, "reason") == 0)
		return billing_reason_name((enum billing_reason)v);
	if (strncmp(what, "installment", 11) == 0)
		return billing_installment_state_name(
		    (enum billing_installment_state)v);
	return "unknown";
}

static int
ctl_print_transitions(const struct ledger_transition *tr, size_t n)
{
	static const char *const headers[] = {"DAY", "WHAT", "FROM", "TO",
					      "RECORDED AT (UTC+08:00)"};
	struct ctl_table *t = ctl_table_new(5, headers, NULL);
	char d[DAY_STRLEN], tm[CTL_TIMESTRLEN];
	int rc;

	if (t == NULL)
		return -1;
	for (size_t i = 0; i < n; i++) {
		ctl_table_row(t);
		ctl_table_cell(t, "%s", day_format(tr[i].day, d));
		ctl_table_cell(t, "%s", tr[i].what);
		ctl_table_cell(t, "%s",
			       ctl_transition_state(tr[i].what, tr[i].from));
		ctl_table_cell(t, "%s",
			       ctl_transition_state(tr[i].what, tr[i].to));
		ctl_table_cell(t, "%s",
			       ctl_format_time(tr[i].recorded_at, false, tm));
	}
	rc = ctl_table_print(t, stdout, "  ");
	ctl_table_free(t);
	return rc;
}

static void
ctl_json_history(struct ctl *ctl, const struct ll_contract *c,
		 const struct entry *e, size_t n,
		 const struct billing_contract *bc,
		 const struct ledger_transition *tr, size_t ntr)
{
	char tm[CTL_TIMESTRLEN];
	struct ctl_json j;

	ctl_json_init(&j, stdout);
	ctl_json_object(&j, NULL);
	ctl_json_string(&j, "contract", c->number);
	ctl_json_day(&j, "date", ctl->today);
	ctl_json_array(&j, "entries");
	for (size_t i = 0; i < n; i++)
		ctl_json_entry(&j, NULL, &e[i],
			       decide_reversed_by(e, n, e[i].id));
	ctl_json_end(&j, ']');
	ctl_json_array(&j, "events");
	for (size_t i = 0; i < bc->n_events; i++)
		if (!ctl_event_is_reminder(&bc->events[i]))
			ctl_json_event(&j, &bc->events[i], ctl->today);
	ctl_json_end(&j, ']');
	ctl_json_array(&j, "recorded_transitions");
	for (size_t i = 0; i < ntr; i++) {
		ctl_json_object(&j, NULL);
		ctl_json_day(&j, "day", tr[i].day);
		ctl_json_string(&j, "what", tr[i].what);
		ctl_json_string(&j, "from",
				ctl_transition_state(tr[i].what, tr[i].from));
		ctl_json_string(&j, "to",
				ctl_transition_state(tr[i].what, tr[i].to));
		ctl_json_string(&j, "recorded_at",
				ctl_format_time(tr[i].recorded_at, true, tm));
		ctl_json_end(&j, '}');
	}
	ctl_json_end(&j, ']');
	ctl_json_end(&j, '}');
}

int
ctl_cmd_history(struct ctl *ctl)
{
	const struct ll_contract *c = ctl_contract(ctl, ctl->args[0]);
	struct ledger_transition *tr = NULL;
	struct billing_contract bc;
	struct entry *e;
	char err[LEDGER_ERRLEN], d[DAY_STRLEN];
	size_t n, ntr = 0;
	int rc = CTL_EXIT_REFUSED;

	if (c == NULL)
		return CTL_EXIT_REFUSED;
	if (ctl_entries(ctl, c->number, &e, &n) < 0)
		return CTL_EXIT_REFUSED;
	/* A horizon of today lists the events up to today and projects
	 * nothing. */
	if (ctl_evaluate(ctl, c, e, n, ctl->today, ctl->today, &bc) < 0)
		goto free_entries;
	if (ctl->ledger != NULL &&
	    ledger_transitions(ctl->ledger, c->number, &tr, &ntr, err,
			       sizeof(err)) < 0) {
		ctl_refuse(ctl, "%s", err);
		goto free_eval;
	}
	if (ctl->json) {
		ctl_json_history(ctl, c, e, n, &bc, tr, ntr);
		rc = CTL_EXIT_OK;
		goto free_transitions;
	}
	printf("%s %s\n", c->number, c->title);
	printf("ledger entries (%zu):\n", n);
	if (n > 0 && ctl_print_entries(e, n) < 0)
		goto nomem;
	printf("computed by billing up to %s:\n", day_format(ctl->today, d));
	if (ctl_print_events(&bc, ctl->today, false, "  ") < 0)
		goto nomem;
	if (ntr > 0) {
		printf("transitions recorded by leaselined:\n");
		if (ctl_print_transitions(tr, ntr) < 0)
			goto nomem;
	}
	rc = CTL_EXIT_OK;
	goto free_transitions;
nomem:
	ctl_refuse(ctl, "out of memory");
free_transitions:
	ledger_transitions_free(tr, ntr);
free_eval:
	billing_contract_free(&bc);
free_entries:
	entry_array_free(e, n);
	return rc;
}
