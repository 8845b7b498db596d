/*
 * cfg.h: what the files of agent/config/ share, and nothing outside it
 * includes.  config.h is the one public header: config_load().
 *
 * Who does what, along config.c's old section markers:
 *   config.c        the whole model: each contract in its fixed order of
 *                   checks, duplicates across files, config_load()
 *   cfg_file.c      files: reading, the prescan for what libconfig 1.5
 *                   misreads, libconfig's parse, include_dir
 *   cfg_value.c     messages (FILE:LINE: contract: FIELD: PROBLEM;
 *                   expected WHAT), the text check, typed values
 *   cfg_contract.c  contract parts: parties, term, ports, reminders,
 *                   installments and term schedules, notes, charges
 *   cfg_circuit.c   circuit groups expanded into circuits, overrides, ids
 *
 * Every function returning int returns 0, or -1 with the message written
 * (the first problem stops the load: the operator fixes one thing and runs
 * the check again).
 *
 * Threads and memory.  config_load() runs on its caller's thread
 * (service.c's building side, leaselined -n, leaselinectl, a test) and
 * owns one struct cfg_loader for the length of a load.  Each file is read,
 * prescanned and parsed into libconfig's tree by a short thread of its
 * own, with a cfg_loader of its own on its stack, used only for a message;
 * the tree and the file's text are freed by another short thread once the
 * file's contracts are converted (cfg_file.c says why: the tree then lives
 * in its own malloc arena).  Nothing passes between these threads but
 * through pthread_create() and pthread_join().  A string a setting gives
 * (config_setting_get_string) dies with its file's tree: whatever the
 * model keeps is copied (cfg_dup_str, cfg_pool_str).
 */
#ifndef LL_CFG_H
#define LL_CFG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libconfig.h>

#include "core/model.h"
#include "core/text.h"
#include "core/types.h"

/* Limits shared by several parts; each file has its own others. */
#define CFG_MAX_INDEX 4294967295LL
#define CFG_MAX_DAYS  3650 /* ten years: any longer delay is a typo */

/* "expected ..." for what more than one file reads. */
#define CFG_TEXT_EXPECT                                                        \
	"UTF-8 text of at most 255 octets (the SNMP SnmpAdminString limit) "   \
	"without control characters"
#define CFG_DATE_EXPECT "a quoted date YYYY-MM-DD"

/*
 * Contracts already loaded, found by index and by number, so that checking
 * ten thousand of them for duplicates does not take 50 million compares.
 * Slots hold a position in the model's contracts plus one; 0 is empty.
 * Owned by the loader; config.c fills and frees it.
 */
struct cfg_seen {
	size_t *by_index;
	size_t *by_number;
	size_t cap; /* slots of each table, a power of two */
};

/*
 * One load.  err and file are borrowed (the caller's buffer; the path of
 * the file being read, valid while it is); model is owned until
 * config_load() returns it, or frees it on failure; contract points into
 * model.  A parse thread's loader has only err, errlen and file set.
 */
struct cfg_loader {
	char *err;
	size_t errlen;
	const char *file;	       /* the file being read */
	char who[TEXT_ADMIN_MAX + 32]; /* "contract NUMBER", or "" at the top */
	struct ll_model *model;
	size_t cap;		      /* contracts allocated in model */
	struct ll_contract *contract; /* being loaded */
	size_t pool_cap;	      /* its strings pool's room */
	char money_expect[256];	      /* names MONEY_MAX, whatever it is */
	struct cfg_seen seen;	      /* the contracts loaded so far */
};

/* A word of the configuration and the model's value for it. */
struct cfg_name_value {
	const char *name;
	int value;
};

/* The CONFIG_TYPE_ bit a lookup accepts, e.g. CFG_T(INT) | CFG_T(INT64). */
#define CFG_T(type) (1u << CONFIG_TYPE_##type)

/* How a text setting may be given. */
enum cfg_text_need {
	CFG_OPTIONAL, /* may be absent or "" */
	CFG_NONEMPTY, /* may be absent, not "" */
	CFG_REQUIRED, /* present and not "" */
};

/* ---- cfg_value.c: messages ---- */

int __attribute__((format(printf, 4, 5)))
cfg_fail_at(struct cfg_loader *ld, const char *file, int line, const char *fmt,
	    ...);
