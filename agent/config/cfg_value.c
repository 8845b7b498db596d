/*
 * cfg_value.c: the messages and typed values of agent/config/.
 *
 * Every problem becomes one message naming file, line, contract and field,
 * what is wrong and what is expected (config.h gives its form).  Every
 * value is read through one getter here, so that a wrong type, a missing
 * setting or an unknown one reads the same in every part: text SNMP can
 * publish (core/text.h's UTF-8 check and 255-octet limit), integers in a
 * range, dates, enumerations, money as quoted CNY, rates, percentages.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/cfg.h"
#include "core/day.h"
#include "core/money.h"
#include "core/rate.h"
#include "core/text.h"

#define CFG_RATE_EXPECT                                                        \
	"a quoted rate such as \"1000M\", \"100 Mbit/s\", \"2G\" or \"512k\" " \
	"(a plain number is kbit/s)"
#define CFG_PERCENT_EXPECT                                                     \
	"a quoted percentage such as \"20%\", \"50%\" or \"12.5%\", at "       \
	"most 100%"

/* ---- messages ---- */

static int __attribute__((format(printf, 4, 0)))
cfg_vfail_at(struct cfg_loader *ld, const char *file, int line, const char *fmt,
	     va_list ap)
{
	int n;

	if (line > 0)
		n = snprintf(ld->err, ld->errlen, "%s:%d: %s%s", file, line,
			     ld->who, ld->who[0] != '\0' ? ": " : "");
	else
		n = snprintf(ld->err, ld->errlen, "%s: %s%s", file, ld->who,
			     ld->who[0] != '\0' ? ": " : "");
	if (n >= 0 && (size_t)n < ld->errlen)
		vsnprintf(ld->err + n, ld->errlen - (size_t)n, fmt, ap);
	return -1;
}

/* A problem with the whole file, or at a line libconfig reported. */
int __attribute__((format(printf, 4, 5)))
cfg_fail_at(struct cfg_loader *ld, const char *file, int line, const char *fmt,
	    ...)
{
	va_list ap;

	va_start(ap, fmt);
	cfg_vfail_at(ld, file, line, fmt, ap);
	va_end(ap);
	return -1;
}

/* A problem with a setting: its line (a missing setting: its group's). */
int __attribute__((format(printf, 3, 4)))
cfg_fail(struct cfg_loader *ld, const config_setting_t *at, const char *fmt,
	 ...)
{
	va_list ap;
	int line = at != NULL ? config_setting_source_line(at) : 0;

	va_start(ap, fmt);
	/* The root group has line 0: name the first line instead. */
	cfg_vfail_at(ld, ld->file, line > 0 ? line : 1, fmt, ap);
	va_end(ap);
	return -1;
}

/* "group.name", or "name" at the top of a contract. */
const char *
cfg_join(char *buf, size_t n, const char *group, const char *name)
{
	if (group[0] == '\0')
		snprintf(buf, n, "%s", name);
	else
		snprintf(buf, n, "%s.%s", group, name);
	return buf;
}

/*
 * "name[i]", as snprintf("%s[%d]") writes it, and at a tenth of its
 * cost: a path is written for every installment, group and port of every
 * contract (a million times at a million circuits) and read only by a
 * message.
 */
const char *
cfg_path_index(char *buf, size_t n, const char *name, int i)
{
	char digits[16];
	size_t len = strlen(name), d = 0;
	unsigned int v = (unsigned int)i;

	if (i < 0)
		goto slow;
	do {
		digits[d++] = (char)('0' + v % 10);
		v /= 10;
	} while (v > 0);
	if (len + d + 3 > n) /* name, '[', digits, ']', NUL */
		goto slow;
	memcpy(buf, name, len);
	buf[len++] = '[';
	while (d > 0)
		buf[len++] = digits[--d];
	buf[len++] = ']';
	buf[len] = '\0';
	return buf;
slow: /* cut short as snprintf cuts it */
	snprintf(buf, n, "%s[%d]", name, i);
	return buf;
}

