/*
 * json.c: leaselinectl's --json output: the writer (commas, indentation,
 * escaping) and contracts, charges, events and entries as objects.
 */
#include <stdio.h>
#include <string.h>

#include "core/day.h"
#include "core/rate.h"
#include "core/text.h"
#include "core/decide.h"
#include "ctl/ctl.h"
#include "ctl/format.h"

/* ---------------------------------------------------------- writer -- */

void
ctl_json_quote(FILE *out, const char *s)
{
	fputc('"', out);
	while (*s != '\0') {
		const char *start = s;
		uint32_t cp;
		/* At most 4 octets; a NUL ends a character short (text.h). */
		size_t u = text_utf8_char((const unsigned char *)s, 4, &cp);

		s += u ? u : 1;
		if (u == 0)
			/* Keep the document valid whatever the ledger holds. */
			fputs("\\ufffd", out);
		else if (cp == '"' || cp == '\\')
			fprintf(out, "\\%c", (char)cp);
		else if (cp == '\n')
			fputs("\\n", out);
		else if (cp == '\t')
			fputs("\\t", out);
		else if (cp < 0x20 || cp == 0x7F)
			fprintf(out, "\\u%04x", (unsigned)cp);
		else
			fwrite(start, 1, (size_t)(s - start), out);
	}
	fputc('"', out);
}

void
ctl_json_init(struct ctl_json *j, FILE *out)
{
	memset(j, 0, sizeof(*j));
	j->out = out;
	j->first[0] = true;
}

/* The separator, indentation and key before a value. */
static void
ctl_json_member(struct ctl_json *j, const char *key)
{
	if (j->depth > 0) {
		fputs(j->first[j->depth] ? "\n" : ",\n", j->out);
		j->first[j->depth] = false;
		fprintf(j->out, "%*s", 2 * j->depth, "");
	}
	if (key != NULL) {
		ctl_json_quote(j->out, key);
		fputs(": ", j->out);
	}
}

static void
ctl_json_open(struct ctl_json *j, const char *key, char bracket)
{
	ctl_json_member(j, key);
	fputc(bracket, j->out);
	if (j->depth + 1 < CTL_JSON_DEPTH)
		j->depth++;
	j->first[j->depth] = true;
}

void
ctl_json_object(struct ctl_json *j, const char *key)
{
	ctl_json_open(j, key, '{');
}

void
ctl_json_array(struct ctl_json *j, const char *key)
{
	ctl_json_open(j, key, '[');
}

void
ctl_json_end(struct ctl_json *j, char bracket)
{
	bool empty = j->first[j->depth];

	if (j->depth > 0)
		j->depth--;
	if (!empty) {
		fputc('\n', j->out);
		fprintf(j->out, "%*s", 2 * j->depth, "");
	}
	fputc(bracket, j->out);
	if (j->depth == 0)
		fputc('\n', j->out);
}

void
ctl_json_string(struct ctl_json *j, const char *key, const char *v)
{
	if (v == NULL) {
		ctl_json_null(j, key);
		return;
	}
	ctl_json_member(j, key);
	ctl_json_quote(j->out, v);
}

void
ctl_json_int(struct ctl_json *j, const char *key, int64_t v)
{
	ctl_json_member(j, key);
	fprintf(j->out, "%lld", (long long)v);
}

void
ctl_json_bool(struct ctl_json *j, const char *key, bool v)
{
	ctl_json_member(j, key);
	fputs(v ? "true" : "false", j->out);
}

void
ctl_json_null(struct ctl_json *j, const char *key)
{
	ctl_json_member(j, key);
	fputs("null", j->out);
}

void
ctl_json_money(struct ctl_json *j, const char *key, ll_fen fen)
{
	char buf[MONEY_STRLEN];

	ctl_json_object(j, key);
	ctl_json_int(j, "fen", fen);
	ctl_json_string(j, "text", money_format(fen, buf));
	ctl_json_end(j, '}');
}

void
ctl_json_day(struct ctl_json *j, const char *key, ll_day d)
{
	char buf[DAY_STRLEN];

	if (d == LL_NO_DAY)
		ctl_json_null(j, key);
	else
		ctl_json_string(j, key, day_format(d, buf));
}

/* ------------------------------------------------------------ JSON -- */

static void
ctl_json_party(struct ctl_json *j, const char *key, const struct ll_party *p)
{
	ctl_json_object(j, key);
	ctl_json_string(j, "name", p->name);
	ctl_json_string(j, "address", p->address);
	ctl_json_string(j, "representative", p->representative);
	ctl_json_end(j, '}');
}

