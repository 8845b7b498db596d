/*
 * cfg_circuit.c: a contract's lines (clause 1.3).  Each entry of
 * circuit_groups expands into count circuits with consecutive indexes and
 * default ids ("1.3.2-07"), which its circuits list may override one by
 * one.  Indexes are stable (an NMS keeps history by index), so the ranges
 * of groups may not overlap; ids are unique within the contract.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/cfg.h"
#include "core/text.h"

#define CFG_MAX_CIRCUITS 100000	    /* per contract, to bound memory */
#define CFG_MAX_IF_INDEX 2147483647 /* InterfaceIndex (IF-MIB) */

/* Where a circuit got its id, to point at it if the id is a duplicate. */
struct cfg_origin {
	const config_setting_t *at;
	size_t group;	 /* 1-based position in circuit_groups */
	size_t override; /* 1-based position in circuits, 0 for none */
};

static const struct cfg_name_value cfg_service_types[] = {
    {"dedicated", LL_SVC_DEDICATED},
    {"internet", LL_SVC_INTERNET},
    {"vpn", LL_SVC_VPN},
    {"egov", LL_SVC_EGOV},
    {"other", LL_SVC_OTHER},
    {NULL, 0},
};

static const struct cfg_name_value cfg_circuit_states[] = {
    {"in_service", LL_CIRCUIT_IN_SERVICE},
    {"planned", LL_CIRCUIT_PLANNED},
    {"ceased", LL_CIRCUIT_CEASED},
    {NULL, 0},
};

static const char *const cfg_group_keys[] = {
    "name",	 "clause", "service", "count",	  "first_index", "rate_up",
    "rate_down", "a_end",  "z_end",   "circuits", NULL};
static const char *const cfg_override_keys[] = {
    "index", "id", "service", "a_end", "z_end", "if_index", "state", NULL};

/* Group ranges seen so far in a contract, to refuse overlaps. */
struct cfg_range {
	int64_t first, last;
	int line;
};

/* Replaces *pooled by a copy of the text setting name of o, if given,
 * kept in the contract's pool. */
static int
cfg_override_text(struct cfg_loader *ld, const config_setting_t *o,
		  const char *path, const char *name, enum cfg_text_need need,
		  const char *expect, const char **pooled)
{
	const char *str = NULL;

	if (cfg_get_text(ld, o, path, name, need, expect, &str) < 0)
		return -1;
	if (str == NULL)
		return 0;
	return cfg_pool_str(ld, o, str, pooled);
}

/* One entry of "circuits = ( { index = N; ... } )". */
static int
cfg_load_override(struct cfg_loader *ld, const config_setting_t *o,
		  const char *path, struct ll_circuit *ci,
		  struct cfg_origin *orig, size_t pos)
{
	int64_t v = 0;
	int e;

	if (cfg_member(o, "id") != NULL) {
		orig->at = cfg_member(o, "id");
		orig->override = pos;
	}
	if (cfg_override_text(ld, o, path, "id", CFG_NONEMPTY,
			      "a circuit id unique in the contract",
			      &ci->id) < 0)
		return -1;
	e = (int)ci->service;
	if (cfg_get_enum(ld, o, path, "service", false, cfg_service_types, &e) <
	    0)
		return -1;
	ci->service = (enum ll_service_type)e;
	if (cfg_override_text(ld, o, path, "a_end", CFG_OPTIONAL,
			      CFG_TEXT_EXPECT, &ci->a_end) < 0 ||
	    cfg_override_text(ld, o, path, "z_end", CFG_OPTIONAL,
			      CFG_TEXT_EXPECT, &ci->z_end) < 0)
		return -1;
	if (cfg_get_int(
		ld, o, path, "if_index", false, 1, CFG_MAX_IF_INDEX,
		"an ifIndex from 1 to 2147483647 (leave it out for none)",
		&v) < 0)
		return -1;
	ci->if_index = (uint32_t)v;
	e = (int)ci->admin;
	if (cfg_get_enum(ld, o, path, "state", false, cfg_circuit_states, &e) <
	    0)
		return -1;
	ci->admin = (enum ll_circuit_admin)e;
	return 0;
}

/* Per-circuit settings of a group whose circuits are circ[0 .. count). */
static int
cfg_load_overrides(struct cfg_loader *ld, const config_setting_t *grp,
		   const char *gpath, int64_t first, int64_t last,
		   struct ll_circuit *circ, struct cfg_origin *orig)
{
	const config_setting_t *list, *o;
	char path[96], range[96];
	int *seen = NULL; /* per circuit: 1 + position of its entry */
	int64_t v;
	int i, n, rc = -1;