/* ---- text ---- */

/* Offset of the first C0 or C1 control character or DEL, or -1.  The
 * text must be valid UTF-8. */
static long
cfg_control_at(const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i;

	for (i = 0; s[i] != '\0'; i++) {
		if (s[i] < 0x20 || s[i] == 0x7f)
			return (long)i;
		/* U+0080..U+009F are encoded C2 80..C2 9F */
		if (s[i] == 0xc2 && s[i + 1] >= 0x80 && s[i + 1] <= 0x9f)
			return (long)i;
	}
	return -1;
}

/* Why s cannot be published as an SnmpAdminString, or NULL. */
const char *
cfg_text_problem(const char *s, char *buf, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t len;
	long at;

	/* Printable ASCII, as dates, amounts, rates and the words of
	 * enumerations are, is valid UTF-8 without a control character:
	 * one pass, instead of three, for most values of a file. */
	for (len = 0; u[len] >= 0x20 && u[len] < 0x7f; len++)
		;
	if (u[len] == '\0' && len <= TEXT_ADMIN_MAX)
		return NULL;
	len += strlen(s + len);
	if (len > TEXT_ADMIN_MAX) {
		snprintf(buf, n, "is %zu octets long", len);
		return buf;
	}
	at = text_utf8_invalid_at(s);
	if (at >= 0) {
		snprintf(buf, n, "is not valid UTF-8 (octet %ld)", at + 1);
		return buf;
	}
	at = cfg_control_at(s);
	if (at >= 0) {
		snprintf(buf, n, "contains a control character (octet %ld)",
			 at + 1);
		return buf;
	}
	return NULL;
}

/* ---- settings ---- */

/*
 * The member name of group grp, or NULL: config_setting_get_member()
 * without its cost.  libconfig 1.5 compares names a character at a time,
 * calling strchr() twice a character to stop at a path separator ('.',
 * ':', '/'); a name in its tree never holds one, nor does any name looked
 * up here, so a plain strcmp() finds the same setting.  Loading a million
 * circuits makes some seven million lookups, which took over a third of the
 * time spent converting the tree.
 */
const config_setting_t *
cfg_member(const config_setting_t *grp, const char *name)
{
	const config_list_t *list;
	unsigned int i;

	if (config_setting_type(grp) != CONFIG_TYPE_GROUP)
		return NULL;
	list = grp->value.list;
	for (i = 0; list != NULL && i < list->length; i++) {
		const char *n = list->elements[i]->name;

		if (n[0] == name[0] && strcmp(n, name) == 0)
			return list->elements[i];
	}
	return NULL;
}

bool
cfg_setting_int(const config_setting_t *s, int64_t *v)
{
	switch (config_setting_type(s)) {
	case CONFIG_TYPE_INT: *v = config_setting_get_int(s); return true;
	case CONFIG_TYPE_INT64: *v = config_setting_get_int64(s); return true;
	default: return false;
	}
}

/* What a setting is, for "VALUE is a TYPE; expected ...". */
const char *
cfg_describe(const config_setting_t *s, char *buf, size_t n)
{
	char why[64];
	const char *str;
	int64_t v;

	switch (config_setting_type(s)) {
	case CONFIG_TYPE_INT:
	case CONFIG_TYPE_INT64:
		cfg_setting_int(s, &v);
		snprintf(buf, n, "%" PRId64 " is an integer", v);
		break;
	case CONFIG_TYPE_FLOAT:
		snprintf(buf, n, "is a floating-point number");
		break;
	case CONFIG_TYPE_STRING:
		str = config_setting_get_string(s);
		if (strlen(str) <= 64 &&
		    cfg_text_problem(str, why, sizeof(why)) == NULL)
			snprintf(buf, n, "\"%s\" is a string", str);
		else
			snprintf(buf, n, "is a string");
		break;
	case CONFIG_TYPE_BOOL:
		snprintf(buf, n, "%s is a boolean",
			 config_setting_get_bool(s) ? "true" : "false");
		break;
	case CONFIG_TYPE_GROUP: snprintf(buf, n, "is a group { }"); break;
	case CONFIG_TYPE_ARRAY: snprintf(buf, n, "is an array [ ]"); break;
	case CONFIG_TYPE_LIST: snprintf(buf, n, "is a list ( )"); break;
	default: snprintf(buf, n, "is of an unknown type"); break;
	}
	return buf;
}

