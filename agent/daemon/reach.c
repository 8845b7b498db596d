/*
 * reach.c: whether the service can read its ledger, and when it tries
 * again (see reach.h).
 */
#include <stdio.h>
#include <string.h>

#include "snmp/log.h"
#include "daemon/reach.h"

int
reach_last_entry(struct ledger *l, const char *name, int64_t *last, char *err,
		 size_t errlen)
{
	int64_t v;
	bool found;

	if (ledger_last_entry_id(l, last) == 0)
		return 0;
	if (ledger_meta_get(l, "first_day", &v, &found, err, errlen) < 0)
		return -1;
	if (ledger_last_entry_id(l, last) == 0)
		return 0;
	snprintf(err, errlen, "ledger %s: cannot read the newest entry", name);
	return -1;
}

bool
reach_failed(struct reach *r, struct mib_status *st, const char *err)
{
	char why[MIB_ERRLEN];
	size_t n = text_admin_len(err);

	if (!st->ledger_unreachable)
		r->wait = REACH_FIRST_WAIT;
	else
		r->wait =
		    r->wait * 2 < REACH_MAX_WAIT ? r->wait * 2 : REACH_MAX_WAIT;
	clock_gettime(CLOCK_MONOTONIC, &r->retry_at);
	r->retry_at.tv_sec += r->wait;
	/* SnmpAdminString: at most 255 octets, cut between characters. */
	memcpy(why, err, n);
	why[n] = '\0';
	if (st->ledger_unreachable && strcmp(st->ledger_error, why) == 0)
		return false;
	st->ledger_unreachable = true;
	memcpy(st->ledger_error, why, n + 1);
	log_err("ledger",
		"%s; still serving what was read before; trying again "
		"after %d s, the wait doubling up to %d s",
		err, r->wait, REACH_MAX_WAIT);
	return true;
}

bool
reach_ok(struct reach *r, struct mib_status *st, const char *name)
{
	if (!st->ledger_unreachable)
		return false;
	st->ledger_unreachable = false;
	st->ledger_error[0] = '\0';
	r->wait = 0;
	log_info("ledger",
		 "%s: reachable again; reading what was recorded meanwhile",
		 name);
	return true;
}

bool
reach_due(const struct reach *r, const struct mib_status *st)
{
	struct timespec now;

	if (!st->ledger_unreachable)
		return true;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return now.tv_sec > r->retry_at.tv_sec ||
	       (now.tv_sec == r->retry_at.tv_sec &&
		now.tv_nsec >= r->retry_at.tv_nsec);
}