	if (cfg_lookup(ld, grp, gpath, "circuits", CFG_T(LIST), false,
		       "a list ( { index = N; id = \"...\"; }, ... ) of "
		       "per-circuit settings",
		       &list) < 0)
		return -1;
	if (list == NULL)
		return 0;
	seen = calloc((size_t)(last - first + 1), sizeof(*seen));
	if (seen == NULL)
		return cfg_fail(ld, list,
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
			cfg_wrong_type(ld, o, path,
				       "a group { index = N; ... }");
			goto out;
		}
		v = 0;
		if (cfg_check_keys(ld, o, path, cfg_override_keys) < 0 ||
		    cfg_get_int(ld, o, path, "index", true, first, last, range,
				&v) < 0)
			goto out;
		/* Two entries for one circuit: which one wins is unclear. */
		if (seen[v - first] != 0) {
			const config_setting_t *p =
			    config_setting_get_elem(list, seen[v - first] - 1);

			cfg_fail(ld, cfg_member(o, "index"),
				 "%s.index: circuit %" PRId64
				 " is already set at "
				 "line %d; expected each circuit once",
				 path, v, config_setting_source_line(p));
			goto out;
		}
		seen[v - first] = i + 1;
		if (cfg_load_override(ld, o, path, &circ[v - first],
				      &orig[v - first], (size_t)i + 1) < 0)
			goto out;
	}
	rc = 0;
out:
	free(seen);
	return rc;
}

/* Decimal digits of v >= 1 written "%02": a default id's number. */
static size_t
cfg_id_digits(int64_t v)
{
	size_t d = 2;

	for (v /= 100; v > 0; v /= 10)
		d++;
	return d;
}

/* Writes "CLAUSE-NN" and its NUL at p, returns the end: what snprintf's
 * "%s-%02d" writes, without its cost a million times over. */
static char *
cfg_write_id(char *p, const char *clause, size_t clen, int64_t v)
{
	size_t d = cfg_id_digits(v), i;

	memcpy(p, clause, clen);
	p += clen;
	*p++ = '-';
	for (i = d; i > 0; i--) {
		p[i - 1] = (char)('0' + v % 10);
		v /= 10;
	}
	p[d] = '\0';
	return p + d + 1;
}

/* Clause 1.3: one group of lines, expanded into circuits. */
static int
cfg_load_group(struct cfg_loader *ld, const config_setting_t *g, size_t gpos,
	       struct ll_contract *k, struct cfg_range *ranges,
	       struct cfg_origin **origp)
{
	const char *name = NULL, *clause = NULL, *a_end, *z_end = "";
	char path[48], *ids;
	struct ll_circuit *circ;
	struct cfg_origin *orig;
	int64_t count = 0, first = 0, last, j;
	uint32_t up, down;
	size_t i, n, clen;
	int svc = 0;

	cfg_path_index(path, sizeof(path), "circuit_groups", (int)gpos);
	if (config_setting_type(g) != CONFIG_TYPE_GROUP)
		return cfg_wrong_type(
		    ld, g, path,
		    "a group { name = \"...\"; clause = \"...\"; "
		    "count = N; first_index = N; ... }");
	if (cfg_check_keys(ld, g, path, cfg_group_keys) < 0 ||
	    cfg_get_text(ld, g, path, "name", CFG_REQUIRED,
			 "the group's name, as the contract writes it",
			 &name) < 0 ||
	    cfg_get_text(
		ld, g, path, "clause", CFG_REQUIRED,
		"the number of the clause describing the group, such as "
		"\"1.3.2\"",
		&clause) < 0 ||
	    cfg_get_enum(ld, g, path, "service", true, cfg_service_types,
			 &svc) < 0 ||
	    cfg_get_int(ld, g, path, "count", true, 1, CFG_MAX_CIRCUITS,
			"the number of lines in the group, from 1 to 100000",
			&count) < 0 ||
	    cfg_get_int(ld, g, path, "first_index", true, 1, CFG_MAX_INDEX,
			"the index of the group's first circuit, from 1 to "
			"4294967295, never changed once published",
			&first) < 0)
		return -1;
	last = first + count - 1;
	if (last > CFG_MAX_INDEX)
		return cfg_fail(ld, cfg_member(g, "first_index"),
				"%s.first_index: %" PRId64 " + count %" PRId64
				" goes past 4294967295; expected a smaller "
				"first_index",
				path, first, count);
	for (i = 0; i + 1 < gpos; i++)
		if (first <= ranges[i].last && ranges[i].first <= last)
			return cfg_fail(
			    ld, cfg_member(g, "first_index"),
			    "%s: circuits %" PRId64 " to %" PRId64
			    " overlap circuits %" PRId64 " to %" PRId64
			    " of circuit_groups[%zu] at line %d; "
			    "expected a first_index whose range is "
			    "unused (never renumber existing circuits)",
			    path, first, last, ranges[i].first, ranges[i].last,
			    i + 1, ranges[i].line);
	ranges[gpos - 1].first = first;
	ranges[gpos - 1].last = last;
	ranges[gpos - 1].line = config_setting_source_line(g);
	if (k->n_circuits + (size_t)count > CFG_MAX_CIRCUITS)
		return cfg_fail(
		    ld, cfg_member(g, "count"),
		    "%s.count: the contract would have %zu circuits; "
		    "expected at most %d in one contract",
		    path, k->n_circuits + (size_t)count, CFG_MAX_CIRCUITS);
	if (cfg_get_rate(ld, g, path, "rate_up", &up) < 0 ||
	    cfg_get_rate(ld, g, path, "rate_down", &down) < 0)
		return -1;
	a_end = k->service_location; /* clause 1.4 */
	if (cfg_get_text(ld, g, path, "a_end", CFG_OPTIONAL, CFG_TEXT_EXPECT,
			 &a_end) < 0 ||
	    cfg_get_text(ld, g, path, "z_end", CFG_OPTIONAL, CFG_TEXT_EXPECT,
			 &z_end) < 0)
		return -1;