int
cfg_wrong_type(struct cfg_loader *ld, const config_setting_t *s,
	       const char *field, const char *expect)
{
	char what[128];

	return cfg_fail(ld, s, "%s: %s; expected %s", field,
			cfg_describe(s, what, sizeof(what)), expect);
}

/* Unknown settings are refused: a typo must not silently become a
 * default.  Checked before the fields, since a misspelt name is the
 * likeliest reason for a "missing" one. */
int
cfg_check_keys(struct cfg_loader *ld, const config_setting_t *grp,
	       const char *gpath, const char *const *allowed)
{
	char field[160], list[512];
	size_t i, len, n_allowed, next = 0;
	int j;

	for (n_allowed = 0; allowed[n_allowed] != NULL; n_allowed++)
		;
	for (j = 0; j < config_setting_length(grp); j++) {
		const config_setting_t *s = config_setting_get_elem(grp, j);
		const char *name = config_setting_name(s);

		/* From the key after the last one found: files list settings
		 * in about the documented order, so most match at once. */
		for (i = 0; i < n_allowed; i++) {
			const char *a = allowed[(next + i) % n_allowed];

			if (a[0] == name[0] && strcmp(name, a) == 0)
				break;
		}
		if (i < n_allowed) {
			next = (next + i + 1) % n_allowed;
			continue;
		}
		list[0] = '\0';
		for (i = 0, len = 0; allowed[i] != NULL && len < sizeof(list);
		     i++)
			len += (size_t)snprintf(list + len, sizeof(list) - len,
						"%s%s", i > 0 ? ", " : "",
						allowed[i]);
		return cfg_fail(
		    ld, s, "%s: unknown setting; expected one of %s",
		    cfg_join(field, sizeof(field), gpath, name), list);
	}
	return 0;
}

/*
 * Looks up group.name.  When absent: *out is NULL and the call fails
 * only if the setting is required.  types is a bit mask of accepted
 * CONFIG_TYPE_ values.
 */
int
cfg_lookup(struct cfg_loader *ld, const config_setting_t *grp,
	   const char *gpath, const char *name, unsigned int types,
	   bool required, const char *expect, const config_setting_t **out)
{
	const config_setting_t *s = cfg_member(grp, name);
	char field[160];

	*out = NULL;
	/* The field's name is written out only for a message: a lookup is
	 * made a million times loading 100,000 circuits. */
	if (s == NULL) {
		if (required)
			return cfg_fail(
			    ld, grp, "%s: missing; expected %s",
			    cfg_join(field, sizeof(field), gpath, name),
			    expect);
		return 0;
	}
	if (!(types & (1u << config_setting_type(s))))
		return cfg_wrong_type(
		    ld, s, cfg_join(field, sizeof(field), gpath, name), expect);
	*out = s;
	return 0;
}

/* A string setting that must be publishable text; *out is left alone
 * when the setting is optional and absent. */
int
cfg_get_text(struct cfg_loader *ld, const config_setting_t *grp,
	     const char *gpath, const char *name, enum cfg_text_need need,
	     const char *expect, const char **out)
{
	const config_setting_t *s;
	const char *str, *why;
	char field[160], buf[64];

	if (cfg_lookup(ld, grp, gpath, name, CFG_T(STRING),
		       need == CFG_REQUIRED, expect, &s) < 0)
		return -1;
	if (s == NULL)
		return 0;
	str = config_setting_get_string(s);
	if (need != CFG_OPTIONAL && str[0] == '\0')
		return cfg_fail(ld, s, "%s: is empty; expected %s",
				cfg_join(field, sizeof(field), gpath, name),
				expect);
	why = cfg_text_problem(str, buf, sizeof(buf));
	if (why != NULL)
		return cfg_fail(ld, s, "%s: %s; expected %s",
				cfg_join(field, sizeof(field), gpath, name),
				why, CFG_TEXT_EXPECT);
	*out = str;
	return 0;
}