int __attribute__((format(printf, 3, 4)))
cfg_fail(struct cfg_loader *ld, const config_setting_t *at, const char *fmt,
	 ...);
const char *cfg_join(char *buf, size_t n, const char *group, const char *name);
const char *cfg_path_index(char *buf, size_t n, const char *name, int i);

/* ---- cfg_value.c: text and typed values ---- */

const char *cfg_text_problem(const char *s, char *buf, size_t n);
const config_setting_t *cfg_member(const config_setting_t *grp,
				   const char *name);
bool cfg_setting_int(const config_setting_t *s, int64_t *v);
const char *cfg_describe(const config_setting_t *s, char *buf, size_t n);
int cfg_wrong_type(struct cfg_loader *ld, const config_setting_t *s,
		   const char *field, const char *expect);
int cfg_check_keys(struct cfg_loader *ld, const config_setting_t *grp,
		   const char *gpath, const char *const *allowed);
int cfg_lookup(struct cfg_loader *ld, const config_setting_t *grp,
	       const char *gpath, const char *name, unsigned int types,
	       bool required, const char *expect, const config_setting_t **out);
int cfg_get_text(struct cfg_loader *ld, const config_setting_t *grp,
		 const char *gpath, const char *name, enum cfg_text_need need,
		 const char *expect, const char **out);
int cfg_get_int(struct cfg_loader *ld, const config_setting_t *grp,
		const char *gpath, const char *name, bool required, int64_t min,
		int64_t max, const char *expect, int64_t *out);
int cfg_get_date(struct cfg_loader *ld, const config_setting_t *grp,
		 const char *gpath, const char *name, bool required,
		 const char *expect, ll_day *out);
int cfg_get_enum(struct cfg_loader *ld, const config_setting_t *grp,
		 const char *gpath, const char *name, bool required,
		 const struct cfg_name_value *table, int *out);
int cfg_get_money(struct cfg_loader *ld, const config_setting_t *grp,
		  const char *gpath, const char *name, ll_fen *out);
int cfg_get_money_opt(struct cfg_loader *ld, const config_setting_t *grp,
		      const char *gpath, const char *name, ll_fen *out);
int cfg_get_rate(struct cfg_loader *ld, const config_setting_t *grp,
		 const char *gpath, const char *name, uint32_t *out);
int cfg_get_percent_opt(struct cfg_loader *ld, const config_setting_t *grp,
			const char *gpath, const char *name, uint32_t *out);
int cfg_dup_str(struct cfg_loader *ld, const config_setting_t *at,
		const char *s, char **out);
int cfg_pool_alloc(struct cfg_loader *ld, const config_setting_t *at,
		   size_t size, char **out);
int cfg_pool_str(struct cfg_loader *ld, const config_setting_t *at,
		 const char *s, const char **out);

/* ---- cfg_contract.c and cfg_circuit.c: contract parts ---- */

int cfg_load_party(struct cfg_loader *ld, const config_setting_t *c,
		   const char *name, const char *what, struct ll_party *p);
int cfg_load_term(struct cfg_loader *ld, const config_setting_t *c,
		  struct ll_contract *k);
int cfg_load_ports(struct cfg_loader *ld, const config_setting_t *c,
		   struct ll_contract *k);
int cfg_load_reminders(struct cfg_loader *ld, const config_setting_t *c,
		       const char *name, const uint32_t *defaults,
		       size_t n_defaults, uint32_t *out, size_t *n_out);
int cfg_load_installments(struct cfg_loader *ld, const config_setting_t *c,
			  struct ll_contract *k);
int cfg_load_term_schedules(struct cfg_loader *ld, const config_setting_t *c,
			    struct ll_contract *k);
int cfg_load_notes(struct cfg_loader *ld, const config_setting_t *c,
		   struct ll_contract *k);
int cfg_load_charges(struct cfg_loader *ld, const config_setting_t *c,
		     struct ll_contract *k);
int cfg_load_groups(struct cfg_loader *ld, const config_setting_t *c,
		    struct ll_contract *k);

/* ---- config.c: the contracts of one file's tree ---- */

int cfg_load_contracts(struct cfg_loader *ld, const config_setting_t *root);

/* ---- cfg_file.c: a file, and the include_dir it names if main ---- */

int cfg_load_file(struct cfg_loader *ld, const char *path, bool is_main);

#endif