static void
ctl_json_installment(struct ctl_json *j, const struct billing_installment *in)
{
	ctl_json_object(j, NULL);
	ctl_json_int(j, "index", in->index);
	ctl_json_int(j, "term", in->term);
	ctl_json_day(j, "due", in->due);
	ctl_json_money(j, "amount", in->amount);
	ctl_json_money(j, "paid", in->paid);
	ctl_json_money(j, "outstanding", in->outstanding);
	ctl_json_day(j, "paid_on", in->paid_on);
	ctl_json_int(j, "days_overdue", in->days_overdue);
	ctl_json_money(j, "late_fee", in->late_fee);
	ctl_json_money(j, "late_fee_paid", in->late_fee_paid);
	ctl_json_string(j, "state", billing_installment_state_name(in->state));
	ctl_json_end(j, '}');
}

/* Clauses 6.2, 3.1.11, 6.3 and 3.2.10: what the end of the contract
 * brings (charges.h). */
void
ctl_json_charges(struct ctl_json *j, const struct charges *ch)
{
	char text[CHARGES_TEXT_MAX];

	ctl_json_object(j, "termination_charges");
	ctl_json_string(j, "kind", ctl_charges_kind(ch));
	ctl_json_day(j, "day", ch->day);
	if (ch->kind == CHARGES_NONE)
		ctl_json_null(j, "reason");
	else
		ctl_json_string(
		    j, "reason",
		    billing_reason_name((enum billing_reason)ch->reason));
	ctl_json_money(j, "total", ch->total);
	ctl_json_bool(j, "saturated", ch->saturated);
	ctl_json_string(j, "basis", charges_text(ch, text, sizeof(text)));
	ctl_json_money(j, "total_contract_amount", ch->total_amount);
	ctl_json_money(j, "unperformed", ch->unperformed);
	ctl_json_int(j, "remaining_days", ch->remaining_days);
	ctl_json_int(j, "term_days", ch->term_days);
	ctl_json_money(j, "fees_used_unpaid", ch->unpaid);
	ctl_json_int(j, "lines", ch->lines);
	ctl_json_array(j, "clauses");
	for (size_t i = 0; i < ch->n_items; i++) {
		const struct charges_item *it = &ch->items[i];

		ctl_json_object(j, NULL);
		ctl_json_string(j, "clause", it->rule->clause);
		ctl_json_money(j, "amount", it->amount);
		ctl_json_money(j, "discounts_repaid", it->discounts);
		ctl_json_money(j, "fixed", it->fixed);
		ctl_json_money(j, "of_total", it->of_total);
		ctl_json_money(j, "of_unperformed", it->of_unperformed);
		ctl_json_money(j, "fees_used_unpaid", it->unpaid);
		ctl_json_end(j, '}');
	}
	ctl_json_end(j, ']');
	ctl_json_end(j, '}');
	ctl_json_day(j, "ended", ch->ended);
	ctl_json_day(j, "reclaim_date", ch->reclaim);
}

