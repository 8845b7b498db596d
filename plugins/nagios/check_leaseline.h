/*
 * check_leaseline.h: the parts of the Nagios / Icinga plugin check_leaseline
 * (one process, one thread; every buffer is main's or the caller's).
 *
 *   check_leaseline.c  arguments, ranges, the SNMP session, the timeout,
 *                      main and the status line
 *   agent.c            requests to the agent: GET, walks, typed cells,
 *                      finding the contract; LEASELINE-MIB's OIDs, built
 *                      from snmp/mibdef's numbers
 *   checks.c           the four checks (state, due, notice, rates) and the
 *                      text and perfdata they write
 *
 * Every function of the plugin but main is prefixed cl_ (check_leaseline),
 * apart from what it compiles in from agent/ (mibdef_, money_).
 */
#ifndef LL_CHECK_LEASELINE_H
#define LL_CHECK_LEASELINE_H

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/types.h"
#include "snmp/mibdef.h"

#ifndef LEASELINE_VERSION
#define LEASELINE_VERSION "unknown"
#endif

#define PROGNAME "check_leaseline"

#define OIDLEN(a) (sizeof(a) / sizeof((a)[0]))
#define NELEM(a)  (sizeof(a) / sizeof((a)[0]))

enum status { ST_OK = 0, ST_WARNING = 1, ST_CRITICAL = 2, ST_UNKNOWN = 3 };

enum mode { MODE_STATE, MODE_DUE, MODE_NOTICE, MODE_RATES };

enum { TRUTH_TRUE = 1 }; /* SNMPv2-TC TruthValue */

/* A Monitoring Plugins range: alert outside [low, high], or inside
 * with '@'.  Days are whole numbers, so bounds are integers. */
struct range {
	const char *text; /* as given, echoed in the perfdata */
	bool inside;
	bool no_low; /* "~": minus infinity */
	bool no_high;
	long long low;
	long long high;
};

struct options {
	const char *host;
	unsigned int port;
	const char *community;
	long version;
	const char *secname;
	const char *authproto;
	const char *authpass;
	const char *privproto;
	const char *privpass;
	int seclevel; /* -1 until -L or inferred */
	unsigned int timeout;
	const char *warn_text;
	const char *crit_text;
	struct range warn;
	struct range crit;
	const char *contract;
	enum mode mode;
	bool rates_critical;
	int verbose;
};

/* The status text and the perfdata, built piece by piece and printed
 * once: nothing reaches stdout before the check is decided. */
struct text {
	char buf[4096];
	size_t len;
};

struct agent {
	void *sess;
	char where[300]; /* "HOST:PORT", for messages */
	unsigned int timeout;
	int verbose;
	char err[512]; /* why the last request failed */
};

/* What a GET asks for and what came back. */
enum kind { K_INTEGER, K_UNSIGNED, K_MONEY, K_DATE, K_STRING };

struct cell {
	oid name[MAX_OID_LEN];
	size_t len;
	enum kind kind;
	bool absent; /* noSuchObject / noSuchInstance */
	long long num;
	ll_fen fen; /* K_MONEY: LlMoney, a Counter64 of fen */
	unsigned char str[256];
	size_t str_len;
};

struct result {
	enum status status;
	struct text line;
	struct text perf;
};

/*
 * Calls fn for each variable under root, in order, with GETBULK.
 * fn returns 0 to go on, 1 to stop, -1 on error (setting a->err).
 * Returns 0 when the subtree is done (or fn stopped), -1 on error.
 */
typedef int (*walk_fn)(struct agent *a, const netsnmp_variable_list *v,
		       void *ctx);

/* LEASELINE-MIB's OIDs, numbered by snmp/mibdef, and IF-MIB's. */
#define LL_OBJECTS MIBDEF_ROOT_ARCS, MIBDEF_OBJECTS_ARC

static const oid oid_agent_version[] = {LL_OBJECTS, MIBDEF_AGENT,
					MIB_AGENT_VERSION, 0};
static const oid oid_eval_date[] = {LL_OBJECTS, MIBDEF_AGENT,
				    MIB_EVALUATION_DATE, 0};
/* llContractEntry: + column + llContractIndex */
static const oid oid_contract_entry[] = {LL_OBJECTS, MIBDEF_CONTRACTS,
					 MIBDEF_ENTRY_ARC};
/* llCircuitEntry: + column + llContractIndex + llCircuitIndex */
static const oid oid_circuit_entry[] = {LL_OBJECTS, MIBDEF_CIRCUITS,
					MIBDEF_ENTRY_ARC};
/* IF-MIB::ifHighSpeed: + ifIndex */
static const oid oid_if_high_speed[] = {1, 3, 6, 1, 2, 1, 31, 1, 1, 1, 15};

/* agent.c */
void __attribute__((format(printf, 2, 3)))
cl_agent_fail(struct agent *a, const char *fmt, ...);
void cl_format_oid(char *out, size_t size, const oid *name, size_t len);
int cl_agent_walk(struct agent *a, const oid *root, size_t rootlen, walk_fn fn,
		  void *ctx);
void cl_cell_set(struct cell *c, const oid *base, size_t baselen,
		 const oid *sub, size_t sublen, enum kind kind);
int cl_agent_get(struct agent *a, struct cell *cells, size_t n);
bool cl_format_date(char *out, size_t size, const struct cell *c);
int cl_contract_find(struct agent *a, const char *number, oid *index,
		     struct text *out);
/* The label of value v of a column of llContractEntry, or NULL. */
const char *cl_contract_label(unsigned int column, long long v);

/* checks.c */
void __attribute__((format(printf, 2, 3)))
cl_text_add(struct text *t, const char *fmt, ...);
void cl_text_add_safe(struct text *t, const unsigned char *s, size_t len);
void cl_text_add_str(struct text *t, const char *s);
int cl_check_state(struct agent *a, const struct options *o, oid idx,
		   struct result *r);
int cl_check_due(struct agent *a, const struct options *o, oid idx,
		 struct result *r);
int cl_check_notice(struct agent *a, const struct options *o, oid idx,
		    struct result *r);
int cl_check_rates(struct agent *a, const struct options *o, oid idx,
		   struct result *r);
void cl_add_evaluation_date(struct agent *a, struct result *r);

/* check_leaseline.c */
enum status cl_range_status(const struct options *o, long long v);

#endif