	/* Grow both arrays; every new slot is zeroed so that model_free
	 * copes with a half-filled one. */
	n = k->n_circuits + (size_t)count;
	circ = realloc(k->circuits, n * sizeof(*circ));
	if (circ == NULL)
		return cfg_fail(ld, g,
				"out of memory; expected enough memory to "
				"load the configuration");
	k->circuits = circ;
	memset(circ + k->n_circuits, 0, (size_t)count * sizeof(*circ));
	orig = realloc(*origp, n * sizeof(*orig));
	if (orig == NULL)
		return cfg_fail(ld, g,
				"out of memory; expected enough memory to "
				"load the configuration");
	*origp = orig;
	circ += k->n_circuits;
	orig += k->n_circuits;
	k->n_circuits = n;
	if (cfg_pool_str(ld, g, name, &name) < 0 ||
	    cfg_pool_str(ld, g, clause, &clause) < 0 ||
	    cfg_pool_str(ld, g, a_end, &a_end) < 0 ||
	    cfg_pool_str(ld, g, z_end, &z_end) < 0)
		return -1;
	/* "1.3.2-07": the clause and the line's place in it; the last id
	 * is the longest. */
	clen = strlen(clause);
	if (clen + 1 + cfg_id_digits(count) > TEXT_ADMIN_MAX)
		return cfg_fail(ld, cfg_member(g, "clause"),
				"%s.clause: the default circuit id \"%s-"
				"NN\" is longer than 255 octets; expected "
				"a shorter clause",
				path, clause);
	/* The group's ids in one block of the pool. */
	if (cfg_pool_alloc(ld, g,
			   (size_t)count * (clen + 2 + cfg_id_digits(count)),
			   &ids) < 0)
		return -1;
	for (j = 0; j < count; j++) {
		struct ll_circuit *ci = &circ[j];

		ci->id = ids;
		ids = cfg_write_id(ids, clause, clen, j + 1);
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
	}
	return cfg_load_overrides(ld, g, path, first, last, circ, orig);
}

/* By id, then by place in the array (pointers into one array). */
static int
cfg_cmp_by_id(const void *a, const void *b)
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
cfg_check_ids(struct cfg_loader *ld, const struct ll_contract *k,
	      const struct cfg_origin *orig)
{
	const struct ll_circuit **order;
	size_t i;
	int rc = 0;

	if (k->n_circuits < 2)
		return 0;
	order = calloc(k->n_circuits, sizeof(*order));
	if (order == NULL)
		return cfg_fail(ld, orig[0].at,
				"out of memory; expected enough memory to load "
				"the configuration");
	for (i = 0; i < k->n_circuits; i++)
		order[i] = &k->circuits[i];
	qsort(order, k->n_circuits, sizeof(*order), cfg_cmp_by_id);
	for (i = 1; i < k->n_circuits; i++) {
		const struct ll_circuit *a = order[i - 1], *b = order[i];
		const struct cfg_origin *o;
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
		rc = cfg_fail(ld, o->at,
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
cfg_cmp_circuit(const void *a, const void *b)
{
	const struct ll_circuit *x = a, *y = b;

	return x->index < y->index ? -1 : x->index > y->index;
}

int
cfg_load_groups(struct cfg_loader *ld, const config_setting_t *c,
		struct ll_contract *k)
{
	const config_setting_t *list;
	struct cfg_range *ranges;
	struct cfg_origin *orig = NULL;
	int i, n, rc = -1;

	k->ids_pooled = true;
	if (cfg_lookup(
		ld, c, "", "circuit_groups", CFG_T(LIST), true,
		"a list ( { name = \"...\"; clause = \"1.3.1\"; ... }, ... ) "
		"of the lines of clause 1.3",
		&list) < 0)
		return -1;
	n = config_setting_length(list);
	if (n == 0)
		return cfg_fail(ld, list,
				"circuit_groups: is empty; expected at "
				"least one group of lines (clause 1.3)");
	ranges = calloc((size_t)n, sizeof(*ranges));
	if (ranges == NULL)
		return cfg_fail(ld, list,
				"out of memory; expected enough memory "
				"to load the configuration");
	for (i = 0; i < n; i++)
		if (cfg_load_group(ld, config_setting_get_elem(list, i),
				   (size_t)i + 1, k, ranges, &orig) < 0)
			goto out;
	if (cfg_check_ids(ld, k, orig) < 0)
		goto out;
	/* Groups do not overlap, so sorted indexes are unique. */
	qsort(k->circuits, k->n_circuits, sizeof(*k->circuits),
	      cfg_cmp_circuit);
	rc = 0;
out:
	free(orig);
	free(ranges);
	return rc;
}
