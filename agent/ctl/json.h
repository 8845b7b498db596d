/*
 * json.h: the JSON writer of leaselinectl's --json output (json.c).  One
 * writer a run, on the stack of the command that prints; it owns nothing
 * but its position.
 */
#ifndef LL_CTL_JSON_H
#define LL_CTL_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "core/types.h"

/*
 * JSON, pretty-printed: the writer keeps track of commas and indentation.
 * `key` names the member inside an object and is NULL inside an array and
 * for the outermost value.
 */
#define CTL_JSON_DEPTH 16

struct ctl_json {
	FILE *out;
	int depth;
	bool first[CTL_JSON_DEPTH]; /* no member yet at this depth */
};

void ctl_json_init(struct ctl_json *j, FILE *out);
void ctl_json_object(struct ctl_json *j, const char *key);
void ctl_json_array(struct ctl_json *j, const char *key);
/* Closes the innermost object or array; at depth 0 ends the line. */
void ctl_json_end(struct ctl_json *j, char bracket);
void ctl_json_string(struct ctl_json *j, const char *key, const char *v);
void ctl_json_int(struct ctl_json *j, const char *key, int64_t v);
void ctl_json_bool(struct ctl_json *j, const char *key, bool v);
void ctl_json_null(struct ctl_json *j, const char *key);
/* {"fen": 35960000, "text": "359,600.00"} */
void ctl_json_money(struct ctl_json *j, const char *key, ll_fen fen);
/* "YYYY-MM-DD", or null for LL_NO_DAY */
void ctl_json_day(struct ctl_json *j, const char *key, ll_day d);
/* Writes s as a JSON string literal, quotes included. */
void ctl_json_quote(FILE *out, const char *s);

#endif
