/*
 * charges.c: termination charges and the reclaim date (see charges.h).
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/charges.h"
#include "core/money.h"

/* amount x num / den, rounded half up to the fen; 0 <= num <= den.  The
 * amount is split so that nothing passes 64 bits (den is a number of
 * days, far below 2^31). */
static ll_fen
charges_share(ll_fen amount, int32_t num, int32_t den)
{
	ll_fen q = amount / den, r = amount % den;

	return q * num + (2 * r * num + den) / (2 * (ll_fen)den);
}

static uint32_t
charges_lines(const struct ll_contract *c)
{
	uint32_t n = 0;

	for (size_t i = 0; i < c->n_circuits; i++)
		if (c->circuits[i].admin != LL_CIRCUIT_PLANNED)
			n++;
	return n;
}

static bool
charges_apply(const struct ll_termination_charge *r, int reason)
{
	return r->applies == LL_CHARGE_ANY ||
	       (reason >= 0 && reason < 32 && (r->applies >> reason) & 1u);
}

/* The fees of the service used up to `day` and not paid (charges.h). */
static ll_fen
charges_unpaid(const struct billing_contract *at, ll_fen used_this_term,
	       bool *saturated)
{
	ll_fen used = used_this_term, toward_fees = at->paid;

	for (size_t i = 0; i < at->n_installments; i++) {
		const struct billing_installment *in = &at->installments[i];

		if (in->term < at->term_number)
			used = billing_cap_sum(used, in->amount, saturated);
		toward_fees -= in->late_fee_paid;
	}
	return used > toward_fees ? used - toward_fees : 0;
}

void
charges_compute(const struct ll_contract *c, int reason, ll_day day,
		const struct billing_contract *at, struct charges *out)
{
	memset(out, 0, sizeof(*out));
	out->kind = CHARGES_RECORDED;
	out->day = day;
	out->reason = reason;
	out->ended = LL_NO_DAY;
	out->reclaim = LL_NO_DAY;
	out->lines = charges_lines(c);
	out->total_amount = c->annual_fee;
	out->term_start = at->term_start;
	out->term_end = at->term_end;
	/* Clause 6.2: 业务使用期内, in the service period. */
	out->in_service_period = day <= at->term_end;
	if (!out->in_service_period || at->term_end < at->term_start)
		return;
	out->term_days = at->term_end - at->term_start + 1;
	out->remaining_days = at->term_end - day + 1;
	if (out->remaining_days > out->term_days)
		out->remaining_days = out->term_days;
	out->unperformed =
	    charges_share(c->annual_fee, out->remaining_days, out->term_days);
	out->unpaid = charges_unpaid(at, c->annual_fee - out->unperformed,
				     &out->saturated);

	for (size_t i = 0; i < c->n_charges; i++) {
		const struct ll_termination_charge *r = &c->charges[i];
		struct charges_item *it = &out->items[out->n_items];
		bool *sat = &out->saturated;

		if (!charges_apply(r, reason))
			continue;
		out->n_items++;
		it->rule = r;
		if (__builtin_mul_overflow(r->per_line_discount,
					   (ll_fen)out->lines,
					   &it->discounts)) {
			it->discounts = BILLING_FEN_MAX;
			*sat = true;
		}
		it->fixed = r->fixed;
		it->of_total =
		    billing_daily_late_fee(out->total_amount, r->of_total_ppm);
		it->of_unperformed = billing_daily_late_fee(
		    out->unperformed, r->of_unperformed_ppm);
		it->unpaid = r->plus_unpaid ? out->unpaid : 0;
		it->amount = billing_cap_sum(it->discounts, it->fixed, sat);
		it->amount = billing_cap_sum(it->amount, it->of_total, sat);
		it->amount =
		    billing_cap_sum(it->amount, it->of_unperformed, sat);
		it->amount = billing_cap_sum(it->amount, it->unpaid, sat);
		out->total = billing_cap_sum(out->total, it->amount, sat);
	}
}

int
charges_of_contract(const struct ll_contract *c, const struct entry *e,
		    size_t n, const struct billing_contract *bc,
		    struct charges *out)
{
	const struct entry *t = NULL;