/* Everything status knows of one contract. */
void
ctl_json_contract(struct ctl_json *j, const char *key,
		  const struct ll_contract *c,
		  const struct billing_contract *bc, const struct charges *ch)
{
	char rate[RATE_STRLEN];

	ctl_json_object(j, key);
	ctl_json_string(j, "number", c->number);
	ctl_json_int(j, "index", c->index);
	ctl_json_string(j, "title", c->title);
	ctl_json_party(j, "customer", &c->customer);
	ctl_json_party(j, "provider", &c->provider);
	ctl_json_day(j, "signed", c->signed_on);
	ctl_json_day(j, "date", bc->today);
	ctl_json_object(j, "term");
	ctl_json_int(j, "number", bc->term_number);
	ctl_json_day(j, "start", bc->term_start);
	ctl_json_day(j, "end", bc->term_end);
	ctl_json_bool(j, "auto_renew", c->auto_renew);
	ctl_json_int(j, "renew_months", c->renew_months);
	ctl_json_day(j, "notice_deadline", bc->notice_deadline);
	ctl_json_bool(j, "notice_given", bc->notice_given);
	ctl_json_bool(j, "billed_while_suspended", bc->renewed_while_suspended);
	ctl_json_bool(j, "expired_while_suspended",
		      bc->expired_while_suspended);
	ctl_json_end(j, '}');
	ctl_json_string(j, "service", billing_service_name(bc->service));
	ctl_json_string(j, "reason", billing_reason_name(bc->reason));
	ctl_json_string(j, "billing", billing_state_name(bc->state));
	ctl_json_string(j, "note", bc->note);
	ctl_json_day(j, "suspended_since", bc->suspended_since);
	ctl_json_day(j, "termination_date", bc->termination_date);
	/* issue 13: who suspends for nonpayment, and the reminders to pay
	 * (clauses 2.3.3, 2.3.4, 7.1(4)) */
	ctl_json_string(j, "suspension", ctl_suspension_mode(c->suspension));
	ctl_json_day(j, "suspension_due_since", bc->suspension_due_since);
	ctl_json_object(j, "reminders");
	ctl_json_int(j, "count", bc->reminders);
	ctl_json_day(j, "last", bc->last_reminder);
	ctl_json_bool(j, "unpaid", bc->reminder_unpaid);
	ctl_json_end(j, '}');
	ctl_json_charges(j, ch);
	ctl_json_money(j, "annual_fee", c->annual_fee);
	ctl_json_object(j, "late_fee_rate");
	ctl_json_int(j, "ppm", c->late_fee_ppm);
	ctl_json_string(j, "text", rate_format_late_fee(c->late_fee_ppm, rate));
	ctl_json_end(j, '}');
	ctl_json_money(j, "outstanding", bc->outstanding);
	ctl_json_money(j, "overdue", bc->overdue);
	ctl_json_money(j, "late_fee", bc->late_fee);
	ctl_json_money(j, "arrears", bc->arrears);
	ctl_json_money(j, "paid", bc->paid);
	ctl_json_money(j, "credit", bc->credit);
	/* true: an amount shown as BILLING_FEN_MAX is at least that */
	ctl_json_bool(j, "saturated", bc->saturated);
	ctl_json_int(j, "days_overdue", bc->days_overdue);
	if (bc->next_due == LL_NO_DAY) {
		ctl_json_null(j, "next_due");
	} else {
		ctl_json_object(j, "next_due");
		ctl_json_day(j, "date", bc->next_due);
		ctl_json_money(j, "amount", bc->next_due_amount);
		ctl_json_end(j, '}');
	}
	ctl_json_array(j, "installments");
	for (size_t i = 0; i < bc->n_installments; i++)
		ctl_json_installment(j, &bc->installments[i]);
	ctl_json_end(j, ']');
	/* Clauses published as text, not computed (leaseline.conf(5)). */
	ctl_json_array(j, "notes");
	for (size_t i = 0; i < c->n_notes; i++)
		ctl_json_string(j, NULL, c->notes[i]);
	ctl_json_end(j, ']');
	ctl_json_end(j, '}');
}

void
ctl_json_event(struct ctl_json *j, const struct billing_event *ev, ll_day today)
{
	char text[128];

	ctl_json_object(j, NULL);
	ctl_json_day(j, "date", ev->day);
	ctl_json_string(j, "when",
			ev->day < today	   ? "past"
			: ev->day == today ? "today"
					   : "coming");
	ctl_json_string(j, "event", billing_event_name(ev->kind));
	ctl_json_string(j, "description",
			ctl_event_text(ev, text, sizeof(text)));
	ctl_json_int(j, "term", ev->term);
	if (ev->installment != 0)
		ctl_json_int(j, "installment", ev->installment);
	else
		ctl_json_null(j, "installment");
	ctl_json_money(j, "amount", ev->amount);
	ctl_json_money(j, "late_fee", ev->late_fee);
	ctl_json_string(j, "reason", billing_reason_name(ev->reason));
	ctl_json_int(j, "days", ev->days);
	ctl_json_day(j, "about", ev->about);
	ctl_json_string(j, "note", ev->note);
	ctl_json_end(j, '}');
}

void
ctl_json_entry(struct ctl_json *j, const char *key, const struct entry *e,
	       int64_t reversed_by)
{
	char t[CTL_TIMESTRLEN];

	ctl_json_object(j, key);
	ctl_json_int(j, "id", e->id);
	ctl_json_string(j, "kind", decide_kind_name(e->kind));
	ctl_json_string(j, "contract", e->contract);
	ctl_json_day(j, "day", e->day);
	if (e->kind == ENTRY_PAYMENT)
		ctl_json_money(j, "amount", e->amount);
	else
		ctl_json_null(j, "amount");
	if (e->reverses != 0)
		ctl_json_int(j, "reverses", e->reverses);
	else
		ctl_json_null(j, "reverses");
	if (reversed_by != 0)
		ctl_json_int(j, "reversed_by", reversed_by);
	else
		ctl_json_null(j, "reversed_by");
	if (e->reason != 0)
		ctl_json_string(
		    j, "reason",
		    billing_reason_name((enum billing_reason)e->reason));
	else
		ctl_json_null(j, "reason");
	ctl_json_string(j, "note", e->note);
	ctl_json_string(j, "recorded_at",
			ctl_format_time(e->recorded_at, true, t));
	ctl_json_end(j, '}');
}