int
cfg_get_int(struct cfg_loader *ld, const config_setting_t *grp,
	    const char *gpath, const char *name, bool required, int64_t min,
	    int64_t max, const char *expect, int64_t *out)
{
	const config_setting_t *s;
	char field[160];
	int64_t v = 0;

	if (cfg_lookup(ld, grp, gpath, name, CFG_T(INT) | CFG_T(INT64),
		       required, expect, &s) < 0)
		return -1;
	if (s == NULL)
		return 0;
	cfg_setting_int(s, &v);
	if (v < min || v > max)
		return cfg_fail(
		    ld, s, "%s: %" PRId64 " is out of range; expected %s",
		    cfg_join(field, sizeof(field), gpath, name), v, expect);
	*out = v;
	return 0;
}

int
cfg_get_date(struct cfg_loader *ld, const config_setting_t *grp,
	     const char *gpath, const char *name, bool required,
	     const char *expect, ll_day *out)
{
	const char *str = NULL;
	char field[160];

	if (cfg_get_text(ld, grp, gpath, name,
			 required ? CFG_REQUIRED : CFG_NONEMPTY, expect,
			 &str) < 0)
		return -1;
	if (str == NULL)
		return 0;
	if (!day_parse(str, out))
		return cfg_fail(ld, cfg_member(grp, name),
				"%s: \"%s\" is not a calendar date; expected "
				"YYYY-MM-DD",
				cfg_join(field, sizeof(field), gpath, name),
				str);
	return 0;
}

int
cfg_get_enum(struct cfg_loader *ld, const config_setting_t *grp,
	     const char *gpath, const char *name, bool required,
	     const struct cfg_name_value *table, int *out)
{
	const config_setting_t *s = cfg_member(grp, name);
	const char *str = NULL;
	char field[160], list[128];
	size_t i, len = 0;

	/* A value of the table is taken at once; anything else goes the
	 * long way, to the message that lists the table. */
	str = s != NULL ? config_setting_get_string(s) : NULL;
	for (i = 0; str != NULL && table[i].name != NULL; i++) {
		if (strcmp(str, table[i].name) == 0) {
			*out = table[i].value;
			return 0;
		}
	}
	str = NULL;
	list[0] = '\0';
	for (i = 0; table[i].name != NULL && len < sizeof(list); i++)
		len +=
		    (size_t)snprintf(list + len, sizeof(list) - len, "%s%s",
				     i > 0 ? ", " : "one of ", table[i].name);
	if (cfg_get_text(ld, grp, gpath, name,
			 required ? CFG_REQUIRED : CFG_NONEMPTY, list,
			 &str) < 0)
		return -1;
	if (str == NULL)
		return 0;
	for (i = 0; table[i].name != NULL; i++) {
		if (strcmp(str, table[i].name) == 0) {
			*out = table[i].value;
			return 0;
		}
	}
	return cfg_fail(ld, cfg_member(grp, name),
			"%s: \"%s\" is not a valid value; expected %s",
			cfg_join(field, sizeof(field), gpath, name), str, list);
}

/* Amounts must be strings: 450000 could be yuan or fen. */
int
cfg_get_money(struct cfg_loader *ld, const config_setting_t *grp,
	      const char *gpath, const char *name, ll_fen *out)
{
	const config_setting_t *s;
	const char *str = NULL;
	char field[160];

	if (cfg_get_text(ld, grp, gpath, name, CFG_REQUIRED, ld->money_expect,
			 &str) < 0)
		return -1;
	if (str[0] != '-' && money_parse(str, out) && *out != 0)
		return 0;
	s = cfg_member(grp, name);
	cfg_join(field, sizeof(field), gpath, name);
	if (str[0] == '-')
		return cfg_fail(ld, s, "%s: \"%s\" is negative; expected %s",
				field, str, ld->money_expect);
	if (!money_parse(str, out))
		return cfg_fail(ld, s,
				"%s: \"%s\" is not an amount in CNY; "
				"expected %s",
				field, str, ld->money_expect);
	if (*out == 0)
		return cfg_fail(ld, s, "%s: \"%s\" is zero; expected %s", field,
				str, ld->money_expect);
	return 0;
}