	memset(out, 0, sizeof(*out));
	out->kind = CHARGES_NONE;
	out->day = LL_NO_DAY;
	out->ended = LL_NO_DAY;
	out->reclaim = LL_NO_DAY;
	/* Billing honours the first termination in force. */
	for (size_t i = 0; i < n && e[i].day <= bc->today; i++)
		if (e[i].kind == ENTRY_TERMINATE) {
			t = &e[i];
			break;
		}
	if (t != NULL) {
		struct billing_contract at;

		if (billing_evaluate(c, e, n, t->day, LL_NO_DAY, &at) < 0)
			return -1;
		charges_compute(c, t->reason, t->day, &at, out);
		billing_contract_free(&at);
		/* A termination after the contract expired ends nothing. */
		out->ended =
		    out->in_service_period ? t->day : out->term_end + 1;
	} else if (bc->service == SERVICE_TERMINATION_POSSIBLE) {
		charges_compute(c, REASON_NONPAYMENT, bc->today, bc, out);
		out->kind = CHARGES_PROSPECTIVE;
	} else if (bc->service == SERVICE_TERMINATED) {
		out->ended = bc->term_end + 1; /* expired */
	}
	if (out->n_items == 0 && out->kind != CHARGES_NONE) {
		ll_day ended = out->ended;

		memset(out, 0, sizeof(*out));
		out->kind = CHARGES_NONE;
		out->day = LL_NO_DAY;
		out->ended = ended;
	}
	out->reclaim = LL_NO_DAY;
	if (out->ended != LL_NO_DAY && c->reclaim_after_days > 0)
		out->reclaim = out->ended + (ll_day)c->reclaim_after_days;
	return 0;
}

char *
charges_percent(uint32_t ppm, char *buf, size_t len)
{
	uint32_t whole = ppm / 10000, frac = ppm % 10000, digits = 4;

	while (frac != 0 && frac % 10 == 0) {
		frac /= 10;
		digits--;
	}
	if (frac == 0)
		snprintf(buf, len, "%" PRIu32 "%%", whole);
	else
		snprintf(buf, len, "%" PRIu32 ".%0*" PRIu32 "%%", whole,
			 (int)digits, frac);
	return buf;
}

/* Appends to buf[0..len) at *off, never past it. */
static void __attribute__((format(printf, 4, 5)))
charges_cat(char *buf, size_t len, size_t *off, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (*off >= len)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf + *off, len - *off, fmt, ap);
	va_end(ap);
	if (n > 0)
		*off += (size_t)n < len - *off ? (size_t)n : len - *off - 1;
}

char *
charges_text(const struct charges *ch, char *buf, size_t len)
{
	char a[MONEY_STRLEN], b[MONEY_STRLEN], p[16];
	size_t off = 0;

	if (len == 0)
		return buf;
	buf[0] = '\0';
	for (size_t i = 0; i < ch->n_items; i++) {
		const struct charges_item *it = &ch->items[i];
		const struct ll_termination_charge *r = it->rule;
		const char *plus = "";

		charges_cat(buf, len, &off, "%s%s:", i > 0 ? "; " : "",
			    r->clause);
		if (r->per_line_discount > 0) {
			charges_cat(buf, len, &off,
				    " %" PRIu32 " lines x %s discount repaid",
				    ch->lines,
				    money_format(r->per_line_discount, a));
			plus = " +";
		}
		if (r->fixed > 0) {
			charges_cat(buf, len, &off, "%s %s", plus,
				    money_format(r->fixed, a));
			plus = " +";
		}
		if (r->of_total_ppm > 0) {
			charges_cat(
			    buf, len, &off, "%s %s of total %s", plus,
			    charges_percent(r->of_total_ppm, p, sizeof(p)),
			    money_format(ch->total_amount, a));
			plus = " +";
		}
		if (r->plus_unpaid) {
			charges_cat(buf, len, &off, "%s fees used unpaid %s",
				    plus, money_format(it->unpaid, a));
			plus = " +";
		}
		if (r->of_unperformed_ppm > 0)
			charges_cat(buf, len, &off,
				    "%s %s of unperformed %s (%" PRId32
				    "/%" PRId32 " days)",
				    plus,
				    charges_percent(r->of_unperformed_ppm, p,
						    sizeof(p)),
				    money_format(ch->unperformed, a),
				    ch->remaining_days, ch->term_days);
		charges_cat(buf, len, &off, " = %s",
			    money_format(it->amount, b));
	}
	return buf;
}