int
cfg_get_rate(struct cfg_loader *ld, const config_setting_t *grp,
	     const char *gpath, const char *name, uint32_t *out)
{
	const char *str = NULL;
	char field[160];

	if (cfg_get_text(ld, grp, gpath, name, CFG_REQUIRED, CFG_RATE_EXPECT,
			 &str) < 0)
		return -1;
	if (!rate_parse_line(str, out))
		return cfg_fail(ld, cfg_member(grp, name),
				"%s: \"%s\" is not a line rate above zero in "
				"whole kbit/s; expected %s",
				cfg_join(field, sizeof(field), gpath, name),
				str, CFG_RATE_EXPECT);
	return 0;
}

int
cfg_dup_str(struct cfg_loader *ld, const config_setting_t *at, const char *s,
	    char **out)
{
	*out = strdup(s);
	if (*out == NULL)
		return cfg_fail(ld, at,
				"out of memory; expected enough memory to "
				"load the configuration");
	return 0;
}

/* size octets kept in the contract's pool (which model_free() frees),
 * for strings many circuits share, or the ids of a group's circuits. */
int
cfg_pool_alloc(struct cfg_loader *ld, const config_setting_t *at, size_t size,
	       char **out)
{
	struct ll_contract *k = ld->contract;
	char *block;

	if (k->n_strings == ld->pool_cap) {
		size_t cap = ld->pool_cap ? 2 * ld->pool_cap : 16;
		char **p = realloc(k->strings, cap * sizeof(*p));

		if (p == NULL)
			return cfg_fail(ld, at,
					"out of memory; expected enough memory "
					"to load the configuration");
		k->strings = p;
		ld->pool_cap = cap;
	}
	block = malloc(size);
	if (block == NULL)
		return cfg_fail(ld, at,
				"out of memory; expected enough memory to "
				"load the configuration");
	k->strings[k->n_strings++] = block;
	*out = block;
	return 0;
}

/* A string many circuits share, kept once in the contract's pool. */
int
cfg_pool_str(struct cfg_loader *ld, const config_setting_t *at, const char *s,
	     const char **out)
{
	size_t size = strlen(s) + 1;
	char *copy;

	if (cfg_pool_alloc(ld, at, size, &copy) < 0)
		return -1;
	memcpy(copy, s, size);
	*out = copy;
	return 0;
}

/* An optional amount; *out is 0 when absent. */
int
cfg_get_money_opt(struct cfg_loader *ld, const config_setting_t *grp,
		  const char *gpath, const char *name, ll_fen *out)
{
	*out = 0;
	if (cfg_member(grp, name) == NULL)
		return 0;
	return cfg_get_money(ld, grp, gpath, name, out);
}

/* An optional percentage in parts per million; *out is 0 when absent. */
int
cfg_get_percent_opt(struct cfg_loader *ld, const config_setting_t *grp,
		    const char *gpath, const char *name, uint32_t *out)
{
	const char *str = NULL;
	char field[160];

	*out = 0;
	if (cfg_get_text(ld, grp, gpath, name, CFG_NONEMPTY, CFG_PERCENT_EXPECT,
			 &str) < 0)
		return -1;
	if (str == NULL)
		return 0;
	if (!rate_parse_late_fee(str, out) || *out == 0)
		return cfg_fail(ld, cfg_member(grp, name),
				"%s: \"%s\" is not a percentage above 0; "
				"expected %s",
				cfg_join(field, sizeof(field), gpath, name),
				str, CFG_PERCENT_EXPECT);
	return 0;
}
